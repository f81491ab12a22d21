import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Provider } from '../../shared/model/provider';
import type { ResultOptions } from '../../shared/workflow/results';
import { resultOptionsFrom } from '../../shared/workflow/results';

export function readResultOptions(ctx: IExecuteFunctions, itemIndex: number): ResultOptions {
	return resultOptionsFrom(ctx.getNodeParameter('resultOptions', itemIndex, {}) as IDataObject, {
		simplify: ctx.getNodeParameter('simplify', itemIndex, true) as boolean,
		output: ctx.getNodeParameter('resultsOutput', itemIndex, 'items') as 'items' | 'file',
	});
}

export interface WaitOptions {
	maxWaitMs: number;
	pollIntervalMs: number;
}

export function readWaitOptions(
	ctx: IExecuteFunctions,
	itemIndex: number,
	provider: Provider,
): WaitOptions {
	const options = ctx.getNodeParameter('waitOptions', itemIndex, {}) as IDataObject;
	const recommended = provider.info.capabilities.limits.recommendedPollIntervalMs;
	const pollSeconds = options.pollIntervalSeconds as number | undefined;
	return {
		maxWaitMs: ((options.maxWaitMinutes as number | undefined) ?? 5) * 60_000,
		pollIntervalMs: pollSeconds !== undefined ? pollSeconds * 1000 : recommended,
	};
}
