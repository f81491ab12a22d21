/**
 * Test wiring: real n8n-core execution contexts whose credentials point at the provider simulators,
 * and provider adapters created on them exactly as the nodes create them. The providers are the
 * registry's (nodes/shared/providers/list.ts); what the tests know about each is its test profile
 * (test/support/profiles).
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	createProvider,
	PROVIDER_NAMES as REGISTRY_NAMES,
	PROVIDERS,
} from '../../nodes/shared/providers';
import type { Provider } from '../../nodes/shared/model/provider';
import type { ProviderName } from '../simulators';
import type { TransportOptions } from '../../nodes/shared/http/options';
import { createExecuteContext } from '../harness';
import type { AllSimulators, Simulator, SimulatorOptions } from '../simulators';
import { profileOf } from './profiles';

/** Retries fast enough for tests, with the same shape as production. */
export const FAST_RETRIES: Partial<TransportOptions> = {
	retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100, maxRetryAfterMs: 3_000 },
	timeoutMs: 2_000,
};

/** Every provider of the registry, in its order: the provider set of every test table. */
export const PROVIDER_NAMES: readonly ProviderName[] = REGISTRY_NAMES;

// A registry provider without a test profile fails every test file that uses the tables, at once.
for (const name of PROVIDER_NAMES) profileOf(name);

/** Credential data for every provider, by credential type, pointing at its simulator (with an overridden key where given). */
export function credentialsFor(
	simulators: AllSimulators,
	overrides: Partial<Record<ProviderName, { apiKey?: string }>> = {},
) {
	return Object.fromEntries(
		PROVIDER_NAMES.map((name) => [
			PROVIDERS[name].info.credentialType,
			profileOf(name).credentialData({
				apiKey: overrides[name]?.apiKey ?? simulators[name].apiKey,
				baseUrl: simulators[name].baseUrl,
			}),
		]),
	);
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
	return createProvider(
		name,
		ctx as unknown as IExecuteFunctions,
		options.transport ?? FAST_RETRIES,
	);
}

/** One simulator per registry provider (each from its test profile), started in registry order. */
export async function startSimulators(options: SimulatorOptions = {}): Promise<AllSimulators> {
	const all: Record<ProviderName, Simulator> = {};
	try {
		for (const name of PROVIDER_NAMES) all[name] = await profileOf(name).startSimulator(options);
	} catch (error) {
		await Promise.all(Object.values(all).map((simulator) => simulator.close()));
		throw error;
	}
	const close = async () => {
		await Promise.all(Object.values(all).map((simulator) => simulator.close()));
	};
	return { ...all, close } as unknown as AllSimulators;
}

export async function startManualSimulators(
	options: SimulatorOptions = {},
): Promise<AllSimulators> {
	return await startSimulators({ clock: 'manual', rateLimitPerMinute: Infinity, ...options });
}

/** Everything a user or a log could see of a value, as one string (errors included). */
export function everythingIn(value: unknown): string {
	const seen = new WeakSet<object>();
	return JSON.stringify(value, function (_key, entry: unknown) {
		if (entry instanceof Error) {
			const error = entry as Error & Record<string, unknown>;
			return {
				...error,
				name: error.name,
				message: error.message,
				stack: error.stack,
				cause: error.cause,
			};
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
