// Documented bodies that both the normalize and the schemas tests read.

// Verbatim from docs/provider-apis.md §4.2.3.
export const statusBody = {
	response: [
		{
			id: 544,
			date_start: '1528204702',
			total_emails: 500,
			invalid_emails: 0,
			processed_emails: 500,
			failed_emails: 0,
			ready: 1,
		},
		{
			id: 595,
			date_start: '1528377227',
			total_emails: 20,
			invalid_emails: 0,
			processed_emails: 20,
			failed_emails: 0,
			ready: 1,
		},
		{
			id: 596,
			date_start: '1528377253',
			total_emails: 3,
			invalid_emails: 0,
			processed_emails: 3,
			failed_emails: 0,
			ready: 1,
		},
	],
};

// Verbatim from docs/provider-apis.md §4.2.2.
export const listBody = {
	response: {
		current_page: 1,
		data: [
			{
				id: 596,
				date_start: '1528377253',
				total_emails: 3,
				invalid_emails: 0,
				processed_emails: 3,
				failed_emails: 0,
				ready: 1,
			},
		],
		from: 1,
		last_page: 1,
		per_page: 10,
		to: 3,
		total: 3,
	},
};

// Verbatim from docs/provider-apis.md §4.3.
export const singleBody = {
	username: 'support',
	domain: 'whoisxmlapi.com',
	emailAddress: 'support@whoisxmlapi.com',
	formatCheck: 'true',
	smtpCheck: 'true',
	dnsCheck: 'true',
	freeCheck: 'false',
	disposableCheck: 'false',
	catchAllCheck: 'true',
	mxRecords: ['aspmx.l.google.com'],
	audit: {
		auditCreatedDate: '2023-10-17 06:24:50.012 UTC',
		auditUpdatedDate: '2023-10-17 06:24:50.012 UTC',
	},
};
