import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	IPairedItemData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readCandidates } from '../../helpers/candidates';
import { canonicalEmail } from '../../helpers/address';
import type { JobResult } from '../../../shared/workflow/output';
import { keepVerdicts } from '../../../shared/workflow/output';
import { providersWhere } from '../../../shared/workflow/descriptions';
import type { CreatedJob, Provider, ProviderInfo } from '../../../shared/model/provider';
import type { NormalizedEmailResult } from '../../../shared/model/result';
import type { NormalizedJob } from '../../../shared/model/job';
import type { PreparedList, RejectedEmail } from '../../helpers/emailList';
import { notSubmittedOf, planList } from '../../helpers/plan';
import { creditGuardOn, guardCredits } from '../../helpers/credit-guard';
import { providerForList } from '../../helpers/items';
import { JobRun } from '../../helpers/job-run';
import type { ReconciledRow } from '../../helpers/reconcile';
import { ReconcileStream, reconcileResults } from '../../helpers/reconcile';
import { fetchResults, resultItems, streamResultFile } from '../../../shared/workflow/results';
import type { RowShaper } from '../../../shared/workflow/result-stream';
import { readResultOptions, readWaitOptions } from '../../helpers/parameters';
import { timedOutItems, waitForJobs } from '../../helpers/wait';
import { checkCreditsField, emailSourceFields, showFor, waitFields } from '../fields';
import type { Operation } from '../types';

const OPERATION = 'create';

const properties: INodeProperties[] = [
	...emailSourceFields([OPERATION]),
	{
		displayName: 'Start Now',
		name: 'startNow',
		type: 'boolean',
		default: false,
		description:
			'Whether to start verifying right away, which spends credits. When off, the list is uploaded and waits for the Start operation.',
		displayOptions: showFor([OPERATION], {
			'/provider': providersWhere((info) => info.capabilities.explicitStart),
		}),
	},
	checkCreditsField(
		[OPERATION],
		'the list (one credit per address; a list that is uploaded without being started spends none)',
	),
	{
		displayName: 'Job Options',
		name: 'jobOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		// Shown only where one of its options applies: an empty collection offers nothing to add.
		displayOptions: showFor([OPERATION], {
			provider: providersWhere(
				(info) => info.capabilities.clientJobId || info.capabilities.listName,
			),
		}),
		options: [
			{
				displayName: 'Job ID',
				name: 'jobId',
				type: 'string',
				default: '',
				description:
					'This provider lets the client name the job. Leave empty to get a fresh unique ID; a list split into several jobs gets -1, -2… appended.',
				displayOptions: {
					show: { '/provider': providersWhere((info) => info.capabilities.clientJobId) },
				},
			},
			{
				displayName: 'List Name',
				name: 'listName',
				type: 'string',
				default: '',
				placeholder: 'e.g. leads-november',
				description: "Name of the uploaded file, shown in the provider's dashboard",
				displayOptions: {
					show: { '/provider': providersWhere((info) => info.capabilities.listName) },
				},
			},
		],
	},
	...waitFields([OPERATION]),
];

function checkList(ctx: IExecuteFunctions, list: PreparedList, info: ProviderInfo): void {
	if (list.emails.length > 0) return;
	const rejected = list.rejected.length;
	throw new NodeOperationError(ctx.getNode(), 'There are no valid email addresses to verify', {
		description:
			rejected > 0
				? list.rejected.every(({ reason }) => reason === 'empty' || reason === 'invalid_syntax')
					? `All ${rejected} values were empty or not email addresses (first: "${list.rejected[0].value}"). Check the Email Field; nothing was sent to ${info.displayName}.`
					: `All ${rejected} values were set aside (first: "${list.rejected[0].value}", ${REJECTION_TEXT[list.rejected[0].reason]}). Check the Email Field or the file; nothing was sent to ${info.displayName}.`
				: 'The input has no items. Nothing was sent to the provider.',
	});
}

/** The input items that carried `emails`, each once, in item order. */
function pairedItemsOf(emails: readonly string[], list: PreparedList): IPairedItemData[] {
	// Marks instead of a Set and a sort: 100,000 input items are common here.
	const carried: boolean[] = [];
	for (const email of emails)
		for (const index of list.itemsByEmail.get(canonicalEmail(email)) ?? []) carried[index] = true;
	const paired: IPairedItemData[] = [];
	for (let item = 0; item < carried.length; item++)
		if (carried[item] === true) paired.push({ item });
	return paired;
}

/** Why an address was set aside before upload, as the result row and the error texts say it. */
const REJECTION_TEXT: Record<RejectedEmail['reason'], string> = {
	empty: 'empty value',
	invalid_syntax: 'not an email address',
	non_ascii_local_part: 'non-ASCII local part: the provider cannot verify it',
	uncertain_encoding:
		'the file is not UTF-8 and this address has characters that could not be decoded with certainty: save the CSV as UTF-8',
};

/** Addresses set aside before upload, as results, so one Switch on verdict handles every row. */
function rejectedAsResults(
	list: PreparedList,
	info: ProviderInfo,
): Array<JobResult & { itemIndex: number }> {
	return list.rejected.map(({ value, reason, itemIndex }) => {
		// A well-formed address that was not verified is unknown, not undeliverable with a syntax error.
		const unverified = reason === 'non_ascii_local_part' || reason === 'uncertain_encoding';
		const result: NormalizedEmailResult = {
			email: value,
			verdict: unverified ? 'unknown' : 'undeliverable',
			reason: unverified ? 'unverifiable' : 'invalid_syntax',
			providerStatus: 'not_submitted',
			providerReason: REJECTION_TEXT[reason],
			flags: unverified ? {} : { syntaxError: true },
			raw: null,
		};
		return { provider: info.name, jobId: '', result, itemIndex };
	});
}

async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
	info: ProviderInfo,
): Promise<INodeExecutionData[]> {
	const plan = planList(await readCandidates(this, items), info.capabilities);
	const { list, jobs: chunks } = plan;
	checkList(this, list, info);

	const startNow = info.capabilities.explicitStart
		? (this.getNodeParameter('startNow', 0, false) as boolean)
		: true;
	const waitForCompletion = this.getNodeParameter('waitForCompletion', 0, false) as boolean;
	if (waitForCompletion && !startNow) {
		throw new NodeOperationError(this.getNode(), 'Wait for Completion needs Start Now', {
			description: `A ${info.displayName} list that is not started never completes. Turn on Start Now (it spends credits), or turn off Wait for Completion and use the Start operation later.`,
		});
	}
	const jobOptions = this.getNodeParameter('jobOptions', 0, {}) as IDataObject;
	const jobIdOf = clientJobIds(this, info, jobOptions, chunks.length);
	// A job that starts is paid for: the guard reads the balance before the first one is created.
	if (startNow && creditGuardOn(this, info)) {
		await guardCredits(this, info, plan.creditsNeeded, {
			needs: 'This list needs',
			notDone: `Nothing was sent to ${info.displayName}`,
		});
	}
	const provider = providerForList(this, info);
	const run = new JobRun(this, provider, chunks);
	const created = await run.createAll((emails, index) => ({
		emails,
		startNow,
		jobId: jobIdOf(index),
		listName: (jobOptions.listName as string | undefined) || undefined,
	}));
	if (!waitForCompletion) return createdItems(created, chunks, list);
	const outcome = await run.step('wait', () =>
		waitForJobs(
			provider,
			created.map((job) => job.jobId),
			readWaitOptions(this, 0, provider),
		),
	);
	const allPaired = items.map((_, item) => ({ item }));
	if (outcome.timedOut) return timedOutItems(outcome.jobs, allPaired);
	return await run.step('results', () =>
		completedItems(this, provider, outcome.jobs, chunks, list, allPaired),
	);
}

/** Check365 lets the client name jobs: each id is checked before anything is uploaded (and paid for). */
function clientJobIds(
	ctx: IExecuteFunctions,
	info: ProviderInfo,
	jobOptions: IDataObject,
	parts: number,
): (index: number) => string | undefined {
	const customId = info.capabilities.clientJobId
		? ((jobOptions.jobId as string | undefined) ?? '').trim()
		: '';
	if (customId === '') return () => undefined;
	const idOf = (index: number) => (parts > 1 ? `${customId}-${index + 1}` : customId);
	const wrong = [0, parts - 1].map(idOf).find((id) => !info.isValidJobId(id));
	if (wrong !== undefined) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The Job ID "${wrong}" is not a valid ${info.displayName} job ID`,
			{
				description: `Change Job Options → Job ID (${info.jobIdHint}), or clear it to get a generated one. Nothing was sent to ${info.displayName}.`,
			},
		);
	}
	return idOf;
}

function createdItems(
	created: CreatedJob[],
	chunks: string[][],
	list: PreparedList,
): INodeExecutionData[] {
	const summary = {
		submitted: list.emails.length,
		duplicatesRemoved: list.duplicates,
		notSubmitted: notSubmittedOf(list),
		jobCount: created.length,
	};
	return created.map((job, index) => ({
		json: {
			provider: job.provider,
			jobId: job.jobId,
			started: job.started,
			emailCount: job.emailCount,
			part: index + 1,
			...(index === 0 ? summary : { jobCount: created.length }),
			...(job.message !== undefined ? { message: job.message } : {}),
		},
		pairedItem: pairedItemsOf(chunks[index], list),
	}));
}

/**
 * The results of the finished jobs: exactly one row per submitted address (failed rows fetched
 * where the provider has them, missing ones marked unknown), then the addresses set aside before
 * upload, filtered by the verdicts the user asked for.
 */
async function completedItems(
	ctx: IExecuteFunctions,
	provider: Provider,
	jobs: NormalizedJob[],
	chunks: string[][],
	list: PreparedList,
	allPaired: IPairedItemData[],
): Promise<INodeExecutionData[]> {
	const info = provider.info;
	const options = readResultOptions(ctx, 0);
	const submitted = jobs.map((job, index) => ({ jobId: job.jobId, emails: chunks[index] }));
	const displayOf = (email: string) => list.originalOf.get(canonicalEmail(email)) ?? email;
	// A file is written while the downloads arrive, where the provider streams them.
	const streamed = await streamResultFile(
		ctx,
		provider,
		jobs,
		{ ...options, includeFailedRows: true },
		allPaired,
		{
			shaper: () =>
				withRows(
					new ReconcileStream(submitted, displayOf, (key) => list.itemsByEmail.has(key)),
					rejectedAsResults(list, info),
				),
			jobIds: [
				...new Set(jobs.map((job) => job.jobId)),
				...(keepVerdicts(rejectedAsResults(list, info), options.verdicts).length > 0 ? [''] : []),
			],
		},
	);
	if (streamed) return streamed;
	const fetched = await fetchResults(
		ctx,
		provider,
		jobs,
		{ ...options, verdicts: [], includeFailedRows: true },
		0,
	);
	const rows: Array<ReconciledRow & { itemIndex?: number }> = [
		...keepVerdicts(reconcileResults(fetched, submitted, info.name, displayOf), options.verdicts),
		...keepVerdicts(rejectedAsResults(list, info), options.verdicts),
	];
	return await resultItems(
		ctx,
		rows,
		options,
		(row) =>
			row.itemIndex !== undefined
				? { item: row.itemIndex }
				: (list.itemsByEmail.get(canonicalEmail(row.submittedEmail ?? row.result.email)) ?? []).map(
						(item) => ({ item }),
					),
		allPaired,
	);
}

/** `shaper`'s rows, then `rows` (the addresses set aside before upload). */
function withRows(shaper: RowShaper, rows: readonly JobResult[]): RowShaper {
	return {
		push: (job, results, rawColumns, emit) => shaper.push(job, results, rawColumns, emit),
		jobDone: (job, emit) => shaper.jobDone(job, emit),
		end(emit) {
			shaper.end(emit);
			for (const { jobId, result } of rows) emit(jobId, undefined, result);
		},
	};
}

export const create: Operation = {
	resource: 'job',
	value: OPERATION,
	name: 'Create',
	action: 'Create a verification job',
	description: 'Upload the emails of all input items (or a CSV file) as one bulk verification job',
	isAvailableFor: () => true,
	properties,
	execute,
};
