/**
 * SimpleCold → normalized job and results (docs/provider-apis.md §3.3, §3.4 and the §6 mapping tables). Only
 * `ok` and `invalid` are known per-email statuses; any other goes through the shared rule (§8), its token kept raw.
 */
import { ACCEPTED, undeliverable, type Outcome } from '../../model/verdict-rules';
import {
	categoryOf,
	categoryOutcome,
	failureReasonOf,
	withCategoryFlag,
	type Category,
} from '../../model/vocabulary';
import { makeNormalizedJob } from '../../model/job';
import { makeNormalizedResult } from '../../model/result';
import { scalarText, toIsoDate, verdictToken } from '../../model/values';
import type { JobState, NormalizedJob } from '../../model/job';
import type { NormalizedEmailResult } from '../../model/result';
import {
	simplecoldColumnsSchema,
	type SimplecoldColumns,
	type SimplecoldResult,
	type SimplecoldStatus,
	type SimplecoldUpload,
} from './schemas';

const JOB_STATES = new Map<string, JobState>([
	['queue', 'queued'],
	['in_progress', 'processing'],
	['completed', 'completed'],
	['failed', 'failed'],
	// Still running until the cancellation lands (§6.1); `cancelRequested` tells it apart.
	['canceling', 'processing'],
	['canceled', 'cancelled'],
]);

interface SimplecoldJobContext {
	/** The id the status was asked for; used when the payload omits `id`. */
	jobId: string;
}

/** Progress is not derived while running: `totalValidEmails` may not count processed rows (§3.2.5). */
export function normalizeSimplecoldJob(
	body: SimplecoldStatus,
	context: SimplecoldJobContext,
): NormalizedJob {
	const job = body.payload;
	const token = verdictToken(job.status);
	return makeNormalizedJob({
		provider: 'simplecold',
		jobId: job.id ?? context.jobId,
		state: JOB_STATES.get(token) ?? 'unknown',
		cancelRequested: token === 'canceling',
		total: job.totalEmails,
		creditsUsed: job.totalCreditsUsed,
		createdAt: toIsoDate(job.createdAt),
		updatedAt: toIsoDate(job.updatedAt),
		rawStatus: job.status,
		raw: body,
	});
}

/** The job id of an upload answer (`payload.id`, else `jobId`, else `_id`; §3.2.4). */
export function simplecoldUploadedJobId(body: SimplecoldUpload): string {
	const { id, jobId, _id } = body.payload;
	// simplecoldUploadSchema refuses a payload without any of the three.
	return (id ?? jobId ?? _id) as string;
}

/**
 * `ok` and `invalid` are the documented statuses (§3.4); any other goes through the shared rule (§8).
 * failType's vocabulary is unknown beyond `none`: one that names syntax or a spam trap says why an
 * address is invalid, any other leaves the INFERRED mailbox_not_found (§6.2).
 */
function namedCategory(token: string, failType: string | undefined): Category | undefined {
	if (token === 'ok') return undefined;
	return token === 'invalid' ? failureReasonOf(failType) : categoryOf(token);
}

function simplecoldOutcome(token: string, category: Category | undefined): Outcome {
	switch (token) {
		case 'ok':
			return ACCEPTED;
		case 'invalid':
			return undeliverable(category ?? 'mailbox_not_found');
		default:
			return categoryOutcome(category);
	}
}

/** `failType` (unless `none`) and `statusMessage`, joined: both explain the status (§6.2). */
function providerReason(
	failType: string | undefined,
	statusMessage: string | undefined,
): string | undefined {
	const parts = [
		failType === undefined || verdictToken(failType) === 'none' ? undefined : failType,
		statusMessage,
	];
	const reason = parts.filter((part) => part !== undefined).join(': ');
	return reason === '' ? undefined : reason;
}

/** One result row (CSV record or JSON object), fields found by name; the user's own columns land in `extra`. */
export function normalizeSimplecoldRow(
	row: Record<string, unknown>,
	csv: SimplecoldColumns,
): NormalizedEmailResult {
	const { columns } = csv;
	const field = (column: string | undefined): string | undefined =>
		column === undefined ? undefined : scalarText(row[column]);
	const status = field(columns.status) ?? '';
	const failType = field(columns.failType);
	const mxLocation = columns.mxLocation === undefined ? undefined : row[columns.mxLocation];
	const extra: Record<string, unknown> = {};
	for (const column of csv.extra) if (column in row) extra[column] = row[column];
	const token = verdictToken(status);
	const category = namedCategory(token, failType);
	return makeNormalizedResult({
		email: field(columns.email) ?? '',
		outcome: simplecoldOutcome(token, category),
		providerStatus: status,
		providerReason: providerReason(failType, field(columns.statusMessage)),
		// An empty MX location reads as "no MX" (INFERRED, §6.2); an absent or null one as not reported.
		flags: withCategoryFlag(
			{
				hasMx:
					mxLocation === undefined || mxLocation === null
						? undefined
						: scalarText(mxLocation) !== undefined,
			},
			category,
		),
		extra,
		raw: row,
	});
}

/** The single payload, its fields found by their own names. */
export function normalizeSimplecoldResult(result: SimplecoldResult): NormalizedEmailResult {
	return normalizeSimplecoldRow(result, simplecoldColumnsSchema.parse(Object.keys(result)));
}
