// Tests nodes/shared/csv/write.ts.
import { collectHeaders, toCsv } from '../../../../nodes/shared/csv/write';
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
