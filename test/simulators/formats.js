'use strict';

/** Wire formats the providers share: CSV in and out, and multipart/form-data uploads. */

/**
 * One CSV line (RFC 4180) with a trailing CRLF.
 * @param {ReadonlyArray<unknown>} values
 * @param {{ quoteAll?: boolean }} [style] quoteAll: quote every cell, as Bouncify's documented sample does
 */
function csvLine(values, style = {}) {
	const cells = values.map((value) => {
		const text = value === undefined || value === null ? '' : String(value);
		const needsQuotes = style.quoteAll || /[",\r\n]/.test(text);
		return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
	});
	return `${cells.join(',')}\r\n`;
}

/**
 * Parses RFC 4180 CSV (quoted cells, doubled quotes, CRLF or LF, optional BOM); drops blank lines.
 * @param {string} text
 * @returns {string[][]}
 */
function parseCsv(text) {
	const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	// Fast path for the common unquoted file: uploads can hold 500,000 lines.
	if (!input.includes('"')) {
		return input
			.split(/\r?\n/)
			.filter((line) => line !== '')
			.map((line) => line.split(','));
	}
	/** @type {string[][]} */
	const rows = [];
	/** @type {string[]} */
	let row = [];
	let cell = '';
	let quoted = false;
	const endRow = () => {
		row.push(cell);
		if (row.length > 1 || row[0] !== '') rows.push(row);
		row = [];
		cell = '';
	};
	for (let i = 0; i < input.length; i++) {
		const ch = input[i];
		if (quoted) {
			if (ch !== '"') cell += ch;
			else if (input[i + 1] === '"') {
				cell += '"';
				i++;
			} else quoted = false;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') {
			row.push(cell);
			cell = '';
		} else if (ch === '\n') endRow();
		else if (ch !== '\r') cell += ch;
	}
	if (cell !== '' || row.length > 0) endRow();
	return rows;
}

/**
 * @typedef {object} EmailTable
 * @property {string[]} columns   column names as the user sent them ('email' for a header-less file)
 * @property {string[][]} rows    data rows, padded to the column count
 * @property {number} emailColumn index of the auto-detected email column
 */

/**
 * Reads an uploaded CSV the way both upload APIs describe: one or more columns, header optional,
 * email column found automatically. Returns null when no column holds addresses.
 * @param {string} text
 * @returns {EmailTable | null}
 */
function readEmailTable(text) {
	const all = parseCsv(text);
	if (all.length === 0) return null;
	const hasHeader = !all[0].some((cell) => cell.includes('@'));
	const data = hasHeader ? all.slice(1) : all;
	const width = all.reduce((widest, row) => Math.max(widest, row.length), 0);
	if (data.length === 0) return null;

	const atCounts = Array.from(
		{ length: width },
		(_, c) => data.slice(0, 100).filter((r) => (r[c] ?? '').includes('@')).length,
	);
	const namedColumn = hasHeader ? all[0].findIndex((name) => /e-?mail/i.test(name)) : -1;
	const emailColumn = namedColumn !== -1 ? namedColumn : atCounts.indexOf(Math.max(...atCounts));
	if (namedColumn === -1 && atCounts[emailColumn] === 0) return null;

	const columns = Array.from({ length: width }, (_, c) => {
		if (hasHeader) return all[0][c] ?? `column${c + 1}`;
		return c === emailColumn ? 'email' : `column${c + 1}`;
	});
	const rows = data.map((r) => {
		const row = r.map((cell) => cell.trim());
		while (row.length < width) row.push('');
		return row;
	});
	return { columns, rows, emailColumn };
}

/**
 * Builds the same table from JSON input: plain addresses, objects with `email` plus extra keys (extra
 * keys become columns, in first-seen order), or a count of generated addresses.
 * @param {ReadonlyArray<string | Record<string, unknown>> | number} emails
 * @returns {EmailTable}
 */
function tableFromRecords(emails) {
	const records =
		typeof emails === 'number'
			? Array.from({ length: emails }, (_, i) => `user${i + 1}@example.com`)
			: emails;
	const columns = ['email'];
	for (const record of records) {
		if (typeof record !== 'object') continue;
		for (const key of Object.keys(record)) if (!columns.includes(key)) columns.push(key);
	}
	const rows = records.map((record) =>
		typeof record === 'object'
			? columns.map((key) =>
					record[key] === undefined || record[key] === null ? '' : String(record[key]),
				)
			: [String(record), ...columns.slice(1).map(() => '')],
	);
	return { columns, rows, emailColumn: 0 };
}

/**
 * @typedef {object} FormPart
 * @property {string} name
 * @property {string | undefined} filename
 * @property {Buffer} data
 */

/**
 * Splits a multipart/form-data body into its parts; returns null when the body is not multipart.
 * @param {Buffer} body
 * @param {string | undefined} contentType
 * @returns {FormPart[] | null}
 */
function parseMultipart(body, contentType) {
	const match = /^multipart\/form-data;.*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
	if (!match) return null;
	const delimiter = Buffer.from(`--${match[1] ?? match[2]}`);
	/** @type {FormPart[]} */
	const parts = [];
	let start = body.indexOf(delimiter);
	while (start !== -1) {
		const partStart = start + delimiter.length;
		if (body.subarray(partStart, partStart + 2).toString() === '--') break;
		const next = body.indexOf(delimiter, partStart);
		if (next === -1) break;
		const part = body.subarray(partStart + 2, next - 2); // skip the CRLF after the delimiter and before the next
		const headerEnd = part.indexOf('\r\n\r\n');
		if (headerEnd !== -1) {
			const headers = part.subarray(0, headerEnd).toString('utf8');
			const name = /;\s*name="([^"]*)"/i.exec(headers);
			const filename = /filename="([^"]*)"/i.exec(headers);
			if (name)
				parts.push({ name: name[1], filename: filename?.[1], data: part.subarray(headerEnd + 4) });
		}
		start = next;
	}
	return parts;
}

module.exports = { csvLine, parseCsv, readEmailTable, tableFromRecords, parseMultipart };
