/**
 * What a request through the transport is and may take: the request, the retry policy and bounds, and
 * what a provider adapter tells the transport about its API's errors.
 */
import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	ILoadOptionsFunctions,
	IPollFunctions,
} from 'n8n-workflow';

import type { ErrorKind } from '../model/errors';

/** One reason a body was refused: where (the path of keys) and why. */
export interface BodyIssue {
	path: Array<string | number>;
	message: string;
}

/** What `Transport.json` needs of a schema: zod schemas and those of `schema/lean.ts` both fit. */
export interface BodySchema<T> {
	safeParse(
		data: unknown,
	): { success: true; data: T } | { success: false; error: { issues: BodyIssue[] } };
}

export type HttpContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

/** What a provider adapter tells the transport about its API's errors. */
export interface ProviderErrorProfile {
	displayName: string;
	credentialDisplayName: string;
	/** The credential's Base URL when its field is empty. */
	defaultBaseUrl: string;
	/**
	 * Other hosts the same credential's key is meant for, by name, each with its address while the
	 * Base URL is the default (WhoisXML's account balance lives on its user service). The Base URL
	 * steers them: with any other Base URL (a proxy, the simulators) their requests go to that Base URL
	 * too. Requests name one in `TransportRequest.host`; besides the Base URL, these are the only
	 * origins the credential's requests go to, redirects included.
	 */
	otherHosts?: Readonly<Record<string, string>>;
	/** Reads the provider's own error envelope (docs/provider-apis.md §5.9). */
	extractErrorMessage(body: unknown): string | undefined;
	/** Provider-specific classification (e.g. Bouncify's 400 "Job not found"); undefined = by status. */
	classifyError?(
		status: number,
		providerMessage: string | undefined,
		request: TransportRequest,
	): ErrorKind | undefined;
	/** Some APIs answer 200 with `success: false`: return the error message for such a body. */
	failureInSuccessBody?(body: unknown): string | undefined;
	/** What else a job must be before this provider allows an action ("not ready" errors), if anything. */
	notReadyAdvice?: string;
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

export const DEFAULT_TRANSPORT_OPTIONS: TransportOptions = {
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
	/** Path relative to the credential's base URL (or to `host`'s address). */
	url: string;
	/** One of the profile's `otherHosts`, for a route served there instead of at the Base URL. */
	host?: string;
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
