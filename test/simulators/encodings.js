'use strict';

/**
 * The encodings the `echo` / `echoInBody` faults apply to what they echo, the way real servers and
 * proxies mangle a URL, a body or a header before putting it into an error message. Every encoding
 * maps character by character, so the key inside an echoed URL, body or header comes out as exactly
 * `encodeKey(key, encoding)`.
 */

/** @typedef {'raw' | 'percent' | 'percentLower' | 'form' | 'json' | 'jsonUnicode' | 'html' | 'doublePercent'} EchoEncoding */

/** @type {EchoEncoding[]} */
const ENCODINGS = [
	'raw',
	'percent',
	'percentLower',
	'form',
	'json',
	'jsonUnicode',
	'html',
	'doublePercent',
];

const hex4 = (/** @type {number} */ code) => `\\u${code.toString(16).padStart(4, '0')}`;

/** PHP json_encode's escapes with its default flags, without the surrounding quotes. */
const JSON_SHORT = /** @type {Record<string, string>} */ ({
	'"': '\\"',
	'\\': '\\\\',
	'/': '\\/',
	'\b': '\\b',
	'\f': '\\f',
	'\n': '\\n',
	'\r': '\\r',
	'\t': '\\t',
});

/** @param {string} text */
function phpJson(text) {
	let out = '';
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		const code = text.charCodeAt(i);
		out += JSON_SHORT[ch] ?? (code < 0x20 || code > 0x7f ? hex4(code) : ch);
	}
	return out;
}

/** application/x-www-form-urlencoded, as URLSearchParams writes it (space → +). */
const form = (/** @type {string} */ text) => new URLSearchParams({ k: text }).toString().slice(2);

/**
 * @param {string} text
 * @param {EchoEncoding} encoding
 * @returns {string}
 */
function encodeText(text, encoding) {
	switch (encoding) {
		case 'raw':
			return text;
		case 'percent':
			return encodeURIComponent(text);
		case 'percentLower':
			return encodeURIComponent(text).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
		case 'form':
			return form(text);
		case 'json':
			return phpJson(text);
		case 'jsonUnicode':
			return Array.from({ length: text.length }, (_, i) => hex4(text.charCodeAt(i))).join('');
		case 'html':
			return Array.from(text, (ch) => `&#${/** @type {number} */ (ch.codePointAt(0))};`).join('');
		case 'doublePercent':
			return encodeURIComponent(encodeURIComponent(text));
		default:
			throw new Error(`Unknown encoding "${encoding}"; use one of: ${ENCODINGS.join(', ')}`);
	}
}

/**
 * Exactly how `key` appears inside what an `echo` / `echoInBody` fault writes with this encoding.
 * @param {string} key @param {EchoEncoding} encoding
 */
const encodeKey = (key, encoding) => encodeText(key, encoding);

module.exports = { ENCODINGS, encodeText, encodeKey };
