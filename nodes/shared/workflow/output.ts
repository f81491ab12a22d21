/**
 * Pure shaping of normalized jobs and results into what n8n users get: JSON items (simplified or with
 * the provider's raw row) and one CSV file for big lists. Shared by the Bulk Verify node and its trigger.
 */
import type { IDataObject } from 'n8n-workflow';

import { collectHeaders, toCsv } from '../csv/write';
import { flattenResultForCsv } from '../csv/result-file';
import type { NormalizedEmailResult, Verdict } from '../model/result';
import { VERDICTS } from '../model/result';
import type { NormalizedJob } from '../model/job';
import type { ProviderName } from '../model/provider';

export interface JobResult {
	provider: ProviderName;
	jobId: string;
	result: NormalizedEmailResult;
}

/** One email's result as an item: the normalized fields first, `raw` only when not simplified. */
export function resultToJson(
	{ provider, jobId, result }: JobResult,
	simplify: boolean,
): IDataObject {
	// As `const { raw, extra, ...normalized } = result; { ...normalized, provider, jobId, flags: { ...normalized.flags } }`,
	// key for key, without the rest-pattern copy that is slow enough to matter on 50,000 rows.
	const json: IDataObject = {};
	const fields = result as unknown as IDataObject;
	for (const key in fields) {
		if (key !== 'raw' && key !== 'extra' && Object.prototype.hasOwnProperty.call(fields, key))
			json[key] = fields[key];
	}
	json.provider = provider;
	json.jobId = jobId;
	json.flags = { ...result.flags };
	if (result.extra !== undefined) json.extra = result.extra as IDataObject;
	if (!simplify) json.raw = result.raw as IDataObject;
	return json;
}

/**
 * Which results a verdict filter keeps; undefined when it keeps all (no filter, or one naming every
 * verdict), so 50,000 rows are not copied for nothing.
 */
export function verdictFilter(
	verdicts: readonly Verdict[],
): ((result: NormalizedEmailResult) => boolean) | undefined {
	if (verdicts.length === 0 || VERDICTS.every((verdict) => verdicts.includes(verdict)))
		return undefined;
	const wanted = new Set(verdicts);
	return (result) => wanted.has(result.verdict);
}

export function keepVerdicts<T extends { result: NormalizedEmailResult }>(
	rows: T[],
	verdicts: readonly Verdict[],
): T[] {
	const kept = verdictFilter(verdicts);
	return kept === undefined ? rows : rows.filter((row) => kept(row.result));
}

/** One CSV for all rows: normalized columns, then every raw column any row has. */
export function resultsToCsv(rows: readonly JobResult[]): string {
	const flat = rows.map(({ provider, jobId, result }) =>
		flattenResultForCsv(result, { provider, jobId }),
	);
	return toCsv(collectHeaders(flat), flat);
}

/** A job status as an item; `raw` (the provider's body) only when not simplified. */
export function jobToJson(job: NormalizedJob, simplify = false): IDataObject {
	const { raw, ...normalized } = job;
	const json: IDataObject = { ...normalized } as IDataObject;
	if (job.counts) json.counts = { ...job.counts };
	if (!simplify) json.raw = raw as IDataObject;
	return json;
}

/** Counts per verdict, for summaries. */
export function countVerdicts(results: readonly NormalizedEmailResult[]): Record<Verdict, number> {
	const counts: Record<Verdict, number> = {
		deliverable: 0,
		undeliverable: 0,
		risky: 0,
		unknown: 0,
	};
	for (const result of results) counts[result.verdict]++;
	return counts;
}
