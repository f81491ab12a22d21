/**
 * Lean validation for large response bodies (50,000-row downloads), where zod's general machinery
 * costs more than fetching the body. A lean check mirrors one zod schema of the provider files
 * exactly and answers `FAIL` for anything it is not sure about; `withLeanPath` then lets zod decide,
 * so a body zod refuses gets zod's own error message. A lean check never accepts what zod would
 * refuse, and what it returns equals zod's output: the same keys in the same order and the same
 * values (`null` → `undefined` where zod transforms it). Where zod would return an unchanged copy
 * (an object whose keys are already in zod's order, an array of valid strings), the lean check
 * returns the parsed body's own object instead of copying it; test/unit/lean.test.ts compares both.
 */
import type { ZodType, ZodTypeDef } from 'zod';

export const FAIL: unique symbol = Symbol('lean validation failed');
export type Fail = typeof FAIL;

/** Checks one value; returns zod's output for it, or FAIL. */
export type LeanCheck<T> = (value: unknown) => T | Fail;

/** What the transport needs of a schema: zod schemas and `withLeanPath` results both fit. */
export interface BodySchema<T> {
	safeParse(data: unknown):
		| { success: true; data: T }
		| {
				success: false;
				error: { issues: Array<{ path: Array<string | number>; message: string }> };
		  };
}

/** `schema`, with `lean` tried first; zod runs only when the lean check fails (and then reports why). */
export function withLeanPath<T>(
	schema: ZodType<T, ZodTypeDef, unknown>,
	lean: LeanCheck<T>,
): BodySchema<T> {
	return {
		safeParse(data) {
			const value = lean(data);
			if (value !== FAIL) return { success: true, data: value };
			return schema.safeParse(data);
		},
	};
}

/**
 * For `{ response: Row[] }` bodies (50,000-row downloads): validates each row with `row` and maps it
 * with `map` in the same pass, while the row is fresh in memory, giving `schema.safeParse(body)` then
 * `data.response.map(map)`. Anything the lean checks do not accept is left to zod, which decides and
 * words the error.
 */
export function leanRowsMapped<Row, Out>(
	schema: ZodType<{ response: Row[] }, ZodTypeDef, unknown>,
	row: LeanCheck<Row>,
	map: (row: Row) => Out,
): BodySchema<Out[]> {
	return {
		safeParse(data) {
			const rows = isPlainObject(data) ? data.response : undefined;
			if (Array.isArray(rows)) {
				const output: Out[] = [];
				let accepted = true;
				for (let index = 0; index < rows.length; index++) {
					const checked = row(rows[index]);
					if (checked === FAIL) {
						accepted = false;
						break;
					}
					output.push(map(checked));
				}
				if (accepted) return { success: true, data: output };
			}
			const parsed = schema.safeParse(data);
			return parsed.success ? { success: true, data: parsed.data.response.map(map) } : parsed;
		},
	};
}

// ---------------------------------------------------------------------------------------------------
// Checks mirroring the zod primitives of the provider schemas

/** `z.string()`. */
export const leanString: LeanCheck<string> = (value) => (typeof value === 'string' ? value : FAIL);

/** `optionalString`: `z.string().nullish().transform((value) => value ?? undefined)`. */
export const leanOptionalString: LeanCheck<string | undefined> = (value) => {
	if (typeof value === 'string') return value;
	return value === null || value === undefined ? undefined : FAIL;
};

/** `optionalScalar`: `z.union([z.string(), z.number(), z.boolean(), z.null()]).optional()` (zod refuses NaN). */
export const leanOptionalScalar: LeanCheck<string | number | boolean | null | undefined> = (
	value,
) => {
	switch (typeof value) {
		case 'string':
		case 'boolean':
		case 'undefined':
			return value;
		case 'number':
			return Number.isNaN(value) ? FAIL : value;
		default:
			return value === null ? null : FAIL;
	}
};

/** `z.array(z.string()).nullish()` (zod copies the array; its items are unchanged, so this returns it as is). */
export const leanStringArrayNullish: LeanCheck<string[] | null | undefined> = (value) => {
	if (value === null || value === undefined) return value;
	if (!Array.isArray(value)) return FAIL;
	for (let index = 0; index < value.length; index++) {
		if (typeof value[index] !== 'string') return FAIL;
	}
	return value as string[];
};

/** `z.array(item)`: the items' outputs; the input array itself when every item came back unchanged. */
export function leanArray<T>(item: LeanCheck<T>): LeanCheck<T[]> {
	return (value) => {
		if (!Array.isArray(value)) return FAIL;
		let output: T[] | undefined;
		for (let index = 0; index < value.length; index++) {
			const entry: unknown = value[index];
			const parsed = item(entry);
			if (parsed === FAIL) return FAIL;
			if (output === undefined && parsed !== entry) output = value.slice(0, index) as T[];
			if (output !== undefined) output.push(parsed);
		}
		return output ?? (value as T[]);
	};
}

/** A plain object as JSON.parse makes it; anything else (arrays, class instances) is left to zod. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const prototype: unknown = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

/**
 * `z.object(shape).passthrough()`: zod returns a new object with the shape's keys first, in shape order
 * (a key whose output is undefined only when the input has the key), then the input's other keys in
 * their order, never `__proto__`. When the input already is exactly that (its keys in that order, no
 * value changed by a check), it is returned itself; otherwise the copy is built as zod builds it.
 */
export function leanPassthroughObject<T>(shape: Record<string, LeanCheck<unknown>>): LeanCheck<T> {
	const keys = Object.keys(shape);
	const checks = keys.map((key) => shape[key]);
	const position = new Map(keys.map((key, index) => [key, index]));
	return (value) => {
		if (!isPlainObject(value)) return FAIL;
		// The common case first, in one pass: exactly the shape's keys, in shape order, none changed.
		let index = 0;
		let unchanged = true;
		let inOrder = true;
		for (const key in value) {
			if (index === keys.length || key !== keys[index]) {
				inOrder = false;
				break;
			}
			const entry = value[key];
			const parsed = checks[index](entry);
			if (parsed === FAIL) return FAIL;
			if (parsed !== entry) unchanged = false;
			index++;
		}
		if (inOrder && unchanged && index === keys.length) return value as T;
		unchanged = true;
		for (index = 0; index < keys.length; index++) {
			const entry = value[keys[index]];
			const parsed = checks[index](entry);
			if (parsed === FAIL) return FAIL;
			if (parsed !== entry) unchanged = false;
		}
		if (unchanged && inZodOrder(value, position)) return value as T;
		const output: Record<string, unknown> = {};
		for (let index = 0; index < keys.length; index++) {
			const key = keys[index];
			const parsed = checks[index](value[key]);
			if (parsed !== undefined || key in value) output[key] = parsed;
		}
		for (const key in value) {
			if (!position.has(key) && key !== '__proto__') output[key] = value[key];
		}
		return output as T;
	};
}

/**
 * Whether the object's keys come in the order zod's output would have them: the shape's keys in
 * shape order, then the others. Integer-like keys (which objects always list first) and `__proto__`
 * answer no, which only costs a copy.
 */
function inZodOrder(value: Record<string, unknown>, position: Map<string, number>): boolean {
	let last = -1;
	let sawOther = false;
	for (const key in value) {
		const at = position.get(key);
		if (at === undefined) {
			if (key === '__proto__' || isIntegerLike(key)) return false;
			sawOther = true;
		} else {
			if (sawOther || at < last) return false;
			last = at;
		}
	}
	return true;
}

function isIntegerLike(key: string): boolean {
	const code = key.charCodeAt(0);
	return code >= 48 && code <= 57;
}
