// Tests nodes/shared/providers/simplecold/schemas.ts.
import { collectHeaders } from '../../../../../nodes/shared/csv/write';
import {
	extractErrorMessage,
	simplecoldColumnsSchema,
	simplecoldSingleSchema,
	simplecoldStatusSchema,
	simplecoldUploadSchema,
} from '../../../../../nodes/shared/providers/simplecold/schemas';
import { JOB_ID, completedBody } from './documented.fixtures';

describe('SimpleCold job status', () => {
	it('refuses a status body without payload.status, naming the path', () => {
		const parsed = simplecoldStatusSchema.safeParse({ status: 'SUCCESS', payload: { id: JOB_ID } });
		expect(parsed.success).toBe(false);
		expect(parsed.error?.issues[0].path).toEqual(['payload', 'status']);
		expect(simplecoldStatusSchema.safeParse({ status: 'SUCCESS' }).error?.issues[0].path).toEqual([
			'payload',
		]);
	});
});

describe('SimpleCold upload', () => {
	it('refuses an upload answer without a job id, naming the path', () => {
		const parsed = simplecoldUploadSchema.safeParse({
			status: 'SUCCESS',
			payload: { name: 'emails' },
		});
		expect(parsed.success).toBe(false);
		expect(parsed.error?.issues[0].path).toEqual(['payload', 'id']);
	});
});

describe('SimpleCold errors', () => {
	it.each([
		[{ status: 'FAILURE', message: 'Job not found' }, 'Job not found'],
		[{ status: 'FAILURE', message: 'Invalid API key' }, 'Invalid API key'],
		[
			{ status: 'FAILURE', message: 'Authorization header is required' },
			'Authorization header is required',
		],
		[{ status: 'FAILURE', message: 'Invalid email format' }, 'Invalid email format'],
		[
			{ status: 429, error: 'Rate limit exceeded. Maximum 10 requests per minute per API key.' },
			'Rate limit exceeded. Maximum 10 requests per minute per API key.',
		],
	])('reads %p', (body, message) => {
		expect(extractErrorMessage(body)).toBe(message);
	});

	it('finds no error in a success body', () => {
		expect(extractErrorMessage(completedBody)).toBeUndefined();
		expect(extractErrorMessage({ status: 'SUCCESS', message: 'fine' })).toBeUndefined();
	});
});

describe('SimpleCold single results', () => {
	it('refuses a single body without status, naming the path', () => {
		const parsed = simplecoldSingleSchema.safeParse({
			status: 'SUCCESS',
			payload: { email: 'a@b.io' },
		});
		expect(parsed.error?.issues[0].path).toEqual(['payload', 'status']);
	});
});

describe('SimpleCold downloads', () => {
	it('refuses rows without an email or status column, naming it', () => {
		const noEmail = simplecoldColumnsSchema.safeParse(
			collectHeaders([{ address: 'a@b.io', status: 'ok' }]),
		);
		expect(noEmail.error?.issues).toMatchObject([
			{
				path: ['email'],
				message: 'The SimpleCold result rows have no "email" column (columns: address, status)',
			},
		]);
		const noStatus = simplecoldColumnsSchema.safeParse(['email']);
		expect(noStatus.error?.issues[0].path).toEqual(['status']);
	});
});
