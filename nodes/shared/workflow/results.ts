/**
 * Fetching finished jobs' results and turning them into n8n items or one CSV file: the same code for
 * the Bulk Verify node and its trigger.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPairedItemData,
	IPollFunctions,
} from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';

import type { JobResult } from './output';
import { countVerdicts, keepVerdicts, resultToJson } from './output';
import { resultFileBytes, resultFileName } from './file-writer';
import type { RowShaper } from './result-stream';
import { writeStreamedFile } from './result-stream';
import type { InputFields } from './input-fields';
import { inputFieldsFrom, withInputFields } from './input-fields';
import type { Verdict } from '../model/result';
import type { NormalizedJob } from '../model/job';
import type { Provider } from '../model/provider';
import { providerError } from '../model/errors';

export type OutputContext = IExecuteFunctions | IPollFunctions;

export interface ResultOptions {
	simplify: boolean;
	output: 'items' | 'file';
	binaryPropertyName: string;
	fileName: string;
	verdicts: Verdict[];
	includeFailedRows: boolean;
	/** Fields of the paired input item each result item carries (items output, node only). */
	inputFields: InputFields;
}

/**
 * The result options from a node's options collection (the Bulk Verify node's Result Options, the
 * trigger's Options) and the choices made outside it.
 */
export function resultOptionsFrom(
	options: IDataObject,
	chosen: Pick<ResultOptions, 'simplify' | 'output'>,
): ResultOptions {
	return {
		simplify: chosen.simplify,
		output: chosen.output,
		binaryPropertyName: (options.binaryPropertyName as string | undefined) ?? 'data',
		fileName: (options.fileName as string | undefined) ?? '',
		verdicts: (options.verdicts as Verdict[] | undefined) ?? [],
		includeFailedRows: (options.includeFailedRows as boolean | undefined) ?? false,
		inputFields: inputFieldsFrom(options),
	};
}

/** Fetches the results of finished jobs; a job that failed, was cancelled or is not done is an error. */
export async function fetchResults(
	ctx: OutputContext,
	provider: Provider,
	jobs: NormalizedJob[],
	options: ResultOptions,
	itemIndex: number,
): Promise<JobResult[]> {
	const rows: JobResult[] = [];
	for (const job of jobs) {
		if (!job.resultsAvailable) throw jobNotReadyError(ctx, provider, job, itemIndex);
		const results = await provider.getResults(job.jobId, {
			includeFailed: options.includeFailedRows && provider.info.capabilities.failedRows,
		});
		for (const result of results)
			rows.push({ provider: provider.info.name, jobId: job.jobId, result });
	}
	return keepVerdicts(rows, options.verdicts);
}

function jobNotReadyError(
	ctx: OutputContext,
	provider: Provider,
	job: NormalizedJob,
	itemIndex: number,
): NodeApiError {
	const name = provider.info.displayName;
	const ended = job.state === 'failed' || job.state === 'cancelled';
	const message = ended
		? `${name} job ${job.jobId} ${job.state === 'failed' ? 'failed' : 'was cancelled'}, so it has no results`
		: `${name} job ${job.jobId} has not finished yet (status ${String(job.rawStatus)}${job.progressPercent !== undefined ? `, ${job.progressPercent}% done` : ''})`;
	const description = ended
		? `${job.message ? `${name} said: "${job.message}". ` : ''}Check the list and create a new job.`
		: job.awaitingStart
			? 'The job waits to be started: run the Start operation (it spends credits), then fetch the results when it is completed.'
			: 'Fetch the results once the status is completed: turn on "Wait for Completion", or start a second workflow from the Bulk Verify Trigger.';
	return providerError(ctx.getNode(), message, {
		description,
		itemIndex,
		details: { jobId: job.jobId, providerStatus: String(job.rawStatus) },
	});
}

/**
 * Finished jobs' results as one CSV file, written into n8n's binary data while the provider's
 * downloads arrive (Bouncify's 500,000-row files: `writeStreamedFile`), instead of holding the
 * downloads, their rows and the file at once. The item is the one `resultItems` makes from
 * `fetchResults`: same file bytes, name and summary. `shaping` puts the downloaded rows in the file's
 * order (Create's one row per submitted address); by default the file has every row of each job in
 * turn. Undefined when that does not apply (items output, a provider without a stream, a job without
 * results, a download the stream cannot take as it is): the buffered path then answers, or raises its
 * error.
 */
export async function streamResultFile(
	ctx: OutputContext,
	provider: Provider,
	jobs: NormalizedJob[],
	options: ResultOptions,
	allPaired: IPairedItemData[],
	shaping?: { shaper: () => RowShaper; jobIds: string[] },
): Promise<INodeExecutionData[] | undefined> {
	if (
		options.output !== 'file' ||
		jobs.length === 0 ||
		jobs.some((job) => !job.resultsAvailable) ||
		!provider.streamResults
	)
		return undefined;
	const outcome = await writeStreamedFile(
		ctx,
		provider,
		{
			jobs,
			includeFailed: options.includeFailedRows && provider.info.capabilities.failedRows,
			shaper: shaping?.shaper ?? (() => everyRow(jobs)),
			jobIds: shaping?.jobIds ?? [...new Set(jobs.map((job) => job.jobId))],
		},
		options,
		allPaired,
	);
	if ('cannot' in outcome) return undefined;
	if ('empty' in outcome) return await resultItems(ctx, [], options, () => [], allPaired);
	return outcome.items;
}

/** Every downloaded row, job after job, as `fetchResults` lists them. */
function everyRow(jobs: NormalizedJob[]): RowShaper {
	return {
		push(job, results, rawColumns, emit) {
			const { jobId } = jobs[job];
			for (const result of results) emit(jobId, rawColumns, result);
		},
		jobDone() {},
		end() {},
	};
}

/** The node's input items; a trigger has none. */
function inputItemsOf(ctx: OutputContext): INodeExecutionData[] {
	return 'getInputData' in ctx ? ctx.getInputData() : [];
}

/** Results as items (one per email) or as one CSV file; pairs each row with the item(s) it came from. */
export async function resultItems<Row extends JobResult>(
	ctx: OutputContext,
	rows: Row[],
	options: ResultOptions,
	pairedItemOf: (row: Row) => IPairedItemData | IPairedItemData[],
	allPaired: IPairedItemData[],
): Promise<INodeExecutionData[]> {
	if (options.output === 'items') {
		const inputs = options.inputFields.mode === 'none' ? [] : inputItemsOf(ctx);
		return rows.map((row) => {
			const pairedItem = pairedItemOf(row);
			const json = resultToJson(row, options.simplify);
			// An address given by several items (de-duplicated before upload) takes the first one's fields.
			const first = Array.isArray(pairedItem) ? pairedItem[0] : pairedItem;
			const input = first === undefined ? undefined : inputs[first.item]?.json;
			return { json: withInputFields(json, input, options.inputFields), pairedItem };
		});
	}
	const jobIds = [...new Set(rows.map((row) => row.jobId))];
	const fileName = resultFileName(options.fileName, rows[0]?.provider, jobIds);
	const binary = await ctx.helpers.prepareBinaryData(resultFileBytes(rows), fileName, 'text/csv');
	return [
		{
			json: {
				fileName,
				rows: rows.length,
				jobIds,
				counts: countVerdicts(rows.map((row) => row.result)),
			},
			binary: { [options.binaryPropertyName || 'data']: binary },
			pairedItem: allPaired,
		},
	];
}
