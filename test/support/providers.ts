/**
 * Test wiring: real n8n-core execution contexts whose credentials point at the provider simulators,
 * and provider adapters created on them exactly as the nodes create them.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { createProvider, PROVIDERS } from '../../nodes/shared/providers';
import type { Provider } from '../../nodes/shared/model/provider';
import type { ProviderName } from '../simulators';
import type { TransportOptions } from '../../nodes/shared/http/options';
import { createExecuteContext } from '../harness';
import type { AllSimulators, Simulator, SimulatorOptions } from '../simulators';
import { startAllSimulators } from '../simulators';

/** Retries fast enough for tests, with the same shape as production. */
export const FAST_RETRIES: Partial<TransportOptions> = {
	retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100, maxRetryAfterMs: 3_000 },
	timeoutMs: 2_000,
};

export const PROVIDER_NAMES = Object.keys(PROVIDERS) as ProviderName[];

export function credentialsFor(simulators: AllSimulators, overrides: Partial<Record<ProviderName, { apiKey?: string }>> = {}) {
	const entry = (name: ProviderName) => ({
		apiKey: overrides[name]?.apiKey ?? simulators[name].apiKey,
		baseUrl: simulators[name].baseUrl,
	});
	return {
		bouncifyApi: entry('bouncify'),
		check365Api: entry('check365'),
		simpleColdApi: entry('simplecold'),
		whoisXmlApi: entry('whoisxml'),
	};
}

/** A provider adapter running on a real n8n-core ExecuteContext. */
export async function providerOn(
	simulators: AllSimulators,
	name: ProviderName,
	options: { transport?: Partial<TransportOptions>; apiKey?: string } = {},
): Promise<Provider> {
	const ctx = await createExecuteContext({
		credentials: credentialsFor(simulators, { [name]: { apiKey: options.apiKey } }),
	});
	return createProvider(name, ctx as unknown as IExecuteFunctions, options.transport ?? FAST_RETRIES);
}

export async function startManualSimulators(options: SimulatorOptions = {}): Promise<AllSimulators> {
	return await startAllSimulators({ clock: 'manual', rateLimitPerMinute: Infinity, ...options });
}

/** Everything a user or a log could see of a value, as one string (errors included). */
export function everythingIn(value: unknown): string {
	const seen = new WeakSet<object>();
	return JSON.stringify(value, function (_key, entry: unknown) {
		if (entry instanceof Error) {
			const error = entry as Error & Record<string, unknown>;
			return { ...error, name: error.name, message: error.message, stack: error.stack, cause: error.cause };
		}
		if (entry !== null && typeof entry === 'object') {
			if (seen.has(entry)) return '[circular]';
			seen.add(entry);
		}
		return entry;
	});
}

export function simulatorOf(simulators: AllSimulators, name: ProviderName): Simulator {
	return simulators[name] as Simulator;
}
