import * as http from 'node:http';
import {
	classifyAddress,
	encodeKey,
	ENCODINGS,
	startAllSimulators,
	startSimulator,
	verdictFor,
	type EchoEncoding,
	type RequestLogEntry,
	type Simulator,
	type SimulatorOptions,
} from './simulators';
import type { ProviderName } from './simulators';

interface Answer {
	status: number;
	headers: Headers;
	text: string;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	body: any;
	ms: number;
}

async function call(url: string, init?: RequestInit): Promise<Answer> {
	const started = Date.now();
	const res = await fetch(url, init);
	const text = await res.text();
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		body = undefined;
	}
	return { status: res.status, headers: res.headers, text, body, ms: Date.now() - started };
}

const postJson = (body: unknown, method = 'POST'): RequestInit => ({
	method,
	headers: { 'content-type': 'application/json' },
	body: JSON.stringify(body),
});

const csvForm = (field: string, filename: string, csv: string): FormData => {
	const form = new FormData();
	form.append(field, new Blob([csv], { type: 'text/csv' }), filename);
	return form;
};

const running: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
	await Promise.all(running.splice(0).map((sim) => sim.close()));
});

async function start<P extends ProviderName>(
	provider: P,
	options: SimulatorOptions = {},
): Promise<Simulator<P>> {
	const sim = await startSimulator(provider, { clock: 'manual', ...options });
	running.push(sim);
	return sim;
}

/** Helpers that put the key where each provider reads it. */
const bouncifyUrl = (
	sim: Simulator<'bouncify'>,
	path: string,
	query: Record<string, string> = {},
) => `${sim.baseUrl}${path}?${new URLSearchParams({ ...query, apikey: sim.apiKey })}`;
const simplecold = (sim: Simulator<'simplecold'>, init: RequestInit = {}): RequestInit => ({
	...init,
	headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${sim.apiKey}` },
});
const whois = (sim: Simulator<'whoisxml'>, path: string, body: Record<string, unknown>) =>
	call(`${sim.baseUrl}/api/bevService/request${path}`, postJson({ apiKey: sim.apiKey, ...body }));

describe('auth placement and wrong-key bodies', () => {
	test('Bouncify reads `apikey` from the query of every call; each endpoint has its documented 401', async () => {
		const sim = await start('bouncify');
		expect((await call(bouncifyUrl(sim, '/info'))).body).toEqual({
			success: true,
			credits_info: { credits_remaining: 1_000_000 },
		});

		const wrong = await call(`${sim.baseUrl}/info?apikey=nope`);
		expect(wrong.status).toBe(401);
		expect(wrong.body).toEqual({ result: 'Invalid API key', success: false });
		const inHeader = await call(`${sim.baseUrl}/bulk?job_id=x`, {
			headers: { apikey: sim.apiKey },
		});
		expect(inHeader.status).toBe(401);
		expect(inHeader.body).toEqual({ result: 'Invalid API Key', success: false });
		const single = await call(`${sim.baseUrl}/verify?email=good@x.com&apikey=nope`);
		expect(single.status).toBe(401);
		expect(single.body).toEqual({ success: 'false', result: 'Invalid API Key' });
	});

	test('Check365 reads `api_key` from the JSON body on upload and from the query on status', async () => {
		const sim = await start('check365');
		const upload = { emails: ['good@a.com'], job_id: 'job-1' };
		const keyInQuery = await call(
			`${sim.baseUrl}/bulk-upload?api_key=${sim.apiKey}`,
			postJson(upload),
		);
		expect(keyInQuery.status).toBe(401);
		expect(keyInQuery.body).toEqual({ success: false, message: 'Invalid API key' });
		const created = await call(
			`${sim.baseUrl}/bulk-upload`,
			postJson({ ...upload, api_key: sim.apiKey }),
		);
		expect(created.body).toEqual({
			success: true,
			message: 'Emails have been sent for validation.',
			job_id: 'job-1',
		});

		expect((await call(`${sim.baseUrl}/bulk-status?job_id=job-1&api_key=wrong`)).status).toBe(401);
		expect(
			(await call(`${sim.baseUrl}/bulk-status?job_id=job-1&api_key=${sim.apiKey}`)).status,
		).toBe(200);
		const unknownJob = await call(`${sim.baseUrl}/bulk-status?job_id=nope&api_key=${sim.apiKey}`);
		expect(unknownJob.status).toBe(404);
	});

	test('SimpleCold wants `Authorization: Bearer <key>`, with distinct missing and wrong bodies', async () => {
		const sim = await start('simplecold');
		const url = `${sim.baseUrl}/api-validation/validate`;
		expect(await call(url).then((a) => [a.status, a.body])).toEqual([
			401,
			{ status: 'FAILURE', message: 'Authorization header is required' },
		]);
		const wrong = await call(url, { headers: { Authorization: 'Bearer nope' } });
		expect([wrong.status, wrong.body]).toEqual([
			401,
			{ status: 'FAILURE', message: 'Invalid API key' },
		]);
		const bare = await call(url, { headers: { Authorization: sim.apiKey } });
		expect(bare.status).toBe(401);
		expect((await call(url, simplecold(sim))).body).toEqual({
			status: 'SUCCESS',
			payload: { valid: true, message: 'API key is valid' },
		});
	});

	test('WhoisXML reads `apiKey` from the JSON body of bevService calls and from the query of /api/v3', async () => {
		const sim = await start('whoisxml');
		expect(sim.apiKey).toMatch(/^at_[a-z0-9]{29}$/);
		expect((await whois(sim, '/list', {})).status).toBe(200);
		const keyInQuery = await call(
			`${sim.baseUrl}/api/bevService/request/list?apiKey=${sim.apiKey}`,
			postJson({}),
		);
		expect([keyInQuery.status, keyInQuery.body]).toEqual([
			401,
			{ response: { error: 'Authorisation or authentication failed' } },
		]);

		const single = await call(
			`${sim.baseUrl}/api/v3?apiKey=${sim.apiKey}&emailAddress=catchall@gmail.com`,
		);
		expect(single.body).toMatchObject({
			emailAddress: 'catchall@gmail.com',
			smtpCheck: 'true',
			catchAllCheck: 'true',
			freeCheck: 'true',
		});
		expect(single.body.result).toBeUndefined();
		const wrong = await call(`${sim.baseUrl}/api/v3?apiKey=at_wrong&emailAddress=a@b.com`);
		expect(wrong.status).toBe(401);
		expect(wrong.body.ErrorMessage.msg).toMatch(/API key/);
	});
});

describe('job lifecycle on a manual clock', () => {
	test('Bouncify: preparing → ready → (PATCH start) → verifying → completed → CSV download → delete', async () => {
		const sim = await start('bouncify');
		const upload = {
			emails: [
				{ email: 'good@acme.com', firstname: 'Ann, "A"' },
				{ email: 'catchall@acme.com' },
				{ email: 'good.info@gmail.com' },
				{ email: 'trap@acme.com' },
			],
		};
		const created = await call(bouncifyUrl(sim, '/bulk'), postJson(upload));
		expect(created.body).toEqual({
			job_id: expect.stringMatching(/^[a-z0-9]{36}$/),
			success: true,
			message: 'Bulk email verification list has been created',
		});
		const jobId: string = created.body.job_id;
		const status = async () => (await call(bouncifyUrl(sim, '/bulk', { job_id: jobId }))).body;

		expect(await status()).toEqual({
			job_id: jobId,
			status: 'preparing',
			created_at: '01/15/2024, 10:30:00 AM',
			success: true,
			message: 'Job is being prepared for verification',
		});
		const early = await call(
			bouncifyUrl(sim, '/bulk', { job_id: jobId }),
			postJson({ action: 'start' }, 'PATCH'),
		);
		expect(early.body.result).toMatch(/^Job is not ready for verification/);

		sim.advance(1000);
		const ready = await status();
		expect(ready).toMatchObject({
			status: 'ready',
			total: 4,
			analysis: { common_isp: 1, role_based: 1, spamtrap: 1, syntax_error: 0 },
		});
		expect(ready.verified).toBeUndefined();
		sim.advance(60_000);
		expect((await status()).status).toBe('ready'); // waits for an explicit start
		const notYet = await call(bouncifyUrl(sim, '/download', { jobId }), { method: 'POST' });
		expect([notYet.status, notYet.body.result]).toEqual([
			400,
			expect.stringContaining('Job is ready for verification'),
		]);

		const started = await call(
			bouncifyUrl(sim, '/bulk', { job_id: jobId }),
			postJson({ action: 'start' }, 'PATCH'),
		);
		expect(started.body.message).toMatch(/^Job verification will be attempted shortly/);
		expect(sim.credits).toBe(1_000_000 - 4);
		sim.advance(800);
		const verifying = await status();
		expect(verifying).toMatchObject({
			status: 'verifying',
			total: 4,
			message: 'Job is being verified',
		});
		expect(verifying.verified).toBeGreaterThan(0);
		expect(verifying.verified + verifying.pending).toBe(4);
		const again = await call(
			bouncifyUrl(sim, '/bulk', { job_id: jobId }),
			postJson({ action: 'start' }, 'PATCH'),
		);
		expect(again.body).toEqual({ result: 'Verification has already started.', success: false });

		sim.advance(5000);
		expect(await status()).toMatchObject({
			status: 'completed',
			verified: 4,
			pending: 0,
			results: { deliverable: 2, undeliverable: 1, accept_all: 1, unknown: 0 },
		});

		const csv = await call(bouncifyUrl(sim, '/download', { jobId }), { method: 'POST' });
		expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
		const lines = csv.text.trim().split('\r\n');
		expect(lines[0]).toBe(
			'"Email","Verification Result","Syntax Error","ISP","Role","Disposable","Trap","Verified At","firstname"',
		);
		expect(lines[1]).toMatch(
			/^"good@acme.com","deliverable","N","N","N","N","N","2024-01-15T10:3\d:\d\d\.\d{3}Z","Ann, ""A"""$/,
		);
		expect(lines[2]).toMatch(/^"catchall@acme.com","accept-all",/);
		expect(lines[3]).toMatch(/^"good.info@gmail.com","deliverable","N","Y","Y",/);
		const filtered = await call(
			bouncifyUrl(sim, '/download', { jobId }),
			postJson({ filterResult: ['accept_all'] }),
		);
		expect(filtered.text.trim().split('\r\n')).toHaveLength(2);
		expect(
			(
				await call(
					bouncifyUrl(sim, '/download', { jobId }),
					postJson({ filterResult: ['accept-all'] }),
				)
			).status,
		).toBe(400);

		const removed = await call(bouncifyUrl(sim, '/bulk', { job_id: jobId }), { method: 'DELETE' });
		expect(removed.body).toEqual({ job_id: jobId, success: true, message: 'List will be deleted' });
		expect((await call(bouncifyUrl(sim, '/bulk', { job_id: jobId }))).body).toEqual({
			result: 'Job not found',
			success: false,
		});
		expect((await call(bouncifyUrl(sim, '/bulk', { job_id: 'x' }))).body).toEqual({
			result: 'Job not found. Invalid jobId',
			success: false,
		});
	});

	test('Bouncify: a multipart upload with auto_verify starts by itself and keeps the extra columns', async () => {
		const sim = await start('bouncify');
		const form = csvForm(
			'local_file',
			'list.csv',
			'Email Address,Company\nok1@acme.com,Acme\nbad1@acme.com,Acme\n',
		);
		const created = await call(bouncifyUrl(sim, '/bulk', { auto_verify: 'true' }), {
			method: 'POST',
			body: form,
		});
		expect(created.status).toBe(200);
		sim.advance(10_000);
		const lines = (
			await call(bouncifyUrl(sim, '/download', { jobId: created.body.job_id }), { method: 'POST' })
		).text
			.trim()
			.split('\r\n');
		expect(lines[0]).toMatch(/"Verified At","Company"$/);
		expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual([
			'"deliverable"',
			'"undeliverable"',
		]);

		const notCsv = await call(bouncifyUrl(sim, '/bulk'), {
			method: 'POST',
			body: csvForm('local_file', 'list.txt', 'a@b.com\n'),
		});
		expect([notCsv.status, notCsv.body]).toEqual([
			400,
			{ result: 'Invalid file data', success: false },
		]);
		const huge = 'email\n' + 'good.padding.padding.padding@acme.com\n'.repeat(300_000);
		expect(
			(
				await call(bouncifyUrl(sim, '/bulk'), {
					method: 'POST',
					body: csvForm('local_file', 'big.csv', huge),
				})
			).status,
		).toBe(400);
	});

	test("Check365: progress 0 → partial → 100 with inline results; job_id is the client's", async () => {
		const sim = await start('check365');
		const emails = [
			'good@acme.com',
			'bad@acme.com',
			'x@acme.invalid',
			'trap@acme.com',
			'catchall@acme.com',
			'not-an-address',
			'good.sales@acme.com',
			'unknown@acme.com',
		];
		await call(
			`${sim.baseUrl}/bulk-upload`,
			postJson({ api_key: sim.apiKey, job_id: 'mine', emails }),
		);
		const duplicate = await call(
			`${sim.baseUrl}/bulk-upload`,
			postJson({ api_key: sim.apiKey, job_id: 'mine', emails }),
		);
		expect(duplicate.status).toBe(409);
		const status = async () =>
			(await call(`${sim.baseUrl}/bulk-status?api_key=${sim.apiKey}&job_id=mine`)).body;

		expect(await status()).toEqual({
			success: true,
			message: 'Job is being processed',
			data: {
				jobId: 'mine',
				status: 'processing',
				creditsUsed: 0,
				progress: 0,
				total: 8,
				results: [],
			},
		});
		sim.advance(1200);
		const partial = await status();
		expect(partial.data.progress).toBeGreaterThan(0);
		expect(partial.data.progress).toBeLessThan(100);
		expect(partial.data.results.length).toBe(partial.data.creditsUsed);

		sim.advance(5000);
		const done = await status();
		expect(done).toMatchObject({
			message: 'Job has been completed',
			data: { status: 'completed', progress: 100, creditsUsed: 8, total: 8 },
		});
		expect(done.data.results.map((row: { status: string }) => row.status)).toEqual([
			'active',
			'inactive',
			'unvalidated',
			'spam trap',
			'catch-all',
			'invalid',
			'active',
			'unknown',
		]);
		expect(done.data.results[2]).toEqual({
			email: 'x@acme.invalid',
			emailProvider: 'unknown',
			emailType: 'unknown',
			status: 'unvalidated',
			safeToSend: false,
			risk: 'high',
			isRole: false,
			statusReason: 'invalid_domain',
		});
		expect(done.data.results[6].isRole).toBe(true);
	});

	test('Check365: the legacy result shape and failed/cancelled outcomes', async () => {
		const sim = await start('check365', { resultShape: 'legacy' });
		sim.seedJob(['good@outlook.com'], { id: 'old' });
		const body = (await call(`${sim.baseUrl}/bulk-status?api_key=${sim.apiKey}&job_id=old`)).body;
		expect(body.data.results).toEqual([
			{
				email: 'good@outlook.com',
				emailProvider: 'microsoft365',
				emailType: 'personal',
				status: 'active',
				isRole: false,
			},
		]);
		sim.seedJob(['a@b.com'], { id: 'broken', state: 'failed' });
		expect(
			(await call(`${sim.baseUrl}/bulk-status?api_key=${sim.apiKey}&job_id=broken`)).body.data
				.status,
		).toBe('failed');
	});

	test("SimpleCold: QUEUE → IN_PROGRESS → COMPLETED, then JSON and CSV downloads with the user's columns", async () => {
		const sim = await start('simplecold');
		const form = csvForm(
			'file',
			'leads.csv',
			'name,email\nAnn,good@acme.com\nBob,bad@acme.com\nCy,unknown@acme.com\n',
		);
		const created = await call(
			`${sim.baseUrl}/api-validation/bulk`,
			simplecold(sim, { method: 'POST', body: form }),
		);
		expect(created.body).toEqual({
			status: 'SUCCESS',
			payload: {
				id: expect.stringMatching(
					/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/,
				),
				name: 'leads',
				totalEmails: 3,
				totalValidEmails: 0,
				totalCreditsUsed: 0,
				status: 'QUEUE',
				createdAt: '2024-01-15T10:30:00Z',
				updatedAt: '2024-01-15T10:30:00Z',
			},
		});
		const id: string = created.body.payload.id;
		const status = async () =>
			(await call(`${sim.baseUrl}/api-validation/bulk/${id}/status`, simplecold(sim))).body.payload;
		sim.advance(600);
		expect(await status()).toMatchObject({ status: 'IN_PROGRESS', totalCreditsUsed: 3 });
		const early = await call(
			`${sim.baseUrl}/api-validation/bulk/${id}/download-result`,
			simplecold(sim),
		);
		expect(early.status).toBe(400);
		sim.advance(2000);
		expect(await status()).toMatchObject({
			status: 'COMPLETED',
			totalValidEmails: 1,
			totalCreditsUsed: 3,
		});

		const json = await call(
			`${sim.baseUrl}/api-validation/bulk/${id}/download-result?output=json`,
			simplecold(sim),
		);
		expect(json.body.status).toBe('SUCCESS');
		expect(json.body.payload[0]).toEqual({
			name: 'Ann',
			email: 'good@acme.com',
			status: 'ok',
			statusMessage: 'Email address is valid and deliverable',
			failType: 'none',
			mxLocation: 'United States',
			siteLocation: 'United States',
			siteLanguage: 'en',
		});
		const csv = await call(
			`${sim.baseUrl}/api-validation/bulk/${id}/download-result?output=csv&verifiedOnly=true`,
			simplecold(sim),
		);
		expect(csv.text.trim().split('\r\n')).toEqual([
			'name,email,status,statusMessage,failType,mxLocation,siteLocation,siteLanguage',
			'Ann,good@acme.com,ok,Email address is valid and deliverable,none,United States,United States,en',
		]);
		expect(
			(await call(`${sim.baseUrl}/api-validation/bulk/nope/status`, simplecold(sim))).body,
		).toEqual({ status: 'FAILURE', message: 'Job not found' });
	});

	test('SimpleCold: CANCELING then CANCELED, FAILED, the 7 MB and 50-address limits', async () => {
		const sim = await start('simplecold', { rateLimitPerMinute: Infinity });
		const status = async (id: string) =>
			(await call(`${sim.baseUrl}/api-validation/bulk/${id}/status`, simplecold(sim))).body.payload
				.status;
		const job = sim.seedJob(10, { state: 'processing' });
		sim.setJobOutcome(job.id, 'cancelled');
		expect(await status(job.id)).toBe('CANCELING');
		sim.advance(1000);
		expect(await status(job.id)).toBe('CANCELED');
		expect(await status(sim.seedJob(10, { state: 'failed' }).id)).toBe('FAILED');

		const tooBig = 'email\n' + 'x'.repeat(7 * 1024 * 1024);
		const big = await call(
			`${sim.baseUrl}/api-validation/bulk`,
			simplecold(sim, { method: 'POST', body: csvForm('file', 'big.csv', tooBig) }),
		);
		expect([big.status, big.body.status]).toEqual([400, 'FAILURE']);
		const batch = (emails: string[]) =>
			call(`${sim.baseUrl}/api-validation/batch`, simplecold(sim, postJson({ emails })));
		expect((await batch(Array.from({ length: 51 }, (_, i) => `a${i}@b.com`))).status).toBe(400);
		expect(
			(await batch(['good@a.com', 'bad@a.com'])).body.payload.map(
				(row: { status: string }) => row.status,
			),
		).toEqual(['ok', 'invalid']);
		const single = await call(`${sim.baseUrl}/api-validation/single?email=nope`, simplecold(sim));
		expect([single.status, single.body]).toEqual([
			400,
			{ status: 'FAILURE', message: 'Invalid email format' },
		]);
	});

	test('WhoisXML: ready 0 → 1 while processed/invalid/failed grow; no failed job state', async () => {
		const sim = await start('whoisxml');
		const emails = [
			'good@acme.com',
			'foo.bar',
			'fail@acme.com',
			'smtpfail@acme.com',
			'catchall@gmail.com',
			'x@nowhere.invalid',
			'bad@acme.com',
			'unknown@acme.com',
		];
		const created = await whois(sim, '', { version: 3, emails, format: 'json' });
		expect(created.body).toEqual({ response: { id: expect.any(Number) } });
		const id: number = created.body.response.id;
		const status = async () => (await whois(sim, '/status', { ids: [id] })).body.response[0];

		expect(await status()).toEqual({
			id,
			date_start: '1705314600',
			total_emails: 8,
			invalid_emails: 0,
			processed_emails: 0,
			failed_emails: 0,
			ready: 0,
		});
		sim.advance(1500);
		const midway = await status();
		expect(midway.ready).toBe(0);
		expect(midway.processed_emails + midway.invalid_emails + midway.failed_emails).toBeGreaterThan(
			0,
		);
		sim.advance(5000);
		expect(await status()).toMatchObject({
			total_emails: 8,
			invalid_emails: 1,
			processed_emails: 6,
			failed_emails: 1,
			ready: 1,
			date_end: expect.any(String),
		});

		const completed = (await whois(sim, '/completed', { id })).body.response;
		expect(completed.map((row: { result: string }) => row.result)).toEqual([
			'good',
			'smtp-failed',
			'unknown',
			'bad',
			'bad',
			'unknown',
		]);
		expect(completed[0]).toEqual({
			emailAddress: 'good@acme.com',
			formatCheck: 'true',
			smtpCheck: 'true',
			dnsCheck: 'true',
			freeCheck: 'false',
			disposableCheck: 'false',
			catchAllCheck: 'false',
			mxRecords: ['mx1.acme.com', 'mx2.acme.com'],
			result: 'good',
		});
		expect((await whois(sim, '/failed', { id })).body.response).toEqual([
			{ error: 'Invalid format', emailAddress: 'foo.bar' },
			{ error: 'Verification failed', emailAddress: 'fail@acme.com' },
		]);
		const csv = await whois(sim, '/completed', { id, format: 'csv' });
		expect(csv.text.split('\r\n')[0]).toBe(
			'emailAddress,formatCheck,smtpCheck,dnsCheck,freeCheck,disposableCheck,catchAllCheck,mxRecords,result',
		);
		expect((await whois(sim, '/completed', { id: 424242 })).body).toEqual({
			response: { error: 'Wrong request id' },
		});
		expect(() => sim.setJobOutcome(String(id), 'failed')).toThrow(
			/no failed or cancelled request state/,
		);
	});
});

describe('50,000-row downloads', () => {
	const ROWS = 50_000;

	test('Bouncify CSV', async () => {
		const sim = await start('bouncify');
		const job = sim.seedJob(ROWS);
		const csv = await call(bouncifyUrl(sim, '/download', { jobId: job.id }), { method: 'POST' });
		expect(csv.text.trim().split('\r\n')).toHaveLength(ROWS + 1);
	});

	test('Check365 inline results', async () => {
		const sim = await start('check365');
		sim.seedJob(ROWS, { id: 'big' });
		const body = (await call(`${sim.baseUrl}/bulk-status?api_key=${sim.apiKey}&job_id=big`)).body;
		expect(body.data.results).toHaveLength(ROWS);
	});

	test('SimpleCold JSON and CSV', async () => {
		const sim = await start('simplecold');
		const job = sim.seedJob(ROWS);
		const url = `${sim.baseUrl}/api-validation/bulk/${job.id}/download-result`;
		expect((await call(`${url}?output=json`, simplecold(sim))).body.payload).toHaveLength(ROWS);
		expect((await call(url, simplecold(sim))).text.trim().split('\r\n')).toHaveLength(ROWS + 1);
	});

	test('WhoisXML: 50,000 uploaded in one request (50,001 refused), all rows in one response', async () => {
		const sim = await start('whoisxml');
		const emails = Array.from({ length: ROWS }, (_, i) => `user${i}@example.com`);
		const tooMany = await whois(sim, '', { emails: [...emails, 'one@more.com'] });
		expect([tooMany.status, tooMany.body.response.errors]).toEqual([
			400,
			[expect.stringMatching(/50000/)],
		]);
		const created = await whois(sim, '', { version: 3, emails, format: 'json' });
		sim.finishJob(created.body.response.id);
		const rows = (await whois(sim, '/completed', { id: created.body.response.id })).body.response;
		expect(rows).toHaveLength(ROWS);
	});
});

describe('WhoisXML request list and status', () => {
	test('pages with the paged envelope; onlyIds defaults to true; perPage is 10–50', async () => {
		const sim = await start('whoisxml');
		const ids = Array.from({ length: 25 }, () => Number(sim.seedJob(['good@a.com']).id));
		const page3 = (await whois(sim, '/list', { page: 3, perPage: 10, sort: 'asc' })).body.response;
		expect(page3).toEqual({
			current_page: 3,
			data: ids.slice(20).map((id) => ({ id })),
			from: 21,
			last_page: 3,
			per_page: 10,
			to: 25,
			total: 25,
		});
		const detailed = (await whois(sim, '/list', { onlyIds: false })).body.response;
		expect(detailed.data[0]).toMatchObject({ id: ids[24], total_emails: 1, ready: 1 });
		expect((await whois(sim, '/list', { page: 4 })).body.response).toMatchObject({
			data: [],
			from: null,
			to: null,
		});
		expect((await whois(sim, '/list', { perPage: 5 })).status).toBe(400);
	});

	test('status answers many ids at once and leaves unknown ids out', async () => {
		const sim = await start('whoisxml');
		const first = Number(sim.seedJob(['good@a.com']).id);
		const second = Number(sim.seedJob(['good@a.com'], { state: 'processing' }).id);
		const answer = (await whois(sim, '/status', { ids: [second, 999_999, first] })).body.response;
		expect(answer.map((row: { id: number; ready: number }) => [row.id, row.ready])).toEqual([
			[second, 0],
			[first, 1],
		]);
		expect((await whois(sim, '/status', { ids: [999_999] })).body).toEqual({ response: [] });
	});

	test('a request whose every address fails still ends: ready 1, no completed rows, all in /failed', async () => {
		const sim = await start('whoisxml');
		const emails = ['fail.a@acme.com', 'fail.b@acme.com', 'foo.bar'];
		const created = await whois(sim, '', { version: 3, emails, format: 'json' });
		const id: number = created.body.response.id;
		sim.finishJob(String(id));
		expect((await whois(sim, '/status', { ids: [id] })).body.response[0]).toMatchObject({
			total_emails: 3,
			processed_emails: 0,
			invalid_emails: 1,
			failed_emails: 2,
			ready: 1,
		});
		expect((await whois(sim, '/completed', { id })).body).toEqual({ response: [] });
		expect((await whois(sim, '/failed', { id })).body).toEqual({
			response: [
				{ error: 'Verification failed', emailAddress: 'fail.a@acme.com' },
				{ error: 'Verification failed', emailAddress: 'fail.b@acme.com' },
				{ error: 'Invalid format', emailAddress: 'foo.bar' },
			],
		});
	});
});

describe('rate limits', () => {
	test('SimpleCold: the 11th bulk-family request in a minute gets the documented 429, shared across endpoints', async () => {
		const sim = await start('simplecold');
		const job = sim.seedJob(['good@a.com']);
		const statusUrl = `${sim.baseUrl}/api-validation/bulk/${job.id}/status`;
		for (let i = 0; i < 8; i++) expect((await call(statusUrl, simplecold(sim))).status).toBe(200);
		expect(
			(await call(`${sim.baseUrl}/api-validation/bulk/${job.id}/download-result`, simplecold(sim)))
				.status,
		).toBe(200);
		expect(
			(
				await call(
					`${sim.baseUrl}/api-validation/batch`,
					simplecold(sim, postJson({ emails: ['a@b.com'] })),
				)
			).status,
		).toBe(200);
		expect((await call(`${sim.baseUrl}/api-validation/validate`, simplecold(sim))).status).toBe(
			200,
		); // not limited

		const limited = await call(statusUrl, simplecold(sim));
		expect(limited.status).toBe(429);
		expect(limited.body).toEqual({
			status: 429,
			error: 'Rate limit exceeded. Maximum 10 requests per minute per API key.',
		});
		expect(limited.headers.get('retry-after')).toBeNull();
		expect(
			(await call(`${sim.baseUrl}/api-validation/single?email=good@a.com`, simplecold(sim))).status,
		).toBe(200);

		sim.advance(60_001);
		expect((await call(statusUrl, simplecold(sim))).status).toBe(200);
	});

	test('limits are configurable, with an optional Retry-After', async () => {
		const bouncify = await start('bouncify', { rateLimitPerMinute: 2, rateLimitRetryAfter: 7 });
		await call(bouncifyUrl(bouncify, '/info'));
		await call(bouncifyUrl(bouncify, '/info'));
		const limited = await call(bouncifyUrl(bouncify, '/info'));
		expect([limited.status, limited.headers.get('retry-after'), limited.body.success]).toEqual([
			429,
			'7',
			false,
		]);

		const unlimited = await start('simplecold', { rateLimitPerMinute: Infinity });
		for (let i = 0; i < 15; i++)
			expect(
				(
					await call(
						`${unlimited.baseUrl}/api-validation/batch`,
						simplecold(unlimited, postJson({ emails: ['a@b.com'] })),
					)
				).status,
			).toBe(200);
	});
});

describe('fault injection', () => {
	test('429 with and without Retry-After, counted by `times`', async () => {
		const sim = await start('simplecold');
		const fault = sim.inject({ route: 'validate', fault: '429', retryAfter: 3, times: 2 });
		const url = `${sim.baseUrl}/api-validation/validate`;
		const first = await call(url, simplecold(sim));
		expect([first.status, first.headers.get('retry-after'), first.body.status]).toEqual([
			429,
			'3',
			429,
		]);
		expect((await call(url, simplecold(sim))).status).toBe(429);
		expect((await call(url, simplecold(sim))).status).toBe(200);
		expect(fault).toMatchObject({ remaining: 0, hits: 2 });
		sim.inject({ route: '*', fault: '429' });
		expect((await call(url, simplecold(sim))).headers.get('retry-after')).toBeNull();
	});

	test('500 and 503 echo the request, key included; html is a proxy page echoing the full URL', async () => {
		const sim = await start('bouncify');
		sim.inject({ route: 'credits', fault: '500' });
		const crashed = await call(bouncifyUrl(sim, '/info'));
		expect(crashed.status).toBe(500);
		expect(crashed.text).toContain(sim.apiKey);

		const whoisSim = await start('whoisxml');
		whoisSim.inject({ route: 'status', fault: '503' });
		const unavailable = await whois(whoisSim, '/status', { ids: [1] });
		expect(unavailable.status).toBe(503);
		expect(unavailable.text).toContain(whoisSim.apiKey);

		sim.inject({ route: 'status', fault: 'html' });
		const url = bouncifyUrl(sim, '/bulk', { job_id: 'abc' });
		const proxy = await call(url);
		expect(proxy.status).toBe(502);
		expect(proxy.headers.get('content-type')).toMatch(/^text\/html/);
		expect(proxy.text).toContain(url.replace(/&/g, '&amp;'));
	});

	test('reset drops the connection; slow delays a normal answer', async () => {
		const sim = await start('check365');
		sim.inject({ route: 'status', fault: 'reset' });
		await expect(
			fetch(`${sim.baseUrl}/bulk-status?job_id=x&api_key=${sim.apiKey}`),
		).rejects.toThrow();
		sim.inject({ route: 'status', fault: 'slow', delayMs: 300 });
		const slow = await call(`${sim.baseUrl}/bulk-status?job_id=x&api_key=${sim.apiKey}`);
		expect(slow.status).toBe(404);
		expect(slow.ms).toBeGreaterThanOrEqual(280);
		expect(sim.requests.map((entry) => [entry.status, entry.fault])).toEqual([
			[null, 'reset'],
			[404, 'slow'],
		]);
	});

	test('truncated cuts a 200 body in half', async () => {
		const sim = await start('whoisxml');
		const job = sim.seedJob(['good@a.com', 'bad@a.com', 'unknown@a.com']);
		const whole = await whois(sim, '/completed', { id: Number(job.id) });
		sim.inject({ route: 'download', fault: 'truncated' });
		const cut = await whois(sim, '/completed', { id: Number(job.id) });
		expect(cut.status).toBe(200);
		expect(cut.body).toBeUndefined();
		expect(cut.text).toBe(whole.text.slice(0, Math.floor(whole.text.length / 2)));
	});

	test('unknownStatus and missingField alter only successful bodies', async () => {
		const sim = await start('bouncify');
		const job = sim.seedJob(['good@a.com'], { state: 'processing' });
		sim.inject({ route: 'status', fault: 'unknownStatus' });
		expect((await call(bouncifyUrl(sim, '/bulk', { job_id: 'missing' }))).status).toBe(400); // not consumed
		expect((await call(bouncifyUrl(sim, '/bulk', { job_id: job.id }))).body.status).toBe(
			'ARCHIVED',
		);

		const whoisSim = await start('whoisxml');
		const request = whoisSim.seedJob(['good@a.com']);
		whoisSim.inject({ route: 'status', fault: 'unknownStatus' });
		expect(
			(await whois(whoisSim, '/status', { ids: [Number(request.id)] })).body.response[0].ready,
		).toBe(2);

		const cold = await start('simplecold');
		cold.inject({ route: 'create', fault: 'missingField' });
		const created = await call(
			`${cold.baseUrl}/api-validation/bulk`,
			simplecold(cold, { method: 'POST', body: csvForm('file', 'a.csv', 'a@b.com\n') }),
		);
		expect(created.body.payload).toMatchObject({ status: 'QUEUE' });
		expect(created.body.payload.id).toBeUndefined();
		expect(cold.requests[0].fault).toBe('missingField');
		expect(() => sim.inject({ route: 'download', fault: 'missingField' })).toThrow(
			/no default field/,
		);
	});

	test('bad injections are refused with the valid names', async () => {
		const sim = await start('check365');
		// @ts-expect-error: not a Check365 route
		expect(() => sim.inject({ route: 'download', fault: '500' })).toThrow(/create, status/);
		// @ts-expect-error: not a fault kind
		expect(() => sim.inject({ route: 'status', fault: 'explode' })).toThrow(/unknownStatus/);
	});
});

describe('request log and verdicts', () => {
	test('every call is logged with route, status, body and response', async () => {
		const sims = await startAllSimulators({ clock: 'manual' });
		running.push(sims);
		await whois(sims.whoisxml, '/list', {});
		await call(`${sims.check365.baseUrl}/nowhere`);
		const [listed] = sims.whoisxml.requests;
		expect(listed).toMatchObject({
			method: 'POST',
			path: '/api/bevService/request/list',
			status: 200,
			route: 'list',
			fault: null,
		});
		expect(listed.bodyText).toContain(sims.whoisxml.apiKey);
		expect(listed.responseText).toContain('"current_page":1');
		expect(sims.check365.requests[0]).toMatchObject({ status: 404, route: null });
		sims.whoisxml.clearLog();
		expect(sims.whoisxml.requests).toHaveLength(0);
	});

	test('hard… addresses: one true state, each provider settles about half and calls the rest unknown', () => {
		const providers = ['bouncify', 'check365', 'simplecold', 'whoisxml'];
		const addresses = Array.from({ length: 400 }, (_, i) => `hard.lead${i}@example.com`);
		for (const email of addresses) {
			const settled = providers
				.map((provider) => classifyAddress(email, provider).kind)
				.filter((kind) => kind !== 'unknown');
			// Never two different answers: the providers differ in what they can settle, not in the truth.
			expect(new Set(settled).size).toBeLessThanOrEqual(1);
		}
		for (const provider of providers) {
			const unknown = addresses.filter(
				(email) => classifyAddress(email, provider).kind === 'unknown',
			).length;
			expect(unknown).toBeGreaterThan(160);
			expect(unknown).toBeLessThan(240);
		}
		// What Bouncify leaves open, Check365 settles about half of.
		const open = addresses.filter((email) => classifyAddress(email, 'bouncify').kind === 'unknown');
		const settledBySecond = open.filter(
			(email) => classifyAddress(email, 'check365').kind !== 'unknown',
		).length;
		expect(settledBySecond / open.length).toBeGreaterThan(0.35);
		expect(settledBySecond / open.length).toBeLessThan(0.65);
		expect(classifyAddress('hard.lead1@example.com').kind).toBe('unknown');
		// Each provider's own vocabulary follows its own classification.
		const settledDeliverable = addresses.find(
			(email) => classifyAddress(email, 'check365').kind === 'deliverable',
		)!;
		const leftOpen = addresses.find(
			(email) => classifyAddress(email, 'check365').kind === 'unknown',
		)!;
		expect(verdictFor('check365', settledDeliverable).status).toBe('active');
		expect(verdictFor('check365', leftOpen).status).toBe('unknown');
	});

	test('the verdict rule is one function per provider and downloads follow it', async () => {
		expect(classifyAddress('good.sales@mailinator.com')).toMatchObject({
			kind: 'deliverable',
			role: true,
			disposable: true,
			free: false,
		});
		expect(classifyAddress('someone@yahoo.com').free).toBe(true);
		expect(classifyAddress('a b@c.com').kind).toBe('invalidSyntax');
		expect(verdictFor('bouncify', 'catchall@a.com').result).toBe('accept-all');
		expect(verdictFor('check365', 'catchall@a.com').status).toBe('catch-all');
		expect(verdictFor('simplecold', 'catchall@a.com').status).toBe('unknown');
		expect(verdictFor('whoisxml', 'catchall@a.com')).toMatchObject({
			result: 'unknown',
			catchAllCheck: 'true',
		});
		expect(verdictFor('whoisxml', 'nope')).toEqual({
			error: 'Invalid format',
			emailAddress: 'nope',
		});
		// Without a keyword the hash picks the same class for every provider.
		const hashed = 'someone@example.org';
		const bouncifyResultByKind: Record<string, string> = {
			deliverable: 'deliverable',
			undeliverable: 'undeliverable',
			catchall: 'accept-all',
			unknown: 'unknown',
		};
		expect(verdictFor('bouncify', hashed).result).toBe(
			bouncifyResultByKind[classifyAddress(hashed).kind],
		);

		const sim = await start('simplecold');
		const addresses = Array.from({ length: 40 }, (_, i) => `person${i}@example.net`);
		const job = sim.seedJob(addresses);
		const rows = (
			await call(
				`${sim.baseUrl}/api-validation/bulk/${job.id}/download-result?output=json`,
				simplecold(sim),
			)
		).body.payload;
		expect(rows.map((row: { status: string }) => row.status)).toEqual(
			addresses.map((email) => verdictFor('simplecold', email).status),
		);
	});
});

/** What a hostile stream delivered, read over node:http so every chunk and its timing is seen. */
interface RawAnswer {
	status: number;
	headers: http.IncomingHttpHeaders;
	/** The first `keep` bytes (default: all of them). */
	head: Buffer;
	/** The last 256 bytes. */
	tail: Buffer;
	bytes: number;
	/** Milliseconds after the request of each chunk's arrival. */
	arrivals: number[];
	/** 'end': complete body; 'aborted': the server cut it; 'gaveUp': this client stopped reading and hung up. */
	outcome: 'end' | 'aborted' | 'gaveUp';
	ms: number;
}

function rawRequest(
	url: string,
	options: {
		method?: string;
		headers?: Record<string, string>;
		body?: string;
		giveUpAfterMs?: number;
		giveUpAfterBytes?: number;
		keep?: number;
	} = {},
): Promise<RawAnswer> {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const keep = options.keep ?? Infinity;
		const request = http.request(
			url,
			{ method: options.method ?? 'GET', headers: options.headers },
			(res) => {
				const kept: Buffer[] = [];
				let keptBytes = 0;
				let tail = Buffer.alloc(0);
				let bytes = 0;
				const arrivals: number[] = [];
				let settled = false;
				const finish = (outcome: RawAnswer['outcome']) => {
					if (settled) return;
					settled = true;
					clearTimeout(timer);
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						head: Buffer.concat(kept),
						tail,
						bytes,
						arrivals,
						outcome,
						ms: Date.now() - started,
					});
				};
				const giveUp = () => {
					finish('gaveUp');
					request.destroy();
				};
				const timer =
					options.giveUpAfterMs === undefined
						? undefined
						: setTimeout(giveUp, options.giveUpAfterMs);
				res.on('data', (chunk: Buffer) => {
					bytes += chunk.length;
					arrivals.push(Date.now() - started);
					if (keptBytes < keep) {
						const part = chunk.subarray(0, Math.min(chunk.length, keep - keptBytes));
						kept.push(part);
						keptBytes += part.length;
					}
					tail =
						chunk.length >= 256
							? Buffer.from(chunk.subarray(-256))
							: Buffer.concat([tail, chunk]).subarray(-256);
					if (options.giveUpAfterBytes !== undefined && bytes >= options.giveUpAfterBytes) giveUp();
				});
				res.on('end', () => finish('end'));
				res.on('error', () => finish('aborted'));
				res.on('close', () => finish(res.complete ? 'end' : 'aborted'));
			},
		);
		request.on('error', (error) => reject(error));
		if (options.body !== undefined) request.write(options.body);
		request.end();
	});
}

/** Polls until `condition` holds (the server side of a stream ends a moment after the client sees it). */
async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('condition not met in time');
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

const last = (sim: Simulator): RequestLogEntry => sim.requests[sim.requests.length - 1];

/** The inverse of each encoding, to prove the encoded key still decodes to the key. */
const DECODE: Record<EchoEncoding, (text: string) => string> = {
	raw: (text) => text,
	percent: decodeURIComponent,
	percentLower: decodeURIComponent,
	form: (text) => new URLSearchParams(`k=${text}`).get('k') ?? '',
	json: (text) => JSON.parse(`"${text}"`),
	jsonUnicode: (text) => JSON.parse(`"${text}"`),
	html: (text) =>
		text.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code))),
	doublePercent: (text) => decodeURIComponent(decodeURIComponent(text)),
};

/** A key with a slash, a non-ASCII letter, a space and URL delimiters, so that every escaped encoding changes it. */
const ODD_KEY = 'sk/é y+z&q=1';

describe('hostile faults: skip, 402, echo', () => {
	test('skip lets the first k requests to the route through, then the fault applies', async () => {
		const sim = await start('bouncify');
		const fault = sim.inject({ route: 'create', fault: '500', skip: 2 });
		const create = () =>
			call(bouncifyUrl(sim, '/bulk'), postJson({ emails: [{ email: 'good@a.com' }] }));
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await create()).status);
		expect(statuses).toEqual([200, 200, 500, 200]);
		expect(fault).toMatchObject({ skip: 2, skipRemaining: 0, remaining: 0, hits: 1 });
		expect(sim.requests.map((entry) => entry.fault)).toEqual([null, null, '500', null]);

		// Requests to other routes do not count; body faults and '*' skip too.
		const job = sim.seedJob(['good@a.com']);
		sim.inject({ route: 'status', fault: 'missingField', skip: 1 });
		await call(bouncifyUrl(sim, '/info'));
		expect((await call(bouncifyUrl(sim, '/bulk', { job_id: job.id }))).body.status).toBe(
			'completed',
		);
		expect((await call(bouncifyUrl(sim, '/bulk', { job_id: job.id }))).body.status).toBeUndefined();
		sim.inject({ route: '*', fault: '429', skip: 1, times: 2 });
		const mixed = [
			await call(bouncifyUrl(sim, '/info')),
			await call(bouncifyUrl(sim, '/bulk', { job_id: job.id })),
			await call(bouncifyUrl(sim, '/info')),
		];
		expect(mixed.map((answer) => answer.status)).toEqual([200, 429, 429]);
		expect(() => sim.inject({ route: 'create', fault: '500', skip: -1 })).toThrow(/skip must be/);
	});

	test("402 is each provider's out-of-credits answer (the documented bodies where they exist)", async () => {
		const bouncify = await start('bouncify');
		bouncify.inject({ route: 'start', fault: '402' });
		bouncify.inject({ route: 'single', fault: '402' });
		const started = await call(
			bouncifyUrl(bouncify, '/bulk', { job_id: 'x' }),
			postJson({ action: 'start' }, 'PATCH'),
		);
		expect([started.status, started.body]).toEqual([
			402,
			{ result: 'Insufficient verification credits. Please order a plan.', success: false },
		]);
		const single = await call(bouncifyUrl(bouncify, '/verify', { email: 'good@a.com' }));
		expect([single.status, single.body]).toEqual([
			402,
			{ success: 'false', result: 'Insufficient verification credits' },
		]);
		expect(bouncify.credits).toBe(1_000_000);

		const check365 = await start('check365');
		check365.inject({ route: 'create', fault: '402' });
		const upload = await call(
			`${check365.baseUrl}/bulk-upload`,
			postJson({ api_key: check365.apiKey, job_id: 'j', emails: ['a@b.com'] }),
		);
		expect([upload.status, upload.body]).toEqual([
			402,
			{ success: false, message: 'Insufficient credits' },
		]);
		expect(check365.jobs.size).toBe(0);

		const cold = await start('simplecold');
		cold.inject({ route: 'batch', fault: '402' });
		const batch = await call(
			`${cold.baseUrl}/api-validation/batch`,
			simplecold(cold, postJson({ emails: ['a@b.com'] })),
		);
		expect([batch.status, batch.body.status, batch.body.message]).toEqual([
			402,
			'FAILURE',
			expect.stringMatching(/credits/i),
		]);

		const whoisSim = await start('whoisxml');
		whoisSim.inject({ route: 'create', fault: '402' });
		whoisSim.inject({ route: 'single', fault: '402' });
		const created = await whois(whoisSim, '', { emails: ['a@b.com'] });
		expect([created.status, created.body]).toEqual([
			402,
			{ response: { error: 'Insufficient balance' } },
		]);
		const v3 = await call(
			`${whoisSim.baseUrl}/api/v3?apiKey=${whoisSim.apiKey}&emailAddress=a@b.com`,
		);
		expect([v3.status, v3.body.ErrorMessage.msg]).toEqual([
			402,
			expect.stringMatching(/credits balance/),
		]);
		// The same bodies as the natural out-of-credits answers.
		whoisSim.setCredits(0);
		expect((await whois(whoisSim, '', { emails: ['a@b.com'] })).body).toEqual(created.body);
	});

	test('encodeKey: every escaped encoding hides the odd key and decodes back to it', () => {
		expect(ENCODINGS).toEqual([
			'raw',
			'percent',
			'percentLower',
			'form',
			'json',
			'jsonUnicode',
			'html',
			'doublePercent',
		]);
		expect(encodeKey(ODD_KEY, 'percent')).toBe('sk%2F%C3%A9%20y%2Bz%26q%3D1');
		expect(encodeKey(ODD_KEY, 'percentLower')).toBe('sk%2f%c3%a9%20y%2bz%26q%3d1');
		expect(encodeKey(ODD_KEY, 'form')).toBe('sk%2F%C3%A9+y%2Bz%26q%3D1');
		expect(encodeKey(ODD_KEY, 'json')).toBe('sk\\/\\u00e9 y+z&q=1');
		expect(encodeKey('a"b\\c\n', 'json')).toBe('a\\"b\\\\c\\n');
		expect(encodeKey('ab/', 'jsonUnicode')).toBe('\\u0061\\u0062\\u002f');
		expect(encodeKey('aé', 'html')).toBe('&#97;&#233;');
		expect(encodeKey(ODD_KEY, 'doublePercent')).toBe('sk%252F%25C3%25A9%2520y%252Bz%2526q%253D1');
		for (const encoding of ENCODINGS) {
			const encoded = encodeKey(ODD_KEY, encoding);
			expect(DECODE[encoding](encoded)).toBe(ODD_KEY);
			if (encoding !== 'raw') expect(encoded).not.toContain(ODD_KEY);
		}
	});

	/** One request per provider that carries the key its own way, and where its error message lives. */
	const ECHO_CASES: Array<{
		provider: ProviderName;
		request: (sim: Simulator) => Promise<Answer>;
		/** What the message must echo (encoded), besides the key. */
		echoed: (sim: Simulator) => string[];
		message: (body: any) => string; // eslint-disable-line @typescript-eslint/no-explicit-any
	}> = [
		{
			provider: 'bouncify',
			request: (sim) =>
				call(`${sim.baseUrl}/bulk?job_id=j1&apikey=${encodeURIComponent(sim.apiKey)}`),
			echoed: (sim) => [`GET ${sim.baseUrl}/bulk?job_id=j1&apikey=${sim.apiKey}`],
			message: (body) => body.result,
		},
		{
			provider: 'check365',
			request: (sim) =>
				call(
					`${sim.baseUrl}/bulk-upload?src=n8n`,
					postJson({ api_key: sim.apiKey, job_id: 'j1', emails: ['a@b.com'] }),
				),
			echoed: (sim) => [
				`POST ${sim.baseUrl}/bulk-upload?src=n8n`,
				JSON.stringify({ api_key: sim.apiKey, job_id: 'j1', emails: ['a@b.com'] }),
			],
			message: (body) => body.message,
		},
		{
			provider: 'simplecold',
			request: (sim) =>
				call(`${sim.baseUrl}/api-validation/single?email=a%40b.com`, {
					headers: { Authorization: `Bearer ${sim.apiKey}` },
				}),
			echoed: (sim) => [
				`GET ${sim.baseUrl}/api-validation/single?email=a@b.com`,
				`Bearer ${sim.apiKey}`,
			],
			message: (body) => body.message,
		},
		{
			provider: 'whoisxml',
			request: (sim) =>
				call(
					`${sim.baseUrl}/api/bevService/request/status`,
					postJson({ apiKey: sim.apiKey, ids: [1] }),
				),
			echoed: (sim) => [
				`POST ${sim.baseUrl}/api/bevService/request/status`,
				JSON.stringify({ apiKey: sim.apiKey, ids: [1] }),
			],
			message: (body) => body.response.error,
		},
	];

	test.each(ECHO_CASES.map((testCase) => [testCase.provider, testCase] as const))(
		"echo (%s): an error in the provider's envelope echoing URL, body (and Authorization), encoded each way",
		async (_name, testCase) => {
			const sim = (await start(testCase.provider, { apiKey: ODD_KEY })) as Simulator;
			for (const encoding of ENCODINGS) {
				sim.inject({ route: '*', fault: 'echo', encoding });
				const answer = await testCase.request(sim);
				expect(answer.status).toBe(500);
				const message = testCase.message(answer.body);
				// json / jsonUnicode are escapes in the JSON text itself: parsing undoes them.
				const jsonLevel = encoding === 'json' || encoding === 'jsonUnicode';
				expect(answer.text).toContain(encodeKey(ODD_KEY, encoding));
				for (const part of testCase.echoed(sim)) {
					expect(message).toContain(jsonLevel ? part : encodeKey(part, encoding));
					if (encoding !== 'raw') expect(answer.text).toContain(encodeKey(part, encoding));
				}
				if (encoding === 'raw') expect(answer.text).toContain(ODD_KEY);
				else {
					expect(answer.text).not.toContain(ODD_KEY);
					if (jsonLevel) expect(message).toContain(ODD_KEY);
					else expect(message).not.toContain(ODD_KEY);
				}
			}
			sim.inject({ route: '*', fault: 'echo', encoding: 'percent', status: 400 });
			expect((await testCase.request(sim)).status).toBe(400);
			expect(sim.requests.map((entry) => entry.fault)).toEqual([
				...ENCODINGS.map(() => 'echo'),
				'echo',
			]);
		},
	);

	test('echo keeps the error envelope per endpoint (Bouncify single, WhoisXML v3)', async () => {
		const bouncify = await start('bouncify');
		bouncify.inject({ route: 'single', fault: 'echo', encoding: 'html', status: 502 });
		const single = await call(bouncifyUrl(bouncify, '/verify', { email: 'a@b.com' }));
		expect([single.status, single.body.success, single.body.result]).toEqual([
			502,
			'false',
			expect.stringContaining(encodeKey(bouncify.apiKey, 'html')),
		]);
		expect(single.text).not.toContain(bouncify.apiKey);

		const whoisSim = await start('whoisxml');
		whoisSim.inject({ route: 'single', fault: 'echo', encoding: 'jsonUnicode' });
		const v3 = await call(
			`${whoisSim.baseUrl}/api/v3?apiKey=${whoisSim.apiKey}&emailAddress=a@b.com`,
		);
		// Every character a \uXXXX escape in the raw text; the parsed message reads plainly.
		expect(v3.text).toContain(
			`{"ErrorMessage":{"msg":"Unhandled exception while processing ${encodeKey('GET ', 'jsonUnicode')}`,
		);
		expect(v3.text).toContain(encodeKey(whoisSim.apiKey, 'jsonUnicode'));
		expect(v3.text).not.toContain(whoisSim.apiKey);
		expect(v3.body.ErrorMessage.msg).toBe(
			`Unhandled exception while processing GET ${whoisSim.baseUrl}/api/v3?apiKey=${whoisSim.apiKey}&emailAddress=a@b.com`,
		);
		expect(() =>
			whoisSim.inject({ route: 'single', fault: 'echo', encoding: 'base64' as EchoEncoding }),
		).toThrow(/encoding must be one of/);
	});

	test('echoInBody / echo with status 200: the encoded key reaches parsed fields, raw rows and CSV cells', async () => {
		const percentKey = encodeKey(ODD_KEY, 'percent');
		// Bouncify: the status message, and a `note` column of every CSV row.
		const bouncify = await start('bouncify', { apiKey: ODD_KEY });
		const job = bouncify.seedJob(['good@a.com', 'bad@a.com']);
		bouncify.inject({ route: 'status', fault: 'echo', status: 200, encoding: 'percent' });
		const status = await call(bouncifyUrl(bouncify, '/bulk', { job_id: job.id }));
		expect([status.status, status.body.status]).toEqual([200, 'completed']);
		expect(status.body.message).toBe(
			`Verification completed successfully. Please download the result using /download endpoint ${percentKey}`,
		);
		expect(status.text).not.toContain(ODD_KEY);
		bouncify.inject({ route: 'download', fault: 'echoInBody', encoding: 'form' });
		const csv = (
			await call(bouncifyUrl(bouncify, '/download', { jobId: job.id }), { method: 'POST' })
		).text
			.trim()
			.split('\r\n');
		expect(csv[0]).toMatch(/,"Verified At","note"$/);
		expect(csv.slice(1).map((line) => line.slice(line.lastIndexOf(',') + 1))).toEqual([
			`"${encodeKey(ODD_KEY, 'form')}"`,
			`"${encodeKey(ODD_KEY, 'form')}"`,
		]);

		// Check365: the envelope message and every inline row's statusReason.
		const check365 = await start('check365', { apiKey: ODD_KEY });
		check365.seedJob(['good@a.com', 'x@y.invalid'], { id: 'j' });
		check365.inject({ route: 'status', fault: 'echoInBody', encoding: 'json' });
		const inline = await call(
			`${check365.baseUrl}/bulk-status?api_key=${encodeURIComponent(ODD_KEY)}&job_id=j`,
		);
		const jsonKey = encodeKey(ODD_KEY, 'json');
		// JSON-level: the raw text has PHP's escapes, the parsed values the plain key.
		expect(inline.text).toContain(`"message":"Job has been completed ${jsonKey}"`);
		expect(inline.text).toContain(`"statusReason":"invalid_domain ${jsonKey}"`);
		expect(inline.text).not.toContain(ODD_KEY);
		expect(inline.body.message).toBe(`Job has been completed ${ODD_KEY}`);
		expect(
			inline.body.data.results.map((row: { statusReason: string }) => row.statusReason),
		).toEqual([ODD_KEY, `invalid_domain ${ODD_KEY}`]);

		// SimpleCold: the list name on upload, each JSON row's statusMessage, a CSV note column.
		const cold = await start('simplecold', { apiKey: ODD_KEY, rateLimitPerMinute: Infinity });
		cold.inject({ route: 'create', fault: 'echoInBody', encoding: 'html' });
		const created = await call(
			`${cold.baseUrl}/api-validation/bulk`,
			simplecold(cold, {
				method: 'POST',
				body: csvForm('file', 'leads.csv', 'email\ngood@a.com\n'),
			}),
		);
		expect(created.body.payload.name).toBe(`leads ${encodeKey(ODD_KEY, 'html')}`);
		const coldJob = cold.seedJob(['good@a.com', 'bad@a.com']);
		cold.inject({ route: 'download', fault: 'echoInBody', encoding: 'jsonUnicode' });
		const rows = await call(
			`${cold.baseUrl}/api-validation/bulk/${coldJob.id}/download-result?output=json`,
			simplecold(cold),
		);
		expect(rows.text).toContain(
			`"statusMessage":"Mailbox does not exist ${encodeKey(ODD_KEY, 'jsonUnicode')}"`,
		);
		expect(rows.text).not.toContain(ODD_KEY);
		expect(rows.body.payload.map((row: { statusMessage: string }) => row.statusMessage)).toEqual([
			`Email address is valid and deliverable ${ODD_KEY}`,
			`Mailbox does not exist ${ODD_KEY}`,
		]);
		cold.inject({ route: 'download', fault: 'echoInBody', encoding: 'jsonUnicode' });
		const coldCsvEscaped = (
			await call(
				`${cold.baseUrl}/api-validation/bulk/${coldJob.id}/download-result`,
				simplecold(cold),
			)
		).text;
		expect(coldCsvEscaped.split('\r\n')[1].endsWith(`,${encodeKey(ODD_KEY, 'jsonUnicode')}`)).toBe(
			true,
		); // a CSV cell: as is
		cold.inject({ route: 'download', fault: 'echoInBody', encoding: 'raw' });
		const coldCsv = (
			await call(
				`${cold.baseUrl}/api-validation/bulk/${coldJob.id}/download-result`,
				simplecold(cold),
			)
		).text
			.trim()
			.split('\r\n');
		expect(coldCsv[0]).toMatch(/,siteLanguage,note$/);
		expect(coldCsv[1].endsWith(`,${ODD_KEY}`)).toBe(true);

		// WhoisXML: an extra `note` key on each completed row, appended to each failed row's error, added to create.
		const whoisSim = await start('whoisxml', { apiKey: ODD_KEY });
		const request = whoisSim.seedJob(['good@a.com', 'fail@a.com']);
		whoisSim.inject({ route: 'download', fault: 'echoInBody', encoding: 'doublePercent' });
		whoisSim.inject({ route: 'downloadFailed', fault: 'echoInBody', encoding: 'percentLower' });
		whoisSim.inject({ route: 'create', fault: 'echoInBody', encoding: 'percent' });
		const completed = await whois(whoisSim, '/completed', { id: Number(request.id) });
		expect(completed.body.response[0]).toMatchObject({
			emailAddress: 'good@a.com',
			result: 'good',
			note: encodeKey(ODD_KEY, 'doublePercent'),
		});
		const failed = await whois(whoisSim, '/failed', { id: Number(request.id) });
		expect(failed.body.response).toEqual([
			{
				error: `Verification failed ${encodeKey(ODD_KEY, 'percentLower')}`,
				emailAddress: 'fail@a.com',
			},
		]);
		const made = await whois(whoisSim, '', { emails: ['a@b.com'] });
		expect(made.body.response).toEqual({ id: expect.any(Number), message: percentKey });
		expect(whoisSim.requests.map((entry) => entry.fault)).toEqual([
			'echoInBody',
			'echoInBody',
			'echoInBody',
		]);
		for (const answer of [completed, failed, made]) expect(answer.text).not.toContain(ODD_KEY);
	});

	test('echoInBody waits for a successful answer, like the other body faults', async () => {
		const sim = await start('simplecold');
		const fault = sim.inject({ route: 'status', fault: 'echoInBody' });
		expect(
			(await call(`${sim.baseUrl}/api-validation/bulk/nope/status`, simplecold(sim))).status,
		).toBe(404);
		expect(fault.remaining).toBe(1);
		const job = sim.seedJob(['good@a.com'], { name: 'mine' });
		expect(
			(await call(`${sim.baseUrl}/api-validation/bulk/${job.id}/status`, simplecold(sim))).body
				.payload.name,
		).toBe(`mine ${sim.apiKey}`);
	});
});

describe('hostile faults: redirects', () => {
	test('cross: a 307 sends a paid POST, key included, to another loopback server that accepts it', async () => {
		const sim = await start('bouncify');
		expect(sim.elsewhere.origin).toBeNull();
		sim.inject({ route: 'create', fault: 'redirect', status: 307 });
		const url = bouncifyUrl(sim, '/bulk', { auto_verify: 'true' });
		const body = { emails: [{ email: 'good@a.com' }, { email: 'bad@a.com' }] };

		const manual = await fetch(url, { ...postJson(body), redirect: 'manual' });
		expect(manual.status).toBe(307);
		expect(sim.elsewhere.port).not.toBe(sim.port);
		const target = new URL(url.replace(sim.baseUrl, `${sim.elsewhere.origin}/v1`));
		expect(manual.headers.get('location')).toBe(target.href);
		expect(sim.jobs.size).toBe(0);

		sim.inject({ route: 'create', fault: 'redirect', status: 307 });
		const followed = await call(url, postJson(body));
		expect(followed.status).toBe(200);
		expect(followed.body).toMatchObject({ success: true, job_id: expect.any(String) });
		const [replayed] = sim.elsewhere.requests;
		expect(replayed).toMatchObject({
			method: 'POST',
			path: '/v1/bulk',
			route: 'create',
			status: 200,
			fault: null,
		});
		expect(replayed.query.apikey).toBe(sim.apiKey);
		expect(JSON.parse(replayed.bodyText)).toEqual({ emails: body.emails });
		expect(sim.credits).toBe(1_000_000 - 2); // the replay was charged
		expect(sim.requests.map((entry) => [entry.status, entry.fault])).toEqual([
			[307, 'redirect'],
			[307, 'redirect'],
		]);
	});

	test("cross: relative and 308 forms; WhoisXML replays the key in the body; fetch drops SimpleCold's Authorization", async () => {
		const whoisSim = await start('whoisxml');
		whoisSim.inject({ route: 'create', fault: 'redirect', status: 308, relative: true, times: 2 });
		const manual = await fetch(`${whoisSim.baseUrl}/api/bevService/request`, {
			...postJson({ apiKey: whoisSim.apiKey, emails: ['a@b.com'] }),
			redirect: 'manual',
		});
		expect([manual.status, manual.headers.get('location')]).toEqual([
			308,
			`//127.0.0.1:${whoisSim.elsewhere.port}/api/bevService/request`,
		]);
		const followed = await whois(whoisSim, '', { emails: ['a@b.com'] });
		expect([followed.status, followed.body.response.id]).toEqual([200, expect.any(Number)]);
		expect(whoisSim.elsewhere.requests[0].bodyText).toContain(whoisSim.apiKey);
		expect(whoisSim.credits).toBe(1_000_000 - 1);

		const cold = await start('simplecold');
		cold.inject({ route: 'validate', fault: 'redirect', status: 302 });
		const answer = await call(`${cold.baseUrl}/api-validation/validate`, simplecold(cold));
		expect([answer.status, answer.body.message]).toEqual([401, 'Authorization header is required']);
		expect(cold.elsewhere.requests[0].headers.authorization).toBeUndefined();
		cold.elsewhere.clearLog();
		expect(cold.elsewhere.requests).toHaveLength(0);
	});

	test('same: the redirect leads back to this origin with `_redirected=1`, which the simulator ignores', async () => {
		const sim = await start('bouncify');
		const job = sim.seedJob(['good@a.com']);
		const url = bouncifyUrl(sim, '/bulk', { job_id: job.id });
		sim.inject({ route: 'status', fault: 'redirect', target: 'same', status: 301 });
		const followed = await call(url);
		expect([followed.status, followed.body.status]).toEqual([200, 'completed']);
		expect(
			sim.requests.map((entry) => [entry.status, entry.fault, entry.query._redirected]),
		).toEqual([
			[301, 'redirect', undefined],
			[200, null, '1'],
		]);
		expect(sim.elsewhere.origin).toBeNull(); // never started

		sim.inject({ route: 'status', fault: 'redirect', target: 'same', relative: true, status: 303 });
		const manual = await fetch(url, { redirect: 'manual' });
		expect(manual.headers.get('location')).toBe(
			`${new URL(url).pathname}${new URL(url).search}&_redirected=1`,
		);
		sim.inject({ route: 'status', fault: 'redirect', target: 'same', status: 308 });
		expect((await fetch(url, { redirect: 'manual' })).headers.get('location')).toBe(
			`${url}&_redirected=1`,
		);

		// A redirect on every request is a loop the client must stop.
		sim.inject({ route: 'status', fault: 'redirect', target: 'same', times: Infinity });
		await expect(fetch(url)).rejects.toThrow();
		expect(() => sim.inject({ route: 'status', fault: 'redirect', status: 304 })).toThrow(
			/301, 302, 303, 307, 308/,
		);
		expect(() =>
			sim.inject({ route: 'status', fault: 'redirect', target: 'other' as 'same' }),
		).toThrow(/'cross' or 'same'/);
	});
});

describe('hostile faults: bodies that attack resources', () => {
	test('huge: valid JSON of exactly sizeBytes, the normal envelope after a giant padding string', async () => {
		const sim = await start('check365');
		sim.seedJob(['good@a.com', 'bad@a.com'], { id: 'j' });
		const url = `${sim.baseUrl}/bulk-status?api_key=${sim.apiKey}&job_id=j`;
		const normal = await call(url);
		sim.inject({ route: 'status', fault: 'huge', sizeBytes: 3_000_000, contentLength: true });
		const big = await call(url);
		expect(Buffer.byteLength(big.text)).toBe(3_000_000);
		expect(big.headers.get('content-length')).toBe('3000000');
		const { _padding: padding, ...rest } = big.body;
		expect(rest).toEqual(normal.body);
		expect(padding).toMatch(/^x+$/);
		expect(last(sim)).toMatchObject({
			fault: 'huge',
			status: 200,
			bytesSent: 3_000_000,
			ended: 'complete',
		});
	});

	test('huge: the default 600 MiB is streamed (chunked) to the end, and stops when the client hangs up', async () => {
		const sim = await start('bouncify');
		const url = bouncifyUrl(sim, '/info');
		sim.inject({ route: 'credits', fault: 'huge' });
		const whole = await rawRequest(url, { keep: 32 });
		expect(whole.outcome).toBe('end');
		expect(whole.bytes).toBe(600 * 1024 * 1024);
		expect(whole.headers['content-length']).toBeUndefined();
		expect(whole.headers['transfer-encoding']).toBe('chunked');
		expect(whole.head.toString()).toBe('{"_padding":"xxxxxxxxxxxxxxxxxxx');
		expect(
			whole.tail
				.toString()
				.endsWith('xxx","success":true,"credits_info":{"credits_remaining":1000000}}'),
		).toBe(true);

		sim.inject({ route: 'credits', fault: 'huge' });
		const abandoned = await rawRequest(url, { giveUpAfterBytes: 4 * 1024 * 1024 });
		expect(abandoned.outcome).toBe('gaveUp');
		await until(() => last(sim).ended !== null);
		expect(last(sim).ended).toBe('client');
		const sent = last(sim).bytesSent;
		expect(sent).toBeLessThan(64 * 1024 * 1024);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(last(sim).bytesSent).toBe(sent);
	});

	test('endless: chunks until the client goes away, or until the safety cap', async () => {
		const sim = await start('simplecold');
		const url = `${sim.baseUrl}/api-validation/validate`;
		const headers = { Authorization: `Bearer ${sim.apiKey}` };
		sim.inject({ route: 'validate', fault: 'endless', intervalMs: 0 });
		const gaveUp = await rawRequest(url, { headers, giveUpAfterBytes: 2 * 1024 * 1024, keep: 20 });
		expect([gaveUp.status, gaveUp.outcome, gaveUp.head.toString()]).toEqual([
			200,
			'gaveUp',
			'{"_padding":"xxxxxxx',
		]);
		await until(() => last(sim).ended === 'client');
		const sent = last(sim).bytesSent;
		await new Promise((resolve) => setTimeout(resolve, 100));
		expect(last(sim).bytesSent).toBe(sent);

		sim.inject({ route: 'validate', fault: 'endless', capMs: 300 });
		const capped = await rawRequest(url, { headers });
		expect(capped.outcome).toBe('aborted');
		expect(capped.ms).toBeGreaterThanOrEqual(250);
		expect(capped.ms).toBeLessThan(2000);
		expect(capped.arrivals.length).toBeGreaterThan(5); // a chunk every 10 ms by default
		expect(last(sim)).toMatchObject({ fault: 'endless', ended: 'cap' });
	});

	test('trickle: the real body one byte at a time, Content-Length announced', async () => {
		const sim = await start('bouncify');
		const url = bouncifyUrl(sim, '/info');
		const normal = await call(url);
		sim.inject({ route: 'credits', fault: 'trickle', intervalMs: 15 });
		const slow = await rawRequest(url);
		expect(slow.outcome).toBe('end');
		expect(slow.head.toString()).toBe(normal.text);
		expect(slow.headers['content-length']).toBe(String(Buffer.byteLength(normal.text)));
		expect(slow.arrivals.length).toBeGreaterThan(normal.text.length / 2);
		expect(slow.ms).toBeGreaterThanOrEqual((normal.text.length - 1) * 15 * 0.9);
		expect(last(sim)).toMatchObject({
			fault: 'trickle',
			ended: 'complete',
			bytesSent: normal.text.length,
		});

		sim.inject({ route: 'credits', fault: 'trickle' }); // 1 byte per second
		const impatient = await rawRequest(url, { giveUpAfterMs: 1500 });
		expect([impatient.outcome, impatient.bytes]).toEqual(['gaveUp', 2]);
		await until(() => last(sim).ended === 'client');
		sim.inject({ route: 'credits', fault: 'trickle', capMs: 200 });
		expect((await rawRequest(url)).outcome).toBe('aborted');
		expect(last(sim).ended).toBe('cap');
	});

	test('stall: headers and the first part of the body, then nothing until the client gives up (or the cap)', async () => {
		const sim = await start('whoisxml');
		const job = sim.seedJob(['good@a.com', 'bad@a.com']);
		const body = JSON.stringify({ apiKey: sim.apiKey, id: Number(job.id) });
		const url = `${sim.baseUrl}/api/bevService/request/completed`;
		const normal = await whois(sim, '/completed', { id: Number(job.id) });
		const size = Buffer.byteLength(normal.text);
		sim.inject({ route: 'download', fault: 'stall' });
		const stalled = await rawRequest(url, { method: 'POST', body, giveUpAfterMs: 400 });
		expect([stalled.status, stalled.outcome, stalled.headers['content-length']]).toEqual([
			200,
			'gaveUp',
			String(size),
		]);
		expect(stalled.head.toString()).toBe(normal.text.slice(0, Math.floor(size / 2)));
		expect(Math.max(...stalled.arrivals)).toBeLessThan(200);
		await until(() => last(sim).ended === 'client');

		sim.inject({ route: 'download', fault: 'stall', bytes: 10, capMs: 200 });
		const capped = await rawRequest(url, { method: 'POST', body });
		expect([capped.outcome, capped.bytes]).toEqual(['aborted', 10]);
		expect(last(sim)).toMatchObject({ fault: 'stall', ended: 'cap', bytesSent: 10 });
	});

	test('nested: one field becomes a 10,000-deep array (or object), written without recursion', async () => {
		const whoisSim = await start('whoisxml');
		const job = whoisSim.seedJob(['good@a.com']);
		whoisSim.inject({ route: 'status', fault: 'nested' });
		const deep = await whois(whoisSim, '/status', { ids: [Number(job.id)] });
		expect(deep.text).toContain(`"ready":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
		let node = deep.body.response[0].ready;
		let depth = 0;
		while (Array.isArray(node)) {
			depth += 1;
			node = node[0];
		}
		expect(depth).toBe(10_000);
		expect(deep.body.response[0].total_emails).toBe(1);

		const bouncify = await start('bouncify');
		const list = bouncify.seedJob(['good@a.com']);
		bouncify.inject({
			route: 'status',
			fault: 'nested',
			shape: 'object',
			depth: 3,
			field: 'results',
		});
		expect((await call(bouncifyUrl(bouncify, '/bulk', { job_id: list.id }))).text).toContain(
			'"results":{"a":{"a":{"a":null}}}',
		);
		bouncify.inject({ route: 'status', fault: 'nested', depth: 1_000_000 });
		const million = await call(bouncifyUrl(bouncify, '/bulk', { job_id: list.id }));
		expect(million.text.length).toBeGreaterThan(2_000_000);
		expect(() => bouncify.inject({ route: 'download', fault: 'nested' })).toThrow(
			/no default field/,
		);
	});

	test('bigId: WhoisXML writes the id as a number literal beyond 2^53; the exact id still works', async () => {
		const sim = await start('whoisxml');
		sim.inject({ route: 'create', fault: 'bigId' });
		const created = await whois(sim, '', { emails: ['good@a.com'] });
		const literal = /^\{"response":\{"id":(\d{20})\}\}$/.exec(created.text)?.[1] as string;
		expect(literal).toBeDefined();
		expect(BigInt(literal) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
		const parsed: number = created.body.response.id;
		expect(Number.isSafeInteger(parsed)).toBe(false);
		expect(BigInt(parsed)).not.toBe(BigInt(literal)); // JSON.parse rounded it
		const realId = [...sim.jobs.keys()][0];

		// The rounded id is unknown; the exact id, as a string or as the raw literal, is the job.
		expect((await whois(sim, '/status', { ids: [parsed] })).body.response).toEqual([]);
		expect((await whois(sim, '/status', { ids: [literal] })).body.response[0].id).toBe(
			Number(realId),
		);
		const rawLiteral = await call(`${sim.baseUrl}/api/bevService/request/status`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: `{"apiKey":"${sim.apiKey}","ids":[${literal}]}`,
		});
		expect(rawLiteral.body.response[0].id).toBe(Number(realId));

		sim.inject({ route: 'status', fault: 'bigId' });
		sim.inject({ route: 'list', fault: 'bigId' });
		expect((await whois(sim, '/status', { ids: [Number(realId)] })).text).toContain(
			`"id":${literal},`,
		);
		expect((await whois(sim, '/list', {})).text).toContain(`"data":[{"id":${literal}}]`);
		expect(() => sim.inject({ route: 'download', fault: 'bigId' })).toThrow(/no default field/);
	});

	test('bigId: elsewhere a long numeric string id (or literal: number) that leads to the same job', async () => {
		const sim = await start('bouncify');
		sim.inject({ route: 'create', fault: 'bigId' });
		const created = await call(
			bouncifyUrl(sim, '/bulk'),
			postJson({ emails: [{ email: 'good@a.com' }] }),
		);
		const id: string = created.body.job_id;
		expect(id).toMatch(/^\d{20}$/);
		expect((await call(bouncifyUrl(sim, '/bulk', { job_id: id }))).body).toMatchObject({
			status: 'preparing',
			job_id: expect.stringMatching(/^[a-z0-9]{36}$/),
		});
		sim.inject({ route: 'status', fault: 'bigId', literal: 'number' });
		expect((await call(bouncifyUrl(sim, '/bulk', { job_id: id }))).text).toContain(
			`"job_id":${id},`,
		);

		const cold = await start('simplecold');
		const job = cold.seedJob(['good@a.com']);
		cold.inject({ route: 'status', fault: 'bigId' });
		const status = await call(
			`${cold.baseUrl}/api-validation/bulk/${job.id}/status`,
			simplecold(cold),
		);
		expect(status.body.payload.id).toMatch(/^\d{20}$/);
		expect(
			(
				await call(
					`${cold.baseUrl}/api-validation/bulk/${status.body.payload.id}/status`,
					simplecold(cold),
				)
			).body.payload.status,
		).toBe('COMPLETED');

		const check365 = await start('check365');
		check365.seedJob(['good@a.com'], { id: 'mine' });
		check365.inject({ route: 'status', fault: 'bigId' });
		expect(
			(await call(`${check365.baseUrl}/bulk-status?api_key=${check365.apiKey}&job_id=mine`)).body
				.data.jobId,
		).toMatch(/^\d{20}$/);
	});

	test('close() ends open streams, stalls and waits at once', async () => {
		const sim = await startSimulator('bouncify', { clock: 'manual' });
		const url = bouncifyUrl(sim, '/info');
		sim.inject({ route: 'credits', fault: 'stall' });
		sim.inject({ route: 'credits', fault: 'endless' });
		sim.inject({ route: 'credits', fault: 'trickle' });
		sim.inject({ route: 'credits', fault: 'huge', intervalMs: 5 });
		const answers = [
			rawRequest(url),
			rawRequest(url),
			rawRequest(url),
			rawRequest(url, { giveUpAfterMs: 60_000, giveUpAfterBytes: Infinity }),
		];
		await until(() => sim.requests.length === 4);
		sim.inject({ route: 'credits', fault: 'slow', delayMs: 30_000 });
		const slow = fetch(url).then(
			() => 'answered',
			() => 'failed',
		);
		await new Promise((resolve) => setTimeout(resolve, 100));
		const started = Date.now();
		await sim.close();
		expect(Date.now() - started).toBeLessThan(1000);
		const outcomes = await Promise.all(answers);
		expect(outcomes.map((answer) => answer.outcome)).toEqual([
			'aborted',
			'aborted',
			'aborted',
			'aborted',
		]);
		expect(await slow).toBe('failed');
		expect(sim.requests.map((entry) => [entry.fault, entry.ended])).toEqual([
			['stall', 'close'],
			['endless', 'close'],
			['trickle', 'close'],
			['huge', 'close'],
		]);
	});
});

describe('non-ASCII addresses', () => {
	// traits.js accepts only ASCII addresses (no SMTPUTF8, no raw IDN), so josé@example.com is an
	// invalid-syntax address everywhere: the providers' "syntax error" / "Invalid format" outcome.
	const ADDRESS = 'josé@example.com';

	test('classify as invalid syntax; each provider reports it its own way, keeping the address intact', async () => {
		expect(classifyAddress(ADDRESS).kind).toBe('invalidSyntax');
		expect(classifyAddress('user@exämple.com').kind).toBe('invalidSyntax');
		expect(classifyAddress('user@xn--exmple-cua.com').kind).not.toBe('invalidSyntax');

		const bouncify = await start('bouncify');
		const created = await call(bouncifyUrl(bouncify, '/bulk', { auto_verify: 'true' }), {
			method: 'POST',
			body: csvForm('local_file', 'list.csv', `email\n${ADDRESS}\ngood@a.com\n`),
		});
		bouncify.finishJob(created.body.job_id);
		const csv = (
			await call(bouncifyUrl(bouncify, '/download', { jobId: created.body.job_id }), {
				method: 'POST',
			})
		).text.split('\r\n');
		expect(csv[1]).toMatch(/^"josé@example\.com","undeliverable","Y",/);
		expect(
			(await call(bouncifyUrl(bouncify, '/bulk', { job_id: created.body.job_id }))).body.analysis
				.syntax_error,
		).toBe(1);

		const check365 = await start('check365');
		await call(
			`${check365.baseUrl}/bulk-upload`,
			postJson({ api_key: check365.apiKey, job_id: 'j', emails: [ADDRESS] }),
		);
		check365.finishJob('j');
		const rows = (await call(`${check365.baseUrl}/bulk-status?api_key=${check365.apiKey}&job_id=j`))
			.body.data.results;
		expect(rows).toEqual([
			expect.objectContaining({ email: ADDRESS, status: 'invalid', emailType: 'unknown' }),
		]);

		const cold = await start('simplecold');
		const upload = await call(
			`${cold.baseUrl}/api-validation/bulk`,
			simplecold(cold, { method: 'POST', body: csvForm('file', 'a.csv', `email\n${ADDRESS}\n`) }),
		);
		cold.finishJob(upload.body.payload.id);
		const coldRows = (
			await call(
				`${cold.baseUrl}/api-validation/bulk/${upload.body.payload.id}/download-result?output=json`,
				simplecold(cold),
			)
		).body.payload;
		expect(coldRows).toEqual([
			expect.objectContaining({ email: ADDRESS, status: 'invalid', failType: 'syntax' }),
		]);
		const single = await call(
			`${cold.baseUrl}/api-validation/single?email=${encodeURIComponent(ADDRESS)}`,
			simplecold(cold),
		);
		expect([single.status, single.body.message]).toEqual([400, 'Invalid email format']);

		const whoisSim = await start('whoisxml');
		const request = await whois(whoisSim, '', { emails: [ADDRESS, 'good@a.com'] });
		whoisSim.finishJob(String(request.body.response.id));
		expect(
			(await whois(whoisSim, '/failed', { id: request.body.response.id })).body.response,
		).toEqual([{ error: 'Invalid format', emailAddress: ADDRESS }]);
		expect(
			(await whois(whoisSim, '/status', { ids: [request.body.response.id] })).body.response[0],
		).toMatchObject({ invalid_emails: 1, processed_emails: 1 });
	});
});

describe("WhoisXML's account balance (the user service, docs/provider-apis.md §7)", () => {
	const balanceUrl = (sim: Simulator<'whoisxml'>, query: Record<string, string> = {}) =>
		`${sim.baseUrl}/user-service/account-balance?${new URLSearchParams({ ...query, apiKey: sim.apiKey })}`;

	test('lists the products with their credits; Email Verification (7) has the live balance that creates spend', async () => {
		const sim = await start('whoisxml', { credits: 1_000 });
		expect((await call(balanceUrl(sim))).body).toEqual({
			data: [
				{ product_id: 1, product: { id: 1, name: 'WHOIS API' }, credits: 500 },
				{ product_id: 7, product: { id: 7, name: 'Email Verification API' }, credits: 1_000 },
				{ product_id: 14, product: { id: 14, name: 'Domain Research Suite' }, credits: 100 },
			],
		});
		await whois(sim, '', { emails: ['good.a@x.com', 'good.b@x.com'] });
		sim.setCredits(sim.credits + 10);
		expect((await call(balanceUrl(sim, { productId: '7' }))).body).toEqual({
			data: [{ product_id: 7, product: { id: 7, name: 'Email Verification API' }, credits: 1_008 }],
		});
		expect((await call(balanceUrl(sim, { productId: '99' }))).body).toEqual({ data: [] });
		expect(sim.requests.map((entry) => [entry.route, entry.method, entry.status])).toEqual([
			['credits', 'GET', 200],
			['create', 'POST', 200],
			['credits', 'GET', 200],
			['credits', 'GET', 200],
		]);
		expect(sim.requests[0].query.apiKey).toBe(sim.apiKey);
	});

	test('balanceProducts sets what the answer lists (an entry without credits has the live balance)', async () => {
		const sim = await start('whoisxml', {
			credits: 42,
			balanceProducts: [{ id: 1, name: 'WHOIS API', credits: 'lots' }, { id: 7 }],
		});
		expect((await call(balanceUrl(sim))).body).toEqual({
			data: [
				{ product_id: 1, product: { id: 1, name: 'WHOIS API' }, credits: 'lots' },
				{ product_id: 7, product: { id: 7 }, credits: 42 },
			],
		});
	});

	test('a wrong key gets 401; XML and a bad productId get 400; the faults apply to the route', async () => {
		const sim = await start('whoisxml');
		const wrong = await call(`${sim.baseUrl}/user-service/account-balance?apiKey=at_wrong`);
		expect(wrong.status).toBe(401);
		expect(wrong.body.ErrorMessage.msg).toMatch(/API key/);
		expect((await call(balanceUrl(sim, { outputFormat: 'XML' }))).status).toBe(400);
		expect((await call(balanceUrl(sim, { productId: 'seven' }))).status).toBe(400);
		expect((await call(balanceUrl(sim, { outputFormat: 'json' }))).status).toBe(200);

		sim.inject({ route: 'credits', fault: 'missingField' });
		expect((await call(balanceUrl(sim))).body).toEqual({});
		sim.inject({ route: 'credits', fault: '500' });
		const crashed = await call(balanceUrl(sim));
		expect(crashed.status).toBe(500);
		expect(crashed.text).toContain(sim.apiKey);
		expect(sim.requests.slice(-2).map((entry) => [entry.route, entry.fault])).toEqual([
			['credits', 'missingField'],
			['credits', '500'],
		]);
	});
});
