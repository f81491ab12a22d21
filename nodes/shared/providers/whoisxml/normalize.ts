/**
 * WhoisXML → normalized job and results (docs/provider-apis.md §4.4, §4.5 and the §6 mapping tables). Bulk rows
 * carry a `result` token; the single v3 API carries only the checks, from which the verdict is derived.
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
import {
	categoryOf,
	categoryOutcome,
	failureReasonOf,
	withCategoryFlag,
	type Category,
} from '../../model/vocabulary';
import type { EmailFlags, NormalizedEmailResult } from '../../model/result';
import type { JobState, NormalizedJob } from '../../model/job';
import type {
	WhoisxmlCompletedRow,
	WhoisxmlFailedRow,
	WhoisxmlJob,
	WhoisxmlSingle,
} from './schemas';

/**
 * `ready` 1 → completed; 0 → queued until any address is finished, then processing (INFERRED, §6.1);
 * anything else → unknown. `processed` counts every finished address (processed + invalid + failed):
 * §6.1 maps it to `processed_emails` alone, but NormalizedJob.processed means "ok + failed" and the
 * same sum drives the progress, so both stay consistent (total 3 = processed 2 + invalid 1 when done).
 */
export function normalizeWhoisxmlJob(row: WhoisxmlJob): NormalizedJob {
	const ready = parseFlag(row.ready);
	const finished = sumReported(row.processed_emails, row.invalid_emails, row.failed_emails);
	const total = row.total_emails;
	let state: JobState = 'unknown';
	if (ready === true) state = 'completed';
	else if (ready === false) state = (finished ?? 0) > 0 ? 'processing' : 'queued';
	return makeNormalizedJob({
		provider: 'whoisxml',
		jobId: String(row.id),
		state,
		total,
		processed: finished,
		pending:
			total !== undefined && finished !== undefined ? Math.max(0, total - finished) : undefined,
		progressPercent: progressFrom(finished, total),
		counts: { invalid: row.invalid_emails, failed: row.failed_emails },
		createdAt: toIsoDate(row.date_start),
		// `date_end` appears only in the official SDK's fixtures (§4.2.3).
		updatedAt: toIsoDate(row.date_end),
		rawStatus: typeof row.ready === 'boolean' ? String(row.ready) : row.ready,
		raw: row,
	});
}

type CheckFields = Pick<
	WhoisxmlCompletedRow,
	| 'formatCheck'
	| 'smtpCheck'
	| 'dnsCheck'
	| 'freeCheck'
	| 'disposableCheck'
	| 'catchAllCheck'
	| 'mxRecords'
>;

interface Checks {
	format?: boolean;
	dns?: boolean;
	smtp?: boolean;
	catchAll?: boolean;
}

/** The verdict from the checks alone; the first rule that applies wins (§6.2 precedence). */
function outcomeFromChecks(checks: Checks, options: VerdictOptions): Outcome {
	if (checks.format === false) return undeliverable('invalid_syntax');
	if (checks.dns === false) return undeliverable('invalid_domain');
	// `false` may also mean "temporarily couldn't receive" (§4.3); the docs still call it undeliverable.
	if (checks.smtp === false) return undeliverable('smtp_rejected');
	if (checks.smtp === true) return checks.catchAll === true ? catchAllOutcome(options) : ACCEPTED;
	return UNVERIFIABLE;
}

/** The documented bulk `result` tokens (§4.5), unified; any other goes through the shared rule (§8). */
const DOCUMENTED_RESULTS = new Set(['good', 'bad', 'smtp_failed', 'unknown', '']);

/** A bulk `result` token; a row without one falls back to the checks. */
function outcomeFromResult(token: string, checks: Checks, options: VerdictOptions): Outcome {
	switch (token) {
		case 'good':
			return ACCEPTED;
		case 'bad': {
			const derived = outcomeFromChecks(checks, options);
			return derived.verdict === 'undeliverable' ? derived : undeliverable('other');
		}
		case 'smtp_failed':
			return undeliverable('smtp_rejected');
		case 'unknown':
			// WhoisXML reports catch-all domains as unknown (§4.5): the catch-all rule moves them.
			return applyCatchAllRule(
				UNVERIFIABLE,
				{ catchAll: checks.catchAll, smtpAccepted: checks.smtp },
				options,
			);
		case '':
			return outcomeFromChecks(checks, options);
		default:
			return categoryOutcome(
				categoryOf(token),
				{ catchAll: checks.catchAll, smtpAccepted: checks.smtp },
				options,
			);
	}
}

function readChecks(row: CheckFields): Checks {
	return {
		format: parseFlag(row.formatCheck),
		dns: parseFlag(row.dnsCheck),
		smtp: parseFlag(row.smtpCheck),
		catchAll: parseFlag(row.catchAllCheck),
	};
}

/** MX hosts without the null-MX `"."` entry (and blank ones). */
function mxHosts(records: readonly string[]): string[] {
	// Usually every host is kept: an exact-size copy is then smaller than one grown by push.
	return records.every(isMxHost) ? records.slice() : records.filter(isMxHost);
}

function isMxHost(host: string): boolean {
	return host !== '.' && host.trim() !== '';
}

function checksResult(
	row: CheckFields & { emailAddress: string },
	outcome: Outcome,
	providerStatus: string,
	checks: Checks,
	verifiedAt: string | undefined,
	category?: Category,
): NormalizedEmailResult {
	// `hasMx` from the MX hosts, else `false` when DNS failed (§6.2).
	const mxRecords = row.mxRecords ? mxHosts(row.mxRecords) : undefined;
	const syntaxError = checks.format === undefined ? undefined : !checks.format;
	const free = parseFlag(row.freeCheck);
	const disposable = parseFlag(row.disposableCheck);
	const { catchAll } = checks;
	const hasMx = mxRecords ? mxRecords.length > 0 : checks.dns === false ? false : undefined;
	// Unreported flags are left out (makeNormalizedResult drops any other undefined one): catch-all is
	// the one often unreported, and a literal without it is cheaper than a copy without it.
	const flags: EmailFlags = withCategoryFlag(
		catchAll === undefined
			? { syntaxError, free, disposable, hasMx }
			: { syntaxError, free, disposable, catchAll, hasMx },
		category,
	);
	return makeNormalizedResult({
		email: row.emailAddress.trim(),
		outcome,
		providerStatus,
		flags,
		mxRecords,
		verifiedAt,
		raw: row,
	});
}

/** One row of `/request/completed`. */
export function normalizeWhoisxmlCompletedRow(
	row: WhoisxmlCompletedRow,
	options: VerdictOptions = DEFAULT_VERDICT_OPTIONS,
): NormalizedEmailResult {
	const checks = readChecks(row);
	const token = verdictToken(row.result);
	return checksResult(
		row,
		outcomeFromResult(token, checks, options),
		row.result ?? '',
		checks,
		undefined,
		DOCUMENTED_RESULTS.has(token) ? undefined : categoryOf(token),
	);
}

/**
 * One row of `/request/failed`. These rows have no status token, so `providerStatus` is `failed`
 * (the endpoint's name); the error text says why (§6.2: format errors are undeliverable, and so is
 * an error the shared rule reads as a syntax failure, §8).
 */
export function normalizeWhoisxmlFailedRow(row: WhoisxmlFailedRow): NormalizedEmailResult {
	const badFormat =
		/format/i.test(row.error ?? '') || failureReasonOf(row.error) === 'invalid_syntax';
	return makeNormalizedResult({
		email: row.emailAddress.trim(),
		outcome: badFormat
			? undeliverable('invalid_syntax')
			: { verdict: 'unknown', reason: 'processing_failed' },
		providerStatus: 'failed',
		providerReason: row.error,
		flags: { syntaxError: badFormat ? true : undefined },
		raw: row,
	});
}

/**
 * The single v3 body. It has no verdict token, so `providerStatus` is empty and the verdict comes from
 * the checks; `verifiedAt` is when WhoisXML last refreshed its cached data (`audit`).
 */
export function normalizeWhoisxmlSingleResult(
	body: WhoisxmlSingle,
	options: VerdictOptions = DEFAULT_VERDICT_OPTIONS,
): NormalizedEmailResult {
	const checks = readChecks(body);
	const verifiedAt = toIsoDate(body.audit?.auditUpdatedDate ?? body.audit?.auditCreatedDate);
	return checksResult(body, outcomeFromChecks(checks, options), '', checks, verifiedAt);
}
