/** Check365 (docs/provider-apis.md §2), as the tests know it. */
import { startSimulator } from '../../simulators';
import type { ProviderTestProfile } from './profile';
import { keyAndBaseUrl } from './profile';

export const check365Profile: ProviderTestProfile = {
	name: 'check365',
	startSimulator: async (options) => await startSimulator('check365', options),
	credentialData: keyAndBaseUrl,
	operations: ['create', 'estimate', 'secondOpinion', 'getStatus', 'getResults'],
	// Undocumented (docs/provider-apis.md §2.2.2): counted as one per address.
	creditsPerEmail: 1,
	createParameters: {},
	// Check365 documents no queued state: an unfinished job is "processing" at any progress.
	pendingState: 'processing',
	jobOutcomes: ['failed', 'cancelled'],
	catchAllVerdict: 'risky',
	jobIds: { unknown: 'no-such-job-42', wrongForm: 'job/with/slashes' },
	// The results come with the status.
	routes: { results: 'status' },
	// `api_key` in the JSON body of the upload, in the query of the status call.
	keyIn: (route) => (route === 'create' ? 'body' : 'query'),
	// Its status field is optional (its progress decides): removing `data` breaks the body.
	statusMissingField: 'data',
	// docs/provider-apis.md §6.1: a status token it does not know, at 100 % progress, counts as completed.
	unknownStatusState: 'completed',
	// The status answer carries the results inline, so it has the results limit.
	statusBodyLimit: 'results',
	nodeFaultRoutes: [
		// The client chooses the job id: an answer without job_id keeps the one sent.
		{ route: 'create', scenario: 'create', unknownStatusField: null, missingField: 'ignored' },
		{ route: 'status', scenario: 'status', missingField: 'needed' },
	],
	fuzz: {
		requestsPerMinute: 30,
		statusRoute: 'status',
		endings: ['completed', 'failed', 'cancelled'],
		watchesAllJobs: false,
	},
};
