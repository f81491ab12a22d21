/**
 * The one place where a multi-job operation accounts for what it created before something failed:
 * the jobs the provider accepted (and may be charging for) are never lost from the error, and the
 * error never suggests running the workflow again, which would create and pay for them a second time.
 */
import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { CreatedJob, ProviderInfo } from '../../shared/model/provider';
import { providerError } from '../../shared/model/errors';

export interface PaidWork {
	/** Jobs the provider accepted, in part order. */
	created: CreatedJob[];
	/** Parts (1-based) in all. */
	parts: number;
	/** Addresses not submitted because of the failure (the parts after the one that failed, and it). */
	unsubmitted: string[];
	/** What was being done when it failed. */
	stage: 'create' | 'wait' | 'results';
}

/** What error items carry beside `error` and `description` (On Error → Continue). */
export const PAID_WORK_KEY = 'paidWork';

/** Job ids listed in a message; the error item holds them all. */
const LISTED_IDS = 20;

/** Advice to send the same thing again: a trailing clause (", then run the workflow again"), or a whole sentence. */
const RETRY_CLAUSE = /,? (?:and )?then (?:run the workflow|try) again(?=\.)/gi;
const RETRY_SENTENCE =
	/[^.]*\b(?:try again|run (?:the|this) workflow again|running this again)\b[^.]*\.\s*/gi;

/**
 * `error` with the paid work in its message and description (and in `context.paidWork`, for the
 * error item). An error before any job was created is returned unchanged: nothing was paid for.
 */
export function withPaidWork(
	error: NodeApiError | NodeOperationError,
	work: PaidWork,
	info: ProviderInfo,
): NodeApiError | NodeOperationError {
	if (work.created.length === 0) return error;
	const provider = info.displayName;
	const ids = work.created.map((job) => job.jobId);
	const listed =
		ids.slice(0, LISTED_IDS).join(', ') +
		(ids.length > LISTED_IDS ? ` and ${ids.length - LISTED_IDS} more` : '');
	const jobs = `${work.created.length} ${provider} job${work.created.length === 1 ? '' : 's'}`;
	// A message that already names every job (a status or results error of one job) stays as it is.
	const head = ids.every((id) => error.message.includes(id))
		? error.message
		: work.stage === 'create'
			? `Created ${work.created.length} of ${work.parts} ${provider} jobs, then the next one failed: ${error.message}`
			: `${jobs} ${work.created.length === 1 ? 'was' : 'were'} created, then ${work.stage === 'wait' ? 'waiting for completion' : 'fetching the results'} failed: ${error.message}`;
	const rest =
		work.unsubmitted.length > 0
			? ` The other ${work.unsubmitted.length} addresses were not submitted: with On Error → Continue, the error item lists them in "${PAID_WORK_KEY}.unsubmittedEmails" to send in a new Create.`
			: '';
	const cause = withoutRetryAdvice(error.description ?? '');
	const description =
		`Job IDs already accepted by ${provider}: ${listed}. Do not run this workflow again as it is: it would create and pay for these jobs a second time. ` +
		`Fetch their results with Get Status and Get Results (or the Bulk Verify Trigger) using these IDs.${rest}` +
		(cause !== '' ? ` What failed: ${cause}` : '');
	const itemIndex = error.context.itemIndex as number | undefined;
	const amended =
		error instanceof NodeApiError
			? providerError(error.node, head, {
					description,
					itemIndex,
					httpCode: error.httpCode ?? undefined,
					details: (error.errorResponse ?? {}) as JsonObject,
				})
			: new NodeOperationError(error.node, head, { description, itemIndex });
	amended.message = head;
	amended.context[PAID_WORK_KEY] = paidWorkJson(work);
	return amended;
}

/**
 * `error` of item `failedItem` with the work this execution did before it (`done`, one line each),
 * which a failed node does not output.
 */
export function withDoneWork<E extends NodeApiError | NodeOperationError>(
	error: E,
	done: string[],
	verb: string,
	failedItem: number,
): E {
	const listed =
		done.slice(0, LISTED_IDS).join('; ') +
		(done.length > LISTED_IDS ? `; and ${done.length - LISTED_IDS} more` : '');
	const cause = withoutRetryAdvice(error.description ?? '');
	error.description =
		`Before this failed, this execution already ${verb}: ${listed}. A failed node outputs none of it, so do not run the workflow again as it is: ` +
		`run it for the items from item ${failedItem} on, or turn on On Error → Continue to keep what succeeded.` +
		(cause !== '' ? ` What failed: ${cause}` : '');
	return error;
}

function withoutRetryAdvice(text: string): string {
	return text
		.replace(RETRY_CLAUSE, '')
		.replace(RETRY_SENTENCE, ' ')
		.replace(/\s{2,}/g, ' ')
		.trim();
}

function paidWorkJson(work: PaidWork): IDataObject {
	return {
		createdJobs: work.created.map((job, index) => ({
			provider: job.provider,
			jobId: job.jobId,
			part: index + 1,
			emailCount: job.emailCount,
			started: job.started,
		})),
		parts: work.parts,
		unsubmittedEmails: work.unsubmitted,
	};
}
