import { afterPoll, continueFrom, forgetCarried } from '../../../../../nodes/ThinksurancePollingTrigger/poll/carry';
import { emptyState, type PollState } from '../../../../../nodes/ThinksurancePollingTrigger/poll/memory';

const at = (state: PollState, lastPollAt: number): PollState => ({ ...state, lastPollAt });

describe('carrying what silent polls learnt', () => {
	beforeEach(() => forgetCarried());
	const stored = emptyState('acct', 1000);

	test('nothing carried: the stored memory', () => {
		expect(continueFrom('k', stored)).toBe(stored);
		expect(continueFrom('k', undefined)).toBeUndefined();
	});

	test('a silent poll is carried to the next poll while n8n still holds the older memory', () => {
		const silent = at(stored, 2000);
		afterPoll('k', silent, false);
		expect(continueFrom('k', stored)).toBe(silent);
		expect(continueFrom('other', stored)).toBe(stored);
	});

	test('an emitting poll drops what was carried: if n8n loses that execution, the stored memory finds the change again', () => {
		afterPoll('k', at(stored, 2000), false);
		afterPoll('k', at(stored, 3000), true);
		expect(continueFrom('k', stored)).toBe(stored);
	});

	test('never across accounts or activations, never older than the stored memory, never without one', () => {
		afterPoll('k', at(stored, 2000), false);
		expect(continueFrom('k', { ...stored, account: 'other' })?.account).toBe('other');
		const reactivated = emptyState('acct', 5000);
		expect(continueFrom('k', reactivated)).toBe(reactivated);
		const newer = at(stored, 9000);
		expect(continueFrom('k', newer)).toBe(newer);
		expect(continueFrom('k', undefined)).toBeUndefined();
	});
});
