/**
 * WhoisXML API Email Verification bodies (providers.md §4): the bulk `bevService` answers, all wrapped in
 * `{"response": …}`, and the single v3 API's bare object. Per-email checks are the strings
 * `"true"`/`"false"`/`"null"` (§4.1) but may come as booleans or `null`; they are kept as sent.
 * The row bodies (a download has up to 50,000 rows) and the single answer, which shares their checks,
 * are declared with the small validators of `schema/lean.ts`; the small job and error bodies with zod.
 */
import { z } from 'zod';

import type { Infer } from '../../schema/lean';
import { array, nullish, object, optional, scalar, string } from '../../schema/lean';
import { firstText } from '../../model/values';
import { errorMessageReader, optionalNumber, optionalString } from '../../schema/lenient';

/** Request ids are integers (§4.2.1); a numeric string is accepted too. Kept as sent; normalizers stringify. */
const requestId = z.union([
	z.number().int().nonnegative(),
	z.string().regex(/^\d+$/, 'Expected an integer id'),
]);
/** Unix seconds as a string (`date_start`, §4.2.3), or as a number. */
const optionalTimestamp = z.union([z.string(), z.number()]).nullish();

/** `POST /request` (§4.2.1). */
export const whoisxmlCreateSchema = z
	.object({ response: z.object({ id: requestId }).passthrough() })
	.passthrough();

/** One request summary, as in `/request/status` and `/request/list` (§4.2.3). `ready` is the only state signal. */
const whoisxmlJobSchema = z
	.object({
		id: requestId,
		date_start: optionalTimestamp,
		date_end: optionalTimestamp,
		total_emails: optionalNumber,
		invalid_emails: optionalNumber,
		processed_emails: optionalNumber,
		failed_emails: optionalNumber,
		ready: z.union([z.number(), z.string(), z.boolean()]),
	})
	.passthrough();

/** `POST /request/status`: an id the account does not know is simply absent from the array (§4.2.3). */
export const whoisxmlStatusSchema = z
	.object({ response: z.array(whoisxmlJobSchema) })
	.passthrough();

/** `POST /request/list` with `onlyIds: false` (§4.2.2). */
export const whoisxmlListSchema = z
	.object({
		response: z
			.object({
				current_page: optionalNumber,
				last_page: optionalNumber,
				per_page: optionalNumber,
				total: optionalNumber,
				from: optionalNumber,
				to: optionalNumber,
				data: z.array(whoisxmlJobSchema),
			})
			.passthrough(),
	})
	.passthrough();

/** A string; `null` reads as absent (zod's `optionalString`). */
const optionalText = nullish(string()).transform((value) => value ?? undefined);
/** A check in any encoding (`"true"`, `true`, `1`, `"null"`, `null`), kept as sent; read it with `parseFlag`. */
const check = optional(scalar());

const checkFields = {
	formatCheck: check,
	smtpCheck: check,
	dnsCheck: check,
	freeCheck: check,
	disposableCheck: check,
	catchAllCheck: check,
	/** May be absent when DNS fails; `["."]` is a null MX (§4.3). */
	mxRecords: nullish(array(string())),
};

/** One row of `POST /request/completed` (§4.2.4). */
export const whoisxmlCompletedRowSchema = object({
	emailAddress: string(),
	...checkFields,
	result: optionalText,
});
export const whoisxmlCompletedSchema = object({ response: array(whoisxmlCompletedRowSchema) });

/** One row of `POST /request/failed`, e.g. `{"error":"Invalid format","emailAddress":"foo.bar"}` (§4.2.5). */
const whoisxmlFailedRowSchema = object({ emailAddress: string(), error: optionalText });
export const whoisxmlFailedSchema = object({ response: array(whoisxmlFailedRowSchema) });

/** `GET /api/v3` single verification (§4.3): the checks without a `result`. */
export const whoisxmlSingleSchema = object({
	emailAddress: string(),
	username: optionalText,
	domain: optionalText,
	...checkFields,
	audit: nullish(object({ auditCreatedDate: optionalText, auditUpdatedDate: optionalText })),
});

/** Bulk errors: `{"response":{"error":…}}` or `{"response":{"errors":[…]}}` (§4.1), several `errors` joined by "; ". */
const bulkErrorTextSchema = z
	.object({ response: z.object({ error: optionalString, errors: z.array(z.unknown()).nullish() }) })
	.transform(({ response: { error, errors } }) => {
		const listed = (errors ?? [])
			.map((entry) => firstText(entry))
			.filter((text) => text !== undefined);
		return firstText(error, listed.join('; '));
	});

/** Single-API errors, INFERRED from the official SDKs: `ErrorMessage.msg` or `ErrorMessage.Error` (§4.3). */
const singleErrorTextSchema = z
	.object({ ErrorMessage: z.object({ msg: optionalString, Error: optionalString }) })
	.transform(({ ErrorMessage }) => firstText(ErrorMessage.msg, ErrorMessage.Error));

export type WhoisxmlJob = z.infer<typeof whoisxmlJobSchema>;
export type WhoisxmlCompleted = Infer<typeof whoisxmlCompletedSchema>;
export type WhoisxmlFailed = Infer<typeof whoisxmlFailedSchema>;
export type WhoisxmlCompletedRow = Infer<typeof whoisxmlCompletedRowSchema>;
export type WhoisxmlFailedRow = Infer<typeof whoisxmlFailedRowSchema>;
export type WhoisxmlSingle = Infer<typeof whoisxmlSingleSchema>;

/** The error text of a bulk or single-API body (the bulk shape is tried first); undefined for a success. */
export const extractErrorMessage = errorMessageReader(
	z.union([bulkErrorTextSchema, singleErrorTextSchema]),
);
