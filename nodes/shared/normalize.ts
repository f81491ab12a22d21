/**
 * Pure helpers shared by every provider's schemas and normalizers (providers.md §6): value parsing,
 * the lenient zod primitives, the catch-all rule, builders for the normalized job and result, and the
 * address checks run before a job is paid for.
 */
import { z } from 'zod';

import type {
	EmailFlags,
	JobCounts,
	JobState,
	NormalizedEmailResult,
	NormalizedJob,
	Reason,
	Verdict,
} from './providers/types';
import { TERMINAL_JOB_STATES } from './providers/types';

// ---------------------------------------------------------------------------------------------------
// Value parsing

const FLAG_TRUE = new Set(['true', '1', 'y', 'yes']);
const FLAG_FALSE = new Set(['false', '0', 'n', 'no']);

/**
 * A provider's boolean in any of its spellings (§6.2): `true`/`"true"`, `1`/`"1"`, `"Y"`, `"yes"`.
 * Anything else (`null`, `"null"`, `""`, Bouncify's undocumented `accept_all: 2`) is "not reported".
 */
export function parseFlag(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
	if (typeof value !== 'string') return undefined;
	const token = value.trim().toLowerCase();
	if (FLAG_TRUE.has(token)) return true;
	if (FLAG_FALSE.has(token)) return false;
	return undefined;
}

/** Lower-cased with `_`, `-` and spaces unified to `_`, so `Accept-All` ≡ `accept all` ≡ `accept_all` (§6.2). */
export function verdictToken(value: unknown): string {
	if (value === null || value === undefined) return '';
	return String(value).trim().toLowerCase().replace(/[\s_-]+/g, '_');
}

/** A trimmed, non-empty string (numbers are stringified), else undefined. */
export function scalarText(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	return text === '' ? undefined : text;
}

/** The first argument that is a non-empty string; used to pick an error text out of an envelope. */
export function firstText(...values: unknown[]): string | undefined {
	for (const value of values) {
		const text = typeof value === 'string' ? value.trim() : '';
		if (text !== '') return text;
	}
	return undefined;
}

/** A JSON object, or a string holding one (error bodies of text endpoints arrive unparsed), else undefined. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
	let candidate = value;
	if (typeof candidate === 'string') {
		const text = candidate.trim();
		if (!text.startsWith('{')) return undefined;
		try {
			candidate = JSON.parse(text);
		} catch {
			return undefined;
		}
	}
	return typeof candidate === 'object' && candidate !== null && !Array.isArray(candidate)
		? (candidate as Record<string, unknown>)
		: undefined;
}

/**
 * A provider's `extractErrorMessage`: reads a body, or the JSON object a string holds, with `schema`,
 * which knows the provider's envelope and yields its error text (undefined for a body that reports
 * success). A body the schema does not fit has no error text either.
 */
export function errorMessageReader(
	schema: z.ZodType<string | undefined, z.ZodTypeDef, unknown>,
): (body: unknown) => string | undefined {
	return (body) => {
		const parsed = schema.safeParse(asRecord(body));
		return parsed.success ? parsed.data : undefined;
	};
}

const UNIX_SECONDS = /^\d{1,12}$/;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;
/** WhoisXML audit dates: `2023-10-17 06:24:50.012 UTC` (§4.3). */
const SPACED_UTC = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) UTC$/i;

function isoFromUnixSeconds(seconds: number): string | undefined {
	if (!(seconds > 0)) return undefined;
	const date = new Date(seconds * 1000);
	return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/**
 * ISO 8601 (UTC) for values whose instant is certain: ISO strings with a zone, `… UTC` strings, and
 * Unix seconds as number or digit string (WhoisXML `date_start`). Anything else comes back as the
 * provider's own (trimmed) string. That includes Bouncify's `"08/13/2021, 9:39:37 AM"`: it carries no
 * zone (§1.2.2), and a guessed zone, or an offset-less ISO string that readers parse in the server's
 * local time, would look exact while being hours off, so the raw text is kept (types.ts allows it).
 */
export function toIsoDate(value: unknown): string | undefined {
	if (typeof value === 'number') {
		return Number.isFinite(value) ? (isoFromUnixSeconds(value) ?? String(value)) : undefined;
	}
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (text === '') return undefined;
	if (UNIX_SECONDS.test(text)) return isoFromUnixSeconds(Number(text)) ?? text;
	const spaced = SPACED_UTC.exec(text);
	const withZone = spaced ? `${spaced[1]}T${spaced[2]}Z` : ISO_WITH_ZONE.test(text) ? text : undefined;
	if (withZone !== undefined) {
		const milliseconds = Date.parse(withZone);
		if (!Number.isNaN(milliseconds)) return new Date(milliseconds).toISOString();
	}
	return text;
}

/** Whole percent in 0..100, rounded down so that 100 only ever means "all done". */
export function clampPercent(value: number | undefined): number | undefined {
	if (value === undefined || !Number.isFinite(value)) return undefined;
	return Math.min(100, Math.max(0, Math.floor(value)));
}

/** Percent done from counters; undefined when either is unknown or the total is zero. */
export function progressFrom(processed: number | undefined, total: number | undefined): number | undefined {
	if (processed === undefined || total === undefined || !(total > 0)) return undefined;
	return clampPercent((processed / total) * 100);
}

export function isTerminalState(state: JobState): boolean {
	return TERMINAL_JOB_STATES.includes(state);
}

// ---------------------------------------------------------------------------------------------------
// Lenient zod primitives for the provider schemas. They accept the loose encodings the docs show and
// only rewrite what loses nothing: numeric strings become numbers and `null`/`""` become "absent".
// Flags and checks are kept as sent (see `optionalScalar`), so `raw`, which is the validated body,
// still shows an undocumented value such as Bouncify's `accept_all: 2`.

const NUMERIC_STRING = /^\s*-?\d+(?:\.\d+)?\s*$/;

function numericStringToNumber(value: unknown): unknown {
	return typeof value === 'string' && NUMERIC_STRING.test(value) ? Number(value) : value;
}

function blankToUndefined(value: unknown): unknown {
	return value === null || value === '' ? undefined : numericStringToNumber(value);
}

/** A number that may arrive as a numeric string. */
export const lenientNumber = z.preprocess(numericStringToNumber, z.number());
/** As `lenientNumber`; missing, `null` or `""` mean "not reported" (never zero). */
export const optionalNumber = z.preprocess(blankToUndefined, z.number().optional());
/** A string; `null` reads as absent. */
export const optionalString = z
	.string()
	.nullish()
	.transform((value) => value ?? undefined);
/** A flag or check in any encoding (`true`, `"true"`, `1`, `"Y"`, `"null"`, `null`); read it with `parseFlag`. */
export const optionalScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]).optional();

// ---------------------------------------------------------------------------------------------------
// Verdicts and the catch-all rule

export interface Outcome {
	verdict: Verdict;
	reason: Reason;
}

export const ACCEPTED: Outcome = { verdict: 'deliverable', reason: 'accepted' };
export const UNVERIFIABLE: Outcome = { verdict: 'unknown', reason: 'unverifiable' };
/** A token outside the provider's known vocabulary: never a throw, the raw token stays in `providerStatus`. */
export const UNRECOGNIZED: Outcome = { verdict: 'unknown', reason: 'other' };

export function undeliverable(reason: Reason): Outcome {
	return { verdict: 'undeliverable', reason };
}

export interface VerdictOptions {
	/**
	 * The catch-all rule (§6.2), on by default: an address on a domain that accepts any mailbox is
	 * `risky`. Off, such addresses are `unknown` (still with reason `catch_all`), as WhoisXML reports them.
	 */
	catchAllAsRisky?: boolean;
}

/** The outcome for a native accept-all / catch-all verdict. */
export function catchAllOutcome(options: VerdictOptions = {}): Outcome {
	return { verdict: options.catchAllAsRisky === false ? 'unknown' : 'risky', reason: 'catch_all' };
}

/**
 * Upgrades a native `unknown` on a catch-all domain whose SMTP check did not fail, so that WhoisXML's
 * `unknown` + catchAllCheck and Bouncify's `accept-all` land in the same bucket (§6.2).
 */
export function applyCatchAllRule(
	outcome: Outcome,
	evidence: { catchAll?: boolean; smtpAccepted?: boolean },
	options: VerdictOptions = {},
): Outcome {
	const upgrade = outcome.verdict === 'unknown' && evidence.catchAll === true && evidence.smtpAccepted !== false;
	return upgrade ? catchAllOutcome(options) : outcome;
}

// ---------------------------------------------------------------------------------------------------
// Builders

/** A copy without the keys whose value is undefined, so items and JSON show only what was reported. */
export function withoutUndefined<T extends object>(value: T): T {
	const copy: Record<string, unknown> = {};
	for (const key of Object.keys(value)) {
		const entry = (value as Record<string, unknown>)[key];
		if (entry !== undefined) copy[key] = entry;
	}
	return copy as T;
}

/** The sum of the counters that are reported; undefined when none is. */
export function sumReported(...values: Array<number | undefined>): number | undefined {
	let total: number | undefined;
	for (const value of values) {
		if (value !== undefined) total = (total ?? 0) + value;
	}
	return total;
}

type NormalizedJobFields = Omit<
	NormalizedJob,
	'isTerminal' | 'awaitingStart' | 'cancelRequested' | 'resultsAvailable'
> &
	Partial<Pick<NormalizedJob, 'awaitingStart' | 'cancelRequested' | 'resultsAvailable'>>;

/** Fills the derived job fields: terminal flag, results availability, 100% once completed, empty counts dropped. */
export function makeNormalizedJob(fields: NormalizedJobFields): NormalizedJob {
	const counts = fields.counts === undefined ? undefined : withoutUndefined<JobCounts>(fields.counts);
	return withoutUndefined<NormalizedJob>({
		...fields,
		isTerminal: isTerminalState(fields.state),
		awaitingStart: fields.awaitingStart ?? false,
		cancelRequested: fields.cancelRequested ?? false,
		resultsAvailable: fields.resultsAvailable ?? fields.state === 'completed',
		progressPercent: fields.state === 'completed' ? 100 : fields.progressPercent,
		counts: counts !== undefined && Object.keys(counts).length > 0 ? counts : undefined,
	});
}

type NormalizedResultFields = Omit<NormalizedEmailResult, 'verdict' | 'reason'> & { outcome: Outcome };

/**
 * Builds a result. `safeToSend` is the provider's own value when it reports one, else derived: a
 * deliverable verdict that is not a flagged spam trap (§6.2 derives it from the verdict alone, but a
 * Bouncify `deliverable` row with Trap=Y keeps its verdict and must still not be called safe).
 */
export function makeNormalizedResult({ outcome, flags, extra, ...fields }: NormalizedResultFields): NormalizedEmailResult {
	const reportedFlags = withoutUndefined<EmailFlags>(flags);
	return withoutUndefined<NormalizedEmailResult>({
		email: fields.email,
		verdict: outcome.verdict,
		reason: outcome.reason,
		providerStatus: fields.providerStatus,
		providerReason: fields.providerReason,
		safeToSend: fields.safeToSend ?? (outcome.verdict === 'deliverable' && reportedFlags.spamtrap !== true),
		risk: fields.risk,
		flags: reportedFlags,
		mxRecords: fields.mxRecords,
		emailProvider: fields.emailProvider,
		verifiedAt: fields.verifiedAt,
		extra: extra !== undefined && Object.keys(extra).length > 0 ? extra : undefined,
		raw: fields.raw,
	});
}

// ---------------------------------------------------------------------------------------------------
// Input addresses

/** RFC 5322 dot-atom characters, plus any non-ASCII (RFC 6531 internationalized addresses). */
const LOCAL_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+$/;
const DOMAIN_LABEL = /^[A-Za-z0-9\u0080-\uFFFF](?:[A-Za-z0-9\u0080-\uFFFF-]*[A-Za-z0-9\u0080-\uFFFF])?$/;
const WHITESPACE = /\s/;
const DIGITS_ONLY = /^\d+$/;

/**
 * A pragmatic check run before a job is paid for: one `@`; a local part of 1..64 dot-atom characters
 * without leading, trailing or doubled dots; a domain of at least two labels (1..63 chars, letters,
 * digits and inner hyphens, a non-numeric top label); at most 254 characters; no whitespace. Quoted
 * local parts and IP-literal domains are refused: no bulk list needs them.
 */
export function isSyntacticallyValidEmail(value: string): boolean {
	if (typeof value !== 'string' || value.length > 254 || WHITESPACE.test(value)) return false;
	const at = value.indexOf('@');
	if (at <= 0 || at !== value.lastIndexOf('@')) return false;
	const local = value.slice(0, at);
	const domain = value.slice(at + 1);
	if (local.length > 64 || !local.split('.').every((atom) => LOCAL_ATOM.test(atom))) return false;
	const labels = domain.split('.');
	return (
		domain.length <= 253 &&
		labels.length >= 2 &&
		labels.every((label) => label.length <= 63 && DOMAIN_LABEL.test(label)) &&
		!DIGITS_ONLY.test(labels[labels.length - 1])
	);
}

/** The form used to de-duplicate addresses: trimmed and lower-cased. */
export function canonicalEmail(value: string): string {
	return value.trim().toLowerCase();
}
