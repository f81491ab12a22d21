import {
	classifyAddress,
	startAllSimulators,
	startSimulator,
	verdictFor,
	type ProviderName,
	type Simulator,
	type SimulatorOptions,
} from './simulators';

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

async function start<P extends ProviderName>(provider: P, options: SimulatorOptions = {}): Promise<Simulator<P>> {
	const sim = await startSimulator(provider, { clock: 'manual', ...options });
	running.push(sim);
	return sim;
}

/** Helpers that put the key where each provider reads it. */
const bouncifyUrl = (sim: Simulator<'bouncify'>, path: string, query: Record<string, string> = {}) =>
	`${sim.baseUrl}${path}?${new URLSearchParams({ ...query, apikey: sim.apiKey })}`;
const simplecold = (sim: Simulator<'simplecold'>, init: RequestInit = {}): RequestInit => ({
	...init,
	headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${sim.apiKey}` },
});
const whois = (sim: Simulator<'whoisxml'>, path: string, body: Record<string, unknown>) =>
	call(`${sim.baseUrl}/api/bevService/request${path}`, postJson({ apiKey: sim.apiKey, ...body }));

describe('auth placement and wrong-key bodies', () => {
	test('Bouncify reads `apikey` from the query of every call; each endpoint has its documented 401', async () => {
		const sim = await start('bouncify');
		expect((await call(bouncifyUrl(sim, '/info'))).body).toEqual({ success: true, credits_info: { credits_remaining: 1_000_000 } });

		const wrong = await call(`${sim.baseUrl}/info?apikey=nope`);
		expect(wrong.status).toBe(401);
		expect(wrong.body).toEqual({ result: 'Invalid API key', success: false });
		const inHeader = await call(`${sim.baseUrl}/bulk?job_id=x`, { headers: { apikey: sim.apiKey } });
		expect(inHeader.status).toBe(401);
		expect(inHeader.body).toEqual({ result: 'Invalid API Key', success: false });
		const single = await call(`${sim.baseUrl}/verify?email=good@x.com&apikey=nope`);
		expect(single.status).toBe(401);
		expect(single.body).toEqual({ success: 'false', result: 'Invalid API Key' });
	});

	test('Check365 reads `api_key` from the JSON body on upload and from the query on status', async () => {
		const sim = await start('check365');
		const upload = { emails: ['good@a.com'], job_id: 'job-1' };
		const keyInQuery = await call(`${sim.baseUrl}/bulk-upload?api_key=${sim.apiKey}`, postJson(upload));
		expect(keyInQuery.status).toBe(401);
		expect(keyInQuery.body).toEqual({ success: false, message: 'Invalid API key' });
		const created = await call(`${sim.baseUrl}/bulk-upload`, postJson({ ...upload, api_key: sim.apiKey }));
		expect(created.body).toEqual({ success: true, message: 'Emails have been sent for validation.', job_id: 'job-1' });

		expect((await call(`${sim.baseUrl}/bulk-status?job_id=job-1&api_key=wrong`)).status).toBe(401);
		expect((await call(`${sim.baseUrl}/bulk-status?job_id=job-1&api_key=${sim.apiKey}`)).status).toBe(200);
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
		expect([wrong.status, wrong.body]).toEqual([401, { status: 'FAILURE', message: 'Invalid API key' }]);
		const bare = await call(url, { headers: { Authorization: sim.apiKey } });
		expect(bare.status).toBe(401);
		expect((await call(url, simplecold(sim))).body).toEqual({ status: 'SUCCESS', payload: { valid: true, message: 'API key is valid' } });
	});

	test('WhoisXML reads `apiKey` from the JSON body of bevService calls and from the query of /api/v3', async () => {
		const sim = await start('whoisxml');
		expect(sim.apiKey).toMatch(/^at_[a-z0-9]{29}$/);
		expect((await whois(sim, '/list', {})).status).toBe(200);
		const keyInQuery = await call(`${sim.baseUrl}/api/bevService/request/list?apiKey=${sim.apiKey}`, postJson({}));
		expect([keyInQuery.status, keyInQuery.body]).toEqual([401, { response: { error: 'Authorisation or authentication failed' } }]);

		const single = await call(`${sim.baseUrl}/api/v3?apiKey=${sim.apiKey}&emailAddress=catchall@gmail.com`);
		expect(single.body).toMatchObject({ emailAddress: 'catchall@gmail.com', smtpCheck: 'true', catchAllCheck: 'true', freeCheck: 'true' });
		expect(single.body.result).toBeUndefined();
		const wrong = await call(`${sim.baseUrl}/api/v3?apiKey=at_wrong&emailAddress=a@b.com`);
		expect(wrong.status).toBe(401);
		expect(wrong.body.ErrorMessage.msg).toMatch(/API key/);
	});
});

describe('job lifecycle on a manual clock', () => {
	test('Bouncify: preparing → ready → (PATCH start) → verifying → completed → CSV download → delete', async () => {
		const sim = await start('bouncify');
		const upload = { emails: [{ email: 'good@acme.com', firstname: 'Ann, "A"' }, { email: 'catchall@acme.com' }, { email: 'good.info@gmail.com' }, { email: 'trap@acme.com' }] };
		const created = await call(bouncifyUrl(sim, '/bulk'), postJson(upload));
		expect(created.body).toEqual({ job_id: expect.stringMatching(/^[a-z0-9]{36}$/), success: true, message: 'Bulk email verification list has been created' });
		const jobId: string = created.body.job_id;
		const status = async () => (await call(bouncifyUrl(sim, '/bulk', { job_id: jobId }))).body;

		expect(await status()).toEqual({
			job_id: jobId,
			status: 'preparing',
			created_at: '01/15/2024, 10:30:00 AM',
			success: true,
			message: 'Job is being prepared for verification',
		});
		const early = await call(bouncifyUrl(sim, '/bulk', { job_id: jobId }), postJson({ action: 'start' }, 'PATCH'));
		expect(early.body.result).toMatch(/^Job is not ready for verification/);

		sim.advance(1000);
		const ready = await status();
		expect(ready).toMatchObject({ status: 'ready', total: 4, analysis: { common_isp: 1, role_based: 1, spamtrap: 1, syntax_error: 0 } });
		expect(ready.verified).toBeUndefined();
		sim.advance(60_000);
		expect((await status()).status).toBe('ready'); // waits for an explicit start
		const notYet = await call(bouncifyUrl(sim, '/download', { jobId }), { method: 'POST' });
		expect([notYet.status, notYet.body.result]).toEqual([400, expect.stringContaining('Job is ready for verification')]);

		const started = await call(bouncifyUrl(sim, '/bulk', { job_id: jobId }), postJson({ action: 'start' }, 'PATCH'));
		expect(started.body.message).toMatch(/^Job verification will be attempted shortly/);
		expect(sim.credits).toBe(1_000_000 - 4);
		sim.advance(800);
		const verifying = await status();
		expect(verifying).toMatchObject({ status: 'verifying', total: 4, message: 'Job is being verified' });
		expect(verifying.verified).toBeGreaterThan(0);
		expect(verifying.verified + verifying.pending).toBe(4);
		const again = await call(bouncifyUrl(sim, '/bulk', { job_id: jobId }), postJson({ action: 'start' }, 'PATCH'));
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
		expect(lines[0]).toBe('"Email","Verification Result","Syntax Error","ISP","Role","Disposable","Trap","Verified At","firstname"');
		expect(lines[1]).toMatch(/^"good@acme.com","deliverable","N","N","N","N","N","2024-01-15T10:3\d:\d\d\.\d{3}Z","Ann, ""A"""$/);
		expect(lines[2]).toMatch(/^"catchall@acme.com","accept-all",/);
		expect(lines[3]).toMatch(/^"good.info@gmail.com","deliverable","N","Y","Y",/);
		const filtered = await call(bouncifyUrl(sim, '/download', { jobId }), postJson({ filterResult: ['accept_all'] }));
		expect(filtered.text.trim().split('\r\n')).toHaveLength(2);
		expect((await call(bouncifyUrl(sim, '/download', { jobId }), postJson({ filterResult: ['accept-all'] }))).status).toBe(400);

		const removed = await call(bouncifyUrl(sim, '/bulk', { job_id: jobId }), { method: 'DELETE' });
		expect(removed.body).toEqual({ job_id: jobId, success: true, message: 'List will be deleted' });
		expect((await call(bouncifyUrl(sim, '/bulk', { job_id: jobId }))).body).toEqual({ result: 'Job not found', success: false });
		expect((await call(bouncifyUrl(sim, '/bulk', { job_id: 'x' }))).body).toEqual({ result: 'Job not found. Invalid jobId', success: false });
	});

	test('Bouncify: a multipart upload with auto_verify starts by itself and keeps the extra columns', async () => {
		const sim = await start('bouncify');
		const form = csvForm('local_file', 'list.csv', 'Email Address,Company\nok1@acme.com,Acme\nbad1@acme.com,Acme\n');
		const created = await call(bouncifyUrl(sim, '/bulk', { auto_verify: 'true' }), { method: 'POST', body: form });
		expect(created.status).toBe(200);
		sim.advance(10_000);
		const lines = (await call(bouncifyUrl(sim, '/download', { jobId: created.body.job_id }), { method: 'POST' })).text.trim().split('\r\n');
		expect(lines[0]).toMatch(/"Verified At","Company"$/);
		expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual(['"deliverable"', '"undeliverable"']);

		const notCsv = await call(bouncifyUrl(sim, '/bulk'), { method: 'POST', body: csvForm('local_file', 'list.txt', 'a@b.com\n') });
		expect([notCsv.status, notCsv.body]).toEqual([400, { result: 'Invalid file data', success: false }]);
		const huge = 'email\n' + 'good.padding.padding.padding@acme.com\n'.repeat(300_000);
		expect((await call(bouncifyUrl(sim, '/bulk'), { method: 'POST', body: csvForm('local_file', 'big.csv', huge) })).status).toBe(400);
	});

	test('Check365: progress 0 → partial → 100 with inline results; job_id is the client\'s', async () => {
		const sim = await start('check365');
		const emails = ['good@acme.com', 'bad@acme.com', 'x@acme.invalid', 'trap@acme.com', 'catchall@acme.com', 'not-an-address', 'good.sales@acme.com', 'unknown@acme.com'];
		await call(`${sim.baseUrl}/bulk-upload`, postJson({ api_key: sim.apiKey, job_id: 'mine', emails }));
		const duplicate = await call(`${sim.baseUrl}/bulk-upload`, postJson({ api_key: sim.apiKey, job_id: 'mine', emails }));
		expect(duplicate.status).toBe(409);
		const status = async () => (await call(`${sim.baseUrl}/bulk-status?api_key=${sim.apiKey}&job_id=mine`)).body;

		expect(await status()).toEqual({
			success: true,
			message: 'Job is being processed',
			data: { jobId: 'mine', status: 'processing', creditsUsed: 0, progress: 0, total: 8, results: [] },
		});
		sim.advance(1200);
		const partial = await status();
		expect(partial.data.progress).toBeGreaterThan(0);
		expect(partial.data.progress).toBeLessThan(100);
		expect(partial.data.results.length).toBe(partial.data.creditsUsed);

		sim.advance(5000);
		const done = await status();
		expect(done).toMatchObject({ message: 'Job has been completed', data: { status: 'completed', progress: 100, creditsUsed: 8, total: 8 } });
		expect(done.data.results.map((row: { status: string }) => row.status)).toEqual([
			'active', 'inactive', 'unvalidated', 'spam trap', 'catch-all', 'invalid', 'active', 'unknown',
		]);
		expect(done.data.results[2]).toEqual({
			email: 'x@acme.invalid', emailProvider: 'unknown', emailType: 'unknown', status: 'unvalidated',
			safeToSend: false, risk: 'high', isRole: false, statusReason: 'invalid_domain',
		});
		expect(done.data.results[6].isRole).toBe(true);
	});

	test('Check365: the legacy result shape and failed/cancelled outcomes', async () => {
		const sim = await start('check365', { resultShape: 'legacy' });
		sim.seedJob(['good@outlook.com'], { id: 'old' });
		const body = (await call(`${sim.baseUrl}/bulk-status?api_key=${sim.apiKey}&job_id=old`)).body;
		expect(body.data.results).toEqual([{ email: 'good@outlook.com', emailProvider: 'microsoft365', emailType: 'personal', status: 'active', isRole: false }]);
		sim.seedJob(['a@b.com'], { id: 'broken', state: 'failed' });
		expect((await call(`${sim.baseUrl}/bulk-status?api_key=${sim.apiKey}&job_id=broken`)).body.data.status).toBe('failed');
	});

	test('SimpleCold: QUEUE → IN_PROGRESS → COMPLETED, then JSON and CSV downloads with the user\'s columns', async () => {
		const sim = await start('simplecold');
		const form = csvForm('file', 'leads.csv', 'name,email\nAnn,good@acme.com\nBob,bad@acme.com\nCy,unknown@acme.com\n');
		const created = await call(`${sim.baseUrl}/api-validation/bulk`, simplecold(sim, { method: 'POST', body: form }));
		expect(created.body).toEqual({
			status: 'SUCCESS',
			payload: {
				id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/),
				name: 'leads', totalEmails: 3, totalValidEmails: 0, totalCreditsUsed: 0, status: 'QUEUE',
				createdAt: '2024-01-15T10:30:00Z', updatedAt: '2024-01-15T10:30:00Z',
			},
		});
		const id: string = created.body.payload.id;
		const status = async () => (await call(`${sim.baseUrl}/api-validation/bulk/${id}/status`, simplecold(sim))).body.payload;
		sim.advance(600);
		expect(await status()).toMatchObject({ status: 'IN_PROGRESS', totalCreditsUsed: 3 });
		const early = await call(`${sim.baseUrl}/api-validation/bulk/${id}/download-result`, simplecold(sim));
		expect(early.status).toBe(400);
		sim.advance(2000);
		expect(await status()).toMatchObject({ status: 'COMPLETED', totalValidEmails: 1, totalCreditsUsed: 3 });

		const json = await call(`${sim.baseUrl}/api-validation/bulk/${id}/download-result?output=json`, simplecold(sim));
		expect(json.body.status).toBe('SUCCESS');
		expect(json.body.payload[0]).toEqual({
			name: 'Ann', email: 'good@acme.com', status: 'ok', statusMessage: 'Email address is valid and deliverable',
			failType: 'none', mxLocation: 'United States', siteLocation: 'United States', siteLanguage: 'en',
		});
		const csv = await call(`${sim.baseUrl}/api-validation/bulk/${id}/download-result?output=csv&verifiedOnly=true`, simplecold(sim));
		expect(csv.text.trim().split('\r\n')).toEqual([
			'name,email,status,statusMessage,failType,mxLocation,siteLocation,siteLanguage',
			'Ann,good@acme.com,ok,Email address is valid and deliverable,none,United States,United States,en',
		]);
		expect((await call(`${sim.baseUrl}/api-validation/bulk/nope/status`, simplecold(sim))).body).toEqual({ status: 'FAILURE', message: 'Job not found' });
	});

	test('SimpleCold: CANCELING then CANCELED, FAILED, the 7 MB and 50-address limits', async () => {
		const sim = await start('simplecold', { rateLimitPerMinute: Infinity });
		const status = async (id: string) => (await call(`${sim.baseUrl}/api-validation/bulk/${id}/status`, simplecold(sim))).body.payload.status;
		const job = sim.seedJob(10, { state: 'processing' });
		sim.setJobOutcome(job.id, 'cancelled');
		expect(await status(job.id)).toBe('CANCELING');
		sim.advance(1000);
		expect(await status(job.id)).toBe('CANCELED');
		expect(await status(sim.seedJob(10, { state: 'failed' }).id)).toBe('FAILED');

		const tooBig = 'email\n' + 'x'.repeat(7 * 1024 * 1024);
		const big = await call(`${sim.baseUrl}/api-validation/bulk`, simplecold(sim, { method: 'POST', body: csvForm('file', 'big.csv', tooBig) }));
		expect([big.status, big.body.status]).toEqual([400, 'FAILURE']);
		const batch = (emails: string[]) => call(`${sim.baseUrl}/api-validation/batch`, simplecold(sim, postJson({ emails })));
		expect((await batch(Array.from({ length: 51 }, (_, i) => `a${i}@b.com`))).status).toBe(400);
		expect((await batch(['good@a.com', 'bad@a.com'])).body.payload.map((row: { status: string }) => row.status)).toEqual(['ok', 'invalid']);
		const single = await call(`${sim.baseUrl}/api-validation/single?email=nope`, simplecold(sim));
		expect([single.status, single.body]).toEqual([400, { status: 'FAILURE', message: 'Invalid email format' }]);
	});

	test('WhoisXML: ready 0 → 1 while processed/invalid/failed grow; no failed job state', async () => {
		const sim = await start('whoisxml');
		const emails = ['good@acme.com', 'foo.bar', 'fail@acme.com', 'smtpfail@acme.com', 'catchall@gmail.com', 'x@nowhere.invalid', 'bad@acme.com', 'unknown@acme.com'];
		const created = await whois(sim, '', { version: 3, emails, format: 'json' });
		expect(created.body).toEqual({ response: { id: expect.any(Number) } });
		const id: number = created.body.response.id;
		const status = async () => (await whois(sim, '/status', { ids: [id] })).body.response[0];

		expect(await status()).toEqual({
			id, date_start: '1705314600', total_emails: 8, invalid_emails: 0, processed_emails: 0, failed_emails: 0, ready: 0,
		});
		sim.advance(1500);
		const midway = await status();
		expect(midway.ready).toBe(0);
		expect(midway.processed_emails + midway.invalid_emails + midway.failed_emails).toBeGreaterThan(0);
		sim.advance(5000);
		expect(await status()).toMatchObject({ total_emails: 8, invalid_emails: 1, processed_emails: 6, failed_emails: 1, ready: 1, date_end: expect.any(String) });

		const completed = (await whois(sim, '/completed', { id })).body.response;
		expect(completed.map((row: { result: string }) => row.result)).toEqual(['good', 'smtp-failed', 'unknown', 'bad', 'bad', 'unknown']);
		expect(completed[0]).toEqual({
			emailAddress: 'good@acme.com', formatCheck: 'true', smtpCheck: 'true', dnsCheck: 'true', freeCheck: 'false',
			disposableCheck: 'false', catchAllCheck: 'false', mxRecords: ['mx1.acme.com', 'mx2.acme.com'], result: 'good',
		});
		expect((await whois(sim, '/failed', { id })).body.response).toEqual([
			{ error: 'Invalid format', emailAddress: 'foo.bar' },
			{ error: 'Verification failed', emailAddress: 'fail@acme.com' },
		]);
		const csv = await whois(sim, '/completed', { id, format: 'csv' });
		expect(csv.text.split('\r\n')[0]).toBe('emailAddress,formatCheck,smtpCheck,dnsCheck,freeCheck,disposableCheck,catchAllCheck,mxRecords,result');
		expect((await whois(sim, '/completed', { id: 424242 })).body).toEqual({ response: { error: 'Wrong request id' } });
		expect(() => sim.setJobOutcome(String(id), 'failed')).toThrow(/no failed or cancelled request state/);
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
		expect([tooMany.status, tooMany.body.response.errors]).toEqual([400, [expect.stringMatching(/50000/)]]);
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
			current_page: 3, data: ids.slice(20).map((id) => ({ id })), from: 21, last_page: 3, per_page: 10, to: 25, total: 25,
		});
		const detailed = (await whois(sim, '/list', { onlyIds: false })).body.response;
		expect(detailed.data[0]).toMatchObject({ id: ids[24], total_emails: 1, ready: 1 });
		expect((await whois(sim, '/list', { page: 4 })).body.response).toMatchObject({ data: [], from: null, to: null });
		expect((await whois(sim, '/list', { perPage: 5 })).status).toBe(400);
	});

	test('status answers many ids at once and leaves unknown ids out', async () => {
		const sim = await start('whoisxml');
		const first = Number(sim.seedJob(['good@a.com']).id);
		const second = Number(sim.seedJob(['good@a.com'], { state: 'processing' }).id);
		const answer = (await whois(sim, '/status', { ids: [second, 999_999, first] })).body.response;
		expect(answer.map((row: { id: number; ready: number }) => [row.id, row.ready])).toEqual([[second, 0], [first, 1]]);
		expect((await whois(sim, '/status', { ids: [999_999] })).body).toEqual({ response: [] });
	});
});

describe('rate limits', () => {
	test('SimpleCold: the 11th bulk-family request in a minute gets the documented 429, shared across endpoints', async () => {
		const sim = await start('simplecold');
		const job = sim.seedJob(['good@a.com']);
		const statusUrl = `${sim.baseUrl}/api-validation/bulk/${job.id}/status`;
		for (let i = 0; i < 8; i++) expect((await call(statusUrl, simplecold(sim))).status).toBe(200);
		expect((await call(`${sim.baseUrl}/api-validation/bulk/${job.id}/download-result`, simplecold(sim))).status).toBe(200);
		expect((await call(`${sim.baseUrl}/api-validation/batch`, simplecold(sim, postJson({ emails: ['a@b.com'] })))).status).toBe(200);
		expect((await call(`${sim.baseUrl}/api-validation/validate`, simplecold(sim))).status).toBe(200); // not limited

		const limited = await call(statusUrl, simplecold(sim));
		expect(limited.status).toBe(429);
		expect(limited.body).toEqual({ status: 429, error: 'Rate limit exceeded. Maximum 10 requests per minute per API key.' });
		expect(limited.headers.get('retry-after')).toBeNull();
		expect((await call(`${sim.baseUrl}/api-validation/single?email=good@a.com`, simplecold(sim))).status).toBe(200);

		sim.advance(60_001);
		expect((await call(statusUrl, simplecold(sim))).status).toBe(200);
	});

	test('limits are configurable, with an optional Retry-After', async () => {
		const bouncify = await start('bouncify', { rateLimitPerMinute: 2, rateLimitRetryAfter: 7 });
		await call(bouncifyUrl(bouncify, '/info'));
		await call(bouncifyUrl(bouncify, '/info'));
		const limited = await call(bouncifyUrl(bouncify, '/info'));
		expect([limited.status, limited.headers.get('retry-after'), limited.body.success]).toEqual([429, '7', false]);

		const unlimited = await start('simplecold', { rateLimitPerMinute: Infinity });
		for (let i = 0; i < 15; i++) expect((await call(`${unlimited.baseUrl}/api-validation/batch`, simplecold(unlimited, postJson({ emails: ['a@b.com'] })))).status).toBe(200);
	});
});

describe('fault injection', () => {
	test('429 with and without Retry-After, counted by `times`', async () => {
		const sim = await start('simplecold');
		const fault = sim.inject({ route: 'validate', fault: '429', retryAfter: 3, times: 2 });
		const url = `${sim.baseUrl}/api-validation/validate`;
		const first = await call(url, simplecold(sim));
		expect([first.status, first.headers.get('retry-after'), first.body.status]).toEqual([429, '3', 429]);
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
		await expect(fetch(`${sim.baseUrl}/bulk-status?job_id=x&api_key=${sim.apiKey}`)).rejects.toThrow();
		sim.inject({ route: 'status', fault: 'slow', delayMs: 300 });
		const slow = await call(`${sim.baseUrl}/bulk-status?job_id=x&api_key=${sim.apiKey}`);
		expect(slow.status).toBe(404);
		expect(slow.ms).toBeGreaterThanOrEqual(280);
		expect(sim.requests.map((entry) => [entry.status, entry.fault])).toEqual([[null, 'reset'], [404, 'slow']]);
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
		expect((await call(bouncifyUrl(sim, '/bulk', { job_id: job.id }))).body.status).toBe('ARCHIVED');

		const whoisSim = await start('whoisxml');
		const request = whoisSim.seedJob(['good@a.com']);
		whoisSim.inject({ route: 'status', fault: 'unknownStatus' });
		expect((await whois(whoisSim, '/status', { ids: [Number(request.id)] })).body.response[0].ready).toBe(2);

		const cold = await start('simplecold');
		cold.inject({ route: 'create', fault: 'missingField' });
		const created = await call(`${cold.baseUrl}/api-validation/bulk`, simplecold(cold, { method: 'POST', body: csvForm('file', 'a.csv', 'a@b.com\n') }));
		expect(created.body.payload).toMatchObject({ status: 'QUEUE' });
		expect(created.body.payload.id).toBeUndefined();
		expect(cold.requests[0].fault).toBe('missingField');
		expect(() => sim.inject({ route: 'download', fault: 'missingField' })).toThrow(/no default field/);
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
		expect(listed).toMatchObject({ method: 'POST', path: '/api/bevService/request/list', status: 200, route: 'list', fault: null });
		expect(listed.bodyText).toContain(sims.whoisxml.apiKey);
		expect(listed.responseText).toContain('"current_page":1');
		expect(sims.check365.requests[0]).toMatchObject({ status: 404, route: null });
		sims.whoisxml.clearLog();
		expect(sims.whoisxml.requests).toHaveLength(0);
	});

	test('the verdict rule is one function per provider and downloads follow it', async () => {
		expect(classifyAddress('good.sales@mailinator.com')).toMatchObject({ kind: 'deliverable', role: true, disposable: true, free: false });
		expect(classifyAddress('someone@yahoo.com').free).toBe(true);
		expect(classifyAddress('a b@c.com').kind).toBe('invalidSyntax');
		expect(verdictFor('bouncify', 'catchall@a.com').result).toBe('accept-all');
		expect(verdictFor('check365', 'catchall@a.com').status).toBe('catch-all');
		expect(verdictFor('simplecold', 'catchall@a.com').status).toBe('unknown');
		expect(verdictFor('whoisxml', 'catchall@a.com')).toMatchObject({ result: 'unknown', catchAllCheck: 'true' });
		expect(verdictFor('whoisxml', 'nope')).toEqual({ error: 'Invalid format', emailAddress: 'nope' });
		// Without a keyword the hash picks the same class for every provider.
		const hashed = 'someone@example.org';
		const bouncifyResultByKind: Record<string, string> = { deliverable: 'deliverable', undeliverable: 'undeliverable', catchall: 'accept-all', unknown: 'unknown' };
		expect(verdictFor('bouncify', hashed).result).toBe(bouncifyResultByKind[classifyAddress(hashed).kind]);

		const sim = await start('simplecold');
		const addresses = Array.from({ length: 40 }, (_, i) => `person${i}@example.net`);
		const job = sim.seedJob(addresses);
		const rows = (await call(`${sim.baseUrl}/api-validation/bulk/${job.id}/download-result?output=json`, simplecold(sim))).body.payload;
		expect(rows.map((row: { status: string }) => row.status)).toEqual(addresses.map((email) => verdictFor('simplecold', email).status));
	});
});
