import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ProviderInfo } from '../../../shared/model/provider';
import type { Verdict } from '../../../shared/model/result';
import { resultToJson } from '../../../shared/workflow/output';
import { fetchResults, resultOptionsFrom } from '../../../shared/workflow/results';
import { canonicalEmail } from '../../helpers/address';
import { creditGuardOn, guardCredits } from '../../helpers/credit-guard';
import { providerForList } from '../../helpers/items';
import { JobRun } from '../../helpers/job-run';
import type { Opinion } from '../../helpers/opinions';
import { mergedRow, opinionOf } from '../../helpers/opinions';
import { readWaitOptions } from '../../helpers/parameters';
import { planList } from '../../helpers/plan';
import { reconcileResults } from '../../helpers/reconcile';
import { waitForJobs } from '../../helpers/wait';
import { checkCreditsField, showFor, waitOptionsField } from '../fields';
import type { Operation } from '../types';

const OPERATION = 'secondOpinion';
const DEFAULT_RECHECK: Verdict[] = ['unknown', 'risky'];

const properties: INodeProperties[] = [
	{
		displayName:
			'Connect this after a Bulk Verify node or trigger that used another provider: the result items it outputs come in, the addresses with the verdicts below go to this provider, and each item comes out once, with the verdict that settles it and both opinions.',
		name: 'secondOpinionNotice',
		type: 'notice',
		default: '',
		displayOptions: showFor([OPERATION]),
	},
	{
		displayName: 'Recheck Verdicts',
		name: 'recheckVerdicts',
		type: 'multiOptions',
		options: [
			{ name: 'Deliverable', value: 'deliverable' },
			{ name: 'Risky (Catch-All, Disposable, Role)', value: 'risky' },
			{ name: 'Undeliverable', value: 'undeliverable' },
			{ name: 'Unknown', value: 'unknown' },
		],
		default: ['unknown', 'risky'],
		description:
			'The first verdicts to ask this provider about. The other items pass through unchanged and cost nothing.',
		displayOptions: showFor([OPERATION]),
	},
	checkCreditsField([OPERATION], 'the addresses sent for a second opinion'),
	waitOptionsField(showFor([OPERATION])),
];

/** The first opinion of each input item; an error item (On Error → Continue upstream) has none. */
function firstOpinions(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	info: ProviderInfo,
	recheck: ReadonlySet<string>,
): Array<Opinion | undefined> {
	return items.map(({ json }, itemIndex) => {
		if (json.error !== undefined && json.verdict === undefined) return undefined;
		const first = opinionOf(json);
		if (first === undefined) {
			throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex} is not a Bulk Verify result`, {
				itemIndex,
				description: `Second Opinion reads the result items of another Bulk Verify node (a "verdict" and a "provider" field): put it after Create or Get Status with Wait for Completion, Get Results, or the Bulk Verify Trigger with Output "Job and Results as Items". Nothing was sent to ${info.displayName}.`,
			});
		}
		if (recheck.has(first.verdict) && first.provider === info.name) {
			throw new NodeOperationError(
				ctx.getNode(),
				`Item ${itemIndex} was verified by ${info.displayName} already`,
				{
					itemIndex,
					description: `A second opinion needs another provider: choose another provider's credential in this node. Nothing was sent to ${info.displayName}.`,
				},
			);
		}
		return first;
	});
}

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	info: ProviderInfo,
): Promise<INodeExecutionData[]> {
	const recheck = new Set(
		this.getNodeParameter('recheckVerdicts', 0, DEFAULT_RECHECK) as Verdict[],
	);
	const firsts = firstOpinions(this, items, info, recheck);
	const plan = planList(
		firsts.flatMap((first, itemIndex) =>
			first !== undefined && recheck.has(first.verdict)
				? [{ value: items[itemIndex].json.email, itemIndex }]
				: [],
		),
		info.capabilities,
	);
	const seconds = new Map<number, IDataObject>();
	let timedOut: string[] | undefined;
	if (plan.list.emails.length > 0) {
		if (creditGuardOn(this, info)) {
			await guardCredits(this, info, plan.creditsNeeded, {
				needs: 'The second opinion needs',
				notDone: `Nothing was sent to ${info.displayName}`,
			});
		}
		const provider = providerForList(this, info);
		const run = new JobRun(this, provider, plan.jobs);
		const created = await run.createAll((emails) => ({ emails, startNow: true }));
		const jobIds = created.map((job) => job.jobId);
		const outcome = await run.step('wait', () =>
			waitForJobs(provider, jobIds, readWaitOptions(this, 0, provider)),
		);
		if (outcome.timedOut) timedOut = jobIds;
		else {
			const options = resultOptionsFrom({}, { simplify: true, output: 'items' });
			const fetched = await run.step('results', () =>
				fetchResults(this, provider, outcome.jobs, { ...options, includeFailedRows: true }, 0),
			);
			const submitted = outcome.jobs.map((job, index) => ({
				jobId: job.jobId,
				emails: plan.jobs[index],
			}));
			for (const row of reconcileResults(fetched, submitted, info.name)) {
				const json = resultToJson(row, true);
				const key = canonicalEmail(row.submittedEmail ?? row.result.email);
				for (const itemIndex of plan.list.itemsByEmail.get(key) ?? []) seconds.set(itemIndex, json);
			}
		}
	}
	return items.map((item, itemIndex) => {
		const first = firsts[itemIndex];
		const pairedItem = { item: itemIndex };
		if (first === undefined) return { json: item.json, pairedItem };
		const second = seconds.get(itemIndex);
		const json = mergedRow(
			item.json,
			first,
			second === undefined ? undefined : { opinion: opinionOf(second)!, json: second },
		);
		// The jobs are paid for: their ids let Get Results fetch them later, without a second charge.
		if (timedOut !== undefined && recheck.has(first.verdict))
			Object.assign(json, { waitTimedOut: true, secondOpinionJobIds: timedOut });
		return { json, pairedItem };
	});
}

export const secondOpinion: Operation = {
	resource: 'job',
	value: OPERATION,
	name: 'Second Opinion',
	action: 'Get a second opinion on unsettled results',
	description:
		'Send the addresses another provider left unknown or risky to this provider, and merge both verdicts into one row per address (credits only for the rechecked ones)',
	isAvailableFor: () => true,
	properties,
	execute,
};
