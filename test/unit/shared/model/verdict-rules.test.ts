// Tests nodes/shared/model/verdict-rules.ts.
import {
	ACCEPTED,
	UNVERIFIABLE,
	applyCatchAllRule,
	catchAllOutcome,
} from '../../../../nodes/shared/model/verdict-rules';

describe('catch-all rule', () => {
	it('makes native catch-all risky by default and unknown when turned off', () => {
		expect(catchAllOutcome()).toEqual({ verdict: 'risky', reason: 'catch_all' });
		expect(catchAllOutcome({ catchAllAsRisky: false })).toEqual({
			verdict: 'unknown',
			reason: 'catch_all',
		});
	});

	it('upgrades unknown on a catch-all domain unless SMTP failed', () => {
		expect(applyCatchAllRule(UNVERIFIABLE, { catchAll: true })).toEqual({
			verdict: 'risky',
			reason: 'catch_all',
		});
		expect(applyCatchAllRule(UNVERIFIABLE, { catchAll: true, smtpAccepted: true })).toEqual({
			verdict: 'risky',
			reason: 'catch_all',
		});
		expect(applyCatchAllRule(UNVERIFIABLE, { catchAll: true, smtpAccepted: false })).toBe(
			UNVERIFIABLE,
		);
		expect(applyCatchAllRule(UNVERIFIABLE, { catchAll: false })).toBe(UNVERIFIABLE);
		expect(applyCatchAllRule(UNVERIFIABLE, {})).toBe(UNVERIFIABLE);
	});

	it('never touches other verdicts', () => {
		expect(applyCatchAllRule(ACCEPTED, { catchAll: true })).toBe(ACCEPTED);
	});

	it('with the rule off, an upgraded unknown stays unknown but names the catch-all', () => {
		expect(applyCatchAllRule(UNVERIFIABLE, { catchAll: true }, { catchAllAsRisky: false })).toEqual(
			{
				verdict: 'unknown',
				reason: 'catch_all',
			},
		);
	});
});
