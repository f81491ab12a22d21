/**
 * Finding columns by name in a CSV header, and the header-row schema the provider schemas use (the
 * only zod in the CSV code).
 */
import { z } from 'zod';

/** Header comparison key: case, spaces, `_` and `-` ignored (`Verified At` ≡ `verified_at` ≡ `verifiedAt`). */
export function headerKey(name: string): string {
	return name.toLowerCase().replace(/[\s_-]+/g, '');
}

/** The actual header matching the first of the wanted names that is present. */
export function findColumn(
	headers: readonly string[],
	wanted: string | readonly string[],
): string | undefined {
	const keys = headers.map(headerKey);
	for (const name of typeof wanted === 'string' ? [wanted] : wanted) {
		const position = keys.indexOf(headerKey(name));
		if (position !== -1) return headers[position];
	}
	return undefined;
}

interface ColumnMap<Field extends string> {
	/** Known field → the header that holds it. */
	columns: Partial<Record<Field, string>>;
	/** Headers that are not known fields (the user's own columns), in file order. */
	extra: string[];
}

/** Resolves known fields by header name once per file, never by position (§1.2.4). */
export function mapColumns<Field extends string>(
	headers: readonly string[],
	aliases: Readonly<Record<Field, readonly string[]>>,
): ColumnMap<Field> {
	const columns: Partial<Record<Field, string>> = {};
	const known = new Set<string>();
	for (const field of Object.keys(aliases) as Field[]) {
		const header = findColumn(headers, aliases[field]);
		if (header !== undefined) {
			columns[field] = header;
			known.add(header);
		}
	}
	return { columns, extra: headers.filter((header) => !known.has(header)) };
}

/** A `ColumnMap` in which the `Required` fields are known to be present (exported: the provider schemas' declarations name it). */
export interface RequiredColumnMap<
	Field extends string,
	Required extends Field,
> extends ColumnMap<Field> {
	columns: ColumnMap<Field>['columns'] & Record<Required, string>;
}

/**
 * A header row (CSV headers or JSON row keys) → `mapColumns`, failing unless every `required` field is
 * present: the issue's path is the first missing field's display name (its first alias), its message
 * `describeMissing(name, the headers joined by ", " or "none")`.
 */
export function requiredColumnsSchema<Field extends string, Required extends Field>(
	aliases: Readonly<Record<Field, readonly string[]>>,
	required: readonly Required[],
	describeMissing: (name: string, headers: string) => string,
) {
	return z.array(z.string()).transform((headers, context): RequiredColumnMap<Field, Required> => {
		const map = mapColumns(headers, aliases);
		const missing = required.find((field) => map.columns[field] === undefined);
		if (missing !== undefined) {
			const name = aliases[missing][0] ?? missing;
			context.addIssue({
				code: z.ZodIssueCode.custom,
				path: [name],
				message: describeMissing(name, headers.join(', ') || 'none'),
			});
			return z.NEVER;
		}
		// Every required field was just found.
		return map as RequiredColumnMap<Field, Required>;
	});
}
