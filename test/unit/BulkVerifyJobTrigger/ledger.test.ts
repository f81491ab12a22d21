// Tests nodes/BulkVerifyJobTrigger/ledger.ts: the trigger's memory, replaying what polls do to it.
import type { EntryStatus, Ledger, Sighting } from '../../../nodes/BulkVerifyJobTrigger/ledger';
import {
	assumeUnrecordedRequests,
	decide,
	handoffAfter,
	markStarted,
	nextDue,
	readLedger,
	record,
	requestsLeft,
	startingLedger,
	syncWatchList,
	watchDiscovered,
	withRequests,
} from '../../../nodes/BulkVerifyJobTrigger/ledger';

const MINUTE = 60_000;
const T0 = Date.parse('2026-11-23T08:00:00Z');
const KEY = 'whoisxml:allJobs';

function ledgerWith(overrides: Partial<Ledger> = {}): Ledger {
	return { ...readLedger(undefined), ...overrides };
}

function ended(jobId: string, extra: Partial<Sighting> = {}): Sighting {
	return { jobId, isTerminal: true, selected: true, ...extra };
}

function running(jobId: string): Sighting {
	return { jobId, isTerminal: false, selected: false };
}

/** What one poll does with what it observed (as poll.ts does): decide, record, take the baseline. */
function pollWith(
	start: Ledger,
	observed: Sighting[],
	now: number,
	includeExisting = false,
): { ledger: Ledger; emitted: string[] } {
	const changes: Array<[string, EntryStatus]> = [];
	const emitted: string[] = [];
	for (const sighting of observed) {
		const verdict = decide(start, sighting, includeExisting);
		if (verdict === 'emit') {
			emitted.push(sighting.jobId);
			changes.push([sighting.jobId, 'e']);
		} else if (verdict === 'baseline') changes.push([sighting.jobId, 'b']);
		else if (verdict === 'ignore' && start.entries[sighting.jobId]?.s === 'w')
			changes.push([sighting.jobId, 'x']);
	}
	let ledger = record(
		start,
		changes,
		observed.map((sighting) => sighting.jobId),
		now,
	);
	if (ledger.baselineAt === null) ledger = { ...ledger, baselineAt: now };
	return { ledger: markStarted(ledger, now), emitted };
}

describe('readLedger', () => {
	it('starts empty from nothing, from junk, and from a ledger of another version', () => {
		const empty = { v: 1, baselineAt: null, entries: {}, cursor: 0, recent: [] };
		for (const raw of [
			undefined,
			null,
			'text',
			42,
			[],
			{ v: 2, entries: {} },
			{ v: 1 },
			{ v: 1, entries: null },
		]) {
			expect(readLedger(raw)).toEqual(empty);
		}
	});

	it('reads back what n8n stored as JSON, dropping malformed fields, and copies the entries', () => {
		const stored = {
			v: 1,
			baselineAt: T0,
			since: T0,
			entries: { a: { s: 'e', t: T0 } },
			cursor: 3,
			newestId: 17,
			recent: [T0, 'x', T0 + 1],
			pausedUntil: T0 + MINUTE,
		};
		const ledger = readLedger(JSON.parse(JSON.stringify(stored)));
		expect(ledger).toEqual({ ...stored, recent: [T0, T0 + 1] });
		ledger.entries.b = { s: 'w', t: T0 };
		expect(stored.entries).not.toHaveProperty('b');

		expect(
			readLedger({ v: 1, entries: {}, baselineAt: 'yesterday', cursor: '2', recent: 'none' }),
		).toEqual({
			v: 1,
			baselineAt: null,
			since: undefined,
			entries: {},
			cursor: 0,
			newestId: undefined,
			recent: [],
			pausedUntil: undefined,
		});
	});
});

describe('baseline and emit-once (decide)', () => {
	it('the first poll records finished jobs as the baseline and emits nothing', () => {
		const start = syncWatchList(ledgerWith(), ['a', 'b', 'c'], T0);
		const { ledger, emitted } = pollWith(
			start,
			[ended('a'), running('b'), ended('c', { selected: false })],
			T0,
		);
		expect(emitted).toEqual([]);
		expect(ledger.entries).toEqual({
			a: { s: 'b', t: T0 },
			b: { s: 'w', t: T0 },
			c: { s: 'b', t: T0 },
		});
		expect(ledger.baselineAt).toBe(T0);
		expect(ledger.since).toBe(T0);
	});

	it('with includeExisting the first poll emits the finished jobs the user selected', () => {
		const start = syncWatchList(ledgerWith(), ['a', 'c'], T0);
		expect(decide(start, ended('a'), true)).toBe('emit');
		expect(decide(start, ended('c', { selected: false }), true)).toBe('ignore');
	});

	it('after the baseline a watched job fires once when it ends, and never again', () => {
		let ledger = pollWith(syncWatchList(ledgerWith(), ['a'], T0), [running('a')], T0).ledger;
		expect(decide(ledger, running('a'), false)).toBe('wait');
		const fired = pollWith(ledger, [ended('a')], T0 + MINUTE);
		expect(fired.emitted).toEqual(['a']);
		ledger = fired.ledger;
		expect(ledger.entries.a).toEqual({ s: 'e', t: T0 + MINUTE });
		for (const includeExisting of [false, true])
			expect(decide(ledger, ended('a'), includeExisting)).toBe('ignore');
		// Replayed from what n8n saved (a restart): still once.
		const restored = readLedger(JSON.parse(JSON.stringify(ledger)));
		expect(pollWith(restored, [ended('a')], T0 + 2 * MINUTE).emitted).toEqual([]);
	});

	it('an ending the user did not select is recorded as ignored, so selecting it later does not fire it', () => {
		const ledger = pollWith(syncWatchList(ledgerWith(), ['a'], T0), [running('a')], T0).ledger;
		const after = pollWith(ledger, [ended('a', { selected: false })], T0 + MINUTE).ledger;
		expect(after.entries.a.s).toBe('x');
		expect(decide(after, ended('a'), false)).toBe('ignore');
	});

	describe('a first sighting after the baseline (the baseline poll could not check the job)', () => {
		const baseline = { ...syncWatchList(ledgerWith(), ['u'], T0), baselineAt: T0, since: T0 };

		it('counts as finished before only when the end time proves it, allowing five minutes of clock skew', () => {
			expect(baseline.entries.u.u).toBe(true);
			expect(decide(baseline, ended('u', { endedAt: T0 - 5 * MINUTE - 1 }), false)).toBe(
				'baseline',
			);
			expect(decide(baseline, ended('u', { endedAt: T0 - 5 * MINUTE + 1 }), false)).toBe('emit');
			expect(decide(baseline, ended('u', { endedAt: T0 + MINUTE }), false)).toBe('emit');
		});

		it('without an end time it fires: a possible early event beats a missed one', () => {
			expect(decide(baseline, ended('u'), false)).toBe('emit');
		});

		it('once a poll has seen the job, its end time no longer matters', () => {
			const seen = record(baseline, [], ['u'], T0 + MINUTE);
			expect(seen.entries.u).toEqual({ s: 'w', t: T0 });
			expect(decide(seen, ended('u', { endedAt: T0 - 60 * MINUTE }), false)).toBe('emit');
		});

		it('a ledger of an older version (no `since`) measures from its baseline', () => {
			const old = { ...baseline, since: undefined, baselineAt: T0 + 10 * MINUTE };
			expect(decide(old, ended('u', { endedAt: T0 + 4 * MINUTE }), false)).toBe('baseline');
			expect(decide(old, ended('u', { endedAt: T0 + 6 * MINUTE }), false)).toBe('emit');
		});
	});

	describe('a late baseline (the activation poll was rate-limited before it could take it)', () => {
		// The activation poll saw job r running and got a 429 before it reached job u.
		const activation = markStarted(
			record(syncWatchList(ledgerWith(), ['r', 'u'], T0), [], ['r'], T0),
			T0,
		);

		it('the activation poll records when watching started, though it has no baseline', () => {
			expect(activation).toMatchObject({ baselineAt: null, since: T0 });
			expect(activation.entries).toEqual({ r: { s: 'w', t: T0 }, u: { s: 'w', t: T0, u: true } });
		});

		it('a job seen running at activation fires when the later poll finds it ended', () => {
			const { ledger, emitted } = pollWith(activation, [ended('r'), running('u')], T0 + 2 * MINUTE);
			expect(emitted).toEqual(['r']);
			expect(ledger).toMatchObject({ baselineAt: T0 + 2 * MINUTE, since: T0 });
		});

		it('a job no poll had seen fires unless its end time proves it ended before activation', () => {
			expect(decide(activation, ended('u', { endedAt: T0 - 6 * MINUTE }), false)).toBe('baseline');
			expect(decide(activation, ended('u', { endedAt: T0 + MINUTE }), false)).toBe('emit');
			expect(decide(activation, ended('u'), false)).toBe('emit');
		});

		it('end times are measured from activation, not from the later baseline', () => {
			const late = pollWith(activation, [ended('r'), running('x')], T0 + 20 * MINUTE).ledger;
			// u ended 2 minutes after activation, 18 minutes before the baseline was complete.
			expect(decide(late, ended('u', { endedAt: T0 + 2 * MINUTE }), false)).toBe('emit');
		});

		it('every-job discoveries of that later poll are first sightings too; after the baseline they are not', () => {
			const discovered = watchDiscovered(activation, ['n'], T0 + MINUTE);
			expect(discovered.entries.n).toEqual({ s: 'w', t: T0 + MINUTE, u: true });
			expect(decide(discovered, ended('n', { endedAt: T0 - 60 * MINUTE }), false)).toBe('baseline');
			const afterBaseline = watchDiscovered({ ...activation, baselineAt: T0 }, ['n'], T0 + MINUTE);
			expect(afterBaseline.entries.n).toEqual({ s: 'w', t: T0 + MINUTE });
		});
	});

	it('markStarted keeps the first start, and takes the baseline time of an older ledger', () => {
		expect(markStarted(ledgerWith(), T0).since).toBe(T0);
		expect(markStarted(ledgerWith({ since: T0 }), T0 + MINUTE).since).toBe(T0);
		expect(markStarted(ledgerWith({ baselineAt: T0 - MINUTE }), T0).since).toBe(T0 - MINUTE);
	});
});

describe('the baseline handoff (durable poll cursors)', () => {
	// n8n 2.41 with durable cursors drops the activation poll's node static data when it returns null,
	// but saves the workflow's global static data: the handoff. These replay the activation poll and the
	// first scheduled poll with and without it.
	const activationPoll = () => {
		const start = startingLedger(undefined, undefined, KEY);
		expect(start.origin).toBe('new');
		const { ledger } = pollWith(
			syncWatchList(start.ledger, ['a', 'b'], T0),
			[running('a'), ended('b')],
			T0,
		);
		return { start, ledger, handoff: handoffAfter(start.origin, start.ledger, ledger, KEY) };
	};

	it('the activation poll writes its ledger to the handoff', () => {
		const { ledger, handoff } = activationPoll();
		expect(handoff).toEqual({ action: 'write', handoff: { v: 1, key: KEY, ledger } });
	});

	it('the first scheduled poll, whose node static data n8n dropped, resumes from the handoff and fires for a job that ended in between', () => {
		const { handoff } = activationPoll();
		const saved = JSON.parse(
			JSON.stringify(handoff.action === 'write' ? handoff.handoff : null),
		) as unknown;
		const start = startingLedger(undefined, saved, KEY);
		expect(start.origin).toBe('handoff');
		const { emitted } = pollWith(
			syncWatchList(start.ledger, ['a', 'b'], T0 + MINUTE),
			[ended('a'), ended('b')],
			T0 + MINUTE,
		);
		expect(emitted).toEqual(['a']);
		// It keeps the handoff, so a scheduled poll whose commit fails can be repeated from the same baseline.
		expect(handoffAfter(start.origin, start.ledger, start.ledger, KEY)).toEqual({ action: 'keep' });
	});

	it('without the handoff the first scheduled poll takes the baseline again and the job is never fired (the bug it fixes)', () => {
		const start = startingLedger(undefined, undefined, KEY);
		const { ledger, emitted } = pollWith(
			syncWatchList(start.ledger, ['a', 'b'], T0 + MINUTE),
			[ended('a'), ended('b')],
			T0 + MINUTE,
		);
		expect(emitted).toEqual([]);
		expect(ledger.entries.a.s).toBe('b');
	});

	it("the node's own ledger always wins; once it has a baseline, the handoff is deleted", () => {
		const { ledger, handoff } = activationPoll();
		const own = {
			...ledger,
			entries: { ...ledger.entries, a: { s: 'e' as const, t: T0 + MINUTE } },
		};
		const start = startingLedger(
			own,
			handoff.action === 'write' ? handoff.handoff : undefined,
			KEY,
		);
		expect(start).toEqual({ ledger: own, origin: 'own' });
		expect(handoffAfter(start.origin, start.ledger, start.ledger, KEY)).toEqual({
			action: 'delete',
		});
	});

	it('a poll that still has no baseline (rate-limited) rewrites the handoff, whatever the ledger came from', () => {
		const partial = markStarted(ledgerWith(), T0);
		const end = { ...partial, recent: [T0] };
		for (const origin of ['new', 'own', 'handoff'] as const) {
			expect(handoffAfter(origin, partial, end, KEY)).toEqual({
				action: 'write',
				handoff: { v: 1, key: KEY, ledger: end },
			});
		}
	});

	it('ignores a handoff written for another provider or watch mode, or not written by this version', () => {
		const { handoff } = activationPoll();
		const written = handoff.action === 'write' ? handoff.handoff : undefined;
		expect(startingLedger(undefined, written, 'bouncify:jobIds').origin).toBe('new');
		expect(startingLedger(undefined, { ...written, v: 2 }, KEY).origin).toBe('new');
		expect(startingLedger(undefined, { v: 1, key: KEY }, KEY).origin).toBe('new');
		expect(startingLedger(undefined, 'junk', KEY).origin).toBe('new');
	});
});

describe('watch lists and pruning', () => {
	it('syncWatchList starts new ids as unseen, keeps known ones, and retires removed ones that had ended', () => {
		let ledger = syncWatchList(ledgerWith(), ['a', 'b', 'c'], T0);
		ledger = record(ledger, [['b', 'e']], ['a', 'b', 'c'], T0);
		ledger = syncWatchList(ledger, ['a', 'd'], T0 + MINUTE);
		expect(ledger.entries).toEqual({
			a: { s: 'w', t: T0 },
			b: { s: 'e', t: T0 }, // retired, remembered
			d: { s: 'w', t: T0 + MINUTE, u: true },
		});
		// Re-adding an emitted job does not watch it again.
		ledger = syncWatchList(ledger, ['a', 'b', 'd'], T0 + 2 * MINUTE);
		expect(ledger.entries.b).toEqual({ s: 'e', t: T0 });
		expect(decide(ledger, ended('b'), false)).toBe('ignore');
	});

	it('syncWatchList keeps only the 2,000 most recently changed retired entries', () => {
		const entries = Object.fromEntries(
			Array.from({ length: 2_100 }, (_, index) => [
				`j${index}`,
				{ s: 'e' as const, t: T0 + index },
			]),
		);
		const ledger = syncWatchList(ledgerWith({ entries }), ['fresh'], T0 + 5_000);
		const retired = Object.keys(ledger.entries).filter((id) => id !== 'fresh');
		expect(retired).toHaveLength(2_000);
		expect(retired).not.toContain('j99');
		expect(retired).toContain('j100');
		expect(retired).toContain('j2099');
	});

	it('watchDiscovered prunes the oldest ended entries beyond 2,000 but never a watched one', () => {
		const entries: Ledger['entries'] = Object.fromEntries(
			Array.from({ length: 2_001 }, (_, index) => [`${index}`, { s: 'b' as const, t: T0 + index }]),
		);
		entries.old = { s: 'w', t: T0 - MINUTE };
		const ledger = watchDiscovered(ledgerWith({ entries, baselineAt: T0 }), ['5000'], T0 + 10_000);
		expect(ledger.entries.old).toEqual({ s: 'w', t: T0 - MINUTE });
		expect(ledger.entries['5000']).toEqual({ s: 'w', t: T0 + 10_000 });
		expect(ledger.entries['0']).toBeUndefined();
		expect(Object.values(ledger.entries).filter((entry) => entry.s !== 'w')).toHaveLength(2_000);
	});

	it('watchDiscovered does not reset a job it already knows', () => {
		const ledger = watchDiscovered(
			ledgerWith({ baselineAt: T0, entries: { 7: { s: 'e', t: T0 } } }),
			['7', '8'],
			T0 + MINUTE,
		);
		expect(ledger.entries).toEqual({ 7: { s: 'e', t: T0 }, 8: { s: 'w', t: T0 + MINUTE } });
	});

	it('record is pure: it returns a new ledger and leaves the old one as it was', () => {
		const before = syncWatchList(ledgerWith(), ['a'], T0);
		const copy = JSON.parse(JSON.stringify(before)) as Ledger;
		const after = record(before, [['a', 'e']], ['a'], T0 + MINUTE);
		expect(before).toEqual(copy);
		expect(after.entries.a).toEqual({ s: 'e', t: T0 + MINUTE });
	});
});

describe('nextDue (round robin under a small budget)', () => {
	const watching = syncWatchList(ledgerWith(), ['e', 'c', 'a', 'd', 'b'], T0);

	it('hands out watched ids in turn, wrapping around, so every job gets checked', () => {
		const turns: string[][] = [];
		let ledger = watching;
		for (let poll = 0; poll < 3; poll++) {
			const due = nextDue(ledger, 2);
			turns.push(due.ids);
			ledger = { ...ledger, cursor: due.cursor };
		}
		expect(turns).toEqual([
			['a', 'b'],
			['c', 'd'],
			['e', 'a'],
		]);
		expect(ledger.cursor).toBe(1);
	});

	it('skips jobs that are no longer watched, gives each id once when the budget covers all, and nothing without budget', () => {
		const ledger = record(watching, [['c', 'e']], [], T0);
		expect(nextDue(ledger, 10)).toEqual({ ids: ['a', 'b', 'd', 'e'], cursor: 0 });
		expect(nextDue({ ...ledger, cursor: 3 }, 0)).toEqual({ ids: [], cursor: 3 });
		expect(nextDue(ledgerWith(), 5)).toEqual({ ids: [], cursor: 0 });
	});
});

describe('request meter', () => {
	it('counts the requests of the last minute only', () => {
		const ledger = withRequests(
			ledgerWith({ recent: [T0 - MINUTE, T0 - MINUTE + 1] }),
			[T0 - 1],
			T0,
		);
		expect(ledger.recent).toEqual([T0 - MINUTE + 1, T0 - 1]);
		expect(requestsLeft(ledger, 10, T0)).toBe(8);
		expect(requestsLeft(ledger, 10, T0 + 1)).toBe(9);
		expect(requestsLeft(ledger, 10, T0 + MINUTE)).toBe(10);
		expect(requestsLeft(withRequests(ledger, Array(12).fill(T0), T0), 10, T0)).toBe(0);
	});

	it('withRequests drops what left the window and appends the new calls', () => {
		const ledger = withRequests(
			ledgerWith({ recent: [T0 - 2 * MINUTE, T0 - 30_000] }),
			[T0, T0 + 1],
			T0 + 1,
		);
		expect(ledger.recent).toEqual([T0 - 30_000, T0, T0 + 1]);
	});

	it('makes no request while paused after a rate limit', () => {
		const ledger = ledgerWith({ pausedUntil: T0 + MINUTE });
		expect(requestsLeft(ledger, 10, T0 + MINUTE - 1)).toBe(0);
		expect(requestsLeft(ledger, 10, T0 + MINUTE)).toBe(10);
	});

	it('a ledger read back after a reactivation assumes unsaved calls up to now: nothing for a minute', () => {
		const inherited = assumeUnrecordedRequests(ledgerWith({ recent: [T0 - 2 * MINUTE] }), T0);
		expect(requestsLeft(inherited, 10, T0)).toBe(0);
		expect(requestsLeft(inherited, 10, T0 + MINUTE - 1)).toBe(0);
		expect(requestsLeft(inherited, 10, T0 + MINUTE)).toBe(10);
		// A longer rate-limit pause already in the ledger is kept.
		expect(
			assumeUnrecordedRequests(ledgerWith({ pausedUntil: T0 + 5 * MINUTE }), T0).pausedUntil,
		).toBe(T0 + 5 * MINUTE);
	});
});
