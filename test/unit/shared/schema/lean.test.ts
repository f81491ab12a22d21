/**
 * The small validators of `nodes/shared/schema/lean.ts`, on their own and as the WhoisXML row schemas use
 * them: what they accept, what they return (the input itself unless a value changed), and how they
 * word a refusal (the transport builds its error message from the first issue's path and message).
 */
import type { Infer } from '../../../../nodes/shared/schema/lean';
import {
	array,
	nullish,
	object,
	optional,
	scalar,
	string,
} from '../../../../nodes/shared/schema/lean';
import {
	whoisxmlCompletedRowSchema,
	whoisxmlCompletedSchema,
	whoisxmlFailedSchema,
	whoisxmlSingleSchema,
} from '../../../../nodes/shared/providers/whoisxml/schemas';

const optionalText = nullish(string()).transform((value) => value ?? undefined);
const row = object({
	email: string(),
	check: optional(scalar()),
	tags: nullish(array(string())),
	note: optionalText,
});
type Row = Infer<typeof row>;

// The declaration is the type: required and optional keys, and the undeclared keys kept.
const typed: Row = { email: 'a@b.io', extra: 1 };
const withAll: Row = { email: 'a@b.io', check: null, tags: null, note: undefined };
// @ts-expect-error email is required
const missingEmail: Row = { check: 'true' };
// @ts-expect-error note is a string
const wrongNote: Row = { email: 'a@b.io', note: 3 };
void [typed, withAll, missingEmail, wrongNote];

function issueOf(result: {
	success: boolean;
	error?: { issues: Array<{ path: Array<string | number>; message: string }> };
}) {
	expect(result.success).toBe(false);
	return result.error?.issues[0];
}

describe('lean validators', () => {
	it('return the input itself when no check changes a value', () => {
		const body = [
			{ email: 'a@b.io', check: 'true', tags: ['x'], note: 'n', extra: { deep: true } },
			{ note: 'before', email: 'c@d.io', check: false, tags: null },
			{ email: 'e@f.io', check: 0 },
		];
		const parsed = array(row).safeParse(body);
		expect(parsed.success && parsed.data).toBe(body);
		expect(parsed.data?.[1]).toBe(body[1]);
	});

	it('copy only what a transform changed, keeping the other keys and their order', () => {
		const first = { email: 'a@b.io' };
		const second = { extra: 1, note: null, email: 'c@d.io', check: 'null' };
		const body = [first, second];
		const parsed = array(row).parse(body);
		expect(parsed).not.toBe(body);
		expect(parsed[0]).toBe(first);
		expect(parsed[1]).toStrictEqual({ extra: 1, note: undefined, email: 'c@d.io', check: 'null' });
		expect(Object.keys(parsed[1])).toEqual(['extra', 'note', 'email', 'check']);
		expect(second.note).toBeNull();
	});

	it('keep a "__proto__" key of a parsed body as a plain key', () => {
		const input = JSON.parse('{"email":"a@b.io","__proto__":{"polluted":1},"note":null}') as object;
		const parsed = row.parse(input);
		expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
		expect(Object.keys(parsed)).toEqual(['email', '__proto__', 'note']);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it.each([
		[{}, ['email'], 'Required'],
		[{ email: 7 }, ['email'], 'Expected string, received number'],
		[
			{ email: 'a@b.io', check: { value: 1 } },
			['check'],
			'Expected string, number, boolean or null, received object',
		],
		[
			{ email: 'a@b.io', check: Number.NaN },
			['check'],
			'Expected string, number, boolean or null, received nan',
		],
		[{ email: 'a@b.io', tags: 'x' }, ['tags'], 'Expected array, received string'],
		[{ email: 'a@b.io', tags: ['x', null] }, ['tags', 1], 'Expected string, received null'],
		[{ email: 'a@b.io', note: false }, ['note'], 'Expected string, received boolean'],
		[['a@b.io'], [], 'Expected object, received array'],
		[null, [], 'Expected object, received null'],
	])('refuse %p at %p: %s', (input, path, message) => {
		expect(issueOf(row.safeParse(input))).toEqual({ path, message });
	});

	it('name the row index of a refused row, and stop at the first refusal', () => {
		const parsed = object({ response: array(row) }).safeParse({
			response: [{ email: 'a@b.io' }, { email: 1 }, {}],
		});
		expect(parsed.error?.issues).toEqual([
			{ path: ['response', 1, 'email'], message: 'Expected string, received number' },
		]);
		expect(() => object({ response: array(row) }).parse({ response: [{}] })).toThrow(
			'response.0.email: Required',
		);
	});

	it('run a transform only on an accepted value', () => {
		const calls: unknown[] = [];
		const lengths = array(string()).transform((values) => {
			calls.push(values);
			return values.length;
		});
		expect(lengths.parse(['a', 'b'])).toBe(2);
		expect(lengths.safeParse(['a', 1]).success).toBe(false);
		expect(calls).toHaveLength(1);
	});
});

describe('WhoisXML row schemas', () => {
	const ROWS: Array<[unknown, boolean]> = [
		[
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
			true,
		],
		[{ emailAddress: 'a@b.io', result: null }, true],
		[{ emailAddress: 'a@b.io', mxRecords: null, extra: { nested: true }, result: 'good' }, true],
		[{ result: 'good', emailAddress: 'a@b.io', formatCheck: true }, true],
		[
			{
				emailAddress: 'a@b.io',
				smtpCheck: 1,
				catchAllCheck: null,
				custom: 'x',
				formatCheck: 'true',
			},
			true,
		],
		[{ emailAddress: 'a@b.io', '7': 'numeric key' }, true],
		[{ emailAddress: 'a@b.io', mxRecords: ['mx', 3] }, false],
		[{ emailAddress: 42 }, false],
		[{ formatCheck: 'true' }, false],
		[{ emailAddress: 'a@b.io', smtpCheck: { value: true } }, false],
		[{ emailAddress: 'a@b.io', result: 7 }, false],
		[{ emailAddress: 'a@b.io', mxRecords: 'mx.b.io' }, false],
		[['not', 'an', 'object'], false],
		[null, false],
	];

	it.each(ROWS)('completed row %p: accepted %p', (input, accepted) => {
		expect(whoisxmlCompletedRowSchema.safeParse(input).success).toBe(accepted);
		expect(whoisxmlCompletedSchema.safeParse({ response: [input] }).success).toBe(accepted);
	});

	it('reads a null result as absent and keeps the rest of the row', () => {
		expect(
			whoisxmlCompletedRowSchema.parse({ emailAddress: 'a@b.io', result: null, extra: 1 }),
		).toStrictEqual({
			emailAddress: 'a@b.io',
			result: undefined,
			extra: 1,
		});
	});

	it('refuses a download that is not an array of rows, naming the path', () => {
		expect(issueOf(whoisxmlCompletedSchema.safeParse({ response: { error: 'x' } }))).toEqual({
			path: ['response'],
			message: 'Expected array, received object',
		});
		expect(
			issueOf(whoisxmlFailedSchema.safeParse({ response: [{ error: 'Invalid format' }] })),
		).toEqual({ path: ['response', 0, 'emailAddress'], message: 'Required' });
		expect(issueOf(whoisxmlSingleSchema.safeParse({ emailAddress: 'a@b.io', audit: 'x' }))).toEqual(
			{ path: ['audit'], message: 'Expected object, received string' },
		);
	});
});
