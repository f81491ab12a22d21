// Tests nodes/BulkVerify/helpers/reconcile.ts.
import type { JobResult } from '../../../../nodes/shared/workflow/output';
import type { SubmittedJob } from '../../../../nodes/BulkVerify/helpers/reconcile';
import {
	MISSING_STATUS,
	ReconcileStream,
	reconcileResults,
} from '../../../../nodes/BulkVerify/helpers/reconcile';
import { canonicalEmail } from '../../../../nodes/BulkVerify/helpers/address';
import type { NormalizedEmailResult } from '../../../../nodes/shared/model/result';
import { pick, random } from '../../../support/random';

function row(
	email: string,
	jobId = 'j1',
	verdict: JobResult['result']['verdict'] = 'deliverable',
): JobResult {
	return {
		provider: 'whoisxml',
		jobId,
		result: { email, verdict, providerStatus: verdict, flags: {}, raw: { email } },
	};
}

describe('reconcileResults', () => {
	it('gives every submitted address exactly one row, in submitted order', () => {
		const rows = [row('b@x.io'), row('a@x.io'), row('B@X.IO', 'j1', 'undeliverable')];
		const out = reconcileResults(
			rows,
			[{ jobId: 'j1', emails: ['a@x.io', 'b@x.io', 'c@x.io'] }],
			'whoisxml',
		);
		expect(
			out.map((entry) => [entry.result.email, entry.result.verdict, entry.result.providerStatus]),
		).toEqual([
			['a@x.io', 'deliverable', 'deliverable'],
			['b@x.io', 'deliverable', 'deliverable'],
			['c@x.io', 'unknown', MISSING_STATUS],
		]);
		expect(out[2]).toMatchObject({
			jobId: 'j1',
			submittedEmail: 'c@x.io',
			result: { reason: 'processing_failed', raw: null },
		});
	});

	it('matches rows to the job they were submitted in, and keeps rows that answer no submitted address', () => {
		const rows = [
			row('a@x.io', 'j2', 'risky'),
			row('a@x.io', 'j1', 'undeliverable'),
			row('stranger@x.io', 'j2'),
		];
		const out = reconcileResults(
			rows,
			[
				{ jobId: 'j1', emails: ['a@x.io'] },
				{ jobId: 'j2', emails: ['b@x.io'] },
			],
			'whoisxml',
		);
		expect(out.map((entry) => [entry.jobId, entry.result.email, entry.result.verdict])).toEqual([
			['j1', 'a@x.io', 'undeliverable'],
			['j2', 'b@x.io', 'unknown'],
			['j2', 'stranger@x.io', 'deliverable'],
		]);
	});

	it('shows the address as the user wrote it while pairing by the submitted form', () => {
		const out = reconcileResults(
			[row('jose@xn--mnchen-3ya.de')],
			[{ jobId: 'j1', emails: ['jose@xn--mnchen-3ya.de'] }],
			'whoisxml',
			(email) => (email === 'jose@xn--mnchen-3ya.de' ? 'jose@münchen.de' : email),
		);
		expect(out).toHaveLength(1);
		expect(out[0].result.email).toBe('jose@münchen.de');
		expect(out[0].submittedEmail).toBe('jose@xn--mnchen-3ya.de');
		expect(out[0].result.raw).toEqual({ email: 'jose@xn--mnchen-3ya.de' });
	});

	it('answers an empty download with one unknown row per address', () => {
		const out = reconcileResults([], [{ jobId: 'j1', emails: ['a@x.io', 'b@x.io'] }], 'bouncify');
		expect(out.map((entry) => entry.result.providerStatus)).toEqual([
			MISSING_STATUS,
			MISSING_STATUS,
		]);
		expect(out.every((entry) => entry.provider === 'bouncify')).toBe(true);
	});
});

/** What `ReconcileStream` hands on for downloads given a batch at a time, job after job. */
function streamed(
	downloads: JobResult[][],
	submitted: SubmittedJob[],
	displayOf: (email: string) => string = (email) => email,
	batchSize = 3,
): Array<[string, NormalizedEmailResult]> {
	const keys = new Set(submitted.flatMap((job) => job.emails.map(canonicalEmail)));
	const stream = new ReconcileStream(submitted, displayOf, (key) => keys.has(key));
	const rows: Array<[string, NormalizedEmailResult]> = [];
	const emit = (jobId: string, _columns: unknown, result: NormalizedEmailResult) =>
		rows.push([jobId, result]);
	downloads.forEach((download, job) => {
		for (let from = 0; from < download.length; from += batchSize) {
			stream.push(
				job,
				download.slice(from, from + batchSize).map((entry) => entry.result),
				[],
				emit,
			);
		}
		stream.jobDone(job, emit);
	});
	stream.end(emit);
	return rows;
}

describe('ReconcileStream', () => {
	it('hands on what reconcileResults gives, whatever the downloads hold (seeded cases)', () => {
		for (let seed = 1; seed <= 300; seed++) {
			const next = random(seed);
			const jobs = 1 + Math.floor(next() * 3);
			const submitted: SubmittedJob[] = [];
			let counter = 0;
			for (let job = 0; job < jobs; job++) {
				const emails = Array.from(
					{ length: Math.floor(next() * 8) },
					() => `Lead${counter++}@X.io`,
				);
				submitted.push({ jobId: `j${job + 1}`, emails });
			}
			const all = submitted.flatMap((job) => job.emails);
			const downloads = submitted.map((job) => {
				const rows: JobResult[] = [];
				for (const email of job.emails) {
					const fate = next();
					if (fate < 0.1) continue; // left out
					const spelled = fate < 0.3 ? email.toLowerCase() : email;
					rows.push(row(spelled, job.jobId, pick(next, ['deliverable', 'risky'] as const)));
					if (fate > 0.9) rows.push(row(email, job.jobId, 'undeliverable')); // a second row
				}
				// Some rows of another job's address, and of no submitted address.
				if (next() < 0.3 && all.length > 0) rows.push(row(pick(next, all), job.jobId, 'unknown'));
				if (next() < 0.2) rows.push(row(`stranger${seed}@x.io`, job.jobId));
				// Mostly in upload order; sometimes shuffled.
				if (next() < 0.3) rows.sort(() => next() - 0.5);
				return rows;
			});
			const displayOf = (email: string) =>
				email.endsWith('3@X.io') ? `${email} (as typed)` : email;
			const expected = reconcileResults(downloads.flat(), submitted, 'whoisxml', displayOf).map(
				(entry) => [entry.jobId, entry.result],
			);
			const batch = 1 + Math.floor(next() * 4);
			expect([seed, streamed(downloads, submitted, displayOf, batch)]).toEqual([seed, expected]);
		}
	});

	it('holds nothing back while the provider answers in upload order', () => {
		const emails = Array.from({ length: 1000 }, (_, index) => `lead${index}@x.io`);
		const submitted = [
			{ jobId: 'j1', emails: emails.slice(0, 500) },
			{ jobId: 'j2', emails: emails.slice(500) },
		];
		const keys = new Set(emails);
		const stream = new ReconcileStream(
			submitted,
			(email) => email,
			(key) => keys.has(key),
		);
		let handed = 0;
		const emit = () => handed++;
		for (const [job, { jobId, emails: list }] of submitted.entries()) {
			for (let from = 0; from < list.length; from += 50) {
				stream.push(
					job,
					list.slice(from, from + 50).map((email) => row(email, jobId).result),
					[],
					emit,
				);
				// Every row of the batch is handed on at once.
				expect(handed).toBe(job * 500 + from + 50);
			}
			stream.jobDone(job, emit);
		}
		stream.end(emit);
		expect(handed).toBe(1000);
	});

	it('an address left out holds the rows after it until no download can answer it, then is missing', () => {
		const submitted = [{ jobId: 'j1', emails: ['a@x.io', 'b@x.io', 'c@x.io'] }];
		const stream = new ReconcileStream(
			submitted,
			(email) => email,
			(key) => ['a@x.io', 'b@x.io', 'c@x.io'].includes(key),
		);
		const handed: string[] = [];
		const emit = (_jobId: string, _columns: unknown, result: NormalizedEmailResult) =>
			handed.push(`${result.email} ${result.providerStatus}`);
		stream.push(0, [row('b@x.io').result, row('c@x.io').result], [], emit);
		expect(handed).toEqual([]);
		// The last download is complete: nothing else can answer a@x.io.
		stream.jobDone(0, emit);
		expect(handed).toEqual([
			`a@x.io ${MISSING_STATUS}`,
			'b@x.io deliverable',
			'c@x.io deliverable',
		]);
		stream.end(emit);
		expect(handed).toHaveLength(3);
	});
});
