'use strict';

/**
 * Machinery every provider simulator shares: the HTTP server and its routing, the clock, the request
 * log, per-key rate limits, fault injection, replies (streamed when large) and the Simulator object.
 * A provider file only declares its routes, its auth check and its bodies (see ProviderDefinition).
 */

const http = require('node:http');
const { JobStore } = require('./jobs');
const { tableFromRecords } = require('./formats');

const FAULT_KINDS = ['429', '500', '503', 'reset', 'slow', 'truncated', 'html', 'unknownStatus', 'missingField'];
/** Faults that alter a successful reply; the others replace the reply before the route runs. */
const BODY_FAULTS = new Set(['truncated', 'unknownStatus', 'missingField']);
const LOGGED_RESPONSE_CHARS = 64 * 1024;
const WRITE_CHUNK_CHARS = 64 * 1024;
/** Above every documented upload limit, so each provider can still answer oversize files its own way. */
const MAX_REQUEST_BYTES = 64 * 1024 * 1024;
/** A manual clock starts at a fixed instant so timestamps in bodies are reproducible. */
const MANUAL_CLOCK_START = Date.UTC(2024, 0, 15, 10, 30, 0);
const ROWS_PLACEHOLDER = '\u0000rows\u0000';

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
 * @property {{ status?: string, required?: string, unknownStatus?: unknown }} [fields]
 *   dotted paths (`*` = every array item) used by the unknownStatus / missingField faults
 * @property {(req: SimRequest, ctx: SimContext) => Reply} handle
 *
 * @typedef {object} ProviderDefinition
 * @property {'bouncify' | 'check365' | 'simplecold' | 'whoisxml'} name
 * @property {string} basePath
 * @property {string} defaultApiKey
 * @property {(sequence: number) => string} newJobId
 * @property {Route[]} routes
 * @property {(req: SimRequest, route: Route, ctx: SimContext) => Reply | null} authenticate
 * @property {(options: ResolvedOptions) => Record<string, number>} rateLimits  bucket → requests/minute
 * @property {(limit: number | undefined) => unknown} rateLimitedBody  429 body; limit undefined = route has no budget
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
		return Array.isArray(target) ? target.reduce((sum, item) => sum + editFields(item, rest, edit), 0) : 0;
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
	const envelope = JSON.stringify(reply.json);
	const placeholder = JSON.stringify(ROWS_PLACEHOLDER);
	const at = reply.rows ? envelope.indexOf(placeholder) : -1;
	if (at === -1) {
		yield envelope;
		return;
	}
	yield `${envelope.slice(0, at)}[`;
	let separator = '';
	for (const row of /** @type {NonNullable<Reply['rows']>} */ (reply.rows).items) {
		yield separator + JSON.stringify(row);
		separator = ',';
	}
	yield `]${envelope.slice(at + placeholder.length)}`;
}

/** @param {'real' | 'manual'} mode @param {number} [startTime] */
function createClock(mode, startTime) {
	if (mode !== 'real' && mode !== 'manual') throw new Error(`options.clock must be 'real' or 'manual', got ${mode}`);
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
	return text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch] ?? ch);
}

/**
 * Replies of the faults that replace the route's answer. Proxies and crashing servers echo the request,
 * key included, which is how keys leak into error messages: the node must redact them.
 * @param {any} fault @param {SimRequest} req @param {ProviderDefinition} provider @param {number | undefined} limit
 * @returns {Reply}
 */
function faultReply(fault, req, provider, limit) {
	switch (fault.fault) {
		case '429': {
			const reply = jsonReply(429, provider.rateLimitedBody(limit));
			if (fault.retryAfter !== undefined) reply.headers = { 'Retry-After': String(fault.retryAfter) };
			return reply;
		}
		case '500':
			return jsonReply(500, {
				error: 'Internal Server Error',
				message: `Unhandled exception while processing ${req.method} ${req.url}`,
				requestBody: req.bodyText,
			});
		case '503':
			return textReply(503, 'text/plain; charset=utf-8', `Service Unavailable: upstream timed out for ${req.method} ${req.url}\n${req.bodyText}`);
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
		const done = () => {
			res.off('drain', done);
			res.off('close', done);
			resolve(undefined);
		};
		res.on('drain', done);
		res.on('close', done);
	});
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
		onRequest: undefined,
		...Object.fromEntries(Object.entries(userOptions).filter(([, value]) => value !== undefined)),
	};
	const clock = createClock(options.clock, userOptions.startTime);
	const limiter = createRateLimiter(clock);
	const rateLimits = provider.rateLimits(options);
	const jobs = new JobStore(clock, { ...options, newId: provider.newJobId });
	const routes = provider.routes.map((route) => ({ route, match: compilePath(provider.basePath + route.path) }));
	const routeNames = provider.routes.map((route) => route.name);
	/** @type {any[]} */
	const requests = [];
	/** @type {any[]} */
	let faults = [];
	let credits = options.credits;

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

	/** @param {string} route @param {(fault: any) => boolean} applies */
	function takeFault(route, applies) {
		const fault = faults.find(
			(f) => f.remaining > 0 && (f.route === '*' || f.route === route) && applies(f),
		);
		if (fault) {
			fault.remaining -= 1;
			fault.hits += 1;
		}
		return fault;
	}

	/** @param {Reply} reply @param {Route} route @returns {string | null} the body fault applied, if any */
	function applyBodyFault(reply, route) {
		if (reply.status < 200 || reply.status > 299) return null;
		const fault = takeFault(route.name, (f) => {
			if (!BODY_FAULTS.has(f.fault)) return false;
			if (f.fault === 'truncated') return true;
			const field = f.field ?? (f.fault === 'unknownStatus' ? route.fields?.status : route.fields?.required);
			if (!field || reply.json === undefined) return false;
			const path = field.split('.');
			return f.fault === 'unknownStatus'
				? editFields(reply.json, path, (parent, key) => {
						parent[key] = f.value ?? route.fields?.unknownStatus ?? 'ARCHIVED';
					}) > 0
				: editFields(reply.json, path, (parent, key) => delete parent[key]) > 0;
		});
		if (fault?.fault === 'truncated') {
			const whole = Buffer.from([...bodyChunks(reply)].join(''), 'utf8');
			reply.json = undefined;
			reply.rows = undefined;
			reply.text = whole.subarray(0, Math.floor(whole.length / 2)).toString('utf8');
			reply.contentType = reply.contentType ?? 'application/json; charset=utf-8';
		}
		return fault ? fault.fault : null;
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
			if (options.rateLimitRetryAfter !== undefined) reply.headers = { 'Retry-After': String(options.rateLimitRetryAfter) };
			return reply;
		}
		return route.handle(req, context);
	}

	/** @param {any} entry @param {http.ServerResponse} res @param {Reply} reply */
	async function send(entry, res, reply) {
		const contentType = reply.json !== undefined ? 'application/json; charset=utf-8' : reply.contentType ?? 'text/plain';
		const streamed = reply.rows !== undefined || (reply.text !== undefined && typeof reply.text !== 'string');
		const headers = { 'Content-Type': contentType, ...reply.headers };
		entry.status = reply.status;
		const logChunk = (/** @type {string} */ chunk) => {
			if (entry.responseText.length < LOGGED_RESPONSE_CHARS) {
				entry.responseText += chunk.slice(0, LOGGED_RESPONSE_CHARS - entry.responseText.length);
			}
		};
		if (!streamed) {
			const body = [...bodyChunks(reply)].join('');
			logChunk(body);
			record(entry);
			res.writeHead(reply.status, { ...headers, 'Content-Length': Buffer.byteLength(body) });
			res.end(body);
			return;
		}
		res.writeHead(reply.status, headers);
		let pending = '';
		for (const chunk of bodyChunks(reply)) {
			pending += chunk;
			if (pending.length < WRITE_CHUNK_CHARS) continue;
			logChunk(pending);
			const flushed = res.write(pending);
			pending = '';
			if (!flushed) await waitForDrain(res);
			if (res.destroyed) break;
		}
		logChunk(pending);
		record(entry);
		res.end(pending);
	}

	/** @param {any} entry */
	function record(entry) {
		requests.push(entry);
		options.onRequest?.(entry);
	}

	/** @param {http.IncomingMessage} incoming @param {http.ServerResponse} res */
	async function handle(incoming, res) {
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
		};
		if (!rawBody) return send(entry, res, textReply(413, 'text/plain', 'Request body too large'));

		const matched = routes
			.map(({ route, match }) => ({ route, params: route.method === entry.method ? match(entry.path) : null }))
			.find((candidate) => candidate.params !== null);
		if (!matched) return send(entry, res, jsonReply(404, { message: 'Not Found' }));
		const { route } = matched;
		entry.route = route.name;

		const isMultipart = /^multipart\//i.test(incoming.headers['content-type'] ?? '');
		let body;
		let bodyIsInvalidJson = false;
		if (rawBody.length > 0 && !isMultipart) {
			try {
				body = JSON.parse(entry.bodyText);
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

		const fault = takeFault(route.name, (f) => !BODY_FAULTS.has(f.fault));
		const applied = [];
		if (fault) {
			applied.push(fault.fault);
			entry.fault = fault.fault;
			if (fault.fault === 'reset') {
				record(entry);
				incoming.socket.destroy();
				return undefined;
			}
			if (fault.fault !== 'slow') {
				return send(entry, res, faultReply(fault, req, provider, limitOf(route)));
			}
			await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 1000));
		}
		const reply = runRoute(route, req);
		const bodyFault = applyBodyFault(reply, route);
		if (bodyFault) applied.push(bodyFault);
		entry.fault = applied.length > 0 ? applied.join('+') : null;
		return send(entry, res, reply);
	}

	const server = http.createServer((incoming, res) => {
		handle(incoming, res).catch((error) => {
			// A simulator bug must be loud in test output, not look like a provider answer.
			console.error(`[${provider.name} simulator]`, error);
			if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
			res.end(`Simulator error: ${error instanceof Error ? error.message : String(error)}`);
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, '127.0.0.1', () => resolve(undefined));
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : options.port;

	/** @param {string | number} id */
	function jobOrThrow(id) {
		const job = jobs.get(id);
		if (!job) throw new Error(`${provider.name} simulator has no job ${id}`);
		return job;
	}

	return {
		provider: provider.name,
		baseUrl: `http://127.0.0.1:${port}${provider.basePath}`,
		apiKey: options.apiKey,
		port,
		routes: routeNames,
		requests,
		jobs: jobs.jobs,
		clearLog() {
			requests.length = 0;
		},
		/** @param {any} spec */
		inject(spec) {
			if (spec.route !== '*' && !routeNames.includes(spec.route)) {
				throw new Error(`Unknown ${provider.name} route "${spec.route}"; use one of: *, ${routeNames.join(', ')}`);
			}
			if (!FAULT_KINDS.includes(spec.fault)) {
				throw new Error(`Unknown fault "${spec.fault}"; use one of: ${FAULT_KINDS.join(', ')}`);
			}
			const editsField = spec.fault === 'unknownStatus' || spec.fault === 'missingField';
			if (editsField && spec.route !== '*' && spec.field === undefined) {
				const fields = provider.routes.find((route) => route.name === spec.route)?.fields;
				if (!(spec.fault === 'unknownStatus' ? fields?.status : fields?.required)) {
					throw new Error(`${provider.name} route "${spec.route}" has no default field for ${spec.fault}; pass { field: 'dotted.path' }`);
				}
			}
			const times = spec.times ?? 1;
			if (!(times > 0)) throw new Error(`times must be a positive number or Infinity, got ${times}`);
			const fault = { ...spec, times, remaining: times, hits: 0 };
			faults.push(fault);
			return fault;
		},
		clearFaults() {
			faults = [];
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
				throw new Error(provider.outcomeUnsupported ?? `${provider.name} jobs cannot end as "${outcome}"`);
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
				throw new Error(`${provider.name} jobs cannot be seeded as "${state}"; use one of: ${provider.seedStates.join(', ')}`);
			}
			return jobs.seed(tableFromRecords(emails), state, { id: seedOptions.id, name: seedOptions.name });
		},
		close() {
			return new Promise((resolve) => {
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			});
		},
	};
}

module.exports = { createSimulator, jsonReply, textReply, FAULT_KINDS };
