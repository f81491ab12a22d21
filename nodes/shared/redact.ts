/**
 * Key redaction, applied once, in the transport, to every response body and every error text before
 * anything else sees it. Two layers: the exact secret (when known) wherever it appears, and any value
 * of a key-carrying query parameter, JSON field or bearer header (for echoed URLs of other keys).
 */

export const REDACTED = '[REDACTED]';

const KEY_PARAM_NAMES = ['apikey', 'api_key', 'apiKey', 'api-key', 'key', 'token', 'access_token'];

const QUERY_PARAM_PATTERN = new RegExp(`([?&;](?:${KEY_PARAM_NAMES.join('|')})=)[^&#\\s"'<>]+`, 'gi');
const ESCAPED_QUERY_PARAM_PATTERN = new RegExp(
	`((?:\\?|&amp;|&)(?:${KEY_PARAM_NAMES.join('|')})=)[^&#\\s"'<>]+`,
	'gi',
);
const JSON_FIELD_PATTERN = new RegExp(`("(?:${KEY_PARAM_NAMES.join('|')})"\\s*:\\s*")[^"]*(")`, 'gi');
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
		for (const variant of new Set([secret, encodeURIComponent(secret)])) {
			if (result.includes(variant)) result = result.split(variant).join(REDACTED);
		}
	}
	if (result.includes('=')) {
		result = result.replace(QUERY_PARAM_PATTERN, `$1${REDACTED}`).replace(ESCAPED_QUERY_PARAM_PATTERN, `$1${REDACTED}`);
	}
	if (JSON_FIELD_HINT.test(result)) result = result.replace(JSON_FIELD_PATTERN, `$1${REDACTED}$2`);
	if (result.includes('Bearer')) result = result.replace(BEARER_PATTERN, `$1${REDACTED}`);
	return result;
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
 * secret a body is redacted whole.
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
