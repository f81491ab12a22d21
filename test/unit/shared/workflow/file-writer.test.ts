// Tests nodes/shared/workflow/file-writer.ts.
import { rawColumnsOf } from '../../../../nodes/shared/csv/result-file';
import type { NormalizedEmailResult, Verdict } from '../../../../nodes/shared/model/result';
import {
	ResultFileWriter,
	resultFileBytes,
	resultFileName,
} from '../../../../nodes/shared/workflow/file-writer';
import type { FileLayout } from '../../../../nodes/shared/workflow/file-writer';
import type { JobResult } from '../../../../nodes/shared/workflow/output';
import {
	keepVerdicts,
	resultsToCsv,
	verdictFilter,
} from '../../../../nodes/shared/workflow/output';

function result(
	email: string,
	verdict: Verdict,
	raw: Record<string, string> | null,
): NormalizedEmailResult {
	return { email, verdict, providerStatus: verdict, flags: { role: false }, raw };
}

/** A job's download: every row with the same raw columns (as a CSV download has). */
function download(jobId: string, columns: string[], verdicts: Verdict[]): JobResult[] {
	return verdicts.map((verdict, index) => {
		const email = `${jobId}.${index}@x.io`;
		const raw = Object.fromEntries(columns.map((column) => [column, `${column}:${email}`]));
		return { provider: 'bouncify', jobId, result: result(email, verdict, raw) };
	});
}

/** Writes `jobs` through a writer as a streamed file is written; returns it and its bytes. */
function write(
	jobs: JobResult[][],
	options: { verdicts?: Verdict[]; nameFromJobIds?: boolean; layout?: FileLayout } = {},
) {
	const writer = new ResultFileWriter(
		'bouncify',
		verdictFilter(options.verdicts ?? []),
		options.nameFromJobIds ?? true,
		jobs.map((rows) => rows[0]?.jobId ?? ''),
		options.layout,
	);
	const chunks: Uint8Array[] = [];
	for (const rows of jobs) {
		if (rows.length === 0) continue;
		const columns = rawColumnsOf(rows[0].result);
		writer.expect(columns);
		for (const row of rows) writer.add(row.jobId, columns, row.result);
		const chunk = writer.take();
		if (chunk) chunks.push(chunk);
	}
	const last = writer.take(true);
	if (last) chunks.push(last);
	return { writer, text: Buffer.concat(chunks).toString('utf8') };
}

describe('resultFileBytes', () => {
	it('is resultsToCsv in UTF-8, for rows of any columns, and for none', () => {
		const rows = [
			...download('j1', ['Email', 'name'], ['deliverable', 'risky']),
			...download('j2', ['Email', 'note,"x"'], ['undeliverable']),
			{ provider: 'bouncify', jobId: '', result: result('=bad', 'undeliverable', null) },
			{ provider: 'whoisxml', jobId: 'j3', result: result('é😀@x.io', 'unknown', { a: '-1' }) },
		];
		expect(resultFileBytes(rows).toString('utf8')).toBe(resultsToCsv(rows));
		expect(resultFileBytes([]).toString('utf8')).toBe(resultsToCsv([]));
	});
});

describe('ResultFileWriter', () => {
	const one = download('j1', ['Email', 'name'], ['deliverable', 'risky', 'unknown']);
	const two = download('j2', ['Email', 'name'], ['undeliverable', 'deliverable']);

	it('writes the rows of jobs with the same columns as resultsToCsv writes them, with the summary', () => {
		const { writer, text } = write([one, two]);
		expect(writer.fits()).toBe(true);
		expect(text).toBe(resultsToCsv([...one, ...two]));
		expect(writer.fileName).toBe(resultFileName('', 'bouncify', ['j1', 'j2']));
		expect(writer.rows).toBe(5);
		expect(writer.jobIds).toEqual(['j1', 'j2']);
		expect(writer.counts).toEqual({ deliverable: 2, undeliverable: 1, risky: 1, unknown: 1 });
	});

	it('keeps the verdicts asked for, and a job with fewer columns fits the layout', () => {
		const fewer = download('j2', ['Email'], ['deliverable', 'undeliverable']);
		const { writer, text } = write([one, fewer], { verdicts: ['deliverable'] });
		expect(writer.fits()).toBe(true);
		expect(text).toBe(resultsToCsv(keepVerdicts([...one, ...fewer], ['deliverable'])));
	});

	it('a job with a new column does not fit: nothing more is written, and the layout is learned', () => {
		const wider = download('j2', ['Email', 'name', 'city'], ['deliverable']);
		const first = write([one, wider]);
		expect(first.writer.mismatched).toBe(true);
		expect(first.writer.fits()).toBe(false);
		const layout = first.writer.learned();
		expect(layout).toEqual({
			rawColumns: ['raw_Email', 'raw_name', 'raw_city'],
			jobIds: ['j1', 'j2'],
		});
		const second = write([one, wider], { layout });
		expect(second.writer.fits()).toBe(true);
		expect(second.text).toBe(resultsToCsv([...one, ...wider]));
	});

	it('a job without a kept row misnames the file, unless a File Name is given', () => {
		const none = download('j2', ['Email', 'name'], ['undeliverable']);
		const three = download('j3', ['Email', 'name'], ['deliverable']);
		const named = write([one, none, three], { verdicts: ['deliverable'] });
		expect(named.writer.fits()).toBe(false);
		expect(named.writer.learned().jobIds).toEqual(['j1', 'j3']);
		const relearned = write([one, none, three], {
			verdicts: ['deliverable'],
			layout: named.writer.learned(),
		});
		expect(relearned.writer.fits()).toBe(true);
		expect(relearned.writer.fileName).toBe('bouncify-results-j1-j3.csv');
		expect(relearned.text).toBe(
			resultsToCsv(keepVerdicts([...one, ...none, ...three], ['deliverable'])),
		);
		const given = write([one, none, three], { verdicts: ['deliverable'], nameFromJobIds: false });
		expect(given.writer.fits()).toBe(true);
		expect(given.text).toBe(relearned.text);
	});
});
