/**
 * WhoisXML's Account Balance API (docs/provider-apis.md §7): `GET /user-service/account-balance` on the
 * user service lists the account's products with their credits. The list's shape is CONFIRMED-3P and
 * which entry is Email Verification is INFERRED (product 7), so the reader returns that entry's credits
 * only when it can tie them to Email Verification, and otherwise says why: never another product's.
 */
import { z } from 'zod';

import { optionalNumber, optionalString } from '../../schema/lenient';

/** Email Verification's product id, as third-party code reads it (INFERRED, docs/provider-apis.md §7). */
export const EMAIL_VERIFICATION_PRODUCT_ID = 7;

/** The name a product must have to be taken for Email Verification, when the answer names it. */
const EMAIL_VERIFICATION_NAME = /e-?mail\s*verif/i;

/** The answer's shape (a different one is an unreadable answer, retried like any other). */
export const whoisxmlBalanceSchema = z
	.object({
		data: z.array(
			z
				.object({
					product_id: optionalNumber,
					product: z.object({ id: optionalNumber, name: optionalString }).passthrough().nullish(),
					// Checked on the Email Verification entry only: another product's odd value is no concern.
					credits: z.unknown(),
				})
				.passthrough(),
		),
	})
	.passthrough();

export type WhoisxmlBalance = z.infer<typeof whoisxmlBalanceSchema>;

/** The Email Verification credits, or why the answer does not say them (a sentence and what the answer lists). */
export type BalanceReading = { credits: number } | { problem: string; listed: string };

const NUMERIC = /^\s*-?\d+(?:\.\d+)?\s*$/;

/** The Email Verification credits of a balance answer (`whoisxmlBalanceSchema`). */
export function emailVerificationCredits(body: WhoisxmlBalance): BalanceReading {
	const entries = body.data.map((entry) => ({
		id: entry.product_id ?? entry.product?.id,
		name: entry.product?.name,
		credits: entry.credits,
	}));
	const listed =
		entries.length === 0
			? 'It lists no products at all.'
			: `It lists: ${entries
					.slice(0, 10)
					.map((entry) => `${entry.name ?? 'a product without a name'} (id ${entry.id ?? 'none'})`)
					.join(', ')}${entries.length > 10 ? ` and ${entries.length - 10} more` : ''}.`;
	const matching = entries.filter((entry) => entry.id === EMAIL_VERIFICATION_PRODUCT_ID);
	if (matching.length === 0) {
		return {
			problem: `lists no Email Verification credits (product ${EMAIL_VERIFICATION_PRODUCT_ID})`,
			listed,
		};
	}
	const misnamed = matching.find(
		(entry) => entry.name !== undefined && !EMAIL_VERIFICATION_NAME.test(entry.name),
	);
	if (misnamed !== undefined) {
		return {
			problem: `names product ${EMAIL_VERIFICATION_PRODUCT_ID} "${misnamed.name}", not Email Verification`,
			listed,
		};
	}
	const values = matching.map((entry) => readCredits(entry.credits));
	const first = values[0];
	if (first === undefined) {
		return {
			problem: `reports the Email Verification credits as ${describe(matching[0].credits)}, not as a number`,
			listed,
		};
	}
	if (values.some((value) => value !== first)) {
		return {
			problem: `lists product ${EMAIL_VERIFICATION_PRODUCT_ID} ${matching.length} times with different credits (${matching.map((entry) => describe(entry.credits)).join(', ')})`,
			listed,
		};
	}
	return { credits: first };
}

/** A finite number, or a numeric string; anything else is unknown. */
function readCredits(value: unknown): number | undefined {
	const number = typeof value === 'string' && NUMERIC.test(value) ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

function describe(value: unknown): string {
	if (value === undefined) return 'nothing';
	const text = JSON.stringify(value) ?? String(value);
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
