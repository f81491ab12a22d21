/**
 * Reading a response body within bounds: a body larger than its route can legitimately be is refused
 * as soon as it passes the limit, and one that stops sending (stalled) or never ends in time is cut
 * off, so a hostile or broken provider cannot hold n8n's memory or an execution hostage. Timers are
 * n8n's `sleep` in a watchdog loop (community nodes may not set their own timers).
 */
import { sleep } from 'n8n-workflow';

export type BodyProblem =
	| { kind: 'tooLarge'; limitBytes: number }
	| { kind: 'stalled'; stallMs: number }
	| { kind: 'tooSlow'; deadlineMs: number };

export interface BodyBounds {
	maxBytes: number;
	/** No byte for this long: stalled. */
	stallMs: number;
	/** Epoch ms by which the whole body must have arrived. */
	deadline: number;
}

/** How often the watchdog looks (at most; a quarter of a shorter stall time), so it trips on time. */
export const WATCH_TICK_MS = 250;

export class BodyGuard {
	private bytes = 0;
	private lastProgress = Date.now();
	private done = false;
	private tripped: BodyProblem | undefined;
	private readonly startedAt = Date.now();

	constructor(
		private readonly body: unknown,
		private readonly bounds: BodyBounds,
	) {
		if (isStream(body)) void this.watch();
	}

	/**
	 * The body's chunks, counted. Once a bound is broken they end early and `problem` says which: the
	 * consumer must check it, or it would take a cut-off body for a whole one. A read failure (the
	 * watchdog's stop included) is passed on as the stream raises it.
	 */
	async *chunks(): AsyncGenerator<unknown> {
		try {
			const iterator = chunksOf(this.body);
			for (;;) {
				const next = await iterator.next();
				if (this.tripped || next.done === true) return;
				this.bytes += chunkSize(next.value);
				if (this.bytes > this.bounds.maxBytes) {
					this.trip({ kind: 'tooLarge', limitBytes: this.bounds.maxBytes });
					return;
				}
				this.lastProgress = Date.now();
				yield next.value;
			}
		} finally {
			this.done = true;
		}
	}

	/** The bound the body broke, if it broke one. */
	get problem(): BodyProblem | undefined {
		return this.tripped;
	}

	/** Stops watching (the consumer is done with the body, read or not). */
	stop(): void {
		this.done = true;
	}

	private trip(problem: BodyProblem): void {
		if (this.tripped) return;
		this.tripped = problem;
		destroyBody(this.body);
		// The stream n8n hands over does not end a read already waiting on it when destroyed; a
		// 'close' does (as "premature close"), and unlike an 'error' it is safe with no listener.
		(this.body as { emit?: (event: string) => boolean }).emit?.('close');
	}

	private async watch(): Promise<void> {
		const tick = Math.max(5, Math.min(WATCH_TICK_MS, Math.floor(this.bounds.stallMs / 4)));
		while (!this.done) {
			await sleep(tick);
			if (this.done) return;
			const now = Date.now();
			if (now - this.lastProgress > this.bounds.stallMs)
				this.trip({ kind: 'stalled', stallMs: this.bounds.stallMs });
			else if (now > this.bounds.deadline)
				this.trip({ kind: 'tooSlow', deadlineMs: this.bounds.deadline - this.startedAt });
			if (this.tripped) return;
		}
	}
}

/** The chunks of a streamed body (a Node stream is async-iterable); a body that is not a stream is one chunk. */
function chunksOf(body: unknown): AsyncIterator<unknown> {
	if (isStream(body)) return (body as AsyncIterable<unknown>)[Symbol.asyncIterator]();
	const whole = [body];
	return (async function* () {
		yield* whole;
	})();
}

export function destroyBody(body: unknown): void {
	const stream = body as { destroyed?: boolean; destroy?: () => void } | null | undefined;
	if (typeof stream?.destroy === 'function' && stream.destroyed !== true) stream.destroy();
}

function isStream(body: unknown): boolean {
	return body !== null && typeof body === 'object' && Symbol.asyncIterator in body;
}

function chunkSize(chunk: unknown): number {
	if (chunk instanceof Uint8Array) return chunk.byteLength;
	if (typeof chunk === 'string') return chunk.length;
	return 0;
}
