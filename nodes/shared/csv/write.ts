/** Writing CSV for spreadsheets: CRLF lines, quoted where needed, formulas defused. */

/** All keys of the rows, in first-seen order: the header line for rows whose keys differ. */
export function collectHeaders(rows: ReadonlyArray<Record<string, unknown>>): string[] {
	const headers = new Set<string>();
	for (const row of rows) for (const key of Object.keys(row)) headers.add(key);
	return [...headers];
}

export interface ToCsvOptions {
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

export function encodeCell(value: unknown, formulaGuard: boolean): string {
	let text = cellText(value);
	if (text === '') return text;
	if (formulaGuard && FORMULA_TRIGGERS.has(text.charCodeAt(0))) text = `'${text}`;
	const needsQuotes =
		QUOTE_TRIGGERS.test(text) ||
		isSpace(text.charCodeAt(0)) ||
		isSpace(text.charCodeAt(text.length - 1));
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
function csvRecordLine(
	headers: readonly string[],
	row: Record<string, unknown>,
	options: ToCsvOptions = {},
): string {
	const formulaGuard = options.formulaGuard ?? true;
	let line = '';
	for (let column = 0; column < headers.length; column++) {
		line += (column === 0 ? '' : ',') + encodeCell(row[headers[column]], formulaGuard);
	}
	return line;
}

/** First characters after which a cell is not written as it is: formula triggers, space, `"`, `,`, LF. */
const SPECIAL_FIRST = new Uint8Array(128);
for (const code of [...FORMULA_TRIGGERS, 32, 34, 44, 10]) SPECIAL_FIRST[code] = 1;

/** Room for this many bytes is made at a time. */
const BYTES_ROOM = 256 * 1024;

/**
 * A CSV file's bytes as they are written: text appended as UTF-8 (ASCII byte by byte, without
 * building a string of the whole chunk first), taken out a chunk at a time.
 */
export class CsvBytes {
	private buffer = Buffer.allocUnsafe(BYTES_ROOM);

	private used = 0;

	/** Bytes written since the last `take`. */
	get length(): number {
		return this.used;
	}

	text(text: string): void {
		const length = text.length;
		if (this.buffer.length - this.used < 3 * length) this.makeRoom(3 * length);
		const buffer = this.buffer;
		let used = this.used;
		for (let index = 0; index < length; index++) {
			const code = text.charCodeAt(index);
			if (code >= 128) {
				used += buffer.write(text.slice(index), used, 'utf8');
				break;
			}
			buffer[used++] = code;
		}
		this.used = used;
	}

	/**
	 * A cell, as `encodeCell(value, true)` writes it. The usual cell (a string that starts with no
	 * formula trigger or space, ends with no space and holds no quote, comma or line end) is copied as
	 * it is, checked while it is copied.
	 */
	cell(value: unknown): void {
		if (typeof value !== 'string') {
			this.text(encodeCell(value, true));
			return;
		}
		const length = value.length;
		if (length === 0) return;
		const first = value.charCodeAt(0);
		const last = value.charCodeAt(length - 1);
		if ((first < 128 ? SPECIAL_FIRST[first] === 1 : first === 160) || isSpace(last)) {
			this.text(encodeCell(value, true));
			return;
		}
		if (this.buffer.length - this.used < 3 * length) this.makeRoom(3 * length);
		const buffer = this.buffer;
		const start = this.used;
		let used = start;
		for (let index = 0; index < length; index++) {
			const code = value.charCodeAt(index);
			if (code === 34 || code === 44 || code === 13 || code === 10) {
				this.text(encodeCell(value, true));
				return;
			}
			if (code >= 128) {
				const rest = value.slice(index);
				if (QUOTE_TRIGGERS.test(rest)) {
					this.text(encodeCell(value, true));
					return;
				}
				used += buffer.write(rest, used, 'utf8');
				break;
			}
			buffer[used++] = code;
		}
		this.used = used;
	}

	/** One ASCII character (a comma, a line end). */
	byte(code: number): void {
		if (this.used === this.buffer.length) this.makeRoom(1);
		this.buffer[this.used++] = code;
	}

	/** Drops what was written after the first `length` bytes. */
	truncate(length: number): void {
		this.used = Math.min(this.used, length);
	}

	/** The bytes written since the last call. */
	take(): Buffer {
		const taken = this.buffer.subarray(0, this.used);
		this.buffer = Buffer.allocUnsafe(Math.max(BYTES_ROOM, this.buffer.length - this.used));
		this.used = 0;
		return taken;
	}

	private makeRoom(bytes: number): void {
		const bigger = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.used + bytes));
		this.buffer.copy(bigger, 0, 0, this.used);
		this.buffer = bigger;
	}
}
