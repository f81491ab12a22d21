/**
 * Pure preparation of a list before anything is paid for: trim, de-duplicate case-insensitively,
 * set aside what is not an email address, and split what is over a provider's limits into jobs.
 */
import { canonicalEmail, isSyntacticallyValidEmail } from '../../shared/normalize';
import type { ProviderLimits } from '../../shared/providers/types';

export interface EmailCandidate {
	value: unknown;
	itemIndex: number;
}

export interface RejectedEmail {
	value: string;
	itemIndex: number;
	reason: 'empty' | 'invalid_syntax';
}

export interface PreparedList {
	/** Unique addresses in first-seen order, as the user wrote them (trimmed). */
	emails: string[];
	/** Canonical address → the input items that carried it, for pairedItem. */
	itemsByEmail: Map<string, number[]>;
	rejected: RejectedEmail[];
	duplicates: number;
}

export function prepareEmailList(candidates: Iterable<EmailCandidate>): PreparedList {
	const emails: string[] = [];
	const itemsByEmail = new Map<string, number[]>();
	const rejected: RejectedEmail[] = [];
	let duplicates = 0;
	for (const { value, itemIndex } of candidates) {
		const text = typeof value === 'string' ? value.trim() : value === null || value === undefined ? '' : String(value).trim();
		if (text === '') {
			rejected.push({ value: text, itemIndex, reason: 'empty' });
			continue;
		}
		if (!isSyntacticallyValidEmail(text)) {
			rejected.push({ value: text, itemIndex, reason: 'invalid_syntax' });
			continue;
		}
		const key = canonicalEmail(text);
		const items = itemsByEmail.get(key);
		if (items) {
			items.push(itemIndex);
			duplicates++;
			continue;
		}
		itemsByEmail.set(key, [itemIndex]);
		emails.push(text);
	}
	return { emails, itemsByEmail, rejected, duplicates };
}

/** Bytes an address takes in an upload: the address, a line end and room for the provider's framing. */
const UPLOAD_OVERHEAD_BYTES = 16;
/** Stay under a byte limit by this margin: headers and framing are not counted exactly. */
const BYTE_LIMIT_SAFETY = 0.98;

/** Splits a list into the fewest jobs that each respect the provider's count and byte limits. */
export function splitIntoJobs(emails: readonly string[], limits: ProviderLimits): string[][] {
	const maxCount = limits.maxEmailsPerJob ?? Infinity;
	const maxBytes = limits.maxUploadBytes === undefined ? Infinity : limits.maxUploadBytes * BYTE_LIMIT_SAFETY;
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
