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

import { csvHeaderLine } from '../csv/write';
import { flattenResultForCsv, resultCsvWriter } from '../csv/result-file';
import type { JobResult } from './output';
import { countVerdicts, keepVerdicts, resultsToCsv, resultToJson, verdictFilter } from './output';
import type { InputFields } from './input-fields';
import { inputFieldsFrom, withInputFields } from './input-fields';
import type { NormalizedEmailResult, Verdict } from '../model/result';
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
 * One finished job's results as one CSV file, written into n8n's binary data while the provider's
 * download arrives (Bouncify's 500,000-row files), instead of holding the download, its rows and the
 * file at once. The item is the one `resultItems` makes from `fetchResults`: same file bytes, name and
 * summary. Undefined when that does not apply (items output, several jobs, a provider without a
 * stream, a job without results: the buffered path then answers, or raises its error).
 */
export async function streamResultFile(
	ctx: OutputContext,
	provider: Provider,
	jobs: NormalizedJob[],
	options: ResultOptions,
	allPaired: IPairedItemData[],
): Promise<INodeExecutionData[] | undefined> {
	const [job] = jobs;
	if (
		options.output !== 'file' ||
		jobs.length !== 1 ||
		!job.resultsAvailable ||
		!provider.streamResults
	)
		return undefined;
	const name = provider.info.name;
	const context = { provider: name, jobId: job.jobId };
	const filter = verdictFilter(options.verdicts);
	const kept = (result: NormalizedEmailResult): boolean => filter === undefined || filter(result);
	const streamed = await provider.streamResults(
		job.jobId,
		{ includeFailed: options.includeFailedRows && provider.info.capabilities.failedRows },
		async ({ batches, toReadable }) => {
			if (!toReadable) return undefined;
			const rows = batches[Symbol.asyncIterator]();
			// The first kept row names the columns (the rows of one download all have the same ones).
			let first: { batch: NormalizedEmailResult[]; index: number } | undefined;
			while (first === undefined) {
				const next = await rows.next();
				if (next.done === true) return await resultItems(ctx, [], options, () => [], allPaired);
				const index = next.value.findIndex(kept);
				if (index !== -1) first = { batch: next.value, index };
			}
			const headers = Object.keys(flattenResultForCsv(first.batch[first.index], context));
			const line = resultCsvWriter(headers, context);
			const counts: Record<Verdict, number> = {
				deliverable: 0,
				undeliverable: 0,
				risky: 0,
				unknown: 0,
			};
			let count = 0;
			const lines = (batch: NormalizedEmailResult[], from: number): Uint8Array => {
				const text: string[] = [];
				for (let index = from; index < batch.length; index++) {
					const result = batch[index];
					if (!kept(result)) continue;
					counts[result.verdict]++;
					count++;
					text.push(line(result), '\r\n');
				}
				return Buffer.from(text.join(''), 'utf8');
			};
			const start = first;
			const file = toReadable(
				(async function* () {
					yield Buffer.from(`${csvHeaderLine(headers)}\r\n`, 'utf8');
					yield lines(start.batch, start.index);
					for (let next = await rows.next(); next.done !== true; next = await rows.next())
						yield lines(next.value, 0);
				})(),
			);
			const fileName =
				options.fileName || `${name}-results-${job.jobId.slice(0, 80) || 'empty'}.csv`;
			const binary = await ctx.helpers.prepareBinaryData(file, fileName, 'text/csv');
			return [
				{
					json: { fileName, rows: count, jobIds: [job.jobId], counts },
					binary: { [options.binaryPropertyName || 'data']: binary },
					pairedItem: allPaired,
				},
			];
		},
	);
	return streamed?.value;
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
	const fileName =
		options.fileName ||
		`${rows[0]?.provider ?? 'bulk-verify'}-results-${jobIds.join('-').slice(0, 80) || 'empty'}.csv`;
	const binary = await ctx.helpers.prepareBinaryData(
		Buffer.from(resultsToCsv(rows), 'utf8'),
		fileName,
		'text/csv',
	);
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
