/**
 * Lenient zod primitives for the provider schemas. They accept the loose encodings the docs show and
 * only rewrite what loses nothing: numeric strings become numbers and `null`/`""` become "absent".
 * Flags and checks are kept as sent (see `optionalScalar`), so `raw`, which is the validated body,
 * still shows an undocumented value such as Bouncify's `accept_all: 2`.
 */
import { z } from 'zod';

import { asRecord } from '../model/values';

const NUMERIC_STRING = /^\s*-?\d+(?:\.\d+)?\s*$/;

function numericStringToNumber(value: unknown): unknown {
	return typeof value === 'string' && NUMERIC_STRING.test(value) ? Number(value) : value;
}

function blankToUndefined(value: unknown): unknown {
	return value === null || value === '' ? undefined : numericStringToNumber(value);
}

/** A number that may arrive as a numeric string. */
export const lenientNumber = z.preprocess(numericStringToNumber, z.number());
/** As `lenientNumber`; missing, `null` or `""` mean "not reported" (never zero). */
export const optionalNumber = z.preprocess(blankToUndefined, z.number().optional());
/** A string; `null` reads as absent. */
export const optionalString = z
	.string()
	.nullish()
	.transform((value) => value ?? undefined);
/** A flag or check in any encoding (`true`, `"true"`, `1`, `"Y"`, `"null"`, `null`); read it with `parseFlag`. */
export const optionalScalar = z.union([z.string(), z.number(), z.boolean(), z.null()]).optional();

/**
 * A provider's `extractErrorMessage`: reads a body, or the JSON object a string holds, with `schema`,
 * which knows the provider's envelope and yields its error text (undefined for a body that reports
 * success). A body the schema does not fit has no error text either.
 */
export function errorMessageReader(
	schema: z.ZodType<string | undefined, z.ZodTypeDef, unknown>,
): (body: unknown) => string | undefined {
	return (body) => {
		const parsed = schema.safeParse(asRecord(body));
		return parsed.success ? parsed.data : undefined;
	};
}
