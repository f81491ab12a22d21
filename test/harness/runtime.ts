/**
 * One-time set-up of the n8n-core runtime the harness runs node code in.
 *
 * n8n-core resolves several services through the `@n8n/di` container (instance settings,
 * outbound HTTP, the binary data service, the logger). They read their configuration from
 * `N8N_*` environment variables when they are first resolved, so this module sets those
 * variables first, then resolves the services, exactly once per module registry (Jest gives
 * every test file its own registry, so every test file gets its own temp folder).
 */
import { SsrfProtectionConfig } from '@n8n/config';
import { Container } from '@n8n/di';
import { BinaryDataService, Cipher, EncryptionKeyProxy, InstanceSettings } from 'n8n-core';
import type { KeyInfo } from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface HarnessRuntime {
	/** The temporary n8n user folder (`N8N_USER_FOLDER`) of this test file. */
	userFolder: string;
	/** Where binary data written by `prepareBinaryData` lands (filesystem mode, as in a default n8n). */
	binaryDataPath: string;
}

let runtime: HarnessRuntime | undefined;

const tempFolders: string[] = [];

function removeTempFolders(): void {
	for (const folder of tempFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

// Jest runs each test file in a sandbox whose `process` 'exit' event never reaches this module,
// so the temp folder is removed after the test file's last test instead.
if (typeof afterAll === 'function') afterAll(removeTempFolders);

let binaryDataReady: Promise<void> | undefined;

/**
 * Prepares the DI container once: a throw-away user folder, a fixed encryption key, quiet logs,
 * and SSRF protection as a default self-hosted n8n has it (off; see README).
 */
export function ensureRuntime(): HarnessRuntime {
	if (runtime) return runtime;

	const userFolder = mkdtempSync(path.join(tmpdir(), 'n8n-harness-'));
	process.env.N8N_USER_FOLDER = userFolder;
	// A fixed key keeps InstanceSettings from generating one and printing about it.
	process.env.N8N_ENCRYPTION_KEY = 'n8n-nodes-bulk-email-verify-test-harness';
	// n8n logs every node error (with stack) at `error` level; keep test output readable.
	// Set N8N_LOG_LEVEL=debug (or info, warn, error) when running the tests to see n8n's logs.
	process.env.N8N_LOG_LEVEL ??= 'silent';
	process.env.N8N_DIAGNOSTICS_ENABLED = 'false';

	const instanceSettings = Container.get(InstanceSettings);
	// n8n's CLI gives the cipher a key provider backed by its database. Without key rotation that is
	// the instance key itself (AES-256-CBC, unprefixed ciphertext): provide exactly that, so
	// n8n-core's `Credentials` can encrypt and decrypt.
	const instanceKey: KeyInfo = {
		id: 'instance-key',
		value: Container.get(Cipher).encryptDEKWithInstanceKey(instanceSettings.encryptionKey),
		algorithm: 'aes-256-cbc',
		format: 'no-prefix',
	};
	Container.get(EncryptionKeyProxy).setProvider({
		getActiveKey: async () => instanceKey,
		getKeyById: async (id) => (id === instanceKey.id ? instanceKey : null),
		getLegacyKey: async () => instanceKey,
	});
	// Default self-hosted n8n: N8N_SSRF_PROTECTION_ENABLED is false, so loopback URLs are allowed.
	// Pin it, so a developer's shell cannot change what the tests exercise.
	Container.get(SsrfProtectionConfig).enabled = false;

	tempFolders.push(userFolder);

	runtime = {
		userFolder,
		binaryDataPath: path.join(instanceSettings.n8nFolder, 'storage'),
	};
	return runtime;
}

/** Initialises n8n-core's real BinaryDataService (filesystem mode, in the temp user folder). */
export async function ensureBinaryData(): Promise<void> {
	ensureRuntime();
	binaryDataReady ??= Container.get(BinaryDataService).init();
	await binaryDataReady;
}

/** Reads back the bytes of a binary property an execution produced (`item.binary.data`). */
export async function readBinaryData(binaryData: IBinaryData): Promise<Buffer> {
	await ensureBinaryData();
	return await Container.get(BinaryDataService).getAsBuffer(binaryData);
}

/**
 * Turns n8n's SSRF protection on or off for this test file (`N8N_SSRF_PROTECTION_ENABLED`).
 * Off is the n8n default. With it on, n8n's default blocked ranges (which include 127.0.0.0/8)
 * apply, so loopback test servers are refused: a test can use this to show that finding.
 * (The allow/block lists are read once when the SSRF service is created, so only the on/off
 * switch can change mid-run.)
 */
export function setSsrfProtection(enabled: boolean): void {
	ensureRuntime();
	Container.get(SsrfProtectionConfig).enabled = enabled;
}
