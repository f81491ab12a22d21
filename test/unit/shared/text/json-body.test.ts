// Tests nodes/shared/text/json-body.ts.
import { parseJsonBody } from '../../../../nodes/shared/text/json-body';
import { pick, random } from '../../../support/random';

function valueOf(text: string, maxDepth?: number): unknown {
	const parsed = parseJsonBody(text, maxDepth === undefined ? undefined : { maxDepth });
	if (!parsed.ok) throw new Error(`expected a value, got: ${parsed.problem}`);
	return parsed.value;
}

function problemOf(text: string, maxDepth?: number): string {
	const parsed = parseJsonBody(text, maxDepth === undefined ? undefined : { maxDepth });
	if (parsed.ok) throw new Error('expected a problem');
	return parsed.problem;
}

/** Number literals and what they must come back as. */
const LITERALS: Array<[string, unknown]> = [
	['0', 0],
	['-0', -0],
	['42', 42],
	['1.5', 1.5],
	['1e21', 1e21],
	['-2.5E-7', -2.5e-7],
	['123456789012345', 123456789012345],
	['9007199254740991', 9007199254740991],
	['-9007199254740991', -9007199254740991],
	['9007199254740992', '9007199254740992'],
	['9007199254740993', '9007199254740993'],
	['12345678901234567890', '12345678901234567890'],
	['-12345678901234567890', '-12345678901234567890'],
	['100000000000000000000', '100000000000000000000'],
	['0.30000000000000004', 0.30000000000000004],
	['0.14285714285714285', 0.14285714285714285],
	['1.7976931348623157e308', 1.7976931348623157e308],
	['12345678.123456789', '12345678.123456789'],
	['123456789012.3456789', '123456789012.3456789'],
	['-1234567.890123456', -1234567.890123456],
	['0.10000000000000000001', '0.10000000000000000001'],
	['1.00000000000000000001', '1.00000000000000000001'],
	['1.2345678901234567890e5', '1.2345678901234567890e5'],
	['12345678901234567890e-3', '12345678901234567890e-3'],
	['1e400', '1e400'],
	['-1E+400', '-1E+400'],
	['1e-400', '1e-400'],
	['1.5e300', 1.5e300],
	['1.50000000000000000000', 1.5],
];

/** Strings that look like numbers or try to confuse the scanner, kept as they are. */
const STRINGS = [
	'"12345678901234567890"',
	'"id 12345678901234567890 x"',
	'"a\\"12345678901234567890"',
	'"\\\\"',
	'"\\\\\\"1e400"',
	'"é😀\\u00e9 12345678.123456789"',
	'"[[[{{{"',
	'"]]]}}}"',
	'""',
];

describe('parseJsonBody', () => {
	it.each(LITERALS)('reads the number literal %s exactly', (literal, expected) => {
		expect(valueOf(literal)).toStrictEqual(expected);
		expect(valueOf(`[${literal}]`)).toStrictEqual([expected]);
		expect(valueOf(`{"n": ${literal}, "s": "${literal}"}`)).toStrictEqual({
			n: expected,
			s: literal,
		});
	});

	it('keeps long digit runs inside strings and keys untouched', () => {
		expect(valueOf('{"12345678901234567890": "12345678901234567890"}')).toEqual({
			'12345678901234567890': '12345678901234567890',
		});
		expect(valueOf('["a\\"12345678901234567890", "\\\\", 12345678901234567890]')).toEqual([
			'a"12345678901234567890',
			'\\',
			'12345678901234567890',
		]);
		expect(
			valueOf('{"job": {"id": 12345678901234567890, "name": "é😀 \\u00e9 \\"1e400\\""}}'),
		).toEqual({
			job: { id: '12345678901234567890', name: 'é😀 é "1e400"' },
		});
	});

	it('keeps a "__proto__" key an own property when it rewrites numbers', () => {
		const value = valueOf('{"__proto__": {"id": 12345678901234567890}}') as Record<string, unknown>;
		expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
		expect(Object.keys(value)).toEqual(['__proto__']);
		expect(value['__proto__']).toEqual({ id: '12345678901234567890' });
	});

	it('reads random bodies built from those literals and strings as expected', () => {
		const next = random(9);
		const blank = () => pick(next, ['', ' ', '\n', '\r\n\t ']);
		function build(depth: number): [string, unknown] {
			const kind = depth > 3 ? 0 : Math.floor(next() * 4);
			if (kind === 0) {
				if (next() < 0.5) return pick(next, LITERALS);
				const text = pick(next, [...STRINGS, 'true', 'false', 'null']);
				return [text, JSON.parse(text)];
			}
			const size = Math.floor(next() * 5);
			const parts = Array.from({ length: size }, () => build(depth + 1));
			if (kind === 1) {
				return [
					`[${parts.map(([text]) => blank() + text + blank()).join(',')}]`,
					parts.map(([, value]) => value),
				];
			}
			const keys = parts.map(
				(_part, index) => `k${index}${pick(next, ['', '"', '\\\\', '12345678901234567890'])}`,
			);
			const text = `{${parts.map(([part], index) => `${blank()}${JSON.stringify(keys[index])}${blank()}:${blank()}${part}`).join(',')}}`;
			return [text, Object.fromEntries(parts.map(([, value], index) => [keys[index], value]))];
		}
		for (let round = 0; round < 2000; round++) {
			const [text, expected] = build(0);
			expect(valueOf(blank() + text + blank())).toStrictEqual(expected);
		}
	});

	describe('depth', () => {
		const arrays = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
		const objects = (levels: number) => `${'{"a":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;

		it('accepts a body nested exactly as deep as allowed', () => {
			expect(parseJsonBody(arrays(64)).ok).toBe(true);
			expect(parseJsonBody(objects(64)).ok).toBe(true);
			expect(parseJsonBody(`{"rows":[${'[1],'.repeat(100)}[[12345678901234567890]]]}`).ok).toBe(
				true,
			);
			expect(valueOf('[[1]]', 2)).toEqual([[1]]);
		});

		it.each([
			['arrays, 65 levels', arrays(65)],
			['objects, 65 levels', objects(65)],
			['arrays, 100,000 levels', arrays(100_000)],
			['objects, 100,000 levels', objects(100_000)],
			['mixed, 100,000 levels', `${'[{"a":'.repeat(50_000)}1${'}]'.repeat(50_000)}`],
			['arrays, unclosed', '['.repeat(100_000)],
			['objects, unclosed', '{"a":'.repeat(100_000)],
		])('refuses %s', (_name, text) => {
			expect(problemOf(text)).toBe('the body is nested more than 64 levels deep');
		});

		it('follows the maxDepth option', () => {
			expect(problemOf('[[[1]]]', 2)).toBe('the body is nested more than 2 levels deep');
			expect(problemOf('{"a":{"b":[', 2)).toBe('the body is nested more than 2 levels deep');
		});

		it('does not count brackets inside strings', () => {
			const brackets = `"${'[{'.repeat(100)}\\"${'[{'.repeat(100)}"`;
			expect(valueOf(`[${brackets}]`)).toEqual([JSON.parse(brackets)]);
			expect(problemOf(`[${brackets}`)).toMatch(/^the body is not valid JSON/);
		});
	});

	it.each(['', '   ', '\n\t\r\n '])('says an empty body was empty (%j)', (text) => {
		expect(problemOf(text)).toBe('the body was empty');
	});

	it.each([
		'{"a":}',
		'[1,',
		'abc',
		'<html><title>Bad gateway</title></html>',
		'{"a":1} x',
		'"open',
	])('gives a short problem for invalid JSON %j, without quoting the body', (text) => {
		const problem = problemOf(text);
		expect(problem).toMatch(/^the body is not valid JSON \(.+\)$/);
		expect(problem.length).toBeLessThan(140);
		expect(problem).not.toContain('Bad gateway');
		expect(problem).not.toContain('"abc"');
	});
});
