/**
 * Exactly one result row per submitted address, whatever the provider sent back: an address it
 * left out (or answered only in a failed-rows download) gets a row marked `unknown`, and a second
 * row for the same address is dropped. Pure, so it is tested on its own.
 */
import { canonicalEmail } from './address';
import type { JobResult } from '../../shared/workflow/output';
import type { NormalizedEmailResult } from '../../shared/model/result';
import type { ProviderName } from '../../shared/model/provider';
import type { RawColumns } from '../../shared/workflow/file-writer';
import type { EmitRow, RowShaper } from '../../shared/workflow/result-stream';

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

/** A downloaded row held until its address's turn comes. */
interface HeldRow {
	jobId: string;
	rawColumns: RawColumns;
	result: NormalizedEmailResult;
}

/**
 * `reconcileResults` for rows that arrive download by download (jobs in the order submitted), for a
 * file written while they arrive: the same rows in the same order, handed on as soon as their turn
 * has come. A row waits only while an address before it in the submitted order has no answer yet and
 * may still get one: with a provider that answers in upload order, nothing waits; an address it left
 * out holds the rows after it until no download can answer it any more (the end of its job's download,
 * or, for a row another job might answer, the end of the last one).
 */
export class ReconcileStream implements RowShaper {
	/** The submitted address whose row is next: job `job`, address `index` of its list. */
	private job = 0;

	private index = 0;

	/** The canonical form of that address (undefined: not yet computed). */
	private key: string | undefined;

	/** Jobs whose download is complete: those before this index. */
	private complete = 0;

	private allComplete = false;

	/** Rows that came before their turn: per address, the first row of each job, in arrival order. */
	private readonly held = new Map<string, HeldRow[]>();

	/**
	 * `isSubmitted(key)`: whether a canonical address was submitted (rows of any other address come
	 * after every submitted one, as `reconcileResults` lists them).
	 */
	constructor(
		private readonly submitted: readonly SubmittedJob[],
		private readonly displayOf: (submitted: string) => string,
		private readonly isSubmitted: (key: string) => boolean,
	) {}

	push(
		job: number,
		results: readonly NormalizedEmailResult[],
		rawColumns: RawColumns,
		emit: EmitRow,
	): void {
		const { jobId } = this.submitted[job];
		for (const result of results) {
			const key = canonicalEmail(result.email);
			// The usual case: the row of the address whose turn it is, from the job it was submitted to.
			if (job === this.job && this.held.size === 0 && key === this.currentKey()) {
				this.hand(emit, { jobId, rawColumns, result });
				continue;
			}
			const rows = this.held.get(key);
			if (rows === undefined) this.held.set(key, [{ jobId, rawColumns, result }]);
			else if (!rows.some((row) => row.jobId === jobId)) rows.push({ jobId, rawColumns, result });
		}
		this.advance(emit);
	}

	jobDone(job: number, emit: EmitRow): void {
		this.complete = Math.max(this.complete, job + 1);
		if (this.complete >= this.submitted.length) this.allComplete = true;
		this.advance(emit);
	}

	end(emit: EmitRow): void {
		this.allComplete = true;
		this.complete = this.submitted.length;
		this.advance(emit);
		// What is left answers no submitted address (a second row of one is dropped).
		for (const [key, rows] of this.held) {
			if (!this.isSubmitted(key)) emit(rows[0].jobId, rows[0].rawColumns, rows[0].result);
		}
		this.held.clear();
	}

	/** Hands on every row whose turn has come and whose answer is settled. */
	private advance(emit: EmitRow): void {
		while (this.job < this.submitted.length) {
			const key = this.currentKey();
			if (key === undefined) continue;
			const rows = this.held.get(key);
			const { jobId } = this.submitted[this.job];
			// A row from the job the address was submitted to wins; once that job's download is
			// complete, the first row of any job; once every download is, the address is missing.
			const row =
				rows?.find((candidate) => candidate.jobId === jobId) ??
				(this.job < this.complete ? rows?.[0] : undefined);
			if (row !== undefined) {
				this.held.delete(key);
				this.hand(emit, row);
			} else if (this.allComplete) {
				const email = this.submitted[this.job].emails[this.index];
				this.next();
				emit(jobId, undefined, missingResult(this.displayOf(email)));
			} else {
				return;
			}
		}
	}

	/** Hands on the row of the current address (as the user wrote it) and moves to the next one. */
	private hand(emit: EmitRow, row: HeldRow): void {
		const display = this.displayOf(this.submitted[this.job].emails[this.index]);
		this.next();
		const result = display === row.result.email ? row.result : { ...row.result, email: display };
		emit(row.jobId, row.rawColumns, result);
	}

	/** The current address's canonical form; undefined (and the pointer moved) past a job's end. */
	private currentKey(): string | undefined {
		if (this.key !== undefined) return this.key;
		const emails = this.submitted[this.job]?.emails;
		if (emails === undefined) return undefined;
		if (this.index >= emails.length) {
			this.job++;
			this.index = 0;
			return undefined;
		}
		this.key = canonicalEmail(emails[this.index]);
		return this.key;
	}

	private next(): void {
		this.index++;
		this.key = undefined;
	}
}
