// Tests nodes/BulkVerifyJobTrigger/n8n-features.ts: n8n members that only some versions have.
import type { PollBudgetSource } from '../../../nodes/BulkVerifyJobTrigger/n8n-features';
import { pollBudgetMs } from '../../../nodes/BulkVerifyJobTrigger/n8n-features';

describe('pollBudgetMs', () => {
	it("n8n 1.x's poll context has no getPollBudgetMs: no budget", () => {
		expect(pollBudgetMs({})).toBeUndefined();
		expect(pollBudgetMs({ getPollBudgetMs: undefined })).toBeUndefined();
	});

	it("n8n 2.x: the context's budget, read as a method (PollContext reads its own fields)", () => {
		const context = {
			budget: 300_000,
			getPollBudgetMs(this: { budget: number }) {
				return this.budget;
			},
		};
		expect(pollBudgetMs(context)).toBe(300_000);
		expect(pollBudgetMs({ getPollBudgetMs: () => 0 })).toBe(0);
	});

	it('a budget that is no usable number counts as none', () => {
		for (const value of [Number.NaN, Infinity, -1, '36000', null]) {
			const context = { getPollBudgetMs: () => value } as unknown as PollBudgetSource;
			expect(pollBudgetMs(context)).toBeUndefined();
		}
	});
});
