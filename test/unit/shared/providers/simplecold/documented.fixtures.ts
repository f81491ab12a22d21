// Documented bodies that both the normalize and the schemas tests read.

export const JOB_ID = '550e8400-e29b-41d4-a716-446655440000';

export const completedBody = {
	status: 'SUCCESS',
	payload: {
		id: '550e8400-e29b-41d4-a716-446655440000',
		name: 'emails',
		totalEmails: 1000,
		totalValidEmails: 850,
		totalCreditsUsed: 1000,
		status: 'COMPLETED',
		createdAt: '2024-01-15T10:30:00Z',
		updatedAt: '2024-01-15T10:45:00Z',
	},
};
