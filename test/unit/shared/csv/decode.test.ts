// Tests nodes/shared/csv/decode.ts.
import { decodeCsvBytes } from '../../../../nodes/shared/csv/decode';
import { parseCsv } from '../../../../nodes/shared/csv/read';

describe('decodeCsvBytes', () => {
	const TEXT = 'email,name\r\njosé@münchen.de,Zoë 例え\r\n';
	const utf16be = (text: string): Buffer => Buffer.from(text, 'utf16le').swap16();

	it.each([
		[
			'a UTF-8 BOM',
			Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]),
			'utf-8',
		],
		['a UTF-16LE BOM', Buffer.from(`\uFEFF${TEXT}`, 'utf16le'), 'utf-16le'],
		['a UTF-16BE BOM', utf16be(`\uFEFF${TEXT}`), 'utf-16be'],
		['BOM-less UTF-16LE', Buffer.from(TEXT, 'utf16le'), 'utf-16le'],
		['BOM-less UTF-16BE', utf16be(TEXT), 'utf-16be'],
		['BOM-less UTF-8', Buffer.from(TEXT, 'utf8'), 'utf-8'],
	])('decodes %s exactly, without the BOM', (_case, bytes, encoding) => {
		expect(decodeCsvBytes(bytes)).toEqual({ text: TEXT, encoding, uncertain: false });
	});

	it('reads ASCII and empty files as UTF-8', () => {
		expect(decodeCsvBytes(Buffer.from('email\na@x.io\n'))).toEqual({
			text: 'email\na@x.io\n',
			encoding: 'utf-8',
			uncertain: false,
		});
		expect(decodeCsvBytes(new Uint8Array(0))).toEqual({
			text: '',
			encoding: 'utf-8',
			uncertain: false,
		});
	});

	it('reads bytes that are not UTF-8 as windows-1252, uncertain, including 0x80-0x9F', () => {
		// "José,€5,“hi” ’" in windows-1252.
		const bytes = new Uint8Array([
			0x4a, 0x6f, 0x73, 0xe9, 0x2c, 0x80, 0x35, 0x2c, 0x93, 0x68, 0x69, 0x94, 0x20, 0x92, 0x81,
		]);
		expect(decodeCsvBytes(bytes)).toEqual({
			text: 'José,€5,“hi” ’\u0081',
			encoding: 'windows-1252',
			uncertain: true,
		});
	});

	it('flags a file that breaks the encoding its BOM or NUL bytes name as uncertain', () => {
		const bytes = Buffer.concat([
			Buffer.from([0xef, 0xbb, 0xbf]),
			Buffer.from('email\na@x.io,'),
			Buffer.from([0xe9, 0x0a]),
		]);
		expect(decodeCsvBytes(bytes)).toEqual({
			text: 'email\na@x.io,\uFFFD\n',
			encoding: 'utf-8',
			uncertain: true,
		});
		const oddLength = Buffer.concat([Buffer.from('email\n', 'utf16le'), Buffer.from([0x61])]);
		expect(decodeCsvBytes(oddLength)).toEqual({
			text: 'email\n\uFFFD',
			encoding: 'utf-16le',
			uncertain: true,
		});
	});

	it('gives parseCsv the rows of a UTF-16 file', () => {
		expect(parseCsv(decodeCsvBytes(Buffer.from(`\uFEFF${TEXT}`, 'utf16le')).text).rows).toEqual([
			{ email: 'josé@münchen.de', name: 'Zoë 例え' },
		]);
	});
});
