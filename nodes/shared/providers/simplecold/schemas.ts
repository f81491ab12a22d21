/**
 * SimpleCold response bodies (docs/provider-apis.md §3). Successes are `{"status":"SUCCESS","payload":…}`;
 * failures `{"status":"FAILURE","message":…}`, except 429, which is `{"status":429,"error":…}` (§3.1).
 */
import { z } from 'zod';

import { requiredColumnsSchema } from '../../csv/columns';
import { errorMessageReader, optionalNumber, optionalString } from '../../schema/lenient';
import { firstText } from '../../model/values';

/** The success envelope around any payload schema. */
function simplecoldEnvelope<Payload extends z.ZodTypeAny>(payload: Payload) {
	return z.object({ status: z.string(), payload }).passthrough();
}

/** Job ids are UUID strings (§3.2.5); a numeric id would still be read, as a string. */
const optionalId = z
	.union([z.string(), z.number()])
	.nullish()
	.transform((value) => (value === null || value === undefined ? undefined : String(value)));

/** The status payload (§3.2.5). `totalValidEmails` is ambiguous and left to `raw`. */
const simplecoldJobSchema = z
	.object({
		id: optionalId,
		name: optionalString,
		totalEmails: optionalNumber,
		totalValidEmails: optionalNumber,
		totalCreditsUsed: optionalNumber,
		status: z.string(),
		createdAt: optionalString,
		updatedAt: optionalString,
	})
	.passthrough();

/** `GET /api-validation/bulk/:id/status`. */
export const simplecoldStatusSchema = simplecoldEnvelope(simplecoldJobSchema);

/**
 * `POST /api-validation/bulk`: the answer was never retrieved (§3.2.4). INFERRED to carry the job id in
 * `payload.id`; `jobId` and `_id` are accepted as fallbacks, and a payload with none of them is refused.
 */
export const simplecoldUploadSchema = simplecoldEnvelope(
	z
		.object({ id: optionalId, jobId: optionalId, _id: optionalId })
		.passthrough()
		.superRefine((payload, context) => {
			if (payload.id === undefined && payload.jobId === undefined && payload._id === undefined) {
				context.addIssue({
					code: z.ZodIssueCode.custom,
					path: ['id'],
					message: 'The upload answer carries no job id (looked for id, jobId and _id)',
				});
			}
		}),
);

/** One validated address: the single payload (§3.2.2). */
const simplecoldResultSchema = z
	.object({
		email: z.string(),
		status: z.string(),
		domain: optionalString,
		statusMessage: optionalString,
		mxLocation: optionalString,
		siteLocation: optionalString,
		siteLanguage: optionalString,
		failType: optionalString,
	})
	.passthrough();

/** `GET /api-validation/single`. */
export const simplecoldSingleSchema = simplecoldEnvelope(simplecoldResultSchema);

/**
 * `GET …/download-result?output=json`: whether rows come bare or in the envelope is UNKNOWN (§3.2.6), so
 * both parse to the row array. Rows keep the user's own columns, so they are plain records here and
 * their fields are found by name (`simplecoldColumnsSchema`).
 */
const downloadRowsSchema = z.array(z.record(z.unknown()));
export const simplecoldDownloadJsonSchema = z
	.union([downloadRowsSchema, simplecoldEnvelope(downloadRowsSchema)])
	.transform((body) => (Array.isArray(body) ? body : body.payload));

/** Failures and the 429 body, whose `status` is a number and text is in `error` (§3.1); a `SUCCESS` body has none. */
const simplecoldErrorTextSchema = z
	.object({
		status: z.union([z.string(), z.number()]).optional(),
		message: optionalString,
		error: optionalString,
	})
	.transform((body) =>
		body.status === 'SUCCESS' ? undefined : firstText(body.message, body.error),
	);

/** Result row field names, INFERRED to match the single payload's (§3.2.6); matched case- and space-insensitively. */
const SIMPLECOLD_ROW_ALIASES = {
	email: ['email'],
	domain: ['domain'],
	status: ['status'],
	statusMessage: ['statusMessage'],
	failType: ['failType'],
	mxLocation: ['mxLocation'],
	siteLocation: ['siteLocation'],
	siteLanguage: ['siteLanguage'],
} as const;

/** Result row keys (CSV headers or JSON keys) → where each known field sits; needs `email` and `status`. */
export const simplecoldColumnsSchema = requiredColumnsSchema(
	SIMPLECOLD_ROW_ALIASES,
	['email', 'status'],
	(name, headers) => `The SimpleCold result rows have no "${name}" column (columns: ${headers})`,
);

export type SimplecoldColumns = z.infer<typeof simplecoldColumnsSchema>;
export type SimplecoldStatus = z.infer<typeof simplecoldStatusSchema>;
export type SimplecoldUpload = z.infer<typeof simplecoldUploadSchema>;
export type SimplecoldResult = z.infer<typeof simplecoldResultSchema>;

/** The error text of a SimpleCold body (`message`, or `error` on 429); undefined for a `SUCCESS` body. */
export const extractErrorMessage = errorMessageReader(simplecoldErrorTextSchema);
