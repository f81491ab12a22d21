/**
 * The layout of a result file: the normalized columns in order, then every raw column, one row per
 * email (built whole for small lists, or written line by line for a streamed download).
 */
import type { ProviderName } from '../model/provider';
import type { NormalizedEmailResult } from '../model/result';
import type { ToCsvOptions } from './write';
import { encodeCell } from './write';

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
			return Object.prototype.propertyIsEnumerable.call(record, key)
				? rawCell(record[key])
				: undefined;
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
