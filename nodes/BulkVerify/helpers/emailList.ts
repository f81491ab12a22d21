/**
 * Pure preparation of a list before anything is paid for: trim, de-duplicate case-insensitively,
 * set aside what is not an email address or what the provider cannot verify as written, convert
 * internationalized domains to ASCII, and split what is over a provider's limits into jobs.
 */
import { canonicalEmail, isSyntacticallyValidEmail } from './address';
import type { ProviderLimits } from '../../shared/model/provider';

export interface EmailCandidate {
	value: unknown;
	itemIndex: number;
	/** The value comes from a file whose encoding was guessed: its non-ASCII characters may be wrong. */
	uncertainEncoding?: boolean;
}

export interface RejectedEmail {
	value: string;
	itemIndex: number;
	reason: 'empty' | 'invalid_syntax' | 'non_ascii_local_part' | 'uncertain_encoding';
}

export interface PreparedList {
	/**
	 * Unique addresses in first-seen order, as submitted: as the user wrote them (trimmed), except that
	 * an internationalized domain is in its ASCII (punycode) form.
	 */
	emails: string[];
	/** Canonical submitted address → the input items that carried it, for pairedItem. */
	itemsByEmail: Map<string, number[]>;
	/** Canonical submitted address → the address as the user wrote it, for those whose domain was converted. */
	originalOf: Map<string, string>;
	rejected: RejectedEmail[];
	duplicates: number;
}

/** Any UTF-16 code unit outside ASCII. */
const NON_ASCII = /[\u0080-\uffff]/;

export function prepareEmailList(candidates: Iterable<EmailCandidate>): PreparedList {
	const emails: string[] = [];
	const itemsByEmail = new Map<string, number[]>();
	const originalOf = new Map<string, string>();
	const rejected: RejectedEmail[] = [];
	let duplicates = 0;
	for (const { value, itemIndex, uncertainEncoding } of candidates) {
		const text =
			typeof value === 'string'
				? value.trim()
				: value === null || value === undefined
					? ''
					: String(value).trim();
		const screened = screen(text, uncertainEncoding === true);
		if ('reason' in screened) {
			rejected.push({ value: text, itemIndex, reason: screened.reason });
			continue;
		}
		const key = canonicalEmail(screened.submitted);
		const items = itemsByEmail.get(key);
		if (items) {
			items.push(itemIndex);
			duplicates++;
			continue;
		}
		itemsByEmail.set(key, [itemIndex]);
		emails.push(screened.submitted);
		if (screened.submitted !== text) originalOf.set(key, text);
	}
	return { emails, itemsByEmail, originalOf, rejected, duplicates };
}

/** The form of a trimmed value to submit, or why it is not submitted. */
function screen(
	text: string,
	uncertainEncoding: boolean,
): { submitted: string } | { reason: RejectedEmail['reason'] } {
	if (text === '') return { reason: 'empty' };
	if (!isSyntacticallyValidEmail(text)) return { reason: 'invalid_syntax' };
	if (!NON_ASCII.test(text)) return { submitted: text };
	// A guessed code page may have misread any byte above ASCII: a paid check of a misspelt address.
	if (uncertainEncoding) return { reason: 'uncertain_encoding' };
	const at = text.indexOf('@');
	// SMTPUTF8 mailboxes: the providers take ASCII addresses only.
	if (NON_ASCII.test(text.slice(0, at))) return { reason: 'non_ascii_local_part' };
	const domain = asciiDomain(text.slice(at + 1));
	if (domain === undefined) return { reason: 'invalid_syntax' };
	const submitted = `${text.slice(0, at)}@${domain}`;
	// The ASCII form is checked again: it may be longer than the limits, or an IPv4 address (`１.２.３.４`).
	return isSyntacticallyValidEmail(submitted) ? { submitted } : { reason: 'invalid_syntax' };
}

/** The domain's ASCII (punycode) form, as WHATWG URL hosts get it; undefined when IDNA refuses it. */
function asciiDomain(domain: string): string | undefined {
	try {
		return new URL(`http://${domain}`).hostname;
	} catch {
		return undefined;
	}
}

/** Bytes an address takes in an upload: the address, a line end and room for the provider's framing. */
const UPLOAD_OVERHEAD_BYTES = 16;
/** Stay under a byte limit by this margin: headers and framing are not counted exactly. */
const BYTE_LIMIT_SAFETY = 0.98;

/** Splits a list into the fewest jobs that each respect the provider's count and byte limits. */
export function splitIntoJobs(emails: readonly string[], limits: ProviderLimits): string[][] {
	const maxCount = limits.maxEmailsPerJob ?? Infinity;
	const maxBytes =
		limits.maxUploadBytes === undefined ? Infinity : limits.maxUploadBytes * BYTE_LIMIT_SAFETY;
	const jobs: string[][] = [];
	let current: string[] = [];
	let currentBytes = 0;
	for (const email of emails) {
		const bytes = Buffer.byteLength(email) + UPLOAD_OVERHEAD_BYTES;
		if (current.length > 0 && (current.length >= maxCount || currentBytes + bytes > maxBytes)) {
			jobs.push(current);
			current = [];
			currentBytes = 0;
		}
		current.push(email);
		currentBytes += bytes;
	}
	if (current.length > 0) jobs.push(current);
	return jobs;
}
