// Tests nodes/shared/providers/whoisxml/schemas.ts.
import {
	extractErrorMessage,
	whoisxmlCompletedSchema,
	whoisxmlCreateSchema,
	whoisxmlSingleSchema,
	whoisxmlStatusSchema,
} from '../../../../../nodes/shared/providers/whoisxml/schemas';
import { listBody, singleBody, statusBody } from './documented.fixtures';

describe('WhoisXML job status', () => {
	it('refuses a row without ready or id, naming the path', () => {
		const noReady = whoisxmlStatusSchema.safeParse({ response: [{ id: 5 }] });
		expect(noReady.success).toBe(false);
		expect(noReady.error?.issues[0].path).toEqual(['response', 0, 'ready']);
		const noId = whoisxmlStatusSchema.safeParse({ response: [{ ready: 1 }] });
		expect(noId.error?.issues[0].path).toEqual(['response', 0, 'id']);
		const badId = whoisxmlStatusSchema.safeParse({ response: [{ id: 'abc', ready: 1 }] });
		expect(badId.error?.issues[0].path).toEqual(['response', 0, 'id']);
	});

	it('refuses an error envelope as a status body', () => {
		const parsed = whoisxmlStatusSchema.safeParse({
			response: { error: 'Authorisation or authentication failed' },
		});
		expect(parsed.error?.issues[0].path).toEqual(['response']);
	});

	it('parses the documented create body with an int or numeric-string id', () => {
		expect(whoisxmlCreateSchema.parse({ response: { id: 5 } }).response.id).toBe(5);
		expect(whoisxmlCreateSchema.parse({ response: { id: '5' } }).response.id).toBe('5');
		expect(whoisxmlCreateSchema.safeParse({ response: {} }).error?.issues[0].path).toEqual([
			'response',
			'id',
		]);
	});
});

describe('WhoisXML errors', () => {
	it.each([
		[
			{
				response: {
					errors: ['The format field should have one of the following values: json, xml.'],
				},
			},
			'The format field should have one of the following values: json, xml.',
		],
		[
			{ response: { errors: ['First problem.', 'Second problem.'] } },
			'First problem.; Second problem.',
		],
		[
			{ response: { error: 'Authorisation or authentication failed' } },
			'Authorisation or authentication failed',
		],
		[{ response: { error: 'Insufficient balance' } }, 'Insufficient balance'],
		[{ response: { error: 'Wrong request id' } }, 'Wrong request id'],
		[
			{
				ErrorMessage: {
					msg: 'Access restricted. Check credits balance or enter the correct API key.',
				},
			},
			'Access restricted. Check credits balance or enter the correct API key.',
		],
		[{ ErrorMessage: { Error: 'ERROR', msg: '' } }, 'ERROR'],
		['{"response":{"error":"Wrong request id"}}', 'Wrong request id'],
	])('reads %p', (body, message) => {
		expect(extractErrorMessage(body)).toBe(message);
	});

	it('finds no error in success bodies', () => {
		expect(extractErrorMessage(statusBody)).toBeUndefined();
		expect(extractErrorMessage({ response: { id: 5 } })).toBeUndefined();
		expect(extractErrorMessage(listBody)).toBeUndefined();
		expect(extractErrorMessage(singleBody)).toBeUndefined();
	});
});

describe('WhoisXML completed rows', () => {
	it('refuses a row without emailAddress, naming the path', () => {
		const parsed = whoisxmlCompletedSchema.safeParse({ response: [{ result: 'bad' }] });
		expect(parsed.error?.issues[0].path).toEqual(['response', 0, 'emailAddress']);
	});
});

describe('WhoisXML single v3', () => {
	it('refuses a body without emailAddress, naming the path', () => {
		const parsed = whoisxmlSingleSchema.safeParse({ ErrorMessage: { msg: 'x' } });
		expect(parsed.error?.issues[0].path).toEqual(['emailAddress']);
	});
});
