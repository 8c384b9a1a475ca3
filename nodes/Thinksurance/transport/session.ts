/**
 * The security token of one API user, shared by every execution in this n8n process.
 * n8n keeps the token in the credential (database) too, so other processes of a queue-mode
 * cluster pick it up; this in-process copy adds what the database cannot: one refresh at a
 * time, even when many requests run in parallel.
 */
import { createHash } from 'crypto';

/** Refresh this long before the token expires, so no request starts with a dying token. */
export const REFRESH_MARGIN_MS = 60_000;

export type RefreshOutcome = { token: string; expiresAt: number } | { error: Error };

export class TokenSession {
	token = '';

	expiresAt = 0;

	/** Tokens the API has refused; never adopted again from the database. */
	private readonly refused = new Set<string>();

	/** The refresh in flight, which every other request waits for. */
	refresh?: Promise<RefreshOutcome>;

	usable(now = Date.now()): boolean {
		return this.token !== '' && this.expiresAt - REFRESH_MARGIN_MS > now;
	}

	/** Takes a token stored in the credential if it is newer than ours and still good. */
	adopt(token: unknown, expiresAt: unknown, now = Date.now()): void {
		if (typeof token !== 'string' || token === '' || token === this.token || this.refused.has(token)) return;
		const expiry = Number(expiresAt);
		if (!Number.isFinite(expiry) || expiry - REFRESH_MARGIN_MS <= now) return;
		if (this.usable(now) && expiry <= this.expiresAt) return;
		this.token = token;
		this.expiresAt = expiry;
	}

	set(token: string, expiresAt: number): void {
		this.token = token;
		this.expiresAt = expiresAt;
		this.refused.delete(token);
	}

	/** Drops a token the API refused, unless a newer one already replaced it. */
	invalidate(token: string): void {
		this.refused.add(token);
		if (this.refused.size > 16) this.refused.delete(this.refused.values().next().value as string);
		if (this.token === token) {
			this.token = '';
			this.expiresAt = 0;
		}
	}
}

const sessions = new Map<string, TokenSession>();

/**
 * The token shared by every request of one API user at one base URL in this process. The
 * secret is part of the key (as a digest): a credential with the right hash but a wrong
 * secret must not ride on the token another credential fetched.
 */
export function sessionFor(baseUrl: string, apiUserHash: string, apiUserSecret: string): TokenSession {
	const key = `${baseUrl}\u0000${apiUserHash}\u0000${createHash('sha256').update(apiUserSecret).digest('hex')}`;
	let session = sessions.get(key);
	if (!session) {
		session = new TokenSession();
		sessions.set(key, session);
	}
	return session;
}

/** For tests: forget every cached token. */
export function clearSessions(): void {
	sessions.clear();
}
