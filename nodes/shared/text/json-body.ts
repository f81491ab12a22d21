/**
 * JSON parsing of provider bodies. Unlike a bare JSON.parse it keeps a number literal that a double
 * cannot hold exactly (a job id beyond 2^53) as a string of its exact text, and refuses a body nested
 * deeper than any real answer, before anything downstream walks it recursively.
 */

export type JsonBody = { ok: true; value: unknown } | { ok: false; problem: string };

const DEFAULT_MAX_DEPTH = 64;

export function parseJsonBody(text: string, options: { maxDepth?: number } = {}): JsonBody {
	const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
	if (text.trim() === '') return { ok: false, problem: 'the body was empty' };
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		return {
			ok: false,
			problem: nestsDeeperThan(text, maxDepth) ? depthProblem(maxDepth) : syntaxProblem(error),
		};
	}
	// V8's JSON.parse does not recurse, so even a hostile depth is measured on the parsed value.
	const shape = shapeOf(value, maxDepth);
	if (shape.tooDeep) return { ok: false, problem: depthProblem(maxDepth) };
	const exact = shape.hasNumbers ? withInexactNumbersQuoted(text) : undefined;
	return { ok: true, value: exact === undefined ? value : JSON.parse(exact) };
}

function depthProblem(maxDepth: number): string {
	return `the body is nested more than ${maxDepth} levels deep`;
}

function syntaxProblem(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	// Some of V8's messages quote the body; what of the body to show is the caller's choice.
	return `the body is not valid JSON (${message.replace(/, ".*$/s, '').slice(0, 100)})`;
}

/**
 * Whether the parsed value nests containers deeper than `maxDepth`, and whether it holds a number,
 * walked level by level. `for...in` is the fastest walk over JSON.parse's objects, which inherit no
 * enumerable keys.
 */
function shapeOf(value: unknown, maxDepth: number): { tooDeep: boolean; hasNumbers: boolean } {
	let hasNumbers = typeof value === 'number';
	let level: object[] = typeof value === 'object' && value !== null ? [value] : [];
	for (let depth = 1; level.length > 0; depth++) {
		if (depth > maxDepth) return { tooDeep: true, hasNumbers };
		const next: object[] = [];
		for (const node of level) {
			if (Array.isArray(node)) {
				for (const child of node as unknown[]) {
					if (typeof child === 'object') {
						if (child !== null) next.push(child);
					} else if (typeof child === 'number') hasNumbers = true;
				}
				continue;
			}
			for (const key in node) {
				const child = (node as Record<string, unknown>)[key];
				if (typeof child === 'object') {
					if (child !== null) next.push(child);
				} else if (typeof child === 'number') hasNumbers = true;
			}
		}
		level = next;
	}
	return { tooDeep: false, hasNumbers };
}

const digits = (count: number) => '\\d'.repeat(count);

/**
 * Where a number literal that loses digits in a double must have a match. It needs 16 digits in its
 * mantissa (an integer beyond 2^53 too), at most a point among them, so a run of 16, or 8 before or
 * after the point; or an exponent of three digits: otherwise its at most 15 significant digits lie in
 * the range of normal doubles, where they always come back exactly. It may match inside a string
 * too. The runs are spelled out: V8 then skips through the text several times faster than for
 * `\d{16}`, so a big body without such a literal costs little.
 */
const MAY_BE_INEXACT = new RegExp(
	`${digits(16)}|${digits(8)}\\.|\\.${digits(8)}|\\d[eE][+-]?${digits(3)}`,
	'g',
);

/**
 * The (valid) JSON text with every number literal that a double cannot hold exactly put in quotes,
 * or undefined when there is none. Outside strings, the characters of numbers around a match are
 * exactly one literal (JSON puts a separator between values); whether an inexact one is inside a
 * string is found by stepping over the strings before it, quote to quote.
 */
function withInexactNumbersQuoted(text: string): string | undefined {
	let result = '';
	let copied = 0;
	let seen = 0;
	let outside = 0;
	for (const match of text.matchAll(MAY_BE_INEXACT)) {
		let start = match.index as number;
		let end = start + match[0].length;
		if (start < seen) continue;
		while (start > 0 && isNumberChar(text.charCodeAt(start - 1))) start--;
		while (end < text.length && isNumberChar(text.charCodeAt(end))) end++;
		seen = end;
		const literal = text.slice(start, end);
		if (holdsExactly(literal)) continue;
		for (
			let open = text.indexOf('"', outside);
			open !== -1 && open < start;
			open = text.indexOf('"', outside)
		) {
			outside = stringEnd(text, open) + 1;
		}
		if (start < outside) continue;
		result += `${text.slice(copied, start)}"${literal}"`;
		copied = end;
	}
	return copied === 0 ? undefined : result + text.slice(copied);
}

/** Digits, the point, exponent letters and signs. */
function isNumberChar(code: number): boolean {
	return (
		(code >= 0x30 && code <= 0x39) ||
		code === 0x2e ||
		code === 0x65 ||
		code === 0x45 ||
		code === 0x2b ||
		code === 0x2d
	);
}

/** Whether a literal's double has the literal's exact value: a safe integer, or the same digits. */
function holdsExactly(literal: string): boolean {
	const value = Number(literal);
	if (!/[.eE]/.test(literal)) return Number.isSafeInteger(value);
	if (!Number.isFinite(value)) return false;
	// Most long literals are a double's shortest form already, as JavaScript and Python print them.
	const shortest = String(value);
	return shortest === literal || significantDigits(shortest) === significantDigits(literal);
}

/** A mantissa's digits without sign, point, or leading and trailing zeros: "-0.0120e5" gives "12". */
function significantDigits(literal: string): string {
	return literal
		.split(/[eE]/)[0]
		.replace(/[-.]/g, '')
		.replace(/^0+|0+$/g, '');
}

/** The index of the quote that closes the string opened at `open` (the text's length if none does). */
function stringEnd(text: string, open: number): number {
	for (
		let close = text.indexOf('"', open + 1);
		close !== -1;
		close = text.indexOf('"', close + 1)
	) {
		let backslashes = 0;
		while (text.charCodeAt(close - 1 - backslashes) === 0x5c) backslashes++;
		if (backslashes % 2 === 0) return close;
	}
	return text.length;
}

/** For a body that is not valid JSON: whether it opens more than `maxDepth` containers before closing them. */
function nestsDeeperThan(text: string, maxDepth: number): boolean {
	let depth = 0;
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code === 0x22) index = stringEnd(text, index);
		else if (code === 0x5b || code === 0x7b) depth++;
		else if (code === 0x5d || code === 0x7d) depth--;
		if (depth > maxDepth) return true;
	}
	return false;
}
