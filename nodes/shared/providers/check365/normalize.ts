/**
 * Check365 → normalized job and results (docs/provider-apis.md §2.3, §2.4 and the §6 mapping tables). Most of
 * the vocabulary is undocumented, so the rules below lean on the few confirmed tokens and say where they infer.
 */
import {
	ACCEPTED,
	UNRECOGNIZED,
	UNVERIFIABLE,
	catchAllOutcome,
	undeliverable,
	type Outcome,
	type VerdictOptions,
	DEFAULT_VERDICT_OPTIONS,
} from '../../model/verdict-rules';
import { clampPercent, parseFlag, verdictToken } from '../../model/values';
import { makeNormalizedJob } from '../../model/job';
import { makeNormalizedResult } from '../../model/result';
import type { EmailFlags, NormalizedEmailResult, Reason } from '../../model/result';
import type { JobState, NormalizedJob } from '../../model/job';
import type { Check365Result, Check365Status } from './schemas';

/**
 * Only `completed` is documented (§2.3). Tokens naming a failure or cancellation end the job; any other
 * value is judged by `progress` (INFERRED, §6.1); with neither, the state is unknown.
 */
function check365State(status: string | undefined, progress: number | undefined): JobState {
	const token = verdictToken(status);
	if (token === 'completed') return 'completed';
	if (token.includes('fail')) return 'failed';
	if (token.includes('cancel')) return 'cancelled';
	if (progress === undefined) return 'unknown';
	return progress >= 100 ? 'completed' : 'processing';
}

interface Check365JobContext {
	/** The client-chosen id the status was asked for; used when the body omits `data.jobId`. */
	jobId: string;
}

export function normalizeCheck365Job(
	body: Check365Status,
	context: Check365JobContext,
): NormalizedJob {
	const { data } = body;
	return makeNormalizedJob({
		provider: 'check365',
		jobId: data.jobId ?? context.jobId,
		state: check365State(data.status, data.progress),
		total: data.total,
		progressPercent: clampPercent(data.progress),
		creditsUsed: data.creditsUsed,
		message: body.message,
		rawStatus: data.status ?? null,
		raw: body,
	});
}

/**
 * `statusReason` values taken at face value when they name one of our reasons. Only `invalid_domain`
 * is documented (§2.4); the others are INFERRED to be spelled the same way if they exist.
 */
const KNOWN_REASONS = new Set<Reason>([
	'invalid_syntax',
	'invalid_domain',
	'no_mx',
	'mailbox_not_found',
	'smtp_rejected',
	'catch_all',
	'disposable',
	'role',
	'spamtrap',
]);
/** Reasons that make an `unvalidated` address undeliverable rather than unverifiable (§6.2). */
const ADDRESS_CANNOT_EXIST = new Set<Reason>(['invalid_syntax', 'invalid_domain', 'no_mx']);

function knownReason(statusReason: string | undefined): Reason | undefined {
	const token = verdictToken(statusReason) as Reason;
	return KNOWN_REASONS.has(token) ? token : undefined;
}

/**
 * The catch-all / "Spam-All" group's tokens are undocumented (§2.4). §6.2 suggests matching `accept`
 * alone; `accept_?all` is used instead so that a possible `accepted` token is not read as catch-all.
 */
const CATCH_ALL_TOKEN = /catch|spam_?all|accept_?all/;

function check365Outcome(row: Check365Result, token: string, options: VerdictOptions): Outcome {
	const reason = knownReason(row.statusReason);
	switch (token) {
		case 'active':
			return ACCEPTED;
		case 'inactive':
			return undeliverable('mailbox_not_found');
		case 'invalid':
			return undeliverable(reason ?? 'invalid_syntax');
		case 'spam_trap':
		case 'spamtrap':
			return undeliverable('spamtrap');
		case 'unvalidated':
			return reason !== undefined && ADDRESS_CANNOT_EXIST.has(reason)
				? undeliverable(reason)
				: UNVERIFIABLE;
		case 'unknown':
			return UNVERIFIABLE;
		default:
			if (CATCH_ALL_TOKEN.test(token)) return catchAllOutcome(options);
			// An unmapped status the provider itself calls safe is trusted (§6.2 fallback).
			return parseFlag(row.safeToSend) === true
				? { verdict: 'deliverable', reason: 'other' }
				: UNRECOGNIZED;
	}
}

/** `emailType` `personal` means a free mailbox, `professional` a company one (INFERRED, §6.2). */
const FREE_BY_EMAIL_TYPE = new Map<string, boolean>([
	['personal', true],
	['professional', false],
]);
const RISK_LEVELS = new Map<string, NonNullable<NormalizedEmailResult['risk']>>([
	['low', 'low'],
	['medium', 'medium'],
	['high', 'high'],
]);

/** One entry of the status body's `data.results[]`, current or older docs shape. */
export function normalizeCheck365Result(
	row: Check365Result,
	options: VerdictOptions = DEFAULT_VERDICT_OPTIONS,
): NormalizedEmailResult {
	const token = verdictToken(row.status);
	const flags: EmailFlags = {
		role: parseFlag(row.isRole),
		free: FREE_BY_EMAIL_TYPE.get(verdictToken(row.emailType)),
		spamtrap: token === 'spam_trap' || token === 'spamtrap' ? true : undefined,
		catchAll: CATCH_ALL_TOKEN.test(token) ? true : undefined,
	};
	return makeNormalizedResult({
		email: row.email.trim(),
		outcome: check365Outcome(row, token, options),
		providerStatus: row.status ?? '',
		providerReason: row.statusReason,
		safeToSend: parseFlag(row.safeToSend),
		risk: RISK_LEVELS.get(verdictToken(row.risk)),
		flags,
		emailProvider: row.emailProvider,
		raw: row,
	});
}
