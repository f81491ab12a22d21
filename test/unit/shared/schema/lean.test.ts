// Tests nodes/shared/schema/lean.ts against the zod schemas it mirrors (WhoisXML downloads).
import { FAIL, leanRowsMapped } from '../../../../nodes/shared/schema/lean';
import {
	leanWhoisxmlCompletedRow,
	whoisxmlCompletedBody,
	whoisxmlCompletedSchema,
	whoisxmlFailedBody,
	whoisxmlFailedSchema,
} from '../../../../nodes/shared/providers/whoisxml/schemas';

describe('lean validation of WhoisXML downloads', () => {
	const ROWS: unknown[] = [
		{
			emailAddress: 'a@b.io',
			formatCheck: 'true',
			smtpCheck: 'false',
			dnsCheck: 'true',
			freeCheck: 'false',
			disposableCheck: 'false',
			catchAllCheck: 'null',
			mxRecords: ['mx.b.io'],
			result: 'bad',
		},
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
			return Object.keys(value).map((key) => [
				key,
				keyOrder((value as Record<string, unknown>)[key]),
			]);
		}
		return value;
	}

	it.each([
		['completed', whoisxmlCompletedBody, whoisxmlCompletedSchema],
		['failed', whoisxmlFailedBody, whoisxmlFailedSchema],
	] as const)(
		'%s rows: the lean path accepts what zod accepts and returns what zod returns',
		(_name, lean, schema) => {
			for (const row of ROWS) {
				for (const body of [
					{ response: [row] },
					{ response: [row, row], other: 1 },
					{ other: 1, response: [] },
					{ response: row },
					row,
				]) {
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
		},
	);

	it("validating and mapping rows in one pass gives zod's rows mapped, or zod's error", () => {
		const mapped = leanRowsMapped(whoisxmlCompletedSchema, leanWhoisxmlCompletedRow, (row) => ({
			keys: keyOrder(row),
			row,
		}));
		for (const row of ROWS) {
			for (const body of [
				{ response: [row, ROWS[0]] },
				{ response: [ROWS[0], row], more: true },
				{ response: row },
				row,
				{ response: [] },
			]) {
				const expected = whoisxmlCompletedSchema.safeParse(body);
				const actual = mapped.safeParse(body);
				expect(actual.success).toBe(expected.success);
				if (expected.success && actual.success) {
					expect(actual.data).toStrictEqual(
						expected.data.response.map((entry) => ({ keys: keyOrder(entry), row: entry })),
					);
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
