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

type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

interface DecodedCsv {
	text: string;
	encoding: CsvEncoding;
	/**
	 * True when the characters above ASCII may be wrong: the file is not valid in any encoding it can be
	 * recognised by (read as windows-1252, the usual legacy code page), or breaks the one its BOM or byte
	 * pattern names (what could not be read became U+FFFD).
	 */
	uncertain: boolean;
}

/** Code units checked for the NUL bytes of BOM-less UTF-16: enough for the first lines. */
const UTF16_SAMPLE_UNITS = 4_096;

/**
 * An uploaded file's bytes as text. A UTF-8 or UTF-16 BOM is followed; BOM-less UTF-16 is recognised
 * by its NUL bytes (an ASCII character has one, always on the same side); valid UTF-8 is UTF-8; any
 * other bytes are read as windows-1252, flagged uncertain since a legacy code page cannot be known.
 */
export function decodeCsvBytes(bytes: Uint8Array): DecodedCsv {
	const declared = bomEncoding(bytes) ?? utf16ByNulBytes(bytes);
	if (declared !== undefined) {
		const text = decodeStrictly(declared, bytes);
		return text !== undefined
			? { text, encoding: declared, uncertain: false }
			: { text: new TextDecoder(declared).decode(bytes), encoding: declared, uncertain: true };
	}
	const utf8 = decodeStrictly('utf-8', bytes);
	if (utf8 !== undefined) return { text: utf8, encoding: 'utf-8', uncertain: false };
	return { text: decodeWindows1252(bytes), encoding: 'windows-1252', uncertain: true };
}

function bomEncoding(bytes: Uint8Array): CsvEncoding | undefined {
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
	return undefined;
}

/** UTF-16 when most sampled code units have a NUL on one side and hardly any on the other. */
function utf16ByNulBytes(bytes: Uint8Array): CsvEncoding | undefined {
	const units = Math.min(bytes.length >> 1, UTF16_SAMPLE_UNITS);
	if (units === 0) return undefined;
	let nulSecond = 0;
	let nulFirst = 0;
	for (let unit = 0; unit < units; unit++) {
		const first = bytes[2 * unit];
		const second = bytes[2 * unit + 1];
		if (first !== 0 && second === 0) nulSecond++;
		else if (first === 0 && second !== 0) nulFirst++;
	}
	if (nulSecond * 2 >= units && nulFirst * 8 <= nulSecond) return 'utf-16le';
	if (nulFirst * 2 >= units && nulSecond * 8 <= nulFirst) return 'utf-16be';
	return undefined;
}

/** The text, or undefined when the bytes are not valid in `encoding`. (The decoder drops a matching BOM.) */
function decodeStrictly(encoding: CsvEncoding, bytes: Uint8Array): string | undefined {
	try {
		return new TextDecoder(encoding, { fatal: true }).decode(bytes);
	} catch {
		return undefined;
	}
}

/** What windows-1252 gives for 0x80–0x9F, in order (WHATWG table: 0x81, 0x8D, 0x8F, 0x90, 0x9D stay C1). */
const WINDOWS_1252_C1 =
	'\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
	'\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node decodes windows-1252 as Latin-1 since 20.18.3 and 22.13 (0x80–0x9F become C1 controls, so `€`,
 * `“` and `’` are lost): those characters are mapped by the table, a no-op on a correct decoder's output.
 */
function decodeWindows1252(bytes: Uint8Array): string {
	return new TextDecoder('windows-1252')
		.decode(bytes)
		.replace(/[\u0080-\u009f]/g, (control) => WINDOWS_1252_C1[control.charCodeAt(0) - 0x80]);
}

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
	/**
	 * Throw `CsvUnclosedQuoteError` for a quote that is never closed instead of reading the rest of the
	 * text as one field: in an upload, every address after it would silently go missing.
	 */
	strict?: boolean;
}

/** A quote that opens a field and is never closed (thrown by `parseCsv` with `strict`). */
export class CsvUnclosedQuoteError extends Error {
	/** 1-based line of the file on which the quote opens. */
	readonly line: number;

	constructor(line: number, excerpt: string) {
		super(`The CSV file has a quote opened on line ${line} that is never closed: ${excerpt}`);
		this.name = 'CsvUnclosedQuoteError';
		this.line = line;
	}
}

/** The line `position` is on, counting CRLF, LF and a lone CR as one line end each. */
function lineAt(text: string, position: number): number {
	let line = 1;
	for (let index = 0; index < position; index++) {
		const code = text.charCodeAt(index);
		if (code === LF || (code === CR && text.charCodeAt(index + 1) !== LF)) line++;
	}
	return line;
}

const EXCERPT_LENGTH = 40;

/** The rest of the line from `position`, shortened: enough to find the quote in the file. */
function excerptAt(text: string, position: number): string {
	const line = text.slice(position, position + EXCERPT_LENGTH + 1).split(/[\r\n]/)[0];
	return line.length > EXCERPT_LENGTH ? `${line.slice(0, EXCERPT_LENGTH)}…` : line;
}

/**
 * Records as arrays of fields. Quoted fields may hold commas, CR/LF and `""`; a leading BOM, CRLF or LF
 * line ends and a final newline are accepted; blank lines are skipped (an address list has no empty
 * records). Malformed input never throws: an unclosed quote runs to the end, text after a closing
 * quote is kept literally.
 */
function parseRecords(text: string): { records: string[][]; openQuote: number | undefined } {
	const { records, openQuote } = scanRecords(text, text.charCodeAt(0) === BOM ? 1 : 0, true);
	return { records, openQuote };
}

interface RecordScan {
	records: string[][];
	/** Where the first record the scan did not finish starts (the text's length when `final`). */
	next: number;
	/** Where a quote that is never closed opens (it runs to the end of the text). */
	openQuote: number | undefined;
}

/**
 * The records of `text` from `start`. With `final` false the text is a prefix of a longer one (a
 * download still arriving): the scan stops before a record whose line end it has not seen, so that
 * scanning the rest from `next` with more text appended gives the records one scan of the whole text
 * gives. (A record ended by CR whose LF arrives later reads the same: the LF then starts a blank line.)
 */
function scanRecords(text: string, start: number, final: boolean): RecordScan {
	const records: string[][] = [];
	let openQuote: number | undefined;
	const length = text.length;
	let index = start;
	while (index < length) {
		const first = text.charCodeAt(index);
		if (first === CR || first === LF) {
			index += first === CR && text.charCodeAt(index + 1) === LF ? 2 : 1;
			continue;
		}
		const recordStart = index;
		const record: string[] = [];
		for (;;) {
			let value = '';
			if (text.charCodeAt(index) === QUOTE) {
				let from = index + 1;
				for (;;) {
					const close = text.indexOf('"', from);
					if (close === -1) {
						if (!final) return { records, next: recordStart, openQuote };
						value += text.slice(from);
						openQuote = index;
						index = length;
						break;
					}
					if (text.charCodeAt(close + 1) === QUOTE) {
						value += text.slice(from, close + 1);
						from = close + 2;
						continue;
					}
					value += text.slice(from, close);
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
		if (index >= length && !final) return { records, next: recordStart, openQuote };
		if (text.charCodeAt(index) === CR) index++;
		if (text.charCodeAt(index) === LF) index++;
		records.push(record);
	}
	return { records, next: length, openQuote };
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
	const { records, openQuote } = parseRecords(text);
	if (openQuote !== undefined && options.strict === true) {
		throw new CsvUnclosedQuoteError(lineAt(text, openQuote), excerptAt(text, openQuote));
	}
	const withHeader = options.header ?? true;
	const headerLength = withHeader ? (records[0]?.length ?? 0) : 0;
	const lastRecord = records[records.length - 1];
	const complete = openQuote === undefined && (records.length <= 1 || lastRecord.length >= headerLength);
	const headers: string[] = [];
	const taken = new Set<string>();
	for (const name of withHeader ? (records[0] ?? []) : (options.columns ?? [])) addHeader(headers, taken, name);
	const rows: Array<Record<string, string>> = [];
	for (let recordIndex = withHeader ? 1 : 0; recordIndex < records.length; recordIndex++) {
		rows.push(rowOf(records[recordIndex], headers, taken));
	}
	return { headers, rows, complete };
}

/**
 * `parseCsv` for a text that arrives in pieces (a streamed download): `push` each piece, then `end`.
 * Together they return the rows, headers and `complete` flag `parseCsv` gives for the whole text,
 * holding only the unfinished last record between pieces. `widened` turns true when a record is longer
 * than the header: `parseCsv` then names the extra fields (`column_<n>`), which rows before it lack.
 */
export class CsvStreamReader {
	readonly headers: string[] = [];

	widened = false;

	private readonly taken = new Set<string>();

	private carry = '';

	private started = false;

	private headerLength: number | undefined;

	private recordCount = 0;

	private lastRecordLength = 0;

	private unclosedQuote = false;

	push(piece: string): Array<Record<string, string>> {
		return this.read(piece, false);
	}

	end(): { rows: Array<Record<string, string>>; complete: boolean } {
		const rows = this.read('', true);
		const complete = !this.unclosedQuote && (this.recordCount <= 1 || this.lastRecordLength >= (this.headerLength ?? 0));
		return { rows, complete };
	}

	private read(piece: string, final: boolean): Array<Record<string, string>> {
		const text = this.carry + piece;
		let start = 0;
		if (!this.started && text.length > 0) {
			this.started = true;
			if (text.charCodeAt(0) === BOM) start = 1;
		}
		const scan = scanRecords(text, start, final);
		this.carry = scan.next < text.length ? text.slice(scan.next) : '';
		if (scan.openQuote !== undefined) this.unclosedQuote = true;
		const rows: Array<Record<string, string>> = [];
		for (const record of scan.records) {
			this.recordCount++;
			this.lastRecordLength = record.length;
			if (this.headerLength === undefined) {
				this.headerLength = record.length;
				for (const name of record) addHeader(this.headers, this.taken, name);
				continue;
			}
			if (this.headers.length < record.length) this.widened = true;
			rows.push(rowOf(record, this.headers, this.taken));
		}
		return rows;
	}
}

/** One record as a named row; fields beyond `headers` get `column_<n>` names, appended to `headers`. */
function rowOf(record: string[], headers: string[], taken: Set<string>): Record<string, string> {
	while (headers.length < record.length) addHeader(headers, taken, '');
	const row: Record<string, string> = {};
	for (let column = 0; column < headers.length; column++) setField(row, headers[column], record[column] ?? '');
	return row;
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
	const lines = [csvHeaderLine(headers, options)];
	for (const row of rows) lines.push(csvRecordLine(headers, row, options));
	return `${lines.join('\r\n')}\r\n`;
}

/** The header line `toCsv` writes (without its line end). */
export function csvHeaderLine(headers: readonly string[], options: ToCsvOptions = {}): string {
	const formulaGuard = options.formulaGuard ?? true;
	return headers.map((header) => encodeCell(header, formulaGuard)).join(',');
}

/** The line `toCsv` writes for one row (without its line end). */
function csvRecordLine(headers: readonly string[], row: Record<string, unknown>, options: ToCsvOptions = {}): string {
	const formulaGuard = options.formulaGuard ?? true;
	let line = '';
	for (let column = 0; column < headers.length; column++) {
		line += (column === 0 ? '' : ',') + encodeCell(row[headers[column]], formulaGuard);
	}
	return line;
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

/** The normalized columns of a result file, in order, and how each cell is read from a result. */
const NORMALIZED_CELLS: ReadonlyArray<[string, (result: NormalizedEmailResult) => string]> = [
	['email', (result) => result.email],
	['verdict', (result) => result.verdict],
	['reason', (result) => result.reason ?? ''],
	['providerStatus', (result) => result.providerStatus],
	['providerReason', (result) => result.providerReason ?? ''],
	['safeToSend', (result) => booleanText(result.safeToSend)],
	['risk', (result) => result.risk ?? ''],
	['flag_role', (result) => booleanText(result.flags.role)],
	['flag_free', (result) => booleanText(result.flags.free)],
	['flag_disposable', (result) => booleanText(result.flags.disposable)],
	['flag_catchAll', (result) => booleanText(result.flags.catchAll)],
	['flag_syntaxError', (result) => booleanText(result.flags.syntaxError)],
	['flag_spamtrap', (result) => booleanText(result.flags.spamtrap)],
	['flag_hasMx', (result) => booleanText(result.flags.hasMx)],
	['mxRecords', (result) => (result.mxRecords ?? []).join(';')],
	['emailProvider', (result) => result.emailProvider ?? ''],
	['verifiedAt', (result) => result.verifiedAt ?? ''],
];

/** A raw field as a cell: scalars as text, `null` as empty, anything else (objects) has no cell. */
function rawCell(value: unknown): string | undefined {
	if (value === null) return '';
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
	return undefined;
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
	const flat: Record<string, string> = {};
	for (const [name, cell] of NORMALIZED_CELLS) flat[name] = cell(result);
	if (context.provider !== undefined) flat.provider = context.provider;
	if (context.jobId !== undefined) flat.jobId = context.jobId;
	const raw = result.raw;
	if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
		// Own enumerable keys in order, as Object.entries lists them, without an array per key.
		const record = raw as Record<string, unknown>;
		for (const key in record) {
			if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
			const value = rawCell(record[key]);
			if (value !== undefined) flat[rawColumn(key)] = value;
		}
	}
	return flat;
}

/**
 * Writes `csvRecordLine(headers, flattenResultForCsv(result, context))` for results whose file has
 * the given header, reading each cell straight from the result instead of building the flat row
 * first (a streamed 500,000-row file is written this way).
 */
export function resultCsvWriter(
	headers: readonly string[],
	context: ResultCsvContext = {},
	options: ToCsvOptions = {},
): (result: NormalizedEmailResult) => string {
	const normalized = new Map(NORMALIZED_CELLS);
	const cells = headers.map((header): ((result: NormalizedEmailResult) => unknown) => {
		const cell = normalized.get(header);
		if (cell) return cell;
		if (header === 'provider') return () => context.provider;
		if (header === 'jobId') return () => context.jobId;
		if (!header.startsWith('raw_')) return () => undefined;
		const key = header.slice(4);
		return ({ raw }) => {
			if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
			const record = raw as Record<string, unknown>;
			return Object.prototype.propertyIsEnumerable.call(record, key) ? rawCell(record[key]) : undefined;
		};
	});
	const formulaGuard = options.formulaGuard ?? true;
	return (result) => {
		let line = '';
		for (let column = 0; column < cells.length; column++) {
			line += (column === 0 ? '' : ',') + encodeCell(cells[column](result), formulaGuard);
		}
		return line;
	};
}
