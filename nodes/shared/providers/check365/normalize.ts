/**
 * Check365 → normalized job and results (docs/provider-apis.md §2.3, §2.4 and the §6 mapping tables). Most of
 * the vocabulary is undocumented, so the rules below lean on the few confirmed tokens and say where they infer.
 */
import {
	ACCEPTED,
	UNRECOGNIZED,
	UNVERIFIABLE,
	undeliverable,
	type Outcome,
	type VerdictOptions,
	DEFAULT_VERDICT_OPTIONS,
} from '../../model/verdict-rules';
import { clampPercent, parseFlag, verdictToken } from '../../model/values';
import {
	aliasKey,
	categoryOf,
	categoryOutcome,
	failureReasonOf,
	withCategoryFlag,
	type Category,
} from '../../model/vocabulary';
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

/** A reason named as ours, else one the shared rule reads as a failure (`syntax_error`, `spam-trap`; §8). */
function knownReason(statusReason: string | undefined): Reason | undefined {
	const token = verdictToken(statusReason) as Reason;
	return KNOWN_REASONS.has(token) ? token : failureReasonOf(statusReason);
}

/** The documented statuses (§2.4), unified; any other token goes through the shared rule (§8). */
const DOCUMENTED_STATUSES = new Set([
	'active',
	'inactive',
	'invalid',
	'spam_trap',
	'spamtrap',
	'unvalidated',
	'unknown',
]);

/**
 * The page markets a "Catch-All/Spam-All" group (§2.2.1) whose tokens are undocumented: `spam-all`,
 * alone or with catch-all, is Check365's own word for it. Other spellings come from the shared rule.
 */
const SPAM_ALL_KEYS = new Set(['spamall', 'catchall/spamall', 'spamall/catchall']);

/** The category of an undocumented status: Check365's spam-all word, else the shared rule's. */
function statusCategory(token: string): Category | undefined {
	if (DOCUMENTED_STATUSES.has(token)) return undefined;
	return SPAM_ALL_KEYS.has(aliasKey(token)) ? 'catch_all' : categoryOf(token);
}

function check365Outcome(
	row: Check365Result,
	token: string,
	category: Category | undefined,
	options: VerdictOptions,
): Outcome {
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
			if (category !== undefined) return categoryOutcome(category, {}, options);
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
	const category = statusCategory(token);
	const flags: EmailFlags = withCategoryFlag(
		{
			role: parseFlag(row.isRole),
			free: FREE_BY_EMAIL_TYPE.get(verdictToken(row.emailType)),
			spamtrap: token === 'spam_trap' || token === 'spamtrap' ? true : undefined,
		},
		category,
	);
	return makeNormalizedResult({
		email: row.email.trim(),
		outcome: check365Outcome(row, token, category, options),
		providerStatus: row.status ?? '',
		providerReason: row.statusReason,
		safeToSend: parseFlag(row.safeToSend),
		risk: RISK_LEVELS.get(verdictToken(row.risk)),
		flags,
		emailProvider: row.emailProvider,
		raw: row,
	});
}
