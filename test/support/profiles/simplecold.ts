/** SimpleCold (docs/provider-apis.md §3), as the tests know it. */
import { startSimulator } from '../../simulators';
import type { ProviderTestProfile } from './profile';
import { keyAndBaseUrl } from './profile';

export const simplecoldProfile: ProviderTestProfile = {
	name: 'simplecold',
	startSimulator: async (options) => await startSimulator('simplecold', options),
	credentialData: keyAndBaseUrl,
	operations: ['create', 'estimate', 'secondOpinion', 'getStatus', 'getResults', 'verify'],
	// totalCreditsUsed equals totalEmails (docs/provider-apis.md §3.2.5).
	creditsPerEmail: 1,
	createParameters: {},
	pendingState: 'queued',
	jobOutcomes: ['failed', 'cancelled'],
	// Its vocabulary has no catch-all token.
	catchAllVerdict: 'unknown',
	jobIds: { unknown: '00000000-0000-4000-8000-000000000000', wrongForm: '596' },
	routes: { results: 'download' },
	// A Bearer header: echoes of the URL and body do not contain it.
	keyIn: () => 'header',
	unknownStatusState: 'unknown',
	statusBodyLimit: 'answer',
	nodeFaultRoutes: [
		{
			route: 'create',
			scenario: 'create',
			unknownStatusField: 'payload.status',
			missingField: 'needed',
		},
		{ route: 'status', scenario: 'status', missingField: 'needed' },
		{ route: 'download', scenario: 'download', unknownStatusField: null, missingField: 'needed' },
		{
			route: 'single',
			scenario: 'single',
			unknownStatusField: 'payload.status',
			missingField: 'needed',
		},
	],
	fuzz: {
		// 10 bulk requests a minute per key.
		requestsPerMinute: 10,
		statusRoute: 'status',
		// A cancel passes through CANCELING, which lasts a share of the job's (in the fuzz very long) duration.
		endings: ['completed', 'failed'],
		watchesAllJobs: false,
	},
};
