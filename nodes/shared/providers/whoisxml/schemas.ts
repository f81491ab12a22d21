/**
 * WhoisXML API Email Verification bodies (docs/provider-apis.md §4): the bulk `bevService` answers, all wrapped in
 * `{"response": …}`, and the single v3 API's bare object. Per-email checks are the strings
 * `"true"`/`"false"`/`"null"` (§4.1) but may come as booleans or `null`; they are kept as sent.
 */
import { z } from 'zod';

import type { BodySchema } from '../../schema/lean';
import {
	leanArray,
	leanOptionalScalar,
	leanOptionalString,
	leanPassthroughObject,
	leanString,
	leanStringArrayNullish,
	withLeanPath,
} from '../../schema/lean';
import {
	errorMessageReader,
	optionalNumber,
	optionalScalar,
	optionalString,
} from '../../schema/lenient';
import { firstText } from '../../model/values';

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

const checkFields = {
	formatCheck: optionalScalar,
	smtpCheck: optionalScalar,
	dnsCheck: optionalScalar,
	freeCheck: optionalScalar,
	disposableCheck: optionalScalar,
	catchAllCheck: optionalScalar,
	/** May be absent when DNS fails; `["."]` is a null MX (§4.3). */
	mxRecords: z.array(z.string()).nullish(),
};

/** One row of `POST /request/completed` (§4.2.4). */
export const whoisxmlCompletedRowSchema = z
	.object({ emailAddress: z.string(), ...checkFields, result: optionalString })
	.passthrough();
export const whoisxmlCompletedSchema = z
	.object({ response: z.array(whoisxmlCompletedRowSchema) })
	.passthrough();

/** One row of `POST /request/failed`, e.g. `{"error":"Invalid format","emailAddress":"foo.bar"}` (§4.2.5). */
const whoisxmlFailedRowSchema = z
	.object({ emailAddress: z.string(), error: optionalString })
	.passthrough();
export const whoisxmlFailedSchema = z
	.object({ response: z.array(whoisxmlFailedRowSchema) })
	.passthrough();

/** `GET /api/v3` single verification (§4.3): the checks without a `result`. */
export const whoisxmlSingleSchema = z
	.object({
		emailAddress: z.string(),
		username: optionalString,
		domain: optionalString,
		...checkFields,
		audit: z
			.object({ auditCreatedDate: optionalString, auditUpdatedDate: optionalString })
			.passthrough()
			.nullish(),
	})
	.passthrough();

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
export type WhoisxmlCompleted = z.infer<typeof whoisxmlCompletedSchema>;
export type WhoisxmlFailed = z.infer<typeof whoisxmlFailedSchema>;
export type WhoisxmlCompletedRow = z.infer<typeof whoisxmlCompletedRowSchema>;
export type WhoisxmlFailedRow = z.infer<typeof whoisxmlFailedRowSchema>;
export type WhoisxmlSingle = z.infer<typeof whoisxmlSingleSchema>;

/** The error text of a bulk or single-API body (the bulk shape is tried first); undefined for a success. */
export const extractErrorMessage = errorMessageReader(
	z.union([bulkErrorTextSchema, singleErrorTextSchema]),
);

/**
 * The download bodies with their lean check first (a 50,000-row download validates in milliseconds
 * instead of half a second): the same rules and output as the zod schemas above, which still decide,
 * and word the error, when the lean check does not accept a body.
 */
const leanChecks = {
	formatCheck: leanOptionalScalar,
	smtpCheck: leanOptionalScalar,
	dnsCheck: leanOptionalScalar,
	freeCheck: leanOptionalScalar,
	disposableCheck: leanOptionalScalar,
	catchAllCheck: leanOptionalScalar,
	mxRecords: leanStringArrayNullish,
};
export const leanWhoisxmlCompletedRow = leanPassthroughObject<WhoisxmlCompletedRow>({
	emailAddress: leanString,
	...leanChecks,
	result: leanOptionalString,
});
export const whoisxmlCompletedBody: BodySchema<WhoisxmlCompleted> = withLeanPath(
	whoisxmlCompletedSchema,
	leanPassthroughObject<WhoisxmlCompleted>({ response: leanArray(leanWhoisxmlCompletedRow) }),
);
export const whoisxmlFailedBody: BodySchema<WhoisxmlFailed> = withLeanPath(
	whoisxmlFailedSchema,
	leanPassthroughObject<WhoisxmlFailed>({
		response: leanArray(
			leanPassthroughObject<WhoisxmlFailedRow>({
				emailAddress: leanString,
				error: leanOptionalString,
			}),
		),
	}),
);
