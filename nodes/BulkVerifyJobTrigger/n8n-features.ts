/**
 * Members of n8n's poll context that only some n8n versions have. The package declares
 * n8nNodesApiVersion 1 and runs on n8n 1.x and 2.x: each member is detected where it is used, never
 * by n8n's version number.
 */
import type { IPollFunctions } from 'n8n-workflow';

/** The poll context as every n8n version hands it: `getPollBudgetMs` exists in n8n 2.x only. */
export type PollBudgetSource = Partial<Pick<IPollFunctions, 'getPollBudgetMs'>>;

/**
 * The milliseconds n8n lets this poll spend before it abandons the tick (n8n 2.x's
 * `getPollBudgetMs()`), or undefined where n8n sets no such budget (1.x) or reports no usable number.
 */
export function pollBudgetMs(ctx: PollBudgetSource): number | undefined {
	if (typeof ctx.getPollBudgetMs !== 'function') return undefined;
	const ms: unknown = ctx.getPollBudgetMs();
	return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}
