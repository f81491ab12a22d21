/** What both projects share. */
const shared = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	// Type checking is `npm run typecheck`'s job (CI runs it in lint); jest only transpiles, which keeps
	// test start-up fast on the 2-core CI machine.
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};

/** @type {import('jest').Config} */
module.exports = {
	testTimeout: 60_000,
	// Integration tests start loopback simulators; two workers fit the 2-core CI machine.
	maxWorkers: 2,
	reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
	projects: [
		{ ...shared, displayName: 'default', testMatch: ['**/*.test.ts'] },
		{
			// The seam check (CONTRIBUTING.md, "Adding a fifth provider"): the operation matrix and the
			// trigger fuzz again, with a test-only fifth provider added to the registry by the fixture's
			// setup, and no edit of theirs, of nodes/ or of credentials/.
			...shared,
			displayName: 'fifth-provider',
			testMatch: [
				'**/test/integration/BulkVerify/operation-matrix.test.ts',
				'**/test/integration/BulkVerifyJobTrigger/trigger-fuzz.test.ts',
			],
			setupFilesAfterEnv: ['<rootDir>/test/fixtures/fifth-provider/setup.ts'],
		},
	],
};
