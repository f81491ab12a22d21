/**
 * Dependency-free RFC 4180 CSV: reading uploads and provider downloads (Bouncify, SimpleCold), writing
 * results for spreadsheets. Parsing is one pass over the string with `charCodeAt`/`indexOf`, no regex per
 * character, so half a million rows (Bouncify's list limit, providers.md §1.1) parse in well under a second.
 * Only the header-row schema (`requiredColumnsSchema`) uses zod, for the provider schemas.
 */
import { z } from 'zod';

import type { NormalizedEmailResult, ProviderName } from './providers/types';

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;
const BOM = 0xfeff;

interface ParsedCsv {
	headers: string[];
	rows: Array<Record<string, string>>;
	/**
	 * False when the text looks cut off: a quote left open at the end, or a last record shorter than
	 * the header (a download truncated in transit). Lenient parsing still returns what was read.
	 */
	complete: boolean;
}

interface ParseCsvOptions {
	/** The first record names the columns (default). */
	header?: boolean;
	/** Names for a header-less file's columns; unnamed ones become `column_<n>`, 1-based. */
	columns?: string[];
}

/**
 * Records as arrays of fields. Quoted fields may hold commas, CR/LF and `""`; a leading BOM, CRLF or LF
 * line ends and a final newline are accepted; blank lines are skipped (an address list has no empty
 * records). Malformed input never throws: an unclosed quote runs to the end, text after a closing
 * quote is kept literally.
 */
function parseRecords(text: string): { records: string[][]; unclosedQuote: boolean } {
	const records: string[][] = [];
	let unclosedQuote = false;
	const length = text.length;
	let index = text.charCodeAt(0) === BOM ? 1 : 0;
	while (index < length) {
		const first = text.charCodeAt(index);
		if (first === CR || first === LF) {
			index += first === CR && text.charCodeAt(index + 1) === LF ? 2 : 1;
			continue;
		}
		const record: string[] = [];
		for (;;) {
			let value = '';
			if (text.charCodeAt(index) === QUOTE) {
				let start = index + 1;
				for (;;) {
					const close = text.indexOf('"', start);
					if (close === -1) {
						value += text.slice(start);
						index = length;
						unclosedQuote = true;
						break;
					}
					if (text.charCodeAt(close + 1) === QUOTE) {
						value += text.slice(start, close + 1);
						start = close + 2;
						continue;
					}
					value += text.slice(start, close);
					index = close + 1;
					break;
				}
			}
			const runStart = index;
			while (index < length) {
				const code = text.charCodeAt(index);
				if (code === COMMA || code === CR || code === LF) break;
				index++;
			}
			if (index > runStart) value += text.slice(runStart, index);
			record.push(value);
			if (text.charCodeAt(index) !== COMMA) break;
			index++;
		}
		if (text.charCodeAt(index) === CR) index++;
		if (text.charCodeAt(index) === LF) index++;
		records.push(record);
	}
	return { records, unclosedQuote };
}

/** Blank names become `column_<n>`, repeated names get `_2`, `_3`, … so no value overwrites another. */
function addHeader(headers: string[], taken: Set<string>, name: string): void {
	const base = name === '' ? `column_${headers.length + 1}` : name;
	let unique = base;
	for (let suffix = 2; taken.has(unique); suffix++) unique = `${base}_${suffix}`;
	taken.add(unique);
	headers.push(unique);
}

/** `row[key] = value`, except that a column named `__proto__` becomes a field, not the row's prototype. */
function setField(row: Record<string, string>, key: string, value: string): void {
	if (key === '__proto__') {
		Object.defineProperty(row, key, { value, enumerable: true, writable: true, configurable: true });
	} else {
		row[key] = value;
	}
}

/**
 * Parses CSV text into named rows. Fields a short record lacks are `''`; fields beyond the header get
 * `column_<n>` names (appended to `headers`) rather than being dropped.
 */
export function parseCsv(text: string, options: ParseCsvOptions = {}): ParsedCsv {
	const { records, unclosedQuote } = parseRecords(text);
	const withHeader = options.header ?? true;
	const headerLength = withHeader ? (records[0]?.length ?? 0) : 0;
	const lastRecord = records[records.length - 1];
	const complete = !unclosedQuote && (records.length <= 1 || lastRecord.length >= headerLength);
	const headers: string[] = [];
	const taken = new Set<string>();
	for (const name of withHeader ? (records[0] ?? []) : (options.columns ?? [])) addHeader(headers, taken, name);
	const rows: Array<Record<string, string>> = [];
	for (let recordIndex = withHeader ? 1 : 0; recordIndex < records.length; recordIndex++) {
		const record = records[recordIndex];
		while (headers.length < record.length) addHeader(headers, taken, '');
		const row: Record<string, string> = {};
		for (let column = 0; column < headers.length; column++) setField(row, headers[column], record[column] ?? '');
		rows.push(row);
	}
	return { headers, rows, complete };
}

/** Header comparison key: case, spaces, `_` and `-` ignored (`Verified At` ≡ `verified_at` ≡ `verifiedAt`). */
export function headerKey(name: string): string {
	return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/** The actual header matching the first of the wanted names that is present. */
export function findColumn(headers: readonly string[], wanted: string | readonly string[]): string | undefined {
	const keys = headers.map(headerKey);
	for (const name of typeof wanted === 'string' ? [wanted] : wanted) {
		const position = keys.indexOf(headerKey(name));
		if (position !== -1) return headers[position];
	}
	return undefined;
}

interface ColumnMap<Field extends string> {
	/** Known field → the header that holds it. */
	columns: Partial<Record<Field, string>>;
	/** Headers that are not known fields (the user's own columns), in file order. */
	extra: string[];
}

/** Resolves known fields by header name once per file, never by position (§1.2.4). */
export function mapColumns<Field extends string>(
	headers: readonly string[],
	aliases: Readonly<Record<Field, readonly string[]>>,
): ColumnMap<Field> {
	const columns: Partial<Record<Field, string>> = {};
	const known = new Set<string>();
	for (const field of Object.keys(aliases) as Field[]) {
		const header = findColumn(headers, aliases[field]);
		if (header !== undefined) {
			columns[field] = header;
			known.add(header);
		}
	}
	return { columns, extra: headers.filter((header) => !known.has(header)) };
}

/** A `ColumnMap` in which the `Required` fields are known to be present (exported: the provider schemas' declarations name it). */
export interface RequiredColumnMap<Field extends string, Required extends Field> extends ColumnMap<Field> {
	columns: ColumnMap<Field>['columns'] & Record<Required, string>;
}

/**
 * A header row (CSV headers or JSON row keys) → `mapColumns`, failing unless every `required` field is
 * present: the issue's path is the first missing field's display name (its first alias), its message
 * `describeMissing(name, the headers joined by ", " or "none")`.
 */
export function requiredColumnsSchema<Field extends string, Required extends Field>(
	aliases: Readonly<Record<Field, readonly string[]>>,
	required: readonly Required[],
	describeMissing: (name: string, headers: string) => string,
) {
	return z.array(z.string()).transform((headers, context): RequiredColumnMap<Field, Required> => {
		const map = mapColumns(headers, aliases);
		const missing = required.find((field) => map.columns[field] === undefined);
		if (missing !== undefined) {
			const name = aliases[missing][0] ?? missing;
			context.addIssue({
				code: z.ZodIssueCode.custom,
				path: [name],
				message: describeMissing(name, headers.join(', ') || 'none'),
			});
			return z.NEVER;
		}
		// Every required field was just found.
		return map as RequiredColumnMap<Field, Required>;
	});
}

/** All keys of the rows, in first-seen order: the header line for rows whose keys differ. */
export function collectHeaders(rows: ReadonlyArray<Record<string, unknown>>): string[] {
	const headers = new Set<string>();
	for (const row of rows) for (const key of Object.keys(row)) headers.add(key);
	return [...headers];
}

interface ToCsvOptions {
	/**
	 * Prefix cells starting with `=`, `+`, `-`, `@`, tab or CR with `'` so spreadsheets show them as text
	 * instead of running them as formulas (CSV injection). Default on: result files go to spreadsheets.
	 */
	formulaGuard?: boolean;
}

/** `=`, `+`, `-`, `@`, tab, CR. */
const FORMULA_TRIGGERS = new Set([61, 43, 45, 64, 9, 13]);
const QUOTE_TRIGGERS = /[",\r\n]/;

function isSpace(code: number): boolean {
	return code === 32 || code === 9 || code === 160;
}

function cellText(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'object') return JSON.stringify(value);
	return String(value);
}

function encodeCell(value: unknown, formulaGuard: boolean): string {
	let text = cellText(value);
	if (text === '') return text;
	if (formulaGuard && FORMULA_TRIGGERS.has(text.charCodeAt(0))) text = `'${text}`;
	const needsQuotes =
		QUOTE_TRIGGERS.test(text) || isSpace(text.charCodeAt(0)) || isSpace(text.charCodeAt(text.length - 1));
	return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text with CRLF line ends and a final CRLF; missing values are empty cells, objects are JSON. */
export function toCsv(
	headers: readonly string[],
	rows: ReadonlyArray<Record<string, unknown>>,
	options: ToCsvOptions = {},
): string {
	const formulaGuard = options.formulaGuard ?? true;
	const lines = [headers.map((header) => encodeCell(header, formulaGuard)).join(',')];
	for (const row of rows) {
		let line = '';
		for (let column = 0; column < headers.length; column++) {
			line += (column === 0 ? '' : ',') + encodeCell(row[headers[column]], formulaGuard);
		}
		lines.push(line);
	}
	return `${lines.join('\r\n')}\r\n`;
}

interface ResultCsvContext {
	provider?: ProviderName;
	jobId?: string;
}

/** `raw_<key>` names, cached: a result file repeats the same few keys on every row. */
const rawColumnNames = new Map<string, string>();
function rawColumn(key: string): string {
	let name = rawColumnNames.get(key);
	if (name === undefined) {
		name = `raw_${key}`;
		if (rawColumnNames.size < 1_000) rawColumnNames.set(key, name);
	}
	return name;
}

function booleanText(value: boolean | undefined): string {
	return value === undefined ? '' : String(value);
}

/**
 * One flat row per result: the normalized columns (always present, `''` when not reported; flags as
 * `flag_<name>`; MX hosts joined by `;`), then `provider`/`jobId` when given, then every scalar field
 * of the provider's raw row as `raw_<key>` (which carries the user's own upload columns too).
 */
export function flattenResultForCsv(
	result: NormalizedEmailResult,
	context: ResultCsvContext = {},
): Record<string, string> {
	const { flags } = result;
	const flat: Record<string, string> = {
		email: result.email,
		verdict: result.verdict,
		reason: result.reason ?? '',
		providerStatus: result.providerStatus,
		providerReason: result.providerReason ?? '',
		safeToSend: booleanText(result.safeToSend),
		risk: result.risk ?? '',
		flag_role: booleanText(flags.role),
		flag_free: booleanText(flags.free),
		flag_disposable: booleanText(flags.disposable),
		flag_catchAll: booleanText(flags.catchAll),
		flag_syntaxError: booleanText(flags.syntaxError),
		flag_spamtrap: booleanText(flags.spamtrap),
		flag_hasMx: booleanText(flags.hasMx),
		mxRecords: (result.mxRecords ?? []).join(';'),
		emailProvider: result.emailProvider ?? '',
		verifiedAt: result.verifiedAt ?? '',
	};
	if (context.provider !== undefined) flat.provider = context.provider;
	if (context.jobId !== undefined) flat.jobId = context.jobId;
	const raw = result.raw;
	if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
		for (const [key, value] of Object.entries(raw)) {
			if (value === null) flat[rawColumn(key)] = '';
			else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
				flat[rawColumn(key)] = String(value);
			}
		}
	}
	return flat;
}
