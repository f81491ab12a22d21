/**
 * The only place HTTP happens. Every provider call goes through `Transport.json` / `Transport.text` /
 * `Transport.streamText` (big downloads read as they arrive):
 * n8n's `httpRequestWithAuthentication` (the credential puts the key where its provider wants it),
 * a timeout, bounded retries with backoff (honouring Retry-After) waited out with n8n's `sleep`,
 * key redaction of every body before it is parsed, zod validation, and provider failures turned into
 * `NodeApiError`s that say what happened and what to do.
 */
import type {
	ICredentialDataDecryptedObject,
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

import { readBaseUrl } from '../../credentials/common';
import type { BodyProblem } from './body-guard';
import { BodyGuard, destroyBody } from './body-guard';
import { parseJsonBody } from './json-body';
import type { BodySchema } from './lean';
import { BlockRedactor, redactSecrets } from './redact';
import { decideRedirect, headerValue, REDIRECT_STATUSES } from './redirects';
import { explain } from './transport-wording';

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
	/** The provider redirected to where the request must not follow (another origin, or a paid call). */
	| 'redirected'
	/** The body was larger than any real answer of the route, stalled, or did not end in time. */
	| 'bodyLimit'
	/** The credential itself is unusable (e.g. its Base URL is not an http(s) URL). */
	| 'credentialConfig';

/** What a provider adapter tells the transport about its API's errors. */
export interface ProviderErrorProfile {
	displayName: string;
	credentialDisplayName: string;
	/** The credential's Base URL when its field is empty: the only origin requests may go to. */
	defaultBaseUrl: string;
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
	/** Time for the provider to start answering; small answers must also have fully arrived by then. */
	timeoutMs: number;
	/** A body that sends nothing for this long has stalled: the call fails at once, without retries. */
	stallMs: number;
	/** Time for a streamed download (`streamText`) to arrive in full. */
	downloadTimeoutMs: number;
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
	stallMs: 30_000,
	downloadTimeoutMs: 30 * 60_000,
};

/**
 * The largest body each kind of route can legitimately send; anything larger is refused as it
 * arrives. Status, list, create and single answers are a few KB; a JSON result download is held in
 * memory whole (50,000 WhoisXML rows are about 20 MB); a streamed CSV download is never held whole.
 */
export const BODY_LIMITS = {
	answer: 16 * 1024 * 1024,
	results: 256 * 1024 * 1024,
	download: 2 * 1024 * 1024 * 1024,
} as const;

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
	/** The largest body this route may answer with (default `BODY_LIMITS.answer`, downloads `download`). */
	maxBodyBytes?: number;
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

/** The body broke a bound of its `BodyGuard` (too large, stalled, too slow). */
class BodyLimitError extends Error {
	constructor(readonly problem: BodyProblem) {
		super(`the response body broke a limit: ${problem.kind}`);
		this.name = 'BodyLimitError';
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

export type FailureDetail = {
	status?: number;
	providerMessage?: string;
	code?: string;
	/** The connection failed before anything was sent (refused, name not found). */
	neverSent?: boolean;
	retryAfterMs?: number;
	/** Where a refused redirect pointed (host only: a Location may carry the key in its query). */
	targetHost?: string;
	redirectReason?: string;
	bodyProblem?: BodyProblem;
};

export class RequestFailure {
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

/** What the transport needs of one credential, looked up once per execution context and credential type. */
interface CredentialFacts {
	/** Every value of the credential that could be a secret, for redaction. */
	secrets: string[];
	/** The Base URL requests go to (and the only origin a redirect may be followed to). */
	baseUrl: string;
	/** Why the Base URL cannot be used, when it cannot. */
	baseUrlProblem?: string;
}

const credentialFactsCache = new WeakMap<object, Map<string, Promise<CredentialFacts>>>();

/** Credential fields that are not secret (everything else is treated as one). */
const PUBLIC_CREDENTIAL_FIELDS = new Set(['baseUrl']);

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
				const sent = await this.call(request, request.accept ?? 'text/csv, text/plain, */*');
				if (!sent.ok) return sent;
				const { status, headers, body } = sent.value;
				const { secrets } = await this.credentialFacts();
				if (status >= 400) {
					const read = await this.readText(body, request, BODY_LIMITS.answer);
					if (!read.ok) return read;
					const failure = this.statusFailure({ status, headers, text: redactSecrets(read.value, secrets) }, request);
					if (failure) return { ok: false, failure };
				}
				const guard = new BodyGuard(body, {
					maxBytes: request.maxBodyBytes ?? BODY_LIMITS.download,
					stallMs: this.options.stallMs,
					deadline: Date.now() + this.options.downloadTimeoutMs,
				});
				let value: T | undefined;
				let thrown: { error: unknown } | undefined;
				try {
					value = await consume({ blocks: redactedBlocks(guard, secrets), toReadable: readableMaker(body) });
				} catch (error) {
					thrown = { error };
				} finally {
					guard.stop();
					destroyBody(body);
				}
				if (thrown === undefined) return { ok: true, value: value as T };
				const limit = findInCauses(thrown.error, BodyLimitError);
				if (limit) return { ok: false, failure: bodyLimitFailure(limit.problem, status) };
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
		// A provider that let a whole timeout pass once gets one more try, not three: four silent
		// minutes before an error help nobody.
		if (failure.kind === 'timeout' && attempts >= 2) return undefined;
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
		const sent = await this.call(request, accept);
		if (!sent.ok) return sent;
		const { status, headers, body } = sent.value;
		const read = await this.readText(body, request, request.maxBodyBytes ?? BODY_LIMITS.answer);
		if (!read.ok) return read;
		const { secrets } = await this.credentialFacts();
		return { ok: true, value: { status, headers, text: redactSecrets(read.value, secrets) } };
	}

	/** A whole body as text, within its size limit, the stall time and the request's timeout. */
	private async readText(body: unknown, request: TransportRequest, maxBytes: number): Promise<Outcome<string>> {
		const guard = new BodyGuard(body, {
			maxBytes,
			stallMs: this.options.stallMs,
			deadline: Date.now() + (request.timeoutMs ?? this.options.timeoutMs),
		});
		const decoder = new TextDecoder();
		const parts: string[] = [];
		try {
			for await (const chunk of guard.chunks()) parts.push(chunkText(chunk, decoder));
			parts.push(decoder.decode());
		} catch (error) {
			destroyBody(body);
			if (guard.problem === undefined) return { ok: false, failure: classifyThrown(error, request) };
		} finally {
			guard.stop();
		}
		if (guard.problem !== undefined) {
			destroyBody(body);
			return { ok: false, failure: bodyLimitFailure(guard.problem) };
		}
		return { ok: true, value: parts.join('') };
	}

	/**
	 * One HTTP attempt through n8n's helper, the body unread (a stream). Redirects are not left to
	 * n8n's client, which would send the key wherever they point: same-origin ones are followed where
	 * `decideRedirect` allows, any other ends the call with a 'redirected' failure.
	 */
	private async call(
		request: TransportRequest,
		accept: string,
	): Promise<Outcome<{ status: number; headers: RawResponse['headers']; body: unknown }>> {
		const facts = await this.credentialFacts();
		if (facts.baseUrlProblem !== undefined) {
			return { ok: false, failure: new RequestFailure('credentialConfig', false, { providerMessage: facts.baseUrlProblem }) };
		}
		let target: { url: string; method: IHttpRequestMethods; qs?: IDataObject; body?: IDataObject | FormData } = {
			url: request.url,
			method: request.method,
			qs: request.qs,
			body: request.body,
		};
		for (let hop = 0; ; hop++) {
			this.options.onAttempt?.();
			const options: IHttpRequestOptions = {
				...target,
				headers: { Accept: accept },
				encoding: 'stream',
				json: false,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				timeout: request.timeoutMs ?? this.options.timeoutMs,
			};
			let response: { statusCode: number; headers?: RawResponse['headers']; body: unknown };
			try {
				response = await this.ctx.helpers.httpRequestWithAuthentication.call(this.ctx, this.credentialType, options);
			} catch (error) {
				return { ok: false, failure: classifyThrown(error, request) };
			}
			const headers = response.headers ?? {};
			if (!REDIRECT_STATUSES.has(response.statusCode)) {
				return { ok: true, value: { status: response.statusCode, headers, body: response.body } };
			}
			destroyBody(response.body);
			const sentTo = hop === 0 ? `${facts.baseUrl}${request.url}` : target.url;
			const decision = decideRedirect(
				response.statusCode,
				headerValue(headers, 'location'),
				{ method: target.method, url: sentTo, idempotent: request.idempotent, hop },
				facts.baseUrl,
			);
			if (!decision.follow) {
				return {
					ok: false,
					failure: new RequestFailure('redirected', false, {
						status: response.statusCode,
						targetHost: decision.targetHost,
						redirectReason: decision.reason,
					}),
				};
			}
			target = {
				url: decision.url,
				method: decision.method as IHttpRequestMethods,
				body: decision.keepBody ? target.body : undefined,
			};
		}
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

	private async credentialFacts(): Promise<CredentialFacts> {
		let byType = credentialFactsCache.get(this.ctx);
		if (!byType) {
			byType = new Map();
			credentialFactsCache.set(this.ctx, byType);
		}
		let facts = byType.get(this.credentialType);
		if (!facts) {
			facts = this.ctx
				.getCredentials(this.credentialType)
				.then((data) => factsOf(data, this.profile))
				// Unreadable credentials fail in n8n's own helper, with n8n's message.
				.catch(() => ({ secrets: [], baseUrl: this.profile.defaultBaseUrl }));
			byType.set(this.credentialType, facts);
		}
		return await facts;
	}
}

function secretsOf(data: Record<string, unknown>): string[] {
	return Object.entries(data)
		.filter(([field, value]) => !PUBLIC_CREDENTIAL_FIELDS.has(field) && typeof value === 'string' && value.trim() !== '')
		.map(([, value]) => (value as string).trim());
}

function factsOf(data: Record<string, unknown>, profile: ProviderErrorProfile): CredentialFacts {
	const secrets = secretsOf(data);
	const { url: baseUrl, problem } = readBaseUrl(data as ICredentialDataDecryptedObject, profile.defaultBaseUrl);
	return {
		secrets,
		baseUrl,
		...(problem !== undefined
			? { baseUrlProblem: redactSecrets(`The ${profile.credentialDisplayName} credential's Base URL ${problem}`, secrets) }
			: {}),
	};
}

/** A body that broke a bound is not retried: a provider that sends 600 MB or stalls once does so again. */
function bodyLimitFailure(problem: BodyProblem, status?: number): RequestFailure {
	return new RequestFailure('bodyLimit', false, { status, bodyProblem: problem });
}

/**
 * Every secret of the credentials the node uses (the values `Transport` redacts), for making text
 * that did not come through a provider call safe to show as well.
 */
export async function credentialSecrets(ctx: HttpContext): Promise<string[]> {
	const types = Object.keys(ctx.getNode().credentials ?? {});
	const secrets = await Promise.all(
		types.map(async (type) => await ctx.getCredentials(type).then(secretsOf, () => [] as string[])),
	);
	return secrets.flat();
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
	return new RequestFailure('network', request.idempotent || neverSent, { code, ...(neverSent ? { neverSent } : {}) });
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

function chunkText(chunk: unknown, decoder: TextDecoder): string {
	if (chunk instanceof Uint8Array) return decoder.decode(chunk, { stream: true });
	return bodyToText(chunk);
}

/**
 * The body as redacted text blocks, each ending at a line end where redacting in parts gives what
 * redacting the whole body gives (`BlockRedactor`). The UTF-8 decoding drops a leading BOM, as n8n's
 * text responses do. A failure of the connection while reading surfaces as `BodyReadError`; a broken
 * bound as the guard's `BodyLimitError`.
 */
async function* redactedBlocks(guard: BodyGuard, secrets: string[]): AsyncGenerator<string> {
	const decoder = new TextDecoder();
	const redactor = new BlockRedactor(secrets, STREAM_BLOCK_CHARS);
	const chunks = guard.chunks();
	for (;;) {
		let next: IteratorResult<unknown> | undefined;
		let readFailure: { error: unknown } | undefined;
		try {
			next = await chunks.next();
		} catch (error) {
			readFailure = { error };
		}
		if (guard.problem !== undefined) throw new BodyLimitError(guard.problem);
		if (readFailure !== undefined || next === undefined) throw new BodyReadError(readFailure?.error);
		if (next.done === true) break;
		const block = redactor.push(chunkText(next.value, decoder));
		if (block !== undefined) yield block;
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

/** The parsed body, or undefined when it is not usable JSON (`describeUnreadableBody` says why). */
function tryParseJson(text: string): unknown {
	const parsed = parseJsonBody(text);
	return parsed.ok ? parsed.value : undefined;
}

function describeUnreadableBody(text: string): string {
	const trimmed = text.trim();
	if (trimmed === '') return 'the body was empty';
	if (/^<(!doctype|html)/i.test(trimmed)) {
		const title = /<title>([^<]*)<\/title>/i.exec(trimmed)?.[1]?.trim();
		return `an HTML page${title ? ` ("${title.slice(0, 100)}")` : ''} came back instead of JSON`;
	}
	const parsed = parseJsonBody(trimmed);
	// Valid JSON that is refused (nested too deep) says so; a syntax error shows where the body starts.
	if (!parsed.ok && /nested/.test(parsed.problem)) return parsed.problem;
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
