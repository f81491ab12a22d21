// Tests nodes/shared/csv/write.ts.
import { CsvBytes, collectHeaders, encodeCell, toCsv } from '../../../../nodes/shared/csv/write';
import { parseCsv } from '../../../../nodes/shared/csv/read';

describe('header lookup', () => {
	it('collects the union of row keys in first-seen order', () => {
		expect(
			collectHeaders([
				{ a: 1, b: 2 },
				{ c: 3, a: 4 },
			]),
		).toEqual(['a', 'b', 'c']);
	});
});

describe('toCsv', () => {
	it('quotes only where needed and ends every line with CRLF', () => {
		const text = toCsv(
			['a', 'b', 'c', 'd', 'e'],
			[{ a: 'plain', b: 'x,y', c: 'say "hi"', d: 'two\nlines', e: ' padded ' }],
		);
		expect(text).toBe('a,b,c,d,e\r\nplain,"x,y","say ""hi""","two\nlines"," padded "\r\n');
	});

	it('writes missing values as empty cells and objects as JSON', () => {
		expect(toCsv(['a', 'b', 'c', 'd'], [{ a: null, c: 3, d: ['x', 'y'] }])).toBe(
			'a,b,c,d\r\n,,3,"[""x"",""y""]"\r\n',
		);
	});

	it('guards against formula injection by default', () => {
		const text = toCsv(
			['v'],
			[
				{ v: '=HYPERLINK("x")' },
				{ v: '+1' },
				{ v: '-1' },
				{ v: '@SUM(A1)' },
				{ v: '\tx' },
				{ v: '\rx' },
				{ v: 'safe' },
			],
		);
		expect(text.split('\r\n')).toEqual([
			'v',
			`"'=HYPERLINK(""x"")"`,
			"'+1",
			"'-1",
			"'@SUM(A1)",
			"'\tx",
			`"'\rx"`,
			'safe',
			'',
		]);
	});

	it('can turn the formula guard off', () => {
		expect(toCsv(['v'], [{ v: '=1+2' }], { formulaGuard: false })).toBe('v\r\n=1+2\r\n');
	});

	it('round-trips through parseCsv', () => {
		const rows = [
			{ email: 'a@x.io', note: 'comma, "quote"\r\nnewline', blank: '', spaced: '  both  ' },
			{ email: 'b@y.io', note: '=not a formula here', blank: 'x', spaced: 'ünïcödé' },
		];
		const headers = ['email', 'note', 'blank', 'spaced'];
		expect(parseCsv(toCsv(headers, rows, { formulaGuard: false }))).toEqual({
			complete: true,
			headers,
			rows,
		});
	});
});

describe('CsvBytes', () => {
	const CELLS: unknown[] = [
		'plain',
		'',
		'x,y',
		'say "hi"',
		'two\nlines',
		'cr\rhere',
		' padded',
		'padded ',
		'tab\t',
		'\u00a0nbsp',
		'nbsp\u00a0',
		'=SUM(A1)',
		'+1',
		'-2',
		'@me',
		'\tstart',
		'\rstart',
		'"quoted"',
		',lead',
		'\nlead',
		'é😀 text',
		'naïve, "quoted"',
		'ascii then é',
		'lone \ud800 surrogate',
		'a'.repeat(5000),
		`${'é'.repeat(3000)}`,
		42,
		true,
		null,
		undefined,
		{ a: 1 },
		['x', 'y'],
	];

	it('writes each cell as encodeCell (formula guard on) does, in UTF-8', () => {
		const out = new CsvBytes();
		for (const cell of CELLS) {
			out.cell(cell);
			out.byte(10);
		}
		const expected = CELLS.map((cell) => `${encodeCell(cell, true)}\n`).join('');
		expect(out.take().equals(Buffer.from(expected, 'utf8'))).toBe(true);
	});

	it('grows past its room, hands out what was written once, and can drop a tail', () => {
		const out = new CsvBytes();
		const long = 'abc'.repeat(200_000);
		out.text(long);
		out.text('é');
		expect(out.length).toBe(600_002);
		const mark = out.length;
		out.text('dropped');
		out.truncate(mark);
		expect(out.take().toString('utf8')).toBe(`${long}é`);
		expect(out.length).toBe(0);
		out.byte(65);
		expect(out.take().toString('utf8')).toBe('A');
	});
});
