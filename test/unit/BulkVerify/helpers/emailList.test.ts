// Tests nodes/BulkVerify/helpers/emailList.ts.
import type { EmailCandidate } from '../../../../nodes/BulkVerify/helpers/emailList';
import { prepareEmailList } from '../../../../nodes/BulkVerify/helpers/emailList';

const candidates = (values: unknown[], uncertainEncoding?: boolean): EmailCandidate[] =>
	values.map((value, itemIndex) => ({
		value,
		itemIndex,
		...(uncertainEncoding === undefined ? {} : { uncertainEncoding }),
	}));

describe('prepareEmailList', () => {
	it('trims, de-duplicates case-insensitively and sets aside empty values and non-addresses', () => {
		const list = prepareEmailList(
			candidates([
				' Ann@Example.com ',
				'ann@example.COM',
				'',
				null,
				'not-an-email',
				'bob@example.com',
			]),
		);
		expect(list.emails).toEqual(['Ann@Example.com', 'bob@example.com']);
		expect(list.duplicates).toBe(1);
		expect([...list.itemsByEmail]).toEqual([
			['ann@example.com', [0, 1]],
			['bob@example.com', [5]],
		]);
		expect(list.originalOf.size).toBe(0);
		expect(list.rejected).toEqual([
			{ value: '', itemIndex: 2, reason: 'empty' },
			{ value: '', itemIndex: 3, reason: 'empty' },
			{ value: 'not-an-email', itemIndex: 4, reason: 'invalid_syntax' },
		]);
	});

	it('submits an internationalized domain in its punycode form and maps it back to what the user wrote', () => {
		const list = prepareEmailList(candidates(['jose@münchen.de', 'a@例え.jp', 'Jose@MÜNCHEN.de.']));
		expect(list.emails).toEqual(['jose@xn--mnchen-3ya.de', 'a@xn--r8jz45g.jp']);
		expect([...list.originalOf]).toEqual([
			['jose@xn--mnchen-3ya.de', 'jose@münchen.de'],
			['a@xn--r8jz45g.jp', 'a@例え.jp'],
		]);
		expect([...list.itemsByEmail.keys()]).toEqual(['jose@xn--mnchen-3ya.de', 'a@xn--r8jz45g.jp']);
		expect(list.rejected).toEqual([
			{ value: 'Jose@MÜNCHEN.de.', itemIndex: 2, reason: 'invalid_syntax' },
		]);
	});

	it('keeps the case of the local part and converts the domain as WHATWG URL does (lower case, ß kept)', () => {
		const list = prepareEmailList(candidates(['Jose@München.DE', 'max@straße.de']));
		expect(list.emails).toEqual(['Jose@xn--mnchen-3ya.de', 'max@xn--strae-oqa.de']);
		expect(list.originalOf.get('jose@xn--mnchen-3ya.de')).toBe('Jose@München.DE');
	});

	it('counts the Unicode and punycode forms of one domain as duplicates, whichever comes first', () => {
		const unicodeFirst = prepareEmailList(
			candidates(['jose@münchen.de', 'JOSE@xn--mnchen-3ya.de', 'jose@MÜNCHEN.de']),
		);
		expect(unicodeFirst.emails).toEqual(['jose@xn--mnchen-3ya.de']);
		expect(unicodeFirst.duplicates).toBe(2);
		expect(unicodeFirst.itemsByEmail.get('jose@xn--mnchen-3ya.de')).toEqual([0, 1, 2]);
		expect(unicodeFirst.originalOf.get('jose@xn--mnchen-3ya.de')).toBe('jose@münchen.de');

		const punycodeFirst = prepareEmailList(
			candidates(['jose@xn--mnchen-3ya.de', 'jose@münchen.de']),
		);
		expect(punycodeFirst.emails).toEqual(['jose@xn--mnchen-3ya.de']);
		expect(punycodeFirst.duplicates).toBe(1);
		expect(punycodeFirst.originalOf.size).toBe(0);
	});

	it('refuses a domain without a valid ASCII form', () => {
		const list = prepareEmailList(
			candidates([
				// IDNA maps the fullwidth solidus to "/", which no host may hold.
				'a@ü.de／x',
				// Fullwidth digits map to an IPv4 address.
				'a@１.２.３.４',
				// 60 characters, but 70 once in punycode: over the 63 a label may have.
				`a@${'üöäß'.repeat(15)}.de`,
			]),
		);
		expect(list.emails).toEqual([]);
		expect(list.rejected.map(({ reason }) => reason)).toEqual([
			'invalid_syntax',
			'invalid_syntax',
			'invalid_syntax',
		]);
	});

	it('does not submit a non-ASCII local part', () => {
		const list = prepareEmailList(
			candidates(['josé@example.com', 'ok@example.com', '用户@例え.jp']),
		);
		expect(list.emails).toEqual(['ok@example.com']);
		expect(list.rejected).toEqual([
			{ value: 'josé@example.com', itemIndex: 0, reason: 'non_ascii_local_part' },
			{ value: '用户@例え.jp', itemIndex: 2, reason: 'non_ascii_local_part' },
		]);
	});

	it('from an uncertain decoding, refuses every address with a non-ASCII character and keeps ASCII ones', () => {
		const list = prepareEmailList(
			candidates(['jose@münchen.de', 'josé@example.com', 'ann@example.com', 'Müller', ''], true),
		);
		expect(list.emails).toEqual(['ann@example.com']);
		expect(list.rejected).toEqual([
			{ value: 'jose@münchen.de', itemIndex: 0, reason: 'uncertain_encoding' },
			{ value: 'josé@example.com', itemIndex: 1, reason: 'uncertain_encoding' },
			{ value: 'Müller', itemIndex: 3, reason: 'invalid_syntax' },
			{ value: '', itemIndex: 4, reason: 'empty' },
		]);
	});

	it('converts the same addresses when the decoding is certain', () => {
		const list = prepareEmailList(candidates(['jose@münchen.de', 'ann@example.com'], false));
		expect(list.emails).toEqual(['jose@xn--mnchen-3ya.de', 'ann@example.com']);
		expect(list.rejected).toEqual([]);
	});
});
