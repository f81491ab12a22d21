// Tests nodes/shared/model/vocabulary.ts.
import { UNRECOGNIZED } from '../../../../nodes/shared/model/verdict-rules';
import {
	ALIASES,
	aliasKey,
	categoryOf,
	categoryOutcome,
	failureReasonOf,
	withCategoryFlag,
	type Category,
} from '../../../../nodes/shared/model/vocabulary';
import { codeSpans, docTable } from '../../../support/doc-tables';

/** What each category maps to, written out (the oracle, not computed from the module). */
const EXPECTED: Record<Category, { verdict: string; reason: string; flag?: string }> = {
	catch_all: { verdict: 'risky', reason: 'catch_all', flag: 'catchAll' },
	disposable: { verdict: 'risky', reason: 'disposable', flag: 'disposable' },
	role: { verdict: 'risky', reason: 'role', flag: 'role' },
	spamtrap: { verdict: 'undeliverable', reason: 'spamtrap', flag: 'spamtrap' },
	unverifiable: { verdict: 'unknown', reason: 'unverifiable' },
	invalid_syntax: { verdict: 'undeliverable', reason: 'invalid_syntax', flag: 'syntaxError' },
};

/** The spellings a provider might use for one alias: case and separators vary, the words do not. */
function variants(alias: string): string[] {
	const words = alias.split('_');
	const title = words.map((word) => word[0].toUpperCase() + word.slice(1));
	return [
		alias,
		alias.toUpperCase(),
		words.join('-'),
		words.join(' '),
		words.join(''),
		title.join('-'),
		title.join(' ').toUpperCase(),
		` ${words.join(' _ ')} `,
	];
}

describe('categoryOf', () => {
	it.each(ALIASES.map(({ alias, category }) => [alias, category]))(
		'reads every spelling of %p as %p',
		(alias, category) => {
			for (const spelling of variants(alias))
				expect([spelling, categoryOf(spelling)]).toEqual([spelling, category]);
		},
	);

	it.each([
		['Catch-All', 'catch_all'],
		['catch_all', 'catch_all'],
		['ACCEPT ALL', 'catch_all'],
		['acceptall', 'catch_all'],
		['unverifiable', 'unverifiable'],
		['spam-trap', 'spamtrap'],
		['role_based', 'role'],
		['Syntax Error', 'invalid_syntax'],
		['Invalid format', 'invalid_syntax'],
		['Disposable-Email', 'disposable'],
	])('the spellings of the brief: %p → %p', (spelling, category) => {
		expect(categoryOf(spelling)).toBe(category);
	});

	it.each([
		'ok2',
		'weird',
		'ok',
		'valid',
		'invalid',
		'risky',
		'accepted',
		'accept',
		'catch',
		'all',
		'spam',
		'trap',
		'catch_all_domain',
		'not catch-all',
		'catchall2',
		'unknown_email',
		'role-based-catch-all',
		'syntax_ok',
		'spam_all',
		'catch.all',
		'',
		' ',
	])('%p names no category', (token) => {
		expect(categoryOf(token)).toBeUndefined();
		expect(categoryOutcome(categoryOf(token))).toBe(UNRECOGNIZED);
	});

	it('reads only strings, and no long text', () => {
		for (const value of [undefined, null, 1, true, {}, ['catch_all']])
			expect(categoryOf(value)).toBeUndefined();
		expect(categoryOf(`${'x'.repeat(60)} catch_all`)).toBeUndefined();
	});

	it('answers the same from its cache', () => {
		expect([
			categoryOf('Catch-All'),
			categoryOf('Catch-All'),
			categoryOf('weird'),
			categoryOf('weird'),
		]).toEqual(['catch_all', 'catch_all', undefined, undefined]);
	});
});

describe('aliasKey', () => {
	it.each([
		['Catch-All', 'catchall'],
		[' ACCEPT  ALL ', 'acceptall'],
		['spam_-_trap', 'spamtrap'],
		['Catch-All/Spam-All', 'catchall/spamall'],
		[undefined, ''],
		[null, ''],
		[42, '42'],
	])('%p → %p', (value, key) => {
		expect(aliasKey(value)).toBe(key);
	});
});

describe('categoryOutcome', () => {
	it.each(Object.entries(EXPECTED))('%s → its verdict and reason', (category, expected) => {
		expect(categoryOutcome(category as Category)).toEqual({
			verdict: expected.verdict,
			reason: expected.reason,
		});
	});

	it('never gives deliverable, whatever the alias', () => {
		for (const { category } of ALIASES)
			expect(categoryOutcome(category).verdict).not.toBe('deliverable');
	});

	it('applies the catch-all rule to an alias of unknown, unless SMTP failed', () => {
		expect(categoryOutcome('unverifiable', { catchAll: true })).toEqual({
			verdict: 'risky',
			reason: 'catch_all',
		});
		expect(categoryOutcome('unverifiable', { catchAll: true, smtpAccepted: false })).toEqual({
			verdict: 'unknown',
			reason: 'unverifiable',
		});
		// The rule upgrades only what names unknown: an unrecognized token stays other.
		expect(categoryOutcome(undefined, { catchAll: true })).toBe(UNRECOGNIZED);
	});

	it('follows catchAllAsRisky for catch-all', () => {
		expect(categoryOutcome('catch_all', {}, { catchAllAsRisky: false })).toEqual({
			verdict: 'unknown',
			reason: 'catch_all',
		});
	});
});

describe('withCategoryFlag', () => {
	it.each(Object.entries(EXPECTED))('%s sets its own flag only', (category, expected) => {
		const flags = withCategoryFlag({ hasMx: true }, category as Category);
		expect(flags).toStrictEqual(
			expected.flag ? { hasMx: true, [expected.flag]: true } : { hasMx: true },
		);
	});

	it('keeps the very object without a category, and overrides a reported false', () => {
		const flags = { role: false };
		expect(withCategoryFlag(flags, undefined)).toBe(flags);
		expect(withCategoryFlag(flags, 'role')).toStrictEqual({ role: true });
		expect(flags).toStrictEqual({ role: false });
	});
});

describe('failureReasonOf', () => {
	it.each([
		['syntax', 'invalid_syntax'],
		['Syntax Error', 'invalid_syntax'],
		['malformed', 'invalid_syntax'],
		['spam_trap', 'spamtrap'],
		['Honeypot', 'spamtrap'],
		['catch_all', undefined],
		['role', undefined],
		['disposable', undefined],
		['unknown', undefined],
		['dns', undefined],
		['none', undefined],
		[undefined, undefined],
	])('%p → %p', (value, reason) => {
		expect(failureReasonOf(value)).toBe(reason);
	});
});

describe('docs/provider-apis.md §8.1', () => {
	const CATEGORY_NAMES: Record<string, Category> = {
		'catch-all': 'catch_all',
		disposable: 'disposable',
		role: 'role',
		'spam trap': 'spamtrap',
		unknown: 'unverifiable',
		syntax: 'invalid_syntax',
	};
	const rows = docTable('### §8.1 Shared rule (every provider)');

	it('lists every alias of the module, once, and nothing else', () => {
		expect(rows.map((row) => codeSpans(row.spelling))).toEqual(ALIASES.map(({ alias }) => [alias]));
	});

	it.each(rows.map((row) => [codeSpans(row.spelling)[0], row]))(
		'%s: the category, verdict, reason and flag the code gives it',
		(spelling, row) => {
			const category = categoryOf(spelling);
			expect(category).toBe(CATEGORY_NAMES[row.category]);
			expect(categoryOutcome(category)).toEqual({ verdict: row.verdict, reason: row.reason });
			const flag = codeSpans(row.flag)[0];
			expect(withCategoryFlag({}, category)).toStrictEqual(flag ? { [flag]: true } : {});
		},
	);
});
