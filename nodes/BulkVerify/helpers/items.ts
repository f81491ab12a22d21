import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPairedItemData,
} from 'n8n-workflow';
import type { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { createProvider } from '../../shared/providers';
import { safeToShow } from '../../shared/workflow/safe-error';
import { asNodeError, providerError } from '../../shared/model/errors';
import type { NormalizedJob } from '../../shared/model/job';
import type { Provider, ProviderInfo } from '../../shared/model/provider';
import { parseJobIds } from '../../shared/model/job-ids';
import { checkJobIds } from '../../shared/workflow/job-ids';
import { PAID_WORK_KEY, withDoneWork } from './paid-work';

/** For operations whose calls spend credits or change jobs: what one output item stands for. */
export interface DoneWork {
	/** "started", "verified (and paid for)", "deleted". */
	verb: string;
	/** The output item as a short line, e.g. "job 42" or "a@x.io: deliverable". */
	describe(item: INodeExecutionData): string;
}

/**
 * Runs `run` once per input item; `emit` hands over an item as soon as it is done, so work done
 * before a failure inside one item is kept too. With "Continue On Fail" a failed item becomes one
 * error item (paired with it) and the others go on; without it, the error stops the node, names
 * the item and, with `done`, lists the work already done in this execution (a failed node outputs
 * nothing, and running it all again would pay again).
 */
export async function forEachItem(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	run: (
		itemIndex: number,
		emit: (item: INodeExecutionData) => void,
	) => Promise<INodeExecutionData[] | void>,
	done?: DoneWork,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		// Items are built fresh by the operations: one that is already paired is kept, not copied.
		const emit = (item: INodeExecutionData) =>
			output.push(
				item.pairedItem === undefined || item.pairedItem === null
					? { ...item, pairedItem: { item: itemIndex } }
					: item,
			);
		try {
			for (const item of (await run(itemIndex, emit)) ?? []) emit(item);
		} catch (error) {
			const nodeError = await safeToShow(ctx, asNodeError(ctx.getNode(), error, itemIndex));
			if (!ctx.continueOnFail()) {
				throw done && output.length > 0
					? withDoneWork(
							nodeError,
							output.map((item) => done.describe(item)),
							done.verb,
							itemIndex,
						)
					: nodeError;
			}
			output.push(errorItem(nodeError, { item: itemIndex }));
		}
	}
	return output;
}

/**
 * The item an error becomes with On Error → Continue: the same shape on every path, `error` and
 * `description`, plus the jobs already paid for when a multi-job operation failed part-way.
 */
export function errorItem(
	error: NodeApiError | NodeOperationError,
	pairedItem: IPairedItemData | IPairedItemData[],
): INodeExecutionData {
	const paidWork = error.context[PAID_WORK_KEY] as IDataObject | undefined;
	return {
		json: {
			error: error.message,
			description: error.description ?? null,
			...(paidWork ? { [PAID_WORK_KEY]: paidWork } : {}),
		},
		pairedItem,
	};
}

/** The adapter for the node's provider, with errors tagged with the item they belong to. */
export function providerForItem(
	ctx: IExecuteFunctions,
	info: ProviderInfo,
	itemIndex: number,
): Provider {
	return createProvider(info.name, ctx, { itemIndex });
}

/**
 * The adapter for an operation that runs once for the whole input (Create, Get Credits): its errors
 * name no item, since none is at fault (n8n's editor would add "[item 0]").
 */
export function providerForList(ctx: IExecuteFunctions, info: ProviderInfo): Provider {
	return createProvider(info.name, ctx);
}

/** The item's job ids, each checked against the provider's id format before any call. */
export function jobIdsOfItem(
	ctx: IExecuteFunctions,
	info: ProviderInfo,
	itemIndex: number,
): string[] {
	const ids = parseJobIds(ctx.getNodeParameter('jobIds', itemIndex));
	checkJobIds(ctx.getNode(), info, ids, {
		itemIndex,
		none: {
			message: 'No job ID given',
			description: 'Enter a job ID, or map one from the previous node, e.g. {{ $json.jobId }}.',
		},
	});
	return ids;
}

/** An unknown job id is an API answer, reported like any other provider error. */
export function throwIfNotFound(
	ctx: IExecuteFunctions,
	jobs: NormalizedJob[],
	itemIndex: number,
): void {
	const missing = jobs.find((job) => job.notFound);
	if (!missing) return;
	const message = missing.message ?? `The provider does not know the job "${missing.jobId}"`;
	throw providerError(ctx.getNode(), message, {
		description:
			'Check the job ID: it must come from a job created with the same account, and results may expire.',
		itemIndex,
		details: { jobId: missing.jobId },
	});
}
