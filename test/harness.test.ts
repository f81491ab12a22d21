/**
 * Proves the test harness: node code runs through n8n-core's real execution engine, and
 * `httpRequestWithAuthentication` puts each real credential's key where the provider expects it,
 * over real HTTP to a loopback server.
 */
import { ExecuteContext } from 'n8n-core';
import type {
	ICredentialType,
	IWorkflowExecuteAdditionalData,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
} from 'n8n-workflow';
import { NodeApiError, UserError } from 'n8n-workflow';

import {
	DURABLE_POLL_BUDGET_MS,
	TestCredentialsHelper,
	loadPackageCredentialTypes,
	LEGACY_POLL_BUDGET_MS,
	createExecuteContext,
	createPollHarness,
	executeNode,
	readBinaryData,
	setSsrfProtection,
	startLoopbackServer,
	testCredential,
} from './harness';
import type { LoopbackServer, RecordedRequest } from './harness';

const PACKAGE_CREDENTIALS = [
	'bouncifyApi',
	'check365Api',
	'simpleColdApi',
	'whoisXmlApi',
	'harnessGenericApi',
];

interface ProbeRequest extends IDataObject {
	method: IHttpRequestMethods;
	path: string;
	qs?: IDataObject;
	body?: IDataObject;
}

/** A tiny action node: one authenticated request per input item, described by the item. */
class HttpProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'HTTP Probe',
		name: 'httpProbe',
		group: ['transform'],
		version: 1,
		description: 'Sends one authenticated request per item',
		defaults: { name: 'HTTP Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: PACKAGE_CREDENTIALS.map((name) => ({ name, required: false })),
		properties: [
			{ displayName: 'Credential Type', name: 'credentialType', type: 'string', default: '' },
			{ displayName: 'Attach CSV', name: 'attachCsv', type: 'boolean', default: false },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const credentialType = this.getNodeParameter('credentialType', i) as string;
				const request = items[i].json as ProbeRequest;
				const options: IHttpRequestOptions = {
					method: request.method,
					url: request.path,
					json: true,
				};
				if (request.qs) options.qs = request.qs;
				if (request.body) options.body = request.body;
				const response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					credentialType,
					options,
				)) as IDataObject;
				const item: INodeExecutionData = { json: { response }, pairedItem: { item: i } };
				if (this.getNodeParameter('attachCsv', i) as boolean) {
					const csv = Buffer.from('email,verdict\nann@example.com,deliverable\n', 'utf8');
					item.binary = {
						data: await this.helpers.prepareBinaryData(csv, 'results.csv', 'text/csv'),
					};
				}
				output.push(item);
			} catch (error) {
				if (this.continueOnFail()) {
					output.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [output];
	}
}

/** A test-only credential with n8n's declarative (generic) authenticate. */
class HarnessGenericApi implements ICredentialType {
	name = 'harnessGenericApi';

	displayName = 'Harness Generic API';

	properties: ICredentialType['properties'] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Region', name: 'region', type: 'string', default: 'eu' },
		{ displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
	];

	authenticate: ICredentialType['authenticate'] = {
		type: 'generic',
		properties: {
			headers: { 'X-Api-Key': '={{$credentials.apiKey}}' },
			qs: { region: '={{$credentials.region}}' },
		},
	};

	test: ICredentialType['test'] = {
		request: { baseURL: '={{$credentials.baseUrl}}', url: '/whoami', method: 'GET' },
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'account.active', value: false, message: 'The account is disabled' },
			},
		],
	};
}

let server: LoopbackServer;

beforeAll(async () => {
	server = await startLoopbackServer((request) => {
		if (request.path.endsWith('/fail')) return { status: 500, body: { error: 'Internal failure' } };
		if (request.path.endsWith('/unauthorized'))
			return { status: 401, body: { message: 'Invalid API key' } };
		if (request.path.endsWith('/whoami')) {
			return {
				status: 200,
				body: { account: { active: request.headers['x-api-key'] === 'generic-key' } },
			};
		}
		return { status: 200, body: { ok: true, path: request.path } };
	});
});

afterAll(async () => {
	await server.close();
});

async function probe(
	credentialType: string,
	credentialData: IDataObject,
	request: ProbeRequest,
): Promise<RecordedRequest> {
	const before = server.requests.length;
	const result = await executeNode(new HttpProbe(), {
		parameters: { credentialType },
		credentials: { [credentialType]: credentialData as Record<string, string> },
		inputItems: [{ json: request }],
		extraCredentialTypes: [HarnessGenericApi],
	});
	expect(result.error).toBeUndefined();
	expect(result.items).toHaveLength(1);
	expect(result.items[0].json.response).toMatchObject({ ok: true });
	expect(server.requests).toHaveLength(before + 1);
	return server.lastRequest();
}

describe('executeNode: the four real credentials put the key where each provider reads it', () => {
	it('Bouncify: `apikey` query parameter, under the credential base URL', async () => {
		const seen = await probe(
			'bouncifyApi',
			{ apiKey: 'bouncify-key', baseUrl: `${server.url}/v1/` },
			{ method: 'GET', path: '/info' },
		);
		expect(seen.method).toBe('GET');
		expect(seen.path).toBe('/v1/info');
		expect(seen.query).toEqual({ apikey: 'bouncify-key' });
		expect(seen.headers.authorization).toBeUndefined();
	});

	it('Check365: `api_key` query parameter on GET', async () => {
		const seen = await probe(
			'check365Api',
			{ apiKey: 'check365-key', baseUrl: `${server.url}/api/validation` },
			{ method: 'GET', path: '/bulk-status', qs: { job_id: 'job-1' } },
		);
		expect(seen.path).toBe('/api/validation/bulk-status');
		expect(seen.query).toEqual({ job_id: 'job-1', api_key: 'check365-key' });
	});

	it('Check365: `api_key` in the JSON body on POST, not in the query', async () => {
		const seen = await probe(
			'check365Api',
			{ apiKey: 'check365-key', baseUrl: `${server.url}/api/validation` },
			{ method: 'POST', path: '/bulk-upload', body: { emails: ['ann@example.com'] } },
		);
		expect(seen.path).toBe('/api/validation/bulk-upload');
		expect(seen.query).toEqual({});
		expect(seen.headers['content-type']).toMatch(/application\/json/);
		expect(seen.json).toEqual({ emails: ['ann@example.com'], api_key: 'check365-key' });
	});

	it('SimpleCold: `Authorization: Bearer <key>` header', async () => {
		const seen = await probe(
			'simpleColdApi',
			{ apiKey: 'simplecold-key', baseUrl: `${server.url}/api/v1` },
			{ method: 'GET', path: '/api-validation/validate' },
		);
		expect(seen.path).toBe('/api/v1/api-validation/validate');
		expect(seen.headers.authorization).toBe('Bearer simplecold-key');
		expect(seen.query).toEqual({});
	});

	it('WhoisXML: `apiKey` in the JSON body on POST', async () => {
		const seen = await probe(
			'whoisXmlApi',
			{ apiKey: 'at_whois-key', baseUrl: server.url },
			{
				method: 'POST',
				path: '/api/bevService/request',
				body: { format: 'json', emails: ['ann@example.com'] },
			},
		);
		expect(seen.path).toBe('/api/bevService/request');
		expect(seen.query).toEqual({});
		expect(seen.json).toEqual({
			format: 'json',
			emails: ['ann@example.com'],
			apiKey: 'at_whois-key',
		});
	});

	it('WhoisXML: `apiKey` query parameter on GET', async () => {
		const seen = await probe(
			'whoisXmlApi',
			{ apiKey: 'at_whois-key', baseUrl: `${server.url}/proxy/` },
			{ method: 'GET', path: '/api/v3', qs: { emailAddress: 'ann@example.com' } },
		);
		expect(seen.path).toBe('/proxy/api/v3');
		expect(seen.query).toEqual({ emailAddress: 'ann@example.com', apiKey: 'at_whois-key' });
	});

	it('a generic (declarative) credential has its {{$credentials}} expressions resolved and merged', async () => {
		const seen = await probe(
			'harnessGenericApi',
			{ apiKey: 'generic-key' },
			{ method: 'GET', path: `${server.url}/generic`, qs: { page: 2 } },
		);
		expect(seen.headers['x-api-key']).toBe('generic-key');
		// `region` was not set: the credential property's default is applied, as n8n does.
		expect(seen.query).toEqual({ page: '2', region: 'eu' });
	});
});

describe('TestCredentialsHelper', () => {
	it('fills credential defaults, resolves expressions in credential data, and round-trips through n8n-core Credentials', async () => {
		const helper = new TestCredentialsHelper(loadPackageCredentialTypes(), {
			bouncifyApi: { apiKey: '={{ "expr-" + "key" }}' },
		});
		const additionalData = { variables: {} } as unknown as IWorkflowExecuteAdditionalData;
		const decrypted = await helper.getDecrypted(
			additionalData,
			{ id: '1', name: 'Bouncify account' },
			'bouncifyApi',
			'manual',
		);
		expect(decrypted).toEqual({ apiKey: 'expr-key', baseUrl: 'https://api.bouncify.io/v1' });

		const stored = await helper.getCredentials(
			{ id: '1', name: 'Bouncify account' },
			'bouncifyApi',
		);
		expect(stored.getDataToSave().data).not.toContain('expr-');
		expect(await stored.getData()).toEqual({ apiKey: '={{ "expr-" + "key" }}' });
		await expect(
			helper.getDecrypted(additionalData, { id: '2', name: 'x' }, 'simpleColdApi', 'manual'),
		).rejects.toThrow('Credential with ID "2" does not exist for type "simpleColdApi".');
	});
});

describe('executeNode: errors', () => {
	it.each([
		['ftp://x', /http:\/\/ or https:\/\//],
		['not a url', /not a valid URL.*https:\/\//],
	])(
		'a credential base URL of %j fails before any request, telling the user to use an http(s) URL',
		async (baseUrl, expected) => {
			const before = server.requests.length;
			const result = await executeNode(new HttpProbe(), {
				parameters: { credentialType: 'bouncifyApi' },
				credentials: { bouncifyApi: { apiKey: 'k', baseUrl } },
				inputItems: [{ json: { method: 'GET', path: '/info' } }],
			});
			expect(result.items).toEqual([]);
			// n8n-core wraps what the credential's authenticate threw; the message reaches the user unchanged.
			expect(result.error).toBeInstanceOf(NodeApiError);
			expect(result.error?.message).toMatch(expected);
			expect(result.error?.cause).toBeInstanceOf(UserError);
			expect(result.executionError?.message).toMatch(expected);
			expect(server.requests.length).toBe(before);
		},
	);

	it('an HTTP error fails the node with the real NodeApiError', async () => {
		const result = await executeNode(new HttpProbe(), {
			parameters: { credentialType: 'simpleColdApi' },
			credentials: { simpleColdApi: { apiKey: 'k', baseUrl: server.url } },
			inputItems: [{ json: { method: 'GET', path: '/fail' } }],
		});
		expect(result.error).toBeInstanceOf(NodeApiError);
		const error = result.error as NodeApiError;
		expect(error.httpCode).toBe('500');
		expect(error.message).toBe('The service was not able to process your request');
		expect(error.node?.name).toBe('HTTP Probe');
		// What n8n keeps in the execution data is a plain copy without the class.
		expect(result.executionError).not.toBeInstanceOf(NodeApiError);
		expect(result.executionError?.message).toBe(error.message);
		expect(result.run.status).toBe('error');
		expect(result.items).toEqual([]);
	});

	it('continueOnFail: the failed item becomes an error item and the others still run', async () => {
		const result = await executeNode(new HttpProbe(), {
			parameters: { credentialType: 'simpleColdApi' },
			credentials: { simpleColdApi: { apiKey: 'k', baseUrl: server.url } },
			inputItems: [
				{ json: { method: 'GET', path: '/fail' } },
				{ json: { method: 'GET', path: '/ok' } },
			],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(2);
		expect(result.items[0].json.error).toEqual(expect.any(String));
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(result.items[1].json.response).toMatchObject({ ok: true, path: '/ok' });
	});

	it('a key-rejecting 401 surfaces as NodeApiError with httpCode 401', async () => {
		const result = await executeNode(new HttpProbe(), {
			parameters: { credentialType: 'bouncifyApi' },
			credentials: { bouncifyApi: { apiKey: 'bad', baseUrl: server.url } },
			inputItems: [{ json: { method: 'GET', path: '/unauthorized' } }],
		});
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect((result.error as NodeApiError).httpCode).toBe('401');
	});
});

describe('executeNode: binary data', () => {
	it('prepareBinaryData stores the file with n8n-core’s binary data service', async () => {
		const result = await executeNode(new HttpProbe(), {
			parameters: { credentialType: 'bouncifyApi', attachCsv: true },
			credentials: { bouncifyApi: { apiKey: 'k', baseUrl: server.url } },
			inputItems: [{ json: { method: 'GET', path: '/ok' } }],
		});
		expect(result.error).toBeUndefined();
		const binary = result.items[0].binary?.data;
		expect(binary).toMatchObject({
			fileName: 'results.csv',
			mimeType: 'text/csv',
			fileExtension: 'csv',
		});
		expect(binary?.id).toMatch(/^filesystem-v2:/);
		expect((await readBinaryData(binary!)).toString('utf8')).toBe(
			'email,verdict\nann@example.com,deliverable\n',
		);
	});
});

describe('createExecuteContext', () => {
	async function fetchInfo(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
		const path = this.getNodeParameter('path', itemIndex) as string;
		return (await this.helpers.httpRequestWithAuthentication.call(this, 'bouncifyApi', {
			method: 'GET',
			url: path,
			json: true,
		})) as IDataObject;
	}

	it('returns a real ExecuteContext whose requests carry the credential', async () => {
		const ctx = await createExecuteContext({
			parameters: { provider: 'bouncify', path: '/info' },
			credentials: { bouncifyApi: { apiKey: 'ctx-key', baseUrl: `${server.url}/v1` } },
			inputItems: [{ json: { email: 'ann@example.com' } }],
		});
		expect(ctx).toBeInstanceOf(ExecuteContext);
		expect(ctx.getInputData()).toEqual([{ json: { email: 'ann@example.com' } }]);
		expect(ctx.getNodeParameter('provider', 0)).toBe('bouncify');
		expect(ctx.continueOnFail()).toBe(false);

		const response = await fetchInfo.call(ctx, 0);
		expect(response).toMatchObject({ ok: true, path: '/v1/info' });
		expect(server.lastRequest().query).toEqual({ apikey: 'ctx-key' });

		const binary = await ctx.helpers.prepareBinaryData(Buffer.from('a,b\n'), 'out.csv', 'text/csv');
		expect((await readBinaryData(binary)).toString()).toBe('a,b\n');
	});

	it('uses a given node description: its defaults fill unset parameters and expressions resolve', async () => {
		const ctx = await createExecuteContext({
			nodeTypeDescription: {
				...new HttpProbe().description,
				properties: [
					{ displayName: 'Path', name: 'path', type: 'string', default: '/info' },
					{ displayName: 'Label', name: 'label', type: 'string', default: '' },
				],
			},
			parameters: { label: '={{ $json.email.toUpperCase() }}' },
			credentials: { bouncifyApi: { apiKey: 'ctx-key', baseUrl: server.url } },
			inputItems: [{ json: { email: 'ann@example.com' } }],
			continueOnFail: true,
		});
		expect(ctx.getNodeParameter('path', 0)).toBe('/info');
		expect(ctx.getNodeParameter('label', 0)).toBe('ANN@EXAMPLE.COM');
		expect(ctx.continueOnFail()).toBe(true);
		await fetchInfo.call(ctx, 0);
		expect(server.lastRequest().path).toBe('/info');
	});
});

describe('testCredential with a declarative credential', () => {
	it('resolves ={{$credentials.baseUrl}} in the test request and applies the generic authenticate', async () => {
		await expect(
			testCredential(HarnessGenericApi, { apiKey: 'generic-key', baseUrl: server.url }),
		).resolves.toEqual({
			status: 'OK',
			message: 'Connection successful!',
		});
		expect(server.lastRequest()).toMatchObject({ path: '/whoami', query: { region: 'eu' } });
		await expect(
			testCredential(new HarnessGenericApi(), { apiKey: 'other', baseUrl: server.url }),
		).resolves.toEqual({
			status: 'Error',
			message: 'The account is disabled',
		});
	});
});

describe('SSRF protection (n8n default: off)', () => {
	afterEach(() => setSsrfProtection(false));

	it('lets loopback requests through by default and blocks them when N8N_SSRF_PROTECTION_ENABLED is on', async () => {
		const run = async () =>
			await executeNode(new HttpProbe(), {
				parameters: { credentialType: 'bouncifyApi' },
				credentials: { bouncifyApi: { apiKey: 'k', baseUrl: server.url } },
				inputItems: [{ json: { method: 'GET', path: '/ok' } }],
			});
		expect((await run()).error).toBeUndefined();

		setSsrfProtection(true);
		const before = server.requests.length;
		const blocked = await run();
		expect(blocked.error).toBeInstanceOf(NodeApiError);
		expect(blocked.error?.message).toBe(
			'The request was blocked because it resolves to a restricted IP address',
		);
		expect(blocked.error?.description).toMatch(/127\.0\.0\.1 is not allowed/);
		expect(server.requests.length).toBe(before);
	});
});

// ---------------------------------------------------------------------------------------------
// Poll harness

interface HarnessEvent extends IDataObject {
	id: number;
}

/** A polling trigger: the first poll records a baseline, later polls emit events newer than it. */
class EventsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Events Trigger',
		name: 'harnessEventsTrigger',
		group: ['trigger'],
		version: 1,
		description: 'Emits new events from the loopback server',
		defaults: { name: 'Events Trigger' },
		polling: true,
		inputs: [],
		outputs: ['main'],
		credentials: [{ name: 'bouncifyApi', required: true }],
		properties: [],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const state = this.getWorkflowStaticData('node');
		state.polls = ((state.polls as number | undefined) ?? 0) + 1;
		const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'bouncifyApi', {
			method: 'GET',
			url: '/events',
			json: true,
		})) as { events: HarnessEvent[] };
		const newest = Math.max(0, ...response.events.map((event) => event.id));
		if (state.lastId === undefined) {
			state.lastId = newest;
			return null;
		}
		const fresh = response.events.filter((event) => event.id > (state.lastId as number));
		if (fresh.length === 0) return null;
		state.lastId = newest;
		return [fresh.map((event) => ({ json: event }))];
	}
}

describe('createPollHarness', () => {
	let events: HarnessEvent[];
	let eventsServer: LoopbackServer;
	let failNext = false;

	beforeAll(async () => {
		eventsServer = await startLoopbackServer((request) => {
			if (failNext) {
				failNext = false;
				return { status: 503, body: { message: 'Try again later' } };
			}
			expect(request.query.apikey).toBe('poll-key');
			return { status: 200, body: { events } };
		});
	});

	afterAll(async () => {
		await eventsServer.close();
	});

	beforeEach(() => {
		events = [{ id: 1 }, { id: 2 }];
	});

	const credentials = () => ({ bouncifyApi: { apiKey: 'poll-key', baseUrl: eventsServer.url } });
	const ids = (result: INodeExecutionData[][] | null) =>
		result?.[0].map((item) => item.json.id) ?? null;

	it('keeps static data between polls and across restart(snapshot), without duplicates', async () => {
		const harness = createPollHarness(new EventsTrigger(), { credentials: credentials() });
		expect(harness.getPollBudgetMs()).toBe(LEGACY_POLL_BUDGET_MS);

		expect(await harness.poll()).toBeNull(); // activation poll: baseline only
		expect(harness.nodeStaticData).toMatchObject({ lastId: 2 });

		events.push({ id: 3 }, { id: 4 });
		expect(ids(await harness.poll())).toEqual([3, 4]);
		expect(await harness.poll()).toBeNull();
		expect(harness.staticData).toEqual({ 'node:Events Trigger': { polls: 3, lastId: 4 } });

		const snapshot = harness.snapshotStaticData();
		expect(snapshot).toEqual({ 'node:Events Trigger': { polls: 3, lastId: 4 } });

		const restarted = harness.restart(snapshot);
		expect(restarted.workflow).not.toBe(harness.workflow);
		expect(restarted.staticData).toEqual(snapshot);
		events.push({ id: 5 });
		// After a restart the first poll is an activation poll again; what it returns is emitted.
		expect(ids(await restarted.poll())).toEqual([5]);
		expect(await restarted.poll()).toBeNull();
		expect(restarted.emitted.map((data) => data[0].map((item) => item.json.id))).toEqual([[5]]);
		expect(harness.emitted.map((data) => data[0].map((item) => item.json.id))).toEqual([[3, 4]]);
	});

	it('tracks what n8n saves: at activation and on emit, not after a poll that returned null', async () => {
		const harness = createPollHarness(new EventsTrigger(), { credentials: credentials() });
		await harness.poll();
		expect(harness.persistedStaticData()).toEqual({
			'node:Events Trigger': { polls: 1, lastId: 2 },
		});

		await harness.poll(); // null: the poll counter moved in memory only
		expect(harness.snapshotStaticData()).toEqual({
			'node:Events Trigger': { polls: 2, lastId: 2 },
		});
		expect(harness.persistedStaticData()).toEqual({
			'node:Events Trigger': { polls: 1, lastId: 2 },
		});

		events.push({ id: 3 });
		await harness.poll(); // emits: n8n saves the static data
		expect(harness.persistedStaticData()).toEqual({
			'node:Events Trigger': { polls: 3, lastId: 3 },
		});

		await harness.poll();
		const crashed = harness.restart(); // default: restart from what n8n had saved
		expect(crashed.staticData).toEqual({ 'node:Events Trigger': { polls: 3, lastId: 3 } });
	});

	it('like n8n, saves only what its observable static data noticed: in-place edits of an object added this activation are lost', async () => {
		/** Remembers emitted ids in a map it creates on the first poll and then edits in place. */
		class SeenMapTrigger extends EventsTrigger {
			async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
				const state = this.getWorkflowStaticData('node');
				if (!state.seen) {
					state.seen = {};
					return null;
				}
				const seen = state.seen as Record<string, boolean>;
				const response = (await this.helpers.httpRequestWithAuthentication.call(
					this,
					'bouncifyApi',
					{ url: '/events', json: true },
				)) as {
					events: HarnessEvent[];
				};
				const fresh = response.events.filter((event) => !seen[event.id]);
				for (const event of fresh) seen[event.id] = true;
				return fresh.length ? [fresh.map((event) => ({ json: event }))] : null;
			}
		}
		const harness = createPollHarness(new SeenMapTrigger(), { credentials: credentials() });
		await harness.poll();
		expect(ids(await harness.poll())).toEqual([1, 2]);
		expect(harness.snapshotStaticData()).toEqual({
			'node:Events Trigger': { seen: { 1: true, 2: true } },
		});
		// The emit saved, but n8n's change flag never fired for the nested edit: nothing new was written.
		expect(harness.persistedStaticData()).toEqual({ 'node:Events Trigger': { seen: {} } });
		// After a restart the loaded object is observable all the way down, so the same edit is saved.
		const restarted = harness.restart(harness.snapshotStaticData());
		events.push({ id: 3 });
		expect(ids(await restarted.poll())).toEqual([3]);
		expect(restarted.persistedStaticData()).toEqual({
			'node:Events Trigger': { seen: { 1: true, 2: true, 3: true } },
		});
	});

	it('a failed scheduled poll is rethrown (n8n records it as an error execution) and changes nothing saved', async () => {
		const harness = createPollHarness(new EventsTrigger(), { credentials: credentials() });
		await harness.poll();
		failNext = true;
		await expect(harness.poll()).rejects.toBeInstanceOf(NodeApiError);
		expect(harness.emittedErrors).toHaveLength(1);
		expect(harness.persistedStaticData()).toEqual({
			'node:Events Trigger': { polls: 1, lastId: 2 },
		});
	});

	it('a failed activation poll throws and the next poll is the activation poll again', async () => {
		const harness = createPollHarness(new EventsTrigger(), { credentials: credentials() });
		failNext = true;
		await expect(harness.poll()).rejects.toBeInstanceOf(NodeApiError);
		expect(harness.emittedErrors).toHaveLength(0);
		expect(await harness.poll()).toBeNull();
		expect(harness.persistedStaticData()).toMatchObject({ 'node:Events Trigger': { lastId: 2 } });
	});

	it('refuses a sub-minute poll schedule as n8n does at activation', async () => {
		const harness = createPollHarness(new EventsTrigger(), {
			credentials: credentials(),
			parameters: { pollTimes: { item: [{ mode: 'custom', cronExpression: '*/5 * * * * *' }] } },
		});
		await expect(harness.poll()).rejects.toThrow(
			'The polling interval is too short. It has to be at least a minute.',
		);
	});

	it('manual mode ("Fetch test event") polls with a manual PollContext and saves nothing', async () => {
		const harness = createPollHarness(new EventsTrigger(), {
			credentials: credentials(),
			mode: 'manual',
		});
		expect(await harness.poll()).toBeNull();
		expect(harness.context.getMode()).toBe('manual');
		expect(harness.context.getActivationMode()).toBe('manual');
		events.push({ id: 3 });
		expect(ids(await harness.poll())).toEqual([3]);
		expect(harness.persistedStaticData()).toEqual({});
	});

	it('durable cursors: node static data is committed with emits, and a null activation poll commits nothing', async () => {
		const harness = createPollHarness(new EventsTrigger(), {
			credentials: credentials(),
			durableCursors: true,
		});
		expect(harness.getPollBudgetMs()).toBe(DURABLE_POLL_BUDGET_MS);

		expect(await harness.poll()).toBeNull(); // activation: the staged baseline is dropped
		expect(harness.nodeStaticData).toEqual({});

		expect(await harness.poll()).toBeNull(); // scheduled poll: a null result still commits its cursor
		expect(harness.nodeStaticData).toEqual({ polls: 1, lastId: 2 });
		expect(harness.persistedStaticData()).toEqual({
			'node:Events Trigger': { polls: 1, lastId: 2 },
		});

		events.push({ id: 3 });
		expect(ids(await harness.poll())).toEqual([3]);
		expect(harness.persistedStaticData()).toEqual({
			'node:Events Trigger': { polls: 2, lastId: 3 },
		});

		failNext = true;
		await expect(harness.poll()).rejects.toBeInstanceOf(NodeApiError);
		expect(harness.nodeStaticData).toEqual({ polls: 2, lastId: 3 }); // the failed poll's staged change is dropped

		const restarted = harness.restart();
		events.push({ id: 4 });
		expect(ids(await restarted.poll())).toEqual([4]);
	});
});
