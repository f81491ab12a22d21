// Tests nodes/shared/model/job.ts.
import { isTerminalState, makeNormalizedJob } from '../../../../nodes/shared/model/job';

describe('isTerminalState', () => {
	it.each([
		['completed', true],
		['failed', true],
		['cancelled', true],
		['queued', false],
		['processing', false],
		['unknown', false],
	] as const)('%s → %p', (state, expected) => {
		expect(isTerminalState(state)).toBe(expected);
	});
});

describe('builders', () => {
	it('derives the job flags and drops empty counts', () => {
		const job = makeNormalizedJob({
			provider: 'bouncify',
			jobId: 'j',
			state: 'completed',
			progressPercent: 90,
			counts: { invalid: undefined },
			rawStatus: 'completed',
			raw: null,
		});
		expect(job).toStrictEqual({
			provider: 'bouncify',
			jobId: 'j',
			state: 'completed',
			isTerminal: true,
			awaitingStart: false,
			cancelRequested: false,
			resultsAvailable: true,
			progressPercent: 100,
			rawStatus: 'completed',
			raw: null,
		});
	});
});
