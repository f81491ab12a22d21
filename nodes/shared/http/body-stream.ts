/**
 * Reading a response body as redacted text: whole (within its bounds), or in blocks as it downloads,
 * and the errors a consumer of the blocks may meet.
 */
import { BlockRedactor } from '../text/redact';
import type { BinarySource, ReadableMaker } from '../model/provider';
import type { BodyBounds, BodyProblem } from './body-guard';
import { BodyGuard, destroyBody } from './body-guard';
import type { Outcome } from './failure';
import { bodyLimitFailure, classifyThrown } from './failure';
import type { TransportRequest } from './options';

/** A response body being read, as `streamText` hands it to its consumer. */
export interface TextStream {
	/** The body as redacted text, in blocks that end at a line end (the last one at the body's end). */
	blocks: AsyncIterable<string>;
	/**
	 * Makes a Node byte stream reading `source`, for n8n's binary helpers; undefined when none can be
	 * made. Community nodes may not import `node:stream`: n8n hands the response body over as a Node
	 * stream, and its class's `from` (that is `Readable.from`) makes one.
	 */
	toReadable?: ReadableMaker;
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
export class BodyLimitError extends Error {
	constructor(readonly problem: BodyProblem) {
		super(`the response body broke a limit: ${problem.kind}`);
		this.name = 'BodyLimitError';
	}
}

/** The connection failed while the body was being read. */
export class BodyReadError extends Error {
	constructor(readonly failure: unknown) {
		super('the response body could not be read');
		this.name = 'BodyReadError';
	}
}

/** Redacted blocks are cut at a line end once this much text is pending. */
const STREAM_BLOCK_CHARS = 64 * 1024;

/** A whole body as text, within its bounds (size limit, stall time, the request's timeout). */
export async function readWholeText(
	body: unknown,
	bounds: BodyBounds,
	request: TransportRequest,
): Promise<Outcome<string>> {
	const guard = new BodyGuard(body, bounds);
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
export async function* redactedBlocks(guard: BodyGuard, secrets: string[]): AsyncGenerator<string> {
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
		if (readFailure !== undefined || next === undefined)
			throw new BodyReadError(readFailure?.error);
		if (next.done === true) break;
		const block = redactor.push(chunkText(next.value, decoder));
		if (block !== undefined) yield block;
	}
	const rest = redactor.push(decoder.decode()) ?? '';
	const last = rest + redactor.end();
	if (last !== '') yield last;
}

export function readableMaker(body: unknown): ReadableMaker | undefined {
	const maker = (body as { constructor?: { from?: unknown } } | null | undefined)?.constructor;
	if (typeof maker?.from !== 'function') return undefined;
	const from = maker.from as (
		source: AsyncIterable<Uint8Array>,
		options: { objectMode: boolean },
	) => BinarySource;
	return (source) => from.call(maker, source, { objectMode: false });
}

function bodyToText(body: unknown): string {
	if (typeof body === 'string') return body;
	if (body === undefined || body === null) return '';
	if (body instanceof Uint8Array) return new TextDecoder().decode(body);
	return JSON.stringify(body);
}
