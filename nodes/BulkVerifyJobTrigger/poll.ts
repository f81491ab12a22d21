/**
 * One poll of the Bulk Verify Trigger: find which watched jobs have ended since the last poll, emit
 * each exactly once, and stay within the provider's request budget. The decisions are in the pure
 * ledger; this file does the calls and builds the items.
 */
import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import {
	assumeUnrecordedRequests,
	handoffAfter,
	markStarted,
	record,
	requestsLeft,
	startingLedger,
	withRequests,
} from './ledger';
import { createProvider } from '../shared/providers';
import { asNodeError, errorKindOf } from '../shared/model/errors';
import { POLL_RETRY, RequestBudget } from './budget';
import { findEndedJobs } from './discovery';
import { pollBudgetMs } from './n8n-features';
import { eventItems, resultCalls, sampleEvent } from './events';
import { checkWatchedJobIds, readSettings } from './settings';

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
	// n8n 1.x has no poll budget: there only the provider's request budget bounds a poll.
	const budgetMs = pollBudgetMs(ctx);
	const manual = ctx.getMode() === 'manual';
	const deadline = budgetMs === undefined ? Infinity : startedAt + budgetMs * POLL_BUDGET_SHARE;
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
