/** When a failed attempt is tried again: bounded backoff with jitter, honouring Retry-After and the deadline. */
import type { RequestFailure } from './failure';
import type { TransportOptions } from './options';

/** How long to wait before the next try, or undefined to give up now. */
export function retryDelay(
	failure: RequestFailure,
	attempts: number,
	options: Pick<TransportOptions, 'retry' | 'deadline'>,
	/** The provider's first wait after a 429 without Retry-After. */
	rateLimitBaseDelayMs = 0,
): number | undefined {
	const { retry, deadline } = options;
	if (!failure.retryable || attempts >= retry.maxAttempts) return undefined;
	// A provider that let a whole timeout pass once gets one more try, not three: four silent
	// minutes before an error help nobody.
	if (failure.kind === 'timeout' && attempts >= 2) return undefined;
	const retryAfterMs = failure.detail.retryAfterMs;
	if (retryAfterMs !== undefined && retryAfterMs > retry.maxRetryAfterMs) return undefined;
	const base =
		failure.kind === 'rateLimited'
			? Math.max(retry.baseDelayMs, rateLimitBaseDelayMs ?? 0)
			: retry.baseDelayMs;
	const backoff = Math.min(retry.maxDelayMs, base * 2 ** (attempts - 1));
	// Jitter spreads retries of parallel executions so they do not hit the provider in lockstep.
	const jittered = Math.round(backoff / 2 + (Math.random() * backoff) / 2);
	const waitMs = retryAfterMs ?? jittered;
	if (deadline !== undefined && Date.now() + waitMs > deadline) return undefined;
	return waitMs;
}
