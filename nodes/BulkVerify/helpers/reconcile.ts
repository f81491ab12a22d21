/**
 * Exactly one result row per submitted address, whatever the provider sent back: an address it
 * left out (or answered only in a failed-rows download) gets a row marked `unknown`, and a second
 * row for the same address is dropped. Pure, so it is tested on its own.
 */
import { canonicalEmail } from './address';
import type { JobResult } from '../../shared/workflow/output';
import type { NormalizedEmailResult } from '../../shared/model/result';
import type { ProviderName } from '../../shared/model/provider';

export interface SubmittedJob {
	jobId: string;
	/** The addresses as they were sent, in upload order. */
	emails: readonly string[];
}

/** A result row and the address it answers, as it was submitted (for pairing with input items). */
export type ReconciledRow = JobResult & { submittedEmail?: string };

/** The provider status token of a row the provider did not send. */
export const MISSING_STATUS = 'missing_from_results';

/**
 * Rows in submitted order, one per submitted address; rows that match no submitted address (the
 * provider wrote it differently) are kept after them, since they are still paid-for answers.
 * `displayOf` gives the address as the user wrote it (an IDN domain is submitted as punycode).
 */
export function reconcileResults(
	rows: readonly JobResult[],
	submitted: readonly SubmittedJob[],
	provider: ProviderName,
	displayOf: (submitted: string) => string = (email) => email,
): ReconciledRow[] {
	const byAddress = new Map<string, JobResult[]>();
	for (const row of rows) {
		const key = canonicalEmail(row.result.email);
		const same = byAddress.get(key);
		if (same) same.push(row);
		else byAddress.set(key, [row]);
	}
	const answered = new Set<string>();
	const reconciled: ReconciledRow[] = [];
	for (const job of submitted) {
		for (const email of job.emails) {
			const key = canonicalEmail(email);
			if (answered.has(key)) continue;
			answered.add(key);
			const candidates = byAddress.get(key);
			const row = candidates?.find((candidate) => candidate.jobId === job.jobId) ?? candidates?.[0];
			const display = displayOf(email);
			const result =
				row === undefined
					? missingResult(display)
					: display === row.result.email
						? row.result
						: { ...row.result, email: display };
			reconciled.push({ provider, jobId: row?.jobId ?? job.jobId, result, submittedEmail: email });
		}
	}
	for (const [key, candidates] of byAddress) if (!answered.has(key)) reconciled.push(candidates[0]);
	return reconciled;
}

function missingResult(email: string): NormalizedEmailResult {
	return {
		email,
		verdict: 'unknown',
		reason: 'processing_failed',
		providerStatus: MISSING_STATUS,
		providerReason: 'the provider returned no result for this submitted address',
		flags: {},
		raw: null,
	};
}
