// Tests nodes/shared/model/values.ts.
import {
	asRecord,
	clampPercent,
	firstText,
	parseFlag,
	progressFrom,
	scalarText,
	sumReported,
	toIsoDate,
	verdictToken,
	withoutUndefined,
} from '../../../../nodes/shared/model/values';
import { random } from '../../../support/random';

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

describe('builders', () => {
	it('drops undefined keys', () => {
		expect(withoutUndefined({ a: 1, b: undefined, c: null })).toStrictEqual({ a: 1, c: null });
	});
});

// The fast path, checked against what it replaces on seeded random inputs.
describe('toIsoDate fast path', () => {
	/** The conversion as it was before the fast path for canonical ISO strings. */
	function original(value: string): string | undefined {
		const text = value.trim();
		if (text === '') return undefined;
		if (/^\d{1,12}$/.test(text)) return new Date(Number(text) * 1000).toISOString();
		const zoned =
			/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i.test(text)
				? text
				: undefined;
		if (zoned !== undefined) {
			const milliseconds = Date.parse(zoned);
			if (!Number.isNaN(milliseconds)) return new Date(milliseconds).toISOString();
		}
		return text;
	}

	it('gives the round trip result for every YYYY-MM-DDTHH:mm:ss.sssZ string, impossible dates included', () => {
		const next = random(3);
		const two = (max: number) => String(Math.floor(next() * max)).padStart(2, '0');
		for (let round = 0; round < 20000; round++) {
			const year = String(Math.floor(next() * 10000)).padStart(4, '0');
			const text = `${year}-${two(14)}-${two(33)}T${two(26)}:${two(62)}:${two(62)}.${String(Math.floor(next() * 1000)).padStart(3, '0')}Z`;
			expect(toIsoDate(text)).toBe(original(text));
		}
		for (const text of [
			'2024-02-29T00:00:00.000Z',
			'2023-02-29T00:00:00.000Z',
			'1900-02-29T12:00:00.000Z',
			'2000-02-29T23:59:59.999Z',
			'2024-01-01T24:00:00.000Z',
		]) {
			expect(toIsoDate(text)).toBe(original(text));
		}
	});
});
