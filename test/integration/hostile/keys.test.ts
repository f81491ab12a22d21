/**
 * Hostile providers and proxies against the key (real n8n-core, real HTTP): echoes of the key in
 * every encoding, in error answers and inside successful bodies (parsed values, raw rows, the
 * results CSV), redirects to another origin, and Base URLs that are not plain http(s) addresses.
 * The key must never reach an item, a file, an error or another host.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { PROVIDERS } from '../../../nodes/shared/providers';
import type { ProviderName } from '../../simulators';
import { loadPackageCredentialTypes, readBinaryData, testCredential } from '../../harness';
import type { AllSimulators, EchoEncoding } from '../../simulators';
import { encodeKey, ENCODINGS } from '../../simulators';
import { HOSTILE_KEY, hostileFigures, leakedForms, visibleOf } from '../../support/hostile';
import { FOUR_CLASSES, requestsTo, runNode, startNow } from '../../support/node-runs';
import { profileOf } from '../../support/profiles';
import { PROVIDER_NAMES, startSimulators } from '../../support/providers';

/** The route that answers Get Results, per provider (Check365's results come with the status; from the test profiles). */
const RESULTS_ROUTE: Record<ProviderName, string> = Object.fromEntries(
	PROVIDER_NAMES.map((name) => [name, profileOf(name).routes.results]),
);

let simulators: AllSimulators;
const figures = hostileFigures('keys');

beforeAll(async () => {
	simulators = await startSimulators({
		clock: 'manual',
		rateLimitPerMinute: Infinity,
		apiKey: HOSTILE_KEY,
	});
});

afterAll(async () => {
	figures.print();
	await simulators.close();
});

afterEach(() => {
	for (const name of PROVIDER_NAMES) {
		simulators[name].clearFaults();
		simulators[name].clearLog();
		simulators[name].elsewhere.clearLog();
	}
});

describe.each(PROVIDER_NAMES)('%s: the key echoed back', (provider) => {
	it.each(ENCODINGS.map((encoding) => [encoding]))(
		'in an error answer, %s-encoded: never in the error or the items',
		async (encoding: EchoEncoding) => {
			const sim = simulators[provider];
			const job = sim.seedJob(FOUR_CLASSES);
			// 400 is not retried, so each case takes one request; the echo path is the same as a 5xx's.
			sim.inject({ route: 'status', fault: 'echo', encoding, status: 400, times: Infinity });
			for (const continueOnFail of [false, true]) {
				const result = await runNode(
					simulators,
					provider,
					{ resource: 'job', operation: 'getStatus', jobIds: job.id },
					{ continueOnFail },
				);
				const leaked = leakedForms(visibleOf(result));
				figures.tried('echo in an error answer', provider, { keysFound: leaked.length });
				if (continueOnFail) expect(result.items[0].json.error).toEqual(expect.any(String));
				else expect(result.error).toBeInstanceOf(NodeApiError);
				expect(leaked).toEqual([]);
				figures.survived('echo in an error answer', provider);
			}
			// The attack really happened: the provider's answer carried the key in that form.
			expect(
				requestsTo(sim, 'status').some((request) =>
					request.responseText.includes(encodeKey(HOSTILE_KEY, encoding)),
				),
			).toBe(true);
		},
	);

	it.each(ENCODINGS.map((encoding) => [encoding]))(
		'inside a successful results body, %s-encoded: never in items, raw rows or the CSV',
		async (encoding: EchoEncoding) => {
			const sim = simulators[provider];
			const job = sim.seedJob(FOUR_CLASSES);
			sim.inject({
				route: RESULTS_ROUTE[provider] as never,
				fault: 'echoInBody',
				encoding,
				times: Infinity,
			});
			const items = await runNode(simulators, provider, {
				resource: 'job',
				operation: 'getResults',
				jobIds: job.id,
				simplify: false,
			});
			const leakedInItems = leakedForms(visibleOf(items));
			figures.tried('echo inside results (items, raw)', provider, {
				keysFound: leakedInItems.length,
			});
			expect(items.error).toBeUndefined();
			expect(items.items.length).toBeGreaterThanOrEqual(FOUR_CLASSES.length);
			expect(leakedInItems).toEqual([]);
			figures.survived('echo inside results (items, raw)', provider);
			const file = await runNode(simulators, provider, {
				resource: 'job',
				operation: 'getResults',
				jobIds: job.id,
				resultsOutput: 'file',
			});
			expect(file.error).toBeUndefined();
			const csv = (await readBinaryData(file.items[0].binary!.data)).toString('utf8');
			const leakedInCsv = leakedForms(csv);
			figures.tried('echo inside results (CSV file)', provider, { keysFound: leakedInCsv.length });
			expect(csv).toContain('good.ana@example.com');
			expect(leakedInCsv).toEqual([]);
			figures.survived('echo inside results (CSV file)', provider);
			expect(
				requestsTo(sim, RESULTS_ROUTE[provider]).some((request) =>
					request.responseText.includes(encodeKey(HOSTILE_KEY, encoding)),
				),
			).toBe(true);
		},
	);
});

describe.each(PROVIDER_NAMES)('%s: the key pasted where it does not belong', (provider) => {
	it('an error that never reached the provider does not show it either, with or without Continue', async () => {
		for (const continueOnFail of [false, true]) {
			const result = await runNode(
				simulators,
				provider,
				{ resource: 'job', operation: 'getStatus', jobIds: HOSTILE_KEY },
				{ continueOnFail },
			);
			// Everything but the node's own parameters, where the user typed it.
			const error = result.error as
				(Error & { description?: unknown; context?: unknown }) | undefined;
			const shown = {
				items: result.items,
				message: error?.message,
				description: error?.description,
				context: error?.context,
				stack: error?.stack,
				cause: error?.cause,
			};
			const leaked = leakedForms(shown);
			figures.tried('key pasted into a parameter', provider, { keysFound: leaked.length });
			const message = continueOnFail
				? String(result.items[0]?.json.error)
				: String(result.error?.message);
			expect(message).toContain('[REDACTED]');
			expect(leaked).toEqual([]);
			expect(simulators[provider].requests).toHaveLength(0);
			figures.survived('key pasted into a parameter', provider);
		}
	});
});

describe.each(PROVIDER_NAMES)('%s: redirects', (provider) => {
	it.each([301, 302, 303, 307, 308])(
		'%i to another origin: not followed, the target host named, nothing sent there',
		async (status) => {
			const sim = simulators[provider];
			const job = sim.seedJob(FOUR_CLASSES);
			sim.inject({ route: 'status', fault: 'redirect', status, target: 'cross', times: Infinity });
			const result = await runNode(simulators, provider, {
				resource: 'job',
				operation: 'getStatus',
				jobIds: job.id,
			});
			figures.tried('cross-origin redirect (read)', provider, {
				keysFound: sim.elsewhere.requests.length + leakedForms(visibleOf(result)).length,
			});
			expect(result.error).toBeInstanceOf(NodeApiError);
			const origin = await sim.elsewhere.start();
			expect(result.error?.message).toContain(
				`to ${new URL(origin).host} (HTTP ${status}), another address than the credential's Base URL, so it was not followed`,
			);
			expect(result.error?.description).toContain(
				"the API key goes only to the credential's Base URL",
			);
			expect(sim.elsewhere.requests).toHaveLength(0);
			expect(requestsTo(sim, 'status')).toHaveLength(1);
			expect(leakedForms(visibleOf(result))).toEqual([]);
			figures.survived('cross-origin redirect (read)', provider);
		},
	);

	it.each([301, 302, 303, 307, 308])(
		'%i on a paid Create: never replayed, to any origin',
		async (status) => {
			const sim = simulators[provider];
			for (const target of ['cross', 'same'] as const) {
				const jobsBefore = sim.jobs.size;
				sim.inject({ route: 'create', fault: 'redirect', status, target });
				const result = await runNode(
					simulators,
					provider,
					{ resource: 'job', operation: 'create', ...startNow(provider) },
					{ inputItems: FOUR_CLASSES.map((email) => ({ json: { email } })) },
				);
				figures.tried('redirect of a paid Create', provider, {
					keysFound: sim.elsewhere.requests.length,
					paidJobsLost: sim.elsewhere.requests.length,
				});
				expect(result.error).toBeInstanceOf(NodeApiError);
				expect(result.error?.message).toMatch(/redirected the request to (upload|create) /);
				expect(result.error?.description).not.toMatch(/try again|run (the|this) workflow again/i);
				expect(requestsTo(sim, 'create')).toHaveLength(1);
				expect(sim.elsewhere.requests).toHaveLength(0);
				expect(sim.jobs.size).toBe(jobsBefore);
				figures.survived('redirect of a paid Create', provider);
				sim.clearLog();
			}
		},
	);

	it('a same-origin redirect of a status read is followed to the real answer', async () => {
		const sim = simulators[provider];
		const job = sim.seedJob(FOUR_CLASSES);
		// 307 keeps the method, so it is followed for WhoisXML's POST status too.
		sim.inject({ route: 'status', fault: 'redirect', status: 307, target: 'same', relative: true });
		const result = await runNode(simulators, provider, {
			resource: 'job',
			operation: 'getStatus',
			jobIds: job.id,
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({ jobId: job.id, state: 'completed' });
		expect(requestsTo(sim, 'status')).toHaveLength(2);
	});
});

/** Each provider's credential type (`info.credentialType`), as the harness loads the package's credentials. */
const CREDENTIAL_CLASSES = Object.fromEntries(
	PROVIDER_NAMES.map((name) => [
		name,
		loadPackageCredentialTypes()[PROVIDERS[name].info.credentialType],
	]),
);

describe.each(PROVIDER_NAMES)('%s: a Base URL that is not a plain http(s) address', (provider) => {
	const BAD_BASE_URLS: Array<[string, (base: string) => string, RegExp]> = [
		[
			'file:',
			() => 'file:///etc/passwd',
			/must start with http:\/\/ or https:\/\/ \(got "file:"\)/,
		],
		['ftp:', () => 'ftp://127.0.0.1/v1', /must start with http:\/\/ or https:\/\/ \(got "ftp:"\)/],
		[
			'javascript:',
			() => 'javascript:alert(1)',
			/must start with http:\/\/ or https:\/\/ \(got "javascript:"\)/,
		],
		[
			'data:',
			() => 'data:text/plain,hello',
			/must start with http:\/\/ or https:\/\/ \(got "data:"\)/,
		],
		['a query string', (base) => `${base}?tenant=1`, /must not contain a query string/],
		['a #fragment', (base) => `${base}#section`, /must not contain a "#" fragment/],
		[
			'user info',
			(base) => base.replace('http://', 'http://user:pass@'),
			/must not contain a user name or password/,
		],
	];

	it.each(BAD_BASE_URLS)(
		'%s: refused at once by the node and by the credential test, nothing sent',
		async (_title, make, expected) => {
			const sim = simulators[provider];
			const baseUrl = make(sim.baseUrl);
			const started = Date.now();
			figures.tried('Base URL not plain http(s)', provider);
			const result = await runNode(
				{ ...simulators, [provider]: { ...sim, apiKey: sim.apiKey, baseUrl } } as AllSimulators,
				provider,
				{ resource: 'job', operation: 'getStatus', jobIds: sim.seedJob(FOUR_CLASSES).id },
			);
			expect(result.error).toBeInstanceOf(NodeOperationError);
			expect(result.error?.message).toMatch(expected);
			expect(result.error?.message).toMatch(
				new RegExp(
					`^The ${PROVIDERS[provider].info.displayName.split(' ')[0]}.* credential's Base URL `,
				),
			);
			expect(Date.now() - started).toBeLessThan(2_000);
			expect(sim.requests).toHaveLength(0);
			const tested = await testCredential(CREDENTIAL_CLASSES[provider] as never, {
				apiKey: sim.apiKey,
				baseUrl,
			});
			expect(tested.status).toBe('Error');
			expect(tested.message).toMatch(expected);
			expect(sim.requests).toHaveLength(0);
			figures.survived('Base URL not plain http(s)', provider);
		},
	);

	it('a Base URL that redirects fails the credential test and the key goes nowhere else', async () => {
		const sim = simulators[provider];
		sim.inject({ route: '*', fault: 'redirect', status: 302, target: 'cross' });
		const tested = await testCredential(CREDENTIAL_CLASSES[provider] as never, {
			apiKey: sim.apiKey,
			baseUrl: sim.baseUrl,
		});
		expect(tested.status).toBe('Error');
		expect(tested.message).toMatch(/answers with a redirect \(HTTP 302\)/);
		expect(sim.elsewhere.requests).toHaveLength(0);
	});
});
