import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { jobToJson } from '../../../shared/workflow/output';
import type { NormalizedJob } from '../../../shared/model/job';
import type { ProviderInfo, StartJobOptions } from '../../../shared/model/provider';
import { creditGuardOn, readBalance, refuseIfShort } from '../../helpers/credit-guard';
import { forEachItem, jobIdsOfItem, providerForItem } from '../../helpers/items';
import { checkCredits, creditsFor } from '../../helpers/plan';
import { checkCreditsField, jobIdsField } from '../fields';
import type { Operation } from '../types';

const OPERATION = 'start';

const properties: INodeProperties[] = [
	jobIdsField(
		[OPERATION],
		'The uploaded lists to start verifying. Starting spends credits and cannot be undone.',
	),
	checkCreditsField([OPERATION], 'the addresses of the job'),
];

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	info: ProviderInfo,
): Promise<INodeExecutionData[]> {
	// The balance is read once, before the first start (so a failed read has spent nothing), and what
	// each start spent is taken off it for the next job; not at all when no item names a job to start.
	const budget =
		creditGuardOn(this, info) && items.some((_, itemIndex) => namesJobs(this, info, itemIndex))
			? { left: await readBalance(this, info, 'guard') }
			: undefined;
	return await forEachItem(
		this,
		items,
		async (itemIndex, emit) => {
			const provider = providerForItem(this, info, itemIndex);
			for (const jobId of jobIdsOfItem(this, info, itemIndex)) {
				let cost = 0;
				const options: StartJobOptions = budget
					? {
							beforeStart: (job) => {
								cost = guardStart(this, info, job, budget.left, itemIndex);
							},
						}
					: {};
				const started = await provider.startJob!(jobId, options);
				if (budget) budget.left -= cost;
				emit({ json: jobToJson(started, true) });
			}
		},
		{
			verb: 'started (which spends credits)',
			describe: (item) => `job ${String(item.json.jobId)}`,
		},
	);
}

/** Whether the item names job ids of the provider's form (a wrong one is reported by its own run). */
function namesJobs(ctx: IExecuteFunctions, info: ProviderInfo, itemIndex: number): boolean {
	try {
		return jobIdsOfItem(ctx, info, itemIndex).length > 0;
	} catch {
		return false;
	}
}

/**
 * The credit guard of one start: refuses a job the balance left does not cover; returns what the start
 * spends. Only a job that waits for its start is charged by it (any other is refused by the provider).
 */
function guardStart(
	ctx: IExecuteFunctions,
	info: ProviderInfo,
	job: NormalizedJob,
	left: number,
	itemIndex: number,
): number {
	if (job.notFound || !job.awaitingStart) return 0;
	const step = {
		needs: `Starting job ${job.jobId} needs`,
		notDone: `Job ${job.jobId} was not started`,
		itemIndex,
	};
	if (job.total === undefined) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${info.displayName} has not said how many addresses job ${job.jobId} holds, so its credits cannot be checked`,
			{
				description: `${step.notDone} and no credits were spent. Start it once Get Status shows its total, or turn off Check Credits First.`,
				itemIndex,
			},
		);
	}
	const needed = creditsFor(job.total, info.capabilities);
	refuseIfShort(ctx, info, checkCredits(needed, left), step);
	return needed;
}

export const start: Operation = {
	resource: 'job',
	value: OPERATION,
	name: 'Start',
	action: 'Start a job',
	description: 'Start verifying an uploaded list (spends credits; cannot be stopped)',
	isAvailableFor: (info) => info.capabilities.explicitStart,
	properties,
	execute,
};
