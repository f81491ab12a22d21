/**
 * The error vocabulary the node and the trigger share with the providers: the kinds of provider
 * failure, how one is raised for n8n, and how the kind is read back from an error.
 */
import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

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
	const error = new NodeApiError(
		node,
		{ message, ...options.details, ...(options.httpCode ? { httpCode: options.httpCode } : {}) },
		{
			message,
			description: options.description,
			httpCode: options.httpCode,
			itemIndex: options.itemIndex,
		},
	);
	error.message = message;
	return error;
}

/** The kind of a provider failure raised by the transport (e.g. to tell a rate limit from a bad key). */
export function errorKindOf(error: unknown): ErrorKind | undefined {
	if (!(error instanceof NodeApiError)) return undefined;
	const kind = (error.errorResponse as { kind?: unknown } | undefined)?.kind;
	return typeof kind === 'string' ? (kind as ErrorKind) : undefined;
}

/**
 * Errors keep their class (API or parameter problem) and learn which item they belong to, when one
 * is given; anything else becomes a parameter-side error of the node.
 */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (itemIndex !== undefined) error.context.itemIndex ??= itemIndex;
		return error;
	}
	return new NodeOperationError(node, error as Error, itemIndex !== undefined ? { itemIndex } : {});
}

/** An error and its causes, outermost first (n8n's helpers wrap what a request or a stream threw). */
export function* causeChain(error: unknown): Generator<Record<string, unknown>> {
	let current: unknown = error;
	for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth++) {
		yield current as Record<string, unknown>;
		current = (current as { cause?: unknown }).cause;
	}
}

/** The first error of the given class in an error's cause chain. */
export function findInCauses<E extends Error>(
	error: unknown,
	type: new (...args: never[]) => E,
): E | undefined {
	for (const link of causeChain(error)) if (link instanceof type) return link as E;
	return undefined;
}
