/**
 * The provider registry: the only place that knows all providers. A fifth provider adds one folder
 * under providers/, one credential, and one entry here.
 */
import type { HttpContext, TransportOptions } from '../http/options';
import { BouncifyProvider, bouncifyInfo } from './bouncify';
import { Check365Provider, check365Info } from './check365';
import { SimpleColdProvider, simplecoldInfo } from './simplecold';
import type { Provider, ProviderInfo, ProviderName } from '../model/provider';
import { WhoisXmlProvider, whoisxmlInfo } from './whoisxml';

export interface ProviderDefinition {
	info: ProviderInfo;
	create(ctx: HttpContext, options?: Partial<TransportOptions>): Provider;
}

export const PROVIDERS: Record<ProviderName, ProviderDefinition> = {
	bouncify: {
		info: bouncifyInfo,
		create: (ctx, options) => new BouncifyProvider(ctx, options),
	},
	check365: {
		info: check365Info,
		create: (ctx, options) => new Check365Provider(ctx, options),
	},
	simplecold: {
		info: simplecoldInfo,
		create: (ctx, options) => new SimpleColdProvider(ctx, options),
	},
	whoisxml: {
		info: whoisxmlInfo,
		create: (ctx, options) => new WhoisXmlProvider(ctx, options),
	},
};

export const PROVIDER_NAMES = Object.keys(PROVIDERS) as ProviderName[];

export function isProviderName(value: unknown): value is ProviderName {
	return typeof value === 'string' && value in PROVIDERS;
}

export function createProvider(
	name: ProviderName,
	ctx: HttpContext,
	options?: Partial<TransportOptions>,
): Provider {
	return PROVIDERS[name].create(ctx, options);
}
