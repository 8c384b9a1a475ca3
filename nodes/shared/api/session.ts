/**
 * The security token of one API user, shared by every execution in this n8n process.
 * n8n keeps the token in the credential (database) too, so other processes of a queue-mode
 * cluster pick it up; this in-process copy adds what the database cannot: one refresh at a
 * time, and one request at a time while nobody knows whether the token still works.
 */
import { createHash } from 'crypto';

/** Refresh this long before the token expires, so no request starts with a dying token. */
export const REFRESH_MARGIN_MS = 60_000;

/** What the request that went first tells the ones that waited: go on, or its token error. */
export type TurnOutcome = { error?: Error };

/** Held by the request that goes first; release() lets the waiting ones go (once). */
export interface Turn {
	release(outcome?: TurnOutcome): void;
}

export class TokenSession {
	token = '';

	expiresAt = 0;

	/** Tokens the API has refused; never adopted again from the database. */
	private readonly refused = new Set<string>();

	/** The token an answer of the API has accepted in this process. */
	private acceptedToken = '';

	/**
	 * Set while one request fetches a token or tries one nobody here has seen accepted (a
	 * token stored by another process, revoked early …): every other request waits for it.
	 */
	private turn?: Promise<TurnOutcome>;

	usable(now = Date.now()): boolean {
		return this.token !== '' && this.expiresAt - REFRESH_MARGIN_MS > now;
	}

	/** Whether an answer accepted the current token: then requests go without waiting. */
	confirmed(): boolean {
		return this.token !== '' && this.token === this.acceptedToken;
	}

	/** An answer accepted this token (success, or an error about something else). */
	confirm(token: string): void {
		if (token !== '' && token === this.token) this.acceptedToken = token;
	}

	/** Whether a request is finding out about the token; wait() waits for its outcome. */
	busy(): boolean {
		return this.turn !== undefined;
	}

	async wait(): Promise<TurnOutcome> {
		return (await this.turn) ?? {};
	}

	/** Makes the caller the request that goes first; the others wait until it releases. */
	takeTurn(): Turn {
		let settle: (outcome: TurnOutcome) => void = () => undefined;
		const turn = new Promise<TurnOutcome>((resolve) => (settle = resolve));
		this.turn = turn;
		let released = false;
		return {
			release: (outcome: TurnOutcome = {}) => {
				if (released) return;
				released = true;
				if (this.turn === turn) this.turn = undefined;
				settle(outcome);
			},
		};
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
		if (this.acceptedToken === token) this.acceptedToken = '';
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
