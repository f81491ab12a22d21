/**
 * What the transport needs of a credential: every value that could be a secret (for redaction) and
 * the addresses requests go to (the Base URL, and the hosts it steers), read once per execution
 * context and credential type.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { readBaseUrl } from '../../../credentials/common';
import { redactSecrets } from '../text/redact';
import type { HttpContext, ProviderErrorProfile } from './options';

/** What the transport needs of one credential, looked up once per execution context and credential type. */
export interface CredentialFacts {
	/** Every value of the credential that could be a secret, for redaction. */
	secrets: string[];
	/** The Base URL requests go to. */
	baseUrl: string;
	/** The address of each of the profile's `otherHosts`, as the Base URL steers it (`hostsFor`). */
	hosts: Readonly<Record<string, string>>;
	/** Why the Base URL cannot be used, when it cannot. */
	baseUrlProblem?: string;
}

const credentialFactsCache = new WeakMap<object, Map<string, Promise<CredentialFacts>>>();

/** Credential fields that are not secret (everything else is treated as one). */
const PUBLIC_CREDENTIAL_FIELDS = new Set(['baseUrl']);

/** The facts of the credential a provider's requests use, read once per execution context. */
export async function credentialFacts(
	ctx: HttpContext,
	credentialType: string,
	profile: ProviderErrorProfile,
): Promise<CredentialFacts> {
	let byType = credentialFactsCache.get(ctx);
	if (!byType) {
		byType = new Map();
		credentialFactsCache.set(ctx, byType);
	}
	let facts = byType.get(credentialType);
	if (!facts) {
		facts = ctx
			.getCredentials(credentialType)
			.then((data) => factsOf(data, profile))
			// Unreadable credentials fail in n8n's own helper, with n8n's message.
			.catch(() => ({
				secrets: [],
				baseUrl: profile.defaultBaseUrl,
				hosts: hostsFor(profile.defaultBaseUrl, profile),
			}));
		byType.set(credentialType, facts);
	}
	return await facts;
}

function secretsOf(data: Record<string, unknown>): string[] {
	return Object.entries(data)
		.filter(
			([field, value]) =>
				!PUBLIC_CREDENTIAL_FIELDS.has(field) && typeof value === 'string' && value.trim() !== '',
		)
		.map(([, value]) => (value as string).trim());
}

function factsOf(data: Record<string, unknown>, profile: ProviderErrorProfile): CredentialFacts {
	const secrets = secretsOf(data);
	const { url: baseUrl, problem } = readBaseUrl(
		data as ICredentialDataDecryptedObject,
		profile.defaultBaseUrl,
	);
	return {
		secrets,
		baseUrl,
		hosts: hostsFor(baseUrl, profile),
		...(problem !== undefined
			? {
					baseUrlProblem: redactSecrets(
						`The ${profile.credentialDisplayName} credential's Base URL ${problem}`,
						secrets,
					),
				}
			: {}),
	};
}

/**
 * Where each of the profile's other hosts is for this Base URL: its own address while the Base URL
 * is the default, else the Base URL itself (a proxy or the simulators serve every route), so one
 * field points all of a credential's requests somewhere else.
 */
export function hostsFor(
	baseUrl: string,
	profile: Pick<ProviderErrorProfile, 'defaultBaseUrl' | 'otherHosts'>,
): Record<string, string> {
	const steered = sameUrl(baseUrl, profile.defaultBaseUrl) === false;
	return Object.fromEntries(
		Object.entries(profile.otherHosts ?? {}).map(([name, url]) => [name, steered ? baseUrl : url]),
	);
}

/** The address a request goes to: its host's, or the Base URL. */
export function addressOf(facts: CredentialFacts, request: { host?: string }): string {
	if (request.host === undefined) return facts.baseUrl;
	const address = facts.hosts[request.host];
	if (address === undefined) throw new Error(`No host "${request.host}" for this credential`);
	return address;
}

/** Every address the credential's requests may go to (and redirects be followed to): the Base URL and its hosts. */
export function addressesOf(facts: CredentialFacts): string[] {
	return [facts.baseUrl, ...Object.values(facts.hosts)];
}

/** Whether two absolute URLs are the same address (scheme and host case aside); undefined when one is not a URL. */
function sameUrl(a: string, b: string): boolean | undefined {
	if (!URL.canParse(a) || !URL.canParse(b)) return undefined;
	return new URL(a).href.replace(/\/+$/, '') === new URL(b).href.replace(/\/+$/, '');
}

/**
 * Every secret of the credentials the node uses (the values `Transport` redacts), for making text
 * that did not come through a provider call safe to show as well.
 */
export async function credentialSecrets(ctx: HttpContext): Promise<string[]> {
	const types = Object.keys(ctx.getNode().credentials ?? {});
	const secrets = await Promise.all(
		types.map(async (type) => await ctx.getCredentials(type).then(secretsOf, () => [] as string[])),
	);
	return secrets.flat();
}
