/**
 * The trigger's memory, kept in the node's workflow static data: which watched jobs it has emitted,
 * which were already finished when it started (the baseline), and its request meter. Pure functions
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
	entries: Record<string, LedgerEntry>;
	/** Round-robin position among watched jobs, so every job gets its turn under a small budget. */
	cursor: number;
	/** "Every job" mode: the highest job id discovered so far. */
	newestId?: number;
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
	if (candidate.v !== 1 || typeof candidate.entries !== 'object' || candidate.entries === null) return emptyLedger();
	return {
		v: 1,
		baselineAt: typeof candidate.baselineAt === 'number' ? candidate.baselineAt : null,
		entries: { ...candidate.entries },
		cursor: typeof candidate.cursor === 'number' ? candidate.cursor : 0,
		newestId: typeof candidate.newestId === 'number' ? candidate.newestId : undefined,
		recent: Array.isArray(candidate.recent) ? candidate.recent.filter((time) => typeof time === 'number') : [],
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
	return { ...ledger, entries: { ...Object.fromEntries(newest(retired, RETIRED_LIMIT)), ...entries } };
}

/**
 * "Every job" mode: newly discovered jobs start being watched. They are new by construction (above
 * the newest-id watermark), so their first sighting needs no end-time check.
 */
export function watchDiscovered(ledger: Ledger, ids: readonly string[], now: number): Ledger {
	const entries = { ...ledger.entries };
	for (const id of ids) entries[id] ??= { s: 'w', t: now };
	const ended = Object.entries(entries).filter(([, entry]) => entry.s !== 'w');
	if (ended.length <= RETIRED_LIMIT) return { ...ledger, entries };
	// The newest-id watermark keeps old jobs from being rediscovered, so old ended entries can go.
	const keep = new Set(newest(ended, RETIRED_LIMIT).map(([id]) => id));
	return {
		...ledger,
		entries: Object.fromEntries(Object.entries(entries).filter(([id, entry]) => entry.s === 'w' || keep.has(id))),
	};
}

function newest(entries: Array<[string, LedgerEntry]>, limit: number): Array<[string, LedgerEntry]> {
	return entries.length <= limit ? entries : [...entries].sort((a, b) => b[1].t - a[1].t).slice(0, limit);
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

export type Verdict = 'emit' | 'baseline' | 'ignore' | 'wait';

/** How far the provider's clock may lag ours before an end time is trusted to predate the baseline. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * What to do with one observed job. The baseline poll records finished jobs without emitting them
 * (unless `includeExisting`). A watched job the baseline poll could not check (its budget ran out)
 * counts as finished before the baseline only when the provider's end time proves it, allowing for
 * clock skew; without an end time it is emitted: a possible early event beats a missed one.
 */
export function decide(ledger: Ledger, sighting: Sighting, includeExisting: boolean): Verdict {
	const entry = ledger.entries[sighting.jobId];
	if (entry !== undefined && entry.s !== 'w') return 'ignore';
	if (!sighting.isTerminal) return 'wait';
	const predatesBaseline =
		ledger.baselineAt === null ||
		(entry?.u === true && sighting.endedAt !== undefined && sighting.endedAt < ledger.baselineAt - CLOCK_SKEW_MS);
	if (predatesBaseline && !includeExisting) return 'baseline';
	return sighting.selected ? 'emit' : 'ignore';
}

/** Records what a poll concluded: emitted, baseline and ignored jobs stop being watched. */
export function record(ledger: Ledger, changes: ReadonlyArray<[string, EntryStatus]>, seen: readonly string[], now: number): Ledger {
	const entries = { ...ledger.entries };
	for (const id of seen) {
		const entry = entries[id];
		if (entry?.u) entries[id] = { s: entry.s, t: entry.t };
	}
	for (const [id, status] of changes) entries[id] = { s: status, t: now };
	return { ...ledger, entries };
}

/** Requests the provider still allows in the current minute, after those already made. */
export function requestsLeft(ledger: Ledger, perMinute: number, now: number): number {
	if (ledger.pausedUntil !== undefined && now < ledger.pausedUntil) return 0;
	return Math.max(0, perMinute - ledger.recent.filter((time) => time > now - MINUTE_MS).length);
}

export function withRequests(ledger: Ledger, times: readonly number[], now: number): Ledger {
	return { ...ledger, recent: [...ledger.recent.filter((time) => time > now - MINUTE_MS), ...times] };
}
