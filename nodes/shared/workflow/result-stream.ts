/**
 * Result files written into n8n's binary data while the jobs' downloads arrive (Bouncify's
 * 500,000-row files), one job after another, instead of holding the downloads, their rows and the
 * file at once. The file is the one `resultItems` makes of the same rows: same bytes, name and summary.
 *
 * Its header and name come before its first byte, but depend on every row (the raw columns of all
 * downloads, the job ids of the rows kept). They are laid out from the first download and checked
 * row by row; rows that do not fit (a later job with other columns, a job with no row kept) make this
 * pass give the file up and only learn the layout, and a second pass writes it. A download that breaks
 * is downloaded again by the provider's retries and the file goes on after the rows it already took.
 */
import type { IBinaryData, INodeExecutionData, IPairedItemData } from 'n8n-workflow';

import { rawColumnsOf } from '../csv/result-file';
import type { NormalizedJob } from '../model/job';
import type { Provider, ReadableMaker } from '../model/provider';
import type { NormalizedEmailResult } from '../model/result';
import type { FileLayout, RawColumns } from './file-writer';
import { ResultFileWriter } from './file-writer';
import { verdictFilter } from './output';
import type { OutputContext, ResultOptions } from './results';

/** Hands one row to the file: its job, the raw columns of its download (none: undefined), the result. */
export type EmitRow = (
	jobId: string,
	rawColumns: RawColumns | undefined,
	result: NormalizedEmailResult,
) => void;

/** Turns the downloaded rows into the file's rows, in the file's order. */
export interface RowShaper {
	/** Rows of the job at `job` (index in the file's jobs), a batch at a time, in download order. */
	push(
		job: number,
		results: readonly NormalizedEmailResult[],
		rawColumns: RawColumns,
		emit: EmitRow,
	): void;
	/** The download of the job at `job` is complete. */
	jobDone(job: number, emit: EmitRow): void;
	/** Every download is complete: the rows still held, then any others. */
	end(emit: EmitRow): void;
}

export interface StreamedFile {
	/** The finished jobs whose downloads make the file, in order. */
	jobs: NormalizedJob[];
	includeFailed: boolean;
	/** A fresh shaper for each pass. */
	shaper(): RowShaper;
	/** The job ids the kept rows are expected to carry, in first-seen order (they name the file). */
	jobIds: string[];
}

export type StreamedFileOutcome =
	| { items: INodeExecutionData[] }
	/** No row was kept: the (tiny) empty file is for the caller to make. */
	| { empty: true }
	/** A download cannot be streamed as `getResults` would give it: the caller fetches the rows. */
	| { cannot: true };

type PassOutcome = StreamedFileOutcome | { learned: FileLayout };

/** Writes the file, in one pass or, when its layout had to be learned, two. */
export async function writeStreamedFile(
	ctx: OutputContext,
	provider: Provider,
	file: StreamedFile,
	options: ResultOptions,
	allPaired: IPairedItemData[],
): Promise<StreamedFileOutcome> {
	let layout: FileLayout | undefined;
	for (let round = 0; round < 2; round++) {
		const outcome = await writePass(ctx, provider, file, options, allPaired, layout);
		if (!('learned' in outcome)) return outcome;
		layout = outcome.learned;
	}
	// The downloads gave other rows the second time.
	return { cannot: true };
}

async function writePass(
	ctx: OutputContext,
	provider: Provider,
	file: StreamedFile,
	options: ResultOptions,
	allPaired: IPairedItemData[],
	layout: FileLayout | undefined,
): Promise<PassOutcome> {
	const nameFromJobIds = options.fileName === '';
	const writer = new ResultFileWriter(
		provider.info.name,
		verdictFilter(options.verdicts),
		nameFromJobIds,
		file.jobIds,
		layout,
	);
	const shaper = file.shaper();
	const emit: EmitRow = (jobId, rawColumns, result) => writer.add(jobId, rawColumns, result);
	let maker: ReadableMaker | undefined;
	let output: FileOutput | undefined;
	let fileName = options.fileName;
	const flush = async (force: boolean): Promise<void> => {
		if (writer.mismatched) {
			output?.abandon();
			return;
		}
		const bytes = writer.take(force);
		if (bytes === undefined) return;
		if (output === undefined) {
			if (nameFromJobIds) fileName = writer.fileName;
			output = new FileOutput(ctx, maker!, fileName);
		}
		await output.write(bytes);
	};
	let thrown: { error: unknown } | undefined;
	try {
		for (const [index, job] of file.jobs.entries()) {
			let delivered = 0;
			let rawColumns: RawColumns | undefined;
			const streamed = await provider.streamResults!(
				job.jobId,
				{ includeFailed: file.includeFailed },
				async ({ batches, toReadable }) => {
					maker ??= toReadable;
					if (maker === undefined) return false;
					// A retried download starts again: the rows the file already took are skipped.
					let skip = delivered;
					for await (const batch of batches) {
						const from = Math.min(skip, batch.length);
						skip -= from;
						if (from === batch.length) continue;
						const rows = from === 0 ? batch : batch.slice(from);
						// Every row of one download has the same raw columns (`ResultStream`).
						rawColumns ??= rawColumnsOf(rows[0]);
						writer.expect(rawColumns);
						shaper.push(index, rows, rawColumns, emit);
						delivered += rows.length;
						await flush(false);
					}
					return true;
				},
			);
			if (streamed?.value !== true) {
				await output?.abandoned();
				return { cannot: true };
			}
			shaper.jobDone(index, emit);
			await flush(false);
		}
		shaper.end(emit);
		await flush(true);
	} catch (error) {
		thrown = { error };
	}
	if (thrown !== undefined) {
		const failure = await output?.abandoned();
		// The binary data store failed first: its error is the one to report.
		throw thrown.error instanceof PipeClosed && failure !== undefined ? failure : thrown.error;
	}
	if (writer.rows === 0) return { empty: true };
	if (!writer.fits()) {
		await output?.abandoned();
		return { learned: writer.learned() };
	}
	const binary = await output!.finish();
	return {
		items: [
			{
				json: {
					fileName,
					rows: writer.rows,
					jobIds: writer.jobIds,
					counts: writer.counts,
				},
				binary: { [options.binaryPropertyName || 'data']: binary },
				pairedItem: allPaired,
			},
		],
	};
}

/** The file's bytes going into n8n's binary data as they are written. */
class FileOutput {
	private readonly pipe = new BytePipe();

	private readonly settled: Promise<{ binary: IBinaryData } | { error: unknown }>;

	constructor(ctx: OutputContext, maker: ReadableMaker, fileName: string) {
		this.settled = ctx.helpers
			.prepareBinaryData(maker(this.pipe.read()), fileName, 'text/csv')
			.then(
				(binary) => ({ binary }),
				(error: unknown) => ({ error }),
			);
	}

	async write(bytes: Uint8Array): Promise<void> {
		await this.pipe.push(bytes);
	}

	/** Gives the file up (n8n removes what it wrote); resolves with the store's own error, if it had one. */
	async abandoned(): Promise<unknown> {
		this.abandon();
		const settled = await this.settled;
		return 'error' in settled && !(settled.error instanceof FileAbandoned)
			? settled.error
			: undefined;
	}

	abandon(): void {
		this.pipe.fail(new FileAbandoned());
	}

	async finish(): Promise<IBinaryData> {
		this.pipe.end();
		const settled = await this.settled;
		if ('error' in settled) throw settled.error;
		return settled.binary;
	}
}

/** Ends the binary stream of a file that was given up. */
class FileAbandoned extends Error {
	constructor() {
		super('the result file was given up');
		this.name = 'FileAbandoned';
	}
}

/** The binary data store stopped reading the file. */
class PipeClosed extends Error {
	constructor() {
		super('the result file is no longer read');
		this.name = 'PipeClosed';
	}
}

/** Chunks the binary stream has not taken yet, at most: the writer goes on while a few are written. */
const PIPE_CHUNKS = 4;

/** Chunks from the writer to n8n's binary stream, the writer waiting while the pipe is full. */
class BytePipe {
	private readonly chunks: Uint8Array[] = [];

	private ended = false;

	private failure: { error: unknown } | undefined;

	private closed = false;

	private wakeReader: (() => void) | undefined;

	private wakeWriter: (() => void) | undefined;

	async push(chunk: Uint8Array): Promise<void> {
		while (this.chunks.length >= PIPE_CHUNKS && !this.closed)
			await new Promise<void>((resolve) => (this.wakeWriter = resolve));
		if (this.closed) throw new PipeClosed();
		this.chunks.push(chunk);
		this.wake('reader');
	}

	end(): void {
		this.ended = true;
		this.wake('reader');
	}

	fail(error: unknown): void {
		if (this.failure === undefined && !this.closed) this.failure = { error };
		this.wake('reader');
	}

	async *read(): AsyncGenerator<Uint8Array> {
		try {
			for (;;) {
				if (this.failure !== undefined) throw this.failure.error;
				const chunk = this.chunks.shift();
				if (chunk !== undefined) {
					this.wake('writer');
					yield chunk;
					continue;
				}
				if (this.ended) return;
				await new Promise<void>((resolve) => (this.wakeReader = resolve));
			}
		} finally {
			this.closed = true;
			this.chunks.length = 0;
			this.wake('writer');
		}
	}

	private wake(side: 'reader' | 'writer'): void {
		const wake = side === 'reader' ? this.wakeReader : this.wakeWriter;
		if (side === 'reader') this.wakeReader = undefined;
		else this.wakeWriter = undefined;
		wake?.();
	}
}
