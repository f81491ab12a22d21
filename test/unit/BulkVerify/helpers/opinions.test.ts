// Tests nodes/BulkVerify/helpers/opinions.ts: which provider's verdict a second-opinion row keeps.
import type { IDataObject } from 'n8n-workflow';

import type { Opinion } from '../../../../nodes/BulkVerify/helpers/opinions';
import { mergedRow, opinionOf, settle } from '../../../../nodes/BulkVerify/helpers/opinions';

const opinion = (provider: string, verdict: Opinion['verdict'], reason = 'other'): Opinion => ({
	provider,
	verdict,
	reason,
	providerStatus: null,
	jobId: null,
});

describe('opinionOf', () => {
	it('reads a Bulk Verify result item', () => {
		expect(
			opinionOf({
				email: 'a@x.io',
				verdict: 'unknown',
				reason: 'unverifiable',
				providerStatus: 'unknown',
				provider: 'bouncify',
				jobId: 'j1',
			}),
		).toEqual({
			provider: 'bouncify',
			verdict: 'unknown',
			reason: 'unverifiable',
			providerStatus: 'unknown',
			jobId: 'j1',
		});
	});

	it('keeps a numeric job id as text', () => {
		expect(opinionOf({ verdict: 'risky', provider: 'whoisxml', jobId: 42 })?.jobId).toBe('42');
	});

	it.each([
		['no verdict', { provider: 'bouncify' }],
		['a verdict outside the schema', { verdict: 'maybe', provider: 'bouncify' }],
		['no provider', { verdict: 'unknown' }],
		['a lead, not a result', { email: 'a@x.io', name: 'Ada' }],
	])('is undefined for %s', (_title, json) => {
		expect(opinionOf(json as IDataObject)).toBeUndefined();
	});
});

describe('settle', () => {
	it('without a second opinion the first stands', () => {
		expect(settle(opinion('bouncify', 'unknown'), undefined)).toEqual({
			decidedBy: 'bouncify',
			secondDecides: false,
			agree: null,
		});
	});

	it.each([
		['unknown', 'deliverable', true],
		['unknown', 'undeliverable', true],
		['unknown', 'risky', true],
		['risky', 'deliverable', true],
		['risky', 'undeliverable', true],
		['unknown', 'unknown', false],
		['risky', 'risky', false],
		['risky', 'unknown', false],
		['deliverable', 'unknown', false],
		['deliverable', 'undeliverable', false],
	] as const)('first %s, second %s: the second decides = %s', (first, second, decides) => {
		const settled = settle(opinion('bouncify', first), opinion('check365', second));
		expect(settled.secondDecides).toBe(decides);
		expect(settled.decidedBy).toBe(decides ? 'check365' : 'bouncify');
		expect(settled.agree).toBe(first === second);
	});
});

describe('mergedRow', () => {
	const input = {
		email: 'unknown.ada@x.io',
		verdict: 'unknown',
		reason: 'unverifiable',
		provider: 'bouncify',
		jobId: 'b1',
		name: 'Ada',
	};
	const first = opinionOf(input)!;

	it('takes the deciding second result and keeps the input fields', () => {
		const json = {
			email: 'unknown.ada@x.io',
			verdict: 'deliverable',
			reason: 'accepted',
			provider: 'check365',
			jobId: 'c1',
			safeToSend: true,
		};
		const row = mergedRow(input, first, { opinion: opinionOf(json)!, json });
		expect(row).toMatchObject({
			email: 'unknown.ada@x.io',
			name: 'Ada',
			verdict: 'deliverable',
			reason: 'accepted',
			safeToSend: true,
			provider: 'check365',
			jobId: 'c1',
			decidedBy: 'check365',
			opinionsAgree: false,
		});
		expect(row.opinions).toEqual([first, opinionOf(json)]);
	});

	it('keeps the first where the second says no more', () => {
		const json = { verdict: 'unknown', provider: 'check365', reason: 'unverifiable' };
		const row = mergedRow(input, first, { opinion: opinionOf(json)!, json });
		expect(row).toMatchObject({
			verdict: 'unknown',
			provider: 'bouncify',
			decidedBy: 'bouncify',
			opinionsAgree: true,
		});
		expect(row.opinions).toHaveLength(2);
	});

	it('a row not rechecked carries its one opinion', () => {
		const row = mergedRow(input, first, undefined);
		expect(row).toMatchObject({ ...input, decidedBy: 'bouncify', opinionsAgree: null });
		expect(row.opinions).toEqual([first]);
	});
});
