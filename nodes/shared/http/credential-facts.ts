/**
 * What the transport needs of a credential: every value that could be a secret (for redaction) and
 * the Base URL requests go to, read once per execution context and credential type.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { readBaseUrl } from '../../../credentials/common';
import { redactSecrets } from '../text/redact';
import type { HttpContext, ProviderErrorProfile } from './options';

/** What the transport needs of one credential, looked up once per execution context and credential type. */
export interface CredentialFacts {
	/** Every value of the credential that could be a secret, for redaction. */
	secrets: string[];
	/** The Base URL requests go to (and the only origin a redirect may be followed to). */
	baseUrl: string;
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
			.catch(() => ({ secrets: [], baseUrl: profile.defaultBaseUrl }));
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
