/**
 * One poll of the Bulk Verify Trigger: find which watched jobs have ended since the last poll, emit
 * each exactly once, and stay within the provider's request budget. The decisions are in the pure
 * ledger; this file does the calls and builds the items.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import type { NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Ledger, Sighting } from './ledger';
import {
	assumeUnrecordedRequests,
	decide,
	handoffAfter,
	markStarted,
	nextDue,
	record,
	requestsLeft,
	startingLedger,
	syncWatchList,
	watchDiscovered,
	withRequests,
} from './ledger';
import { jobToJson, resultToJson } from '../shared/workflow/output';
import { createProvider, isProviderName, PROVIDERS } from '../shared/providers';
import type { JobState, NormalizedJob } from '../shared/model/job';
import type { Provider, ProviderInfo } from '../shared/model/provider';
import { DEFAULT_JOBS_PER_PAGE } from '../shared/model/provider';
import { asNodeError, errorKindOf, providerError } from '../shared/model/errors';
import { exactNumericId, isLaterNumericId, parseJobIds } from '../shared/model/job-ids';
import { canWatchEveryJob } from '../shared/workflow/descriptions';
import { checkJobIds } from '../shared/workflow/job-ids';
import type { ResultOptions } from '../shared/workflow/results';
import { fetchResults, resultItems, resultOptionsFrom } from '../shared/workflow/results';

type Include = 'job' | 'resultItems' | 'resultFile';

interface Settings {
	info: ProviderInfo;
	watch: 'jobIds' | 'allJobs';
	jobIds: string[];
	events: JobState[];
	include: Include;
	includeExisting: boolean;
	requestsPerMinute: number;
	/** The per-minute rate is a limit someone enforces (documented by the provider, or the user's cap). */
	strictRate: boolean;
	results: ResultOptions;
}

/** Where the provider documents no rate, the trigger keeps to this many calls a minute. */
const DEFAULT_REQUESTS_PER_MINUTE = 30;
/** After a rate limit that outlasted the retries, leave the provider alone this long. */
const RATE_LIMIT_PAUSE_MS = 60_000;
/** Stop starting calls when this share of n8n's poll budget is spent. */
const POLL_BUDGET_SHARE = 0.8;

/**
 * The node static data objects this process has polled with. In n8n's default mode one object serves
 * every poll of an activation, kept in memory; a new activation (a restart, a reactivation) loads a new
 * one from the database, as saved at the last emit.
 */
const polledStaticData = new WeakSet<object>();

/**
 * Whether n8n saves this static data only at activation and when a poll emits: its default mode hands
 * the node its observable static data (n8n-workflow's ObservableObject, which carries `__dataChanged`);
 * with durable poll cursors the node gets a plain per-poll copy that n8n commits after every poll.
 */
function savedOnlyOnEmit(staticData: object): boolean {
	return '__dataChanged' in staticData;
}

function readSettings(ctx: IPollFunctions): Settings {
	const provider = ctx.getNodeParameter('provider');
	if (!isProviderName(provider)) {
		throw new NodeOperationError(ctx.getNode(), `Unknown provider "${String(provider)}"`, {
			description: 'Choose one of the providers in the Provider field.',
		});
	}
	const info = PROVIDERS[provider].info;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const watch = canWatchEveryJob(info)
		? (ctx.getNodeParameter('watch', 'allJobs') as Settings['watch'])
		: 'jobIds';
	const providerRate = info.capabilities.limits.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE;
	const asked = options.maxRequestsPerMinute as number | undefined;
	const include = ctx.getNodeParameter('include', 'job') as Include;
	return {
		info,
		watch,
		jobIds: watch === 'jobIds' ? parseJobIds(ctx.getNodeParameter('jobIds', '')) : [],
		events: ctx.getNodeParameter('events', []) as JobState[],
		include,
		includeExisting: (options.includeExisting as boolean | undefined) ?? false,
		requestsPerMinute: Math.max(1, Math.min(providerRate, asked ?? providerRate)),
		strictRate: info.capabilities.limits.requestsPerMinute !== undefined || asked !== undefined,
		// The trigger names its files itself: a File Name option is the node's.
		results: resultOptionsFrom(
			{ ...options, fileName: undefined },
			{
				simplify: (options.simplify as boolean | undefined) ?? true,
				output: include === 'resultFile' ? 'file' : 'items',
			},
		),
	};
}

function checkWatchedJobIds(ctx: IPollFunctions, settings: Settings): void {
	if (settings.watch !== 'jobIds') return;
	checkJobIds(ctx.getNode(), settings.info, settings.jobIds, {
		none: {
			message: 'No job IDs to watch',
			description: 'Enter the IDs of the jobs to watch in the Job IDs field.',
		},
	});
}

/**
 * Counts every HTTP attempt, retries included, against the per-minute allowance and n8n's time budget
 * for the poll; the transport asks it before retrying, so the allowance is never exceeded.
 */
class RequestBudget {
	readonly times: number[] = [];

	constructor(
		private readonly allowed: number,
		private readonly deadline: number,
	) {}

	note(): void {
		this.times.push(Date.now());
	}

	callsLeft(): number {
		if (Date.now() >= this.deadline) return 0;
		return Math.max(0, this.allowed - this.times.length);
	}

	hasRoom(calls = 1): boolean {
		return this.callsLeft() >= calls;
	}
}

/** Transport retries inside a poll: few, because every retry spends the provider's per-minute budget. */
const POLL_RETRY = {
	maxAttempts: 2,
	baseDelayMs: 1_000,
	maxDelayMs: 5_000,
	maxRetryAfterMs: 10_000,
};

/**
 * Polls of a trigger still running. n8n starts a scheduled poll whether or not the previous one has
 * finished, and two polls reading the same ledger would both emit the jobs that ended: a poll that
 * finds one of its trigger still running skips its turn (the trigger runs in one process, n8n's main).
 */
const pollsInFlight = new Set<string>();

export async function pollJobs(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	if (ctx.getMode() === 'manual') return await pollOnce(ctx);
	const key = `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id || ctx.getNode().name}`;
	if (pollsInFlight.has(key)) {
		ctx.logger?.debug(
			'Bulk Verify Trigger: the previous poll is still running, this one skips its turn',
		);
		return null;
	}
	pollsInFlight.add(key);
	try {
		return await pollOnce(ctx);
	} finally {
		pollsInFlight.delete(key);
	}
}

async function pollOnce(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings(ctx);
	checkWatchedJobIds(ctx, settings);
	const startedAt = Date.now();
	const pollBudgetMs =
		typeof ctx.getPollBudgetMs === 'function' ? ctx.getPollBudgetMs() : undefined;
	const manual = ctx.getMode() === 'manual';
	const deadline =
		pollBudgetMs === undefined ? Infinity : startedAt + pollBudgetMs * POLL_BUDGET_SHARE;
	const providerFor = (budget: RequestBudget) =>
		createProvider(settings.info.name, ctx, {
			retry: POLL_RETRY,
			deadline: Number.isFinite(deadline) ? deadline : undefined,
			onAttempt: () => budget.note(),
			mayRetry: () => budget.hasRoom(),
		});

	if (manual)
		return await sampleEvent(ctx, settings, providerFor(new RequestBudget(Infinity, deadline)));

	const staticData = ctx.getWorkflowStaticData('node');
	const handoffs = ctx.getWorkflowStaticData('global');
	const ledgerKey = `${settings.info.name}:${settings.watch}`;
	const handoffKey = `bulkVerifyTrigger:${ctx.getNode().id || ctx.getNode().name}`;
	const start = startingLedger(staticData[ledgerKey], handoffs[handoffKey], ledgerKey);
	let ledger = start.ledger;
	// The first poll of an activation in n8n's default mode inherits a request meter that may lack the
	// calls of polls after the last emit; in durable mode the committed meter is complete. Waiting out
	// that minute protects an enforced limit; where the rate is only this package's own guess, a restart
	// should not delay the jobs that finished meanwhile.
	const inherited =
		settings.strictRate &&
		start.origin !== 'new' &&
		savedOnlyOnEmit(staticData) &&
		!polledStaticData.has(staticData);
	polledStaticData.add(staticData);
	if (inherited) ledger = assumeUnrecordedRequests(ledger, startedAt);
	const budget = new RequestBudget(
		requestsLeft(ledger, settings.requestsPerMinute, startedAt),
		deadline,
	);
	const provider = providerFor(budget);

	const outcome = await findEndedJobs(ctx, settings, provider, ledger, budget, startedAt);
	ledger = outcome.ledger;
	const items: INodeExecutionData[] = [];
	const emitted: string[] = [];
	for (const job of outcome.toEmit) {
		if (
			settings.include !== 'job' &&
			job.state === 'completed' &&
			!budget.hasRoom(resultCalls(provider))
		)
			break;
		try {
			items.push(...(await eventItems(ctx, settings, provider, job)));
			emitted.push(job.jobId);
		} catch (error) {
			outcome.problems.push(error);
			break;
		}
	}
	const now = Date.now();
	ledger = record(
		ledger,
		emitted.map((id) => [id, 'e']),
		[],
		now,
	);
	ledger = withRequests(ledger, budget.times, now);
	if (outcome.problems.some((problem) => errorKindOf(problem) === 'rateLimited')) {
		ledger = { ...ledger, pausedUntil: now + RATE_LIMIT_PAUSE_MS };
	}
	const blocking = outcome.problems.find((problem) => errorKindOf(problem) !== 'rateLimited');
	const fails = items.length === 0 && blocking !== undefined;
	if (!fails) ledger = markStarted(ledger, startedAt);
	// Reassigned, not edited in place: n8n saves static data only when a top-level key changes.
	staticData[ledgerKey] = ledger;
	const handoff = handoffAfter(start.origin, start.ledger, ledger, ledgerKey);
	if (handoff.action === 'write') handoffs[handoffKey] = handoff.handoff;
	else if (handoff.action === 'delete' && handoffs[handoffKey] !== undefined)
		delete handoffs[handoffKey];

	if (fails) throw asNodeError(ctx.getNode(), blocking);
	return items.length > 0 ? [items] : null;
}

interface Findings {
	ledger: Ledger;
	toEmit: NormalizedJob[];
	problems: unknown[];
}

/** Discovers and checks due jobs within the budget; records baseline and ignored endings. */
async function findEndedJobs(
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

function resultCalls(provider: Provider): number {
	return provider.info.capabilities.failedRows ? 2 : 1;
}

/** The item(s) one ended job produces: its status, and its results when asked for. */
async function eventItems(
	ctx: IPollFunctions,
	settings: Settings,
	provider: Provider,
	job: NormalizedJob,
): Promise<INodeExecutionData[]> {
	const event = { ...jobToJson(job, settings.results.simplify), event: job.state };
	if (settings.include === 'job' || job.state !== 'completed') return [{ json: event }];
	const rows = await fetchResults(ctx, provider, [job], settings.results, 0);
	if (settings.include === 'resultItems') {
		return rows.map((row) => ({
			json: { ...resultToJson(row, settings.results.simplify), job: event },
		}));
	}
	const [file] = await resultItems(ctx, rows, settings.results, () => [], []);
	return [{ json: { ...event, resultFile: file.json }, binary: file.binary }];
}

/** "Fetch test event": the most recently ended watched job, without touching the trigger's memory. */
async function sampleEvent(
	ctx: IPollFunctions,
	settings: Settings,
	provider: Provider,
): Promise<INodeExecutionData[][]> {
	const jobs =
		settings.watch === 'jobIds'
			? await provider.getStatus(settings.jobIds)
			: (
					await provider.listJobs!({
						page: 1,
						perPage: settings.info.capabilities.limits.jobsPerPage ?? DEFAULT_JOBS_PER_PAGE,
						sort: 'desc',
					})
				).jobs;
	const missing = jobs.find((job) => job.notFound);
	if (missing) throw notFoundError(ctx, provider, missing);
	const ended = jobs.filter((job) => job.isTerminal && settings.events.includes(job.state));
	const latest = ended.sort((a, b) => endTime(b) - endTime(a))[0];
	if (!latest) {
		throw new NodeOperationError(
			ctx.getNode(),
			`None of the watched ${settings.info.displayName} jobs has finished yet`,
			{
				description:
					'There is no finished job to show. Wait until a watched job ends (or watch one that has), then fetch a test event again to map its fields.',
			},
		);
	}
	return [await eventItems(ctx, settings, provider, latest)];
}

function endTime(job: NormalizedJob): number {
	const time = Date.parse(job.updatedAt ?? job.createdAt ?? '');
	return Number.isNaN(time) ? 0 : time;
}

function notFoundError(ctx: IPollFunctions, provider: Provider, job: NormalizedJob): NodeApiError {
	return providerError(
		ctx.getNode(),
		`${provider.info.displayName} does not know the watched job "${job.jobId}"`,
		{
			description: `Remove it from the Job IDs field or correct it (${provider.info.jobIdHint}); it must come from a job created with the same account.`,
			details: { jobId: job.jobId },
		},
	);
}
