/**
 * The trigger's "Job and Results as CSV File": the results of the job that ended are written while
 * they download (Bouncify), into the file the buffered path makes of the same job (`resultsToCsv` of
 * its `getResults`): same bytes and summary, in an active workflow and in "Fetch Test Event".
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { BulkVerifyJobTrigger } from '../../../nodes/BulkVerifyJobTrigger/BulkVerifyJobTrigger.node';
import type { JobResult } from '../../../nodes/shared/workflow/output';
import { countVerdicts, keepVerdicts, resultsToCsv } from '../../../nodes/shared/workflow/output';
import type { Verdict } from '../../../nodes/shared/model/result';
import { createPollHarness, readBinaryData } from '../../harness';
import type { AllSimulators, ProviderName } from '../../simulators';
import {
	FAST_RETRIES,
	credentialsFor,
	everythingIn,
	providerOn,
	startManualSimulators,
} from '../../support/providers';
import { requestsTo } from '../../support/node-runs';

let simulators: AllSimulators;

beforeAll(async () => {
	simulators = await startManualSimulators({ rateLimitPerMinute: undefined });
});

afterAll(async () => {
	await simulators.close();
});

function leads(count: number): IDataObject[] {
	const classes = ['good', 'bad', 'catchall', 'unknown', 'trap'];
	return Array.from({ length: count }, (_, index) => ({
		email: `${classes[index % classes.length]}.t${index}@example.com`,
		company: index % 9 === 0 ? `=HYPERLINK("x"), "Co" ${index}` : `Co ${index} é`,
	}));
}

async function expected(provider: ProviderName, jobId: string, verdicts: Verdict[] = []) {
	const adapter = await providerOn(simulators, provider, { transport: FAST_RETRIES });
	const rows: JobResult[] = keepVerdicts(
		(await adapter.getResults(jobId)).map((result) => ({ provider, jobId, result })),
		verdicts,
	);
	return {
		resultFile: {
			fileName: `${provider}-results-${jobId}.csv`,
			rows: rows.length,
			jobIds: [jobId],
			counts: countVerdicts(rows.map((row) => row.result)),
		},
		text: resultsToCsv(rows),
	};
}

function trigger(parameters: INodeParameters, mode: 'trigger' | 'manual') {
	return createPollHarness(new BulkVerifyJobTrigger(), {
		parameters: { include: 'resultFile', ...parameters },
		credentials: credentialsFor(simulators),
		mode,
	});
}

describe.each(['trigger', 'manual'] as const)('the CSV file of an ended job (%s)', (mode) => {
	it.each([
		['bouncify', []],
		['bouncify', ['risky', 'undeliverable']],
		['whoisxml', []],
	] as Array<[ProviderName, Verdict[]]>)(
		'%s, Keep Verdicts %j: the buffered file, byte for byte',
		async (provider, verdicts) => {
			const sim = simulators[provider];
			const job =
				provider === 'bouncify'
					? sim.seedJob(leads(2500))
					: sim.seedJob(leads(400).map((lead) => lead.email as string));
			const jobId = String(job.id);
			const want = await expected(provider, jobId, verdicts);
			sim.clearLog();
			const poller = trigger(
				{
					provider,
					jobIds: jobId,
					options: { includeExisting: true, verdicts, binaryPropertyName: 'results' },
				},
				mode,
			);
			const [item] = (await poller.poll())?.[0] ?? [];
			expect(item.json).toMatchObject({ jobId, event: 'completed', resultFile: want.resultFile });
			expect(item.binary?.results).toMatchObject({
				fileName: want.resultFile.fileName,
				mimeType: 'text/csv',
			});
			const text = (await readBinaryData(item.binary!.results)).toString('utf8');
			expect(text).toBe(want.text);
			expect(everythingIn(item)).not.toContain(sim.apiKey);
			expect(requestsTo(sim, 'download').length).toBeGreaterThanOrEqual(1);
			if (provider === 'bouncify') expect(requestsTo(sim, 'download')).toHaveLength(1);
		},
	);
});
