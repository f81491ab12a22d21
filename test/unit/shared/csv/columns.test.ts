// Tests nodes/shared/csv/columns.ts.
import {
	findColumn,
	headerKey,
	mapColumns,
	requiredColumnsSchema,
} from '../../../../nodes/shared/csv/columns';

describe('header lookup', () => {
	const headers = ['Email', 'Verification Result', ' Syntax Error ', 'verified_at'];

	it('ignores case, spaces, underscores and hyphens', () => {
		expect(headerKey(' Verified-At ')).toBe('verifiedat');
		expect(findColumn(headers, 'email')).toBe('Email');
		expect(findColumn(headers, 'VERIFICATION_RESULT')).toBe('Verification Result');
		expect(findColumn(headers, 'syntaxError')).toBe(' Syntax Error ');
		expect(findColumn(headers, 'Verified At')).toBe('verified_at');
		expect(findColumn(headers, 'missing')).toBeUndefined();
	});

	it('tries the wanted names in order', () => {
		expect(findColumn(headers, ['Result', 'Verification Result'])).toBe('Verification Result');
	});

	it('maps known fields and lists the other columns in file order', () => {
		expect(
			mapColumns(['first', 'EMAIL', 'status', 'last'], {
				email: ['email'],
				status: ['status'],
				trap: ['Trap'],
			}),
		).toEqual({
			columns: { email: 'EMAIL', status: 'status' },
			extra: ['first', 'last'],
		});
	});

	it('requires some fields, naming the first missing one by its first alias', () => {
		const schema = requiredColumnsSchema(
			{ email: ['Email', 'Address'], result: ['Result'], note: ['Note'] },
			['email', 'result'],
			(name, headers) => `no ${name} in ${headers}`,
		);
		expect(schema.parse(['note', 'address', 'RESULT'])).toEqual({
			columns: { email: 'address', result: 'RESULT', note: 'note' },
			extra: [],
		});
		expect(schema.safeParse(['Note']).error?.issues).toMatchObject([
			{ path: ['Email'], message: 'no Email in Note' },
		]);
		expect(schema.safeParse(['Email', 'x']).error?.issues).toMatchObject([
			{ path: ['Result'], message: 'no Result in Email, x' },
		]);
		expect(schema.safeParse([]).error?.issues[0].message).toBe('no Email in none');
	});
});
