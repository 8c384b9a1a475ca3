import { REFRESH_MARGIN_MS, TokenSession, clearSessions, sessionFor } from '../../../../../nodes/shared/api/session';

const NOW = 1_750_000_000_000;
const MIN = 60_000;

describe('TokenSession.usable', () => {
	test('a fresh session has no usable token', () => {
		expect(new TokenSession().usable(NOW)).toBe(false);
	});

	test('respects the 60 s refresh margin', () => {
		expect(REFRESH_MARGIN_MS).toBe(60_000);
		const session = new TokenSession();
		session.set('t1', NOW + 15 * MIN);
		expect(session.usable(NOW)).toBe(true);
		expect(session.usable(NOW + 15 * MIN - 60_001)).toBe(true);
		expect(session.usable(NOW + 15 * MIN - 60_000)).toBe(false);
		expect(session.usable(NOW + 15 * MIN - 30_000)).toBe(false);
		expect(session.usable(NOW + 16 * MIN)).toBe(false);
	});
});

describe('TokenSession.adopt (token stored in the credential)', () => {
	test('takes a good token', () => {
		const session = new TokenSession();
		session.adopt('stored', NOW + 10 * MIN, NOW);
		expect(session.token).toBe('stored');
		expect(session.expiresAt).toBe(NOW + 10 * MIN);
		expect(session.usable(NOW)).toBe(true);
	});

	test('accepts the expiry as numeric text (credential data is not typed)', () => {
		const session = new TokenSession();
		session.adopt('stored', String(NOW + 10 * MIN), NOW);
		expect(session.expiresAt).toBe(NOW + 10 * MIN);
	});

	test.each([
		['expired', 'stored', NOW - 1],
		['inside the refresh margin', 'stored', NOW + 30_000],
		['exactly at the margin', 'stored', NOW + 60_000],
		['without expiry', 'stored', undefined],
		['with a garbage expiry', 'stored', 'soon'],
		['empty', '', NOW + 10 * MIN],
		['not text', 12345, NOW + 10 * MIN],
	])('ignores a token that is %s', (_, token, expiresAt) => {
		const session = new TokenSession();
		session.adopt(token, expiresAt, NOW);
		expect(session.token).toBe('');
		expect(session.usable(NOW)).toBe(false);
	});

	test('never takes back a token the API refused', () => {
		const session = new TokenSession();
		session.set('bad', NOW + 10 * MIN);
		session.invalidate('bad');
		session.adopt('bad', NOW + 14 * MIN, NOW);
		expect(session.token).toBe('');
	});

	test('keeps its own good token when the stored one expires sooner', () => {
		const session = new TokenSession();
		session.set('mine', NOW + 14 * MIN);
		session.adopt('older', NOW + 5 * MIN, NOW);
		expect(session.token).toBe('mine');
	});

	test('switches to a stored token that lives longer', () => {
		const session = new TokenSession();
		session.set('mine', NOW + 5 * MIN);
		session.adopt('newer', NOW + 14 * MIN, NOW);
		expect(session.token).toBe('newer');
	});

	test('replaces its own token once that is no longer usable', () => {
		const session = new TokenSession();
		session.set('mine', NOW + 30_000);
		session.adopt('stored', NOW + 2 * MIN, NOW);
		expect(session.token).toBe('stored');
	});
});

describe('TokenSession.invalidate', () => {
	test('clears the matching token', () => {
		const session = new TokenSession();
		session.set('t1', NOW + 10 * MIN);
		session.invalidate('t1');
		expect(session.token).toBe('');
		expect(session.expiresAt).toBe(0);
		expect(session.usable(NOW)).toBe(false);
	});

	test('leaves a newer token alone (another request already refreshed)', () => {
		const session = new TokenSession();
		session.set('t2', NOW + 14 * MIN);
		session.invalidate('t1');
		expect(session.token).toBe('t2');
		expect(session.usable(NOW)).toBe(true);
	});

	test('set() of a refused token (the API issued it again) makes it usable', () => {
		const session = new TokenSession();
		session.invalidate('t1');
		session.set('t1', NOW + 14 * MIN);
		expect(session.usable(NOW)).toBe(true);
		session.invalidate('other');
		session.token = '';
		session.adopt('t1', NOW + 14 * MIN, NOW);
		expect(session.token).toBe('t1');
	});

	test('remembers a bounded number of refused tokens', () => {
		const session = new TokenSession();
		for (let i = 0; i < 40; i++) session.invalidate(`t${i}`);
		// The oldest refusals are forgotten, the recent ones still block adoption.
		session.adopt('t0', NOW + 10 * MIN, NOW);
		expect(session.token).toBe('t0');
		const fresh = new TokenSession();
		for (let i = 0; i < 40; i++) fresh.invalidate(`t${i}`);
		fresh.adopt('t39', NOW + 10 * MIN, NOW);
		expect(fresh.token).toBe('');
	});
});

describe('TokenSession.confirm (an answer accepted the token)', () => {
	test('a token set or adopted is not confirmed until an answer accepts it', () => {
		const session = new TokenSession();
		session.adopt('stored', NOW + 10 * MIN, NOW);
		expect(session.confirmed()).toBe(false);
		session.confirm('stored');
		expect(session.confirmed()).toBe(true);
		session.set('fresh', NOW + 14 * MIN);
		expect(session.confirmed()).toBe(false);
	});

	test('confirming a token that is no longer the current one changes nothing', () => {
		const session = new TokenSession();
		session.set('t2', NOW + 14 * MIN);
		session.confirm('t1');
		expect(session.confirmed()).toBe(false);
		session.confirm('');
		expect(session.confirmed()).toBe(false);
	});

	test('a refused token loses its confirmation, also if the API issues it again', () => {
		const session = new TokenSession();
		session.set('t1', NOW + 14 * MIN);
		session.confirm('t1');
		session.invalidate('t1');
		expect(session.confirmed()).toBe(false);
		session.set('t1', NOW + 14 * MIN);
		expect(session.confirmed()).toBe(false);
	});

	test('adopting another stored token (another process fetched it) needs a new confirmation', () => {
		const session = new TokenSession();
		session.set('t1', NOW + 5 * MIN);
		session.confirm('t1');
		session.adopt('t2', NOW + 14 * MIN, NOW);
		expect(session.confirmed()).toBe(false);
	});
});

describe('TokenSession turns (one request goes first)', () => {
	test('busy while a turn is held; waiters get the outcome once it is released', async () => {
		const session = new TokenSession();
		expect(session.busy()).toBe(false);
		const turn = session.takeTurn();
		expect(session.busy()).toBe(true);
		const waiters = [session.wait(), session.wait()];
		const error = new Error('token endpoint down');
		turn.release({ error });
		expect(session.busy()).toBe(false);
		await expect(Promise.all(waiters)).resolves.toEqual([{ error }, { error }]);
	});

	test('release is idempotent and never frees a later turn', async () => {
		const session = new TokenSession();
		const first = session.takeTurn();
		const waiting = session.wait();
		first.release();
		await expect(waiting).resolves.toEqual({});
		const second = session.takeTurn();
		first.release({ error: new Error('late') });
		expect(session.busy()).toBe(true);
		second.release();
		expect(session.busy()).toBe(false);
	});

	test('wait() without a turn resolves at once', async () => {
		await expect(new TokenSession().wait()).resolves.toEqual({});
	});
});

describe('sessionFor', () => {
	afterEach(() => clearSessions());

	test('one session per base URL and API user', () => {
		const a = sessionFor('https://app.thinksurance.de', 'hash-1', 'secret-1');
		expect(sessionFor('https://app.thinksurance.de', 'hash-1', 'secret-1')).toBe(a);
		expect(sessionFor('https://app.thinksurance.de', 'hash-2', 'secret-1')).not.toBe(a);
		expect(sessionFor('https://app.dev.thinksurance.de', 'hash-1', 'secret-1')).not.toBe(a);
		// The right hash with a wrong secret must not get the token of the real API user.
		expect(sessionFor('https://app.thinksurance.de', 'hash-1', 'wrong-secret')).not.toBe(a);
	});

	test('clearSessions forgets every token', () => {
		const a = sessionFor('https://x', 'h', 's');
		a.set('t', NOW + 10 * MIN);
		clearSessions();
		expect(sessionFor('https://x', 'h', 's')).not.toBe(a);
		expect(sessionFor('https://x', 'h', 's').token).toBe('');
	});
});
