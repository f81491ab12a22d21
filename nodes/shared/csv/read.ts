/**
 * Dependency-free RFC 4180 reading of uploads and provider downloads (Bouncify, SimpleCold). Parsing is
 * one pass over the string with `charCodeAt`/`indexOf`, no regex per character, so half a million rows
 * (Bouncify's list limit) parse in well under a second.
 */

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
		Object.defineProperty(row, key, {
			value,
			enumerable: true,
			writable: true,
			configurable: true,
		});
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
	const complete =
		openQuote === undefined && (records.length <= 1 || lastRecord.length >= headerLength);
	const headers: string[] = [];
	const taken = new Set<string>();
	for (const name of withHeader ? (records[0] ?? []) : (options.columns ?? []))
		addHeader(headers, taken, name);
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
		const complete =
			!this.unclosedQuote &&
			(this.recordCount <= 1 || this.lastRecordLength >= (this.headerLength ?? 0));
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
	if (taken.has('__proto__')) {
		for (let column = 0; column < headers.length; column++)
			setField(row, headers[column], record[column] ?? '');
	} else {
		for (let column = 0; column < headers.length; column++)
			row[headers[column]] = record[column] ?? '';
	}
	return row;
}
