import type { IDataObject } from 'n8n-workflow';

import type { Verdict } from '../../shared/model/result';
import { VERDICTS } from '../../shared/model/result';

/** One provider's judgement of one address, as a result item carries it. */
export interface Opinion {
	provider: string;
	verdict: Verdict;
	reason: string;
	providerStatus: string | null;
	jobId: string | null;
}

/**
 * How far a verdict settles an address: a second opinion counts where it settles it further (an
 * `unknown` that the second provider calls `deliverable`), never where it says less.
 */
const DECIDEDNESS: Readonly<Record<Verdict, number>> = {
	unknown: 0,
	risky: 1,
	deliverable: 2,
	undeliverable: 2,
};

const text = (value: unknown): string | null =>
	typeof value === 'string' && value !== '' ? value : null;

/** The opinion a Bulk Verify result item holds; undefined for an item that is not one. */
export function opinionOf(json: IDataObject): Opinion | undefined {
	const verdict = json.verdict;
	const provider = text(json.provider);
	if (typeof verdict !== 'string' || !VERDICTS.includes(verdict as Verdict) || provider === null)
		return undefined;
	return {
		provider,
		verdict: verdict as Verdict,
		reason: text(json.reason) ?? 'other',
		providerStatus: text(json.providerStatus),
		jobId: text(json.jobId) ?? (typeof json.jobId === 'number' ? String(json.jobId) : null),
	};
}

export interface Settled {
	/** The provider whose verdict the row now carries. */
	decidedBy: string;
	/** Whether the second opinion replaced the first. */
	secondDecides: boolean;
	/** Both providers gave the same verdict; null when there is no second opinion. */
	agree: boolean | null;
}

/** Which verdict a row keeps: the second where it settles the address further, else the first. */
export function settle(first: Opinion, second: Opinion | undefined): Settled {
	if (second === undefined) return { decidedBy: first.provider, secondDecides: false, agree: null };
	const secondDecides = DECIDEDNESS[second.verdict] > DECIDEDNESS[first.verdict];
	return {
		decidedBy: secondDecides ? second.provider : first.provider,
		secondDecides,
		agree: first.verdict === second.verdict,
	};
}

/**
 * One merged row: the input item (the first result, with whatever input fields it kept), the second
 * result's fields where it decides, and both opinions side by side.
 */
export function mergedRow(
	input: IDataObject,
	first: Opinion,
	second: { opinion: Opinion; json: IDataObject } | undefined,
): IDataObject {
	const settled = settle(first, second?.opinion);
	return {
		...input,
		...(settled.secondDecides ? second!.json : {}),
		decidedBy: settled.decidedBy,
		opinionsAgree: settled.agree,
		opinions: [first, ...(second ? [second.opinion] : [])] as unknown as IDataObject[],
	};
}
