/**
 * The only place HTTP happens. Every provider call goes through `Transport.json` / `Transport.text` /
 * `Transport.streamText` (big downloads read as they arrive):
 * n8n's `httpRequestWithAuthentication` (the credential puts the key where its provider wants it),
 * a timeout, bounded retries with backoff (honouring Retry-After) waited out with n8n's `sleep`,
 * key redaction of every body before it is parsed, zod validation, and provider failures turned into
 * `NodeApiError`s that say what happened and what to do.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import type { BodySchema } from './lean';
import { BlockRedactor, redactSecrets } from './redact';

export type HttpContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export type ErrorKind =
	| 'auth'
	| 'credits'
	| 'unknownJob'
	| 'rateLimited'
	| 'notReady'
	| 'badRequest'
	| 'server'
	| 'network'
	| 'timeout'
	| 'invalidResponse'
	/** The credential itself is unusable (e.g. its Base URL is not an http(s) URL). */
	| 'credentialConfig';

/** What a provider adapter tells the transport about its API's errors. */
export interface ProviderErrorProfile {
	displayName: string;
	credentialDisplayName: string;
	/** Reads the provider's own error envelope (providers.md §5.9). */
	extractErrorMessage(body: unknown): string | undefined;
	/** Provider-specific classification (e.g. Bouncify's 400 "Job not found"); undefined = by status. */
	classifyError?(status: number, providerMessage: string | undefined): ErrorKind | undefined;
	/** Some APIs answer 200 with `success: false`: return the error message for such a body. */
	failureInSuccessBody?(body: unknown): string | undefined;
	/** Advice for a rate limit that outlasted the retries. */
	rateLimitAdvice: string;
	/** First wait after a 429 without Retry-After (a per-minute window needs longer than a blip). */
	rateLimitBaseDelayMs?: number;
}

export interface RetryPolicy {
	/** Total tries, the first included. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/** A Retry-After longer than this is not waited out: the call fails with the rate-limit error. */
	maxRetryAfterMs: number;
}

export interface TransportOptions {
	retry: RetryPolicy;
	timeoutMs: number;
	/** Called before every HTTP attempt, retries included (the trigger meters its request budget). */
	onAttempt?: () => void;
	/** Asked before a retry; false gives up instead (the trigger's request budget is spent). */
	mayRetry?: () => boolean;
	/** Epoch ms after which no retry wait is started (a poll's budget). */
	deadline?: number;
	itemIndex?: number;
}

const DEFAULT_TRANSPORT_OPTIONS: TransportOptions = {
	retry: { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 30_000, maxRetryAfterMs: 120_000 },
	timeoutMs: 60_000,
};

export interface TransportRequest {
	method: IHttpRequestMethods;
	/** Path relative to the credential's base URL. */
	url: string;
	qs?: IDataObject;
	body?: IDataObject | FormData;
	/**
	 * Safe to send again after a 5xx, a dropped connection or an unreadable body. Calls that create or
	 * start jobs spend credits, so they are resent only when the provider certainly did nothing (429,
	 * connection refused).
	 */
	idempotent: boolean;
	/** What the call does, for messages: "get the status of job 42". */
	action: string;
	jobId?: string;
	timeoutMs?: number;
	accept?: string;
}

interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
}

/** What n8n's `prepareBinaryData` takes: a Buffer or a Node readable stream. */
export type BinarySource = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

/** A response body being read, as `streamText` hands it to its consumer. */
export interface TextStream {
	/** The body as redacted text, in blocks that end at a line end (the last one at the body's end). */
	blocks: AsyncIterable<string>;
	/**
	 * Makes a Node byte stream reading `source`, for n8n's binary helpers; undefined when none can be
	 * made. Community nodes may not import `node:stream`: n8n hands the response body over as a Node
	 * stream, and its class's `from` (that is `Readable.from`) makes one.
	 */
	toReadable?: (source: AsyncIterable<Uint8Array>) => BinarySource;
}

/**
 * Thrown by a `streamText` consumer (through anything in between) when the body turns out unusable,
 * e.g. cut off: the call counts as an unreadable response and is retried like one.
 */
export class UnusableBody extends Error {
	constructor(readonly problem: string) {
		super(problem);
		this.name = 'UnusableBody';
	}
}

/** The connection failed while the body was being read. */
class BodyReadError extends Error {
	constructor(readonly failure: unknown) {
		super('the response body could not be read');
		this.name = 'BodyReadError';
	}
}

/** Redacted blocks are cut at a line end once this much text is pending. */
const STREAM_BLOCK_CHARS = 64 * 1024;

const NETWORK_ERROR_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
]);
const TIMEOUT_ERROR_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ERR_CANCELED']);
/** Failures where the request certainly never reached the provider. */
const NOT_SENT_ERROR_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

type FailureDetail = { status?: number; providerMessage?: string; code?: string; retryAfterMs?: number };

class RequestFailure {
	constructor(
		readonly kind: ErrorKind,
		readonly retryable: boolean,
		readonly detail: FailureDetail,
	) {}
}

/** Expected failures travel as values, so only the HTTP call itself needs a try/catch. */
type Outcome<T> = { ok: true; value: T } | { ok: false; failure: RequestFailure };

interface RetriedOutcome<T> {
	outcome: Outcome<T>;
	attempts: number;
}

/** Secrets of one credential, looked up once per execution context and credential type. */
const secretsCache = new WeakMap<object, Map<string, Promise<string[]>>>();

export class Transport {
	private readonly options: TransportOptions;

	constructor(
		private readonly ctx: HttpContext,
		private readonly credentialType: string,
		private readonly profile: ProviderErrorProfile,
		options: Partial<TransportOptions> = {},
	) {
		this.options = { ...DEFAULT_TRANSPORT_OPTIONS, ...options };
	}

	/** Sends the request and returns its JSON body validated by `schema`. */
	async json<T>(request: TransportRequest, schema: BodySchema<T>): Promise<T> {
		return this.unwrap(request, await this.withRetries(request, async () => await this.tryJson(request, schema)));
	}

	/** Like `json`, but a provider answer of "unknown job" resolves to undefined instead of failing. */
	async jsonOrNotFound<T>(request: TransportRequest, schema: BodySchema<T>): Promise<T | undefined> {
		const retried = await this.withRetries(request, async () => await this.tryJson(request, schema));
		if (!retried.outcome.ok && retried.outcome.failure.kind === 'unknownJob') return undefined;
		return this.unwrap(request, retried);
	}

	/**
	 * Sends the request and reads its text body (CSV downloads) with `read`, which returns the value or
	 * says why the body is unusable (e.g. cut off); an unusable body is retried like a truncated JSON one.
	 */
	async text<T>(request: TransportRequest, read: (text: string) => { value: T } | { problem: string }): Promise<T> {
		return this.unwrap(
			request,
			await this.withRetries(request, async (): Promise<Outcome<T>> => {
				const sent = await this.send(request, request.accept ?? 'text/csv, text/plain, */*');
				if (!sent.ok) return sent;
				const failure = this.statusFailure(sent.value, request);
				if (failure) return { ok: false, failure };
				const body = read(sent.value.text);
				if ('value' in body) return { ok: true, value: body.value };
				return {
					ok: false,
					failure: new RequestFailure('invalidResponse', request.idempotent, {
						status: sent.value.status,
						providerMessage: body.problem,
					}),
				};
			}),
		);
	}

	/**
	 * Sends the request and hands its body to `consume` while it downloads, as redacted text blocks
	 * (for files too big to hold: the 500,000-row Bouncify CSV). Error statuses are read whole and
	 * explained as in `text`. The whole call, `consume` included, is retried like `text` when the body
	 * is unusable (`consume` threw `UnusableBody`) or the connection broke while reading it; anything
	 * else `consume` throws is passed on.
	 */
	async streamText<T>(request: TransportRequest, consume: (stream: TextStream) => Promise<T>): Promise<T> {
		return this.unwrap(
			request,
			await this.withRetries(request, async (): Promise<Outcome<T>> => {
				const sent = await this.call(request, request.accept ?? 'text/csv, text/plain, */*', 'stream');
				if (!sent.ok) return sent;
				const { status, headers, body } = sent.value;
				const secrets = await this.secrets();
				if (status >= 400) {
					const read = await readWhole(body);
					if (!read.ok) return { ok: false, failure: classifyThrown(read.error, request) };
					const response = { status, headers, text: redactSecrets(read.text, secrets) };
					const failure = this.statusFailure(response, request);
					if (failure) return { ok: false, failure };
				}
				let value: T | undefined;
				let thrown: { error: unknown } | undefined;
				try {
					value = await consume({ blocks: redactedBlocks(body, secrets), toReadable: readableMaker(body) });
				} catch (error) {
					thrown = { error };
				} finally {
					destroyBody(body);
				}
				if (thrown === undefined) return { ok: true, value: value as T };
				const unusable = findInCauses(thrown.error, UnusableBody);
				if (unusable) {
					return {
						ok: false,
						failure: new RequestFailure('invalidResponse', request.idempotent, { status, providerMessage: unusable.problem }),
					};
				}
				const broken = findInCauses(thrown.error, BodyReadError);
				if (broken) return { ok: false, failure: classifyThrown(broken.failure, request) };
				// Not about the response (e.g. the consumer's own error): passed on as it is.
				throw thrown.error;
			}),
		);
	}

	/** The error for a failure an adapter detects itself (e.g. results asked for before completion). */
	failure(kind: ErrorKind, request: TransportRequest, providerMessage?: string): NodeApiError | NodeOperationError {
		return this.toNodeError(new RequestFailure(kind, false, { providerMessage }), request, 1);
	}

	private unwrap<T>(request: TransportRequest, { outcome, attempts }: RetriedOutcome<T>): T {
		if (outcome.ok) return outcome.value;
		throw this.toNodeError(outcome.failure, request, attempts);
	}

	private async tryJson<T>(request: TransportRequest, schema: BodySchema<T>): Promise<Outcome<T>> {
		const sent = await this.send(request, 'application/json');
		if (!sent.ok) return sent;
		const response = sent.value;
		const body = tryParseJson(response.text);
		const statusFailure = this.statusFailure(response, request, body);
		if (statusFailure) return { ok: false, failure: statusFailure };
		if (body === undefined) {
			return {
				ok: false,
				failure: new RequestFailure('invalidResponse', request.idempotent, {
					status: response.status,
					providerMessage: describeUnreadableBody(response.text),
				}),
			};
		}
		const failureMessage = this.profile.failureInSuccessBody?.(body);
		if (failureMessage !== undefined) {
			return { ok: false, failure: this.failureFor(response.status, failureMessage, response.headers, request) };
		}
		const parsed = schema.safeParse(body);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			const where = issue.path.length > 0 ? issue.path.join('.') : 'body';
			return {
				ok: false,
				failure: new RequestFailure('invalidResponse', request.idempotent, {
					status: response.status,
					providerMessage: `the field "${where}" is ${issue.message.toLowerCase()}`,
				}),
			};
		}
		return { ok: true, value: parsed.data };
	}

	private async withRetries<T>(
		request: TransportRequest,
		attempt: () => Promise<Outcome<T>>,
	): Promise<RetriedOutcome<T>> {
		const { retry } = this.options;
		for (let attempts = 1; ; attempts++) {
			const outcome = await attempt();
			if (outcome.ok) return { outcome, attempts };
			const waitMs = this.retryDelay(outcome.failure, attempts);
			if (waitMs === undefined || this.options.mayRetry?.() === false) return { outcome, attempts };
			this.ctx.logger?.debug(
				`${this.profile.displayName}: retrying "${request.action}" in ${waitMs} ms (attempt ${attempts} of ${retry.maxAttempts} failed: ${outcome.failure.kind})`,
			);
			await sleep(waitMs);
		}
	}

	/** How long to wait before the next try, or undefined to give up now. */
	private retryDelay(failure: RequestFailure, attempts: number): number | undefined {
		const { retry, deadline } = this.options;
		if (!failure.retryable || attempts >= retry.maxAttempts) return undefined;
		const retryAfterMs = failure.detail.retryAfterMs;
		if (retryAfterMs !== undefined && retryAfterMs > retry.maxRetryAfterMs) return undefined;
		const base =
			failure.kind === 'rateLimited' ? Math.max(retry.baseDelayMs, this.profile.rateLimitBaseDelayMs ?? 0) : retry.baseDelayMs;
		const backoff = Math.min(retry.maxDelayMs, base * 2 ** (attempts - 1));
		// Jitter spreads retries of parallel executions so they do not hit the provider in lockstep.
		const jittered = Math.round(backoff / 2 + (Math.random() * backoff) / 2);
		const waitMs = retryAfterMs ?? jittered;
		if (deadline !== undefined && Date.now() + waitMs > deadline) return undefined;
		return waitMs;
	}

	private async send(request: TransportRequest, accept: string): Promise<Outcome<RawResponse>> {
		const sent = await this.call(request, accept, 'text');
		if (!sent.ok) return sent;
		const secrets = await this.secrets();
		const { status, headers, body } = sent.value;
		return { ok: true, value: { status, headers, text: redactSecrets(bodyToText(body), secrets) } };
	}

	/** One HTTP attempt through n8n's helper; the body is unread (`stream`) or as text. */
	private async call(
		request: TransportRequest,
		accept: string,
		encoding: 'text' | 'stream',
	): Promise<Outcome<{ status: number; headers: RawResponse['headers']; body: unknown }>> {
		this.options.onAttempt?.();
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			qs: request.qs,
			body: request.body,
			headers: { Accept: accept },
			encoding,
			json: false,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: request.timeoutMs ?? this.options.timeoutMs,
		};
		let response: { statusCode: number; headers?: RawResponse['headers']; body: unknown };
		try {
			response = await this.ctx.helpers.httpRequestWithAuthentication.call(
				this.ctx,
				this.credentialType,
				options,
			);
		} catch (error) {
			return { ok: false, failure: classifyThrown(error, request) };
		}
		return { ok: true, value: { status: response.statusCode, headers: response.headers ?? {}, body: response.body } };
	}

	/** The failure an HTTP error status stands for, or undefined for a success status. */
	private statusFailure(
		response: RawResponse,
		request: TransportRequest,
		parsedBody: unknown = tryParseJson(response.text),
	): RequestFailure | undefined {
		if (response.status < 400) return undefined;
		const providerMessage =
			(parsedBody !== undefined ? this.profile.extractErrorMessage(parsedBody) : undefined) ??
			describeUnreadableBody(response.text);
		return this.failureFor(response.status, providerMessage, response.headers, request);
	}

	private failureFor(
		status: number,
		providerMessage: string | undefined,
		headers: RawResponse['headers'],
		request: TransportRequest,
	): RequestFailure {
		const kind = this.profile.classifyError?.(status, providerMessage) ?? kindForStatus(status);
		// A 429 means the provider did nothing; a 5xx on a write may have half-happened.
		const retryable = kind === 'rateLimited' || (kind === 'server' && request.idempotent);
		return new RequestFailure(kind, retryable, {
			status,
			providerMessage,
			retryAfterMs: kind === 'rateLimited' ? parseRetryAfter(headers['retry-after']) : undefined,
		});
	}

	private toNodeError(
		failure: RequestFailure,
		request: TransportRequest,
		attempts: number,
	): NodeApiError | NodeOperationError {
		const { message, description } = explain(failure, request, attempts, this.profile, this.options);
		const node: INode = this.ctx.getNode();
		if (failure.kind === 'credentialConfig') {
			return new NodeOperationError(node, message, { description, itemIndex: this.options.itemIndex });
		}
		return providerError(node, message, {
			description,
			itemIndex: this.options.itemIndex,
			httpCode: failure.detail.status !== undefined ? String(failure.detail.status) : undefined,
			details: {
				kind: failure.kind,
				...(failure.detail.providerMessage !== undefined ? { providerMessage: failure.detail.providerMessage } : {}),
				...(failure.detail.code !== undefined ? { errorCode: failure.detail.code } : {}),
			},
		});
	}

	private async secrets(): Promise<string[]> {
		let byType = secretsCache.get(this.ctx);
		if (!byType) {
			byType = new Map();
			secretsCache.set(this.ctx, byType);
		}
		let secrets = byType.get(this.credentialType);
		if (!secrets) {
			secrets = this.ctx
				.getCredentials(this.credentialType)
				.then((data) => (typeof data.apiKey === 'string' && data.apiKey !== '' ? [data.apiKey.trim()] : []))
				.catch(() => []);
			byType.set(this.credentialType, secrets);
		}
		return await secrets;
	}
}

/**
 * A provider failure as n8n shows it. `details` must hold no secret: it is kept with the error.
 * The message is set last because n8n replaces messages that contain a Node error code (such as
 * "ENOENT" inside a job id) with a generic text.
 */
export function providerError(
	node: INode,
	message: string,
	options: { description: string; itemIndex?: number; httpCode?: string; details?: JsonObject },
): NodeApiError {
	const error = new NodeApiError(node, { message, ...options.details, ...(options.httpCode ? { httpCode: options.httpCode } : {}) }, {
		message,
		description: options.description,
		httpCode: options.httpCode,
		itemIndex: options.itemIndex,
	});
	error.message = message;
	return error;
}

function classifyThrown(error: unknown, request: TransportRequest): RequestFailure {
	const configProblem = findUserError(error);
	if (configProblem) {
		return new RequestFailure('credentialConfig', false, { providerMessage: configProblem.message });
	}
	const code = findErrorCode(error);
	if (code !== undefined && TIMEOUT_ERROR_CODES.has(code)) {
		return new RequestFailure('timeout', request.idempotent, { code });
	}
	const neverSent = code !== undefined && NOT_SENT_ERROR_CODES.has(code);
	return new RequestFailure('network', request.idempotent || neverSent, { code });
}

function explain(
	failure: RequestFailure,
	request: TransportRequest,
	attempts: number,
	profile: ProviderErrorProfile,
	options: TransportOptions,
): { message: string; description: string } {
	const provider = profile.displayName;
	const { status, providerMessage, code, retryAfterMs } = failure.detail;
	const said = providerMessage ? ` ${provider} said: "${providerMessage}".` : '';
	const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
	switch (failure.kind) {
		case 'auth':
			return {
				message: `${provider} rejected the API key (HTTP ${status}) while trying to ${request.action}`,
				description: `Open the ${profile.credentialDisplayName} credential, paste the key again from your ${provider} account and check that it is active.${said}`,
			};
		case 'credits':
			return {
				message: `${provider} says the account has run out of verification credits (HTTP ${status})`,
				description: `Buy more credits or upgrade your ${provider} plan, then run the workflow again.${said}`,
			};
		case 'unknownJob':
			return {
				message: `${provider} does not know the job ${request.jobId !== undefined ? `"${request.jobId}"` : 'that was asked for'}`,
				description: `Check the job ID: it must come from a job created with this ${provider} account (results may also have expired).${said}`,
			};
		case 'notReady':
			return {
				message: `${provider} cannot ${request.action} yet: the job is not ready for it`,
				description: `Check the job's status and try again once it allows this: results need a completed job (use "Wait for Completion" or the Bulk Verify Trigger), and a Bouncify Start needs the list to have finished preparing (status "ready").${said}`,
			};
		case 'rateLimited':
			return {
				message: `${provider} is rate-limiting requests${tries}${retryAfterMs !== undefined && retryAfterMs > options.retry.maxRetryAfterMs ? ` and asked to wait ${Math.ceil(retryAfterMs / 1000)} s` : ''}`,
				description: `${profile.rateLimitAdvice}${said}`,
			};
		case 'badRequest':
			return {
				message: `${provider} refused the request to ${request.action} (HTTP ${status})${providerMessage ? `: ${providerMessage}` : ''}`,
				description: `Check the node's parameters for this operation.${said}`,
			};
		case 'server':
			return {
				message: `${provider} failed to ${request.action} (HTTP ${status})${tries}`,
				description: `${mayHaveHappened(request, provider)}The provider's service is having problems. Try again in a few minutes; if it persists, check ${provider}'s status page.${said}`,
			};
		case 'timeout':
			return {
				message: `${provider} did not answer in time while trying to ${request.action}${tries}`,
				description: `${mayHaveHappened(request, provider)}The request timed out${code ? ` (${code})` : ''}. Try again later; for large lists prefer the Bulk Verify Trigger over waiting inside one execution.`,
			};
		case 'network':
			return {
				message: `Could not reach ${provider} to ${request.action}${tries}`,
				description: `${code !== undefined && NOT_SENT_ERROR_CODES.has(code) ? '' : mayHaveHappened(request, provider)}The connection failed${code ? ` (${code})` : ''}. Check the Base URL in the ${profile.credentialDisplayName} credential and that n8n can reach the internet, then try again.`,
			};
		case 'credentialConfig':
			return {
				message: providerMessage ?? `The ${profile.credentialDisplayName} credential cannot be used`,
				description: `Open the ${profile.credentialDisplayName} credential and fix its Base URL.`,
			};
		case 'invalidResponse':
			return {
				message: `${provider} sent a response that could not be read while trying to ${request.action}${tries}`,
				description: `${mayHaveHappened(request, provider)}Usually a temporary problem at ${provider} or at a proxy between n8n and it: try again later. Details: ${providerMessage ?? 'empty body'}.`,
			};
	}
}

/** For a write that failed after it may have reached the provider: a retry could pay twice. */
function mayHaveHappened(request: TransportRequest, provider: string): string {
	if (request.idempotent) return '';
	return `The request may have reached ${provider} before it failed, so it was not sent again: check your ${provider} account for a new job (or a spent credit) before running this again. `;
}

function kindForStatus(status: number): ErrorKind {
	if (status === 401) return 'auth';
	if (status === 402) return 'credits';
	if (status === 404 || status === 422) return 'unknownJob';
	if (status === 429) return 'rateLimited';
	if (status >= 500) return 'server';
	return 'badRequest';
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (value === undefined || value.trim() === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value.trim()) * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The chunks of a streamed body (a Node stream is async-iterable); a body that is not a stream is one chunk. */
function chunksOf(body: unknown): AsyncIterator<unknown> {
	if (body !== null && typeof body === 'object' && Symbol.asyncIterator in body) {
		return (body as AsyncIterable<unknown>)[Symbol.asyncIterator]();
	}
	const whole = [body];
	return (async function* () {
		yield* whole;
	})();
}

function chunkText(chunk: unknown, decoder: TextDecoder): string {
	if (chunk instanceof Uint8Array) return decoder.decode(chunk, { stream: true });
	return bodyToText(chunk);
}

async function readWhole(body: unknown): Promise<{ ok: true; text: string } | { ok: false; error: unknown }> {
	const decoder = new TextDecoder();
	const chunks = chunksOf(body);
	let text = '';
	try {
		for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) text += chunkText(next.value, decoder);
	} catch (error) {
		return { ok: false, error };
	}
	return { ok: true, text: text + decoder.decode() };
}

/**
 * The body as redacted text blocks, each ending at a line end where redacting in parts gives what
 * redacting the whole body gives (`BlockRedactor`). The UTF-8 decoding drops a leading BOM, as n8n's
 * text responses do. A failure of the connection while reading surfaces as `BodyReadError`.
 */
async function* redactedBlocks(body: unknown, secrets: string[]): AsyncGenerator<string> {
	const decoder = new TextDecoder();
	const redactor = new BlockRedactor(secrets, STREAM_BLOCK_CHARS);
	const chunks = chunksOf(body);
	let finished = false;
	try {
		for (;;) {
			let next: IteratorResult<unknown> | undefined;
			let readFailure: { error: unknown } | undefined;
			try {
				next = await chunks.next();
			} catch (error) {
				readFailure = { error };
			}
			if (readFailure !== undefined || next === undefined) throw new BodyReadError(readFailure?.error);
			if (next.done === true) break;
			const block = redactor.push(chunkText(next.value, decoder));
			if (block !== undefined) yield block;
		}
		finished = true;
	} finally {
		// Stopped early (the consumer gave up, or the connection failed): release the connection.
		if (!finished) destroyBody(body);
	}
	const rest = redactor.push(decoder.decode()) ?? '';
	const last = rest + redactor.end();
	if (last !== '') yield last;
}

function readableMaker(body: unknown): TextStream['toReadable'] {
	const maker = (body as { constructor?: { from?: unknown } } | null | undefined)?.constructor;
	if (typeof maker?.from !== 'function') return undefined;
	const from = maker.from as (source: AsyncIterable<Uint8Array>, options: { objectMode: boolean }) => BinarySource;
	return (source) => from.call(maker, source, { objectMode: false });
}

function destroyBody(body: unknown): void {
	const stream = body as { destroyed?: boolean; destroy?: () => void } | null | undefined;
	if (typeof stream?.destroy === 'function' && stream.destroyed !== true) stream.destroy();
}

/** The first error of the given class in an error's cause chain (n8n's helpers may wrap what a stream threw). */
export function findInCauses<E extends Error>(error: unknown, type: new (...args: never[]) => E): E | undefined {
	for (const link of causeChain(error)) if (link instanceof type) return link as E;
	return undefined;
}

function bodyToText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (body === undefined || body === null) return '';
	if (body instanceof Uint8Array) return new TextDecoder().decode(body);
	return JSON.stringify(body);
}

function tryParseJson(text: string): unknown {
	if (text.trim() === '') return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

function describeUnreadableBody(text: string): string {
	const trimmed = text.trim();
	if (trimmed === '') return 'the body was empty';
	if (/^<(!doctype|html)/i.test(trimmed)) {
		const title = /<title>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
		return `an HTML page${title ? ` ("${title.slice(0, 100)}")` : ''} came back instead of JSON`;
	}
	return `the body is not valid JSON (it starts with "${trimmed.slice(0, 60)}")`;
}

function* causeChain(error: unknown): Generator<Record<string, unknown>> {
	let current: unknown = error;
	for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
		yield current as Record<string, unknown>;
		current = (current as { cause?: unknown }).cause;
	}
}

function findErrorCode(error: unknown): string | undefined {
	for (const link of causeChain(error)) {
		const code = link.code;
		if (typeof code === 'string' && (NETWORK_ERROR_CODES.has(code) || TIMEOUT_ERROR_CODES.has(code))) {
			return code;
		}
	}
	for (const link of causeChain(error)) {
		if (typeof link.code === 'string' && link.code !== '') return link.code;
	}
	return undefined;
}

/** A `UserError` thrown by a credential's authenticate (e.g. an invalid Base URL). */
function findUserError(error: unknown): Error | undefined {
	for (const link of causeChain(error)) {
		if (link instanceof Error && link.name === 'UserError') return link;
	}
	return undefined;
}

/** The kind of a provider failure raised by the transport (e.g. to tell a rate limit from a bad key). */
export function errorKindOf(error: unknown): ErrorKind | undefined {
	if (!(error instanceof NodeApiError)) return undefined;
	const kind = (error.errorResponse as { kind?: unknown } | undefined)?.kind;
	return typeof kind === 'string' ? (kind as ErrorKind) : undefined;
}
