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
	// The spellings that fill big downloads, answered without trimming and lower-casing a copy.
	if (value === 'true' || value === 'Y') return true;
	if (value === 'false' || value === 'N') return false;
	const token = value.trim().toLowerCase();
	if (FLAG_TRUE.has(token)) return true;
	if (FLAG_FALSE.has(token)) return false;
	return undefined;
}

/** Lower-cased with `_`, `-` and spaces unified to `_`, so `Accept-All` ≡ `accept all` ≡ `accept_all` (§6.2). */
export function verdictToken(value: unknown): string {
	if (value === null || value === undefined) return '';
	const text = String(value);
	let token = verdictTokens.get(text);
	if (token === undefined) {
		token = text.trim().toLowerCase().replace(/[\s_-]+/g, '_');
		// A provider's vocabulary is a handful of words; the cap keeps odd input from growing the cache.
		if (verdictTokens.size < 256 && text.length <= 64) verdictTokens.set(text, token);
	}
	return token;
}

/** Provider status text → token, so a 500,000-row download runs the regex once per distinct word. */
const verdictTokens = new Map<string, string>();

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
	// Already what this returns (every download row of some providers carries one): skip the round trip.
	if (isCanonicalIsoDate(text)) return text;
	if (UNIX_SECONDS.test(text)) return isoFromUnixSeconds(Number(text)) ?? text;
	const spaced = SPACED_UTC.exec(text);
	const withZone = spaced ? `${spaced[1]}T${spaced[2]}Z` : ISO_WITH_ZONE.test(text) ? text : undefined;
	if (withZone !== undefined) {
		const milliseconds = Date.parse(withZone);
		if (!Number.isNaN(milliseconds)) return new Date(milliseconds).toISOString();
	}
	return text;
}

/**
 * `YYYY-MM-DDTHH:mm:ss.sssZ` with a real date and time: exactly the strings `toISOString` writes, for
 * which the parse and format round trip above gives the text back. (`Date.parse` alone would not
 * do as a check: it takes 24:00 and rolls February 30 over into March.)
 */
function isCanonicalIsoDate(text: string): boolean {
	if (text.length !== 24 || text.charCodeAt(23) !== 90 /* Z */) return false;
	for (let index = 0; index < 23; index++) {
		const code = text.charCodeAt(index);
		const separator = ISO_SEPARATORS[index];
		if (separator !== undefined ? code !== separator : code < 48 || code > 57) return false;
	}
	const number = (from: number, digits: number): number => {
		let value = 0;
		for (let index = from; index < from + digits; index++) value = value * 10 + text.charCodeAt(index) - 48;
		return value;
	};
	const month = number(5, 2);
	const day = number(8, 2);
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(number(0, 4), month)) return false;
	return number(11, 2) < 24 && number(14, 2) < 60 && number(17, 2) < 60;
}

/** Positions of `-`, `T`, `:` and `.` in `YYYY-MM-DDTHH:mm:ss.sss`. */
const ISO_SEPARATORS: Record<number, number> = { 4: 45, 7: 45, 10: 84, 13: 58, 16: 58, 19: 46 };

function daysInMonth(year: number, month: number): number {
	if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
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
	let outcome = undeliverableOutcomes.get(reason);
	if (outcome === undefined) {
		outcome = { verdict: 'undeliverable', reason };
		undeliverableOutcomes.set(reason, outcome);
	}
	return outcome;
}

/** One shared outcome per reason (like ACCEPTED): outcomes are only read, and rows are many. */
const undeliverableOutcomes = new Map<Reason, Outcome>();

/** The default verdict options, shared (normalizers run once per row of big downloads). */
export const DEFAULT_VERDICT_OPTIONS: VerdictOptions = Object.freeze({});

export interface VerdictOptions {
	/**
	 * The catch-all rule (§6.2), on by default: an address on a domain that accepts any mailbox is
	 * `risky`. Off, such addresses are `unknown` (still with reason `catch_all`), as WhoisXML reports them.
	 */
	catchAllAsRisky?: boolean;
}

/** The outcome for a native accept-all / catch-all verdict. */
export function catchAllOutcome(options: VerdictOptions = DEFAULT_VERDICT_OPTIONS): Outcome {
	return options.catchAllAsRisky === false ? CATCH_ALL_UNKNOWN : CATCH_ALL_RISKY;
}

const CATCH_ALL_RISKY: Outcome = { verdict: 'risky', reason: 'catch_all' };
const CATCH_ALL_UNKNOWN: Outcome = { verdict: 'unknown', reason: 'catch_all' };

/**
 * Upgrades a native `unknown` on a catch-all domain whose SMTP check did not fail, so that WhoisXML's
 * `unknown` + catchAllCheck and Bouncify's `accept-all` land in the same bucket (§6.2).
 */
export function applyCatchAllRule(
	outcome: Outcome,
	evidence: { catchAll?: boolean; smtpAccepted?: boolean },
	options: VerdictOptions = DEFAULT_VERDICT_OPTIONS,
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
export function makeNormalizedResult(fields: NormalizedResultFields): NormalizedEmailResult {
	const { outcome, email, providerStatus, raw } = fields;
	// Normalizers build a fresh flags object per result: it is kept as is unless a flag is undefined.
	const flags = hasUndefined(fields.flags) ? withoutUndefined<EmailFlags>(fields.flags) : fields.flags;
	const safeToSend = fields.safeToSend ?? (outcome.verdict === 'deliverable' && flags.spamtrap !== true);
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

// ---------------------------------------------------------------------------------------------------
// Input addresses

/** RFC 5322 dot-atom characters, plus any non-ASCII (RFC 6531 internationalized addresses). */
const ATOM_CHAR = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\u0080-\\uFFFF-]";
/** Atoms joined by single dots: no leading, trailing or doubled dot. */
const LOCAL_PART = new RegExp(`^${ATOM_CHAR}+(?:\\.${ATOM_CHAR}+)*$`);
/** A label of 1..63 letters, digits and inner hyphens. */
const LABEL = '[A-Za-z0-9\\u0080-\\uFFFF](?:[A-Za-z0-9\\u0080-\\uFFFF-]{0,61}[A-Za-z0-9\\u0080-\\uFFFF])?';
/** Two labels or more, the last not all digits. */
const DOMAIN = new RegExp(`^(?:${LABEL}\\.)+(?!\\d+$)${LABEL}$`);
const WHITESPACE = /\s/;

/**
 * A pragmatic check run before a job is paid for: one `@`; a local part of 1..64 dot-atom characters
 * without leading, trailing or doubled dots; a domain of at least two labels (1..63 chars, letters,
 * digits and inner hyphens, a non-numeric top label); at most 254 characters; no whitespace. Quoted
 * local parts and IP-literal domains are refused: no bulk list needs them. (One pattern per part,
 * rather than splitting into atoms and labels: 100,000 addresses go through here at once.)
 */
export function isSyntacticallyValidEmail(value: string): boolean {
	if (typeof value !== 'string' || value.length > 254 || WHITESPACE.test(value)) return false;
	const at = value.indexOf('@');
	if (at <= 0 || at > 64 || at !== value.lastIndexOf('@')) return false;
	const domain = value.slice(at + 1);
	return domain.length <= 253 && LOCAL_PART.test(value.slice(0, at)) && DOMAIN.test(domain);
}

/** The form used to de-duplicate addresses: trimmed and lower-cased. */
export function canonicalEmail(value: string): string {
	return value.trim().toLowerCase();
}
