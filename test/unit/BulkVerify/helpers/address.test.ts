// Tests nodes/BulkVerify/helpers/address.ts.
import {
	canonicalEmail,
	isSyntacticallyValidEmail,
} from '../../../../nodes/BulkVerify/helpers/address';
import { pick, random } from '../../../support/random';

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

// The fast path, checked against what it replaces on seeded random inputs.
describe('isSyntacticallyValidEmail, one pattern per part', () => {
	/** The check as it was: split into atoms and labels. */
	function original(value: string): boolean {
		const atom = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uFFFF-]+$/;
		const label =
			/^[A-Za-z0-9\u0080-\uFFFF](?:[A-Za-z0-9\u0080-\uFFFF-]*[A-Za-z0-9\u0080-\uFFFF])?$/;
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
		const alphabet = [
			'a',
			'Z',
			'7',
			'.',
			'.',
			'@',
			'-',
			'_',
			'+',
			"'",
			'"',
			' ',
			'\u00a0',
			'é',
			'😀',
			'(',
			',',
			'\n',
			'1',
			'0',
		];
		for (let round = 0; round < 60000; round++) {
			let text = '';
			const length = Math.floor(next() * 24);
			for (let index = 0; index < length; index++) text += pick(next, alphabet);
			if (next() < 0.5)
				text = `${text.replace(/@/g, '')}@${pick(next, ['x.io', 'a-b.c1', 'ex.123', '-a.io', 'a.', '.a.b', 'é.fr', 'a..b'])}`;
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
