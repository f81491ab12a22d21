import { z } from 'zod';

import { ACCEPTED, UNVERIFIABLE, applyCatchAllRule, catchAllOutcome } from '../../nodes/shared/model/verdict-rules';
import { asRecord, clampPercent, firstText, parseFlag, progressFrom, scalarText, sumReported, toIsoDate, verdictToken, withoutUndefined } from '../../nodes/shared/model/values';
import { canonicalEmail, isSyntacticallyValidEmail } from '../../nodes/BulkVerify/helpers/address';
import { errorMessageReader, lenientNumber, optionalNumber, optionalScalar, optionalString } from '../../nodes/shared/schema/lenient';
import { isTerminalState, makeNormalizedJob } from '../../nodes/shared/model/job';
import { makeNormalizedResult } from '../../nodes/shared/model/result';

describe('parseFlag', () => {
	it.each([
		[true, true],
		[false, false],
		['true', true],
		['false', false],
		['TRUE', true],
		[' False ', false],
		[1, true],
		[0, false],
		['1', true],
		['0', false],
		['Y', true],
		['N', false],
		['y', true],
		['n', false],
		['yes', true],
		['no', false],
		['Yes', true],
	])('reads %p as %p', (input, expected) => {
		expect(parseFlag(input)).toBe(expected);
	});

	it.each([[null], ['null'], ['NULL'], [''], [undefined], [2], ['maybe'], [{}], [[]]])(
		'reads %p as not reported',
		(input) => {
			expect(parseFlag(input)).toBeUndefined();
		},
	);
});

describe('verdictToken', () => {
	it('unifies case, spaces, hyphens and underscores', () => {
		expect(verdictToken('accept all')).toBe('accept_all');
		expect(verdictToken('accept-all')).toBe('accept_all');
		expect(verdictToken('accept_all')).toBe('accept_all');
		expect(verdictToken(' Accept - All ')).toBe('accept_all');
		expect(verdictToken('IN_PROGRESS')).toBe('in_progress');
		expect(verdictToken('spam trap')).toBe('spam_trap');
		expect(verdictToken('smtp-failed')).toBe('smtp_failed');
	});

	it('reads missing values as the empty token and stringifies numbers', () => {
		expect(verdictToken(undefined)).toBe('');
		expect(verdictToken(null)).toBe('');
		expect(verdictToken(1)).toBe('1');
	});
});

describe('scalarText and firstText', () => {
	it('returns trimmed non-empty text', () => {
		expect(scalarText('  a ')).toBe('a');
		expect(scalarText('   ')).toBeUndefined();
		expect(scalarText(5)).toBe('5');
		expect(scalarText(null)).toBeUndefined();
		expect(scalarText(true)).toBeUndefined();
	});

	it('picks the first non-empty string', () => {
		expect(firstText(undefined, '', ' x ', 'y')).toBe('x');
		expect(firstText(3, null)).toBeUndefined();
	});
});

describe('asRecord', () => {
	it('accepts objects and JSON object text, nothing else', () => {
		expect(asRecord({ a: 1 })).toEqual({ a: 1 });
		expect(asRecord(' {"a":1} ')).toEqual({ a: 1 });
		expect(asRecord('{not json')).toBeUndefined();
		expect(asRecord('plain text')).toBeUndefined();
		expect(asRecord([1])).toBeUndefined();
		expect(asRecord(null)).toBeUndefined();
	});
});

describe('errorMessageReader', () => {
	const extract = errorMessageReader(
		z.object({ ok: z.boolean().optional(), error: z.string() }).transform((body) => (body.ok ? undefined : body.error)),
	);

	it('reads objects and JSON object text with the envelope schema', () => {
		expect(extract({ error: 'Bad key' })).toBe('Bad key');
		expect(extract('{"error":"Bad key"}')).toBe('Bad key');
		expect(extract({ ok: true, error: 'ignored' })).toBeUndefined();
	});

	it('finds nothing in a body the schema does not fit', () => {
		expect(extract({ message: 'x' })).toBeUndefined();
		expect(extract('plain text')).toBeUndefined();
		expect(extract(undefined)).toBeUndefined();
	});
});

describe('toIsoDate', () => {
	it('normalizes ISO strings that carry a zone', () => {
		expect(toIsoDate('2024-01-15T10:30:00Z')).toBe('2024-01-15T10:30:00.000Z');
		expect(toIsoDate('2021-09-13T06:49:39.280Z')).toBe('2021-09-13T06:49:39.280Z');
		expect(toIsoDate('2024-01-15T12:30:00+02:00')).toBe('2024-01-15T10:30:00.000Z');
	});

	it('reads Unix seconds as string or number', () => {
		expect(toIsoDate('1528204702')).toBe('2018-06-05T13:18:22.000Z');
		expect(toIsoDate(1528204702)).toBe('2018-06-05T13:18:22.000Z');
	});

	it('reads WhoisXML audit dates', () => {
		expect(toIsoDate('2023-10-17 06:24:50.012 UTC')).toBe('2023-10-17T06:24:50.012Z');
	});

	it('keeps zone-less or unparseable values as the provider wrote them', () => {
		expect(toIsoDate('08/13/2021, 9:39:37 AM')).toBe('08/13/2021, 9:39:37 AM');
		expect(toIsoDate('2024-01-15T10:30:00')).toBe('2024-01-15T10:30:00');
		expect(toIsoDate('2024-13-45T99:99:99Z')).toBe('2024-13-45T99:99:99Z');
		expect(toIsoDate('0')).toBe('0');
	});

	it('reads missing values as undefined', () => {
		expect(toIsoDate(undefined)).toBeUndefined();
		expect(toIsoDate(null)).toBeUndefined();
		expect(toIsoDate('  ')).toBeUndefined();
		expect(toIsoDate(Number.NaN)).toBeUndefined();
	});
});

describe('progress', () => {
	it('computes whole percents, clamped to 0..100', () => {
		expect(progressFrom(1, 2)).toBe(50);
		expect(progressFrom(1, 3)).toBe(33);
		expect(progressFrom(2, 2)).toBe(100);
		expect(progressFrom(999, 1000)).toBe(99);
		expect(progressFrom(5, 2)).toBe(100);
		expect(progressFrom(-1, 2)).toBe(0);
	});

	it('is undefined without both counters or with a zero total', () => {
		expect(progressFrom(undefined, 2)).toBeUndefined();
		expect(progressFrom(1, undefined)).toBeUndefined();
		expect(progressFrom(0, 0)).toBeUndefined();
	});

	it('clamps reported percents', () => {
		expect(clampPercent(140)).toBe(100);
		expect(clampPercent(-3)).toBe(0);
		expect(clampPercent(99.9)).toBe(99);
		expect(clampPercent(undefined)).toBeUndefined();
		expect(clampPercent(Number.NaN)).toBeUndefined();
	});

	it('sums only reported counters', () => {
		expect(sumReported(1, undefined, 2)).toBe(3);
		expect(sumReported(undefined, undefined)).toBeUndefined();
		expect(sumReported(0)).toBe(0);
	});
});

describe('isTerminalState', () => {
	it.each([
		['completed', true],
		['failed', true],
		['cancelled', true],
		['queued', false],
		['processing', false],
		['unknown', false],
	] as const)('%s → %p', (state, expected) => {
		expect(isTerminalState(state)).toBe(expected);
	});
});

describe('catch-all rule', () => {
	it('makes native catch-all risky by default and unknown when turned off', () => {
		expect(catchAllOutcome()).toEqual({ verdict: 'risky', reason: 'catch_all' });
		expect(catchAllOutcome({ catchAllAsRisky: false })).toEqual({ verdict: 'unknown', reason: 'catch_all' });
	});

	it('upgrades unknown on a catch-all domain unless SMTP failed', () => {
		expect(applyCatchAllRule(UNVERIFIABLE, { catchAll: true })).toEqual({ verdict: 'risky', reason: 'catch_all' });
		expect(applyCatchAllRule(UNVERIFIABLE, { catchAll: true, smtpAccepted: true })).toEqual({
			verdict: 'risky',
			reason: 'catch_all',
		});
		expect(applyCatchAllRule(UNVERIFIABLE, { catchAll: true, smtpAccepted: false })).toBe(UNVERIFIABLE);
		expect(applyCatchAllRule(UNVERIFIABLE, { catchAll: false })).toBe(UNVERIFIABLE);
		expect(applyCatchAllRule(UNVERIFIABLE, {})).toBe(UNVERIFIABLE);
	});

	it('never touches other verdicts', () => {
		expect(applyCatchAllRule(ACCEPTED, { catchAll: true })).toBe(ACCEPTED);
	});

	it('with the rule off, an upgraded unknown stays unknown but names the catch-all', () => {
		expect(applyCatchAllRule(UNVERIFIABLE, { catchAll: true }, { catchAllAsRisky: false })).toEqual({
			verdict: 'unknown',
			reason: 'catch_all',
		});
	});
});

describe('builders', () => {
	it('drops undefined keys', () => {
		expect(withoutUndefined({ a: 1, b: undefined, c: null })).toStrictEqual({ a: 1, c: null });
	});

	it('derives the job flags and drops empty counts', () => {
		const job = makeNormalizedJob({
			provider: 'bouncify',
			jobId: 'j',
			state: 'completed',
			progressPercent: 90,
			counts: { invalid: undefined },
			rawStatus: 'completed',
			raw: null,
		});
		expect(job).toStrictEqual({
			provider: 'bouncify',
			jobId: 'j',
			state: 'completed',
			isTerminal: true,
			awaitingStart: false,
			cancelRequested: false,
			resultsAvailable: true,
			progressPercent: 100,
			rawStatus: 'completed',
			raw: null,
		});
	});

	it('derives safeToSend from the verdict unless the provider reports it or the address is a trap', () => {
		const base = { email: 'a@b.co', providerStatus: 'x', raw: null };
		expect(makeNormalizedResult({ ...base, outcome: ACCEPTED, flags: {} }).safeToSend).toBe(true);
		expect(makeNormalizedResult({ ...base, outcome: UNVERIFIABLE, flags: {} }).safeToSend).toBe(false);
		expect(makeNormalizedResult({ ...base, outcome: ACCEPTED, flags: { spamtrap: true } }).safeToSend).toBe(false);
		expect(makeNormalizedResult({ ...base, outcome: UNVERIFIABLE, safeToSend: true, flags: {} }).safeToSend).toBe(true);
	});

	it('drops unreported flags and an empty extra', () => {
		const result = makeNormalizedResult({
			email: 'a@b.co',
			outcome: ACCEPTED,
			providerStatus: 'ok',
			flags: { role: undefined, free: false },
			extra: {},
			raw: null,
		});
		expect(result).toStrictEqual({
			email: 'a@b.co',
			verdict: 'deliverable',
			reason: 'accepted',
			providerStatus: 'ok',
			safeToSend: true,
			flags: { free: false },
			raw: null,
		});
	});
});

describe('lenient zod primitives', () => {
	const schema = z.object({
		count: lenientNumber,
		maybe: optionalNumber,
		text: optionalString,
		flag: optionalScalar,
	});

	it('reads numeric strings as numbers and null as absent', () => {
		expect(schema.parse({ count: '12', maybe: null, text: null, flag: 'true' })).toEqual({
			count: 12,
			maybe: undefined,
			text: undefined,
			flag: 'true',
		});
		expect(schema.parse({ count: 3, maybe: '', flag: null })).toEqual({ count: 3, maybe: undefined, flag: null });
		expect(schema.parse({ count: 3, maybe: ' 7 ' }).maybe).toBe(7);
	});

	it('refuses a missing required number and a non-numeric string, naming the path', () => {
		const missing = schema.safeParse({});
		expect(missing.success).toBe(false);
		expect(missing.error?.issues[0].path).toEqual(['count']);
		const wrong = schema.safeParse({ count: 'twelve' });
		expect(wrong.error?.issues[0].path).toEqual(['count']);
	});
});

describe('isSyntacticallyValidEmail', () => {
	it.each([
		'john@example.com',
		'john.doe+tag@sub.example.co.uk',
		"o'brien@example.ie",
		'x@a-b.io',
		'用户@例子.广告',
		`${'a'.repeat(64)}@example.com`,
	])('accepts %s', (address) => {
		expect(isSyntacticallyValidEmail(address)).toBe(true);
	});

	it.each([
		['empty', ''],
		['no at', 'john.example.com'],
		['two ats', 'a@b@example.com'],
		['empty local', '@example.com'],
		['local over 64', `${'a'.repeat(65)}@example.com`],
		['leading dot', '.john@example.com'],
		['trailing dot', 'john.@example.com'],
		['double dot', 'jo..hn@example.com'],
		['space', 'jo hn@example.com'],
		['leading space', ' john@example.com'],
		['tab', 'john@exa\tmple.com'],
		['no domain dot', 'john@localhost'],
		['empty label', 'john@example..com'],
		['trailing domain dot', 'john@example.com.'],
		['hyphen label start', 'john@-example.com'],
		['hyphen label end', 'john@example-.com'],
		['label over 63', `john@${'a'.repeat(64)}.com`],
		['numeric top label', 'john@1.2.3.4'],
		['ip literal', 'john@[1.2.3.4]'],
		['total over 254', `a@${Array.from({ length: 5 }, () => 'b'.repeat(60)).join('.')}.com`],
		['quote', '"john"@example.com'],
		['comma', 'jo,hn@example.com'],
	])('refuses %s', (_label, address) => {
		expect(isSyntacticallyValidEmail(address)).toBe(false);
	});
});

describe('canonicalEmail', () => {
	it('trims and lower-cases', () => {
		expect(canonicalEmail('  John.Doe@Example.COM \n')).toBe('john.doe@example.com');
	});
});
