/** The provider-neutral per-email result: verdicts, reasons, flags and the builder every adapter uses. */
import type { Outcome } from './verdict-rules';
import { withoutUndefined } from './values';

export type Verdict = 'deliverable' | 'undeliverable' | 'risky' | 'unknown';

export const VERDICTS: readonly Verdict[] = ['deliverable', 'undeliverable', 'risky', 'unknown'];

export type Reason =
	| 'accepted'
	| 'invalid_syntax'
	| 'invalid_domain'
	| 'no_mx'
	| 'mailbox_not_found'
	| 'smtp_rejected'
	| 'catch_all'
	| 'disposable'
	| 'role'
	| 'spamtrap'
	| 'unverifiable'
	| 'processing_failed'
	| 'other';

/** `undefined` means the provider did not report the flag, never "false". */
export interface EmailFlags {
	role?: boolean;
	free?: boolean;
	disposable?: boolean;
	catchAll?: boolean;
	syntaxError?: boolean;
	spamtrap?: boolean;
	hasMx?: boolean;
}

export interface NormalizedEmailResult {
	email: string;
	verdict: Verdict;
	reason?: Reason;
	/** The provider's own verdict/status token, untouched. */
	providerStatus: string;
	/** The provider's own reason (statusReason, failType, error, message). */
	providerReason?: string;
	safeToSend?: boolean;
	risk?: 'low' | 'medium' | 'high';
	flags: EmailFlags;
	mxRecords?: string[];
	emailProvider?: string;
	verifiedAt?: string;
	/** Pass-through user columns (Bouncify/SimpleCold CSV). */
	extra?: Record<string, unknown>;
	raw: unknown;
}

type NormalizedResultFields = Omit<NormalizedEmailResult, 'verdict' | 'reason'> & {
	outcome: Outcome;
};

/**
 * Builds a result. `safeToSend` is the provider's own value when it reports one, else derived: a
 * deliverable verdict that is not a flagged spam trap (§6.2 derives it from the verdict alone, but a
 * Bouncify `deliverable` row with Trap=Y keeps its verdict and must still not be called safe).
 */
export function makeNormalizedResult(fields: NormalizedResultFields): NormalizedEmailResult {
	const { outcome, email, providerStatus, raw } = fields;
	// Normalizers build a fresh flags object per result: it is kept as is unless a flag is undefined.
	const flags = hasUndefined(fields.flags)
		? withoutUndefined<EmailFlags>(fields.flags)
		: fields.flags;
	const safeToSend =
		fields.safeToSend ?? (outcome.verdict === 'deliverable' && flags.spamtrap !== true);
	const extra = fields.extra !== undefined && hasKeys(fields.extra) ? fields.extra : undefined;
	const { verdict, reason } = outcome;
	// The shapes of download rows, as one object literal each: built in one step, with every field
	// inside the object, results of big downloads cost much less to make and to collect than objects
	// grown key by key. Same keys, same order as the general case below.
	if (
		email !== undefined &&
		verdict !== undefined &&
		reason !== undefined &&
		providerStatus !== undefined &&
		fields.providerReason === undefined &&
		fields.risk === undefined &&
		fields.emailProvider === undefined &&
		raw !== undefined
	) {
		const { mxRecords, verifiedAt } = fields;
		if (verifiedAt === undefined && extra === undefined) {
			return mxRecords === undefined
				? { email, verdict, reason, providerStatus, safeToSend, flags, raw }
				: { email, verdict, reason, providerStatus, safeToSend, flags, mxRecords, raw };
		}
		if (mxRecords === undefined && verifiedAt !== undefined) {
			return extra === undefined
				? { email, verdict, reason, providerStatus, safeToSend, flags, verifiedAt, raw }
				: { email, verdict, reason, providerStatus, safeToSend, flags, verifiedAt, extra, raw };
		}
	}
	// Key by key in the same order, skipping what is undefined (as `withoutUndefined` would).
	const result = {} as NormalizedEmailResult;
	if (email !== undefined) result.email = email;
	if (verdict !== undefined) result.verdict = verdict;
	if (reason !== undefined) result.reason = reason;
	if (providerStatus !== undefined) result.providerStatus = providerStatus;
	if (fields.providerReason !== undefined) result.providerReason = fields.providerReason;
	result.safeToSend = safeToSend;
	if (fields.risk !== undefined) result.risk = fields.risk;
	result.flags = flags;
	if (fields.mxRecords !== undefined) result.mxRecords = fields.mxRecords;
	if (fields.emailProvider !== undefined) result.emailProvider = fields.emailProvider;
	if (fields.verifiedAt !== undefined) result.verifiedAt = fields.verifiedAt;
	if (extra !== undefined) result.extra = extra;
	if (raw !== undefined) result.raw = raw;
	return result;
}

function hasUndefined(value: object): boolean {
	for (const key in value) if ((value as Record<string, unknown>)[key] === undefined) return true;
	return false;
}

function hasKeys(value: object): boolean {
	for (const key in value) if (Object.prototype.hasOwnProperty.call(value, key)) return true;
	return false;
}
