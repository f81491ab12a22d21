// Tests nodes/shared/providers/check365/schemas.ts.
import {
	check365CreateSchema,
	check365StatusSchema,
	extractErrorMessage,
} from '../../../../../nodes/shared/providers/check365/schemas';
import { statusBody } from './documented.fixtures';

describe('Check365 job status', () => {
	it('refuses a body without data, naming the path', () => {
		const parsed = check365StatusSchema.safeParse({ success: true, message: 'ok' });
		expect(parsed.success).toBe(false);
		expect(parsed.error?.issues[0].path).toEqual(['data']);
	});

	it('refuses a result row without email, naming the path', () => {
		const parsed = check365StatusSchema.safeParse({
			data: { status: 'completed', results: [{ status: 'active' }] },
		});
		expect(parsed.error?.issues[0].path).toEqual(['data', 'results', 0, 'email']);
	});
});

describe('Check365 create and errors', () => {
	it('parses the documented create body', () => {
		const body = {
			success: true,
			message: 'Emails have been sent for validation.',
			job_id: 'YOUR_JOB_ID',
		};
		expect(check365CreateSchema.parse(body)).toEqual(body);
		expect(check365CreateSchema.parse({ success: 'true' }).success).toBe('true');
	});

	it('reads the message of a failed envelope only', () => {
		expect(extractErrorMessage({ success: false, message: 'Invalid API key' })).toBe(
			'Invalid API key',
		);
		expect(extractErrorMessage({ success: 'false', error: 'Job not found' })).toBe('Job not found');
		expect(extractErrorMessage({ message: 'Unauthorized' })).toBe('Unauthorized');
		expect(extractErrorMessage(statusBody)).toBeUndefined();
		expect(extractErrorMessage('<html>')).toBeUndefined();
	});
});
