import { REFRESH_MARGIN_MS, TokenSession, clearSessions, sessionFor } from '../../../../../nodes/Thinksurance/transport/session';

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
