/**
 * Writing one result file a row at a time, as `resultItems` builds it whole (`resultsToCsv`: same
 * header, lines, name and summary), for files written while their rows download. The header and the
 * file name must be known before the first byte, so they are laid out in advance and every row is
 * checked against that layout; a row that does not fit makes the layout wrong, and the writer then
 * only learns the right one (for a second pass) instead of writing.
 */
import { CsvBytes, csvHeaderLine } from '../csv/write';
import { BASE_COLUMNS, resultCsvWriter, resultFileHeaders } from '../csv/result-file';
import type { ResultLineWriter } from '../csv/result-file';
import type { ProviderName } from '../model/provider';
import type { NormalizedEmailResult, Verdict } from '../model/result';
import type { JobResult } from './output';

/** The `raw_<key>` columns of a download's rows (one list, shared by every row of that download). */
export type RawColumns = readonly string[];

/** What must be known before a result file's first byte. */
export interface FileLayout {
	/** The raw columns after the base columns, in first-seen order. */
	rawColumns: string[];
	/** The job ids of the file's rows, in first-seen order (they name the file). */
	jobIds: string[];
}

/** The file's name, as `resultItems` names it. */
export function resultFileName(
	fileName: string,
	provider: ProviderName | undefined,
	jobIds: readonly string[],
): string {
	return (
		fileName ||
		`${provider ?? 'bulk-verify'}-results-${jobIds.join('-').slice(0, 80) || 'empty'}.csv`
	);
}

/** The file is handed on in chunks of about this many bytes. */
const CHUNK_BYTES = 128 * 1024;

/**
 * Rows held whole, as one file's bytes: `resultsToCsv(rows)` in UTF-8, written a chunk at a time
 * instead of flattening every row and joining one string of the whole file first.
 */
export function resultFileBytes(rows: readonly JobResult[]): Buffer {
	const headers = resultFileHeaders(resultsOf(rows));
	const line = resultCsvWriter(headers);
	const out = new CsvBytes();
	out.text(`${csvHeaderLine(headers)}\r\n`);
	const chunks: Buffer[] = [];
	for (const { provider, jobId, result } of rows) {
		line(result, provider, jobId, out);
		if (out.length >= CHUNK_BYTES) chunks.push(out.take());
	}
	chunks.push(out.take());
	return Buffer.concat(chunks);
}

function* resultsOf(rows: readonly JobResult[]): Generator<NormalizedEmailResult> {
	for (const row of rows) yield row.result;
}

export class ResultFileWriter {
	rows = 0;

	readonly counts: Record<Verdict, number> = {
		deliverable: 0,
		undeliverable: 0,
		risky: 0,
		unknown: 0,
	};

	/** The job ids of the rows so far, in first-seen order. */
	readonly jobIds: string[] = [];

	private readonly seenJobIds = new Set<string>();

	private lastJobId: string | undefined;

	/** The raw columns of the rows so far, in first-seen order. */
	private readonly rawColumns: string[] = [];

	private readonly seenRawColumns = new Set<string>();

	private readonly seenLists = new Set<RawColumns>();

	private lastList: RawColumns | undefined;

	private layout: FileLayout | undefined;

	private line: ResultLineWriter | undefined;

	private readonly out = new CsvBytes();

	private headerWritten = false;

	private wrong = false;

	/**
	 * `layout`: the file's layout when it is known (a second pass); otherwise the first `expect` (or
	 * the first row) lays it out. `nameFromJobIds`: the file is named after its job ids (no File Name
	 * given), so they are part of the layout.
	 */
	constructor(
		private readonly provider: ProviderName,
		private readonly kept: ((result: NormalizedEmailResult) => boolean) | undefined,
		private readonly nameFromJobIds: boolean,
		private readonly expectedJobIds: readonly string[],
		layout?: FileLayout,
	) {
		if (layout) this.setLayout(layout);
	}

	/** Lays the file out for rows with these raw columns, unless it is laid out already. */
	expect(rawColumns: RawColumns): void {
		if (!this.layout)
			this.setLayout({ rawColumns: [...rawColumns], jobIds: [...this.expectedJobIds] });
	}

	/** True once a row did not fit the layout: nothing more is written, only learned. */
	get mismatched(): boolean {
		return this.wrong;
	}

	/** The name the file is written under. */
	get fileName(): string {
		return resultFileName('', this.provider, this.layout?.jobIds ?? []);
	}

	/** One row (dropped unless it has a kept verdict). */
	add(jobId: string, rawColumns: RawColumns | undefined, result: NormalizedEmailResult): void {
		if (this.kept !== undefined && !this.kept(result)) return;
		if (!this.layout) this.expect(rawColumns ?? []);
		this.rows++;
		this.counts[result.verdict]++;
		if (jobId !== this.lastJobId) {
			this.lastJobId = jobId;
			if (!this.seenJobIds.has(jobId)) this.newJobId(jobId);
		}
		if (rawColumns !== undefined && rawColumns !== this.lastList) {
			this.lastList = rawColumns;
			if (!this.seenLists.has(rawColumns)) this.newColumns(rawColumns);
		}
		if (this.wrong) return;
		if (!this.headerWritten) {
			this.headerWritten = true;
			this.out.text(`${csvHeaderLine([...BASE_COLUMNS, ...this.layout!.rawColumns])}\r\n`);
		}
		this.line!(result, this.provider, jobId, this.out);
	}

	/** The bytes written since the last call (the header line first), or undefined when none are. */
	take(force = false): Uint8Array | undefined {
		if (this.wrong || this.out.length === 0 || (!force && this.out.length < CHUNK_BYTES))
			return undefined;
		return this.out.take();
	}

	/** Whether every row fitted the layout and the layout holds nothing the rows lack. */
	fits(): boolean {
		if (this.wrong || !this.layout) return false;
		if (this.rawColumns.length !== this.layout.rawColumns.length) return false;
		return !this.nameFromJobIds || this.jobIds.length === this.layout.jobIds.length;
	}

	/** The layout the rows so far call for. */
	learned(): FileLayout {
		return { rawColumns: [...this.rawColumns], jobIds: [...this.jobIds] };
	}

	private setLayout(layout: FileLayout): void {
		this.layout = layout;
		this.line = resultCsvWriter([...BASE_COLUMNS, ...layout.rawColumns]);
	}

	private newJobId(jobId: string): void {
		this.seenJobIds.add(jobId);
		if (this.nameFromJobIds && this.layout!.jobIds[this.jobIds.length] !== jobId) this.wrong = true;
		this.jobIds.push(jobId);
	}

	/** The columns first seen here must come next in the layout. */
	private newColumns(rawColumns: RawColumns): void {
		this.seenLists.add(rawColumns);
		for (const column of rawColumns) {
			if (this.seenRawColumns.has(column)) continue;
			this.seenRawColumns.add(column);
			if (this.layout!.rawColumns[this.rawColumns.length] !== column) this.wrong = true;
			this.rawColumns.push(column);
		}
	}
}
