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
