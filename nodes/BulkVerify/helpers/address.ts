/** The address checks run before a job is paid for, and the form used to de-duplicate addresses. */

/** RFC 5322 dot-atom characters, plus any non-ASCII (RFC 6531 internationalized addresses). */
const ATOM_CHAR = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\u0080-\\uFFFF-]";
/** Atoms joined by single dots: no leading, trailing or doubled dot. */
const LOCAL_PART = new RegExp(`^${ATOM_CHAR}+(?:\\.${ATOM_CHAR}+)*$`);
/** A label of 1..63 letters, digits and inner hyphens. */
const LABEL =
	'[A-Za-z0-9\\u0080-\\uFFFF](?:[A-Za-z0-9\\u0080-\\uFFFF-]{0,61}[A-Za-z0-9\\u0080-\\uFFFF])?';
/** Two labels or more, the last not all digits. */
const DOMAIN = new RegExp(`^(?:${LABEL}\\.)+(?!\\d+$)${LABEL}$`);
const WHITESPACE = /\s/;

/**
 * A pragmatic check run before a job is paid for: one `@`; a local part of 1..64 dot-atom characters
 * without leading, trailing or doubled dots; a domain of at least two labels (1..63 chars, letters,
 * digits and inner hyphens, a non-numeric top label); at most 254 characters; no whitespace. Quoted
 * local parts and IP-literal domains are refused: no bulk list needs them. (One pattern per part,
 * rather than splitting into atoms and labels: 100,000 addresses go through here at once.)
 */
export function isSyntacticallyValidEmail(value: string): boolean {
	if (typeof value !== 'string' || value.length > 254 || WHITESPACE.test(value)) return false;
	const at = value.indexOf('@');
	if (at <= 0 || at > 64 || at !== value.lastIndexOf('@')) return false;
	const domain = value.slice(at + 1);
	return domain.length <= 253 && LOCAL_PART.test(value.slice(0, at)) && DOMAIN.test(domain);
}

/** The form used to de-duplicate addresses: trimmed and lower-cased. */
export function canonicalEmail(value: string): string {
	return value.trim().toLowerCase();
}
