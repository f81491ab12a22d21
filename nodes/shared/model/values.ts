/**
 * Reading providers' loose values: flags in any spelling, status tokens, texts, dates and counters.
 * Pure and provider-neutral; every adapter's normalizer reads its fields with these.
 */

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
		token = text
			.trim()
			.toLowerCase()
			.replace(/[\s_-]+/g, '_');
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
	const withZone = spaced
		? `${spaced[1]}T${spaced[2]}Z`
		: ISO_WITH_ZONE.test(text)
			? text
			: undefined;
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
		if (separator !== 0 ? code !== separator : code < 48 || code > 57) return false;
	}
	const month = digitsAt(text, 5, 2);
	const day = digitsAt(text, 8, 2);
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(digitsAt(text, 0, 4), month))
		return false;
	return digitsAt(text, 11, 2) < 24 && digitsAt(text, 14, 2) < 60 && digitsAt(text, 17, 2) < 60;
}

/** The number the `count` digits of `text` at `from` write. */
function digitsAt(text: string, from: number, count: number): number {
	let value = 0;
	for (let index = from; index < from + count; index++)
		value = value * 10 + text.charCodeAt(index) - 48;
	return value;
}

/** The `-`, `T`, `:` and `.` of `YYYY-MM-DDTHH:mm:ss.sss` at their positions; 0 where a digit goes. */
const ISO_SEPARATORS = Uint8Array.from('0000-00-00T00:00:00.000', (character) =>
	character === '0' ? 0 : character.charCodeAt(0),
);

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
export function progressFrom(
	processed: number | undefined,
	total: number | undefined,
): number | undefined {
	if (processed === undefined || total === undefined || !(total > 0)) return undefined;
	return clampPercent((processed / total) * 100);
}

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
