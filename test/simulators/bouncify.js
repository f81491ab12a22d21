'use strict';

/**
 * Bouncify API v1 (https://api.bouncify.io/v1), as documented in docs/provider-apis.md §1: key in the `apikey`
 * query parameter of every call, errors as `{"result": "...", "success": false}`, lists that wait for
 * an explicit start unless uploaded with auto_verify, and CSV downloads.
 */

const { classifyAddress } = require('./traits');
const { csvLine, parseMultipart, readEmailTable, tableFromRecords } = require('./formats');
const { stableToken } = require('./jobs');
const { jsonReply, textReply } = require('./server');

const MAX_FILE_BYTES = 10 * 1024 * 1024;
const MAX_EMAILS = 500_000;
const FILTER_TOKENS = ['deliverable', 'undeliverable', 'accept_all', 'unknown'];
const RESULT_COLUMNS = [
	'Email',
	'Verification Result',
	'Syntax Error',
	'ISP',
	'Role',
	'Disposable',
	'Trap',
	'Verified At',
];

/** @typedef {'deliverable' | 'undeliverable' | 'accept-all' | 'unknown'} BouncifyResult */

/** @type {Record<import('./traits').AddressKind, BouncifyResult>} */
const RESULT_BY_KIND = {
	deliverable: 'deliverable',
	undeliverable: 'undeliverable',
	catchall: 'accept-all',
	unknown: 'unknown',
	spamtrap: 'undeliverable',
	smtpfail: 'undeliverable',
	processingFailed: 'unknown',
	invalidDomain: 'undeliverable',
	invalidSyntax: 'undeliverable',
};

const SINGLE_MESSAGES = {
	deliverable: 'This address can receive emails.',
	undeliverable: 'This address cannot receive emails.',
	'accept-all': 'Remote host accepts mail at any address.',
	unknown: 'The mail server could not be reached to verify this address.',
};

const STATUS_BY_PHASE = {
	queued: 'preparing',
	waiting: 'ready',
	processing: 'verifying',
	completed: 'completed',
	failed: 'failed',
	cancelled: 'cancelled',
};

const STATUS_MESSAGES = {
	preparing: 'Job is being prepared for verification',
	ready: 'Job ready for verification. Please begin verification to know the result',
	verifying: 'Job is being verified',
	completed:
		'Verification completed successfully. Please download the result using /download endpoint',
	failed: 'Unable to process your job, The uploaded list contains invalid data',
	cancelled: 'Job is cancelled',
};

const DOWNLOAD_REFUSALS = {
	preparing:
		'Job is being prepared for verification. Please download the result once the verification is completed',
	ready:
		'Job is ready for verification. Please start the verification before downloading the result',
	verifying: 'Job is being verified. Please download the result once the verification is completed',
	failed: STATUS_MESSAGES.failed,
	cancelled: STATUS_MESSAGES.cancelled,
};

/**
 * What Bouncify says about one address (single verify and download rows).
 * @param {string} email
 */
function verdictFor(email) {
	const traits = classifyAddress(email, 'bouncify');
	const result = RESULT_BY_KIND[traits.kind];
	return {
		email: traits.email,
		user: traits.user,
		domain: traits.domain,
		result,
		message: SINGLE_MESSAGES[result],
		syntaxError: traits.kind === 'invalidSyntax',
		/** ISP column / free_email: a free or common-ISP mailbox. */
		freeEmail: traits.free,
		role: traits.role,
		disposable: traits.disposable,
		spamtrap: traits.kind === 'spamtrap',
		acceptAll: traits.kind === 'catchall',
	};
}

/** @param {number} status @param {string} result */
const failure = (status, result) => jsonReply(status, { result, success: false });
/** The single-verify endpoint alone spells `success` as a string in its errors. */
const singleFailure = (/** @type {number} */ status, /** @type {string} */ result) =>
	jsonReply(status, { success: 'false', result });
/** The documented out-of-credits texts: start (and every other call), and single verify. */
const NO_CREDITS = 'Insufficient verification credits. Please order a plan.';
const NO_CREDITS_SINGLE = 'Insufficient verification credits';
const ok = (/** @type {object} */ body) => jsonReply(200, body);
const yesNo = (/** @type {boolean} */ flag) => (flag ? 'Y' : 'N');
const isTrue = (/** @type {unknown} */ value) => value === true || value === 'true';

/** `created_at` as in the docs' example ("08/13/2021, 9:39:37 AM"); the timezone is undocumented, UTC here. */
function bouncifyDate(/** @type {number} */ ms) {
	const date = new Date(ms);
	const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
	const hours = date.getUTCHours();
	return (
		`${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}/${date.getUTCFullYear()}, ` +
		`${hours % 12 || 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`
	);
}

/** List-level counts: `analysis` over the whole list, `results` over the emails verified so far. */
function tally(/** @type {string[]} */ emails, /** @type {number} */ verified) {
	const analysis = { common_isp: 0, role_based: 0, disposable: 0, spamtrap: 0, syntax_error: 0 };
	const results = { deliverable: 0, undeliverable: 0, accept_all: 0, unknown: 0 };
	emails.forEach((email, index) => {
		const verdict = verdictFor(email);
		analysis.common_isp += Number(verdict.freeEmail);
		analysis.role_based += Number(verdict.role);
		analysis.disposable += Number(verdict.disposable);
		analysis.spamtrap += Number(verdict.spamtrap);
		analysis.syntax_error += Number(verdict.syntaxError);
		if (index < verified) results[filterToken(verdict.result)] += 1;
	});
	return { analysis, results };
}

/** @param {BouncifyResult} result @returns {'deliverable' | 'undeliverable' | 'accept_all' | 'unknown'} */
const filterToken = (result) => (result === 'accept-all' ? 'accept_all' : result);

/**
 * @param {string | undefined} id @param {import('./server').SimContext} ctx
 * @returns {{ job: import('./jobs').SimJob } | { refusal: import('./server').Reply }}
 */
function findJob(id, ctx) {
	const job = id ? ctx.jobs.get(id) : undefined;
	if (job) return { job };
	return {
		refusal: failure(
			400,
			id && ctx.jobs.wasDeleted(id) ? 'Job not found' : 'Job not found. Invalid jobId',
		),
	};
}

/** @type {import('./server').Route['handle']} */
function createList(req, ctx) {
	const invalidFile = failure(400, 'Invalid file data');
	const parts = parseMultipart(req.rawBody, req.headers['content-type']);
	let table;
	let autoVerify;
	if (parts) {
		const file = parts.find((part) => part.name === 'local_file');
		if (!file || !/\.csv$/i.test(file.filename ?? '')) return invalidFile;
		if (file.data.length > MAX_FILE_BYTES)
			return failure(400, 'File size exceeds the maximum limit of 10 MB');
		table = readEmailTable(file.data.toString('utf8'));
		autoVerify = isTrue(req.query.auto_verify);
	} else {
		const emails = req.body?.emails;
		const wellFormed =
			Array.isArray(emails) &&
			emails.length > 0 &&
			emails.every(
				(entry) => entry !== null && typeof entry === 'object' && typeof entry.email === 'string',
			);
		if (!wellFormed) return invalidFile;
		table = tableFromRecords(emails);
		autoVerify = isTrue(req.body.auto_verify) || isTrue(req.query.auto_verify);
	}
	if (!table) return invalidFile;
	if (table.rows.length > MAX_EMAILS)
		return failure(400, `The list exceeds the maximum limit of ${MAX_EMAILS} emails`);
	// auto_verify spends the credits now; without enough credits the list waits for a manual start.
	const autoStart = autoVerify && ctx.spendCredits(table.rows.length);
	const job = ctx.jobs.create(table, { autoStart });
	return ok({
		job_id: job.id,
		success: true,
		message: 'Bulk email verification list has been created',
	});
}

/** @type {import('./server').Route['handle']} */
function jobStatus(req, ctx) {
	const found = findJob(req.query.job_id, ctx);
	if ('refusal' in found) return found.refusal;
	const { job } = found;
	const progress = ctx.jobs.progress(job);
	const status = STATUS_BY_PHASE[progress.phase];
	const head = { job_id: job.id, status, created_at: bouncifyDate(job.createdAt) };
	const envelope = { success: true, message: STATUS_MESSAGES[status] };
	const total = job.emails.length;
	switch (status) {
		case 'preparing':
			return ok({ ...head, ...envelope });
		case 'ready':
			return ok({ ...head, total, analysis: tally(job.emails, 0).analysis, ...envelope });
		case 'failed':
			return ok({ ...head, total: 0, ...envelope });
		case 'cancelled':
			return ok({ ...head, total, ...envelope });
		default: {
			const { analysis, results } = tally(job.emails, progress.processed);
			const counts = { total, verified: progress.processed, pending: total - progress.processed };
			return ok({ ...head, ...counts, analysis, results, ...envelope });
		}
	}
}

/** @type {import('./server').Route['handle']} */
function startVerification(req, ctx) {
	const found = findJob(req.query.job_id, ctx);
	if ('refusal' in found) return found.refusal;
	const { job } = found;
	if (req.body?.action !== 'start')
		return failure(400, 'Invalid action. The action must be "start"');
	const { phase } = ctx.jobs.progress(job);
	if (phase === 'processing' || phase === 'completed')
		return failure(400, 'Verification has already started.');
	if (phase !== 'waiting') {
		return failure(
			400,
			'Job is not ready for verification, please call the /status endpoint to know the status of the job',
		);
	}
	if (!ctx.spendCredits(job.emails.length)) return failure(402, NO_CREDITS);
	ctx.jobs.start(job);
	return ok({
		job_id: job.id,
		success: true,
		message:
			'Job verification will be attempted shortly. Call /status endpoint to know the status of the Job',
	});
}

/** @type {import('./server').Route['handle']} */
function deleteList(req, ctx) {
	const id = req.query.job_id;
	const job = id ? ctx.jobs.get(id) : undefined;
	if (!job) {
		return failure(
			400,
			id && ctx.jobs.wasDeleted(id)
				? 'List not found, may be already deleted.'
				: 'Job not found. Invalid jobId',
		);
	}
	const { phase } = ctx.jobs.progress(job);
	if (phase === 'queued' || phase === 'processing')
		return failure(400, 'List is being processed, and cannot be deleted.');
	ctx.jobs.delete(job);
	return ok({ job_id: job.id, success: true, message: 'List will be deleted' });
}

/** @type {import('./server').Route['handle']} */
function downloadResults(req, ctx) {
	const found = findJob(req.query.jobId, ctx);
	if ('refusal' in found) return found.refusal;
	const { job } = found;
	const filter = req.bodyIsInvalidJson ? null : (req.body?.filterResult ?? FILTER_TOKENS);
	if (
		!Array.isArray(filter) ||
		filter.length === 0 ||
		filter.some((token) => !FILTER_TOKENS.includes(token))
	) {
		return failure(
			400,
			`Invalid filterResult. Please provide one or more of: ${FILTER_TOKENS.join(', ')}`,
		);
	}
	const progress = ctx.jobs.progress(job);
	const status = STATUS_BY_PHASE[progress.phase];
	if (status !== 'completed') return failure(400, DOWNLOAD_REFUSALS[status]);
	return textReply(200, 'text/csv; charset=utf-8', resultCsv(job, progress, filter, ctx));
}

/**
 * The documented columns first, then the user's own columns from the upload.
 * @param {import('./jobs').SimJob} job @param {import('./jobs').JobProgress} progress
 * @param {string[]} filter @param {import('./server').SimContext} ctx
 */
function* resultCsv(job, progress, filter, ctx) {
	const quoted = { quoteAll: true };
	const userColumns = job.columns
		.map((_, index) => index)
		.filter((index) => index !== job.emailColumn);
	yield csvLine([...RESULT_COLUMNS, ...userColumns.map((index) => job.columns[index])], quoted);
	for (let i = 0; i < job.emails.length; i++) {
		const verdict = verdictFor(job.emails[i]);
		if (!filter.includes(filterToken(verdict.result))) continue;
		yield csvLine(
			[
				job.emails[i],
				verdict.result,
				yesNo(verdict.syntaxError),
				yesNo(verdict.freeEmail),
				yesNo(verdict.role),
				yesNo(verdict.disposable),
				yesNo(verdict.spamtrap),
				new Date(ctx.jobs.verifiedAt(job, i, progress)).toISOString(),
				...userColumns.map((index) => job.rows[i][index]),
			],
			quoted,
		);
	}
}

/** @type {import('./server').Route['handle']} */
function verifySingle(req, ctx) {
	const email = req.query.email;
	if (!email) return failure(400, 'Invalid request. Required email.');
	if (!ctx.spendCredits(1)) return singleFailure(402, NO_CREDITS_SINGLE);
	const verdict = verdictFor(email);
	return ok({
		result: verdict.result,
		message: verdict.message,
		email: verdict.email,
		user: verdict.user,
		domain: verdict.domain,
		accept_all: Number(verdict.acceptAll),
		role: Number(verdict.role),
		free_email: Number(verdict.freeEmail),
		disposable: Number(verdict.disposable),
		spamtrap: Number(verdict.spamtrap),
		success: true,
	});
}

/** @type {import('./server').ProviderDefinition} */
const bouncify = {
	name: 'bouncify',
	basePath: '/v1',
	defaultApiKey: 'simbouncifykey0a1b2c3d4e5f6g7h8i9',
	newJobId: (sequence) => stableToken(`bouncify-job-${sequence}`, 36),
	routes: [
		{
			name: 'create',
			method: 'POST',
			path: '/bulk',
			rateLimit: 'api',
			fields: { required: 'job_id', text: 'message', id: 'job_id' },
			handle: createList,
		},
		{
			name: 'status',
			method: 'GET',
			path: '/bulk',
			rateLimit: 'api',
			fields: { status: 'status', required: 'status', text: 'message', id: 'job_id' },
			handle: jobStatus,
		},
		{
			name: 'start',
			method: 'PATCH',
			path: '/bulk',
			rateLimit: 'api',
			fields: { required: 'job_id', text: 'message' },
			handle: startVerification,
		},
		{
			name: 'delete',
			method: 'DELETE',
			path: '/bulk',
			rateLimit: 'api',
			fields: { required: 'job_id', text: 'message' },
			handle: deleteList,
		},
		// CSV: echoInBody adds a `note` column.
		{
			name: 'download',
			method: 'POST',
			path: '/download',
			rateLimit: 'api',
			handle: downloadResults,
		},
		{
			name: 'single',
			method: 'GET',
			path: '/verify',
			rateLimit: 'api',
			fields: { required: 'result', text: 'message' },
			handle: verifySingle,
		},
		{
			name: 'credits',
			method: 'GET',
			path: '/info',
			rateLimit: 'api',
			// No text field exists here: echoInBody adds `message`, as the other endpoints have.
			fields: { required: 'credits_info', text: 'message' },
			handle: (_req, ctx) =>
				ok({ success: true, credits_info: { credits_remaining: ctx.credits() } }),
		},
	],
	authenticate(req, route, ctx) {
		if (req.query.apikey === ctx.apiKey) return null;
		// The three spellings below are each the documented 401 body of that endpoint.
		if (route.name === 'single') return singleFailure(401, 'Invalid API Key');
		return failure(401, route.name === 'credits' ? 'Invalid API key' : 'Invalid API Key');
	},
	rateLimits: (options) => ({ api: options.rateLimitPerMinute ?? 120 }),
	rateLimitedBody: () => ({ result: 'Too many requests. Please try again later.', success: false }),
	errorBody: (route, message) =>
		route.name === 'single'
			? { success: 'false', result: message }
			: { result: message, success: false },
	paymentRequiredBody: (route) =>
		route.name === 'single'
			? { success: 'false', result: NO_CREDITS_SINGLE }
			: { result: NO_CREDITS, success: false },
	seedStates: ['queued', 'waiting', 'processing', 'completed', 'failed', 'cancelled'],
	outcomes: ['failed', 'cancelled'],
};

module.exports = { bouncify, verdictFor };
