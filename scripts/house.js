'use strict';

/**
 * The house plan of the package source: which floor each folder is on, the imports that point back up
 * a floor (there must be none), the imports the Bulk Verify node and its trigger may make, and the
 * files by size. `node scripts/house.js` prints it; test/house.test.ts enforces it.
 *
 *   floor 0  nodes/shared/model       the provider-neutral vocabulary: jobs, results, verdicts, errors, the Provider seam
 *   floor 1  nodes/shared/text        making text safe (redaction) and reading JSON
 *            nodes/shared/schema      validating response bodies (zod primitives, lean validators)
 *            credentials              the credential types (they import nothing of nodes/)
 *   floor 2  nodes/shared/http        the only place HTTP happens
 *            nodes/shared/csv         reading and writing CSV
 *   floor 3  nodes/shared/providers   one adapter per API, and the registry
 *   floor 4  nodes/shared/workflow    what the node and the trigger share on n8n's side (UI, items, files)
 *   floor 5  nodes/BulkVerify, nodes/BulkVerifyJobTrigger
 */

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

const FLOORS = [
	{ floor: 0, folder: 'nodes/shared/model' },
	{ floor: 1, folder: 'nodes/shared/text' },
	{ floor: 1, folder: 'nodes/shared/schema' },
	{ floor: 1, folder: 'credentials' },
	{ floor: 2, folder: 'nodes/shared/http' },
	{ floor: 2, folder: 'nodes/shared/csv' },
	{ floor: 3, folder: 'nodes/shared/providers' },
	{ floor: 4, folder: 'nodes/shared/workflow' },
	{ floor: 5, folder: 'nodes/BulkVerify' },
	{ floor: 5, folder: 'nodes/BulkVerifyJobTrigger' },
];

/** What the node and the trigger may import besides their own folder: the model, the registry, the workflow floor. */
const NODE_MAY_IMPORT = [
	'nodes/shared/model/',
	'nodes/shared/workflow/',
	'nodes/shared/providers/index.ts',
];

/** A file should hold one topic; past this many lines it holds several. */
const MAX_LINES = 400;

function sourceFiles(dir) {
	const out = [];
	for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
		const relative = `${dir}/${entry.name}`;
		if (entry.isDirectory()) out.push(...sourceFiles(relative));
		else if (entry.name.endsWith('.ts')) out.push(relative);
	}
	return out;
}

function placeOf(file) {
	const place = FLOORS.filter(({ folder }) => file.startsWith(`${folder}/`)).sort(
		(a, b) => b.folder.length - a.folder.length,
	)[0];
	return place ?? { floor: undefined, folder: path.dirname(file) };
}

function resolveImport(from, specifier) {
	const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
	for (const candidate of [`${base}.ts`, `${base}/index.ts`])
		if (fs.existsSync(path.join(ROOT, candidate))) return candidate;
	return undefined;
}

function importsOf(file) {
	const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
	const specifiers = [...text.matchAll(/^(?:import|export)[^;]*?from '([^']+)';/gms)].map(
		(match) => match[1],
	);
	return specifiers
		.filter((specifier) => specifier.startsWith('.'))
		.map((specifier) => resolveImport(file, specifier) ?? specifier);
}

function survey() {
	const files = [...sourceFiles('nodes'), ...sourceFiles('credentials')].sort();
	const arrows = [];
	for (const file of files)
		for (const target of importsOf(file)) arrows.push({ from: file, to: target });
	const upward = arrows.filter(({ from, to }) => {
		const a = placeOf(from);
		const b = placeOf(to);
		return a.floor === undefined || b.floor === undefined || b.floor > a.floor;
	});
	const nodeOverreach = arrows.filter(({ from, to }) => {
		const home = placeOf(from);
		if (home.floor !== 5 || to.startsWith(`${home.folder}/`)) return false;
		return !NODE_MAY_IMPORT.some((allowed) =>
			allowed.endsWith('/') ? to.startsWith(allowed) : to === allowed,
		);
	});
	const sizes = files
		.map((file) => ({
			file,
			lines: fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n').length - 1,
		}))
		.sort((a, b) => b.lines - a.lines);
	const unplaced = files.filter((file) => placeOf(file).floor === undefined);
	return {
		floors: FLOORS,
		arrows: arrows.length,
		upward,
		nodeOverreach,
		sizes,
		unplaced,
		maxLines: MAX_LINES,
	};
}

function print(house) {
	const lines = [];
	for (const floor of [...new Set(FLOORS.map((place) => place.floor))].sort((a, b) => b - a)) {
		const folders = FLOORS.filter((place) => place.floor === floor).map((place) => place.folder);
		const inFloor = house.sizes.filter(({ file }) => folders.includes(placeOf(file).folder));
		const total = inFloor.reduce((sum, { lines: count }) => sum + count, 0);
		lines.push(`floor ${floor}: ${folders.join(', ')} (${inFloor.length} files, ${total} lines)`);
	}
	lines.push('', `imports between package files: ${house.arrows}`);
	lines.push(`imports pointing back up a floor: ${house.upward.length}`);
	for (const { from, to } of house.upward) lines.push(`  ${from} -> ${to}`);
	lines.push(
		`node/trigger imports past the model, the registry and the workflow floor: ${house.nodeOverreach.length}`,
	);
	for (const { from, to } of house.nodeOverreach) lines.push(`  ${from} -> ${to}`);
	lines.push(`files outside any floor: ${house.unplaced.length}`);
	lines.push('', `files by size (limit ${MAX_LINES} lines):`);
	for (const { file, lines: count } of house.sizes)
		lines.push(`  ${String(count).padStart(4)}  ${file}`);
	return lines.join('\n');
}

if (require.main === module) console.log(print(survey()));

module.exports = { survey, print, MAX_LINES };
