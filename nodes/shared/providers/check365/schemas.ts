/**
 * Check365 response bodies (docs/provider-apis.md §2). Results arrive inline in the status body; both the current
 * per-email shape and the older one without `safeToSend`/`risk`/`statusReason` (§2.2.2) must parse.
 */
import { z } from 'zod';

import {
	errorMessageReader,
	optionalNumber,
	optionalScalar,
	optionalString,
} from '../../schema/lenient';
import { firstText, parseFlag } from '../../model/values';

/** The docs type `success` as "string" but show a boolean (§2.2.1): kept as sent, read with `parseFlag`. */
const envelope = { success: optionalScalar, message: optionalString };

/** `POST /api/validation/bulk-upload`: the job id is the client's own, echoed as `job_id` (§2.2.1). */
export const check365CreateSchema = z.object({ job_id: optionalString, ...envelope }).passthrough();

/** One entry of `data.results[]`; `status` is optional so one odd row cannot sink a whole job. */
export const check365ResultSchema = z
	.object({
		email: z.string(),
		emailProvider: optionalString,
		emailType: optionalString,
		status: optionalString,
		safeToSend: optionalScalar,
		risk: optionalString,
		isRole: optionalScalar,
		statusReason: optionalString,
	})
	.passthrough();

/** `GET /api/validation/bulk-status` (§2.2.2): only `completed` is a documented `data.status`. */
export const check365StatusSchema = z
	.object({
		data: z
			.object({
				jobId: optionalString,
				status: optionalString,
				creditsUsed: optionalNumber,
				progress: optionalNumber,
				total: optionalNumber,
				results: z.array(check365ResultSchema).nullish(),
			})
			.passthrough(),
		...envelope,
	})
	.passthrough();

/**
 * The error page was not retrievable (§2.1): the envelope's `message`, or an `error` field if one appears.
 * A body that reports success has no error text.
 */
const check365ErrorTextSchema = z
	.object({ error: optionalString, ...envelope })
	.transform((body) =>
		parseFlag(body.success) === true ? undefined : firstText(body.message, body.error),
	);

export type Check365Result = z.infer<typeof check365ResultSchema>;
export type Check365Status = z.infer<typeof check365StatusSchema>;

/** The error text of a Check365 body; undefined for a body that reports success. */
export const extractErrorMessage = errorMessageReader(check365ErrorTextSchema);
