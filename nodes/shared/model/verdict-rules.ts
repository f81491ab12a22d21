/**
 * How a provider's answer becomes a verdict and a reason: the shared outcomes and the catch-all rule,
 * the same for every provider.
 */
import type { Reason, Verdict } from './result';

export interface Outcome {
	verdict: Verdict;
	reason: Reason;
}

export const ACCEPTED: Outcome = { verdict: 'deliverable', reason: 'accepted' };
export const UNVERIFIABLE: Outcome = { verdict: 'unknown', reason: 'unverifiable' };
/** A token outside the provider's known vocabulary: never a throw, the raw token stays in `providerStatus`. */
export const UNRECOGNIZED: Outcome = { verdict: 'unknown', reason: 'other' };

export function undeliverable(reason: Reason): Outcome {
	let outcome = undeliverableOutcomes.get(reason);
	if (outcome === undefined) {
		outcome = { verdict: 'undeliverable', reason };
		undeliverableOutcomes.set(reason, outcome);
	}
	return outcome;
}

/** One shared outcome per reason (like ACCEPTED): outcomes are only read, and rows are many. */
const undeliverableOutcomes = new Map<Reason, Outcome>();

/** The default verdict options, shared (normalizers run once per row of big downloads). */
export const DEFAULT_VERDICT_OPTIONS: VerdictOptions = Object.freeze({});

export interface VerdictOptions {
	/**
	 * The catch-all rule (§6.2), on by default: an address on a domain that accepts any mailbox is
	 * `risky`. Off, such addresses are `unknown` (still with reason `catch_all`), as WhoisXML reports them.
	 */
	catchAllAsRisky?: boolean;
}

/** The outcome for a native accept-all / catch-all verdict. */
export function catchAllOutcome(options: VerdictOptions = DEFAULT_VERDICT_OPTIONS): Outcome {
	return options.catchAllAsRisky === false ? CATCH_ALL_UNKNOWN : CATCH_ALL_RISKY;
}

const CATCH_ALL_RISKY: Outcome = { verdict: 'risky', reason: 'catch_all' };
const CATCH_ALL_UNKNOWN: Outcome = { verdict: 'unknown', reason: 'catch_all' };

/**
 * Upgrades a native `unknown` on a catch-all domain whose SMTP check did not fail, so that WhoisXML's
 * `unknown` + catchAllCheck and Bouncify's `accept-all` land in the same bucket (§6.2).
 */
export function applyCatchAllRule(
	outcome: Outcome,
	evidence: { catchAll?: boolean; smtpAccepted?: boolean },
	options: VerdictOptions = DEFAULT_VERDICT_OPTIONS,
): Outcome {
	const upgrade =
		outcome.verdict === 'unknown' && evidence.catchAll === true && evidence.smtpAccepted !== false;
	return upgrade ? catchAllOutcome(options) : outcome;
}
