// Tests nodes/BulkVerify/helpers/wait.ts: how often Wait for Completion checks, within the provider's budget.
import type { ProviderLimits } from '../../../../nodes/shared/model/provider';
import { pollIntervalFor } from '../../../../nodes/BulkVerify/helpers/wait';

const limits = (over: Partial<ProviderLimits>): ProviderLimits => ({
	recommendedPollIntervalMs: 15_000,
	statusIdsPerCall: 1,
	...over,
});

describe('pollIntervalFor', () => {
	it('keeps the asked interval where the provider documents no budget', () => {
		expect(pollIntervalFor(limits({}), 40, 1_000)).toBe(1_000);
	});

	it('lengthens an interval that would spend more than the budget (10 a minute: 6 s per call)', () => {
		expect(pollIntervalFor(limits({ requestsPerMinute: 10 }), 1, 1_000)).toBe(6_000);
		expect(pollIntervalFor(limits({ requestsPerMinute: 10 }), 3, 1_000)).toBe(18_000);
	});

	it('counts one call per batch where one call answers several jobs', () => {
		expect(
			pollIntervalFor(limits({ requestsPerMinute: 10, statusIdsPerCall: 100 }), 150, 1_000),
		).toBe(12_000);
	});

	it('keeps an interval already within the budget', () => {
		expect(pollIntervalFor(limits({ requestsPerMinute: 120 }), 2, 15_000)).toBe(15_000);
	});
});
