/** What one poll may spend: the provider's per-minute allowance and n8n's time budget for the poll. */

/**
 * Counts every HTTP attempt, retries included, against the per-minute allowance and n8n's time budget
 * for the poll; the transport asks it before retrying, so the allowance is never exceeded.
 */
export class RequestBudget {
	readonly times: number[] = [];

	constructor(
		private readonly allowed: number,
		private readonly deadline: number,
	) {}

	note(): void {
		this.times.push(Date.now());
	}

	callsLeft(): number {
		if (Date.now() >= this.deadline) return 0;
		return Math.max(0, this.allowed - this.times.length);
	}

	hasRoom(calls = 1): boolean {
		return this.callsLeft() >= calls;
	}
}

/** Transport retries inside a poll: few, because every retry spends the provider's per-minute budget. */
export const POLL_RETRY = {
	maxAttempts: 2,
	baseDelayMs: 1_000,
	maxDelayMs: 5_000,
	maxRetryAfterMs: 10_000,
};
