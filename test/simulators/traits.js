'use strict';

/**
 * The one rule that decides what every simulator says about an address, so a test can predict any
 * provider's verdict from the address alone. Providers translate these traits into their own
 * vocabulary (see `verdictFor` in each provider file and the README).
 */

/**
 * @typedef {'deliverable' | 'undeliverable' | 'catchall' | 'unknown' | 'spamtrap' | 'smtpfail'
 *   | 'processingFailed' | 'invalidDomain' | 'invalidSyntax'} AddressKind
 *
 * @typedef {object} AddressTraits
 * @property {string} email     the address as given
 * @property {string} user      local part (everything before the last `@`, or the whole input)
 * @property {string} domain    lower-cased domain ('' when there is no `@`)
 * @property {AddressKind} kind
 * @property {boolean} role
 * @property {boolean} free
 * @property {boolean} disposable
 */

// Checked in order against the start of the lower-cased local part.
/** @type {ReadonlyArray<[string, AddressKind]>} */
const KIND_PREFIXES = [
	['catchall', 'catchall'],
	['smtpfail', 'smtpfail'],
	['good', 'deliverable'],
	['ok', 'deliverable'],
	['bad', 'undeliverable'],
	['unknown', 'unknown'],
	['trap', 'spamtrap'],
	['fail', 'processingFailed'],
];

/**
 * `hard…` addresses model mailboxes some providers cannot settle: each has one true state (a hash of
 * the address), and each provider settles a different half of them (a hash of provider and address)
 * and calls the rest unknown, so a second provider decides about half of what the first left open.
 */
const HARD_PREFIX = 'hard';

/**
 * Addresses without a keyword are spread over these by a hash, identically for every provider.
 * @type {ReadonlyArray<AddressKind>}
 */
const HASHED_KINDS = ['deliverable', 'undeliverable', 'catchall', 'unknown'];

const ROLE_TOKENS = ['role', 'info', 'sales'];
const FREE_DOMAINS = new Set(['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com']);
const DISPOSABLE_DOMAINS = new Set(['mailinator.com']);

const VALID_ADDRESS = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/i;

/** 32-bit FNV-1a: stable across runs and platforms, unlike anything seeded. */
function fnv1a(text) {
	let hash = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	return hash;
}

/**
 * @param {string} email
 * @param {string} [provider] who is asking: only `hard…` addresses depend on it (unknown without one)
 * @returns {AddressTraits}
 */
function classifyAddress(email, provider) {
	const text = String(email).trim();
	const at = text.lastIndexOf('@');
	const user = at === -1 ? text : text.slice(0, at);
	const domain = at === -1 ? '' : text.slice(at + 1).toLowerCase();
	const local = user.toLowerCase();
	const tokens = local.split(/[._+-]/);
	const startsAnyToken = (/** @type {string[]} */ words) =>
		tokens.some((t) => words.some((w) => t.startsWith(w)));

	/** @type {AddressKind} */
	let kind;
	if (!VALID_ADDRESS.test(text)) kind = 'invalidSyntax';
	else if (domain.endsWith('.invalid')) kind = 'invalidDomain';
	else if (local.startsWith(HARD_PREFIX)) {
		// High bits: FNV-1a's lowest bit follows the input's bit parity, so two low bits would correlate.
		const bit = (/** @type {string} */ input) => (fnv1a(input) >>> 16) & 1;
		const settles = provider !== undefined && bit(`${provider}:${text.toLowerCase()}`) === 0;
		kind = !settles ? 'unknown' : bit(text.toLowerCase()) === 0 ? 'deliverable' : 'undeliverable';
	} else {
		const keyword = KIND_PREFIXES.find(([prefix]) => local.startsWith(prefix));
		kind = keyword ? keyword[1] : HASHED_KINDS[fnv1a(text.toLowerCase()) % HASHED_KINDS.length];
	}
	return {
		email: text,
		user,
		domain,
		kind,
		role: startsAnyToken(ROLE_TOKENS),
		free: startsAnyToken(['free']) || FREE_DOMAINS.has(domain),
		disposable: startsAnyToken(['disposable']) || DISPOSABLE_DOMAINS.has(domain),
	};
}

module.exports = { classifyAddress };
