/**
 * Small typed validators for the large WhoisXML bodies (50,000-row downloads), where zod's general
 * machinery costs more than fetching the body. One declaration gives both the check and its type:
 *
 *   const row = object({ emailAddress: string(), mxRecords: nullish(array(string())) });
 *   type Row = Infer<typeof row>; // { [key: string]: unknown; emailAddress: string; mxRecords?: string[] | null }
 *
 * What a schema does (test/unit/shared/schema/lean.test.ts):
 * - `object` keeps the keys it does not declare (as zod's `.passthrough()`); a declared key whose
 *   output may be undefined is optional in the type.
 * - The output is the input itself wherever no check changed a value, so a 50,000-row body is not
 *   copied; an object or array is copied (shallowly, keys in their order) only when a check returned
 *   another value for one of its entries, such as `null` → `undefined` in a `transform`.
 * - `safeParse` stops at the first value it refuses and answers zod's shape, one issue with its path
 *   and zod 3's wording: "Required" for a missing value, "Expected string, received number" otherwise.
 */

export interface Issue {
	path: Array<string | number>;
	message: string;
}

export type SafeParseResult<T> =
	| { success: true; data: T; error?: undefined }
	| { success: false; error: { issues: Issue[] }; data?: undefined };

const INVALID: unique symbol = Symbol('invalid');
type Invalid = typeof INVALID;

/** Checks one value: its output, or INVALID once `issue` says why (containers prepend their key to its path). */
type Run<T> = (value: unknown, issue: Issue) => T | Invalid;

export class Schema<T> {
	constructor(readonly run: Run<T>) {}

	safeParse(data: unknown): SafeParseResult<T> {
		const issue: Issue = { path: [], message: '' };
		const output = this.run(data, issue);
		return output === INVALID
			? { success: false, error: { issues: [issue] } }
			: { success: true, data: output };
	}

	/** The output, or an Error naming the refused value's path. */
	parse(data: unknown): T {
		const parsed = this.safeParse(data);
		if (parsed.success) return parsed.data;
		const [issue] = parsed.error.issues;
		throw new Error(`${issue.path.length > 0 ? issue.path.join('.') : 'value'}: ${issue.message}`);
	}

	/** This schema's output passed through `map` (run only for a value the schema accepts). */
	transform<U>(map: (value: T) => U): Schema<U> {
		const run = this.run;
		return new Schema<U>((value, issue) => {
			const output = run(value, issue);
			return output === INVALID ? INVALID : map(output);
		});
	}
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

function refuse(issue: Issue, expected: string, value: unknown): Invalid {
	issue.message =
		value === undefined ? 'Required' : `Expected ${expected}, received ${typeName(value)}`;
	return INVALID;
}

function typeName(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number' && Number.isNaN(value)) return 'nan';
	return typeof value;
}

const STRING = new Schema<string>((value, issue) =>
	typeof value === 'string' ? value : refuse(issue, 'string', value),
);

export function string(): Schema<string> {
	return STRING;
}

const SCALAR = new Schema<string | number | boolean | null>((value, issue) => {
	switch (typeof value) {
		case 'string':
		case 'boolean':
			return value;
		case 'number':
			return Number.isNaN(value) ? refuse(issue, 'string, number, boolean or null', value) : value;
		default:
			return value === null ? null : refuse(issue, 'string, number, boolean or null', value);
	}
});

/** A string, a number (not NaN), a boolean or null, kept as sent. */
export function scalar(): Schema<string | number | boolean | null> {
	return SCALAR;
}

/** `schema`, or undefined. */
export function optional<T>(schema: Schema<T>): Schema<T | undefined> {
	const run = schema.run;
	return new Schema<T | undefined>((value, issue) =>
		value === undefined ? undefined : run(value, issue),
	);
}

/** `schema`, or null or undefined (kept as sent). */
export function nullish<T>(schema: Schema<T>): Schema<T | null | undefined> {
	const run = schema.run;
	return new Schema<T | null | undefined>((value, issue) =>
		value === null || value === undefined ? value : run(value, issue),
	);
}

/** An array of `item`s; the input array itself unless a check changed an item. */
export function array<T>(item: Schema<T>): Schema<T[]> {
	const run = item.run;
	return new Schema<T[]>((value, issue) => {
		if (!Array.isArray(value)) return refuse(issue, 'array', value);
		let output: unknown[] | undefined;
		for (let index = 0; index < value.length; index++) {
			const entry: unknown = value[index];
			const checked = run(entry, issue);
			if (checked === INVALID) {
				issue.path.unshift(index);
				return INVALID;
			}
			if (checked !== entry) {
				output ??= value.slice();
				output[index] = checked;
			}
		}
		return (output ?? value) as T[];
	});
}

type Shape = Record<string, Schema<unknown>>;
type Flatten<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOutput<S extends Shape> = Flatten<
	{ [K in keyof S as undefined extends Infer<S[K]> ? never : K]: Infer<S[K]> } & {
		[K in keyof S as undefined extends Infer<S[K]> ? K : never]?: Infer<S[K]>;
	} & { [key: string]: unknown }
>;

/**
 * An object (not null, not an array) with the shape's keys checked and every other key kept; the input
 * object itself unless a check changed a value, else a shallow copy with the changed values.
 */
export function object<S extends Shape>(shape: S): Schema<ObjectOutput<S>> {
	const keys = Object.keys(shape);
	const runs = keys.map((key) => shape[key].run);
	return new Schema<ObjectOutput<S>>((value, issue) => {
		if (typeof value !== 'object' || value === null || Array.isArray(value))
			return refuse(issue, 'object', value);
		const input = value as Record<string, unknown>;
		let output: Record<string, unknown> | undefined;
		for (let index = 0; index < keys.length; index++) {
			const key = keys[index];
			const entry = input[key];
			const checked = runs[index](entry, issue);
			if (checked === INVALID) {
				issue.path.unshift(key);
				return INVALID;
			}
			if (checked !== entry) {
				output ??= { ...input };
				output[key] = checked;
			}
		}
		return (output ?? input) as ObjectOutput<S>;
	});
}
