/**
 * The layout of a result file: the normalized columns in order, then every raw column, one row per
 * email (built whole for small lists, or written line by line for a streamed download).
 */
import type { ProviderName } from '../model/provider';
import type { NormalizedEmailResult } from '../model/result';
import type { CsvBytes } from './write';

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
	if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
		return String(value);
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

/** The columns every result file starts with: the normalized ones, then the provider and the job id. */
export const BASE_COLUMNS: readonly string[] = [
	...NORMALIZED_CELLS.map(([name]) => name),
	'provider',
	'jobId',
];

/** The `raw_<key>` columns `flattenResultForCsv` gives a result, in its order. */
export function rawColumnsOf(result: NormalizedEmailResult): string[] {
	const columns: string[] = [];
	addRawColumns(result.raw, columns, undefined);
	return columns;
}

function addRawColumns(raw: unknown, columns: string[], seen: Set<string> | undefined): void {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return;
	const record = raw as Record<string, unknown>;
	for (const key in record) {
		if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
		if (rawCell(record[key]) === undefined) continue;
		const name = rawColumn(key);
		if (seen !== undefined) {
			if (seen.has(name)) continue;
			seen.add(name);
		}
		columns.push(name);
	}
}

/**
 * The header of a file of these results: what `collectHeaders` gives their flattened rows (with the
 * provider and job id), without flattening them: the base columns, then every raw column in
 * first-seen order. No results, no columns.
 */
export function resultFileHeaders(results: Iterable<NormalizedEmailResult>): string[] {
	const columns = [...BASE_COLUMNS];
	const seen = new Set<string>();
	let any = false;
	for (const result of results) {
		any = true;
		addRawColumns(result.raw, columns, seen);
	}
	return any ? columns : [];
}

/** Writes one line of a result file (with its line end) for a result of the given provider and job. */
export type ResultLineWriter = (
	result: NormalizedEmailResult,
	provider: ProviderName | undefined,
	jobId: string | undefined,
	out: CsvBytes,
) => void;

/**
 * Writes `csvRecordLine(headers, flattenResultForCsv(result, { provider, jobId }))` and a CRLF, as
 * UTF-8, for results whose file has the given header, reading each cell straight from the result
 * instead of building the flat row or a string of the line first (a streamed 500,000-row file is
 * written this way). A result without a column of the header gets an empty cell.
 */
export function resultCsvWriter(headers: readonly string[]): ResultLineWriter {
	const rawKeys = headers.slice(BASE_COLUMNS.length).map((header) => header.slice(4));
	const laidOut =
		BASE_COLUMNS.every((column, index) => headers[index] === column) &&
		headers.slice(BASE_COLUMNS.length).every((header) => header.startsWith('raw_'));
	if (!laidOut) return anyHeaderWriter(headers);
	return (result, provider, jobId, out) => {
		writeBaseCells(result, provider, jobId, out);
		writeRawCells(result.raw, rawKeys, out);
		out.byte(CR);
		out.byte(LF);
	};
}

/** The cells of `BASE_COLUMNS` (`NORMALIZED_CELLS`, then the provider and the job id), one after another. */
function writeBaseCells(
	result: NormalizedEmailResult,
	provider: ProviderName | undefined,
	jobId: string | undefined,
	out: CsvBytes,
): void {
	const { flags } = result;
	out.cell(result.email);
	out.byte(COMMA);
	out.cell(result.verdict);
	out.byte(COMMA);
	out.cell(result.reason ?? '');
	out.byte(COMMA);
	out.cell(result.providerStatus);
	out.byte(COMMA);
	out.cell(result.providerReason ?? '');
	out.byte(COMMA);
	out.cell(booleanText(result.safeToSend));
	out.byte(COMMA);
	out.cell(result.risk ?? '');
	out.byte(COMMA);
	out.cell(booleanText(flags.role));
	out.byte(COMMA);
	out.cell(booleanText(flags.free));
	out.byte(COMMA);
	out.cell(booleanText(flags.disposable));
	out.byte(COMMA);
	out.cell(booleanText(flags.catchAll));
	out.byte(COMMA);
	out.cell(booleanText(flags.syntaxError));
	out.byte(COMMA);
	out.cell(booleanText(flags.spamtrap));
	out.byte(COMMA);
	out.cell(booleanText(flags.hasMx));
	out.byte(COMMA);
	out.cell(result.mxRecords === undefined ? '' : result.mxRecords.join(';'));
	out.byte(COMMA);
	out.cell(result.emailProvider ?? '');
	out.byte(COMMA);
	out.cell(result.verifiedAt ?? '');
	out.byte(COMMA);
	out.cell(provider);
	out.byte(COMMA);
	out.cell(jobId);
}

/**
 * The raw cells, each after a comma. A row whose first own keys are the columns, in order (a CSV
 * download's row), is read in one pass over its keys; any other by name.
 */
function writeRawCells(raw: unknown, keys: readonly string[], out: CsvBytes): void {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
		for (let index = 0; index < keys.length; index++) out.byte(COMMA);
		return;
	}
	const record = raw as Record<string, unknown>;
	const start = out.length;
	let index = 0;
	for (const key in record) {
		if (index === keys.length) break;
		if (key !== keys[index] || !Object.prototype.hasOwnProperty.call(record, key)) break;
		out.byte(COMMA);
		out.cell(rawCell(record[key]));
		index++;
	}
	if (index === keys.length) return;
	out.truncate(start);
	for (const key of keys) {
		out.byte(COMMA);
		out.cell(
			Object.prototype.propertyIsEnumerable.call(record, key) ? rawCell(record[key]) : undefined,
		);
	}
}

/** `resultCsvWriter` for any header: each cell read by its column's name. */
function anyHeaderWriter(headers: readonly string[]): ResultLineWriter {
	let provider: ProviderName | undefined;
	let jobId: string | undefined;
	const normalized = new Map(NORMALIZED_CELLS);
	const cells = headers.map((header): ((result: NormalizedEmailResult) => unknown) => {
		const cell = normalized.get(header);
		if (cell) return cell;
		if (header === 'provider') return () => provider;
		if (header === 'jobId') return () => jobId;
		if (!header.startsWith('raw_')) return () => undefined;
		const key = header.slice(4);
		return ({ raw }) => {
			if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
			const record = raw as Record<string, unknown>;
			return Object.prototype.propertyIsEnumerable.call(record, key)
				? rawCell(record[key])
				: undefined;
		};
	});
	return (result, rowProvider, rowJobId, out) => {
		provider = rowProvider;
		jobId = rowJobId;
		for (let column = 0; column < cells.length; column++) {
			if (column !== 0) out.byte(COMMA);
			out.cell(cells[column](result));
		}
		out.byte(CR);
		out.byte(LF);
	};
}

const COMMA = 44;
const CR = 13;
const LF = 10;
