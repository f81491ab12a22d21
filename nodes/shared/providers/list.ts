/**
 * Every provider the package serves, in the order the editor lists them. A fifth provider adds two
 * lines here: its import and its entry (see CONTRIBUTING.md).
 */
import { bouncify } from './bouncify';
import { check365 } from './check365';
import type { ProviderDefinition } from './definition';
import { simplecold } from './simplecold';
import { whoisxml } from './whoisxml';

export const PROVIDER_LIST: readonly ProviderDefinition[] = [
	bouncify,
	check365,
	simplecold,
	whoisxml,
];
