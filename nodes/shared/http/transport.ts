/**
 * The only place HTTP happens. Every provider call goes through `Transport.json` / `Transport.text` /
 * `Transport.streamText` (big downloads read as they arrive):
 * n8n's `httpRequestWithAuthentication` (the credential puts the key where its provider wants it),
 * a timeout, bounded retries with backoff (honouring Retry-After) waited out with n8n's `sleep`,
 * key redaction of every body before it is parsed, zod validation, and provider failures turned into
 * `NodeApiError`s that say what happened and what to do.
 */
import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';

import type { ErrorKind } from '../model/errors';
import { findInCauses } from '../model/errors';
import { redactSecrets } from '../text/redact';
import { BodyGuard, destroyBody } from './body-guard';
import type { TextStream } from './body-stream';
import {
	BodyLimitError,
	BodyReadError,
	readableMaker,
	readWholeText,
	redactedBlocks,
	UnusableBody,
} from './body-stream';
import type { CredentialFacts } from './credential-facts';
import { addressesOf, addressOf, credentialFacts } from './credential-facts';
import type { Outcome, RetriedOutcome } from './failure';
import {
	bodyLimitFailure,
	classifyThrown,
	describeUnreadableBody,
	RequestFailure,
	tryParseJson,
} from './failure';
import type {
	BodySchema,
	HttpContext,
	ProviderErrorProfile,
	TransportOptions,
	TransportRequest,
} from './options';
import { BODY_LIMITS, DEFAULT_TRANSPORT_OPTIONS } from './options';
import { decideRedirect, headerValue, REDIRECT_STATUSES } from './redirects';
import { nodeErrorFor } from './wording';
import { retryDelay } from './retry';
import { failureFor, statusFailure } from './failure';

interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
}

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
		return this.unwrap(
			request,
			await this.withRetries(request, async () => await this.tryJson(request, schema)),
		);
	}

	/** Like `json`, but a provider answer of "unknown job" resolves to undefined instead of failing. */
	async jsonOrNotFound<T>(
		request: TransportRequest,
		schema: BodySchema<T>,
	): Promise<T | undefined> {
		const retried = await this.withRetries(
			request,
			async () => await this.tryJson(request, schema),
		);
		if (!retried.outcome.ok && retried.outcome.failure.kind === 'unknownJob') return undefined;
		return this.unwrap(request, retried);
	}

	/**
	 * Sends the request and reads its text body (CSV downloads) with `read`, which returns the value or
	 * says why the body is unusable (e.g. cut off); an unusable body is retried like a truncated JSON one.
	 */
	async text<T>(
		request: TransportRequest,
		read: (text: string) => { value: T } | { problem: string },
	): Promise<T> {
		return this.unwrap(
			request,
			await this.withRetries(request, async (): Promise<Outcome<T>> => {
				const sent = await this.send(request, request.accept ?? 'text/csv, text/plain, */*');
				if (!sent.ok) return sent;
				const failure = statusFailure(sent.value, request, this.profile);
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
	async streamText<T>(
		request: TransportRequest,
		consume: (stream: TextStream) => Promise<T>,
	): Promise<T> {
		return this.unwrap(
			request,
			await this.withRetries(request, async (): Promise<Outcome<T>> => {
				const sent = await this.call(request, request.accept ?? 'text/csv, text/plain, */*');
				if (!sent.ok) return sent;
				const { status, headers, body } = sent.value;
				const { secrets } = await this.facts();
				if (status >= 400) {
					const read = await this.readText(body, request, BODY_LIMITS.answer);
					if (!read.ok) return read;
					const failure = statusFailure(
						{ status, headers, text: redactSecrets(read.value, secrets) },
						request,
						this.profile,
					);
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
					value = await consume({
						blocks: redactedBlocks(guard, secrets),
						toReadable: readableMaker(body),
					});
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
						failure: new RequestFailure('invalidResponse', request.idempotent, {
							status,
							providerMessage: unusable.problem,
						}),
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
	failure(
		kind: ErrorKind,
		request: TransportRequest,
		providerMessage?: string,
	): NodeApiError | NodeOperationError {
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
		const byStatus = statusFailure(response, request, this.profile, body);
		if (byStatus) return { ok: false, failure: byStatus };
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
			return {
				ok: false,
				failure: failureFor(
					response.status,
					failureMessage,
					response.headers,
					request,
					this.profile,
				),
			};
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
			const waitMs = retryDelay(
				outcome.failure,
				attempts,
				this.options,
				this.profile.rateLimitBaseDelayMs,
			);
			if (waitMs === undefined || this.options.mayRetry?.() === false) return { outcome, attempts };
			this.ctx.logger?.debug(
				`${this.profile.displayName}: retrying "${request.action}" in ${waitMs} ms (attempt ${attempts} of ${retry.maxAttempts} failed: ${outcome.failure.kind})`,
			);
			await sleep(waitMs);
		}
	}

	private async send(request: TransportRequest, accept: string): Promise<Outcome<RawResponse>> {
		const sent = await this.call(request, accept);
		if (!sent.ok) return sent;
		const { status, headers, body } = sent.value;
		const read = await this.readText(body, request, request.maxBodyBytes ?? BODY_LIMITS.answer);
		if (!read.ok) return read;
		const { secrets } = await this.facts();
		return { ok: true, value: { status, headers, text: redactSecrets(read.value, secrets) } };
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
		const facts = await this.facts();
		if (facts.baseUrlProblem !== undefined) {
			return {
				ok: false,
				failure: new RequestFailure('credentialConfig', false, {
					providerMessage: facts.baseUrlProblem,
				}),
			};
		}
		// A route of another host goes out as an absolute URL (n8n then ignores the credential's baseURL).
		const address = addressOf(facts, request);
		let target: {
			url: string;
			method: IHttpRequestMethods;
			qs?: IDataObject;
			body?: IDataObject | FormData;
		} = {
			url: request.host === undefined ? request.url : `${address}${request.url}`,
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
				response = await this.ctx.helpers.httpRequestWithAuthentication.call(
					this.ctx,
					this.credentialType,
					options,
				);
			} catch (error) {
				return { ok: false, failure: classifyThrown(error, request) };
			}
			const headers = response.headers ?? {};
			if (!REDIRECT_STATUSES.has(response.statusCode)) {
				return { ok: true, value: { status: response.statusCode, headers, body: response.body } };
			}
			destroyBody(response.body);
			const sentTo = hop === 0 ? `${address}${request.url}` : target.url;
			const decision = decideRedirect(
				response.statusCode,
				headerValue(headers, 'location'),
				{ method: target.method, url: sentTo, idempotent: request.idempotent, hop },
				addressesOf(facts),
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

	private toNodeError(
		failure: RequestFailure,
		request: TransportRequest,
		attempts: number,
	): NodeApiError | NodeOperationError {
		return nodeErrorFor(this.ctx.getNode(), failure, request, attempts, this.profile, this.options);
	}

	/** A whole body as text, within its size limit, the stall time and the request's timeout. */
	private async readText(
		body: unknown,
		request: TransportRequest,
		maxBytes: number,
	): Promise<Outcome<string>> {
		const deadline = Date.now() + (request.timeoutMs ?? this.options.timeoutMs);
		return await readWholeText(
			body,
			{ maxBytes, stallMs: this.options.stallMs, deadline },
			request,
		);
	}

	private async facts(): Promise<CredentialFacts> {
		return await credentialFacts(this.ctx, this.credentialType, this.profile);
	}
}
