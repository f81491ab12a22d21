/**
 * Key redaction, applied once, in the transport, to every response body and every error text before
 * anything else sees it. Two layers: the exact secret (when known) wherever it appears, in any of the
 * encodings a provider may echo it in, and any value of a key-carrying query parameter, JSON field or
 * bearer header (for echoed URLs of other keys).
 */

export const REDACTED = '[REDACTED]';

const KEY_PARAM_NAMES = ['apikey', 'api_key', 'apiKey', 'api-key', 'key', 'token', 'access_token'];

const QUERY_PARAM_PATTERN = new RegExp(
	`([?&;](?:${KEY_PARAM_NAMES.join('|')})=)[^&#\\s"'<>]+`,
	'gi',
);
const ESCAPED_QUERY_PARAM_PATTERN = new RegExp(
	`((?:\\?|&amp;|&)(?:${KEY_PARAM_NAMES.join('|')})=)[^&#\\s"'<>]+`,
	'gi',
);
const JSON_FIELD_PATTERN = new RegExp(
	`("(?:${KEY_PARAM_NAMES.join('|')})"\\s*:\\s*")[^"]*(")`,
	'gi',
);
const BEARER_PATTERN = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/g;

/**
 * Cheap necessary conditions of the patterns above, so a multi-megabyte body (a 50,000-row download)
 * is scanned only by the passes that can match: every query-parameter match contains `=`, every
 * JSON-field match contains one of the names (which all end in `key` or `token`) followed by `"`,
 * and every bearer match contains `Bearer`. Skipping a pass whose condition fails changes nothing.
 */
const JSON_FIELD_HINT = /(?:key|token)"/i;

/** Secrets shorter than this are not redacted by value: replacing e.g. "1" everywhere would garble text. */
const MIN_SECRET_LENGTH = 6;

export function redactSecrets(text: string, secrets: readonly string[] = []): string {
	let result = text;
	for (const secret of secrets) {
		if (secret.length < MIN_SECRET_LENGTH) continue;
		const matcher = matcherFor(secret);
		if (mayOccur(result, secret, matcher)) result = result.replace(matcher.pattern, REDACTED);
	}
	if (result.includes('=')) {
		result = result
			.replace(QUERY_PARAM_PATTERN, `$1${REDACTED}`)
			.replace(ESCAPED_QUERY_PARAM_PATTERN, `$1${REDACTED}`);
	}
	if (JSON_FIELD_HINT.test(result)) result = result.replace(JSON_FIELD_PATTERN, `$1${REDACTED}$2`);
	if (result.includes('Bearer')) result = result.replace(BEARER_PATTERN, `$1${REDACTED}`);
	return result;
}

/**
 * `value` with every string in it (object keys included) redacted. Only the objects and arrays on a
 * path to a change are copied, so an unchanged value comes back as the very same object. Plain
 * objects and arrays are walked without recursion (a hostile body can nest thousands of levels deep)
 * and cycles are kept; other objects (Buffer, Date, class instances) are left as they are.
 */
export function redactDeep<T>(value: T, secrets: readonly string[] = []): T {
	if (typeof value === 'string') return redactSecrets(value, secrets) as T;
	if (!isWalkable(value)) return value;
	const changed = new Map<string, string>();
	const differs = (text: string): boolean => {
		if (changed.has(text)) return true;
		const redacted = redactSecrets(text, secrets);
		if (redacted === text) return false;
		changed.set(text, redacted);
		return true;
	};
	// Every container, and the ones that hold a changed string themselves.
	const containers: Container[] = [value];
	const seen = new Set<Container>(containers);
	const changes: Container[] = [];
	for (let index = 0; index < containers.length; index++) {
		const container = containers[index];
		let holdsChange = false;
		if (!Array.isArray(container)) {
			for (const key of Object.keys(container)) if (differs(key)) holdsChange = true;
		}
		for (const child of childrenOf(container)) {
			if (typeof child === 'string') {
				if (differs(child)) holdsChange = true;
			} else if (isWalkable(child) && !seen.has(child)) {
				seen.add(child);
				containers.push(child);
			}
		}
		if (holdsChange) changes.push(container);
	}
	if (changes.length === 0) return value;
	// A container holding a copied one is copied too: everything that reaches a change.
	const parents = new Map<Container, Container[]>();
	for (const container of containers) {
		for (const child of childrenOf(container)) {
			if (!isWalkable(child)) continue;
			const known = parents.get(child);
			if (known === undefined) parents.set(child, [container]);
			else known.push(container);
		}
	}
	const copies = new Map<Container, Container>();
	for (let container = changes.pop(); container !== undefined; container = changes.pop()) {
		if (copies.has(container)) continue;
		copies.set(
			container,
			Array.isArray(container)
				? container.slice()
				: Object.create(Object.getPrototypeOf(container)),
		);
		for (const parent of parents.get(container) ?? []) changes.push(parent);
	}
	// Filled once all exist, so a cycle through a copied container points at its copy.
	const replacement = (child: unknown): unknown =>
		typeof child === 'string'
			? (changed.get(child) ?? child)
			: isWalkable(child)
				? (copies.get(child) ?? child)
				: child;
	for (const [original, copy] of copies) {
		if (Array.isArray(original)) {
			const items = copy as unknown[];
			for (let index = 0; index < items.length; index++) items[index] = replacement(items[index]);
			continue;
		}
		for (const [key, child] of Object.entries(original)) {
			// Defined, not assigned: assigning "__proto__" would replace the copy's prototype.
			Object.defineProperty(copy, changed.get(key) ?? key, {
				value: replacement(child),
				writable: true,
				enumerable: true,
				configurable: true,
			});
		}
	}
	return copies.get(value) as T;
}

type Container = object;

function childrenOf(container: Container): unknown[] {
	return Array.isArray(container) ? container : Object.values(container);
}

/** Arrays and plain objects (as JSON.parse makes them); anything else is not looked into. */
function isWalkable(value: unknown): value is Container {
	if (Array.isArray(value)) return true;
	if (value === null || typeof value !== 'object') return false;
	const prototype = Object.getPrototypeOf(value) as unknown;
	return prototype === Object.prototype || prototype === null;
}

/**
 * What finds one secret in any of the encodings a provider may echo it in: each character as itself,
 * percent-encoded (either hex case, also double-encoded), as `+` for a space, JSON-escaped, or as an
 * HTML character reference, each character independently of its neighbours.
 */
interface SecretMatcher {
	/** Every encoded occurrence (global). */
	readonly pattern: RegExp;
	/** The same, tried at one position (sticky). */
	readonly anchored: RegExp;
	/** The characters every form of a character other than the raw one starts with. */
	readonly introducers: readonly string[];
	/** For a code unit, the secret's proper prefixes that end with it. */
	readonly prefixesEndingWith: ReadonlyMap<number, readonly string[]>;
}

/** A run uses a key or two, so a few entries are plenty; the oldest goes first. */
const MATCHER_CACHE_SIZE = 16;
const matchers = new Map<string, SecretMatcher>();

function matcherFor(secret: string): SecretMatcher {
	const cached = matchers.get(secret);
	if (cached !== undefined) return cached;
	let source = '';
	for (const char of secret) source += `(?:${formsOf(char)})`;
	const prefixesEndingWith = new Map<number, string[]>();
	for (let length = 1; length < secret.length; length++) {
		const unit = secret.charCodeAt(length - 1);
		prefixesEndingWith.set(unit, [
			...(prefixesEndingWith.get(unit) ?? []),
			secret.slice(0, length),
		]);
	}
	const matcher: SecretMatcher = {
		pattern: new RegExp(source, 'g'),
		anchored: new RegExp(source, 'y'),
		introducers: secret.includes(' ') ? ['%', '\\', '&', '+'] : ['%', '\\', '&'],
		prefixesEndingWith,
	};
	if (matchers.size >= MATCHER_CACHE_SIZE) matchers.delete(matchers.keys().next().value as string);
	matchers.set(secret, matcher);
	return matcher;
}

/**
 * A cheap necessary condition for the matcher's pattern to match, so that a big body without the
 * secret costs native substring searches only. An occurrence is either the raw secret, or has a first
 * encoded character, which starts with an introducer right after a raw prefix of the secret: the
 * pattern is tried only where an introducer follows such a prefix. A text dense with introducers
 * (each try costs about what scanning a few dozen characters with the pattern does) is left to the
 * pattern itself.
 */
function mayOccur(text: string, secret: string, matcher: SecretMatcher): boolean {
	if (text.includes(secret)) return true;
	const { anchored, prefixesEndingWith } = matcher;
	let tries = text.length / 32;
	for (const introducer of matcher.introducers) {
		for (let at = text.indexOf(introducer); at !== -1; at = text.indexOf(introducer, at + 1)) {
			if (--tries < 0 || matchesAt(text, anchored, at)) return true;
			for (const prefix of prefixesEndingWith.get(text.charCodeAt(at - 1)) ?? []) {
				const start = at - prefix.length;
				if (start >= 0 && text.startsWith(prefix, start) && matchesAt(text, anchored, start))
					return true;
			}
		}
	}
	return false;
}

function matchesAt(text: string, anchored: RegExp, index: number): boolean {
	anchored.lastIndex = index;
	return anchored.test(text);
}

/**
 * The backslashes of a JSON escape: more than one where the body was JSON-encoded twice (`\\/`), and
 * the whole run of them, so that a long run is tried once and not from each of its backslashes
 * (which would take quadratic time).
 */
const BACKSLASHES = String.raw`(?<!\\)\\+`;

/**
 * Forms a character has beyond percent-encoding, numeric references and `\uXXXX`: `+` for a space,
 * JSON's short escapes, HTML's named references. An HTML reference's `&` may itself be escaped again
 * (`&amp;lt;`), as in a body encoded twice.
 */
const OTHER_FORMS: Readonly<Record<string, readonly string[]>> = {
	' ': [String.raw`\+`, '%(?:25)*2[Bb]'],
	'"': [`${BACKSLASHES}"`, '&(?:amp;)*quot;'],
	"'": ['&(?:amp;)*apos;'],
	'<': ['&(?:amp;)*lt;'],
	'>': ['&(?:amp;)*gt;'],
	'/': [`${BACKSLASHES}/`],
	'\b': [`${BACKSLASHES}b`],
	'\f': [`${BACKSLASHES}f`],
	'\n': [`${BACKSLASHES}n`],
	'\r': [`${BACKSLASHES}r`],
	'\t': [`${BACKSLASHES}t`],
};

/**
 * The raw form of the two characters that start escapes, merged with their own escapes (`&amp;`,
 * `\\`) into one greedy form, so a match never ends inside an escape.
 */
const RAW_FORMS: Readonly<Record<string, string>> = { '&': '&(?:amp;)*', '\\': BACKSLASHES };

/** The alternatives for one character (a code point), longer forms first. */
function formsOf(char: string): string {
	const code = char.codePointAt(0) as number;
	const forms = [
		utf8Bytes(code)
			.map((byte) => `%(?:25)*${caselessHex(byte, 2)}`)
			.join(''),
		`&(?:amp;)*#(?:0*${code}|[xX]0*${caselessHex(code, 1)});`,
		...(OTHER_FORMS[char] ?? []),
	];
	// A JSON escape stands for one UTF-16 unit: an astral character is two, each raw or escaped.
	let units = '';
	for (const unit of char.split('')) {
		const raw = RAW_FORMS[unit] ?? unit.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
		units += `(?:${BACKSLASHES}u${caselessHex(unit.charCodeAt(0), 4)}|${raw})`;
	}
	forms.push(units);
	return forms.join('|');
}

/** UTF-8 bytes of a code point; a lone surrogate gets the three bytes a lenient encoder writes. */
function utf8Bytes(code: number): number[] {
	if (code < 0x80) return [code];
	if (code < 0x800) return [0xc0 | (code >> 6), 0x80 | (code & 0x3f)];
	if (code < 0x10000)
		return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
	return [
		0xf0 | (code >> 18),
		0x80 | ((code >> 12) & 0x3f),
		0x80 | ((code >> 6) & 0x3f),
		0x80 | (code & 0x3f),
	];
}

/** A number in hex of at least `width` digits, as a pattern that takes each letter in either case. */
function caselessHex(value: number, width: number): string {
	return value
		.toString(16)
		.padStart(width, '0')
		.replace(/[a-f]/g, (letter) => `[${letter.toUpperCase()}${letter}]`);
}

const NAMES = KEY_PARAM_NAMES.join('|');
/** From a key field's opening quote to its value's opening quote: `"apikey" : "`. */
const FIELD_UP_TO_VALUE = new RegExp(`^"(?:${NAMES})"\\s*:\\s*"$`, 'i');
/** From a key field's opening quote to a cut inside the blanks around its colon: `"apikey" :`. */
const FIELD_UP_TO_CUT = new RegExp(`^"(?:${NAMES})"\\s*(?::\\s*)?$`, 'i');

/**
 * Whether a text can be cut right after `end` (the index of a line feed) and redacted in two parts
 * with the same result as redacting it whole; a streamed download is redacted in blocks cut this way.
 * Secrets (see `canRedactInBlocks`) and URL parameters cannot span a line break. A JSON field or
 * bearer match can, through its blanks or its value: such a match would have its value's opening
 * quote, or its name's closing quote, as the last quote before the cut, or "Bearer" and only blanks
 * right before it; a cut where that may be so is refused (the block then grows to a later line end).
 */
export function isSafeCut(text: string, end: number): boolean {
	let last = end;
	while (last > 0 && /\s/.test(text[last - 1])) last--;
	if (last >= 6 && text.slice(last - 6, last) === 'Bearer') return false;
	const q1 = text.lastIndexOf('"', end);
	if (q1 <= 0) return true;
	const q2 = text.lastIndexOf('"', q1 - 1);
	if (q2 === -1) return true;
	if (FIELD_UP_TO_CUT.test(text.slice(q2, end + 1))) return false;
	const q3 = q2 > 0 ? text.lastIndexOf('"', q2 - 1) : -1;
	return q3 === -1 || !FIELD_UP_TO_VALUE.test(text.slice(q3, q1 + 1));
}

/**
 * Block-wise redaction also needs secrets without quotes or blanks (API keys have none), so that
 * replacing one cannot change where a JSON field or bearer match could span a cut; with such a
 * secret a body is redacted whole. The encoded forms of such a secret have no quote, blank or line
 * feed either (a JSON `\n` is a backslash and a letter), so no occurrence spans a cut.
 */
export function canRedactInBlocks(secrets: readonly string[]): boolean {
	return secrets.every((secret) => secret.length < MIN_SECRET_LENGTH || !/[\s"]/.test(secret));
}

/**
 * Redacts a text that arrives in pieces (a streamed download) in blocks cut at line ends where
 * `isSafeCut` allows, so the blocks joined are exactly `redactSecrets` of the whole text. `push`
 * returns the block that became ready (or undefined); `end` returns the rest.
 */
export class BlockRedactor {
	private pending = '';

	private readonly inBlocks: boolean;

	constructor(
		private readonly secrets: readonly string[],
		private readonly blockChars: number,
	) {
		this.inBlocks = canRedactInBlocks(secrets);
	}

	push(piece: string): string | undefined {
		this.pending += piece;
		if (!this.inBlocks || this.pending.length < this.blockChars) return undefined;
		const end = safeBlockEnd(this.pending);
		if (end === -1) return undefined;
		const block = this.pending.slice(0, end + 1);
		this.pending = this.pending.slice(end + 1);
		return redactSecrets(block, this.secrets);
	}

	end(): string {
		const rest = this.pending;
		this.pending = '';
		return rest === '' ? '' : redactSecrets(rest, this.secrets);
	}
}

/** The last line end the text can be cut after (a few tries back), or -1 to wait for more text. */
function safeBlockEnd(text: string): number {
	let end = text.lastIndexOf('\n');
	for (let tries = 0; end > 0 && tries < 8; tries++) {
		if (isSafeCut(text, end)) return end;
		end = text.lastIndexOf('\n', end - 1);
	}
	return -1;
}
