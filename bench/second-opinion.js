'use strict';

/**
 * Bench 6: what a second opinion costs. A mixed list of 1,000 leads from the simulators goes through
 * Bulk Verify Create with Wait for Completion on Bouncify, then Job → Second Opinion on Check365 (the
 * compiled nodes, real n8n-core contexts, real HTTP). The figure is the credits the second provider
 * is charged (the addresses it was sent, one credit each) against verifying the whole list with it,
 * and how many of the rows the first provider left open the second one settled.
 *
 * The list: 400 good…, 150 bad…, 100 catchall…, 50 unknown… and 300 hard… addresses (mailboxes each
 * simulated provider settles only about half of: test/simulators/traits.js).
 */

const { harness, simulators, dist } = require('./lib/harness');
const { emit, status, log } = require('./lib/report');

const MIX = [
	['good', 400],
	['bad', 150],
	['catchall', 100],
	['unknown', 50],
	['hard', 300],
];
const TARGET_SHARE = 0.5;

function leads() {
	return MIX.flatMap(([prefix, count]) =>
		Array.from({ length: count }, (_, i) => ({
			json: { email: `${prefix}.lead${i}@mixed-list.example`, name: `Lead ${prefix} ${i}` },
		})),
	);
}

async function main() {
	const { BulkVerify } = dist('nodes/BulkVerify/BulkVerify.node');
	const sims = await simulators.startAllSimulators({
		jobDurationMs: 300,
		perEmailMs: 0,
		rateLimitPerMinute: Infinity,
	});
	const credentials = {
		bouncifyApi: { apiKey: sims.bouncify.apiKey, baseUrl: sims.bouncify.baseUrl },
		check365Api: { apiKey: sims.check365.apiKey, baseUrl: sims.check365.baseUrl },
	};
	const wait = { maxWaitMinutes: 2, pollIntervalSeconds: 1 };
	try {
		const input = leads();
		const first = await harness.executeNode(new BulkVerify(), {
			parameters: {
				provider: 'bouncify',
				resource: 'job',
				operation: 'create',
				startNow: true,
				waitForCompletion: true,
				waitOptions: wait,
				resultOptions: { includeInputFields: 'all' },
			},
			credentials,
			inputItems: input,
		});
		if (first.error) throw first.error;
		sims.check365.clearLog();
		const second = await harness.executeNode(new BulkVerify(), {
			parameters: {
				provider: 'check365',
				resource: 'job',
				operation: 'secondOpinion',
				waitOptions: wait,
			},
			credentials,
			inputItems: first.items,
		});
		if (second.error) throw second.error;

		const sent = [...sims.check365.jobs.values()].reduce((n, job) => n + job.emails.length, 0);
		const open = (rows) => rows.filter((item) => ['unknown', 'risky'].includes(item.json.verdict));
		const openBefore = open(first.items).length;
		const openAfter = open(second.items).length;
		const settled = second.items.filter((item) => item.json.decidedBy === 'check365').length;
		const share = sent / input.length;
		log(
			`first: ${first.items.length} rows, ${openBefore} unknown or risky; second opinion: ${sent} sent, ${settled} settled, ${openAfter} still open`,
		);
		emit({
			bench: 6,
			title: 'Second opinion',
			rows: [
				{
					measure:
						'Second opinion on a mixed 1,000-lead list (Bouncify, then Check365): credits at the second provider',
					ours: `${sent} credits`,
					reference: `whole list with Check365: ${input.length} credits`,
					ratio: `${share.toFixed(2)}×`,
					target: `≤ ${TARGET_SHARE}×`,
					status: status(share <= TARGET_SHARE),
					spread: 'deterministic',
				},
				{
					measure:
						'Second opinion: rows the first provider left unknown or risky, settled by the second',
					ours: `${settled} of ${openBefore}`,
					reference: `still open: ${openAfter}`,
					ratio: '',
					target: '',
					status: 'info',
					spread: 'deterministic',
				},
			],
			notes: [
				`Bench 6: the rows sent are the unknown and risky ones (the default Recheck Verdicts), each address once; catch-all domains stay risky with any provider, so what a second opinion can settle are the mailboxes the first could not check (here the ${MIX[4][1]} hard… ones, of which Bouncify leaves about half open).`,
			],
		});
	} finally {
		await sims.close();
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
