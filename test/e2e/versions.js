'use strict';

/**
 * Which n8n versions the e2e matrix (matrix.js) tests: one per n8n line, the newest the npm registry
 * lists in that line, with a known-good version of the line to fall back to when the newest does not
 * install (or the registry cannot be asked). Pure, so test/e2e-versions.test.ts covers it.
 *
 * What each version needs to install and run (its Node, npm overrides, native modules, modules to
 * disable) is the table in scripts/n8n-runtime.sh (n8n_facts), not here.
 */

/**
 * `known`: the newest version of the line measured to install here; CI falls back to it.
 *  - 1.123.x is the last 1.x line (n8n 2.0 followed it).
 *  - 2.x: every newer 2.x is tried first (2.41.3 is listed but depends on n8n-core 2.41.2, a 404).
 */
const LINES = [
	{ name: '1.123.x (the last 1.x)', pattern: /^1\.123\.\d+$/, known: '1.123.81' },
	{ name: '2.x', pattern: /^2\.\d+\.\d+$/, known: '2.41.1' },
];

/** Numeric comparison of plain x.y.z versions (prereleases are never picked, see `newest`). */
function compareVersions(a, b) {
	const pa = a.split('.').map(Number);
	const pb = b.split('.').map(Number);
	for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
	return 0;
}

/** The newest release matching `pattern` (no prerelease, no build tag), or undefined. */
function newest(versions, pattern) {
	return versions
		.filter((version) => /^\d+\.\d+\.\d+$/.test(version) && pattern.test(version))
		.sort(compareVersions)
		.pop();
}

/**
 * Per line: `candidate`, the version to try first (the newest listed, never older than `known`),
 * `fallback`, the known-good version to use when the candidate does not install (undefined when the
 * candidate is the known-good one: then a failed install is a failure), and `why`, for the output.
 * `listed` undefined (the registry could not be asked) tests the known versions.
 */
function plan(listed, lines = LINES) {
	return lines.map((line) => {
		const latest = listed ? newest(listed, line.pattern) : undefined;
		const candidate =
			latest !== undefined && compareVersions(latest, line.known) > 0 ? latest : line.known;
		const fallback = candidate === line.known ? undefined : line.known;
		const why = !listed
			? 'known to install; registry not asked'
			: fallback
				? 'newest listed'
				: 'newest listed, known to install';
		return { line: line.name, candidate, fallback, why };
	});
}

/** Explicit versions (E2E_N8N_VERSIONS="1.123.81 2.41.1"): each tried as it is, no fallback. */
function planOf(spec) {
	return spec
		.split(/[\s,]+/)
		.filter(Boolean)
		.map((version) => ({ line: 'E2E_N8N_VERSIONS', candidate: version, why: 'named' }));
}

/** The sum of "N passed, N failed" lines (a run without one counts as one failure). */
function sumSummaries(summaries) {
	return summaries.reduce(
		(total, summary) => ({
			passed: total.passed + (summary?.passed ?? 0),
			failed: total.failed + (summary ? summary.failed : 1),
		}),
		{ passed: 0, failed: 0 },
	);
}

/** The last "N passed, N failed" line of a run's output, as numbers. */
function summaryOf(output) {
	const lines = [...output.matchAll(/^(\d+) passed, (\d+) failed$/gm)];
	const last = lines[lines.length - 1];
	return last ? { passed: Number(last[1]), failed: Number(last[2]) } : undefined;
}

module.exports = { LINES, compareVersions, newest, plan, planOf, sumSummaries, summaryOf };
