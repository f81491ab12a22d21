'use strict';

/** Small statistics and formatting helpers for the bench table. */

function sorted(values) {
	return [...values].sort((a, b) => a - b);
}

function median(values) {
	const s = sorted(values);
	if (s.length === 0) return NaN;
	const mid = Math.floor(s.length / 2);
	return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median, min and max of a sample, and the spread as (max - min) / median. */
function summarize(values) {
	const s = sorted(values);
	const m = median(s);
	return {
		median: m,
		min: s[0],
		max: s[s.length - 1],
		n: s.length,
		spread: m === 0 ? 0 : (s[s.length - 1] - s[0]) / m,
	};
}

function ms(value) {
	if (!Number.isFinite(value)) return '–';
	if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
	if (value >= 1000) return `${(value / 1000).toFixed(2)} s`;
	if (value >= 100) return `${value.toFixed(0)} ms`;
	return `${value.toFixed(1)} ms`;
}

function mb(bytes) {
	if (!Number.isFinite(bytes)) return '–';
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function kb(bytes) {
	return `${(bytes / 1024).toFixed(1)} KB`;
}

function ratio(value) {
	return Number.isFinite(value) ? `${value.toFixed(2)}×` : '–';
}

/** "1.08–1.19×" for a ratio sample, "±6 %" style for absolute ones. */
function range(summary, format = ratio) {
	if (summary.n <= 1) return 'n=1';
	return `${format(summary.min)}–${format(summary.max)} (n=${summary.n})`;
}

module.exports = { median, summarize, ms, mb, kb, ratio, range };
