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
export function keyForms(key: string = HOSTILE_KEY): Array<{ encoding: EchoEncoding; form: string }> {
	const forms = ENCODINGS.map((encoding) => ({ encoding, form: encodeKey(key, encoding) }));
	// The escaped forms of the parts a redactor might split at.
	return forms.filter((entry, index) => forms.findIndex((other) => other.form === entry.form) === index);
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
