/**
 * What the hostile-provider tests share: a key with characters every encoding changes, every form it
 * can take on the wire, and a scan of everything a user or a log could see for any of them.
 */
import type { NodeRunResult } from '../harness';
import type { EchoEncoding } from '../simulators';
import { encodeKey, ENCODINGS } from '../simulators';
import { everythingIn } from './providers';

/**
 * Accepted by every simulator and sendable in a Bearer header (ASCII only), with `/ + = ~ !` and a
 * space-free mix that percent, form, JSON and HTML encodings all write differently.
 */
export const HOSTILE_KEY = 'hk/Test+Key=0123456789~abc!XYZ/end';

/** Every form of `key` an echo can carry, each with the encoding's name. */
export function keyForms(
	key: string = HOSTILE_KEY,
): Array<{ encoding: EchoEncoding; form: string }> {
	const forms = ENCODINGS.map((encoding) => ({ encoding, form: encodeKey(key, encoding) }));
	// The escaped forms of the parts a redactor might split at.
	return forms.filter(
		(entry, index) => forms.findIndex((other) => other.form === entry.form) === index,
	);
}

/** The forms of the key found in `values` (empty means no key leaked). */
export function leakedForms(values: unknown, key: string = HOSTILE_KEY): string[] {
	const text = typeof values === 'string' ? values : everythingIn(values);
	// JSON.stringify escapes `"` and `\`: also look for the forms as they appear inside JSON text.
	return keyForms(key)
		.filter(({ form }) => text.includes(form) || text.includes(JSON.stringify(form).slice(1, -1)))
		.map(({ encoding }) => encoding);
}

/**
 * What a user or a log can see of a node run: its items, the error, and the run data n8n stores as
 * the execution (not the harness's credential store, which holds the key by design).
 */
export function visibleOf(result: NodeRunResult): unknown {
	const { items, outputs, error, executionError, taskData, run } = result;
	return { items, outputs, error, executionError, taskData, run };
}

interface ClassFigures {
	tried: number;
	survived: number;
	keysFound: number;
	paidJobsLost: number;
	droppedAddresses: number;
	longestGiveUpMs: number;
}

/**
 * Per attack class and provider: attacks tried, survived (every assertion after them held), and what
 * was measured; printed once per test file, for the stop note's table.
 */
export function hostileFigures(file: string) {
	const figures: Record<string, Record<string, ClassFigures>> = {};
	const entry = (attack: string, provider: string): ClassFigures => {
		figures[attack] ??= {};
		return (figures[attack][provider] ??= {
			tried: 0,
			survived: 0,
			keysFound: 0,
			paidJobsLost: 0,
			droppedAddresses: 0,
			longestGiveUpMs: 0,
		});
	};
	return {
		/** One attack tried, with what it left behind (measured before any assertion). */
		tried(
			attack: string,
			provider: string,
			measured: Partial<Omit<ClassFigures, 'tried' | 'survived'>> = {},
		): void {
			const figure = entry(attack, provider);
			figure.tried++;
			figure.keysFound += measured.keysFound ?? 0;
			figure.paidJobsLost += measured.paidJobsLost ?? 0;
			figure.droppedAddresses += measured.droppedAddresses ?? 0;
			figure.longestGiveUpMs = Math.max(figure.longestGiveUpMs, measured.longestGiveUpMs ?? 0);
		},
		/** Called after the attack's last assertion held. */
		survived(attack: string, provider: string): void {
			entry(attack, provider).survived++;
		},
		print(): void {
			console.log(`hostile figures (${file}): ${JSON.stringify(figures)}`);
		},
	};
}
