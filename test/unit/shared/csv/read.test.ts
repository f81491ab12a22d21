// Tests nodes/shared/csv/read.ts.
import {
	CsvStreamReader,
	CsvUnclosedQuoteError,
	parseCsv,
} from '../../../../nodes/shared/csv/read';
import { pick, random } from '../../../support/random';
import { pieces } from '../pieces.fixtures';

describe('parseCsv', () => {
	it('reads a header and named rows', () => {
		expect(parseCsv('email,name\na@x.io,Ann\nb@y.io,Bob\n')).toEqual({
			complete: true,
			headers: ['email', 'name'],
			rows: [
				{ email: 'a@x.io', name: 'Ann' },
				{ email: 'b@y.io', name: 'Bob' },
			],
		});
	});

	it('handles quotes, escaped quotes, commas and newlines inside quotes', () => {
		const text = 'a,b,c\r\n"x, y","say ""hi""","line1\r\nline2\nline3"\r\n';
		expect(parseCsv(text).rows).toEqual([{ a: 'x, y', b: 'say "hi"', c: 'line1\r\nline2\nline3' }]);
	});

	it('accepts CRLF, LF, a missing final newline and skips blank lines', () => {
		expect(parseCsv('h\r\n1\r\n\r\n2\n\n3').rows).toEqual([{ h: '1' }, { h: '2' }, { h: '3' }]);
	});

	it('strips a UTF-8 BOM from the first header', () => {
		const parsed = parseCsv('\uFEFF"Email","Verification Result"\n"a@x.io","deliverable"\n');
		expect(parsed.headers).toEqual(['Email', 'Verification Result']);
		expect(parsed.rows[0]).toEqual({ Email: 'a@x.io', 'Verification Result': 'deliverable' });
	});

	it('keeps empty fields, including a trailing one and a quoted empty one', () => {
		expect(parseCsv('a,b,c\n1,,\n"",2,""\n').rows).toEqual([
			{ a: '1', b: '', c: '' },
			{ a: '', b: '2', c: '' },
		]);
	});

	it('fills short records and names the fields of long ones', () => {
		const parsed = parseCsv('a,b\n1\n1,2,3\n');
		expect(parsed.headers).toEqual(['a', 'b', 'column_3']);
		expect(parsed.rows).toEqual([
			{ a: '1', b: '' },
			{ a: '1', b: '2', column_3: '3' },
		]);
	});

	it('renames blank and repeated headers so no value is lost', () => {
		const parsed = parseCsv('email,,email,email\n1,2,3,4\n');
		expect(parsed.headers).toEqual(['email', 'column_2', 'email_2', 'email_3']);
		expect(parsed.rows[0]).toEqual({ email: '1', column_2: '2', email_2: '3', email_3: '4' });
	});

	it('keeps a __proto__ column as a plain field', () => {
		const row = parseCsv('__proto__,a\nx,y\n').rows[0];
		expect(Object.keys(row)).toEqual(['__proto__', 'a']);
		expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
		expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('x');
	});

	it('reads a header-less single-column file', () => {
		expect(parseCsv('a@x.io\nb@y.io\n', { header: false, columns: ['email'] })).toEqual({
			complete: true,
			headers: ['email'],
			rows: [{ email: 'a@x.io' }, { email: 'b@y.io' }],
		});
		expect(parseCsv('a@x.io\r\nb@y.io', { header: false }).rows).toEqual([
			{ column_1: 'a@x.io' },
			{ column_1: 'b@y.io' },
		]);
	});

	it('never throws on malformed quoting', () => {
		expect(parseCsv('a,b\n"open,1\n2').rows).toEqual([{ a: 'open,1\n2', b: '' }]);
		expect(parseCsv('a,b\n"x"y,ab"c\n').rows).toEqual([{ a: 'xy', b: 'ab"c' }]);
	});

	it('returns nothing for empty input', () => {
		expect(parseCsv('')).toEqual({ complete: true, headers: [], rows: [] });
		expect(parseCsv('\uFEFF')).toEqual({ complete: true, headers: [], rows: [] });
	});

	it.each([
		['a quote left open at the end', '"email","result"\n"a@x.io","deliv'],
		[
			'a last record shorter than the header',
			'email,result,verified\na@x.io,deliverable,2021\nb@y.io,unkn',
		],
	])(
		'says a download cut off by %s is incomplete, and still returns what it read',
		(_case, text) => {
			const parsed = parseCsv(text);
			expect(parsed.complete).toBe(false);
			expect(parsed.rows.length).toBeGreaterThan(0);
		},
	);

	it('parses 50,000 rows quickly', () => {
		const lines = ['"Email","Verification Result","Note"'];
		for (let index = 0; index < 50_000; index++) {
			lines.push(`"user${index}@example.com","deliverable","note, with ""quotes"" ${index}"`);
		}
		const text = `${lines.join('\r\n')}\r\n`;
		const started = Date.now();
		const parsed = parseCsv(text);
		const elapsedMs = Date.now() - started;
		expect(parsed.rows).toHaveLength(50_000);
		expect(parsed.rows[49_999]).toEqual({
			Email: 'user49999@example.com',
			'Verification Result': 'deliverable',
			Note: 'note, with "quotes" 49999',
		});
		// Generous bound for a slow CI machine; it takes tens of milliseconds locally.
		expect(elapsedMs).toBeLessThan(5_000);
	});
});

describe('parseCsv with strict (uploads)', () => {
	const strictError = (text: string): CsvUnclosedQuoteError => {
		try {
			parseCsv(text, { strict: true });
		} catch (error) {
			if (error instanceof CsvUnclosedQuoteError) return error;
			throw error;
		}
		throw new Error('parseCsv did not throw');
	};

	it('refuses a quote that is never closed, naming the line it opens on and its text', () => {
		const error = strictError('email,name\na@x.io,Ann\n"b@y.io,Bob\nc@z.io,Cy\n');
		expect(error.line).toBe(3);
		expect(error.message).toBe(
			'The CSV file has a quote opened on line 3 that is never closed: "b@y.io,Bob',
		);
	});

	it('counts physical lines: CRLF, a lone CR and the line ends inside a closed quoted field', () => {
		expect(strictError('a,b\r\n"x\r\ny",1\r\n2,"open\r\nrest').message).toBe(
			'The CSV file has a quote opened on line 4 that is never closed: "open',
		);
		expect(strictError('\uFEFFa\rb\r"c').line).toBe(3);
	});

	it('shortens a long line in the message', () => {
		const error = strictError(`email\n"${'x'.repeat(100)}@example.com\n`);
		expect(error.message).toBe(
			`The CSV file has a quote opened on line 2 that is never closed: "${'x'.repeat(39)}…`,
		);
	});

	it('reads stray quotes inside fields and text after a closing quote as the lenient parser does', () => {
		const text = 'a,b\nab"c,"x"y\n"ok, quoted",5" screen\n';
		expect(parseCsv(text, { strict: true })).toEqual(parseCsv(text));
		expect(parseCsv(text, { strict: true }).rows).toEqual([
			{ a: 'ab"c', b: 'xy' },
			{ a: 'ok, quoted', b: '5" screen' },
		]);
	});

	it('leaves the lenient parser (provider downloads) reading an open quote to the end', () => {
		expect(parseCsv('a,b\n"open,1\n2')).toEqual({
			complete: false,
			headers: ['a', 'b'],
			rows: [{ a: 'open,1\n2', b: '' }],
		});
	});
});

// The fast path, checked against what it replaces on seeded random inputs.
describe('CsvStreamReader', () => {
	const CELLS = [
		'a',
		'b@x.io',
		'',
		'""',
		'"x, y"',
		'"say ""hi"""',
		'"line1\r\nline2"',
		'"open',
		'tail"',
		'é€😀',
		' spaced ',
	];
	const ENDS = ['\n', '\r\n', '\r', '\n\n', ''];

	function randomCsv(next: () => number): string {
		const lines: string[] = [];
		const width = 1 + Math.floor(next() * 4);
		const rows = Math.floor(next() * 8);
		for (let row = 0; row <= rows; row++) {
			const cells = width + (next() < 0.15 ? 1 : 0) - (next() < 0.15 ? 1 : 0);
			lines.push(Array.from({ length: Math.max(1, cells) }, () => pick(next, CELLS)).join(','));
		}
		let text = '';
		for (const line of lines) text += line + pick(next, ENDS);
		return next() < 0.2 ? `\uFEFF${text}` : text;
	}

	it('gives what parseCsv gives for the whole text, however the text is split', () => {
		const next = random(7);
		for (let round = 0; round < 3000; round++) {
			const text = randomCsv(next);
			const whole = parseCsv(text);
			const reader = new CsvStreamReader();
			const rows: Array<Record<string, string>> = [];
			for (const part of pieces(next, text, 12)) rows.push(...reader.push(part));
			const end = reader.end();
			rows.push(...end.rows);
			expect({ headers: reader.headers, rows, complete: end.complete }).toEqual(whole);
			const headerWidth =
				whole.headers.length - whole.headers.filter((name) => /^column_\d+$/.test(name)).length;
			if (!reader.widened)
				expect(whole.rows.every((row) => Object.keys(row).length === whole.headers.length)).toBe(
					true,
				);
			expect(headerWidth).toBeLessThanOrEqual(whole.headers.length);
		}
	});

	it('says when a record is wider than the header', () => {
		const reader = new CsvStreamReader();
		expect(reader.push('a,b\n1,2\n')).toEqual([{ a: '1', b: '2' }]);
		expect(reader.widened).toBe(false);
		reader.push('1,2,3\n');
		expect(reader.widened).toBe(true);
	});

	it('holds back a record until its line end has arrived', () => {
		const reader = new CsvStreamReader();
		expect(reader.push('email,name\na@x.io,"Ann')).toEqual([]);
		expect(reader.push(' Lee"\nb@x.io')).toEqual([{ email: 'a@x.io', name: 'Ann Lee' }]);
		expect(reader.end()).toEqual({ rows: [{ email: 'b@x.io', name: '' }], complete: false });
	});
});
