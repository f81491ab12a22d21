/**
 * Loads the package's real credential classes from `credentials/`, the way n8n's loader does:
 * one class per `<ClassName>.credentials.*` file, instantiated once, keyed by its `name`; plus the
 * files test-only fixtures register (`registerCredentialFile`).
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

/** Credential files outside `credentials/` that test-only fixtures add (`registerCredentialFile`). */
const registeredFiles: string[] = [];

export function instantiateCredential(credential: CredentialClassOrInstance): ICredentialType {
	return typeof credential === 'function' ? new credential() : credential;
}

/**
 * Adds a test-only credential file (a `<ClassName>.credentials.ts` outside `credentials/`, such as
 * test/fixtures/fifth-provider's): it is loaded with the package's own, by the same rules, from then on.
 */
export function registerCredentialFile(file: string): void {
	if (!path.isAbsolute(file))
		throw new Error(`registerCredentialFile needs an absolute path, got "${file}"`);
	if (!registeredFiles.includes(file)) registeredFiles.push(file);
	cached = undefined;
}

/** All credential types of the package (loaded once per test file), and any registered test-only ones. */
export function loadPackageCredentialTypes(): CredentialTypeMap {
	if (cached) return cached;
	const types: CredentialTypeMap = {};
	const files = readdirSync(CREDENTIALS_DIR)
		.filter((file) => /\.credentials\.(ts|js)$/.test(file) && !file.endsWith('.d.ts'))
		.map((file) => path.join(CREDENTIALS_DIR, file));
	for (const file of [...files, ...registeredFiles]) {
		const base = path.basename(file);
		const className = base.replace(/\.credentials\.(ts|js)$/, '');
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = require(file) as Record<string, unknown>;
		const credentialClass = exported[className];
		if (typeof credentialClass !== 'function') {
			throw new Error(
				`${path.relative(PACKAGE_ROOT, file)} does not export a class named ${className} (n8n's loader expects one)`,
			);
		}
		const instance = new (credentialClass as new () => ICredentialType)();
		if (types[instance.name] !== undefined)
			throw new Error(`Two credential types are named "${instance.name}"`);
		types[instance.name] = instance;
	}
	cached = types;
	return types;
}
