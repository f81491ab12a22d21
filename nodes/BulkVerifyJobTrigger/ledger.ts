/**
 * The trigger's memory, kept in the node's workflow static data: which watched jobs it has emitted,
 * which were already finished when it started (the baseline), and its request meter. Until n8n has kept
 * a ledger with a baseline, a copy also goes to the workflow's global static data (the handoff, see
 * `Handoff`), because n8n's durable poll cursors drop what the activation poll stored. Pure functions
 * over plain JSON, so n8n can persist it and tests can replay it. It stays bounded: entries exist only
 * for watched jobs, plus a capped tail of retired ones.
 */

/** w: watching · e: emitted · b: finished before the baseline · x: ended in a state the user did not select. */
export type EntryStatus = 'w' | 'e' | 'b' | 'x';

export interface LedgerEntry {
	s: EntryStatus;
	/** When the entry last changed (epoch ms). */
	t: number;
	/** Watching, and not yet seen by any poll: its first sighting decides whether it predates the baseline. */
	u?: true;
}

export interface Ledger {
	v: 1;
	/** When the baseline poll ran; null until then. */
	baselineAt: number | null;
	/**
	 * When the trigger started watching: the time of its first poll that did not fail (the activation poll).
	 * Set even when that poll could not take the baseline (the provider rate-limited it), so that a later
	 * poll taking it knows which endings may have happened since. Absent in ledgers of older versions.
	 */
	since?: number;
	entries: Record<string, LedgerEntry>;
	/** Round-robin position among watched jobs, so every job gets its turn under a small budget. */
	cursor: number;
	/**
	 * "Every job" mode: the highest job id discovered so far; a number while it is exact as one, its
	 * digits past 2^53 (a float would round it onto a neighbour).
	 */
	newestId?: number | string;
	/** Request times (epoch ms) of the last minute, to stay within the provider's rate. */
	recent: number[];
	/** No requests before this time (epoch ms): set when the provider rate-limited us. */
	pausedUntil?: number;
}

/** Retired entries (jobs no longer watched) kept so a job re-added soon after is not emitted twice. */
const RETIRED_LIMIT = 2_000;
const MINUTE_MS = 60_000;

function emptyLedger(): Ledger {
	return { v: 1, baselineAt: null, entries: {}, cursor: 0, recent: [] };
}

/** The saved ledger, or a fresh one when there is none or it is not one this version wrote. */
export function readLedger(raw: unknown): Ledger {
	if (raw === null || typeof raw !== 'object') return emptyLedger();
	const candidate = raw as Partial<Ledger>;
	if (candidate.v !== 1 || typeof candidate.entries !== 'object' || candidate.entries === null)
		return emptyLedger();
	return {
		v: 1,
		baselineAt: typeof candidate.baselineAt === 'number' ? candidate.baselineAt : null,
		since: typeof candidate.since === 'number' ? candidate.since : undefined,
		entries: { ...candidate.entries },
		cursor: typeof candidate.cursor === 'number' ? candidate.cursor : 0,
		newestId:
			typeof candidate.newestId === 'number' ||
			(typeof candidate.newestId === 'string' && /^\d+$/.test(candidate.newestId))
				? candidate.newestId
				: undefined,
		recent: Array.isArray(candidate.recent)
			? candidate.recent.filter((time) => typeof time === 'number')
			: [],
		pausedUntil: typeof candidate.pausedUntil === 'number' ? candidate.pausedUntil : undefined,
	};
}

function watchingIds(ledger: Ledger): string[] {
	return Object.keys(ledger.entries).filter((id) => ledger.entries[id].s === 'w');
}

/**
 * Makes the ledger watch exactly `ids` (the "specific jobs" list): new ids start watching; ids that
 * left the list are retired but remembered (capped) if they had ended, so re-adding one does not
 * emit it again.
 */
export function syncWatchList(ledger: Ledger, ids: readonly string[], now: number): Ledger {
	const wanted = new Set(ids);
	const entries: Record<string, LedgerEntry> = {};
	const retired: Array<[string, LedgerEntry]> = [];
	for (const [id, entry] of Object.entries(ledger.entries)) {
		if (wanted.has(id)) entries[id] = entry;
		else if (entry.s !== 'w') retired.push([id, entry]);
	}
	for (const id of ids) entries[id] ??= { s: 'w', t: now, u: true };
	return {
		...ledger,
		entries: { ...Object.fromEntries(newest(retired, RETIRED_LIMIT)), ...entries },
	};
}

/**
 * "Every job" mode: newly discovered jobs start being watched. After the baseline they are new by
 * construction (above the newest-id watermark), so their first sighting needs no end-time check; on a
 * late baseline (see `decide`) it does.
 */
export function watchDiscovered(ledger: Ledger, ids: readonly string[], now: number): Ledger {
	const entries = { ...ledger.entries };
	const lateBaseline = isLateBaseline(ledger);
	for (const id of ids)
		entries[id] ??= lateBaseline ? { s: 'w', t: now, u: true } : { s: 'w', t: now };
	const ended = Object.entries(entries).filter(([, entry]) => entry.s !== 'w');
	if (ended.length <= RETIRED_LIMIT) return { ...ledger, entries };
	// The newest-id watermark keeps old jobs from being rediscovered, so old ended entries can go.
	const keep = new Set(newest(ended, RETIRED_LIMIT).map(([id]) => id));
	return {
		...ledger,
		entries: Object.fromEntries(
			Object.entries(entries).filter(([id, entry]) => entry.s === 'w' || keep.has(id)),
		),
	};
}

function newest(
	entries: Array<[string, LedgerEntry]>,
	limit: number,
): Array<[string, LedgerEntry]> {
	return entries.length <= limit
		? entries
		: [...entries].sort((a, b) => b[1].t - a[1].t).slice(0, limit);
}

/** The next `count` watched ids in round-robin order, and the cursor for the poll after. */
export function nextDue(ledger: Ledger, count: number): { ids: string[]; cursor: number } {
	const ids = watchingIds(ledger).sort();
	if (ids.length === 0 || count <= 0) return { ids: [], cursor: ledger.cursor };
	const start = ledger.cursor % ids.length;
	const due = ids.slice(start, start + count);
	if (due.length < count) due.push(...ids.slice(0, Math.min(start, count - due.length)));
	return { ids: due, cursor: (start + due.length) % ids.length };
}

export interface Sighting {
	jobId: string;
	isTerminal: boolean;
	/** The terminal state is one the user wants to hear about. */
	selected: boolean;
	/** When the job ended, if the provider says (epoch ms). */
	endedAt?: number;
}

export type Decision = 'emit' | 'baseline' | 'ignore' | 'wait';

/** How far the provider's clock may lag ours before an end time is trusted to predate the baseline. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The first poll could not take the baseline (rate-limited), so a later one takes it. */
function isLateBaseline(ledger: Ledger): boolean {
	return ledger.baselineAt === null && ledger.since !== undefined;
}

/**
 * What to do with one observed job. The first poll (the activation poll) records finished jobs as the
 * baseline without emitting them (unless `includeExisting`). Any later sighting of an ended job is an
 * event, except a job's first sighting (`u`: a watched job no earlier poll could check, because the
 * budget ran out or the first poll was rate-limited): it counts as finished before the trigger started
 * watching only when the provider's end time proves it, allowing for clock skew; without an end time
 * it is emitted: a possible early event beats a missed one.
 */
export function decide(ledger: Ledger, sighting: Sighting, includeExisting: boolean): Decision {
	const entry = ledger.entries[sighting.jobId];
	if (entry !== undefined && entry.s !== 'w') return 'ignore';
	if (!sighting.isTerminal) return 'wait';
	const watchingSince = ledger.since ?? ledger.baselineAt;
	const predatesBaseline =
		watchingSince === null ||
		(entry?.u === true &&
			sighting.endedAt !== undefined &&
			sighting.endedAt < watchingSince - CLOCK_SKEW_MS);
	if (predatesBaseline && !includeExisting) return 'baseline';
	return sighting.selected ? 'emit' : 'ignore';
}

/**
 * The ledger after the poll that first did not fail: it records when the trigger started watching.
 * A poll that fails does not count (a failed activation poll means n8n did not activate the workflow).
 */
export function markStarted(ledger: Ledger, startedAt: number): Ledger {
	return ledger.since === undefined ? { ...ledger, since: ledger.baselineAt ?? startedAt } : ledger;
}

/** Records what a poll concluded: emitted, baseline and ignored jobs stop being watched. */
export function record(
	ledger: Ledger,
	changes: ReadonlyArray<[string, EntryStatus]>,
	seen: readonly string[],
	now: number,
): Ledger {
	const entries = { ...ledger.entries };
	for (const id of seen) {
		const entry = entries[id];
		if (entry?.u) entries[id] = { s: entry.s, t: entry.t };
	}
	for (const [id, status] of changes) entries[id] = { s: status, t: now };
	return { ...ledger, entries };
}

/**
 * The baseline handoff: a copy of the ledger kept in the workflow's *global* static data by the poll(s)
 * that take the baseline. With n8n 2.41's opt-in durable poll cursors the node's static data is a per-poll
 * copy that n8n commits only with an emitted execution or after a *scheduled* poll; the activation poll's
 * copy is dropped when it returns null (n8n-core `PollTriggerExecutor`). The workflow's static data, global
 * part included, is still saved after activation, so the first scheduled poll, finding no ledger of its
 * own, starts from the handoff instead of taking the baseline again (which would count every job that
 * ended in between as "finished before activation" and never fire for it).
 *
 * Without durable cursors n8n saves both at activation, and the node's own ledger always wins.
 */
export interface Handoff {
	v: 1;
	/** The ledger's key (provider and watch mode): a handoff for another configuration is not used. */
	key: string;
	ledger: Ledger;
}

/** Where a poll's ledger came from: the node's own static data, the baseline handoff, or neither. */
export type LedgerOrigin = 'own' | 'handoff' | 'new';

/**
 * The ledger a poll starts from. The node's own saved ledger wins whenever there is one; the handoff is
 * used only when the node has none (n8n dropped the activation poll's), and only if it was written for
 * the same `key`.
 */
export function startingLedger(
	own: unknown,
	handoff: unknown,
	key: string,
): { ledger: Ledger; origin: LedgerOrigin } {
	if (own !== undefined && own !== null) return { ledger: readLedger(own), origin: 'own' };
	if (handoff !== null && typeof handoff === 'object') {
		const candidate = handoff as Partial<Handoff>;
		if (
			candidate.v === 1 &&
			candidate.key === key &&
			candidate.ledger !== null &&
			typeof candidate.ledger === 'object'
		) {
			return { ledger: readLedger(candidate.ledger), origin: 'handoff' };
		}
	}
	return { ledger: readLedger(undefined), origin: 'new' };
}

export type HandoffAction =
	{ action: 'write'; handoff: Handoff } | { action: 'delete' } | { action: 'keep' };

/**
 * What a poll does with the handoff, given where its ledger came from (`origin`), the ledger it started
 * from and the one it ends with:
 * - a poll that started without a baseline (it took it, or is still taking it) writes its ledger;
 * - a poll that started from the node's own ledger with a baseline deletes the handoff: n8n has kept the
 *   node's ledger, so the copy is stale from now on (n8n saves the deletion with the next emit);
 * - a poll that started from the handoff keeps it as it is, so that a poll whose cursor n8n fails to
 *   commit can be repeated from the same baseline.
 */
export function handoffAfter(
	origin: LedgerOrigin,
	start: Ledger,
	end: Ledger,
	key: string,
): HandoffAction {
	if (start.baselineAt === null) return { action: 'write', handoff: { v: 1, key, ledger: end } };
	if (origin === 'own') return { action: 'delete' };
	return { action: 'keep' };
}

/** Requests the provider still allows in the current minute, after those already made. */
export function requestsLeft(ledger: Ledger, perMinute: number, now: number): number {
	if (ledger.pausedUntil !== undefined && now < ledger.pausedUntil) return 0;
	return Math.max(0, perMinute - ledger.recent.filter((time) => time > now - MINUTE_MS).length);
}

/**
 * For a ledger read back from storage where n8n saves it only when a poll emits (its default mode):
 * polls that emitted nothing since that save made requests the meter does not show, possibly just
 * before now, so no request is made until a minute from now.
 */
export function assumeUnrecordedRequests(ledger: Ledger, now: number): Ledger {
	return { ...ledger, pausedUntil: Math.max(ledger.pausedUntil ?? 0, now + MINUTE_MS) };
}

export function withRequests(ledger: Ledger, times: readonly number[], now: number): Ledger {
	return {
		...ledger,
		recent: [...ledger.recent.filter((time) => time > now - MINUTE_MS), ...times],
	};
}
