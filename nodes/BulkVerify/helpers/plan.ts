/**
 * The one computation of what a Create submits and what it costs, pure: Create (and its credit guard)
 * and Estimate both call it, so the count an Estimate shows is the count Create sends and pays for.
 */
import type { ProviderCapabilities } from '../../shared/model/provider';
import type { EmailCandidate, PreparedList, RejectedEmail } from './emailList';
import { prepareEmailList, splitIntoJobs } from './emailList';

export interface ListPlan {
	/** The addresses to submit (unique, valid) and what was set aside. */
	list: PreparedList;
	/** The jobs the list becomes under the provider's per-job limits, in order. */
	jobs: string[][];
	/** What submitting the list costs. */
	creditsNeeded: number;
}

/** What a Create of these candidates submits, as how many jobs, for how many credits. */
export function planList(
	candidates: Iterable<EmailCandidate>,
	capabilities: Pick<ProviderCapabilities, 'limits' | 'creditsPerEmail'>,
): ListPlan {
	const list = prepareEmailList(candidates);
	return {
		list,
		jobs: splitIntoJobs(list.emails, capabilities.limits),
		creditsNeeded: creditsFor(list.emails.length, capabilities),
	};
}

/** The values set aside before upload, as Create's and Estimate's `notSubmitted` list them. */
export function notSubmittedOf(list: PreparedList): RejectedEmail[] {
	return list.rejected.map(({ value, itemIndex, reason }) => ({ value, itemIndex, reason }));
}

/** The credits `addresses` verified addresses cost at the provider's price. */
export function creditsFor(
	addresses: number,
	capabilities: Pick<ProviderCapabilities, 'creditsPerEmail'>,
): number {
	return addresses * capabilities.creditsPerEmail;
}

export interface CreditCheck {
	needed: number;
	available: number;
	/** The balance once `needed` is spent (negative when it does not cover it). */
	after: number;
	enough: boolean;
}

/** Whether a balance covers what is needed, and what it leaves. */
export function checkCredits(needed: number, available: number): CreditCheck {
	const after = available - needed;
	return { needed, available, after, enough: after >= 0 };
}
