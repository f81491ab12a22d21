'use strict';

/**
 * Peak resident memory of this process. On Linux the kernel keeps the high-water mark (VmHWM), and
 * writing "5" to /proc/self/clear_refs resets it to the current RSS, so the peak of one operation can
 * be read without sampling. Elsewhere `process.resourceUsage().maxRSS` (never reset) is the fallback;
 * the bench runs each measured operation in a fresh child process, so that is still one operation's peak.
 */

const fs = require('node:fs');

let canReset;

function resetPeak() {
	if (canReset === false) return false;
	try {
		fs.writeFileSync('/proc/self/clear_refs', '5');
		canReset = true;
	} catch {
		canReset = false;
	}
	return canReset;
}

function peakRss() {
	try {
		const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
		if (match) return Number(match[1]) * 1024;
	} catch {
		// not Linux
	}
	return process.resourceUsage().maxRSS * 1024;
}

/** Collects garbage twice (the benches run with --expose-gc) so a baseline holds no garbage. */
function settle() {
	if (typeof global.gc === 'function') {
		global.gc();
		global.gc();
	}
}

/** Runs `operation` and returns its result with the peak RSS growth over the RSS right before it. */
async function measurePeak(operation) {
	settle();
	const before = process.memoryUsage().rss;
	const reset = resetPeak();
	const started = performance.now();
	const result = await operation();
	const elapsedMs = performance.now() - started;
	const peak = peakRss();
	return {
		result,
		elapsedMs,
		rssBefore: before,
		peakGrowth: Math.max(0, peak - before),
		peakResetWorked: reset,
	};
}

module.exports = { resetPeak, peakRss, settle, measurePeak };
