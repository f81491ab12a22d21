/**
 * The token tables of docs/provider-apis.md §8, read as the unit tests' oracle: a row of the doc that
 * the code does not answer the same way fails a test, so the doc and the code cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const DOC_LINES = readFileSync(
	path.resolve(__dirname, '../../docs/provider-apis.md'),
	'utf8',
).split('\n');

export type DocRow = Record<string, string>;

function cells(line: string): string[] {
	return line
		.replace(/^\|/, '')
		.replace(/\|\s*$/, '')
		.split('|')
		.map((cell) => cell.trim());
}

/** The first table under the heading line `heading` (exact), rows keyed by the header cells. */
export function docTable(heading: string): DocRow[] {
	let index = DOC_LINES.indexOf(heading);
	if (index === -1) throw new Error(`docs/provider-apis.md has no heading "${heading}"`);
	index++;
	while (index < DOC_LINES.length && !DOC_LINES[index].startsWith('|')) {
		if (DOC_LINES[index].startsWith('#')) throw new Error(`No table under "${heading}"`);
		index++;
	}
	const lines: string[] = [];
	while (index < DOC_LINES.length && DOC_LINES[index].startsWith('|'))
		lines.push(DOC_LINES[index++]);
	const [header, , ...body] = lines.map(cells);
	return body.map((row) => Object.fromEntries(header.map((name, at) => [name, row[at] ?? ''])));
}

/** The `code spans` of a cell, in order. */
export function codeSpans(cell: string): string[] {
	return [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]);
}

/** Case, `_`, `-` and spaces ignored: how §8.1 says spellings are compared. */
export function spellingKey(spelling: string): string {
	return spelling.toLowerCase().replace(/[\s_-]+/g, '');
}

/** §8.1: spelling key → the verdict and reason the doc gives it. */
export function sharedAliases(): Map<string, { verdict: string; reason: string }> {
	return new Map(
		docTable('### §8.1 Shared rule (every provider)').map((row) => {
			const [spelling] = codeSpans(row.spelling);
			return [spellingKey(spelling), { verdict: row.verdict, reason: row.reason }];
		}),
	);
}

export interface TokenCase {
	/** The token; undefined for a row without one (a WhoisXML failed row). */
	spelling: string | undefined;
	/** The row's other fields, from `key=value` spans. */
	with: Record<string, string>;
	verdict: string;
	reason: string;
}

/** Every spelling of a provider's §8 table, one case each; "as §8.1" is resolved from §8.1. */
export function providerTokenCases(heading: string): TokenCase[] {
	const shared = sharedAliases();
	return docTable(heading).flatMap((row) => {
		const spellings = codeSpans(row.spelling);
		const fields = Object.fromEntries(
			codeSpans(row.with).map((span) => {
				const at = span.indexOf('=');
				return [span.slice(0, at), span.slice(at + 1)];
			}),
		);
		if (spellings.length === 0 && Object.keys(fields).length === 0)
			throw new Error(`A row of "${heading}" names no token and no field: ${row.spelling}`);
		return (spellings.length > 0 ? spellings : [undefined]).map((spelling) => {
			if (row.verdict !== 'as §8.1') {
				return { spelling, with: fields, verdict: row.verdict, reason: row.reason };
			}
			const expected = spelling === undefined ? undefined : shared.get(spellingKey(spelling));
			if (expected === undefined)
				throw new Error(`"${spelling}" in "${heading}" is "as §8.1" but §8.1 does not list it`);
			return { spelling, with: fields, ...expected };
		});
	});
}
