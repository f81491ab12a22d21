/**
 * Bouncify → normalized job and results (docs/provider-apis.md §1.3, §1.4 and the §6 mapping tables).
 */
import {
	ACCEPTED,
	UNVERIFIABLE,
	applyCatchAllRule,
	catchAllOutcome,
	undeliverable,
	type Outcome,
	type VerdictOptions,
	DEFAULT_VERDICT_OPTIONS,
} from '../../model/verdict-rules';
import { makeNormalizedJob } from '../../model/job';
import { makeNormalizedResult } from '../../model/result';
import { parseFlag, progressFrom, sumReported, toIsoDate, verdictToken } from '../../model/values';
import { categoryOf, categoryOutcome, withCategoryFlag } from '../../model/vocabulary';
import type { EmailFlags, NormalizedEmailResult } from '../../model/result';
import type { JobCounts, JobState, NormalizedJob } from '../../model/job';
import type { BouncifyCsvColumns, BouncifySingle, BouncifyStatus } from './schemas';

const JOB_STATES = new Map<string, JobState>([
	['preparing', 'queued'],
	['ready', 'queued'],
	['verifying', 'processing'],
	['completed', 'completed'],
	['failed', 'failed'],
	['cancelled', 'cancelled'],
]);

interface BouncifyJobContext {
	/** The id the status was asked for; used when the body omits `job_id`. */
	jobId: string;
	/** The list was uploaded with `auto_verify=true`, so `ready` moves on without a start call (§1.3). */
	autoVerify?: boolean;
}

/** `results.accept_all` counts follow the catch-all rule, like the per-email verdicts. */
function countsFrom(
	results: BouncifyStatus['results'],
	options: VerdictOptions,
): JobCounts | undefined {
	if (!results) return undefined;
	const catchAllIsRisky = catchAllOutcome(options).verdict === 'risky';
	return {
		deliverable: results.deliverable,
		undeliverable: results.undeliverable,
		risky: catchAllIsRisky ? results.accept_all : undefined,
		unknown: catchAllIsRisky ? results.unknown : sumReported(results.unknown, results.accept_all),
	};
}

export function normalizeBouncifyJob(
	body: BouncifyStatus,
	context: BouncifyJobContext,
	options: VerdictOptions = DEFAULT_VERDICT_OPTIONS,
): NormalizedJob {
	const token = verdictToken(body.status);
	return makeNormalizedJob({
		provider: 'bouncify',
		jobId: body.job_id ?? context.jobId,
		state: JOB_STATES.get(token) ?? 'unknown',
		awaitingStart: token === 'ready' && context.autoVerify !== true,
		total: body.total,
		processed: body.verified,
		pending: body.pending,
		progressPercent: progressFrom(body.verified, body.total),
		counts: countsFrom(body.results, options),
		createdAt: toIsoDate(body.created_at),
		message: body.message,
		rawStatus: body.status,
		raw: body,
	});
}

/** The documented verdicts (§1.4), unified; any other token goes through the shared rule (§8). */
const DOCUMENTED_VERDICTS = new Set(['deliverable', 'undeliverable', 'accept_all', 'unknown']);

function bouncifyOutcome(token: string, flags: EmailFlags, options: VerdictOptions): Outcome {
	switch (token) {
		case 'deliverable':
			// A flagged trap keeps Bouncify's verdict but is called out (§6.2); safeToSend turns false.
			return flags.spamtrap === true ? { verdict: 'deliverable', reason: 'spamtrap' } : ACCEPTED;
		case 'undeliverable':
			// Bouncify gives no finer reason; mailbox_not_found is INFERRED (§6.2).
			return undeliverable(flags.syntaxError === true ? 'invalid_syntax' : 'mailbox_not_found');
		case 'accept_all':
			return catchAllOutcome(options);
		case 'unknown':
			return applyCatchAllRule(UNVERIFIABLE, { catchAll: flags.catchAll }, options);
		default:
			return categoryOutcome(categoryOf(token), { catchAll: flags.catchAll }, options);
	}
}

interface BouncifyRowFields {
	email: string;
	verdict: string;
	flags: EmailFlags;
	providerReason?: string;
	verifiedAt?: string;
	extra?: Record<string, unknown>;
	raw: unknown;
}

/** Shared by the CSV row and the single-verify body: an accept-all verdict is itself the catch-all flag. */
function bouncifyResult(fields: BouncifyRowFields, options: VerdictOptions): NormalizedEmailResult {
	const token = verdictToken(fields.verdict);
	const flags: EmailFlags =
		token === 'accept_all'
			? { ...fields.flags, catchAll: true }
			: DOCUMENTED_VERDICTS.has(token)
				? fields.flags
				: withCategoryFlag(fields.flags, categoryOf(token));
	return makeNormalizedResult({
		email: fields.email,
		outcome: bouncifyOutcome(token, flags, options),
		providerStatus: fields.verdict,
		providerReason: fields.providerReason,
		flags,
		verifiedAt: fields.verifiedAt,
		extra: fields.extra,
		raw: fields.raw,
	});
}

/** One row of the result CSV, read by header name (§1.2.4); the user's own columns land in `extra`. */
export function normalizeBouncifyCsvRow(
	row: Record<string, string>,
	csv: BouncifyCsvColumns,
	options: VerdictOptions = DEFAULT_VERDICT_OPTIONS,
): NormalizedEmailResult {
	const { columns } = csv;
	const cell = (column: string | undefined): string | undefined =>
		column === undefined ? undefined : row[column];
	// No user columns, no `extra` (an empty one is dropped by `makeNormalizedResult` anyway).
	let extra: Record<string, string> | undefined;
	if (csv.extra.length > 0) {
		extra = {};
		for (const column of csv.extra) extra[column] = row[column] ?? '';
	}
	return bouncifyResult(
		{
			email: (row[columns.email] ?? '').trim(),
			verdict: row[columns.result] ?? '',
			flags: {
				syntaxError: parseFlag(cell(columns.syntaxError)),
				// ISP = free / common-ISP mailbox; the docs swap the ISP and Role descriptions (§1.2.4, INFERRED).
				free: parseFlag(cell(columns.isp)),
				role: parseFlag(cell(columns.role)),
				disposable: parseFlag(cell(columns.disposable)),
				spamtrap: parseFlag(cell(columns.trap)),
			},
			verifiedAt: toIsoDate(cell(columns.verifiedAt)),
			extra,
			raw: row,
		},
		options,
	);
}

/** `GET /v1/verify` body (§1.2.6). */
export function normalizeBouncifySingleResult(
	body: BouncifySingle,
	options: VerdictOptions = DEFAULT_VERDICT_OPTIONS,
): NormalizedEmailResult {
	return bouncifyResult(
		{
			email: body.email.trim(),
			verdict: body.result,
			flags: {
				role: parseFlag(body.role),
				free: parseFlag(body.free_email),
				disposable: parseFlag(body.disposable),
				spamtrap: parseFlag(body.spamtrap),
				// 1 = catch-all, 0 = not; the documented 2 is unexplained and reads as not reported (§6.2).
				catchAll: parseFlag(body.accept_all),
			},
			providerReason: body.message,
			raw: body,
		},
		options,
	);
}
