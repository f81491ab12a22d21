/** UI pieces the Bulk Verify node and its trigger share, derived from the provider registry. */
import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { PROVIDERS } from '../providers';
import type { ProviderInfo, ProviderName } from '../model/provider';

export const PROVIDER_INFOS: ProviderInfo[] = Object.values(PROVIDERS).map(({ info }) => info);

/** The providers whose API can do something, for displayOptions. */
export function providersWhere(test: (info: ProviderInfo) => boolean): ProviderName[] {
	return PROVIDER_INFOS.filter(test).map((info) => info.name);
}

/**
 * The trigger's "Every Job" mode pages the account's jobs newest first down to the newest id it has
 * seen: the provider must list jobs, with ids that grow.
 */
export function canWatchEveryJob(info: ProviderInfo): boolean {
	return info.capabilities.listJobs && info.capabilities.increasingJobIds;
}

export function providerProperty(description: string): INodeProperties {
	const property: INodeProperties = {
		displayName: 'Provider',
		name: 'provider',
		type: 'options',
		noDataExpression: true,
		options: PROVIDER_INFOS.map((info) => ({ name: info.displayName, value: info.name })),
		default: '',
		description,
	};
	// The first provider of the registry, not a name written here.
	return { ...property, default: PROVIDER_INFOS[0].name };
}

/** "Bouncify, Check365 or SimpleCold": the registry's providers, for texts that name them all. */
export function providerNamesText(): string {
	const names = PROVIDER_INFOS.map((info) => info.displayName);
	return names.length > 1
		? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`
		: names.join('');
}

/**
 * A name of the node or the trigger: as it is in a package that serves several providers, and after
 * the provider's display name in one whose registry lists one ("Bouncify Bulk Verify", the name
 * n8n's verification expects of a single-service package; scripts/single-packages.js builds those).
 */
export function serviceNamed(name: string): string {
	return PROVIDER_INFOS.length === 1 ? `${PROVIDER_INFOS[0].displayName} ${name}` : name;
}

/**
 * The selected provider's display name inside a subtitle expression (a value the registry does not
 * know shows as it is), so the canvas reads "Bouncify", not the stored "bouncify".
 */
export function providerDisplayNameExpression(): string {
	const names = JSON.stringify(
		Object.fromEntries(PROVIDER_INFOS.map((info) => [info.name, info.displayName])),
	);
	return `(${names}[$parameter["provider"]] || $parameter["provider"])`;
}

/** Each provider's credential, shown when that provider is selected. */
export const providerCredentials: INodeCredentialDescription[] = PROVIDER_INFOS.map((info) => ({
	name: info.credentialType,
	required: true,
	displayOptions: { show: { provider: [info.name] } },
}));

export const verdictFilterOption: INodeProperties = {
	displayName: 'Keep Verdicts',
	name: 'verdicts',
	type: 'multiOptions',
	options: [
		{ name: 'Deliverable', value: 'deliverable' },
		{ name: 'Risky (Catch-All and Similar)', value: 'risky' },
		{ name: 'Undeliverable', value: 'undeliverable' },
		{ name: 'Unknown', value: 'unknown' },
	],
	default: [],
	description: 'Only return emails with these verdicts. Leave empty to return all.',
};
