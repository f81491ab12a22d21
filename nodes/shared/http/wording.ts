/**
 * The words of the transport's errors: what happened and what to do, per kind of failure. A write
 * that may have reached the provider is never followed by advice to send it again unchecked.
 */
import type { INode } from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { providerError } from '../model/errors';
import type { BodyProblem } from './body-guard';
import type { FailureDetail, RequestFailure } from './failure';
import type { ProviderErrorProfile, TransportOptions, TransportRequest } from './options';

/** The n8n error a failure becomes: a parameter problem for an unusable credential, else a provider error. */
export function nodeErrorFor(
	node: INode,
	failure: RequestFailure,
	request: TransportRequest,
	attempts: number,
	profile: ProviderErrorProfile,
	options: TransportOptions,
): NodeApiError | NodeOperationError {
	const { message, description } = explain(failure, request, attempts, profile, options);
	if (failure.kind === 'credentialConfig') {
		return new NodeOperationError(node, message, {
			description,
			itemIndex: options.itemIndex,
		});
	}
	return providerError(node, message, {
		description,
		itemIndex: options.itemIndex,
		httpCode: failure.detail.status !== undefined ? String(failure.detail.status) : undefined,
		details: {
			kind: failure.kind,
			...(failure.detail.providerMessage !== undefined
				? { providerMessage: failure.detail.providerMessage }
				: {}),
			...(failure.detail.code !== undefined ? { errorCode: failure.detail.code } : {}),
		},
	});
}

export function explain(
	failure: RequestFailure,
	request: TransportRequest,
	attempts: number,
	profile: ProviderErrorProfile,
	options: TransportOptions,
): { message: string; description: string } {
	const provider = profile.displayName;
	const { status, providerMessage, code, retryAfterMs } = failure.detail;
	const said = providerMessage ? ` ${provider} said: "${providerMessage}".` : '';
	const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
	switch (failure.kind) {
		case 'auth':
			return {
				message: `${provider} rejected the API key (HTTP ${status}) while trying to ${request.action}`,
				description: `Open the ${profile.credentialDisplayName} credential, paste the key again from your ${provider} account and check that it is active.${said}`,
			};
		case 'credits':
			return {
				message: `${provider} says the account has run out of verification credits (HTTP ${status})`,
				description: `Buy more credits or upgrade your ${provider} plan, then run the workflow again.${said}`,
			};
		case 'unknownJob':
			return {
				message: `${provider} does not know the job ${request.jobId !== undefined ? `"${request.jobId}"` : 'that was asked for'}`,
				description: `Check the job ID: it must come from a job created with this ${provider} account (results may also have expired).${said}`,
			};
		case 'notReady':
			return {
				message: `${provider} cannot ${request.action} yet: the job is not ready for it`,
				description: `Check the job's status and try again once it allows this: results need a completed job (use "Wait for Completion" or the Bulk Verify Trigger).${profile.notReadyAdvice !== undefined ? ` ${profile.notReadyAdvice}` : ''}${said}`,
			};
		case 'rateLimited':
			return {
				message: `${provider} is rate-limiting requests${tries}${retryAfterMs !== undefined && retryAfterMs > options.retry.maxRetryAfterMs ? ` and asked to wait ${Math.ceil(retryAfterMs / 1000)} s` : ''}`,
				description: `${profile.rateLimitAdvice}${said}`,
			};
		case 'badRequest':
			return {
				message: `${provider} refused the request to ${request.action} (HTTP ${status})${providerMessage ? `: ${providerMessage}` : ''}`,
				description: `Check the node's parameters for this operation.${said}`,
			};
		case 'server':
			return {
				message: `${provider} failed to ${request.action} (HTTP ${status})${tries}`,
				description: `${mayHaveHappened(request, provider)}The provider's service is having problems.${request.idempotent ? ` Try again in a few minutes; if it persists, check ${provider}'s status page.` : ''}${said}`,
			};
		case 'timeout':
			return {
				message: `${provider} did not answer in time while trying to ${request.action}${tries}`,
				description: `${mayHaveHappened(request, provider)}The request timed out${code ? ` (${code})` : ''}.${request.idempotent ? ' Try again later; for large lists prefer the Bulk Verify Trigger over waiting inside one execution.' : ''}`,
			};
		case 'network':
			return {
				message: `Could not reach ${provider} to ${request.action}${tries}`,
				description: `${failure.detail.neverSent === true ? '' : mayHaveHappened(request, provider)}The connection failed${code ? ` (${code})` : ''}. Check the Base URL in the ${profile.credentialDisplayName} credential and that n8n can reach the internet.`,
			};
		case 'credentialConfig':
			return {
				message:
					providerMessage ?? `The ${profile.credentialDisplayName} credential cannot be used`,
				description: `Open the ${profile.credentialDisplayName} credential and fix its Base URL.`,
			};
		case 'redirected':
			return explainRedirect(failure.detail, request, provider, profile);
		case 'bodyLimit':
			return explainBodyLimit(failure.detail.bodyProblem, request, provider);
		case 'invalidResponse':
			return {
				message: `${provider} sent a response that could not be read while trying to ${request.action}${tries}`,
				description: `${mayHaveHappened(request, provider)}Usually a temporary problem at ${provider} or at a proxy between n8n and it${request.idempotent ? ': try again later' : ''}. Details: ${providerMessage ?? 'empty body'}.`,
			};
	}
}

function explainRedirect(
	detail: FailureDetail,
	request: TransportRequest,
	provider: string,
	profile: ProviderErrorProfile,
): { message: string; description: string } {
	const { status, targetHost, redirectReason } = detail;
	const where = targetHost !== undefined ? ` to ${targetHost}` : '';
	// 307/308 mean the provider did not act on the request; after 301/302/303 a write may have happened.
	const maybe = status === 307 || status === 308 ? '' : mayHaveHappened(request, provider);
	const nothingSent = `Nothing was sent${where}: the API key goes only to the credential's Base URL.`;
	switch (redirectReason) {
		case 'crossOrigin':
			return {
				message: `${provider} redirected the request to ${request.action}${where} (HTTP ${status}), another address than the credential's Base URL, so it was not followed`,
				description: `${maybe}${nothingSent} If ${provider} really moved, set the Base URL in the ${profile.credentialDisplayName} credential to the new address; a proxy in between may also be redirecting.`,
			};
		case 'paidCall':
			return {
				message: `${provider} redirected the request to ${request.action} (HTTP ${status}); it was not sent again, because it may spend credits`,
				description: `${maybe}Set the Base URL in the ${profile.credentialDisplayName} credential to the address ${provider} redirects to${where}, so no redirect is needed.`,
			};
		default:
			return {
				message: `${provider} answered the request to ${request.action} with a redirect that cannot be followed (HTTP ${status})`,
				description: `${maybe}${redirectReason === 'tooMany' ? 'It kept redirecting. ' : redirectReason === 'noLocation' ? 'The redirect named no valid address. ' : 'Following it would have changed the request. '}Check the Base URL in the ${profile.credentialDisplayName} credential.`,
			};
	}
}

function explainBodyLimit(
	problem: BodyProblem | undefined,
	request: TransportRequest,
	provider: string,
): { message: string; description: string } {
	const maybe = mayHaveHappened(request, provider);
	switch (problem?.kind) {
		case 'tooLarge':
			return {
				message: `${provider} sent more than ${formatBytes(problem.limitBytes)} in answer to the request to ${request.action}, more than any real answer to it, so the answer was refused`,
				description: `${maybe}This protects n8n's memory from a broken provider or proxy. If it keeps happening, check the Base URL (a proxy may be answering instead of ${provider}) or contact ${provider}.`,
			};
		case 'stalled':
			return {
				message: `${provider} stalled: it stopped sending its answer for ${Math.round(problem.stallMs / 1000)} s while trying to ${request.action}`,
				description: `${maybe}The connection was closed so the workflow does not hang. Try again later; if it keeps happening, ${provider} or a proxy in between is having problems.`,
			};
		default:
			return {
				message: `${provider} did not finish sending its answer in time while trying to ${request.action}`,
				description: `${maybe}The answer arrived too slowly and was cut off after ${Math.round((problem?.deadlineMs ?? 0) / 1000)} s. Try again later; for large lists prefer the Bulk Verify Trigger over waiting inside one execution.`,
			};
	}
}

function formatBytes(bytes: number): string {
	return bytes >= 1024 * 1024 * 1024
		? `${bytes / (1024 * 1024 * 1024)} GB`
		: `${Math.round(bytes / (1024 * 1024))} MB`;
}

/** For a write that failed after it may have reached the provider: a retry could pay twice. */
function mayHaveHappened(request: TransportRequest, provider: string): string {
	if (request.idempotent) return '';
	return `The request may have reached ${provider} before it failed, so it was not sent again: check your ${provider} account for a new job (or a spent credit). Send it again only if there is none (a job that exists can be read by its ID with Get Status and Get Results). `;
}
