/** Bouncify (docs/provider-apis.md §1), as the tests know it. */
import { startSimulator } from '../../simulators';
import type { ProviderTestProfile } from './profile';
import { keyAndBaseUrl } from './profile';

export const bouncifyProfile: ProviderTestProfile = {
	name: 'bouncify',
	startSimulator: async (options) => await startSimulator('bouncify', options),
	credentialData: keyAndBaseUrl,
	operations: [
		'create',
		'estimate',
		'secondOpinion',
		'start',
		'getStatus',
		'getResults',
		'delete',
		'verify',
		'getCredits',
	],
	// A list waits for Start unless created with auto_verify.
	// Credits are spent per address (docs/provider-apis.md §1.2.3).
	creditsPerEmail: 1,
	createParameters: { startNow: true },
	pendingState: 'queued',
	jobOutcomes: ['failed', 'cancelled'],
	catchAllVerdict: 'risky',
	jobIds: { unknown: 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz', wrongForm: 'abc-123' },
	routes: { results: 'download' },
	// The `apikey` query parameter on every call.
	keyIn: () => 'query',
	unknownStatusState: 'unknown',
	statusBodyLimit: 'answer',
	nodeFaultRoutes: [
		{ route: 'create', scenario: 'create', unknownStatusField: null, missingField: 'needed' },
		{ route: 'status', scenario: 'status', missingField: 'needed' },
		// A CSV body: no field to remove.
		{
			route: 'download',
			scenario: 'download',
			unknownStatusField: null,
			missingField: 'notApplicable',
		},
		// The start answer's job_id is not read: the node asks for the status afterwards.
		{ route: 'start', scenario: 'start', unknownStatusField: null, missingField: 'ignored' },
		{ route: 'delete', scenario: 'delete', unknownStatusField: null, missingField: 'ignored' },
		{ route: 'single', scenario: 'single', unknownStatusField: 'result', missingField: 'needed' },
		{ route: 'credits', scenario: 'credits', unknownStatusField: null, missingField: 'needed' },
	],
	start: { startedRawStatus: 'verifying', jobIdOf: (request) => request.query.job_id },
	fuzz: {
		requestsPerMinute: 120,
		statusRoute: 'status',
		endings: ['completed', 'failed', 'cancelled'],
		watchesAllJobs: false,
	},
};
