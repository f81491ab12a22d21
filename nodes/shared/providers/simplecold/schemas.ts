/**
 * SimpleCold response bodies (providers.md §3). Successes are `{"status":"SUCCESS","payload":…}`;
 * failures `{"status":"FAILURE","message":…}`, except 429, which is `{"status":429,"error":…}` (§3.1).
 */
import { z } from 'zod';

import { mapColumns, type ColumnMap } from '../../csv';
import { asRecord, firstText, optionalNumber, optionalScalar, optionalString } from '../../normalize';

/** The success envelope around any payload schema. */
export function simplecoldEnvelope<Payload extends z.ZodTypeAny>(payload: Payload) {
	return z.object({ status: z.string(), payload }).passthrough();
}

/** Job ids are UUID strings (§3.2.5); a numeric id would still be read, as a string. */
const optionalId = z
	.union([z.string(), z.number()])
	.nullish()
	.transform((value) => (value === null || value === undefined ? undefined : String(value)));

/** The status payload (§3.2.5). `totalValidEmails` is ambiguous and left to `raw`. */
export const simplecoldJobSchema = z
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

/** One validated address: the single payload, a batch entry (§3.2.2, §3.2.3). */
export const simplecoldResultSchema = z
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
/** `POST /api-validation/batch` (≤ 50 addresses). */
export const simplecoldBatchSchema = simplecoldEnvelope(z.array(simplecoldResultSchema));
/** `GET /api-validation/validate` (§3.2.1). */
export const simplecoldValidateKeySchema = simplecoldEnvelope(
	z.object({ valid: optionalScalar, message: optionalString }).passthrough(),
);

/**
 * `GET …/download-result?output=json`: whether rows come bare or in the envelope is UNKNOWN (§3.2.6), so
 * both parse to the row array. Rows keep the user's own columns, so they are plain records here and
 * their fields are found by name (`simplecoldColumnsSchema`).
 */
const downloadRowsSchema = z.array(z.record(z.unknown()));
export const simplecoldDownloadJsonSchema = z
	.union([downloadRowsSchema, simplecoldEnvelope(downloadRowsSchema)])
	.transform((body) => (Array.isArray(body) ? body : body.payload));

/** Failures and the 429 body, whose `status` is a number and text is in `error` (§3.1). */
export const simplecoldErrorSchema = z
	.object({ status: z.union([z.string(), z.number()]).optional(), message: optionalString, error: optionalString })
	.passthrough();

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

export type SimplecoldRowField = keyof typeof SIMPLECOLD_ROW_ALIASES;

export interface SimplecoldColumns extends ColumnMap<SimplecoldRowField> {
	columns: ColumnMap<SimplecoldRowField>['columns'] & { email: string; status: string };
}

/** Result row keys (CSV headers or JSON keys) → where each known field sits; needs `email` and `status`. */
export const simplecoldColumnsSchema = z.array(z.string()).transform((headers, context): SimplecoldColumns => {
	const { columns, extra } = mapColumns(headers, SIMPLECOLD_ROW_ALIASES);
	const { email, status } = columns;
	if (email === undefined || status === undefined) {
		const missing = email === undefined ? 'email' : 'status';
		context.addIssue({
			code: z.ZodIssueCode.custom,
			path: [missing],
			message: `The SimpleCold result rows have no "${missing}" column (columns: ${headers.join(', ') || 'none'})`,
		});
		return z.NEVER;
	}
	return { columns: { ...columns, email, status }, extra };
});

export type SimplecoldJob = z.infer<typeof simplecoldJobSchema>;
export type SimplecoldStatus = z.infer<typeof simplecoldStatusSchema>;
export type SimplecoldUpload = z.infer<typeof simplecoldUploadSchema>;
export type SimplecoldResult = z.infer<typeof simplecoldResultSchema>;
export type SimplecoldSingle = z.infer<typeof simplecoldSingleSchema>;
export type SimplecoldBatch = z.infer<typeof simplecoldBatchSchema>;
export type SimplecoldValidateKey = z.infer<typeof simplecoldValidateKeySchema>;
export type SimplecoldDownloadRows = z.infer<typeof simplecoldDownloadJsonSchema>;
export type SimplecoldError = z.infer<typeof simplecoldErrorSchema>;

/** The error text of a SimpleCold body (`message`, or `error` on 429); undefined for a `SUCCESS` body. */
export function extractErrorMessage(body: unknown): string | undefined {
	const parsed = simplecoldErrorSchema.safeParse(asRecord(body));
	if (!parsed.success || parsed.data.status === 'SUCCESS') return undefined;
	return firstText(parsed.data.message, parsed.data.error);
}
