/** Which watched jobs have ended since the last poll: listing, status checks and the ledger's decisions. */
import type { IPollFunctions } from 'n8n-workflow';

import type { Ledger, Sighting } from './ledger';
import { decide, nextDue, record, syncWatchList, watchDiscovered } from './ledger';
import type { NormalizedJob } from '../shared/model/job';
import type { Provider } from '../shared/model/provider';
import { DEFAULT_JOBS_PER_PAGE } from '../shared/model/provider';
import { exactNumericId, isLaterNumericId } from '../shared/model/job-ids';
import type { RequestBudget } from './budget';
import type { Settings } from './settings';
import { notFoundError } from './events';

export interface Findings {
	ledger: Ledger;
	toEmit: NormalizedJob[];
	problems: unknown[];
}

/** Discovers and checks due jobs within the budget; records baseline and ignored endings. */
export async function findEndedJobs(
	ctx: IPollFunctions,
	settings: Settings,
	provider: Provider,
	start: Ledger,
	budget: RequestBudget,
	now: number,
): Promise<Findings> {
	let ledger = start;
	const observed: NormalizedJob[] = [];
	const problems: unknown[] = [];
	/** "Every job" mode: the budget ran out before the list was paged down to where it can stop. */
	let listedPartly = false;
	try {
		if (settings.watch === 'jobIds') {
			ledger = syncWatchList(ledger, settings.jobIds, now);
		} else {
			const discovered = await discoverJobs(provider, ledger, budget);
			ledger = watchDiscovered(
				ledger,
				discovered.jobs.map((job) => job.jobId),
				now,
			);
			// The watermark moves only past a complete listing: jobs on pages the budget did not reach
			// (below the newest, above the old watermark) are listed again by the next poll.
			if (discovered.complete) ledger = { ...ledger, newestId: discovered.newestId };
			else listedPartly = true;
			observed.push(...discovered.jobs);
		}
		const alreadySeen = new Set(observed.map((job) => job.jobId));
		const idsPerCall = provider.info.capabilities.limits.statusIdsPerCall;
		const due = nextDue(
			{
				...ledger,
				entries: Object.fromEntries(
					Object.entries(ledger.entries).filter(([id]) => !alreadySeen.has(id)),
				),
			},
			budget.callsLeft() * idsPerCall,
		);
		ledger = { ...ledger, cursor: due.cursor };
		for (let index = 0; index < due.ids.length && budget.hasRoom(); index += idsPerCall) {
			observed.push(...(await provider.getStatus(due.ids.slice(index, index + idsPerCall))));
		}
	} catch (error) {
		problems.push(error);
	}

	const toEmit: NormalizedJob[] = [];
	const changes: Array<[string, 'b' | 'x']> = [];
	for (const job of observed) {
		if (job.notFound) {
			problems.push(notFoundError(ctx, provider, job));
			continue;
		}
		const verdict = decide(ledger, sightingOf(job, settings), settings.includeExisting);
		if (verdict === 'emit') toEmit.push(job);
		else if (verdict === 'baseline') changes.push([job.jobId, 'b']);
		else if (verdict === 'ignore' && ledger.entries[job.jobId]?.s === 'w')
			changes.push([job.jobId, 'x']);
	}
	ledger = record(
		ledger,
		changes,
		observed.map((job) => job.jobId),
		Date.now(),
	);
	// No baseline from a listing that stopped short (say, a poll left no requests by the meter): the next
	// poll would take every job it then lists for new.
	if (ledger.baselineAt === null && problems.length === 0 && !listedPartly)
		ledger = { ...ledger, baselineAt: now };
	return { ledger, toEmit, problems };
}

function sightingOf(job: NormalizedJob, settings: Settings): Sighting {
	const endedAt = job.updatedAt !== undefined ? Date.parse(job.updatedAt) : NaN;
	return {
		jobId: job.jobId,
		isTerminal: job.isTerminal,
		selected: settings.events.includes(job.state),
		endedAt: Number.isNaN(endedAt) ? undefined : endedAt,
	};
}

/**
 * "Every job" mode: pages the provider's list newest first down to the newest job already known
 * (on the first poll: as long as pages still hold unfinished jobs), within the budget; `complete` is
 * false when the budget stopped it first.
 */
async function discoverJobs(
	provider: Provider,
	ledger: Ledger,
	budget: RequestBudget,
): Promise<{ jobs: NormalizedJob[]; newestId: number | string | undefined; complete: boolean }> {
	const known = ledger.newestId;
	const perPage = provider.info.capabilities.limits.jobsPerPage ?? DEFAULT_JOBS_PER_PAGE;
	const jobs: NormalizedJob[] = [];
	let newestId = known;
	for (let page = 1; budget.hasRoom(); page++) {
		const result = await provider.listJobs!({ page, perPage, sort: 'desc' });
		const fresh = result.jobs.filter(
			(job) => known === undefined || isLaterNumericId(job.jobId, known),
		);
		jobs.push(...(known === undefined ? result.jobs : fresh));
		for (const job of result.jobs)
			if (newestId === undefined || isLaterNumericId(job.jobId, newestId))
				newestId = exactNumericId(job.jobId);
		const reachedKnown = known !== undefined && fresh.length < result.jobs.length;
		const onlyFinishedLeft = known === undefined && result.jobs.every((job) => job.isTerminal);
		if (
			reachedKnown ||
			onlyFinishedLeft ||
			result.page >= result.lastPage ||
			result.jobs.length === 0
		) {
			return { jobs, newestId, complete: true };
		}
	}
	return { jobs, newestId, complete: false };
}
