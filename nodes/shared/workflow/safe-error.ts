/**
 * The one place where an error becomes safe to show, for the node and the trigger alike (provider
 * answers are already redacted by the transport; see `safeToShow`).
 */
import type { NodeOperationError } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { redactDeep, redactSecrets } from '../text/redact';
import type { HttpContext } from '../http/options';
import { credentialSecrets } from '../http/credential-facts';

/**
 * The last gate before an error reaches the user, an error item or n8n's log: provider answers are
 * redacted by the transport already, and this also covers errors raised anywhere else (n8n's own
 * helpers, unexpected failures) with every credential secret in every encoding, stack included.
 */
export async function safeToShow<E extends NodeApiError | NodeOperationError>(
	ctx: HttpContext,
	error: E,
): Promise<E> {
	const secrets = await credentialSecrets(ctx);
	if (secrets.length === 0) return error;
	error.message = redactSecrets(error.message, secrets);
	if (typeof error.description === 'string')
		error.description = redactSecrets(error.description, secrets);
	if (error.stack !== undefined) error.stack = redactSecrets(error.stack, secrets);
	if (error.cause instanceof Error) {
		error.cause.message = redactSecrets(error.cause.message, secrets);
		if (error.cause.stack !== undefined)
			error.cause.stack = redactSecrets(error.cause.stack, secrets);
	}
	error.context = redactDeep(error.context, secrets);
	if (error instanceof NodeApiError && error.errorResponse !== undefined)
		error.errorResponse = redactDeep(error.errorResponse, secrets);
	return error;
}
