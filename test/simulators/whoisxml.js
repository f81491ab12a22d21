'use strict';

/**
 * WhoisXML API Email Verification, docs/provider-apis.md §4: the bulk bevService API (every call a POST with
 * `apiKey` in the JSON body, everything wrapped in `{"response": …}`, checks as the strings
 * "true"/"false"/"null") and the single-address v3 API (GET /api/v3 with `apiKey` in the query); and the
 * Account Balance API of WhoisXML's user service (§7: GET /user-service/account-balance, `apiKey` in the
 * query), served on the same port, where a non-default Base URL sends it.
 */

const { classifyAddress } = require('./traits');
const { csvLine, tableFromRecords } = require('./formats');
const { jsonReply, textReply } = require('./server');

const MAX_EMAILS = 50_000;
const BULK = '/api/bevService/request';
const COMPLETED_COLUMNS = [
	'emailAddress',
	'formatCheck',
	'smtpCheck',
	'dnsCheck',
	'freeCheck',
	'disposableCheck',
	'catchAllCheck',
	'mxRecords',
	'result',
];
const FAILED_COLUMNS = ['error', 'emailAddress'];

/**
 * Per class: the check strings, the MX list (`own` = mx1/mx2.<domain>, `dot` = ["."], `none` = absent),
 * and either the bulk `result` or, for rows that land in /request/failed, its `error`.
 * @typedef {{ smtp: string, dns: string, catchAll: string, mx: 'own' | 'dot' | 'none', result?: string, failedError?: string }} Checks
 * @type {Record<import('./traits').AddressKind, Checks>}
 */
const CHECKS_BY_KIND = {
	deliverable: { smtp: 'true', dns: 'true', catchAll: 'false', mx: 'own', result: 'good' },
	undeliverable: { smtp: 'false', dns: 'true', catchAll: 'false', mx: 'own', result: 'bad' },
	spamtrap: { smtp: 'false', dns: 'true', catchAll: 'false', mx: 'own', result: 'bad' },
	// As in the docs' sample: a catch-all domain is reported as unknown.
	catchall: { smtp: 'true', dns: 'true', catchAll: 'true', mx: 'own', result: 'unknown' },
	unknown: { smtp: 'null', dns: 'true', catchAll: 'null', mx: 'own', result: 'unknown' },
	// As in the official SDK's fixture.
	smtpfail: { smtp: 'false', dns: 'true', catchAll: 'false', mx: 'dot', result: 'smtp-failed' },
	// As in the docs' sample (alex@alex.edu).
	invalidDomain: { smtp: 'null', dns: 'false', catchAll: 'null', mx: 'none', result: 'bad' },
	processingFailed: {
		smtp: 'null',
		dns: 'true',
		catchAll: 'null',
		mx: 'own',
		failedError: 'Verification failed',
	},
	// The official SDK's fixture of a failed row.
	invalidSyntax: {
		smtp: 'null',
		dns: 'null',
		catchAll: 'null',
		mx: 'none',
		failedError: 'Invalid format',
	},
};

const isObject = (/** @type {unknown} */ value) =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
const asCheck = (/** @type {boolean} */ flag) => (flag ? 'true' : 'false');

/** The check fields both APIs share. @param {import('./traits').AddressTraits} traits */
function checksFor(traits) {
	const checks = CHECKS_BY_KIND[traits.kind];
	const mxRecords = {
		own: [`mx1.${traits.domain}`, `mx2.${traits.domain}`],
		dot: ['.'],
		none: undefined,
	}[checks.mx];
	return {
		formatCheck: asCheck(traits.kind !== 'invalidSyntax'),
		smtpCheck: checks.smtp,
		dnsCheck: checks.dns,
		freeCheck: asCheck(traits.free),
		disposableCheck: asCheck(traits.disposable),
		catchAllCheck: checks.catchAll,
		...(mxRecords ? { mxRecords } : {}),
	};
}

/**
 * The bulk row for one address: a /request/completed row, or a /request/failed row `{error, emailAddress}`.
 * @param {string} email
 * @returns {Record<string, string | string[]>}
 */
function verdictFor(email) {
	const traits = classifyAddress(email, 'whoisxml');
	const { failedError, result } = CHECKS_BY_KIND[traits.kind];
	if (failedError) return { error: failedError, emailAddress: traits.email };
	return {
		emailAddress: traits.email,
		...checksFor(traits),
		result: /** @type {string} */ (result),
	};
}

/** @param {string[]} errors */
const invalid = (errors) => jsonReply(400, { response: { errors } });
const ok = (/** @type {unknown} */ response) => jsonReply(200, { response });

/** Integer or numeric string (form-style validation accepts both), else null. */
function asInteger(/** @type {unknown} */ value) {
	if (typeof value === 'number' && Number.isInteger(value)) return value;
	if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
	return null;
}

/**
 * A request id as a lookup key: an integer, or a numeric string kept as text so a long id (the
 * `bigId` fault's, sent back as a string or as the exact literal) is not rounded. Else null.
 * @param {unknown} value @returns {string | null}
 */
function asIdKey(value) {
	if (typeof value === 'number' && Number.isInteger(value)) return String(value);
	if (typeof value === 'string' && /^\d+$/.test(value)) return value.replace(/^0+(?=\d)/, '');
	return null;
}

/** The documented out-of-balance body of the bulk API (a fresh object each time: faults edit bodies). */
const noBalance = () => ({ response: { error: 'Insufficient balance' } });
/** The v3 API's one documented error text, which also covers an empty balance. */
const V3_RESTRICTED = 'Access restricted. Check credits balance or enter the correct API key.';

/**
 * Validates `format`; XML is a documented format this simulator does not produce.
 * @param {unknown} format @param {string[]} allowed @returns {string | null} error message
 */
function formatError(format, allowed) {
	if (format === undefined || format === 'json' || (format === 'csv' && allowed.includes('csv')))
		return null;
	if (format === 'xml') return 'XML output is not modelled by this simulator; use json.';
	return `The format field should have one of the following values: ${allowed.join(', ')}.`;
}

/** @param {import('./jobs').SimJob} job @param {import('./server').SimContext} ctx */
function requestSummary(job, ctx) {
	const progress = ctx.jobs.progress(job);
	const counts = { invalid: 0, failed: 0, processed: 0 };
	for (let i = 0; i < progress.processed; i++) {
		const { kind } = classifyAddress(job.emails[i], 'whoisxml');
		counts[
			kind === 'invalidSyntax' ? 'invalid' : kind === 'processingFailed' ? 'failed' : 'processed'
		] += 1;
	}
	const ready = progress.phase === 'completed';
	const unixSeconds = (/** @type {number} */ ms) => String(Math.floor(ms / 1000));
	return {
		id: Number(job.id),
		date_start: unixSeconds(job.createdAt),
		// Not in the docs; the official SDK's fixtures show it on finished requests.
		...(ready && progress.completedAt !== null
			? { date_end: unixSeconds(progress.completedAt) }
			: {}),
		total_emails: job.emails.length,
		invalid_emails: counts.invalid,
		processed_emails: counts.processed,
		failed_emails: counts.failed,
		ready: ready ? 1 : 0,
	};
}

/** @type {import('./server').Route['handle']} */
function createRequest(req, ctx) {
	const { emails, format, version } = req.body;
	const errors = [];
	if (!Array.isArray(emails) || emails.length === 0) errors.push('The emails field is required.');
	else if (emails.length > MAX_EMAILS)
		errors.push(`The emails may not have more than ${MAX_EMAILS} items.`);
	else if (!emails.every((email) => typeof email === 'string'))
		errors.push('The emails must contain only strings.');
	const badFormat = formatError(format, ['json', 'xml']);
	if (badFormat) errors.push(badFormat);
	if (version !== undefined && ![2, 3, '2', '3'].includes(version))
		errors.push('The selected version is invalid.');
	if (errors.length > 0) return invalid(errors);
	if (!ctx.spendCredits(emails.length)) return jsonReply(402, noBalance());
	const job = ctx.jobs.create(tableFromRecords(emails));
	return ok({ id: Number(job.id) });
}

/** @type {import('./server').Route['handle']} */
function listRequests(req, ctx) {
	const { page = 1, perPage = 10, onlyIds = true, sort = 'desc', format } = req.body;
	const pageNumber = asInteger(page);
	const pageSize = asInteger(perPage);
	const errors = [];
	if (pageNumber === null || pageNumber < 1) errors.push('The page must be at least 1.');
	if (pageSize === null || pageSize < 10 || pageSize > 50)
		errors.push('The per page must be between 10 and 50.');
	if (![true, false, 0, 1, '0', '1'].includes(onlyIds))
		errors.push('The only ids field must be true or false.');
	if (sort !== 'asc' && sort !== 'desc') errors.push('The selected sort is invalid.');
	const badFormat = formatError(format, ['json', 'xml']);
	if (badFormat) errors.push(badFormat);
	if (errors.length > 0 || pageNumber === null || pageSize === null) return invalid(errors);

	const direction = sort === 'asc' ? 1 : -1;
	const all = [...ctx.jobs.jobs.values()].sort((a, b) => direction * (Number(a.id) - Number(b.id)));
	const offset = (pageNumber - 1) * pageSize;
	const pageJobs = all.slice(offset, offset + pageSize);
	const idsOnly = onlyIds === true || onlyIds === 1 || onlyIds === '1';
	return ok({
		current_page: pageNumber,
		data: pageJobs.map((job) => (idsOnly ? { id: Number(job.id) } : requestSummary(job, ctx))),
		// Row offsets within the whole list (null on an empty page), as the docs' sample values suggest.
		from: pageJobs.length > 0 ? offset + 1 : null,
		last_page: Math.max(1, Math.ceil(all.length / pageSize)),
		per_page: pageSize,
		to: pageJobs.length > 0 ? offset + pageJobs.length : null,
		total: all.length,
	});
}

/** @type {import('./server').Route['handle']} */
function requestStatus(req, ctx) {
	const { ids, format } = req.body;
	if (!Array.isArray(ids) || ids.length === 0) return invalid(['The ids field is required.']);
	const keys = ids.map(asIdKey);
	if (keys.includes(null)) return invalid(['The ids must contain only integers.']);
	const badFormat = formatError(format, ['json', 'xml']);
	if (badFormat) return invalid([badFormat]);
	// Unknown ids are simply absent from the answer, as documented.
	const jobs = new Set(
		keys.map((key) => ctx.jobs.get(/** @type {string} */ (key))).filter((job) => job !== undefined),
	);
	return ok(
		[...jobs].map((job) => requestSummary(/** @type {import('./jobs').SimJob} */ (job), ctx)),
	);
}

/**
 * /request/completed and /request/failed: every row produced so far, in one response (no paging).
 * @param {'completed' | 'failed'} which
 * @returns {import('./server').Route['handle']}
 */
function requestRows(which) {
	const wantFailed = which === 'failed';
	const columns = wantFailed ? FAILED_COLUMNS : COMPLETED_COLUMNS;
	return (req, ctx) => {
		const { id, format } = req.body;
		const requestId = asIdKey(id);
		if (requestId === null) return invalid(['The id field is required.']);
		const badFormat = formatError(format, ['json', 'xml', 'csv']);
		if (badFormat) return invalid([badFormat]);
		const job = ctx.jobs.get(requestId);
		if (!job) return jsonReply(422, { response: { error: 'Wrong request id' } });
		const { processed } = ctx.jobs.progress(job);
		function* rows() {
			for (let i = 0; i < processed; i++) {
				const row = verdictFor(job.emails[i]);
				if ('error' in row === wantFailed) yield row;
			}
		}
		if (format !== 'csv')
			return jsonReply(200, { response: [] }, { path: ['response'], items: rows() });
		return textReply(200, 'text/csv; charset=utf-8', csvRows(columns, rows()));
	};
}

/** CSV with the JSON keys as columns; an MX list becomes one comma-separated cell. */
function* csvRows(
	/** @type {string[]} */ columns,
	/** @type {Iterable<Record<string, string | string[]>>} */ rows,
) {
	yield csvLine(columns);
	for (const row of rows) {
		yield csvLine(
			columns.map((column) => (Array.isArray(row[column]) ? row[column].join(',') : row[column])),
		);
	}
}

/**
 * The account's products in the balance answer (the `balanceProducts` option replaces them): an entry
 * without `credits` shows the simulator's live balance, the one Email Verification creates spend.
 * Product 7 as Email Verification is what third-party code reads (INFERRED, docs/provider-apis.md §7).
 * @type {ReadonlyArray<{ id: number, name?: string, credits?: unknown }>}
 */
const DEFAULT_BALANCE_PRODUCTS = [
	{ id: 1, name: 'WHOIS API', credits: 500 },
	{ id: 7, name: 'Email Verification API' },
	{ id: 14, name: 'Domain Research Suite', credits: 100 },
];

/**
 * GET /user-service/account-balance: `{"data": [{product_id, product: {id, name}, credits}, …]}` (the
 * shape third-party code reads), only the product `productId` names when it is given.
 * @type {import('./server').Route['handle']}
 */
function accountBalance(req, ctx) {
	const { productId, outputFormat } = req.query;
	if (outputFormat !== undefined && outputFormat.toUpperCase() !== 'JSON') {
		const message =
			outputFormat.toUpperCase() === 'XML'
				? 'XML output is not modelled by this simulator; use JSON.'
				: 'The outputFormat must be JSON or XML.';
		return jsonReply(400, { ErrorMessage: { msg: message } });
	}
	if (productId !== undefined && !/^\d+$/.test(productId))
		return jsonReply(400, { ErrorMessage: { msg: 'The productId must be an integer.' } });
	const products = ctx.options.balanceProducts ?? DEFAULT_BALANCE_PRODUCTS;
	const data = products
		.filter((product) => productId === undefined || String(product.id) === productId)
		.map((product) => ({
			product_id: product.id,
			product: { id: product.id, ...(product.name !== undefined ? { name: product.name } : {}) },
			credits: 'credits' in product ? product.credits : ctx.credits(),
		}));
	return jsonReply(200, { data });
}

/** @type {import('./server').Route['handle']} */
function verifySingle(req, ctx) {
	const email = req.query.emailAddress;
	if (!email)
		return jsonReply(400, { ErrorMessage: { msg: 'The emailAddress parameter is required.' } });
	const traits = classifyAddress(email, 'whoisxml');
	const auditDate = new Date(ctx.now()).toISOString().replace('T', ' ').replace('Z', ' UTC');
	return jsonReply(200, {
		username: traits.user,
		domain: traits.domain,
		emailAddress: traits.email,
		...checksFor(traits),
		audit: { auditCreatedDate: auditDate, auditUpdatedDate: auditDate },
	});
}

/** @type {import('./server').ProviderDefinition} */
const whoisxml = {
	name: 'whoisxml',
	basePath: '',
	defaultApiKey: 'at_simwhoisxmlkey0123456789abcde',
	newJobId: (sequence) => String(1000 + sequence),
	routes: [
		// No text field exists in create, list, status or single: echoInBody adds one (`message` / `note`).
		{
			name: 'create',
			method: 'POST',
			path: BULK,
			fields: { required: 'response.id', text: 'response.message', id: 'response.id' },
			handle: createRequest,
		},
		{
			name: 'list',
			method: 'POST',
			path: `${BULK}/list`,
			fields: {
				status: 'response.data.*.ready',
				required: 'response.last_page',
				unknownStatus: 2,
				text: 'response.note',
				id: 'response.data.*.id',
			},
			handle: listRequests,
		},
		{
			name: 'status',
			method: 'POST',
			path: `${BULK}/status`,
			fields: {
				status: 'response.*.ready',
				required: 'response.*.ready',
				unknownStatus: 2,
				text: 'response.*.note',
				id: 'response.*.id',
			},
			handle: requestStatus,
		},
		// JSON rows: echoInBody adds a `note` key to completed rows and appends to failed rows' `error`; CSV: a `note` column.
		{
			name: 'download',
			method: 'POST',
			path: `${BULK}/completed`,
			fields: { required: 'response', rowText: 'note' },
			handle: requestRows('completed'),
		},
		{
			name: 'downloadFailed',
			method: 'POST',
			path: `${BULK}/failed`,
			fields: { required: 'response', rowText: 'error' },
			handle: requestRows('failed'),
		},
		{
			name: 'single',
			method: 'GET',
			path: '/api/v3',
			fields: { required: 'smtpCheck', text: 'note' },
			handle: verifySingle,
		},
		// The user service's balance (§7): another host in reality, this port when the Base URL points here.
		{
			name: 'credits',
			method: 'GET',
			path: '/user-service/account-balance',
			fields: { required: 'data', text: 'note' },
			handle: accountBalance,
		},
	],
	authenticate(req, route, ctx) {
		if (route.name === 'single' || route.name === 'credits') {
			if (req.query.apiKey === ctx.apiKey) return null;
			return jsonReply(401, { ErrorMessage: { msg: V3_RESTRICTED } });
		}
		if (req.bodyIsInvalidJson) return invalid(['The request body must be valid JSON.']);
		if (isObject(req.body) && req.body.apiKey === ctx.apiKey) return null;
		return jsonReply(401, { response: { error: 'Authorisation or authentication failed' } });
	},
	rateLimits: () => ({}),
	rateLimitedBody: () => ({ response: { error: 'Too many requests' } }),
	errorBody: (route, message) =>
		route.name === 'single' || route.name === 'credits'
			? { ErrorMessage: { msg: message } }
			: { response: { error: message } },
	paymentRequiredBody: (route) =>
		route.name === 'single' || route.name === 'credits'
			? { ErrorMessage: { msg: V3_RESTRICTED } }
			: noBalance(),
	// Request ids above 2^53 (the bigId fault's) survive a round trip as the exact JSON literal.
	preserveBigIntegers: true,
	seedStates: ['queued', 'processing', 'completed'],
	outcomes: [],
	outcomeUnsupported:
		'WhoisXML API has no failed or cancelled request state: every request ends with ready=1, and failures are ' +
		'per address (invalid_emails, failed_emails, /request/failed). Seed addresses with bad syntax or a local ' +
		'part starting with "fail" instead.',
};

module.exports = { whoisxml, verdictFor };
