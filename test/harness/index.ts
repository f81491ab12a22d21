/**
 * Test harness that runs this package's node code through real n8n-core execution contexts.
 * See README.md for what is real and what is stubbed.
 */
export { createExecuteContext, executeNode, nodeCredentialsFor } from './execute-node';
export type { ExecuteContextOptions, NodeRunOptions, NodeRunResult } from './execute-node';
export { createPollHarness, DURABLE_POLL_BUDGET_MS, LEGACY_POLL_BUDGET_MS } from './poll-harness';
export type { PollHarness, PollHarnessOptions } from './poll-harness';
export { testCredential } from './credential-test';
export { TestCredentialsHelper } from './credentials-helper';
export type { AuthenticateCall, CredentialsData } from './credentials-helper';
export {
	CREDENTIALS_DIR,
	loadPackageCredentialTypes,
	registerCredentialFile,
} from './credential-types';
export type { CredentialClassOrInstance } from './credential-types';
export { HarnessNodeTypes, PACKAGE_NAME, START_NODE_TYPE } from './node-types';
export { INSTANCE_BASE_URL } from './additional-data';
export { ensureRuntime, readBinaryData, setSsrfProtection } from './runtime';
export { startLoopbackServer } from './loopback-server';
export type {
	LoopbackHandler,
	LoopbackResponse,
	LoopbackServer,
	RecordedRequest,
} from './loopback-server';
