/**
 * The pieces that let big downloads be read as they arrive, and the faster paths for big lists,
 * checked against what they replace: `parseCsv` and `redactSecrets` of the whole text, the zod
 * schemas, the original date conversion and the original address check. Inputs are random but seeded.
 */
import { CsvStreamReader, parseCsv } from '../../nodes/shared/csv/read';
import { FAIL, leanRowsMapped } from '../../nodes/shared/schema/lean';
import { isSyntacticallyValidEmail } from '../../nodes/BulkVerify/helpers/address';
import { toIsoDate } from '../../nodes/shared/model/values';
import {
	leanWhoisxmlCompletedRow,
	whoisxmlCompletedBody,
	whoisxmlCompletedSchema,
	whoisxmlFailedBody,
	whoisxmlFailedSchema,
} from '../../nodes/shared/providers/whoisxml/schemas';
import { BlockRedactor, canRedactInBlocks, isSafeCut, redactSecrets } from '../../nodes/shared/text/redact';
import { pick, random } from '../support/random';

/** Splits a text into pieces of random sizes (some empty, some one character). */
function pieces(next: () => number, text: string, largest: number): string[] {
	const parts: string[] = [];
	for (let at = 0; at < text.length; ) {
		const size = Math.floor(next() * largest);
		parts.push(text.slice(at, at + size));
		at += size;
	}
	return parts;
}

describe('CsvStreamReader', () => {
	const CELLS = ['a', 'b@x.io', '', '""', '"x, y"', '"say ""hi"""', '"line1\r\nline2"', '"open', 'tail"', 'é€😀', ' spaced '];
	const ENDS = ['\n', '\r\n', '\r', '\n\n', ''];

	function randomCsv(next: () => number): string {
		const lines: string[] = [];
		const width = 1 + Math.floor(next() * 4);
		const rows = Math.floor(next() * 8);
		for (let row = 0; row <= rows; row++) {
			const cells = width + (next() < 0.15 ? 1 : 0) - (next() < 0.15 ? 1 : 0);
			lines.push(Array.from({ length: Math.max(1, cells) }, () => pick(next, CELLS)).join(','));
		}
		let text = '';
		for (const line of lines) text += line + pick(next, ENDS);
		return next() < 0.2 ? `\uFEFF${text}` : text;
	}

	it('gives what parseCsv gives for the whole text, however the text is split', () => {
		const next = random(7);
		for (let round = 0; round < 3000; round++) {
			const text = randomCsv(next);
			const whole = parseCsv(text);
			const reader = new CsvStreamReader();
			const rows: Array<Record<string, string>> = [];
			for (const part of pieces(next, text, 12)) rows.push(...reader.push(part));
			const end = reader.end();
			rows.push(...end.rows);
			expect({ headers: reader.headers, rows, complete: end.complete }).toEqual(whole);
			const headerWidth = whole.headers.length - (whole.headers.filter((name) => /^column_\d+$/.test(name)).length);
			if (!reader.widened) expect(whole.rows.every((row) => Object.keys(row).length === whole.headers.length)).toBe(true);
			expect(headerWidth).toBeLessThanOrEqual(whole.headers.length);
		}
	});

	it('says when a record is wider than the header', () => {
		const reader = new CsvStreamReader();
		expect(reader.push('a,b\n1,2\n')).toEqual([{ a: '1', b: '2' }]);
		expect(reader.widened).toBe(false);
		reader.push('1,2,3\n');
		expect(reader.widened).toBe(true);
	});

	it('holds back a record until its line end has arrived', () => {
		const reader = new CsvStreamReader();
		expect(reader.push('email,name\na@x.io,"Ann')).toEqual([]);
		expect(reader.push(' Lee"\nb@x.io')).toEqual([{ email: 'a@x.io', name: 'Ann Lee' }]);
		expect(reader.end()).toEqual({ rows: [{ email: 'b@x.io', name: '' }], complete: false });
	});
});

describe('BlockRedactor', () => {
	const KEY = 'at_secretkey0123456789';
	const FRAGMENTS = [
		'plain text ',
		'\n',
		'\r\n',
		'"',
		'","',
		'"apiKey"',
		'"token": "',
		'"api_key" :\n "',
		'value',
		'\n"',
		': ',
		'Bearer',
		'Bearer ',
		'Bearer\n',
		' \n',
		'abc.def-123',
		'?apikey=',
		'&token=xyz',
		'&amp;api-key=',
		KEY,
		encodeURIComponent(`${KEY}/x`),
		'é😀',
	];

	it('joined blocks are exactly redactSecrets of the whole text', () => {
		const next = random(11);
		for (let round = 0; round < 3000; round++) {
			let text = '';
			const length = 1 + Math.floor(next() * 60);
			for (let index = 0; index < length; index++) text += pick(next, FRAGMENTS);
			const secrets = next() < 0.8 ? [KEY] : [];
			const redactor = new BlockRedactor(secrets, 1 + Math.floor(next() * 40));
			let joined = '';
			for (const part of pieces(next, text, 30)) joined += redactor.push(part) ?? '';
			joined += redactor.end();
			expect(joined).toBe(redactSecrets(text, secrets));
		}
	});

	it('never cuts inside a JSON key field or after a bare Bearer', () => {
		expect(isSafeCut('{"apiKey": "abc\ndef"}', 15)).toBe(false);
		expect(isSafeCut('{"token"\n: "x"}', 8)).toBe(false);
		expect(isSafeCut('Authorization: Bearer \nabc', 22)).toBe(false);
		expect(isSafeCut('"a","b"\n"c"', 7)).toBe(true);
	});

	it('keeps the body whole when a secret has quotes or blanks', () => {
		expect(canRedactInBlocks(['abc"defgh'])).toBe(false);
		expect(canRedactInBlocks(['abc def gh'])).toBe(false);
		expect(canRedactInBlocks([KEY, 'x'])).toBe(true);
		const redactor = new BlockRedactor(['abc def gh'], 4);
		expect(redactor.push('one\ntwo\nthree\n')).toBeUndefined();
		expect(redactor.end()).toBe('one\ntwo\nthree\n');
	});
});

describe('lean validation of WhoisXML downloads', () => {
	const ROWS: unknown[] = [
		{ emailAddress: 'a@b.io', formatCheck: 'true', smtpCheck: 'false', dnsCheck: 'true', freeCheck: 'false', disposableCheck: 'false', catchAllCheck: 'null', mxRecords: ['mx.b.io'], result: 'bad' },
		{ emailAddress: 'a@b.io', result: null },
		{ emailAddress: 'a@b.io', mxRecords: null, extra: { nested: true }, result: 'good' },
		{ result: 'good', emailAddress: 'a@b.io', formatCheck: true },
		{ emailAddress: 'a@b.io', smtpCheck: 1, catchAllCheck: null, custom: 'x', formatCheck: 'true' },
		{ emailAddress: 'a@b.io', '7': 'numeric key' },
		JSON.parse('{"emailAddress":"a@b.io","__proto__":{"x":1},"result":"good"}'),
		{ emailAddress: 'a@b.io', mxRecords: ['mx', 3] },
		{ emailAddress: 42 },
		{ formatCheck: 'true' },
		{ emailAddress: 'a@b.io', smtpCheck: { value: true } },
		{ emailAddress: 'a@b.io', smtpCheck: Number.NaN },
		{ emailAddress: 'a@b.io', result: 7 },
		{ emailAddress: 'a@b.io', mxRecords: 'mx.b.io' },
		['not', 'an', 'object'],
		null,
		{ emailAddress: 'a@b.io', error: 'Invalid format' },
		{ emailAddress: 'a@b.io', error: null },
		{ error: 'Invalid format' },
	];

	function keyOrder(value: unknown): unknown {
		if (Array.isArray(value)) return value.map(keyOrder);
		if (value !== null && typeof value === 'object') {
			return Object.keys(value).map((key) => [key, keyOrder((value as Record<string, unknown>)[key])]);
		}
		return value;
	}

	it.each([
		['completed', whoisxmlCompletedBody, whoisxmlCompletedSchema],
		['failed', whoisxmlFailedBody, whoisxmlFailedSchema],
	] as const)('%s rows: the lean path accepts what zod accepts and returns what zod returns', (_name, lean, schema) => {
		for (const row of ROWS) {
			for (const body of [{ response: [row] }, { response: [row, row], other: 1 }, { other: 1, response: [] }, { response: row }, row]) {
				const expected = schema.safeParse(body);
				const actual = lean.safeParse(body);
				expect(actual.success).toBe(expected.success);
				if (expected.success && actual.success) {
					expect(actual.data).toStrictEqual(expected.data);
					expect(keyOrder(actual.data)).toEqual(keyOrder(expected.data));
				} else if (!expected.success && !actual.success) {
					expect(actual.error.issues[0]).toEqual(expected.error.issues[0]);
				}
			}
		}
	});

	it('validating and mapping rows in one pass gives zod\'s rows mapped, or zod\'s error', () => {
		const mapped = leanRowsMapped(whoisxmlCompletedSchema, leanWhoisxmlCompletedRow, (row) => ({ keys: keyOrder(row), row }));
		for (const row of ROWS) {
			for (const body of [{ response: [row, ROWS[0]] }, { response: [ROWS[0], row], more: true }, { response: row }, row, { response: [] }]) {
				const expected = whoisxmlCompletedSchema.safeParse(body);
				const actual = mapped.safeParse(body);
				expect(actual.success).toBe(expected.success);
				if (expected.success && actual.success) {
					expect(actual.data).toStrictEqual(expected.data.response.map((entry) => ({ keys: keyOrder(entry), row: entry })));
				} else if (!expected.success && !actual.success) {
					expect(actual.error.issues[0]).toEqual(expected.error.issues[0]);
				}
			}
		}
	});

	it('FAIL is what a lean check answers for a body it does not accept', () => {
		expect(typeof FAIL).toBe('symbol');
	});
});

describe('toIsoDate fast path', () => {
	/** The conversion as it was before the fast path for canonical ISO strings. */
	function original(value: string): string | undefined {
		const text = value.trim();
		if (text === '') return undefined;
		if (/^\d{1,12}$/.test(text)) return new Date(Number(text) * 1000).toISOString();
		const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : undefined;
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
		for (const text of ['2024-02-29T00:00:00.000Z', '2023-02-29T00:00:00.000Z', '1900-02-29T12:00:00.000Z', '2000-02-29T23:59:59.999Z', '2024-01-01T24:00:00.000Z']) {
			expect(toIsoDate(text)).toBe(original(text));
		}
	});
});

describe('isSyntacticallyValidEmail, one pattern per part', () => {
	/** The check as it was: split into atoms and labels. */
	function original(value: string): boolean {
		const atom = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+$/;
		const label = /^[A-Za-z0-9\u0080-\uFFFF](?:[A-Za-z0-9\u0080-\uFFFF-]*[A-Za-z0-9\u0080-\uFFFF])?$/;
		if (typeof value !== 'string' || value.length > 254 || /\s/.test(value)) return false;
		const at = value.indexOf('@');
		if (at <= 0 || at !== value.lastIndexOf('@')) return false;
		const local = value.slice(0, at);
		const domain = value.slice(at + 1);
		if (local.length > 64 || !local.split('.').every((part) => atom.test(part))) return false;
		const labels = domain.split('.');
		return (
			domain.length <= 253 &&
			labels.length >= 2 &&
			labels.every((part) => part.length <= 63 && label.test(part)) &&
			!/^\d+$/.test(labels[labels.length - 1])
		);
	}

	it('agrees with the split-based check on random strings', () => {
		const next = random(5);
		const alphabet = ['a', 'Z', '7', '.', '.', '@', '-', '_', '+', "'", '"', ' ', '\u00a0', 'é', '😀', '(', ',', '\n', '1', '0'];
		for (let round = 0; round < 60000; round++) {
			let text = '';
			const length = Math.floor(next() * 24);
			for (let index = 0; index < length; index++) text += pick(next, alphabet);
			if (next() < 0.5) text = `${text.replace(/@/g, '')}@${pick(next, ['x.io', 'a-b.c1', 'ex.123', '-a.io', 'a.', '.a.b', 'é.fr', 'a..b'])}`;
			expect([text, isSyntacticallyValidEmail(text)]).toEqual([text, original(text)]);
		}
		const long = (count: number, char = 'a') => char.repeat(count);
		for (const text of [
			`${long(64)}@x.io`,
			`${long(65)}@x.io`,
			`a@${long(63)}.io`,
			`a@${long(64)}.io`,
			`a@b.${long(63)}`,
			`a@${long(62)}-.io`,
			`a@${Array.from({ length: 60 }, () => 'abc').join('.')}.io`,
			`${long(10)}@${Array.from({ length: 80 }, () => 'ab').join('.')}`,
		]) {
			expect([text, isSyntacticallyValidEmail(text)]).toEqual([text, original(text)]);
		}
	});
});
