/**
 * Running the Bulk Verify node itself (real n8n-core WorkflowExecute, real HTTP) against the provider
 * simulators, plus the small facts the node-level integration tests share.
 */
import type {
	IDataObject,
	INodeExecutionData,
	INodeParameters,
	IPairedItemData,
} from 'n8n-workflow';

import { BulkVerify } from '../../nodes/BulkVerify/BulkVerify.node';
import type { ProviderName } from '../simulators';
import type { Verdict } from '../../nodes/shared/model/result';
import type { NodeRunResult } from '../harness';
import { executeNode } from '../harness';
import type { AllSimulators, RequestLogEntry, Simulator } from '../simulators';
import { profileOf } from './profiles';
import { credentialsFor, PROVIDER_NAMES } from './providers';

export interface NodeRunOptions {
	inputItems?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** Replaces the key the simulators accept, per provider (e.g. a wrong key). */
	apiKeys?: Partial<Record<ProviderName, string>>;
}

/** One Bulk Verify execution for `provider`, its credentials pointing at the simulators. */
export async function runNode(
	simulators: AllSimulators,
	provider: ProviderName,
	parameters: INodeParameters,
	options: NodeRunOptions = {},
): Promise<NodeRunResult> {
	const overrides = Object.fromEntries(
		Object.entries(options.apiKeys ?? {}).map(([name, apiKey]) => [name, { apiKey }]),
	);
	return await executeNode(new BulkVerify(), {
		parameters: { provider, ...parameters },
		credentials: credentialsFor(simulators, overrides),
		inputItems: options.inputItems,
		continueOnFail: options.continueOnFail,
	});
}

/** A single-provider simulator in the `AllSimulators` shape `credentialsFor` expects (other entries unused). */
export function asAll(simulator: Simulator): AllSimulators {
	const unused = { apiKey: 'unused', baseUrl: 'http://127.0.0.1:9' };
	return {
		...Object.fromEntries(PROVIDER_NAMES.map((name) => [name, unused])),
		[simulator.provider]: simulator,
		close: async () => await simulator.close(),
	} as unknown as AllSimulators;
}

export function emailItems(emails: unknown[], field = 'email'): INodeExecutionData[] {
	return emails.map((email) => ({ json: { [field]: email } as IDataObject }));
}

/** An input item carrying a CSV file in a binary property, as a Read Binary File node leaves it. */
export function csvItem(csv: string, fileName = 'list.csv', property = 'data'): INodeExecutionData {
	return {
		json: { fileName },
		binary: {
			[property]: {
				data: Buffer.from(csv, 'utf8').toString('base64'),
				mimeType: 'text/csv',
				fileName,
			},
		},
	};
}

export function requestsTo(simulator: Simulator, route?: string): RequestLogEntry[] {
	return simulator.requests.filter((request) => route === undefined || request.route === route);
}

/** The item indexes an output item is paired with. */
export function pairedIndexes(item: INodeExecutionData): number[] {
	const paired = item.pairedItem;
	if (paired === undefined) return [];
	if (typeof paired === 'number') return [paired];
	return (Array.isArray(paired) ? paired : [paired]).map((entry: IPairedItemData) => entry.item);
}

export function expectEveryItemPaired(items: INodeExecutionData[], inputCount: number): void {
	for (const item of items) {
		const indexes = pairedIndexes(item);
		expect(indexes.length).toBeGreaterThan(0);
		for (const index of indexes) {
			expect(index).toBeGreaterThanOrEqual(0);
			expect(index).toBeLessThan(inputCount);
		}
	}
}

/** A small list with one address of each of the simulator's four verdict classes. */
export const FOUR_CLASSES = [
	'good.ana@example.com',
	'bad.bob@example.com',
	'catchall.cy@example.com',
	'unknown.dee@example.com',
];

/** The normalized verdict of each class of FOUR_CLASSES (the catch-all one per the provider's vocabulary, from its test profile). */
export function expectedVerdicts(provider: ProviderName): Record<string, Verdict> {
	return {
		'good.ana@example.com': 'deliverable',
		'bad.bob@example.com': 'undeliverable',
		'catchall.cy@example.com': profileOf(provider).catchAllVerdict,
		'unknown.dee@example.com': 'unknown',
	};
}

export function verdictsOf(items: INodeExecutionData[]): Record<string, unknown> {
	return Object.fromEntries(items.map((item) => [item.json.email, item.json.verdict]));
}

/** Ids of the provider's own form that no simulator job has (from the test profiles). */
export const UNKNOWN_JOB_IDS: Readonly<Record<ProviderName, string>> = Object.fromEntries(
	PROVIDER_NAMES.map((name) => [name, profileOf(name).jobIds.unknown]),
);

/** Ids that are not of the provider's form (checked before any call; from the test profiles). */
export const WRONG_FORM_JOB_IDS: Readonly<Record<ProviderName, string>> = Object.fromEntries(
	PROVIDER_NAMES.map((name) => [name, profileOf(name).jobIds.wrongForm]),
);

/** The Create parameters that make the provider's job run (Bouncify: Start Now). */
export function startNow(provider: ProviderName): INodeParameters {
	return profileOf(provider).createParameters;
}

/** A minimal RFC 4180 reader, independent of the package's own CSV code, for checking its files. */
export function readCsv(text: string): string[][] {
	const records: string[][] = [];
	let record: string[] = [];
	let field = '';
	let quoted = false;
	for (let index = 0; index < text.length; index++) {
		const char = text[index];
		if (quoted) {
			if (char === '"' && text[index + 1] === '"') {
				field += '"';
				index++;
			} else if (char === '"') quoted = false;
			else field += char;
		} else if (char === '"') quoted = true;
		else if (char === ',') {
			record.push(field);
			field = '';
		} else if (char === '\n' || char === '\r') {
			if (char === '\r' && text[index + 1] === '\n') index++;
			record.push(field);
			records.push(record);
			record = [];
			field = '';
		} else field += char;
	}
	if (field !== '' || record.length > 0) {
		record.push(field);
		records.push(record);
	}
	return records;
}
