'use strict';

/**
 * SimpleCold Email Validation API (https://api.simplecold.com/api/v1), docs/provider-apis.md §3: Bearer key,
 * `{"status":"SUCCESS","payload":…}` / `{"status":"FAILURE","message":…}` envelopes, a 10 requests per
 * minute budget per key shared by the bulk and batch endpoints, and CSV or JSON downloads.
 */

const { classifyAddress } = require('./traits');
const { csvLine, parseMultipart, readEmailTable } = require('./formats');
const { stableUuid } = require('./jobs');
const { jsonReply, textReply } = require('./server');

const MAX_FILE_BYTES = 7 * 1024 * 1024;
const MAX_BATCH = 50;
const RESULT_FIELDS = /** @type {const} */ ([
	'status',
	'statusMessage',
	'failType',
	'mxLocation',
	'siteLocation',
	'siteLanguage',
]);

/** @type {Record<import('./traits').AddressKind, [status: string, statusMessage: string, failType: string]>} */
const OUTCOME_BY_KIND = {
	deliverable: ['ok', 'Email address is valid and deliverable', 'none'],
	undeliverable: ['invalid', 'Mailbox does not exist', 'smtp'],
	catchall: ['unknown', 'Domain accepts all addresses (catch-all)', 'catch_all'],
	unknown: ['unknown', 'Mail server did not respond', 'timeout'],
	spamtrap: ['invalid', 'Address is a known spam trap', 'spam_trap'],
	smtpfail: ['invalid', 'Mail server rejected the address', 'smtp'],
	processingFailed: ['unknown', 'Validation could not be completed', 'error'],
	invalidDomain: ['invalid', 'Domain does not exist', 'dns'],
	invalidSyntax: ['invalid', 'Invalid email format', 'syntax'],
};

const STATUS_BY_PHASE = {
	queued: 'QUEUE',
	processing: 'IN_PROGRESS',
	completed: 'COMPLETED',
	failed: 'FAILED',
	cancelled: 'CANCELED',
};

/**
 * The single-validation payload for one address (also each batch item and the validation part of
 * each download row).
 * @param {string} email
 */
function verdictFor(email) {
	const traits = classifyAddress(email, 'simplecold');
	const [status, statusMessage, failType] = OUTCOME_BY_KIND[traits.kind];
	const hasSite = traits.kind !== 'invalidSyntax' && traits.kind !== 'invalidDomain';
	return {
		email: traits.email,
		domain: traits.domain,
		status,
		statusMessage,
		mxLocation: hasSite ? 'United States' : '',
		siteLocation: hasSite ? 'United States' : '',
		siteLanguage: hasSite ? 'en' : '',
		failType,
	};
}

/** @param {number} status @param {string} message */
const failure = (status, message) => jsonReply(status, { status: 'FAILURE', message });
const success = (/** @type {unknown} */ payload) => jsonReply(200, { status: 'SUCCESS', payload });
/** ISO 8601 without milliseconds, as in the docs' examples. */
const isoSeconds = (/** @type {number} */ ms) =>
	new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * The job's SimpleCold status. A cancel is acknowledged first (CANCELING) and takes effect a quarter
 * job-duration later (CANCELED).
 * @param {import('./jobs').SimJob} job @param {import('./jobs').JobProgress} progress
 * @param {import('./server').SimContext} ctx
 */
function jobStatusOf(job, progress, ctx) {
	const status =
		STATUS_BY_PHASE[/** @type {Exclude<import('./jobs').JobPhase, 'waiting'>} */ (progress.phase)];
	if (status !== 'CANCELED' || job.outcomeAt === null)
		return { status, updatedAt: progress.changedAt };
	const canceledAt = job.outcomeAt + ctx.options.jobDurationMs / 4;
	return ctx.now() < canceledAt
		? { status: 'CANCELING', updatedAt: job.outcomeAt }
		: { status, updatedAt: canceledAt };
}

/**
 * The job object of the status endpoint (and of the upload response).
 * @param {import('./jobs').SimJob} job @param {import('./server').SimContext} ctx
 */
function jobPayload(job, ctx) {
	const progress = ctx.jobs.progress(job);
	const { status, updatedAt } = jobStatusOf(job, progress, ctx);
	const validSoFar = job.emails
		.slice(0, progress.processed)
		.filter((email) => verdictFor(email).status === 'ok').length;
	return {
		id: job.id,
		name: job.name,
		totalEmails: job.emails.length,
		totalValidEmails: validSoFar,
		// The docs' IN_PROGRESS example already shows every credit charged: charged when processing starts.
		totalCreditsUsed: progress.startAt === null ? 0 : job.emails.length,
		status,
		createdAt: isoSeconds(job.createdAt),
		updatedAt: isoSeconds(updatedAt),
	};
}

/** @type {import('./server').Route['handle']} */
function validateSingle(req) {
	const email = req.query.email;
	if (!email || classifyAddress(email).kind === 'invalidSyntax')
		return failure(400, 'Invalid email format');
	return success(verdictFor(email));
}

/** @type {import('./server').Route['handle']} */
function validateBatch(req) {
	const emails = req.body?.emails;
	if (
		!Array.isArray(emails) ||
		emails.length === 0 ||
		!emails.every((email) => typeof email === 'string')
	) {
		return failure(400, 'emails must be a non-empty array of email addresses');
	}
	if (emails.length > MAX_BATCH)
		return failure(400, `Maximum ${MAX_BATCH} emails are allowed per batch request`);
	return success(emails.map(verdictFor));
}

/** @type {import('./server').Route['handle']} */
function uploadList(req, ctx) {
	const file = parseMultipart(req.rawBody, req.headers['content-type'])?.find(
		(part) => part.name === 'file',
	);
	if (!file) return failure(400, 'File is required');
	if (file.data.length > MAX_FILE_BYTES)
		return failure(400, 'File size exceeds the maximum limit of 7MB');
	const table = readEmailTable(file.data.toString('utf8'));
	if (!table) return failure(400, 'No email column found in the uploaded file');
	const name = (file.filename ?? '').replace(/\.[^.]*$/, '') || 'emails';
	return success(jobPayload(ctx.jobs.create(table, { name }), ctx));
}

/** @type {import('./server').Route['handle']} */
function jobStatus(req, ctx) {
	const job = ctx.jobs.get(req.params.id);
	return job ? success(jobPayload(job, ctx)) : failure(404, 'Job not found');
}

/** @type {import('./server').Route['handle']} */
function downloadResults(req, ctx) {
	const job = ctx.jobs.get(req.params.id);
	if (!job) return failure(404, 'Job not found');
	const output = req.query.output ?? 'csv';
	if (output !== 'csv' && output !== 'json')
		return failure(400, 'output must be either csv or json');
	if (jobStatusOf(job, ctx.jobs.progress(job), ctx).status !== 'COMPLETED')
		return failure(400, 'Job is not completed yet');
	// Rows keep the user's columns, then add the validation fields.
	const columns = [...job.columns, ...RESULT_FIELDS];
	const rows = resultRows(job, req.query.verifiedOnly === 'true');
	if (output === 'json') {
		return jsonReply(
			200,
			{ status: 'SUCCESS', payload: [] },
			{ path: ['payload'], items: asObjects(columns, rows) },
		);
	}
	return textReply(200, 'text/csv; charset=utf-8', asCsv(columns, rows));
}

/**
 * @param {import('./jobs').SimJob} job @param {boolean} verifiedOnly keep only `ok` rows
 * @returns {Generator<unknown[]>} the user's values followed by the validation fields
 */
function* resultRows(job, verifiedOnly) {
	for (let i = 0; i < job.emails.length; i++) {
		const verdict = verdictFor(job.emails[i]);
		if (verifiedOnly && verdict.status !== 'ok') continue;
		yield [...job.rows[i], ...RESULT_FIELDS.map((field) => verdict[field])];
	}
}

/** @param {string[]} columns @param {Iterable<unknown[]>} rows */
function* asObjects(columns, rows) {
	for (const values of rows)
		yield Object.fromEntries(columns.map((column, i) => [column, values[i]]));
}

/** @param {string[]} columns @param {Iterable<unknown[]>} rows */
function* asCsv(columns, rows) {
	yield csvLine(columns);
	for (const values of rows) yield csvLine(values);
}

/** @type {import('./server').ProviderDefinition} */
const simplecold = {
	name: 'simplecold',
	basePath: '/api/v1',
	defaultApiKey: 'sc_sim_7d1e4b9a0c2f48e6a35b1c9d0e7f2a64',
	newJobId: (sequence) => stableUuid(`simplecold-job-${sequence}`),
	routes: [
		{
			name: 'validate',
			method: 'GET',
			path: '/api-validation/validate',
			fields: { required: 'payload.valid', text: 'payload.message' },
			handle: () => success({ valid: true, message: 'API key is valid' }),
		},
		{
			name: 'single',
			method: 'GET',
			path: '/api-validation/single',
			rateLimit: 'single',
			fields: { required: 'payload.status', text: 'payload.statusMessage' },
			handle: validateSingle,
		},
		{
			name: 'batch',
			method: 'POST',
			path: '/api-validation/batch',
			rateLimit: 'bulk',
			fields: { required: 'payload.*.status', text: 'payload.*.statusMessage' },
			handle: validateBatch,
		},
		{
			name: 'create',
			method: 'POST',
			path: '/api-validation/bulk',
			rateLimit: 'bulk',
			fields: {
				status: 'payload.status',
				required: 'payload.id',
				text: 'payload.name',
				id: 'payload.id',
			},
			handle: uploadList,
		},
		{
			name: 'status',
			method: 'GET',
			path: '/api-validation/bulk/:id/status',
			rateLimit: 'bulk',
			fields: {
				status: 'payload.status',
				required: 'payload.status',
				text: 'payload.name',
				id: 'payload.id',
			},
			handle: jobStatus,
		},
		{
			name: 'download',
			method: 'GET',
			path: '/api-validation/bulk/:id/download-result',
			rateLimit: 'bulk',
			// JSON rows: echoInBody appends to each row's statusMessage; CSV: adds a `note` column.
			fields: { required: 'payload', rowText: 'statusMessage' },
			handle: downloadResults,
		},
	],
	authenticate(req, _route, ctx) {
		const header = req.headers.authorization;
		if (!header) return failure(401, 'Authorization header is required');
		return header === `Bearer ${ctx.apiKey}` ? null : failure(401, 'Invalid API key');
	},
	rateLimits: (options) => ({
		bulk: options.rateLimitPerMinute ?? 10,
		single: options.singleRateLimitPerMinute ?? 100,
	}),
	// The documented body; `status` is a number here, unlike every other SimpleCold body.
	rateLimitedBody: (limit) => ({
		status: 429,
		error: `Rate limit exceeded. Maximum ${limit ?? 10} requests per minute per API key.`,
	}),
	errorBody: (_route, message) => ({ status: 'FAILURE', message }),
	// Undocumented (no credits endpoint is documented): the FAILURE envelope with status 402.
	paymentRequiredBody: () => ({
		status: 'FAILURE',
		message: 'Insufficient credits. Please top up your account.',
	}),
	echoesAuthorization: true,
	seedStates: ['queued', 'processing', 'completed', 'failed', 'cancelled'],
	outcomes: ['failed', 'cancelled'],
};

module.exports = { simplecold, verdictFor };
