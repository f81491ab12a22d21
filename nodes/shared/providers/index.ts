/** The provider registry: the only place the node and the trigger learn which providers exist. */
import type { HttpContext, TransportOptions } from '../http/options';
import type { Provider, ProviderName } from '../model/provider';
import type { ProviderDefinition } from './definition';
import { registryOf } from './definition';
import { PROVIDER_LIST } from './list';

export type { ProviderDefinition } from './definition';

const registry = registryOf(PROVIDER_LIST);

export const PROVIDERS: Readonly<Record<ProviderName, ProviderDefinition>> = registry.providers;

export const PROVIDER_NAMES: readonly ProviderName[] = registry.names;

export function isProviderName(value: unknown): value is ProviderName {
	return registry.isProviderName(value);
}

export function createProvider(
	name: ProviderName,
	ctx: HttpContext,
	options?: Partial<TransportOptions>,
): Provider {
	return registry.createProvider(name, ctx, options);
}
