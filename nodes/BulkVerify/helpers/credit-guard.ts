/**
 * The credit guard: before a paid call (a Create that starts its jobs, a Start, a single Verify),
 * where the provider has a balance endpoint and Check Credits First is on, the balance is read (a free
 * call) and the call is refused when the balance does not cover it. It runs before the first paid call
 * of the execution, so whatever it reports, nothing has been spent: its errors say so, and none of
 * them advises a step that could pay twice.
 */
import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError, providerError } from '../../shared/model/errors';
import type { ProviderInfo } from '../../shared/model/provider';
import { createProvider } from '../../shared/providers';
import type { CreditCheck } from './plan';
import { checkCredits } from './plan';

/** What a failed balance read adds, per use: the guard spent nothing, Estimate can go on without it. */
const AFTER_FAILED_READ = {
	guard:
		'Nothing was sent for verification and no credits were spent: the balance is read before any paid call. To go ahead without it, turn off Check Credits First.',
	estimate: 'Nothing was spent. To count the list without the balance, turn off Include Balance.',
} as const;

/** Whether the operation's Check Credits First is on: never where the provider has no balance endpoint. */
export function creditGuardOn(ctx: IExecuteFunctions, info: ProviderInfo): boolean {
	return info.capabilities.credits && ctx.getNodeParameter('checkCredits', 0, true) === true;
}

/**
 * The account's credit balance (a free call, for the whole input: its errors name no item). A read
 * that fails, or an answer without a usable number, is an error that says what happened.
 */
export async function readBalance(
	ctx: IExecuteFunctions,
	info: ProviderInfo,
	use: keyof typeof AFTER_FAILED_READ,
): Promise<number> {
	let available: number | undefined;
	try {
		available = (await createProvider(info.name, ctx).getCredits!()).creditsRemaining;
	} catch (error) {
		const nodeError = asNodeError(ctx.getNode(), error);
		nodeError.description = joined(nodeError.description, AFTER_FAILED_READ[use]);
		throw nodeError;
	}
	if (available === undefined || !Number.isFinite(available)) {
		throw providerError(
			ctx.getNode(),
			`${info.displayName} did not say how many credits are left`,
			{
				description: joined(
					`Its answer to the balance call has no credit count, so the node cannot tell what the account covers.`,
					AFTER_FAILED_READ[use],
				),
				details: { kind: 'invalidResponse' },
			},
		);
	}
	return available;
}

/** What a refused paid call is: "This list needs", and what did not happen ("Nothing was sent to Bouncify"). */
export interface PaidStep {
	needs: string;
	notDone: string;
	itemIndex?: number;
}

/**
 * Refuses the step, before anything is spent, when the balance does not cover it: "This list needs
 * 12,400 credits; the Bouncify account has 9,000".
 */
export function refuseIfShort(
	ctx: IExecuteFunctions,
	info: ProviderInfo,
	check: CreditCheck,
	step: PaidStep,
): void {
	if (check.enough) return;
	throw new NodeOperationError(
		ctx.getNode(),
		`${step.needs} ${credits(check.needed)}; the ${info.displayName} account has ${number(check.available)}`,
		{
			description: `${step.notDone} and no credits were spent. Add at least ${credits(-check.after)} to the ${info.displayName} account, or send fewer addresses (Job → Estimate counts a list's credits without spending any). To send it anyway, turn off Check Credits First.`,
			...(step.itemIndex !== undefined ? { itemIndex: step.itemIndex } : {}),
		},
	);
}

/** Reads the balance and refuses the step when it does not cover `needed`; returns the balance read. */
export async function guardCredits(
	ctx: IExecuteFunctions,
	info: ProviderInfo,
	needed: number,
	step: PaidStep,
): Promise<number> {
	const available = await readBalance(ctx, info, 'guard');
	refuseIfShort(ctx, info, checkCredits(needed, available), step);
	return available;
}

function number(value: number): string {
	return value.toLocaleString('en-US');
}

function credits(value: number): string {
	return `${number(value)} credit${value === 1 ? '' : 's'}`;
}

function joined(first: string | null | undefined, second: string): string {
	return first ? `${first.trimEnd()} ${second}` : second;
}
