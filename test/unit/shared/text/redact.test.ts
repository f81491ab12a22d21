// Tests nodes/shared/text/redact.ts.
import {
	BlockRedactor,
	REDACTED,
	canRedactInBlocks,
	isSafeCut,
	redactDeep,
	redactSecrets,
} from '../../../../nodes/shared/text/redact';
import { pick, random } from '../../../support/random';
import { pieces } from '../pieces.fixtures';

const KEY = 'at_abcdefghijklmnopqrstuvwxyz123';

/** A key with the characters encoders treat specially: `/ + =`, non-ASCII and astral. */
const ODD_KEY = 'k3y/+=é😀-Ab';

const SPACED_KEY = 'my secret key';

const HTML_KEY = `a"b'c<d>e&f`;

const hex = (value: number, width: number) => value.toString(16).padStart(width, '0');

const percent = (char: string, lower = false, times = 1) =>
	[...Buffer.from(char, 'utf8')]
		.map((byte) => `%${'25'.repeat(times - 1)}${lower ? hex(byte, 2) : hex(byte, 2).toUpperCase()}`)
		.join('');

const jsonUnits = (char: string, upper = false) =>
	char
		.split('')
		.map(
			(unit) =>
				`\\u${upper ? hex(unit.charCodeAt(0), 4).toUpperCase() : hex(unit.charCodeAt(0), 4)}`,
		)
		.join('');

const SHORT_ESCAPES: Record<string, string> = {
	'"': '\\"',
	'\\': '\\\\',
	'/': '\\/',
	'\n': '\\n',
	'\t': '\\t',
	'\r': '\\r',
	'\b': '\\b',
	'\f': '\\f',
};

const NAMED: Record<string, string[]> = {
	'&': ['&amp;'],
	'"': ['&quot;'],
	"'": ['&#39;', '&apos;'],
	'<': ['&lt;'],
	'>': ['&gt;'],
};

/** Every way the tests encode one character (a code point). */
function formsOf(char: string): string[] {
	const code = char.codePointAt(0) as number;
	const forms = [
		char,
		percent(char),
		percent(char, true),
		percent(char, false, 2),
		jsonUnits(char),
		jsonUnits(char, true),
		`&#${code};`,
		`&#x${hex(code, 1)};`,
		`&#X${hex(code, 1).toUpperCase()};`,
		...(NAMED[char] ?? []),
	];
	if (SHORT_ESCAPES[char] !== undefined) forms.push(SHORT_ESCAPES[char]);
	if (char === ' ') forms.push('+', '%20');
	return forms;
}

/** The secret with each character in a form picked at random. */
function mixed(next: () => number, secret: string): string {
	let text = '';
	for (const char of secret) text += pick(next, formsOf(char));
	return text;
}

describe('redactSecrets', () => {
	it('removes the exact key wherever it appears, plain and URL-encoded', () => {
		const key = 'k3y+with/slash=';
		const text = `Invalid key ${key}; url ?x=${encodeURIComponent(key)}`;
		const redacted = redactSecrets(text, [key]);
		expect(redacted).not.toContain(key);
		expect(redacted).not.toContain(encodeURIComponent(key));
		expect(redacted).toBe(`Invalid key ${REDACTED}; url ?x=${REDACTED}`);
	});

	it.each([
		[
			'Bouncify query',
			'GET https://api.bouncify.io/v1/bulk?job_id=abc&apikey=secret123 failed',
			'job_id=abc&apikey=[REDACTED] failed',
		],
		[
			'Check365 query',
			'/api/validation/bulk-status?api_key=secret123&job_id=j1',
			'?api_key=[REDACTED]&job_id=j1',
		],
		[
			'WhoisXML single query',
			'/api/v3?apiKey=at_zzz&emailAddress=a@b.c',
			'?apiKey=[REDACTED]&emailAddress=a@b.c',
		],
		[
			'HTML-escaped query',
			'<a href="/v1/bulk?job_id=1&amp;apikey=secret123">',
			'&amp;apikey=[REDACTED]"',
		],
		['JSON body field', '{"apiKey": "at_zzz", "ids": [1]}', '{"apiKey": "[REDACTED]", "ids": [1]}'],
		[
			'snake JSON body field',
			'{"api_key":"secret123","job_id":"x"}',
			'{"api_key":"[REDACTED]","job_id":"x"}',
		],
		['bearer header', 'Authorization: Bearer sk_live.abc-123', 'Authorization: Bearer [REDACTED]'],
	])('redacts a key carried as %s even when the key is not known', (_name, text, expected) => {
		const redacted = redactSecrets(text);
		expect(redacted).toContain(expected);
		expect(redacted).not.toMatch(/secret123|at_zzz|sk_live/);
	});

	it('leaves ordinary text alone', () => {
		const text = 'Job not found. Invalid jobId (job_id=r374aki32rnatv868nntpxloc7dkilszc3eu)';
		expect(redactSecrets(text, [KEY])).toBe(text);
	});

	it('does not redact by value a secret too short to be a real key', () => {
		expect(redactSecrets('a 1 in 10', ['1'])).toBe('a 1 in 10');
		expect(redactSecrets('abcde %61bcde a\\u0062cde', ['abcde'])).toBe('abcde %61bcde a\\u0062cde');
	});

	it.each([
		['percent-encoded, upper-case hex', 'k3y%2F%2B%3D%C3%A9%F0%9F%98%80-Ab'],
		['percent-encoded, lower-case hex', 'k3y%2f%2b%3d%c3%a9%f0%9f%98%80-Ab'],
		['double percent-encoded', 'k3y%252F%252B%253D%25C3%25A9%25F0%259F%2598%2580-Ab'],
		['every character percent-encoded', percent(ODD_KEY, true)],
		['JSON-escaped as PHP writes it', 'k3y\\/+=\\u00e9\\ud83d\\ude00-Ab'],
		['JSON-escaped, upper-case hex', 'k3y\\u002F\\u002B\\u003D\\u00E9\\uD83D\\uDE00\\u002DAb'],
		['an astral character half escaped', 'k3y/+=é\ud83d\\ude00-Ab'],
		['HTML decimal references', 'k3y&#47;&#43;&#61;&#233;&#128512;-Ab'],
		['HTML hexadecimal references', 'k3y&#x2f;&#X2B;&#x003D;&#xE9;&#x1f600;-Ab'],
		['HTML references escaped again', 'k3y&amp;#47;+=é😀-Ab'],
		['JSON escapes escaped again', 'k3y\\\\\\/+=\\\\u00e9😀-Ab'],
		['mixed forms in one occurrence', 'k%33y\\/%2b&#61;\\u00E9%F0%9F%98%80&#x2d;A\\u0062'],
	])('redacts the key %s', (_name, encoded) => {
		expect(redactSecrets(`{"error":"bad key ${encoded}!"}`, [ODD_KEY])).toBe(
			`{"error":"bad key ${REDACTED}!"}`,
		);
	});

	it.each([
		['as is', SPACED_KEY],
		['form-encoded', 'my+secret+key'],
		['percent-encoded', 'my%20secret%20key'],
		['form-encoded, then percent-encoded', 'my%2Bsecret%2bkey'],
		['mixed', 'my\\u0020secret&#32;key'],
	])('redacts a key with spaces %s', (_name, encoded) => {
		expect(redactSecrets(`?q=${encoded}&x=1`, [SPACED_KEY])).toBe(`?q=${REDACTED}&x=1`);
	});

	it.each([
		['as is', HTML_KEY],
		['HTML-escaped', 'a&quot;b&#39;c&lt;d&gt;e&amp;f'],
		['HTML-escaped with &apos;', 'a&quot;b&apos;c&lt;d&gt;e&amp;f'],
		['JSON-escaped', 'a\\"b\'c<d>e&f'],
		['JSON-escaped the hex way', 'a\\u0022b\\u0027c\\u003Cd\\u003ee\\u0026f'],
	])('redacts a key with HTML-special characters %s', (_name, encoded) => {
		expect(redactSecrets(`<p>${encoded}</p>`, [HTML_KEY])).toBe(`<p>${REDACTED}</p>`);
	});

	it('redacts JSON short escapes', () => {
		const key = 'tab\there\nnew';
		expect(redactSecrets('{"m":"tab\\there\\nnew"}', [key])).toBe(`{"m":"${REDACTED}"}`);
		expect(redactSecrets('{"m":"tab\\u0009here&#10;new"}', [key])).toBe(`{"m":"${REDACTED}"}`);
		const quoted = 'a\\b"c/d\re';
		expect(redactSecrets('{"m":"a\\\\b\\"c\\/d\\re"}', [quoted])).toBe(`{"m":"${REDACTED}"}`);
		expect(redactSecrets(`{"m":${JSON.stringify(quoted)}}`, [quoted])).toBe(`{"m":"${REDACTED}"}`);
	});

	it('keeps the raw characters case-sensitive', () => {
		const text = 'AT_ABCDEFGHIJKLMNOPQRSTUVWXYZ123 at_abcdefghijklmnopqrstuvwxyz12';
		expect(redactSecrets(text, [KEY])).toBe(text);
	});

	it('redacts every occurrence, each encoded its own way, of every secret', () => {
		const next = random(3);
		for (let round = 0; round < 300; round++) {
			const secrets = [KEY, ODD_KEY, SPACED_KEY, HTML_KEY];
			const parts = Array.from({ length: 4 }, () => mixed(next, pick(next, secrets)));
			expect(redactSecrets(`<${parts.join('|')}>`, secrets)).toBe(
				`<${Array(4).fill(REDACTED).join('|')}>`,
			);
		}
	});

	it('finds an occurrence wherever the cheap pre-check could miss it', () => {
		// Appended after a line feed, the raw key makes the full pattern run; the rest must come out the same.
		// The padding keeps the text long enough for the pre-check to try every introducer.
		const padding = 'x'.repeat(4000);
		const FRAGMENTS = [
			'%',
			'\\',
			'&',
			'+',
			'&amp;',
			'%25',
			'\\\\',
			' text ',
			'k3y',
			'k3y/',
			'k3y\\/',
			'k3y/+=é',
			'😀',
			'\ud83d',
		];
		const next = random(5);
		for (let round = 0; round < 2000; round++) {
			let text = '';
			const length = 1 + Math.floor(next() * 12);
			for (let index = 0; index < length; index++) {
				text +=
					next() < 0.3
						? mixed(next, ODD_KEY).slice(0, 1 + Math.floor(next() * 40))
						: pick(next, FRAGMENTS);
			}
			if (next() < 0.3) text += mixed(next, ODD_KEY);
			text = next() < 0.5 ? padding + text : mixed(next, ODD_KEY) + text + padding;
			expect(redactSecrets(`${text}\n${ODD_KEY}`, [ODD_KEY])).toBe(
				`${redactSecrets(text, [ODD_KEY])}\n${REDACTED}`,
			);
		}
	});

	it('takes linear time over long runs of escape characters', () => {
		// Tried from every backslash of a run, a greedy run of them would take quadratic time.
		for (const unit of ['\\', '%25', '&amp;', '\\u00', '&#0']) {
			const text = `x${unit.repeat(200_000 / unit.length)}`;
			const started = Date.now();
			expect(redactSecrets(text, [KEY, ODD_KEY, HTML_KEY])).toBe(text);
			expect(Date.now() - started).toBeLessThan(1000);
		}
	});

	it('never changes an identifier that carries no key', () => {
		const text = [
			'{"id":9007199254740993,"job_id":"job_key-17","uuid":"a1b2c3d4-e5f6-7890-abcd-ef1234567890",',
			'"ref":"sc_bulk_abc=def","next":"https:\\/\\/api.example.io\\/v1\\/bulk?job_id=job_key-17&amp;page=2",',
			'"note":"at_abcdefghij%2F k3y\\/+= &#47; 100% & co","keys":["job_key","token_count"],"key_id":"k-1"}',
			'job_id=sc_bulk_abc=def; x_token=1 ?job_key=17 tokens=3',
		].join('\n');
		expect(redactSecrets(text, [KEY, ODD_KEY, SPACED_KEY, HTML_KEY])).toBe(text);
		expect(redactSecrets(text)).toBe(text);
	});
});

describe('BlockRedactor with encoded secrets', () => {
	it('joined blocks are exactly redactSecrets of the whole text, with occurrences at every cut position', () => {
		const next = random(17);
		const filler = [
			'{"email":"a@b.io","result":"ok"}',
			'plain',
			'"apiKey": "',
			'"token"\n: "',
			'Bearer\n',
			'&amp;',
			'%',
			'\\',
		];
		for (let round = 0; round < 1500; round++) {
			let text = '';
			const lines = 1 + Math.floor(next() * 12);
			for (let line = 0; line < lines; line++) {
				const encoded = mixed(next, pick(next, [KEY, ODD_KEY]));
				const at = Math.floor(next() * (encoded.length + 1));
				// An occurrence cut short by a line end, and whole ones right before and after it.
				text += `${pick(next, filler)}${encoded.slice(0, at)}\n${encoded.slice(at)}${next() < 0.5 ? encoded : ''}\n`;
			}
			const secrets = [KEY, ODD_KEY];
			const redactor = new BlockRedactor(secrets, 1 + Math.floor(next() * 80));
			let joined = '';
			for (let at = 0; at < text.length;) {
				const size = Math.floor(next() * 40);
				joined += redactor.push(text.slice(at, at + size)) ?? '';
				at += size;
			}
			joined += redactor.end();
			expect(joined).toBe(redactSecrets(text, secrets));
		}
	});
});

// The fast path, checked against what it replaces on seeded random inputs.
describe('BlockRedactor', () => {
	const KEY = 'at_secretkey0123456789';
	const FRAGMENTS = [
		'plain text ',
		'\n',
		'\r\n',
		'"',
		'","',
		'"apiKey"',
		'"token": "',
		'"api_key" :\n "',
		'value',
		'\n"',
		': ',
		'Bearer',
		'Bearer ',
		'Bearer\n',
		' \n',
		'abc.def-123',
		'?apikey=',
		'&token=xyz',
		'&amp;api-key=',
		KEY,
		encodeURIComponent(`${KEY}/x`),
		'é😀',
	];

	it('joined blocks are exactly redactSecrets of the whole text', () => {
		const next = random(11);
		for (let round = 0; round < 3000; round++) {
			let text = '';
			const length = 1 + Math.floor(next() * 60);
			for (let index = 0; index < length; index++) text += pick(next, FRAGMENTS);
			const secrets = next() < 0.8 ? [KEY] : [];
			const redactor = new BlockRedactor(secrets, 1 + Math.floor(next() * 40));
			let joined = '';
			for (const part of pieces(next, text, 30)) joined += redactor.push(part) ?? '';
			joined += redactor.end();
			expect(joined).toBe(redactSecrets(text, secrets));
		}
	});

	it('never cuts inside a JSON key field or after a bare Bearer', () => {
		expect(isSafeCut('{"apiKey": "abc\ndef"}', 15)).toBe(false);
		expect(isSafeCut('{"token"\n: "x"}', 8)).toBe(false);
		expect(isSafeCut('Authorization: Bearer \nabc', 22)).toBe(false);
		expect(isSafeCut('"a","b"\n"c"', 7)).toBe(true);
	});

	it('keeps the body whole when a secret has quotes or blanks', () => {
		expect(canRedactInBlocks(['abc"defgh'])).toBe(false);
		expect(canRedactInBlocks(['abc def gh'])).toBe(false);
		expect(canRedactInBlocks([KEY, 'x'])).toBe(true);
		const redactor = new BlockRedactor(['abc def gh'], 4);
		expect(redactor.push('one\ntwo\nthree\n')).toBeUndefined();
		expect(redactor.end()).toBe('one\ntwo\nthree\n');
	});
});

describe('redactDeep', () => {
	it('redacts every string, object keys included, copying only what changed', () => {
		const untouched = { rows: [{ email: 'a@b.io' }], count: 3 };
		const value = {
			[`${KEY}`]: 1,
			error: { message: `bad key ${encodeURIComponent(ODD_KEY)}` },
			untouched,
			list: ['x', KEY],
		};
		const redacted = redactDeep(value, [KEY, ODD_KEY]);
		expect(redacted).toEqual({
			[REDACTED]: 1,
			error: { message: `bad key ${REDACTED}` },
			untouched,
			list: ['x', REDACTED],
		});
		expect(redacted.untouched).toBe(untouched);
		expect(value.error.message).toContain('k3y');
		expect(value.list[1]).toBe(KEY);
	});

	it('returns the very same value when nothing changed', () => {
		const value = { a: [1, 'two', { three: null }], b: true };
		expect(redactDeep(value, [KEY])).toBe(value);
		expect(redactDeep('plain', [KEY])).toBe('plain');
		expect(redactDeep(42, [KEY])).toBe(42);
		expect(redactDeep(`x${KEY}`, [KEY])).toBe(`x${REDACTED}`);
	});

	it('walks a value nested a hundred thousand levels deep without recursion', () => {
		let value: unknown = { leaf: KEY };
		for (let level = 0; level < 100_000; level++) value = level % 2 === 0 ? [value] : { a: value };
		let node = redactDeep(value, [KEY]) as unknown;
		for (let level = 0; level < 100_000; level++)
			node = Array.isArray(node) ? node[0] : (node as { a: unknown }).a;
		expect(node).toEqual({ leaf: REDACTED });
	});

	it('keeps cycles, pointing them at the copies', () => {
		const same: Record<string, unknown> = { name: 'x' };
		same.self = same;
		expect(redactDeep(same, [KEY])).toBe(same);
		const loop: Record<string, unknown> = { key: KEY, child: { note: 'n' } };
		(loop.child as Record<string, unknown>).parent = loop;
		const redacted = redactDeep(loop, [KEY]) as typeof loop & { child: { parent: unknown } };
		expect(redacted).not.toBe(loop);
		expect(redacted.key).toBe(REDACTED);
		expect(redacted.child.parent).toBe(redacted);
		expect(loop.key).toBe(KEY);
	});

	it('leaves objects that are not plain alone', () => {
		const buffer = Buffer.from(KEY);
		const date = new Date(0);
		const value = { buffer, date, text: KEY };
		const redacted = redactDeep(value, [KEY]);
		expect(redacted.buffer).toBe(buffer);
		expect(redacted.date).toBe(date);
		expect(redacted.text).toBe(REDACTED);
		expect(redactDeep(buffer, [KEY])).toBe(buffer);
	});

	it('keeps a "__proto__" key an own property and a null prototype null', () => {
		const parsed = JSON.parse(`{"__proto__":{"k":"${KEY}"},"x":"${KEY}"}`) as Record<
			string,
			unknown
		>;
		const redacted = redactDeep(parsed, [KEY]);
		expect(Object.getPrototypeOf(redacted)).toBe(Object.prototype);
		expect(Object.keys(redacted)).toEqual(['__proto__', 'x']);
		expect(redacted['__proto__']).toEqual({ k: REDACTED });
		const bare = Object.assign(Object.create(null) as Record<string, string>, { k: KEY });
		expect(Object.getPrototypeOf(redactDeep(bare, [KEY]))).toBeNull();
	});
});
