'use strict';

/**
 * Check365 bulk API (https://api.check365.io/api/validation), docs/provider-apis.md §2: JSON upload with a
 * client-chosen `job_id`, `api_key` in the body on upload and in the query on status, and results
 * inline in the status response. Its error codes page was never retrieved, so every error body here
 * is an assumption (listed in the README).
 */

const { classifyAddress } = require('./traits');
const { tableFromRecords } = require('./formats');
const { stableUuid } = require('./jobs');
const { jsonReply } = require('./server');

/** @type {Record<import('./traits').AddressKind, string>} */
const STATUS_BY_KIND = {
	deliverable: 'active',
	undeliverable: 'inactive',
	catchall: 'catch-all',
	unknown: 'unknown',
	spamtrap: 'spam trap',
	smtpfail: 'inactive',
	processingFailed: 'unknown',
	invalidDomain: 'unvalidated',
	invalidSyntax: 'invalid',
};

/** @type {Record<string, 'low' | 'medium' | 'high'>} */
const RISK_BY_STATUS = { active: 'low', 'catch-all': 'medium', unknown: 'medium' };

/** Job status tokens: only `completed` is documented; the others are assumptions. */
const STATUS_BY_PHASE = {
	queued: 'processing',
	processing: 'processing',
	completed: 'completed',
	failed: 'failed',
	cancelled: 'cancelled',
};

const STATUS_MESSAGES = {
	processing: 'Job is being processed',
	completed: 'Job has been completed',
	failed: 'Job has failed',
	cancelled: 'Job has been cancelled',
};

/** @param {string} domain */
function mailboxProvider(domain) {
	if (/outlook|hotmail|live\.|microsoft/.test(domain)) return 'microsoft365';
	if (/gmail|google/.test(domain)) return 'google_workspace';
	return 'unknown';
}

/**
 * One row of `data.results`, in the current docs' shape.
 * @param {string} email
 */
function verdictFor(email) {
	const traits = classifyAddress(email, 'check365');
	const status = STATUS_BY_KIND[traits.kind];
	const unreachable = traits.kind === 'invalidSyntax' || traits.kind === 'invalidDomain';
	return {
		email: traits.email,
		emailProvider: unreachable ? 'unknown' : mailboxProvider(traits.domain),
		emailType: unreachable ? 'unknown' : traits.free ? 'personal' : 'professional',
		status,
		safeToSend: status === 'active',
		risk: RISK_BY_STATUS[status] ?? 'high',
		isRole: traits.role,
		statusReason: traits.kind === 'invalidDomain' ? 'invalid_domain' : '',
	};
}

/** The older docs' row: no safeToSend, risk or statusReason. */
function legacyRow(/** @type {ReturnType<typeof verdictFor>} */ row) {
	return {
		email: row.email,
		emailProvider: row.emailProvider,
		emailType: row.emailType,
		status: row.status,
		isRole: row.isRole,
	};
}

/** @param {number} status @param {string} message */
const failure = (status, message) => jsonReply(status, { success: false, message });

/** @type {import('./server').Route['handle']} */
function bulkUpload(req, ctx) {
	const { emails, job_id: jobId } = req.body;
	if (
		!Array.isArray(emails) ||
		emails.length === 0 ||
		!emails.every((email) => typeof email === 'string')
	) {
		return failure(400, 'emails must be a non-empty array of email addresses');
	}
	if (typeof jobId !== 'string' || jobId.trim() === '') return failure(400, 'job_id is required');
	if (ctx.jobs.get(jobId)) return failure(409, 'job_id already exists');
	ctx.jobs.create(tableFromRecords(emails), { id: jobId });
	return jsonReply(200, {
		success: true,
		message: 'Emails have been sent for validation.',
		job_id: jobId,
	});
}

/** @type {import('./server').Route['handle']} */
function bulkStatus(req, ctx) {
	const jobId = req.query.job_id;
	if (!jobId) return failure(400, 'job_id is required');
	const job = ctx.jobs.get(jobId);
	if (!job) return failure(404, 'Job not found');
	const progress = ctx.jobs.progress(job);
	const status =
		STATUS_BY_PHASE[/** @type {Exclude<import('./jobs').JobPhase, 'waiting'>} */ (progress.phase)];
	const total = job.emails.length;
	const percent =
		status === 'completed' ? 100 : Math.min(99, Math.floor((progress.processed * 100) / total));
	const legacy = ctx.options.resultShape === 'legacy';
	return jsonReply(
		200,
		{
			success: true,
			message: STATUS_MESSAGES[status],
			data: {
				jobId: job.id,
				status,
				creditsUsed: progress.processed,
				progress: percent,
				total,
				results: [],
			},
		},
		{ path: ['data', 'results'], items: resultRows(job.emails, progress.processed, legacy) },
	);
}

/** Rows of the emails verified so far (all of them once completed). */
function* resultRows(
	/** @type {string[]} */ emails,
	/** @type {number} */ count,
	/** @type {boolean} */ legacy,
) {
	for (let i = 0; i < count; i++) {
		const row = verdictFor(emails[i]);
		yield legacy ? legacyRow(row) : row;
	}
}

/** @type {import('./server').ProviderDefinition} */
const check365 = {
	name: 'check365',
	basePath: '/api/validation',
	defaultApiKey: 'sim-check365-key-5f0c2a9e7b1d4c38',
	newJobId: (sequence) => stableUuid(`check365-job-${sequence}`),
	routes: [
		{
			name: 'create',
			method: 'POST',
			path: '/bulk-upload',
			fields: { required: 'job_id', text: 'message', id: 'job_id' },
			handle: bulkUpload,
		},
		{
			name: 'status',
			method: 'GET',
			path: '/bulk-status',
			fields: {
				status: 'data.status',
				required: 'data.status',
				text: 'message',
				rowText: 'statusReason',
				id: 'data.jobId',
			},
			handle: bulkStatus,
		},
	],
	authenticate(req, route, ctx) {
		if (route.name === 'create' && req.bodyIsInvalidJson)
			return failure(400, 'Request body must be valid JSON');
		const key = route.name === 'create' ? req.body?.api_key : req.query.api_key;
		return key === ctx.apiKey ? null : failure(401, 'Invalid API key');
	},
	rateLimits: () => ({}),
	rateLimitedBody: () => ({ success: false, message: 'Too many requests' }),
	errorBody: (_route, message) => ({ success: false, message }),
	// Undocumented (no credits endpoint or error page was retrieved): the assumed error envelope.
	paymentRequiredBody: () => ({ success: false, message: 'Insufficient credits' }),
	seedStates: ['queued', 'processing', 'completed', 'failed', 'cancelled'],
	outcomes: ['failed', 'cancelled'],
};

module.exports = { check365, verdictFor };
