/**
 * The shared reading of per-email tokens no adapter documents (docs/provider-apis.md §8): a token that
 * plainly names a standard category (catch-all, disposable, role, spam trap, unknown, syntax) maps to
 * that category's verdict and reason, the same for every provider. Adapters call it only for tokens
 * outside their documented vocabulary, so a documented token keeps its documented mapping.
 */
import type { EmailFlags, Reason } from './result';
import {
	UNRECOGNIZED,
	UNVERIFIABLE,
	applyCatchAllRule,
	catchAllOutcome,
	undeliverable,
	DEFAULT_VERDICT_OPTIONS,
	type Outcome,
	type VerdictOptions,
} from './verdict-rules';

/** A standard category; each is named after the reason it maps to. */
export type Category = Extract<
	Reason,
	'catch_all' | 'disposable' | 'role' | 'spamtrap' | 'unverifiable' | 'invalid_syntax'
>;

export interface Alias {
	/** Readable form; matching ignores case and the `_`, `-` and space between words. */
	alias: string;
	category: Category;
}

/**
 * Every recognised spelling. Whole tokens only: `catch_all_domain` or `ok2` name no category.
 * None maps to `deliverable`, so the rule can never make an address look safe.
 */
export const ALIASES: readonly Alias[] = [
	{ alias: 'catch_all', category: 'catch_all' },
	{ alias: 'accept_all', category: 'catch_all' },
	{ alias: 'disposable', category: 'disposable' },
	{ alias: 'disposable_email', category: 'disposable' },
	{ alias: 'disposable_address', category: 'disposable' },
	{ alias: 'disposable_domain', category: 'disposable' },
	{ alias: 'role', category: 'role' },
	{ alias: 'role_based', category: 'role' },
	{ alias: 'role_account', category: 'role' },
	{ alias: 'role_address', category: 'role' },
	{ alias: 'role_email', category: 'role' },
	{ alias: 'spam_trap', category: 'spamtrap' },
	{ alias: 'honeypot', category: 'spamtrap' },
	{ alias: 'unknown', category: 'unverifiable' },
	{ alias: 'unverifiable', category: 'unverifiable' },
	{ alias: 'unverified', category: 'unverifiable' },
	{ alias: 'undetermined', category: 'unverifiable' },
	{ alias: 'syntax', category: 'invalid_syntax' },
	{ alias: 'syntax_error', category: 'invalid_syntax' },
	{ alias: 'invalid_syntax', category: 'invalid_syntax' },
	{ alias: 'bad_syntax', category: 'invalid_syntax' },
	{ alias: 'invalid_format', category: 'invalid_syntax' },
	{ alias: 'bad_format', category: 'invalid_syntax' },
	{ alias: 'format_error', category: 'invalid_syntax' },
	{ alias: 'malformed', category: 'invalid_syntax' },
];

/** Lower-cased without `_`, `-` and spaces: `Catch-All`, `catch_all`, `CATCHALL` all give `catchall`. */
export function aliasKey(value: unknown): string {
	if (value === null || value === undefined) return '';
	return String(value)
		.toLowerCase()
		.replace(/[\s_-]+/g, '');
}

const BY_KEY = new Map<string, Category>(
	ALIASES.map(({ alias, category }) => [aliasKey(alias), category]),
);

/** The category a token plainly names, else undefined. */
export function categoryOf(value: unknown): Category | undefined {
	// Only short tokens can be aliases; long texts (messages) are not even normalized.
	if (typeof value !== 'string' || value.length > 64) return undefined;
	let category = seen.get(value);
	if (category === undefined) {
		category = BY_KEY.get(aliasKey(value)) ?? null;
		// A provider's vocabulary is a handful of words; the cap keeps odd input from growing the cache.
		if (seen.size < 256) seen.set(value, category);
	}
	return category ?? undefined;
}

/** Token → category (null: none), so a big download runs the regex once per distinct word. */
const seen = new Map<string, Category | null>();

const RISKY_DISPOSABLE: Outcome = { verdict: 'risky', reason: 'disposable' };
const RISKY_ROLE: Outcome = { verdict: 'risky', reason: 'role' };

/**
 * The outcome of a token outside an adapter's vocabulary: its category's, else unknown / other.
 * An alias of `unknown` is a native unknown, so the catch-all rule (§6.2) applies to it as well.
 */
export function categoryOutcome(
	category: Category | undefined,
	evidence: { catchAll?: boolean; smtpAccepted?: boolean } = {},
	options: VerdictOptions = DEFAULT_VERDICT_OPTIONS,
): Outcome {
	switch (category) {
		case 'catch_all':
			return catchAllOutcome(options);
		case 'disposable':
			return RISKY_DISPOSABLE;
		case 'role':
			return RISKY_ROLE;
		case 'spamtrap':
			return undeliverable('spamtrap');
		case 'invalid_syntax':
			return undeliverable('invalid_syntax');
		case 'unverifiable':
			return applyCatchAllRule(UNVERIFIABLE, evidence, options);
		default:
			return UNRECOGNIZED;
	}
}

const FLAG_OF: Readonly<Record<Category, keyof EmailFlags | undefined>> = {
	catch_all: 'catchAll',
	disposable: 'disposable',
	role: 'role',
	spamtrap: 'spamtrap',
	invalid_syntax: 'syntaxError',
	unverifiable: undefined,
};

/** The flags with the category's own flag set: the token itself says so. */
export function withCategoryFlag(flags: EmailFlags, category: Category | undefined): EmailFlags {
	const flag = category === undefined ? undefined : FLAG_OF[category];
	return flag === undefined ? flags : { ...flags, [flag]: true };
}

/**
 * The reason a provider's reason field (failType, statusReason, error) gives for an address it calls
 * invalid, when it names a failing category (syntax, spam trap); else undefined. The verdict of a
 * documented negative stays undeliverable: only its reason is refined.
 */
export function failureReasonOf(
	value: unknown,
): Extract<Reason, 'invalid_syntax' | 'spamtrap'> | undefined {
	const category = categoryOf(value);
	return category === 'invalid_syntax' || category === 'spamtrap' ? category : undefined;
}
