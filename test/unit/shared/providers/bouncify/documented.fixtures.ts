// Documented bodies that both the normalize and the schemas tests read.

export const JOB_ID = 'r374aki32rnatv868nntpxloc7dkilszc3eu';

// Verbatim from docs/provider-apis.md §1.2.2.
export const completedBody = {
	job_id: 'r374aki32rnatv868nntpxloc7dkilszc3eu',
	status: 'completed',
	created_at: '08/13/2021, 9:39:37 AM',
	total: 2,
	verified: 2,
	pending: 0,
	analysis: { common_isp: 1, role_based: 1, disposable: 0, spamtrap: 0, syntax_error: 0 },
	results: { deliverable: 1, undeliverable: 0, accept_all: 1, unknown: 0 },
	success: true,
	message:
		'Verification completed successfully. Please download the result using /download endpoint',
};
