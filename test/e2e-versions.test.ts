/**
 * Which n8n versions the e2e matrix tests (test/e2e/versions.js, used by npm run test:e2e:matrix):
 * the newest listed per line, the line's known-good version to fall back to, and the summed summary.
 */
interface Entry {
	line: string;
	candidate: string;
	fallback?: string;
	why: string;
}
interface Summary {
	passed: number;
	failed: number;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const versions = require('./e2e/versions.js') as {
	LINES: Array<{ name: string; pattern: RegExp; known: string }>;
	compareVersions(a: string, b: string): number;
	plan(listed: string[] | undefined): Entry[];
	planOf(spec: string): Entry[];
	summaryOf(output: string): Summary | undefined;
	sumSummaries(summaries: Array<Summary | undefined>): Summary;
};

describe('the n8n versions of the e2e matrix', () => {
	it('compares versions by number, not as text', () => {
		expect(versions.compareVersions('2.41.10', '2.41.9')).toBeGreaterThan(0);
		expect(versions.compareVersions('1.123.81', '1.123.81')).toBe(0);
		expect(versions.compareVersions('2.9.0', '2.10.0')).toBeLessThan(0);
	});

	it('tries the newest 2.x listed and falls back to the known one; 1.123.x never becomes 2.x', () => {
		const listed = [
			'1.122.5',
			'1.123.80',
			'1.123.81',
			'2.40.7',
			'2.41.1',
			'2.41.3',
			'2.42.0-exp.0',
		];
		expect(versions.plan(listed)).toEqual([
			{
				line: '1.123.x (the last 1.x)',
				candidate: '1.123.81',
				fallback: undefined,
				why: 'newest listed, known to install',
			},
			{ line: '2.x', candidate: '2.41.3', fallback: '2.41.1', why: 'newest listed' },
		]);
	});

	it('a newer 1.123.x is picked up too, and nothing older than the known version is tried', () => {
		const [oneX, twoX] = versions.plan(['1.123.90', '2.40.0']);
		expect(oneX).toMatchObject({ candidate: '1.123.90', fallback: '1.123.81' });
		expect(twoX).toMatchObject({ candidate: '2.41.1', fallback: undefined });
	});

	it('without the registry, the known versions', () => {
		expect(versions.plan(undefined).map((entry) => entry.candidate)).toEqual(
			versions.LINES.map((line) => line.known),
		);
	});

	it('E2E_N8N_VERSIONS names the versions itself, without fallback', () => {
		expect(versions.planOf('1.123.81, 2.41.1').map((entry) => entry.candidate)).toEqual([
			'1.123.81',
			'2.41.1',
		]);
	});

	it('reads the last summary line of a run and sums them, a missing one counting as a failure', () => {
		const output = 'n8n 2.41.1: 3 passed, 1 failed\n  PASS x\n101 passed, 0 failed\n';
		expect(versions.summaryOf(output)).toEqual({ passed: 101, failed: 0 });
		expect(versions.summaryOf('ABORTED')).toBeUndefined();
		expect(versions.sumSummaries([{ passed: 90, failed: 0 }, undefined])).toEqual({
			passed: 90,
			failed: 1,
		});
	});
});
