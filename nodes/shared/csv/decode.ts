/**
 * An uploaded CSV file's bytes as text: UTF-8 or UTF-16 by BOM or byte pattern, else windows-1252,
 * flagged uncertain.
 */

type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedCsv {
	text: string;
	encoding: CsvEncoding;
	/**
	 * True when the characters above ASCII may be wrong: the file is not valid in any encoding it can be
	 * recognised by (read as windows-1252, the usual legacy code page), or breaks the one its BOM or byte
	 * pattern names (what could not be read became U+FFFD).
	 */
	uncertain: boolean;
}

/** Code units checked for the NUL bytes of BOM-less UTF-16: enough for the first lines. */
const UTF16_SAMPLE_UNITS = 4_096;

/**
 * An uploaded file's bytes as text. A UTF-8 or UTF-16 BOM is followed; BOM-less UTF-16 is recognised
 * by its NUL bytes (an ASCII character has one, always on the same side); valid UTF-8 is UTF-8; any
 * other bytes are read as windows-1252, flagged uncertain since a legacy code page cannot be known.
 */
export function decodeCsvBytes(bytes: Uint8Array): DecodedCsv {
	const declared = bomEncoding(bytes) ?? utf16ByNulBytes(bytes);
	if (declared !== undefined) {
		const text = decodeStrictly(declared, bytes);
		return text !== undefined
			? { text, encoding: declared, uncertain: false }
			: { text: new TextDecoder(declared).decode(bytes), encoding: declared, uncertain: true };
	}
	const utf8 = decodeStrictly('utf-8', bytes);
	if (utf8 !== undefined) return { text: utf8, encoding: 'utf-8', uncertain: false };
	return { text: decodeWindows1252(bytes), encoding: 'windows-1252', uncertain: true };
}

function bomEncoding(bytes: Uint8Array): CsvEncoding | undefined {
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
	if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
	return undefined;
}

/** UTF-16 when most sampled code units have a NUL on one side and hardly any on the other. */
function utf16ByNulBytes(bytes: Uint8Array): CsvEncoding | undefined {
	const units = Math.min(bytes.length >> 1, UTF16_SAMPLE_UNITS);
	if (units === 0) return undefined;
	let nulSecond = 0;
	let nulFirst = 0;
	for (let unit = 0; unit < units; unit++) {
		const first = bytes[2 * unit];
		const second = bytes[2 * unit + 1];
		if (first !== 0 && second === 0) nulSecond++;
		else if (first === 0 && second !== 0) nulFirst++;
	}
	if (nulSecond * 2 >= units && nulFirst * 8 <= nulSecond) return 'utf-16le';
	if (nulFirst * 2 >= units && nulSecond * 8 <= nulFirst) return 'utf-16be';
	return undefined;
}

/** The text, or undefined when the bytes are not valid in `encoding`. (The decoder drops a matching BOM.) */
function decodeStrictly(encoding: CsvEncoding, bytes: Uint8Array): string | undefined {
	try {
		return new TextDecoder(encoding, { fatal: true }).decode(bytes);
	} catch {
		return undefined;
	}
}

/** What windows-1252 gives for 0x80–0x9F, in order (WHATWG table: 0x81, 0x8D, 0x8F, 0x90, 0x9D stay C1). */
const WINDOWS_1252_C1 =
	'\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
	'\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Node decodes windows-1252 as Latin-1 since 20.18.3 and 22.13 (0x80–0x9F become C1 controls, so `€`,
 * `“` and `’` are lost): those characters are mapped by the table, a no-op on a correct decoder's output.
 */
function decodeWindows1252(bytes: Uint8Array): string {
	return new TextDecoder('windows-1252')
		.decode(bytes)
		.replace(/[\u0080-\u009f]/g, (control) => WINDOWS_1252_C1[control.charCodeAt(0) - 0x80]);
}
