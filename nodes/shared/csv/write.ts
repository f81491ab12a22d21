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
