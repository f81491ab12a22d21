/**
 * A failed attempt as a value: its kind, whether it may be retried, and what is known of it; and how
 * a thrown error, an HTTP status or an unreadable body becomes one.
 */
import type { ErrorKind } from '../model/errors';
import { causeChain } from '../model/errors';
import { parseJsonBody } from '../text/json-body';
import type { BodyProblem } from './body-guard';
import type { ProviderErrorProfile, TransportRequest } from './options';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

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
const TIMEOUT_ERROR_CODES = new Set([
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'ERR_CANCELED',
]);
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
export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: RequestFailure };

export interface RetriedOutcome<T> {
	outcome: Outcome<T>;
	attempts: number;
}

/** A body that broke a bound is not retried: a provider that sends 600 MB or stalls once does so again. */
export function bodyLimitFailure(problem: BodyProblem, status?: number): RequestFailure {
	return new RequestFailure('bodyLimit', false, { status, bodyProblem: problem });
}

export function classifyThrown(error: unknown, request: TransportRequest): RequestFailure {
	const configProblem = findUserError(error);
	if (configProblem) {
		return new RequestFailure('credentialConfig', false, {
			providerMessage: configProblem.message,
		});
	}
	const code = findErrorCode(error);
	if (code !== undefined && TIMEOUT_ERROR_CODES.has(code)) {
		return new RequestFailure('timeout', request.idempotent, { code });
	}
	const neverSent = code !== undefined && NOT_SENT_ERROR_CODES.has(code);
	return new RequestFailure('network', request.idempotent || neverSent, {
		code,
		...(neverSent ? { neverSent } : {}),
	});
}

export function kindForStatus(status: number): ErrorKind {
	if (status === 401) return 'auth';
	if (status === 402) return 'credits';
	if (status === 404 || status === 422) return 'unknownJob';
	if (status === 429) return 'rateLimited';
	if (status >= 500) return 'server';
	return 'badRequest';
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(
	header: string | string[] | undefined,
	now = Date.now(),
): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (value === undefined || value.trim() === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value.trim()) * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The parsed body, or undefined when it is not usable JSON (`describeUnreadableBody` says why). */
export function tryParseJson(text: string): unknown {
	const parsed = parseJsonBody(text);
	return parsed.ok ? parsed.value : undefined;
}

export function describeUnreadableBody(text: string): string {
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

function findErrorCode(error: unknown): string | undefined {
	for (const link of causeChain(error)) {
		const code = link.code;
		if (
			typeof code === 'string' &&
			(NETWORK_ERROR_CODES.has(code) || TIMEOUT_ERROR_CODES.has(code))
		) {
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

/** The failure an HTTP error status stands for, or undefined for a success status. */
export function statusFailure(
	response: { status: number; headers: ResponseHeaders; text: string },
	request: TransportRequest,
	profile: ProviderErrorProfile,
	parsedBody: unknown = tryParseJson(response.text),
): RequestFailure | undefined {
	if (response.status < 400) return undefined;
	const providerMessage =
		(parsedBody !== undefined ? profile.extractErrorMessage(parsedBody) : undefined) ??
		describeUnreadableBody(response.text);
	return failureFor(response.status, providerMessage, response.headers, request, profile);
}

/** The failure an error status (or a 200 that reports failure) stands for. */
export function failureFor(
	status: number,
	providerMessage: string | undefined,
	headers: ResponseHeaders,
	request: TransportRequest,
	profile: ProviderErrorProfile,
): RequestFailure {
	const kind = profile.classifyError?.(status, providerMessage, request) ?? kindForStatus(status);
	// A 429 means the provider did nothing; a 5xx on a write may have half-happened.
	const retryable = kind === 'rateLimited' || (kind === 'server' && request.idempotent);
	return new RequestFailure(kind, retryable, {
		status,
		providerMessage,
		retryAfterMs: kind === 'rateLimited' ? parseRetryAfter(headers['retry-after']) : undefined,
	});
}
