// Tests nodes/shared/providers/whoisxml/balance.ts: the Account Balance answer (docs/provider-apis.md
// §7), whose Email Verification entry (product 7) is INFERRED: every doubt is a problem, never a number.
import {
	emailVerificationCredits,
	whoisxmlBalanceSchema,
} from '../../../../../nodes/shared/providers/whoisxml/balance';

const entry = (id: number, name: string | undefined, credits: unknown) => ({
	product_id: id,
	product: { id, ...(name !== undefined ? { name } : {}) },
	credits,
});

const read = (body: unknown) => emailVerificationCredits(whoisxmlBalanceSchema.parse(body));

describe('emailVerificationCredits', () => {
	it('takes product 7 out of a list of several products', () => {
		expect(
			read({
				data: [
					entry(1, 'WHOIS API', 500),
					entry(7, 'Email Verification API', 1234),
					entry(14, 'Domain Research Suite', 100),
				],
			}),
		).toEqual({ credits: 1234 });
	});

	it('reads a numeric string, an entry without a product name or with the id only under product', () => {
		expect(read({ data: [entry(7, 'Email Verification', '42')] })).toEqual({ credits: 42 });
		expect(read({ data: [{ product_id: 7, credits: 0 }] })).toEqual({ credits: 0 });
		expect(
			read({ data: [{ product: { id: '7', name: 'E-mail verification' }, credits: 9 }] }),
		).toEqual({ credits: 9 });
	});

	it('refuses a list without product 7, saying what it lists', () => {
		expect(
			read({ data: [entry(1, 'WHOIS API', 500), entry(14, 'Domain Research Suite', 0)] }),
		).toEqual({
			problem: 'lists no Email Verification credits (product 7)',
			listed: 'It lists: WHOIS API (id 1), Domain Research Suite (id 14).',
		});
		expect(read({ data: [] })).toEqual({
			problem: 'lists no Email Verification credits (product 7)',
			listed: 'It lists no products at all.',
		});
	});

	it('refuses a product 7 that is named as another product', () => {
		expect(read({ data: [entry(7, 'IP Geolocation API', 300)] })).toMatchObject({
			problem: 'names product 7 "IP Geolocation API", not Email Verification',
		});
	});

	it('refuses a balance that is not a number, and product 7 twice with different balances', () => {
		expect(read({ data: [entry(7, 'Email Verification API', 'lots')] })).toMatchObject({
			problem: 'reports the Email Verification credits as "lots", not as a number',
		});
		expect(read({ data: [{ product_id: 7 }] })).toMatchObject({
			problem: 'reports the Email Verification credits as nothing, not as a number',
		});
		expect(
			read({
				data: [entry(7, 'Email Verification API', 10), entry(7, 'Email Verification API', 20)],
			}),
		).toMatchObject({ problem: 'lists product 7 2 times with different credits (10, 20)' });
		// The same entry twice says one thing.
		expect(
			read({
				data: [entry(7, 'Email Verification API', 10), entry(7, 'Email Verification API', '10')],
			}),
		).toEqual({ credits: 10 });
	});
});

describe('whoisxmlBalanceSchema', () => {
	it('refuses another shape, naming the field', () => {
		for (const body of [
			{},
			{ data: { 7: 100 } },
			{ credits: 100 },
			{ data: [{ product_id: 'seven' }] },
		]) {
			const parsed = whoisxmlBalanceSchema.safeParse(body);
			expect(parsed.success).toBe(false);
			expect(parsed.error?.issues[0].path[0]).toBe('data');
		}
	});
});
