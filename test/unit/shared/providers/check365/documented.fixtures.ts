// Documented bodies that both the normalize and the schemas tests read.

// Verbatim from docs/provider-apis.md §2.2.2.
export const statusBody = {
	success: true,
	message: 'Job has been completed',
	data: {
		jobId: 'YOUR_JOB_ID',
		status: 'completed',
		creditsUsed: 12,
		progress: 100,
		total: 2,
		results: [
			{
				email: 'name@company.com',
				emailProvider: 'unknown',
				emailType: 'unknown',
				status: 'unvalidated',
				safeToSend: false,
				risk: 'high',
				isRole: false,
				statusReason: 'invalid_domain',
			},
		],
	},
};
