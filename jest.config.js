/** @type {import('jest').Config} */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	// Type checking is `npm run typecheck`'s job (CI runs it in lint); jest only transpiles, which keeps
	// test start-up fast on the 2-core CI machine.
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
	testTimeout: 60_000,
	// Integration tests start loopback simulators; two workers fit the 2-core CI machine.
	maxWorkers: 2,
	reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
