'use strict';

/**
 * Machinery every provider simulator shares: the HTTP server and its routing, the clock, the request
 * log, per-key rate limits, fault injection, replies (streamed when large) and the Simulator object.
 * A provider file only declares its routes, its auth check and its bodies (see ProviderDefinition).
 */

const http = require('node:http');
const { StringDecoder } = require('node:string_decoder');
const { JobStore } = require('./jobs');
const { csvLine, tableFromRecords } = require('./formats');
const { ENCODINGS, encodeText } = require('./encodings');

const FAULT_KINDS = [
	'429',
	'500',
	'503',
	'reset',
	'slow',
	'truncated',
	'html',
	'unknownStatus',
	'missingField',
	'402',
	'echo',
	'echoInBody',
	'redirect',
	'huge',
	'endless',
	'trickle',
	'stall',
	'nested',
	'bigId',
];
/**
 * Faults that alter a successful reply (`echo` too when its status is 2xx); the others replace the
 * reply before the route runs.
 */
const BODY_FAULTS = new Set([
	'truncated',
	'unknownStatus',
	'missingField',
	'echoInBody',
	'huge',
	'endless',
	'trickle',
	'stall',
	'nested',
	'bigId',
]);
/** Body faults that change how the body is delivered rather than what it says. */
const DELIVERY_FAULTS = new Set(['huge', 'endless', 'trickle', 'stall']);
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
const LOGGED_RESPONSE_CHARS = 64 * 1024;
const WRITE_CHUNK_CHARS = 64 * 1024;
/** Above every documented upload limit, so each provider can still answer oversize files its own way. */
const MAX_REQUEST_BYTES = 64 * 1024 * 1024;
/** A manual clock starts at a fixed instant so timestamps in bodies are reproducible. */
const MANUAL_CLOCK_START = Date.UTC(2024, 0, 15, 10, 30, 0);
/** Defaults of the hostile faults (README, Faults). */
const HOSTILE_DEFAULTS = {
	hugeBytes: 600 * 1024 * 1024,
	endlessIntervalMs: 10,
	endlessChunkBytes: 16 * 1024,
	trickleIntervalMs: 1000,
	capMs: 60_000,
	depth: 10_000,
};
const PAD_CHUNK_BYTES = 64 * 1024;
const PADDING_KEY = '_padding';
const REDIRECTED_PARAM = '_redirected';

/** Strings that stand in `reply.json` for parts written separately (streamed rows, a deep nest, a raw number). */
const marker = (/** @type {string} */ name) => `\u0000sim:${name}\u0000`;
const ROWS_PLACEHOLDER = marker('rows');
const NESTED_PLACEHOLDER = marker('nested');
const numberPlaceholder = (/** @type {string} */ digits) => marker(`num:${digits}`);
/** The placeholders as JSON.stringify writes them. */
const PLACEHOLDER_PATTERN = /"\\u0000sim:(rows|nested|num:(\d+))\\u0000"/g;
/** Text written into the JSON as it is (inside a string value), for the JSON-level echo encodings. */
const rawPlaceholder = (/** @type {number} */ index) => marker(`raw:${index}`);
const RAW_PATTERN = /\\u0000sim:raw:(\d+)\\u0000/g;
/**
 * Encodings that are JSON string escapes: they are written into the raw JSON text itself (as PHP's
 * json_encode writes its output), so the body text shows the escapes and a JSON parser undoes them.
 */
const JSON_LEVEL_ENCODINGS = new Set(['json', 'jsonUnicode']);

/**
 * @typedef {import('./jobs').SimJob} SimJob
 * @typedef {import('./jobs').JobPhase} JobPhase
 *
 * @typedef {object} Reply
 * @property {number} status
 * @property {Record<string, string>} [headers]
 * @property {unknown} [json]                          JSON body (the envelope when `rows` is set)
 * @property {{ path: string[], items: Iterable<unknown> }} [rows]  rows streamed into `json` at `path`
 * @property {string | Iterable<string>} [text]        non-JSON body
 * @property {string} [contentType]                     for `text`
 * @property {{ depth: number, shape: 'array' | 'object' }} [nested]  what NESTED_PLACEHOLDER stands for
 * @property {any} [delivery]                           the delivery fault (huge, endless, trickle, stall)
 * @property {string[]} [raw]                           what each raw placeholder stands for (written unescaped)
 *
 * @typedef {object} SimRequest
 * @property {string} method
 * @property {string} path
 * @property {string} url                full URL as received, query string included
 * @property {Record<string, string>} query   first value of each query parameter
 * @property {http.IncomingHttpHeaders} headers
 * @property {Buffer} rawBody
 * @property {string} bodyText
 * @property {any} body                  parsed JSON body, undefined when empty or not JSON
 * @property {boolean} bodyIsInvalidJson true when a non-multipart body failed to parse
 * @property {Record<string, string>} params  path parameters (`:id`)
 *
 * @typedef {object} SimContext
 * @property {string} apiKey
 * @property {() => number} now
 * @property {JobStore} jobs
 * @property {ResolvedOptions} options
 * @property {(count: number) => boolean} spendCredits  false (and nothing spent) when the balance is short
 * @property {() => number} credits
 *
 * @typedef {object} Route
 * @property {string} name       the name used in `inject({ route })` and in the request log
 * @property {string} method
 * @property {string} path       below the provider's base path; `:id` captures a segment
 * @property {string} [rateLimit]  bucket shared by the routes that name it
 * @property {{ status?: string, required?: string, unknownStatus?: unknown, text?: string, rowText?: string, id?: string }} [fields]
 *   dotted paths (`*` = every array item) used by the faults: `status` (unknownStatus), `required`
 *   (missingField, nested), `text` (the free-text field echoInBody appends the key to, created when
 *   absent), `rowText` (the same inside each streamed row), `id` (the job id bigId rewrites)
 * @property {(req: SimRequest, ctx: SimContext) => Reply} handle
 *
 * @typedef {object} ProviderDefinition
 * @property {string} name  'bouncify', 'check365', 'simplecold', 'whoisxml' (or a registered fixture's)
 * @property {string} basePath
 * @property {string} defaultApiKey
 * @property {(sequence: number) => string} newJobId
 * @property {Route[]} routes
 * @property {(req: SimRequest, route: Route, ctx: SimContext) => Reply | null} authenticate
 * @property {(options: ResolvedOptions) => Record<string, number>} rateLimits  bucket → requests/minute
 * @property {(limit: number | undefined) => unknown} rateLimitedBody  429 body; limit undefined = route has no budget
 * @property {(route: Route, message: string) => unknown} errorBody  the provider's error envelope around `message`
 * @property {(route: Route) => unknown} paymentRequiredBody  the provider's out-of-credits body (402)
 * @property {boolean} [echoesAuthorization]  the echo fault also shows the Authorization header (SimpleCold)
 * @property {boolean} [preserveBigIntegers]  JSON request bodies keep integers above 2^53 as strings (WhoisXML)
 * @property {JobPhase[]} seedStates
 * @property {Array<'failed' | 'cancelled'>} outcomes
 * @property {string} [outcomeUnsupported]  why setJobOutcome is refused when `outcomes` is empty
 *
 * @typedef {object} ResolvedOptions
 * @property {number} port
 * @property {string} apiKey
 * @property {'real' | 'manual'} clock
 * @property {number} jobDurationMs
 * @property {number} perEmailMs
 * @property {number | undefined} rateLimitPerMinute
 * @property {number | undefined} singleRateLimitPerMinute
 * @property {number | undefined} rateLimitRetryAfter
 * @property {number} credits
 * @property {'current' | 'legacy'} resultShape
 * @property {ReadonlyArray<{ id: number, name?: string, credits?: unknown }> | undefined} balanceProducts
 * @property {((entry: object) => void) | undefined} onRequest
 */

/** @param {number} status @param {unknown} body @param {Reply['rows']} [rows] @returns {Reply} */
function jsonReply(status, body, rows) {
	if (rows) setAtPath(body, rows.path, ROWS_PLACEHOLDER);
	return { status, json: body, rows };
}

/** @param {number} status @param {string} contentType @param {string | Iterable<string>} text @returns {Reply} */
function textReply(status, contentType, text) {
	return { status, contentType, text };
}

/** @param {any} target @param {string[]} path @param {unknown} value */
function setAtPath(target, path, value) {
	const parent = path.slice(0, -1).reduce((node, key) => node[key], target);
	parent[path[path.length - 1]] = value;
}

/**
 * Applies `edit` to every field at `path` (`*` walks array items); returns how many were found.
 * @param {any} target @param {string[]} path @param {(parent: any, key: string) => void} edit
 */
function editFields(target, path, edit) {
	if (target === null || typeof target !== 'object') return 0;
	const [head, ...rest] = path;
	if (head === '*') {
		return Array.isArray(target)
			? target.reduce((sum, item) => sum + editFields(item, rest, edit), 0)
			: 0;
	}
	// Streamed rows are not in memory: faults edit the envelope around them only.
	if (!(head in target) || (target[head] === ROWS_PLACEHOLDER && rest.length > 0)) return 0;
	if (rest.length === 0) {
		edit(target, head);
		return 1;
	}
	return editFields(target[head], rest, edit);
}

/** @param {Reply} reply @returns {Iterable<string>} */
function* bodyChunks(reply) {
	if (reply.json === undefined) {
		if (typeof reply.text === 'string') yield reply.text;
		else yield* reply.text ?? [];
		return;
	}
	const raw = reply.raw;
	/** @param {string} text */
	const fill = (text) => (raw ? text.replace(RAW_PATTERN, (_, index) => raw[Number(index)]) : text);
	const envelope = fill(JSON.stringify(reply.json));
	let from = 0;
	for (const match of envelope.matchAll(PLACEHOLDER_PATTERN)) {
		const at = /** @type {number} */ (match.index);
		if (match[1] === 'rows' && !reply.rows) continue;
		yield envelope.slice(from, at);
		from = at + match[0].length;
		if (match[1] === 'rows') {
			yield '[';
			let separator = '';
			for (const row of /** @type {NonNullable<Reply['rows']>} */ (reply.rows).items) {
				yield separator + fill(JSON.stringify(row));
				separator = ',';
			}
			yield ']';
		} else if (match[1] === 'nested')
			yield* nestedChunks(reply.nested ?? { depth: 1, shape: 'array' });
		else yield match[2];
	}
	yield envelope.slice(from);
}

/**
 * A nest `depth` levels deep, written flat (no recursion): `[[[…]]]` or `{"a":{"a":…null}}`.
 * @param {{ depth: number, shape: 'array' | 'object' }} nested
 */
function* nestedChunks({ depth, shape }) {
	const [open, close, core] = shape === 'object' ? ['{"a":', '}', 'null'] : ['[', ']', ''];
	const perChunk = Math.ceil(WRITE_CHUNK_CHARS / open.length);
	for (let left = depth; left > 0; left -= perChunk) yield open.repeat(Math.min(left, perChunk));
	yield core;
	for (let left = depth; left > 0; left -= WRITE_CHUNK_CHARS)
		yield close.repeat(Math.min(left, WRITE_CHUNK_CHARS));
}

/**
 * Adds `carried` to the string field at `path` (`*` walks arrays); a missing field is created and a
 * non-string one is left alone. Returns how many fields now carry it.
 * @param {any} target @param {string[]} path @param {string} carried
 */
function appendText(target, path, carried) {
	if (target === null || typeof target !== 'object') return 0;
	const [head, ...rest] = path;
	if (head === '*') {
		return Array.isArray(target)
			? target.reduce((sum, item) => sum + appendText(item, rest, carried), 0)
			: 0;
	}
	if (Array.isArray(target) || target[head] === ROWS_PLACEHOLDER) return 0;
	if (rest.length > 0) return appendText(target[head], rest, carried);
	const value = target[head];
	if (value !== undefined && value !== null && typeof value !== 'string') return 0;
	target[head] = value ? `${value} ${carried}` : carried;
	return 1;
}

/** @param {Iterable<unknown>} rows @param {string} key @param {string} carried */
function* rowsCarrying(rows, key, carried) {
	for (const row of rows) {
		if (row === null || typeof row !== 'object' || Array.isArray(row)) yield row;
		else {
			const value = /** @type {Record<string, unknown>} */ (row)[key];
			yield {
				...row,
				[key]: typeof value === 'string' && value !== '' ? `${value} ${carried}` : carried,
			};
		}
	}
}

/**
 * A CSV body with a `note` column added to every line. CSV generators here yield one line per chunk.
 * @param {string | Iterable<string>} text @param {string} carried
 */
function* csvCarrying(text, carried) {
	const lines = typeof text === 'string' ? text.split(/(?<=\n)/) : text;
	let header = true;
	let quoteAll = false;
	for (const line of lines) {
		if (line === '') continue;
		const ending = /\r?\n$/.exec(line)?.[0] ?? '';
		const content = line.slice(0, line.length - ending.length);
		if (header) quoteAll = content.startsWith('"');
		const cell = csvLine([header ? 'note' : carried], { quoteAll }).slice(0, -2);
		yield `${content},${cell}${ending}`;
		header = false;
	}
}

/**
 * Parses JSON; with `keepBigIntegers`, integer literals beyond 2^53 become strings of their digits
 * instead of being rounded (a string literal is skipped whole, so digits inside strings stay).
 * @param {string} text @param {boolean} keepBigIntegers
 */
function parseJson(text, keepBigIntegers) {
	if (!keepBigIntegers || !/\d{16}/.test(text)) return JSON.parse(text);
	const quoted = text.replace(
		/"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])(-?\d{16,})(?![\d.eE])/g,
		(match, digits) =>
			digits === undefined || Number.isSafeInteger(Number(digits)) ? match : `"${digits}"`,
	);
	return JSON.parse(quoted);
}

/** The request's URL with path and query decoded, so a key in the query appears as itself. @param {string} href */
function decodedUrl(href) {
	const url = new URL(href);
	let path = url.pathname;
	try {
		path = decodeURIComponent(path);
	} catch {
		// keep the raw path
	}
	const query = [...url.searchParams].map(([name, value]) => `${name}=${value}`).join('&');
	return `${url.origin}${path}${query ? `?${query}` : ''}`;
}

/**
 * `text` encoded for a JSON string value: the encoded text itself, or (JSON-level encodings) a raw
 * placeholder for it, recorded in `raw`.
 * @param {string} text @param {import('./encodings').EchoEncoding} encoding @param {string[]} raw
 */
function encodedPiece(text, encoding, raw) {
	const encoded = encodeText(text, encoding);
	if (!JSON_LEVEL_ENCODINGS.has(encoding)) return encoded;
	raw.push(encoded);
	return rawPlaceholder(raw.length - 1);
}

const isSuccess = (/** @type {number | undefined} */ status) =>
	status !== undefined && status >= 200 && status <= 299;
/** @param {any} fault */
const isBodyFault = (fault) =>
	BODY_FAULTS.has(fault.fault) || (fault.fault === 'echo' && isSuccess(fault.status));

/** @param {'real' | 'manual'} mode @param {number} [startTime] */
function createClock(mode, startTime) {
	if (mode !== 'real' && mode !== 'manual')
		throw new Error(`options.clock must be 'real' or 'manual', got ${mode}`);
	let offset = 0;
	const manualStart = startTime ?? MANUAL_CLOCK_START;
	return {
		mode,
		now: () => (mode === 'manual' ? manualStart + offset : Date.now() + offset),
		/** Moves time forward; on a real clock this adds a fixed offset. @param {number} ms */
		advance(ms) {
			if (!(ms >= 0)) throw new Error(`advance(ms) needs a non-negative number, got ${ms}`);
			offset += ms;
		},
	};
}

/** Sliding one-minute window of accepted requests per key, measured on the simulator clock. */
function createRateLimiter(/** @type {{ now(): number }} */ clock) {
	/** @type {Map<string, number[]>} */
	const accepted = new Map();
	return {
		/** @param {string} key @param {number} perMinute @returns {boolean} whether the request may go on */
		take(key, perMinute) {
			const now = clock.now();
			const recent = (accepted.get(key) ?? []).filter((t) => t > now - 60_000);
			const allowed = recent.length < perMinute;
			if (allowed) recent.push(now);
			accepted.set(key, recent);
			return allowed;
		},
	};
}

/** @param {string} pattern */
function compilePath(pattern) {
	const names = [];
	const source = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:(\w+)/g, (_, name) => {
		names.push(name);
		return '([^/]+)';
	});
	const regex = new RegExp(`^${source}/?$`);
	return (/** @type {string} */ path) => {
		const match = regex.exec(path);
		if (!match) return null;
		return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
	};
}

/** @param {string} text */
function escapeHtml(text) {
	return text.replace(
		/[&<>"]/g,
		(ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] ?? ch,
	);
}

/**
 * Replies of the faults that replace the route's answer. Proxies and crashing servers echo the request,
 * key included, which is how keys leak into error messages: the node must redact them.
 * @param {any} fault @param {SimRequest} req @param {ProviderDefinition} provider @param {Route} route
 * @param {number | undefined} limit
 * @returns {Reply}
 */
function faultReply(fault, req, provider, route, limit) {
	switch (fault.fault) {
		case '429': {
			const reply = jsonReply(429, provider.rateLimitedBody(limit));
			if (fault.retryAfter !== undefined)
				reply.headers = { 'Retry-After': String(fault.retryAfter) };
			return reply;
		}
		case '500':
			return jsonReply(500, {
				error: 'Internal Server Error',
				message: `Unhandled exception while processing ${req.method} ${req.url}`,
				requestBody: req.bodyText,
			});
		case '503':
			return textReply(
				503,
				'text/plain; charset=utf-8',
				`Service Unavailable: upstream timed out for ${req.method} ${req.url}\n${req.bodyText}`,
			);
		case '402':
			return jsonReply(402, provider.paymentRequiredBody(route));
		case 'echo': {
			/** @type {string[]} */
			const raw = [];
			const encode = (/** @type {string} */ text) =>
				encodedPiece(text, fault.encoding ?? 'raw', raw);
			const authorization = provider.echoesAuthorization ? req.headers.authorization : undefined;
			const message =
				`Unhandled exception while processing ${encode(`${req.method} ${decodedUrl(req.url)}`)}` +
				(req.bodyText ? `; request body: ${encode(req.bodyText)}` : '') +
				(authorization ? `; authorization: ${encode(authorization)}` : '');
			return { ...jsonReply(fault.status ?? 500, provider.errorBody(route, message)), raw };
		}
		default: {
			const status = fault.status ?? 502;
			const title = `${status} ${http.STATUS_CODES[status] ?? 'Error'}`;
			return textReply(
				status,
				'text/html; charset=utf-8',
				`<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n` +
					`<p>The upstream server did not answer ${escapeHtml(req.method)} ${escapeHtml(req.url)}</p>\r\n` +
					`<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
			);
		}
	}
}

/** @param {http.IncomingMessage} req @returns {Promise<Buffer | null>} null when over MAX_REQUEST_BYTES */
async function readRequestBody(req) {
	const chunks = [];
	let size = 0;
	// Keep draining an oversize body so the 413 can still be delivered on this socket.
	for await (const chunk of req) {
		size += chunk.length;
		if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
	}
	return size > MAX_REQUEST_BYTES ? null : Buffer.concat(chunks);
}

/** @param {http.ServerResponse} res */
function waitForDrain(res) {
	return new Promise((resolve) => {
		if (res.destroyed) {
			resolve(undefined);
			return;
		}
		const done = () => {
			res.off('drain', done);
			res.off('close', done);
			resolve(undefined);
		};
		res.on('drain', done);
		res.on('close', done);
	});
}

/** @param {http.ServerResponse} res @returns {Promise<void>} */
function closed(res) {
	return new Promise((resolve) => {
		if (res.destroyed) resolve();
		else res.once('close', () => resolve());
	});
}

/** @param {http.Server} server @param {number} port */
function listen(server, port) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => {
			const address = server.address();
			resolve(typeof address === 'object' && address ? address.port : port);
		});
	});
}

/** @param {http.Server} server */
function closeServer(server) {
	return new Promise((resolve) => {
		server.close(() => resolve(undefined));
		server.closeAllConnections();
	});
}

/**
 * Where huge/endless padding goes: a `_padding` string as the first member of a JSON object (the
 * first item of an array), or a last line of a text body. The body stays valid once the padding ends.
 * @param {string} whole @param {boolean} isJson @returns {{ prefix: string, suffix: string }}
 */
function paddingFrame(whole, isJson) {
	if (isJson && (whole.startsWith('{') || whole.startsWith('['))) {
		const rest = whole.slice(1);
		const empty = rest === '}' || rest === ']';
		return {
			prefix: whole.startsWith('{') ? `{"${PADDING_KEY}":"` : '["',
			suffix: `"${empty ? '' : ','}${rest}`,
		};
	}
	return { prefix: whole === '' || whole.endsWith('\n') ? whole : `${whole}\r\n`, suffix: '\r\n' };
}

/**
 * Refuses options a fault cannot use, with the valid values.
 * @param {any} spec
 */
function checkFaultOptions(spec) {
	/** @param {string} name @param {(value: any) => boolean} valid @param {string} what */
	const check = (name, valid, what) => {
		if (spec[name] !== undefined && !valid(spec[name]))
			throw new Error(`${spec.fault}: ${name} must be ${what}, got ${spec[name]}`);
	};
	const wholeAtLeast = (/** @type {number} */ min) => (/** @type {any} */ value) =>
		Number.isInteger(value) && value >= min;
	check('skip', wholeAtLeast(0), 'a whole number ≥ 0');
	check('encoding', (value) => ENCODINGS.includes(value), `one of ${ENCODINGS.join(', ')}`);
	check('intervalMs', (value) => Number.isFinite(value) && value >= 0, 'a number ≥ 0');
	check('capMs', (value) => Number.isFinite(value) && value > 0, 'a positive number');
	check('bytes', wholeAtLeast(0), 'a whole number ≥ 0');
	check('sizeBytes', wholeAtLeast(1), 'a whole number ≥ 1');
	check('depth', wholeAtLeast(1), 'a whole number ≥ 1');
	check('shape', (value) => value === 'array' || value === 'object', "'array' or 'object'");
	check('literal', (value) => value === 'number' || value === 'string', "'number' or 'string'");
	check('target', (value) => value === 'cross' || value === 'same', "'cross' or 'same'");
	if (spec.fault === 'redirect')
		check('status', (value) => REDIRECT_STATUSES.includes(value), REDIRECT_STATUSES.join(', '));
	if (spec.fault === 'echo')
		check(
			'status',
			(value) => Number.isInteger(value) && value >= 200 && value <= 599,
			'an HTTP status 200–599',
		);
}

/**
 * @param {ProviderDefinition} provider
 * @param {Partial<ResolvedOptions> & { startTime?: number }} [userOptions]
 */
async function createSimulator(provider, userOptions = {}) {
	/** @type {ResolvedOptions} */
	const options = {
		port: 0,
		apiKey: provider.defaultApiKey,
		clock: 'real',
		jobDurationMs: 2000,
		perEmailMs: 1,
		rateLimitPerMinute: undefined,
		singleRateLimitPerMinute: undefined,
		rateLimitRetryAfter: undefined,
		credits: 1_000_000,
		resultShape: 'current',
		balanceProducts: undefined,
		onRequest: undefined,
		...Object.fromEntries(Object.entries(userOptions).filter(([, value]) => value !== undefined)),
	};
	const clock = createClock(options.clock, userOptions.startTime);
	const limiter = createRateLimiter(clock);
	const rateLimits = provider.rateLimits(options);
	const jobs = new JobStore(clock, { ...options, newId: provider.newJobId });
	const routes = provider.routes.map((route) => ({
		route,
		match: compilePath(provider.basePath + route.path),
	}));
	const routeNames = provider.routes.map((route) => route.name);
	/** @type {any[]} */
	const requests = [];
	/** @type {any[]} */
	let faults = [];
	let credits = options.credits;
	/** Ends of the open hostile streams (huge, endless, trickle, stall); close() calls them all. */
	const streams = new Set();
	/** Wake-ups of pending waits (slow, trickle, endless); close() calls them all. */
	const pauses = new Set();
	/** Log entries of the `elsewhere` server (redirect targets). */
	const elsewhereEntries = new WeakSet();
	/** @type {any[]} */
	const elsewhereRequests = [];
	/** @type {http.Server | null} */
	let elsewhereServer = null;
	/** @type {Promise<string> | null} */
	let elsewhereStart = null;
	/** @type {string | null} */
	let elsewhereOrigin = null;
	let closing = false;

	/** @type {SimContext} */
	const context = {
		apiKey: options.apiKey,
		now: clock.now,
		jobs,
		options,
		credits: () => credits,
		spendCredits(count) {
			if (count > credits) return false;
			credits -= count;
			return true;
		},
	};

	/**
	 * Waits `ms` real milliseconds (unref'd timer); ends early when the simulator closes, and when `res`
	 * closes if given.
	 * @param {number} ms @param {http.ServerResponse} [res]
	 */
	function pause(ms, res) {
		return new Promise((resolve) => {
			const wake = () => {
				clearTimeout(timer);
				pauses.delete(wake);
				res?.off('close', wake);
				resolve(undefined);
			};
			const timer = setTimeout(wake, ms);
			timer.unref();
			pauses.add(wake);
			if (res?.destroyed) wake();
			else res?.once('close', wake);
		});
	}

	/** @param {any} fault @param {string} route */
	const targets = (fault, route) => fault.route === '*' || fault.route === route;

	/**
	 * Counts this request against every fault on its route that still has requests to let through.
	 * @param {string} route @returns {Set<any>} the faults that let this request through
	 */
	function skipFaults(route) {
		const skipped = new Set();
		for (const fault of faults) {
			if (fault.skipRemaining > 0 && fault.remaining > 0 && targets(fault, route)) {
				fault.skipRemaining -= 1;
				skipped.add(fault);
			}
		}
		return skipped;
	}

	/** @param {string} route @param {(fault: any) => boolean} applies @param {Set<any>} skipped */
	function takeFault(route, applies, skipped) {
		const fault = faults.find(
			(f) => f.remaining > 0 && !skipped.has(f) && targets(f, route) && applies(f),
		);
		if (fault) {
			fault.remaining -= 1;
			fault.hits += 1;
		}
		return fault;
	}

	/**
	 * @param {Reply} reply @param {Route} route @param {Set<any>} skipped
	 * @returns {string | null} the body fault applied, if any
	 */
	function applyBodyFault(reply, route, skipped) {
		if (!isSuccess(reply.status)) return null;
		const fault = takeFault(
			route.name,
			(f) => isBodyFault(f) && fitBodyFault(f, reply, route),
			skipped,
		);
		return fault ? fault.fault : null;
	}

	/**
	 * Applies body fault `f` to `reply` when it can (the field exists, the body is JSON…).
	 * @param {any} f @param {Reply} reply @param {Route} route @returns {boolean} whether it applied
	 */
	function fitBodyFault(f, reply, route) {
		if (DELIVERY_FAULTS.has(f.fault)) {
			reply.delivery = f;
			return true;
		}
		switch (f.fault) {
			case 'truncated': {
				const whole = Buffer.from([...bodyChunks(reply)].join(''), 'utf8');
				reply.json = undefined;
				reply.rows = undefined;
				reply.text = whole.subarray(0, Math.floor(whole.length / 2)).toString('utf8');
				reply.contentType = reply.contentType ?? 'application/json; charset=utf-8';
				return true;
			}
			case 'echo':
			case 'echoInBody':
				return carryKey(f, reply, route);
			case 'bigId':
				return rewriteIds(f, reply, route);
			default:
				break;
		}
		const field =
			f.field ?? (f.fault === 'unknownStatus' ? route.fields?.status : route.fields?.required);
		if (!field || reply.json === undefined) return false;
		const path = field.split('.');
		if (f.fault === 'unknownStatus') {
			return (
				editFields(reply.json, path, (parent, key) => {
					parent[key] = f.value ?? route.fields?.unknownStatus ?? 'ARCHIVED';
				}) > 0
			);
		}
		if (f.fault === 'missingField')
			return editFields(reply.json, path, (parent, key) => delete parent[key]) > 0;
		// nested
		const found = editFields(reply.json, path, (parent, key) => {
			parent[key] = NESTED_PLACEHOLDER;
		});
		if (found > 0)
			reply.nested = { depth: f.depth ?? HOSTILE_DEFAULTS.depth, shape: f.shape ?? 'array' };
		return found > 0;
	}

	/**
	 * echoInBody (and echo with a 2xx status): the encoded key joins a free-text field of the envelope,
	 * of every streamed row, or a `note` column of a CSV body.
	 * @param {any} f @param {Reply} reply @param {Route} route
	 */
	function carryKey(f, reply, route) {
		const encoding = f.encoding ?? 'raw';
		reply.raw = reply.raw ?? [];
		// In JSON the JSON-level encodings are written unescaped; a CSV cell gets the encoded text as is.
		const carried = encodedPiece(options.apiKey, encoding, reply.raw);
		let carriers = 0;
		const field = f.field ?? route.fields?.text;
		if (reply.json !== undefined && field)
			carriers += appendText(reply.json, field.split('.'), carried);
		const rowField = route.fields?.rowText;
		if (reply.json !== undefined && reply.rows && rowField) {
			reply.rows = { ...reply.rows, items: rowsCarrying(reply.rows.items, rowField, carried) };
			carriers += 1;
		}
		if (
			reply.json === undefined &&
			reply.text !== undefined &&
			/^text\/csv/i.test(reply.contentType ?? '')
		) {
			reply.text = csvCarrying(reply.text, encodeText(options.apiKey, encoding));
			carriers += 1;
		}
		return carriers > 0;
	}

	/**
	 * bigId: job ids become the job's long numeric alias, as a raw JSON number or a string.
	 * @param {any} f @param {Reply} reply @param {Route} route
	 */
	function rewriteIds(f, reply, route) {
		const field = f.field ?? route.fields?.id;
		if (!field || reply.json === undefined) return false;
		const literal = f.literal ?? (provider.name === 'whoisxml' ? 'number' : 'string');
		let rewritten = 0;
		editFields(reply.json, field.split('.'), (parent, key) => {
			const value = parent[key];
			const job =
				typeof value === 'string' || typeof value === 'number' ? jobs.get(value) : undefined;
			if (!job) return;
			const alias = jobs.alias(job);
			parent[key] = literal === 'number' ? numberPlaceholder(alias) : alias;
			rewritten += 1;
		});
		return rewritten > 0;
	}

	/** The route's per-minute budget, or undefined when it has none. @param {Route} route */
	function limitOf(route) {
		const limit = route.rateLimit ? rateLimits[route.rateLimit] : undefined;
		return limit !== undefined && Number.isFinite(limit) ? limit : undefined;
	}

	/** @param {Route} route @param {SimRequest} req @returns {Reply} */
	function runRoute(route, req) {
		const denied = provider.authenticate(req, route, context);
		if (denied) return denied;
		const limit = limitOf(route);
		if (limit !== undefined && !limiter.take(`${route.rateLimit}:${options.apiKey}`, limit)) {
			const reply = jsonReply(429, provider.rateLimitedBody(limit));
			if (options.rateLimitRetryAfter !== undefined)
				reply.headers = { 'Retry-After': String(options.rateLimitRetryAfter) };
			return reply;
		}
		return route.handle(req, context);
	}

	/**
	 * A redirect answer: to the `elsewhere` server (cross) or to this path with `_redirected=1` (same).
	 * @param {any} fault @param {URL} url @returns {Promise<Reply>}
	 */
	async function redirectReply(fault, url) {
		const status = fault.status ?? 302;
		let location;
		if ((fault.target ?? 'cross') === 'cross') {
			const origin = await elsewhere.start();
			const where = `${url.pathname}${url.search}`;
			location = fault.relative ? `//${new URL(origin).host}${where}` : `${origin}${where}`;
		} else {
			const where = `${url.pathname}${url.search ? `${url.search}&` : '?'}${REDIRECTED_PARAM}=1`;
			location = fault.relative ? where : `${url.origin}${where}`;
		}
		const title = `${status} ${http.STATUS_CODES[status]}`;
		const reply = textReply(
			status,
			'text/html; charset=utf-8',
			`<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`,
		);
		reply.headers = { Location: location };
		return reply;
	}

	/**
	 * Writes to `res`, counting bytes and logging the start of the body.
	 * @param {any} entry @param {http.ServerResponse} res
	 */
	function writer(entry, res) {
		const decoder = new StringDecoder('utf8');
		return (
			/** @type {string | Buffer} */ chunk,
			/** @type {number | undefined} */ bytes = undefined,
		) => {
			entry.bytesSent +=
				bytes ?? (typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length);
			if (entry.responseText.length < LOGGED_RESPONSE_CHARS) {
				const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
				entry.responseText += text.slice(0, LOGGED_RESPONSE_CHARS - entry.responseText.length);
			}
			return res.write(chunk);
		};
	}

	/** @param {Reply} reply */
	const contentTypeOf = (reply) =>
		reply.json !== undefined
			? 'application/json; charset=utf-8'
			: (reply.contentType ?? 'text/plain');

	/** @param {any} entry @param {http.ServerResponse} res @param {Reply} reply */
	async function send(entry, res, reply) {
		if (reply.delivery) return deliver(entry, res, reply);
		const streamed =
			reply.rows !== undefined || (reply.text !== undefined && typeof reply.text !== 'string');
		const headers = { 'Content-Type': contentTypeOf(reply), ...reply.headers };
		const out = writer(entry, res);
		entry.status = reply.status;
		if (!streamed) {
			const body = [...bodyChunks(reply)].join('');
			res.writeHead(reply.status, { ...headers, 'Content-Length': Buffer.byteLength(body) });
			out(body);
			record(entry);
			res.end();
			return undefined;
		}
		res.writeHead(reply.status, headers);
		let pending = '';
		for (const chunk of bodyChunks(reply)) {
			pending += chunk;
			if (pending.length < WRITE_CHUNK_CHARS) continue;
			const flushed = out(pending);
			pending = '';
			if (!flushed) await waitForDrain(res);
			if (res.destroyed) break;
		}
		if (!res.destroyed) out(pending);
		record(entry);
		res.end();
		return undefined;
	}

	/**
	 * Ends the stream after `capMs` whatever happens; records why it ended in `entry.ended`.
	 * @param {any} entry @param {http.ServerResponse} res @param {number} capMs
	 */
	function guard(entry, res, capMs) {
		if (res.destroyed) return;
		const stop = (/** @type {string} */ reason) => {
			if (entry.ended === null) entry.ended = reason;
			res.destroy();
		};
		const timer = setTimeout(() => stop('cap'), capMs);
		timer.unref();
		streams.add(stop);
		res.once('close', () => {
			clearTimeout(timer);
			streams.delete(stop);
		});
	}

	/**
	 * The delivery faults: the real (materialised) body, delivered in a hostile way.
	 * @param {any} entry @param {http.ServerResponse} res @param {Reply} reply
	 */
	async function deliver(entry, res, reply) {
		const fault = reply.delivery;
		const whole = [...bodyChunks(reply)].join('');
		const headers = { 'Content-Type': contentTypeOf(reply), ...reply.headers };
		const out = writer(entry, res);
		entry.status = reply.status;
		const begin = (/** @type {Record<string, number>} */ extra) => {
			res.writeHead(reply.status, { ...headers, ...extra });
			record(entry);
			guard(entry, res, fault.capMs ?? HOSTILE_DEFAULTS.capMs);
		};
		if (fault.fault === 'trickle') {
			const body = Buffer.from(whole);
			const interval = fault.intervalMs ?? HOSTILE_DEFAULTS.trickleIntervalMs;
			begin({ 'Content-Length': body.length });
			for (let i = 0; i < body.length && !res.destroyed; i++) {
				if (i > 0) await pause(interval, res);
				if (!res.destroyed) out(body.subarray(i, i + 1));
			}
		} else if (fault.fault === 'stall') {
			const body = Buffer.from(whole);
			const shown = Math.min(
				fault.bytes ?? Math.floor(body.length / 2),
				Math.max(0, body.length - 1),
			);
			begin(body.length > 0 ? { 'Content-Length': body.length } : {});
			if (shown > 0) out(body.subarray(0, shown));
			await closed(res);
			return;
		} else {
			const endless = fault.fault === 'endless';
			const { prefix, suffix } = paddingFrame(whole, reply.json !== undefined);
			const frameBytes = Buffer.byteLength(prefix) + Buffer.byteLength(suffix);
			const padBytes = endless
				? Infinity
				: Math.max(0, (fault.sizeBytes ?? HOSTILE_DEFAULTS.hugeBytes) - frameBytes);
			begin(!endless && fault.contentLength ? { 'Content-Length': frameBytes + padBytes } : {});
			const chunkBytes = endless ? HOSTILE_DEFAULTS.endlessChunkBytes : PAD_CHUNK_BYTES;
			const interval = endless ? (fault.intervalMs ?? HOSTILE_DEFAULTS.endlessIntervalMs) : 0;
			const block = 'x'.repeat(chunkBytes);
			if (!out(prefix)) await waitForDrain(res);
			for (let left = padBytes; left > 0 && !res.destroyed; left -= chunkBytes) {
				const size = Math.min(left, chunkBytes);
				const flushed = out(size === chunkBytes ? block : block.slice(0, size), size);
				if (!flushed) await waitForDrain(res);
				if (interval > 0) await pause(interval, res);
				else if (flushed) await new Promise((resolve) => setImmediate(resolve));
			}
			if (!res.destroyed) out(suffix);
		}
		if (!res.destroyed) res.end();
	}

	/** @param {any} entry */
	function record(entry) {
		if (elsewhereEntries.has(entry)) {
			elsewhereRequests.push(entry);
			return;
		}
		requests.push(entry);
		options.onRequest?.(entry);
	}

	/**
	 * @param {http.IncomingMessage} incoming @param {http.ServerResponse} res
	 * @param {'main' | 'elsewhere'} side  `elsewhere`: the redirect target, which answers without faults
	 */
	async function handle(incoming, res, side) {
		const url = new URL(incoming.url ?? '/', `http://${incoming.headers.host ?? '127.0.0.1'}`);
		const rawBody = await readRequestBody(incoming);
		const entry = {
			time: clock.now(),
			method: incoming.method ?? 'GET',
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			headers: incoming.headers,
			bodyText: rawBody ? rawBody.toString('utf8') : '',
			status: /** @type {number | null} */ (null),
			responseText: '',
			route: /** @type {string | null} */ (null),
			fault: /** @type {string | null} */ (null),
			bytesSent: 0,
			ended: /** @type {string | null} */ (null),
		};
		if (side === 'elsewhere') elsewhereEntries.add(entry);
		res.once('close', () => {
			if (entry.ended === null) entry.ended = res.writableFinished ? 'complete' : 'client';
		});
		if (!rawBody) return send(entry, res, textReply(413, 'text/plain', 'Request body too large'));

		const matched = routes
			.map(({ route, match }) => ({
				route,
				params: route.method === entry.method ? match(entry.path) : null,
			}))
			.find((candidate) => candidate.params !== null);
		if (!matched) return send(entry, res, jsonReply(404, { message: 'Not Found' }));
		const { route } = matched;
		entry.route = route.name;

		const isMultipart = /^multipart\//i.test(incoming.headers['content-type'] ?? '');
		let body;
		let bodyIsInvalidJson = false;
		if (rawBody.length > 0 && !isMultipart) {
			try {
				body = parseJson(entry.bodyText, provider.preserveBigIntegers === true);
			} catch {
				bodyIsInvalidJson = true;
			}
		}
		/** @type {SimRequest} */
		const req = {
			method: entry.method,
			path: entry.path,
			url: url.href,
			query: entry.query,
			headers: incoming.headers,
			rawBody,
			bodyText: entry.bodyText,
			body,
			bodyIsInvalidJson,
			params: /** @type {Record<string, string>} */ (matched.params),
		};
		if (side === 'elsewhere') return send(entry, res, runRoute(route, req));

		const skipped = skipFaults(route.name);
		const fault = takeFault(route.name, (f) => !isBodyFault(f), skipped);
		const applied = [];
		if (fault) {
			applied.push(fault.fault);
			entry.fault = fault.fault;
			if (fault.fault === 'reset') {
				entry.ended = 'reset';
				record(entry);
				incoming.socket.destroy();
				return undefined;
			}
			if (fault.fault === 'redirect') return send(entry, res, await redirectReply(fault, url));
			if (fault.fault !== 'slow')
				return send(entry, res, faultReply(fault, req, provider, route, limitOf(route)));
			await pause(fault.delayMs ?? 1000);
			if (closing) return undefined;
		}
		const reply = runRoute(route, req);
		const bodyFault = applyBodyFault(reply, route, skipped);
		if (bodyFault) applied.push(bodyFault);
		entry.fault = applied.length > 0 ? applied.join('+') : null;
		return send(entry, res, reply);
	}

	/** @param {'main' | 'elsewhere'} side */
	const serve =
		(side) =>
		(/** @type {http.IncomingMessage} */ incoming, /** @type {http.ServerResponse} */ res) => {
			handle(incoming, res, side).catch((error) => {
				// A simulator bug must be loud in test output, not look like a provider answer.
				console.error(
					`[${provider.name} simulator${side === 'elsewhere' ? ' (elsewhere)' : ''}]`,
					error,
				);
				if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
				res.end(`Simulator error: ${error instanceof Error ? error.message : String(error)}`);
			});
		};

	const server = http.createServer(serve('main'));
	const port = await listen(server, options.port);

	/** The second loopback server that cross-origin redirects point at; started on first use. */
	const elsewhere = {
		requests: elsewhereRequests,
		get origin() {
			return elsewhereOrigin;
		},
		get port() {
			return elsewhereOrigin === null ? null : Number(new URL(elsewhereOrigin).port);
		},
		/** @returns {Promise<string>} the origin, e.g. http://127.0.0.1:PORT */
		start() {
			if (closing) return Promise.reject(new Error(`${provider.name} simulator is closed`));
			elsewhereStart ??= (async () => {
				const other = http.createServer(serve('elsewhere'));
				const otherPort = await listen(other, 0);
				elsewhereServer = other;
				elsewhereOrigin = `http://127.0.0.1:${otherPort}`;
				return elsewhereOrigin;
			})();
			return elsewhereStart;
		},
		clearLog() {
			elsewhereRequests.length = 0;
		},
	};

	/** @param {string | number} id */
	function jobOrThrow(id) {
		const job = jobs.get(id);
		if (!job) throw new Error(`${provider.name} simulator has no job ${id}`);
		return job;
	}

	/** Which route field a fault needs when no `field` is given. */
	const DEFAULT_FIELD = /** @type {Record<string, 'status' | 'required' | 'id'>} */ ({
		unknownStatus: 'status',
		missingField: 'required',
		nested: 'required',
		bigId: 'id',
	});

	return {
		provider: provider.name,
		baseUrl: `http://127.0.0.1:${port}${provider.basePath}`,
		apiKey: options.apiKey,
		port,
		routes: routeNames,
		requests,
		jobs: jobs.jobs,
		elsewhere,
		clearLog() {
			requests.length = 0;
		},
		/** @param {any} spec */
		inject(spec) {
			if (spec.route !== '*' && !routeNames.includes(spec.route)) {
				throw new Error(
					`Unknown ${provider.name} route "${spec.route}"; use one of: *, ${routeNames.join(', ')}`,
				);
			}
			if (!FAULT_KINDS.includes(spec.fault)) {
				throw new Error(`Unknown fault "${spec.fault}"; use one of: ${FAULT_KINDS.join(', ')}`);
			}
			const needs = DEFAULT_FIELD[spec.fault];
			if (needs && spec.route !== '*' && spec.field === undefined) {
				const fields = provider.routes.find((route) => route.name === spec.route)?.fields;
				if (!fields?.[needs]) {
					throw new Error(
						`${provider.name} route "${spec.route}" has no default field for ${spec.fault}; pass { field: 'dotted.path' }`,
					);
				}
			}
			checkFaultOptions(spec);
			const times = spec.times ?? 1;
			if (!(times > 0))
				throw new Error(`times must be a positive number or Infinity, got ${times}`);
			const skip = spec.skip ?? 0;
			const fault = { ...spec, times, skip, remaining: times, hits: 0, skipRemaining: skip };
			faults.push(fault);
			return fault;
		},
		clearFaults() {
			faults = [];
		},
		/** The account's key becomes `key` (rotated or revoked): requests with any other key are refused. */
		setAcceptedKey(key) {
			context.apiKey = key;
		},
		clock: clock.mode,
		now: clock.now,
		advance: clock.advance,
		get credits() {
			return credits;
		},
		/** @param {number} value */
		setCredits(value) {
			credits = value;
		},
		/** @param {string | number} id */
		finishJob(id) {
			jobs.finish(jobOrThrow(id));
		},
		/** @param {string | number} id @param {'failed' | 'cancelled'} outcome */
		setJobOutcome(id, outcome) {
			const job = jobOrThrow(id);
			if (!provider.outcomes.includes(outcome)) {
				throw new Error(
					provider.outcomeUnsupported ?? `${provider.name} jobs cannot end as "${outcome}"`,
				);
			}
			jobs.setOutcome(job, outcome);
		},
		/**
		 * @param {ReadonlyArray<string | Record<string, unknown>> | number} emails
		 * @param {{ state?: JobPhase, id?: string, name?: string }} [seedOptions]
		 */
		seedJob(emails, seedOptions = {}) {
			const state = seedOptions.state ?? 'completed';
			if (!provider.seedStates.includes(state)) {
				throw new Error(
					`${provider.name} jobs cannot be seeded as "${state}"; use one of: ${provider.seedStates.join(', ')}`,
				);
			}
			return jobs.seed(tableFromRecords(emails), state, {
				id: seedOptions.id,
				name: seedOptions.name,
			});
		},
		/** Ends every open stream and pending wait, then closes both servers. */
		async close() {
			closing = true;
			for (const stop of [...streams]) stop('close');
			for (const wake of [...pauses]) wake();
			const pendingElsewhere = elsewhereStart?.catch(() => null);
			await closeServer(server);
			if (pendingElsewhere) {
				await pendingElsewhere;
				if (elsewhereServer) await closeServer(elsewhereServer);
			}
		},
	};
}

module.exports = { createSimulator, jsonReply, textReply, FAULT_KINDS };
