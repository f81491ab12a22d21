/**
 * Loads the package's real credential classes from `credentials/`, the way n8n's loader does:
 * one class per `<ClassName>.credentials.*` file, instantiated once, keyed by its `name`.
 */
import type { ICredentialType } from 'n8n-workflow';
import { readdirSync } from 'node:fs';
import path from 'node:path';

export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');
export const CREDENTIALS_DIR = path.join(PACKAGE_ROOT, 'credentials');

export type CredentialTypeMap = Record<string, ICredentialType>;

/** A credential class (as the package exports it) or an instance of one. */
export type CredentialClassOrInstance = (new () => ICredentialType) | ICredentialType;

let cached: CredentialTypeMap | undefined;

export function instantiateCredential(credential: CredentialClassOrInstance): ICredentialType {
	return typeof credential === 'function' ? new credential() : credential;
}

/** All credential types of the package (loaded once per test file). */
export function loadPackageCredentialTypes(): CredentialTypeMap {
	if (cached) return cached;
	const types: CredentialTypeMap = {};
	const files = readdirSync(CREDENTIALS_DIR).filter((file) => /\.credentials\.(ts|js)$/.test(file) && !file.endsWith('.d.ts'));
	for (const file of files) {
		const className = file.replace(/\.credentials\.(ts|js)$/, '');
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = require(path.join(CREDENTIALS_DIR, file)) as Record<string, unknown>;
		const credentialClass = exported[className];
		if (typeof credentialClass !== 'function') {
			throw new Error(`credentials/${file} does not export a class named ${className} (n8n's loader expects one)`);
		}
		const instance = new (credentialClass as new () => ICredentialType)();
		types[instance.name] = instance;
	}
	cached = types;
	return types;
}
