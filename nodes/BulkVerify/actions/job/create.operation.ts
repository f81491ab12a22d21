import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, IPairedItemData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { findColumn, parseCsv } from '../../../shared/csv';
import { canonicalEmail } from '../../../shared/normalize';
import type { JobResult } from '../../../shared/output';
import { keepVerdicts } from '../../../shared/output';
import { providersWhere } from '../../../shared/descriptions';
import type { CreatedJob, NormalizedEmailResult, ProviderInfo } from '../../../shared/providers/types';
import type { EmailCandidate, PreparedList } from '../../helpers/emailList';
import { prepareEmailList, splitIntoJobs } from '../../helpers/emailList';
import { providerForItem } from '../../helpers/items';
import { fetchResults, resultItems } from '../../../shared/results';
import { readResultOptions, readWaitOptions } from '../../helpers/parameters';
import { timedOutItems, waitForJobs } from '../../helpers/wait';
import { showFor, waitFields } from '../fields';
import type { Operation } from '../types';

const OPERATION = 'create';

const properties: INodeProperties[] = [
	{
		displayName: 'Emails From',
		name: 'inputSource',
		type: 'options',
		options: [
			{ name: 'A Field of the Input Items', value: 'items', description: 'All input items make one list' },
			{ name: 'A CSV File (Binary)', value: 'binary', description: 'A CSV file in a binary property, one row per email' },
		],
		default: 'items',
		displayOptions: showFor([OPERATION]),
	},
	{
		displayName: 'Email Field',
		name: 'emailField',
		type: 'string',
		default: 'email',
		required: true,
		placeholder: 'e.g. email or contact.email',
		description:
			'Name of the field holding the address (dot notation for nested fields), or an expression that returns the address',
		displayOptions: showFor([OPERATION], { inputSource: ['items'] }),
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		description: 'The binary property that holds the CSV file',
		displayOptions: showFor([OPERATION], { inputSource: ['binary'] }),
	},
	{
		displayName: 'Email Column',
		name: 'csvColumn',
		type: 'string',
		default: 'email',
		required: true,
		description: 'Header of the column that holds the addresses (case and spaces do not matter)',
		displayOptions: showFor([OPERATION], { inputSource: ['binary'] }),
	},
	{
		displayName: 'Start Now',
		name: 'startNow',
		type: 'boolean',
		default: false,
		description:
			'Whether to start verifying right away, which spends credits. When off, the list is uploaded and waits for the Start operation.',
		displayOptions: showFor([OPERATION], { '/provider': providersWhere((info) => info.capabilities.explicitStart) }),
	},
	{
		displayName: 'Job Options',
		name: 'jobOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: showFor([OPERATION]),
		options: [
			{
				displayName: 'Job ID',
				name: 'jobId',
				type: 'string',
				default: '',
				description:
					'Check365 lets the client name the job. Leave empty to get a fresh unique ID; a list split into several jobs gets -1, -2… appended.',
				displayOptions: { show: { '/provider': providersWhere((info) => info.capabilities.clientJobId) } },
			},
			{
				displayName: 'List Name',
				name: 'listName',
				type: 'string',
				default: '',
				placeholder: 'e.g. leads-november',
				description: 'Name of the uploaded file, shown in the SimpleCold dashboard',
				displayOptions: { show: { '/provider': ['simplecold'] } },
			},
		],
	},
	...waitFields([OPERATION]),
];

/** The emails of the run with the input item each came from. */
async function readCandidates(ctx: IExecuteFunctions, items: INodeExecutionData[]): Promise<EmailCandidate[]> {
	const source = ctx.getNodeParameter('inputSource', 0) as 'items' | 'binary';
	return source === 'binary' ? await candidatesFromCsv(ctx, items) : candidatesFromItems(ctx, items);
}

function candidatesFromItems(ctx: IExecuteFunctions, items: INodeExecutionData[]): EmailCandidate[] {
	const raw = ctx.getNode().parameters.emailField;
	const isExpression = typeof raw === 'string' && raw.startsWith('=');
	const fieldPath = isExpression ? [] : String(ctx.getNodeParameter('emailField', 0)).split('.');
	let found = false;
	const candidates = items.map((item, itemIndex) => {
		const value = isExpression ? ctx.getNodeParameter('emailField', itemIndex) : readPath(item.json, fieldPath);
		if (value !== undefined) found = true;
		return { value, itemIndex };
	});
	if (!found && items.length > 0) {
		const fields = Object.keys(items[0].json).slice(0, 10).join(', ') || 'no fields';
		throw new NodeOperationError(
			ctx.getNode(),
			isExpression ? `The Email Field expression ${String(raw).slice(1)} returned no value for any item` : `No input item has a field "${fieldPath.join('.')}"`,
			{
				itemIndex: 0,
				description: `Set Email Field to the name of the field that holds the addresses, or to an expression that returns them (the first item has: ${fields}).`,
			},
		);
	}
	return candidates;
}

/** A field by name; a name with dots is first tried as one key, then as a path into nested objects. */
function readPath(json: IDataObject, path: string[]): unknown {
	const whole = path.join('.');
	if (path.length > 1 && whole in json) return json[whole];
	let value: unknown = json;
	for (const key of path) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

async function candidatesFromCsv(ctx: IExecuteFunctions, items: INodeExecutionData[]): Promise<EmailCandidate[]> {
	const candidates: EmailCandidate[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const property = ctx.getNodeParameter('binaryPropertyName', itemIndex) as string;
		const wanted = ctx.getNodeParameter('csvColumn', itemIndex) as string;
		ctx.helpers.assertBinaryData(itemIndex, property);
		const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
		const csv = parseCsv(buffer.toString('utf8'));
		const column = findColumn(csv.headers, wanted);
		if (column === undefined) {
			throw new NodeOperationError(ctx.getNode(), `The CSV file has no column "${wanted}"`, {
				itemIndex,
				description: `Set Email Column to one of the file's headers: ${csv.headers.slice(0, 15).join(', ') || 'the file has no header row'}.`,
			});
		}
		for (const row of csv.rows) candidates.push({ value: row[column], itemIndex });
	}
	return candidates;
}

function checkList(ctx: IExecuteFunctions, list: PreparedList, info: ProviderInfo): void {
	if (list.emails.length > 0) return;
	const rejected = list.rejected.length;
	throw new NodeOperationError(ctx.getNode(), 'There are no valid email addresses to verify', {
		itemIndex: 0,
		description:
			rejected > 0
				? `All ${rejected} values were empty or not email addresses (first: "${list.rejected[0].value}"). Check the Email Field; nothing was sent to ${info.displayName}.`
				: 'The input has no items. Nothing was sent to the provider.',
	});
}

/** The input items that carried `emails`, each once, in item order. */
function pairedItemsOf(emails: readonly string[], list: PreparedList): IPairedItemData[] {
	// Marks instead of a Set and a sort: 100,000 input items are common here.
	const carried: boolean[] = [];
	for (const email of emails) for (const index of list.itemsByEmail.get(canonicalEmail(email)) ?? []) carried[index] = true;
	const paired: IPairedItemData[] = [];
	for (let item = 0; item < carried.length; item++) if (carried[item] === true) paired.push({ item });
	return paired;
}

/** Addresses set aside before upload, as results, so one Switch on verdict handles every row. */
function rejectedAsResults(list: PreparedList, info: ProviderInfo): Array<JobResult & { itemIndex: number }> {
	return list.rejected.map(({ value, reason, itemIndex }) => {
		const result: NormalizedEmailResult = {
			email: value,
			verdict: 'undeliverable',
			reason: 'invalid_syntax',
			providerStatus: 'not_submitted',
			providerReason: reason === 'empty' ? 'empty value' : 'not an email address',
			flags: { syntaxError: true },
			raw: null,
		};
		return { provider: info.name, jobId: '', result, itemIndex };
	});
}

async function execute(this: IExecuteFunctions, items: INodeExecutionData[], info: ProviderInfo): Promise<INodeExecutionData[]> {
	const list = prepareEmailList(await readCandidates(this, items));
	checkList(this, list, info);

	const startNow = info.capabilities.explicitStart ? (this.getNodeParameter('startNow', 0, false) as boolean) : true;
	const waitForCompletion = this.getNodeParameter('waitForCompletion', 0, false) as boolean;
	if (waitForCompletion && !startNow) {
		throw new NodeOperationError(this.getNode(), 'Wait for Completion needs Start Now', {
			itemIndex: 0,
			description: `A ${info.displayName} list that is not started never completes. Turn on Start Now (it spends credits), or turn off Wait for Completion and use the Start operation later.`,
		});
	}
	const jobOptions = this.getNodeParameter('jobOptions', 0, {}) as IDataObject;
	const chunks = splitIntoJobs(list.emails, info.capabilities.limits);
	const provider = providerForItem(this, info, 0);

	const created: CreatedJob[] = [];
	for (const [index, emails] of chunks.entries()) {
		const customId = (jobOptions.jobId as string | undefined) || undefined;
		created.push(
			await provider.createJob({
				emails,
				startNow,
				jobId: customId !== undefined && chunks.length > 1 ? `${customId}-${index + 1}` : customId,
				listName: (jobOptions.listName as string | undefined) || undefined,
			}),
		);
	}

	const summary = {
		submitted: list.emails.length,
		duplicatesRemoved: list.duplicates,
		notSubmitted: list.rejected.map(({ value, itemIndex, reason }) => ({ value, itemIndex, reason })),
		jobCount: created.length,
	};
	if (!waitForCompletion) {
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

	const jobIds = created.map((job) => job.jobId);
	const outcome = await waitForJobs(provider, jobIds, readWaitOptions(this, 0, provider));
	const allPaired = items.map((_, item) => ({ item }));
	if (outcome.timedOut) return timedOutItems(outcome.jobs, allPaired);
	const options = readResultOptions(this, 0);
	const rows: Array<JobResult & { itemIndex?: number }> = [
		...(await fetchResults(this, provider, outcome.jobs, options, 0)),
		...keepVerdicts(rejectedAsResults(list, info), options.verdicts),
	];
	return await resultItems(
		this,
		rows,
		options,
		(row) =>
			row.itemIndex !== undefined
				? { item: row.itemIndex }
				: (list.itemsByEmail.get(canonicalEmail(row.result.email)) ?? []).map((item) => ({ item })),
		allPaired,
	);
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
