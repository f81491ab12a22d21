/**
 * Bouncify response bodies (docs/provider-apis.md §1). Lenient: unknown keys pass through, status keys that only
 * some job states carry are optional (§1.2.2), counts may be numeric strings, and flags are kept in
 * whatever encoding arrived (`true`, `"false"`, `1`, `"Y"`) for `parseFlag` to read.
 */
import { z } from 'zod';

import { requiredColumnsSchema } from '../../csv/columns';
import {
	errorMessageReader,
	lenientNumber,
	optionalNumber,
	optionalScalar,
	optionalString,
} from '../../schema/lenient';
import { firstText, parseFlag } from '../../model/values';

/** `success` is a boolean, except in some single-verify errors where it is the string `"false"` (§1.1). */
const envelope = { success: optionalScalar, message: optionalString };

/** `POST /v1/bulk` (§1.2.1). */
export const bouncifyCreateSchema = z
	.object({ job_id: z.string().min(1), ...envelope })
	.passthrough();

/** `PATCH /v1/bulk` start (§1.2.3) and `DELETE /v1/bulk` (§1.2.5) answer with the same acknowledgement. */
const jobAcknowledgementSchema = z.object({ job_id: optionalString, ...envelope }).passthrough();
export const bouncifyStartSchema = jobAcknowledgementSchema;
export const bouncifyDeleteSchema = jobAcknowledgementSchema;

/** `GET /v1/bulk?job_id=` (§1.2.2): only `status` is present in every job state. */
export const bouncifyStatusSchema = z
	.object({
		job_id: optionalString,
		status: z.string(),
		created_at: optionalString,
		total: optionalNumber,
		verified: optionalNumber,
		pending: optionalNumber,
		analysis: z
			.object({
				common_isp: optionalNumber,
				role_based: optionalNumber,
				disposable: optionalNumber,
				spamtrap: optionalNumber,
				syntax_error: optionalNumber,
			})
			.passthrough()
			.nullish(),
		results: z
			.object({
				deliverable: optionalNumber,
				undeliverable: optionalNumber,
				accept_all: optionalNumber,
				unknown: optionalNumber,
			})
			.passthrough()
			.nullish(),
		...envelope,
	})
	.passthrough();

/** `GET /v1/verify` (§1.2.6). `accept_all` stays raw: its documented example value 2 is unexplained. */
export const bouncifySingleSchema = z
	.object({
		result: z.string(),
		email: z.string(),
		user: optionalString,
		domain: optionalString,
		accept_all: optionalScalar,
		role: optionalScalar,
		free_email: optionalScalar,
		disposable: optionalScalar,
		spamtrap: optionalScalar,
		...envelope,
	})
	.passthrough();

/** `GET /v1/info` (§1.2.7). */
export const bouncifyCreditsSchema = z
	.object({
		credits_info: z.object({ credits_remaining: lenientNumber }).passthrough(),
		...envelope,
	})
	.passthrough();

/**
 * Errors put their text in `result` (§1.1); the sister API's list-limit errors use `message` (§1.2.1).
 * A body that reports success has no error text.
 */
const bouncifyErrorTextSchema = z
	.object({ result: optionalString, message: optionalString, success: optionalScalar })
	.transform((body) =>
		parseFlag(body.success) === true ? undefined : firstText(body.result, body.message),
	);

/** Header names of the result CSV (`POST /v1/download`, §1.2.4); matched case- and space-insensitively. */
const BOUNCIFY_CSV_ALIASES = {
	email: ['Email'],
	result: ['Verification Result'],
	syntaxError: ['Syntax Error'],
	isp: ['ISP'],
	role: ['Role'],
	disposable: ['Disposable'],
	trap: ['Trap'],
	verifiedAt: ['Verified At'],
} as const;

/** The result CSV's header row → where each known field sits; fails unless Email and Verification Result exist. */
export const bouncifyCsvColumnsSchema = requiredColumnsSchema(
	BOUNCIFY_CSV_ALIASES,
	['email', 'result'],
	(name, headers) => `The Bouncify result CSV has no "${name}" column (headers: ${headers})`,
);

export type BouncifyCsvColumns = z.infer<typeof bouncifyCsvColumnsSchema>;
export type BouncifyStatus = z.infer<typeof bouncifyStatusSchema>;
export type BouncifySingle = z.infer<typeof bouncifySingleSchema>;

/** The error text of a Bouncify body (`result`, then `message`); undefined for a body that reports success. */
export const extractErrorMessage = errorMessageReader(bouncifyErrorTextSchema);
