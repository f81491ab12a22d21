import { collectHeaders, toCsv } from '../../nodes/shared/csv/write';
import { CsvUnclosedQuoteError, parseCsv } from '../../nodes/shared/csv/read';
import { decodeCsvBytes } from '../../nodes/shared/csv/decode';
import { findColumn, headerKey, mapColumns, requiredColumnsSchema } from '../../nodes/shared/csv/columns';
import { flattenResultForCsv } from '../../nodes/shared/csv/result-file';
import type { NormalizedEmailResult } from '../../nodes/shared/model/result';

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
		['a last record shorter than the header', 'email,result,verified\na@x.io,deliverable,2021\nb@y.io,unkn'],
	])('says a download cut off by %s is incomplete, and still returns what it read', (_case, text) => {
		const parsed = parseCsv(text);
		expect(parsed.complete).toBe(false);
		expect(parsed.rows.length).toBeGreaterThan(0);
	});

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
		expect(error.message).toBe('The CSV file has a quote opened on line 3 that is never closed: "b@y.io,Bob');
	});

	it('counts physical lines: CRLF, a lone CR and the line ends inside a closed quoted field', () => {
		expect(strictError('a,b\r\n"x\r\ny",1\r\n2,"open\r\nrest').message).toBe(
			'The CSV file has a quote opened on line 4 that is never closed: "open',
		);
		expect(strictError('\uFEFFa\rb\r"c').line).toBe(3);
	});

	it('shortens a long line in the message', () => {
		const error = strictError(`email\n"${'x'.repeat(100)}@example.com\n`);
		expect(error.message).toBe(`The CSV file has a quote opened on line 2 that is never closed: "${'x'.repeat(39)}…`);
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
		expect(parseCsv('a,b\n"open,1\n2')).toEqual({ complete: false, headers: ['a', 'b'], rows: [{ a: 'open,1\n2', b: '' }] });
	});
});

describe('decodeCsvBytes', () => {
	const TEXT = 'email,name\r\njosé@münchen.de,Zoë 例え\r\n';
	const utf16be = (text: string): Buffer => Buffer.from(text, 'utf16le').swap16();

	it.each([
		['a UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]), 'utf-8'],
		['a UTF-16LE BOM', Buffer.from(`\uFEFF${TEXT}`, 'utf16le'), 'utf-16le'],
		['a UTF-16BE BOM', utf16be(`\uFEFF${TEXT}`), 'utf-16be'],
		['BOM-less UTF-16LE', Buffer.from(TEXT, 'utf16le'), 'utf-16le'],
		['BOM-less UTF-16BE', utf16be(TEXT), 'utf-16be'],
		['BOM-less UTF-8', Buffer.from(TEXT, 'utf8'), 'utf-8'],
	])('decodes %s exactly, without the BOM', (_case, bytes, encoding) => {
		expect(decodeCsvBytes(bytes)).toEqual({ text: TEXT, encoding, uncertain: false });
	});

	it('reads ASCII and empty files as UTF-8', () => {
		expect(decodeCsvBytes(Buffer.from('email\na@x.io\n'))).toEqual({ text: 'email\na@x.io\n', encoding: 'utf-8', uncertain: false });
		expect(decodeCsvBytes(new Uint8Array(0))).toEqual({ text: '', encoding: 'utf-8', uncertain: false });
	});

	it('reads bytes that are not UTF-8 as windows-1252, uncertain, including 0x80-0x9F', () => {
		// "José,€5,“hi” ’" in windows-1252.
		const bytes = new Uint8Array([0x4a, 0x6f, 0x73, 0xe9, 0x2c, 0x80, 0x35, 0x2c, 0x93, 0x68, 0x69, 0x94, 0x20, 0x92, 0x81]);
		expect(decodeCsvBytes(bytes)).toEqual({ text: 'José,€5,“hi” ’\u0081', encoding: 'windows-1252', uncertain: true });
	});

	it('flags a file that breaks the encoding its BOM or NUL bytes name as uncertain', () => {
		const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('email\na@x.io,'), Buffer.from([0xe9, 0x0a])]);
		expect(decodeCsvBytes(bytes)).toEqual({ text: 'email\na@x.io,\uFFFD\n', encoding: 'utf-8', uncertain: true });
		const oddLength = Buffer.concat([Buffer.from('email\n', 'utf16le'), Buffer.from([0x61])]);
		expect(decodeCsvBytes(oddLength)).toEqual({ text: 'email\n\uFFFD', encoding: 'utf-16le', uncertain: true });
	});

	it('gives parseCsv the rows of a UTF-16 file', () => {
		expect(parseCsv(decodeCsvBytes(Buffer.from(`\uFEFF${TEXT}`, 'utf16le')).text).rows).toEqual([
			{ email: 'josé@münchen.de', name: 'Zoë 例え' },
		]);
	});
});

describe('header lookup', () => {
	const headers = ['Email', 'Verification Result', ' Syntax Error ', 'verified_at'];

	it('ignores case, spaces, underscores and hyphens', () => {
		expect(headerKey(' Verified-At ')).toBe('verifiedat');
		expect(findColumn(headers, 'email')).toBe('Email');
		expect(findColumn(headers, 'VERIFICATION_RESULT')).toBe('Verification Result');
		expect(findColumn(headers, 'syntaxError')).toBe(' Syntax Error ');
		expect(findColumn(headers, 'Verified At')).toBe('verified_at');
		expect(findColumn(headers, 'missing')).toBeUndefined();
	});

	it('tries the wanted names in order', () => {
		expect(findColumn(headers, ['Result', 'Verification Result'])).toBe('Verification Result');
	});

	it('maps known fields and lists the other columns in file order', () => {
		expect(mapColumns(['first', 'EMAIL', 'status', 'last'], { email: ['email'], status: ['status'], trap: ['Trap'] })).toEqual({
			columns: { email: 'EMAIL', status: 'status' },
			extra: ['first', 'last'],
		});
	});

	it('requires some fields, naming the first missing one by its first alias', () => {
		const schema = requiredColumnsSchema(
			{ email: ['Email', 'Address'], result: ['Result'], note: ['Note'] },
			['email', 'result'],
			(name, headers) => `no ${name} in ${headers}`,
		);
		expect(schema.parse(['note', 'address', 'RESULT'])).toEqual({
			columns: { email: 'address', result: 'RESULT', note: 'note' },
			extra: [],
		});
		expect(schema.safeParse(['Note']).error?.issues).toMatchObject([{ path: ['Email'], message: 'no Email in Note' }]);
		expect(schema.safeParse(['Email', 'x']).error?.issues).toMatchObject([{ path: ['Result'], message: 'no Result in Email, x' }]);
		expect(schema.safeParse([]).error?.issues[0].message).toBe('no Email in none');
	});

	it('collects the union of row keys in first-seen order', () => {
		expect(collectHeaders([{ a: 1, b: 2 }, { c: 3, a: 4 }])).toEqual(['a', 'b', 'c']);
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
		expect(toCsv(['a', 'b', 'c', 'd'], [{ a: null, c: 3, d: ['x', 'y'] }])).toBe('a,b,c,d\r\n,,3,"[""x"",""y""]"\r\n');
	});

	it('guards against formula injection by default', () => {
		const text = toCsv(['v'], [{ v: '=HYPERLINK("x")' }, { v: '+1' }, { v: '-1' }, { v: '@SUM(A1)' }, { v: '\tx' }, { v: '\rx' }, { v: 'safe' }]);
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
		expect(parseCsv(toCsv(headers, rows, { formulaGuard: false }))).toEqual({ complete: true, headers, rows });
	});
});

describe('flattenResultForCsv', () => {
	const result: NormalizedEmailResult = {
		email: 'bob@google.com',
		verdict: 'risky',
		reason: 'catch_all',
		providerStatus: 'unknown',
		safeToSend: false,
		flags: { catchAll: true, free: false, hasMx: true },
		mxRecords: ['alt1.aspmx.l.google.com', 'aspmx.l.google.com'],
		raw: {
			emailAddress: 'bob@google.com',
			catchAllCheck: 'true',
			score: 3,
			ok: true,
			none: null,
			mxRecords: ['alt1.aspmx.l.google.com'],
			audit: { a: 1 },
		},
	};

	it('writes the normalized columns, then provider and job, then the raw scalars', () => {
		const flat = flattenResultForCsv(result, { provider: 'whoisxml', jobId: '596' });
		expect(flat).toStrictEqual({
			email: 'bob@google.com',
			verdict: 'risky',
			reason: 'catch_all',
			providerStatus: 'unknown',
			providerReason: '',
			safeToSend: 'false',
			risk: '',
			flag_role: '',
			flag_free: 'false',
			flag_disposable: '',
			flag_catchAll: 'true',
			flag_syntaxError: '',
			flag_spamtrap: '',
			flag_hasMx: 'true',
			mxRecords: 'alt1.aspmx.l.google.com;aspmx.l.google.com',
			emailProvider: '',
			verifiedAt: '',
			provider: 'whoisxml',
			jobId: '596',
			raw_emailAddress: 'bob@google.com',
			raw_catchAllCheck: 'true',
			raw_score: '3',
			raw_ok: 'true',
			raw_none: '',
		});
		expect(Object.keys(flat).slice(0, 3)).toEqual(['email', 'verdict', 'reason']);
	});

	it('leaves provider and job out when not given and tolerates a non-object raw', () => {
		const flat = flattenResultForCsv({ ...result, raw: 'text' });
		expect(flat).not.toHaveProperty('provider');
		expect(flat).not.toHaveProperty('jobId');
		expect(Object.keys(flat).some((key) => key.startsWith('raw_'))).toBe(false);
	});
});
