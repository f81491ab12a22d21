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

/** Secrets shorter than this are not redacted by value: replacing e.g. "1" everywhere would garble text. */
const MIN_SECRET_LENGTH = 6;

export function redactSecrets(text: string, secrets: readonly string[] = []): string {
	let result = text;
	for (const secret of secrets) {
		if (secret.length < MIN_SECRET_LENGTH) continue;
		for (const variant of new Set([secret, encodeURIComponent(secret)])) {
			result = result.split(variant).join(REDACTED);
		}
	}
	return result
		.replace(QUERY_PARAM_PATTERN, `$1${REDACTED}`)
		.replace(ESCAPED_QUERY_PARAM_PATTERN, `$1${REDACTED}`)
		.replace(JSON_FIELD_PATTERN, `$1${REDACTED}$2`)
		.replace(BEARER_PATTERN, `$1${REDACTED}`);
}
