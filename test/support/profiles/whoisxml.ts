/** WhoisXML API Email Verification (docs/provider-apis.md §4), as the tests know it. */
import { startSimulator } from '../../simulators';
import type { ProviderTestProfile } from './profile';
import { keyAndBaseUrl } from './profile';

export const whoisxmlProfile: ProviderTestProfile = {
	name: 'whoisxml',
	startSimulator: async (options) => await startSimulator('whoisxml', options),
	credentialData: keyAndBaseUrl,
	operations: [
		'create',
		'estimate',
		'secondOpinion',
		'getStatus',
		'getResults',
		'getMany',
		'verify',
		'getCredits',
	],
	// 1 credit per email (docs/provider-apis.md §4.1).
	creditsPerEmail: 1,
	createParameters: {},
	pendingState: 'queued',
	// No failed or cancelled request state (docs/provider-apis.md §4.4).
	jobOutcomes: [],
	catchAllVerdict: 'risky',
	jobIds: { unknown: '999999', wrongForm: '550e8400-e29b-41d4-a716-446655440000' },
	routes: { results: 'download' },
	// `apiKey` in the JSON body of the bulk API (which an HTML error page does not show), in the query of
	// /api/v3 and of the account balance.
	keyIn: (route) => (route === 'single' || route === 'credits' ? 'query' : 'body'),
	unknownStatusState: 'unknown',
	statusBodyLimit: 'answer',
	nodeFaultRoutes: [
		{ route: 'create', scenario: 'create', unknownStatusField: null, missingField: 'needed' },
		{ route: 'status', scenario: 'status', missingField: 'needed' },
		{ route: 'download', scenario: 'download', unknownStatusField: null, missingField: 'needed' },
		{
			route: 'downloadFailed',
			scenario: 'downloadFailed',
			unknownStatusField: null,
			missingField: 'needed',
		},
		// Without last_page the node takes the page as the last one (a short list here).
		{ route: 'list', scenario: 'list', missingField: 'ignored' },
		// Without smtpCheck the node answers with verdict unknown.
		{
			route: 'single',
			scenario: 'single',
			unknownStatusField: 'smtpCheck',
			missingField: 'ignored',
		},
		// The user service's account balance (docs/provider-apis.md §7): without `data` it is unreadable.
		{ route: 'credits', scenario: 'credits', unknownStatusField: null, missingField: 'needed' },
	],
	// `/request/list` serves at most 50 a page; request ids are whole numbers.
	listing: { route: 'list', pageSize: 50, jobIdPattern: /^\d+$/ },
	fuzz: {
		requestsPerMinute: 30,
		statusRoute: 'status',
		endings: ['completed'],
		watchesAllJobs: true,
	},
};
