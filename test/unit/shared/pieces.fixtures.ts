// A helper of the streaming tests (csv/read, text/redact).

/** Splits a text into pieces of random sizes (some empty, some one character). */
export function pieces(next: () => number, text: string, largest: number): string[] {
	const parts: string[] = [];
	for (let at = 0; at < text.length;) {
		const size = Math.floor(next() * largest);
		parts.push(text.slice(at, at + size));
		at += size;
	}
	return parts;
}
