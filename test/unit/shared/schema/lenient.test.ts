// Tests nodes/shared/schema/lenient.ts.
import { z } from 'zod';

import {
	errorMessageReader,
	lenientNumber,
	optionalNumber,
	optionalScalar,
	optionalString,
} from '../../../../nodes/shared/schema/lenient';

describe('errorMessageReader', () => {
	const extract = errorMessageReader(
		z
			.object({ ok: z.boolean().optional(), error: z.string() })
			.transform((body) => (body.ok ? undefined : body.error)),
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
		expect(schema.parse({ count: 3, maybe: '', flag: null })).toEqual({
			count: 3,
			maybe: undefined,
			flag: null,
		});
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
