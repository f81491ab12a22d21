/** Job ids as users give them: one, or several separated by commas, spaces or new lines, or an array. */
export function parseJobIds(value: unknown): string[] {
	const parts = Array.isArray(value) ? value : [value];
	const ids = new Set<string>();
	for (const part of parts) {
		if (part === null || part === undefined) continue;
		for (const id of String(part).split(/[\s,;]+/)) if (id !== '') ids.add(id);
	}
	return [...ids];
}

/**
 * A numeric id as a number while a double holds it exactly, else its digits (without leading
 * zeros): past 2^53 a number would be rounded onto another job's id.
 */
export function exactNumericId(jobId: string): number | string {
	const value = Number(jobId);
	return Number.isSafeInteger(value) ? value : canonicalNumericId(jobId);
}

/** Leading zeros do not make another id. */
export function canonicalNumericId(jobId: string): string {
	return jobId.replace(/^0+(?=\d)/, '');
}

/** Whether a numeric job id comes after a watermark id, compared exactly (ids past 2^53 included). */
export function isLaterNumericId(jobId: string, watermark: number | string): boolean {
	if (!/^\d+$/.test(jobId)) return false;
	return BigInt(jobId) > BigInt(watermark);
}
