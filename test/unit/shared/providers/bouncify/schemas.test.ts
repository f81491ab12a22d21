// Tests nodes/shared/providers/bouncify/schemas.ts.
import {
	bouncifyCreateSchema,
	bouncifyCreditsSchema,
	bouncifyCsvColumnsSchema,
	bouncifyDeleteSchema,
	bouncifySingleSchema,
	bouncifyStartSchema,
	bouncifyStatusSchema,
	extractErrorMessage,
} from '../../../../../nodes/shared/providers/bouncify/schemas';
import { JOB_ID, completedBody } from './documented.fixtures';

describe('Bouncify job status', () => {
	it('refuses a status body without status, naming the path', () => {
		const parsed = bouncifyStatusSchema.safeParse({ job_id: JOB_ID, success: true });
		expect(parsed.success).toBe(false);
		expect(parsed.error?.issues[0].path).toEqual(['status']);
	});
});

describe('Bouncify acknowledgements', () => {
	it('parses the documented create body and refuses one without job_id', () => {
		const body = {
			job_id: JOB_ID,
			success: true,
			message: 'Bulk email verification list has been created',
		};
		expect(bouncifyCreateSchema.parse(body)).toEqual(body);
		const parsed = bouncifyCreateSchema.safeParse({ success: true, message: 'x' });
		expect(parsed.error?.issues[0].path).toEqual(['job_id']);
	});

	it('parses the documented start and delete bodies', () => {
		const start = {
			job_id: JOB_ID,
			success: true,
			message:
				'Job verification will be attempted shortly. Call /status endpoint to know the status of the Job',
		};
		expect(bouncifyStartSchema.parse(start).message).toBe(start.message);
		expect(
			bouncifyDeleteSchema.parse({ job_id: JOB_ID, success: true, message: 'List will be deleted' })
				.message,
		).toBe('List will be deleted');
	});

	it('parses the documented credits body and refuses one without credits_remaining', () => {
		expect(
			bouncifyCreditsSchema.parse({ success: true, credits_info: { credits_remaining: 100 } })
				.credits_info.credits_remaining,
		).toBe(100);
		expect(
			bouncifyCreditsSchema.parse({ credits_info: { credits_remaining: '42' } }).credits_info
				.credits_remaining,
		).toBe(42);
		const parsed = bouncifyCreditsSchema.safeParse({ success: true, credits_info: {} });
		expect(parsed.error?.issues[0].path).toEqual(['credits_info', 'credits_remaining']);
	});
});

describe('Bouncify errors', () => {
	it.each([
		[{ result: 'Invalid API Key', success: false }, 'Invalid API Key'],
		[{ success: 'false', result: 'Invalid API Key' }, 'Invalid API Key'],
		[
			{ success: 'false', result: 'Insufficient verification credits' },
			'Insufficient verification credits',
		],
		[{ result: 'Job not found. Invalid jobId', success: false }, 'Job not found. Invalid jobId'],
		[
			{ success: false, message: 'The maximum number of lists has been reached.' },
			'The maximum number of lists has been reached.',
		],
		['{"result":"DOWNLOAD-RESTRICTED","success":false}', 'DOWNLOAD-RESTRICTED'],
	])('reads %p', (body, message) => {
		expect(extractErrorMessage(body)).toBe(message);
	});

	it('finds no error in a success body or a non-envelope', () => {
		expect(extractErrorMessage(completedBody)).toBeUndefined();
		expect(
			extractErrorMessage({ result: 'deliverable', success: true, email: 'a@b.io' }),
		).toBeUndefined();
		expect(extractErrorMessage('"Email","Verification Result"')).toBeUndefined();
		expect(extractErrorMessage(undefined)).toBeUndefined();
		expect(extractErrorMessage({ success: false })).toBeUndefined();
	});
});

describe('Bouncify result CSV', () => {
	it('refuses a CSV without the Email or Verification Result column', () => {
		const noEmail = bouncifyCsvColumnsSchema.safeParse(['Address', 'Verification Result']);
		expect(noEmail.success).toBe(false);
		expect(noEmail.error?.issues).toMatchObject([
			{
				path: ['Email'],
				message:
					'The Bouncify result CSV has no "Email" column (headers: Address, Verification Result)',
			},
		]);
		const noResult = bouncifyCsvColumnsSchema.safeParse(['Email']);
		expect(noResult.error?.issues[0].path).toEqual(['Verification Result']);
		const noHeaders = bouncifyCsvColumnsSchema.safeParse([]);
		expect(noHeaders.error?.issues[0].message).toBe(
			'The Bouncify result CSV has no "Email" column (headers: none)',
		);
	});
});

describe('Bouncify single verify', () => {
	it('refuses an error envelope as a single result, naming the missing email', () => {
		const parsed = bouncifySingleSchema.safeParse({ success: 'false', result: 'Invalid API Key' });
		expect(parsed.success).toBe(false);
		expect(parsed.error?.issues.map((issue) => issue.path)).toEqual([['email']]);
	});
});
