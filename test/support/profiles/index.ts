/**
 * The test profiles by provider name: one per provider of the registry. A registry provider without
 * one fails loudly wherever a test table asks for it; a test-only fixture adds its own with
 * `registerTestProfile` (test/fixtures/fifth-provider/setup.ts).
 */
import type { ProviderName } from '../../simulators';
import { bouncifyProfile } from './bouncify';
import { check365Profile } from './check365';
import type { ProviderTestProfile } from './profile';
import { simplecoldProfile } from './simplecold';
import { whoisxmlProfile } from './whoisxml';

export type {
	Ending,
	KeyPlacement,
	NodeFaultRoute,
	OperationName,
	ProviderTestProfile,
} from './profile';
export { keyAndBaseUrl } from './profile';

const PROFILES = new Map<ProviderName, ProviderTestProfile>(
	[bouncifyProfile, check365Profile, simplecoldProfile, whoisxmlProfile].map((profile) => [
		profile.name,
		profile,
	]),
);

/** The test profile of a registry provider; throws when it has none. */
export function profileOf(name: ProviderName): ProviderTestProfile {
	const profile = PROFILES.get(name);
	if (profile === undefined) {
		throw new Error(
			`provider "${name}" is in the registry but has no test profile: add test/support/profiles/${name}.ts and list it in test/support/profiles/index.ts (see CONTRIBUTING.md, "Adding a fifth provider")`,
		);
	}
	return profile;
}

/** Adds the profile of a provider a test-only fixture puts in the registry. */
export function registerTestProfile(profile: ProviderTestProfile): void {
	if (PROFILES.has(profile.name))
		throw new Error(`A test profile for "${profile.name}" is already registered`);
	PROFILES.set(profile.name, profile);
}
