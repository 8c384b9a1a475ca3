/**
 * Sends one request with the API user's shared security token (see session.ts). n8n fetches a
 * missing token through the credential's preAuthentication and stores it in its database, so
 * every process of a queue-mode cluster shares it; this module adds one refresh at a time and
 * one request at a time while nobody knows whether the token still works.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { CREDENTIAL_TYPE, type ThinksuranceContext } from './context';
import { innermost, networkFailure, type Answer, type Failure } from './failures';
import { failureLoad, reportAnswer, statusLoad } from './pace';
import type { TokenSession, Turn } from './session';

/** One exchange, the token it was sent with, and the turn when this request went first. */
export type Sent = ({ answer: Answer } | { failure: Failure }) & { token: string; turn?: Turn };

/** The token request failed: the caller turns this into the credential error. */
export class TokenFailure extends Error {
	constructor(readonly original: unknown) {
		super('token request failed');
	}
}

/**
 * Sends with the shared token. A token an answer has accepted in this process is used by
 * every request at once. Otherwise (a token stored by n8n that may have been revoked, one
 * fetched just now, or none) one request goes first and the others wait for its answer:
 * a refused token then costs one request, not one per item in flight. The request that
 * goes first gets `turn` back and keeps it until its answer is judged; without a usable
 * token it is also the one that lets n8n fetch a new one.
 */
export async function sendWithSession(
	ctx: ThinksuranceContext,
	credentials: ICredentialDataDecryptedObject,
	session: TokenSession,
	request: IHttpRequestOptions,
	redact: (text: string) => string,
	itemIndex: number | undefined,
	turn: Turn | undefined,
	call = 'api',
): Promise<Sent> {
	// A request that waited for a first one does not queue up again for the same token:
	// when that answer said nothing about the token (5xx, timeout), all go at once.
	let waited = false;
	let storedRead = false;
	let handedOver = false;
	try {
		for (;;) {
			session.adopt(credentials.securityToken, credentials.securityTokenExpiresAt);
			if (session.usable() && (turn || session.confirmed() || waited)) {
				const token = session.token;
				const sent = await send(ctx, { ...credentials, securityToken: token }, request, redact, call);
				// With a token in hand n8n does not ask for another, so this cannot happen; be safe anyway.
				if ('tokenFailure' in sent) throw new TokenFailure(sent.tokenFailure);
				handedOver = true;
				return { ...sent, token, turn };
			}
			if (!turn) {
				if (session.busy()) {
					const outcome = await session.wait();
					if (outcome.error) throw new TokenFailure(outcome.error);
					waited = true;
				} else {
					turn = session.takeTurn();
				}
				continue;
			}
			if (!storedRead) {
				// Another process (queue mode) may have stored a newer token: try that before asking for one.
				storedRead = true;
				if (await adoptStoredToken(ctx, credentials, session, itemIndex)) continue;
			}
			const data: ICredentialDataDecryptedObject = { ...credentials, securityToken: '' };
			const sent = await send(ctx, data, request, redact, call);
			if ('tokenFailure' in sent) {
				// The waiting requests fail with the same answer instead of asking again each.
				turn.release({ error: sent.tokenFailure });
				throw new TokenFailure(sent.tokenFailure);
			}
			const token = String(data.securityToken ?? '');
			if (token) {
				const expiresAt = Number(data.securityTokenExpiresAt);
				session.set(token, expiresAt);
				credentials.securityToken = token;
				credentials.securityTokenExpiresAt = expiresAt;
			}
			handedOver = true;
			return { ...sent, token, turn };
		}
	} finally {
		// Never leave the others waiting for a request that failed before its answer was judged.
		if (!handedOver) turn?.release();
	}
}

/** Reads n8n's stored copy of the credential; true when it holds a usable token we may try. */
async function adoptStoredToken(
	ctx: ThinksuranceContext,
	credentials: ICredentialDataDecryptedObject,
	session: TokenSession,
	itemIndex: number | undefined,
): Promise<boolean> {
	let stored: ICredentialDataDecryptedObject;
	try {
		stored = await ctx.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE, itemIndex);
	} catch {
		// Only a shortcut: without the stored copy a new token is fetched as usual.
		return false;
	}
	session.adopt(stored.securityToken, stored.securityTokenExpiresAt);
	if (!session.usable()) return false;
	credentials.securityToken = session.token;
	credentials.securityTokenExpiresAt = session.expiresAt;
	return true;
}

/**
 * One HTTP exchange, reported to the run's pace (pace.ts). Network failures come back as a
 * Failure; a failed token request as tokenFailure.
 */
async function send(
	ctx: ThinksuranceContext,
	data: ICredentialDataDecryptedObject,
	request: IHttpRequestOptions,
	redact: (text: string) => string,
	call: string,
): Promise<{ answer: Answer } | { failure: Failure } | { tokenFailure: Error }> {
	const reference = ctx.getNode().credentials?.[CREDENTIAL_TYPE];
	const tokenBefore = data.securityToken;
	const startedAt = Date.now();
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, { ...request }, {
			credentialsDecrypted: { id: reference?.id ?? '', name: reference?.name ?? '', type: CREDENTIAL_TYPE, data },
		})) as IN8nHttpFullResponse;
		const headers = response.headers ?? {};
		reportAnswer(ctx, { call, startedAt, durationMs: Date.now() - startedAt, ...statusLoad(response.statusCode, headers) });
		return { answer: { statusCode: response.statusCode, headers, body: response.body } };
	} catch (error) {
		// n8n fetches the token before sending: without one, the failure was the token request.
		if (tokenBefore === '' && !data.securityToken) return { tokenFailure: innermost(error) as Error };
		const failure = networkFailure(error, redact);
		reportAnswer(ctx, { call, startedAt, durationMs: Date.now() - startedAt, load: failureLoad(failure.kind) });
		return { failure };
	}
}
