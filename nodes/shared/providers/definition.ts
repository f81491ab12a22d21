/** What a provider folder hands the registry: what is known without calling it, and how to make its adapter. */
import type { HttpContext, TransportOptions } from '../http/options';
import type { Provider, ProviderInfo, ProviderName } from '../model/provider';

export interface ProviderDefinition {
	info: ProviderInfo;
	create(ctx: HttpContext, options?: Partial<TransportOptions>): Provider;
}

export interface Registry {
	/** By provider name, in the order of the list (the order the editor shows). */
	readonly providers: Readonly<Record<ProviderName, ProviderDefinition>>;
	readonly names: readonly ProviderName[];
	isProviderName(value: unknown): value is ProviderName;
	createProvider(
		name: ProviderName,
		ctx: HttpContext,
		options?: Partial<TransportOptions>,
	): Provider;
}

export function registryOf(definitions: readonly ProviderDefinition[]): Registry {
	const providers: Record<ProviderName, ProviderDefinition> = {};
	for (const definition of definitions) {
		if (providers[definition.info.name] !== undefined)
			throw new Error(`Two providers are named "${definition.info.name}"`);
		providers[definition.info.name] = definition;
	}
	return {
		providers,
		names: definitions.map((definition) => definition.info.name),
		isProviderName: (value): value is ProviderName =>
			typeof value === 'string' && Object.prototype.hasOwnProperty.call(providers, value),
		createProvider: (name, ctx, options) => providers[name].create(ctx, options),
	};
}
