/**
 * Getting the short-lived security token (15 min) and putting it where a dialect wants it. The
 * credential's preAuthentication calls requestSecurityToken (n8n then stores the token in its
 * database, shared by a queue-mode cluster); its authenticate calls placeSecurityToken.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import { apiVersionLabel, apiVersionOf, baseUrlFor, otherApiVersion, type ApiVersion } from './hosts';
import { redactText } from './redact';

/** Placeholder the request builder puts where the security token belongs; authenticate fills it in. */
export const SECURITY_TOKEN_PLACEHOLDER = '{securityToken}';

/**
 * Token paths per dialect. V1.1 has no published token page: /api/token on the V1.1 host, and
 * /api/ipn/tokens (documented briefly) where that path is not found.
 */
const TOKEN_PATHS: Record<ApiVersion, string[]> = { v1: ['/api/token'], 'v1.1': ['/api/token', '/api/ipn/tokens'] };

/** Reads the API's `error` field, which it also sends with HTTP 200. */
function apiErrorText(body: unknown): string | undefined {
	if (body && typeof body === 'object' && !Array.isArray(body) && 'error' in body) {
		const error = (body as IDataObject).error;
		if (typeof error === 'string') return error;
		if (error && typeof error === 'object' && typeof (error as IDataObject).message === 'string') {
			return (error as IDataObject).message as string;
		}
		return JSON.stringify(error);
	}
	return undefined;
}

type TokenAnswer = { token: string; expired: unknown } | { refused: string; unknownPath?: boolean };

async function askForToken(helper: IHttpRequestHelper, url: string, credentials: ICredentialDataDecryptedObject): Promise<TokenAnswer> {
	const apiUserSecrets = [String(credentials.hash ?? ''), String(credentials.secret ?? '')];
	let body: unknown;
	try {
		body = await helper.helpers.httpRequest({
			method: 'POST',
			url,
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
			body: { hash: credentials.hash, secret: credentials.secret },
			json: true,
			timeout: 30_000,
		});
	} catch (error) {
		const response = (error as { response?: { status?: number; data?: unknown } }).response;
		const apiReason = apiErrorText(response?.data);
		const reason = apiReason ?? (response?.status ? `HTTP ${response.status}` : 'no answer');
		// No URL or request data here, and the API's text redacted: it may repeat the request.
		return { refused: redactText(reason, apiUserSecrets), unknownPath: response?.status === 404 && apiReason === undefined };
	}
	const reason = apiErrorText(body);
	if (reason !== undefined) return { refused: redactText(reason, apiUserSecrets) };
	const token = (body as IDataObject | undefined)?.token;
	if (typeof token !== 'string' || token === '') return { refused: 'the answer holds no token' };
	return { token, expired: (body as IDataObject).expired };
}

/** The token path that answered last, per dialect and base URL: a refresh does not ask the unknown one again. */
const knownTokenPaths = new Map<string, string>();

/** Asks one dialect's host, trying the next documented token path where one is not found. */
async function tokenFromDialect(helper: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject, version: ApiVersion): Promise<TokenAnswer> {
	const baseUrl = baseUrlFor(credentials, version);
	const key = `${version}\u0000${baseUrl}`;
	const known = knownTokenPaths.get(key);
	const paths = known ? [known, ...TOKEN_PATHS[version].filter((path) => path !== known)] : TOKEN_PATHS[version];
	let answer: TokenAnswer = { refused: 'no answer' };
	for (const path of paths) {
		answer = await askForToken(helper, `${baseUrl}${path}`, credentials);
		if (!('refused' in answer) || !answer.unknownPath) {
			if (paths.length > 1 && !('refused' in answer)) knownTokenPaths.set(key, path);
			return answer;
		}
	}
	return answer;
}

/** For tests: forget which token path answered. */
export function clearKnownTokenPaths(): void {
	knownTokenPaths.clear();
}

/**
 * A fresh token from the credential's dialect. When that dialect refuses the API user, the
 * other one is asked once (only then): if it accepts, the error names the setting to change.
 */
export async function requestSecurityToken(
	helper: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<{ securityToken: string; securityTokenExpiresAt: number }> {
	const requestedAt = Date.now();
	const version = apiVersionOf(credentials);
	const answer = await tokenFromDialect(helper, credentials, version);
	if (!('refused' in answer)) {
		return { securityToken: answer.token, securityTokenExpiresAt: tokenExpiry(requestedAt, answer.expired) };
	}
	if (answer.refused === 'the answer holds no token') {
		throw new Error('Thinksurance answered the token request without a token. Check the environment and base URL.');
	}
	const other = otherApiVersion(version);
	if (baseUrlFor(credentials, other) !== baseUrlFor(credentials, version)) {
		const probe = await tokenFromDialect(helper, credentials, other);
		if (!('refused' in probe)) {
			throw new Error(
				`Thinksurance refused the API user with API Version ${apiVersionLabel(version)} (${answer.refused}), but accepts it with ${apiVersionLabel(other)}. Open the credential and set API Version to ${apiVersionLabel(other)}.`,
			);
		}
	}
	throw new Error(`Thinksurance refused the API user (${answer.refused}). Check hash, secret and environment, and the API Version.`);
}

/**
 * Puts the token where the request left its placeholder: URL path (V1), `token` body field,
 * Bearer header (V1.1).
 */
export function placeSecurityToken(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): IHttpRequestOptions {
	const token = String(credentials.securityToken ?? '');
	const options = { ...requestOptions };
	if (options.url.includes(SECURITY_TOKEN_PLACEHOLDER)) {
		options.url = options.url.replace(SECURITY_TOKEN_PLACEHOLDER, encodeURIComponent(token));
	}
	const body = options.body;
	if (body && typeof body === 'object' && !Array.isArray(body) && (body as IDataObject).token === SECURITY_TOKEN_PLACEHOLDER) {
		options.body = { ...(body as IDataObject), token };
	}
	const headers = (options.headers ?? {}) as IDataObject;
	const authorization = headers.Authorization;
	if (typeof authorization === 'string' && authorization.includes(SECURITY_TOKEN_PLACEHOLDER)) {
		options.headers = { ...headers, Authorization: authorization.replace(SECURITY_TOKEN_PLACEHOLDER, token) };
	}
	return options;
}

/**
 * When the token stops being usable, as epoch ms. The API's `expired` has no time zone, so it
 * is only trusted when it lies within the documented 15 minutes of our own clock, and not in
 * its first 2: a token that lives an hour, read one hour off, would end "now" (cut to whole
 * seconds, even a few ms before our request) and be renewed by every following request.
 */
export function tokenExpiry(requestedAt: number, expired: unknown): number {
	const documentedLifetime = 15 * 60_000;
	const shortestLifetime = 2 * 60_000;
	const fallback = requestedAt + documentedLifetime;
	if (typeof expired !== 'string') return fallback;
	const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(expired.trim());
	if (!match) return fallback;
	const [, y, mo, d, h, mi, s] = match.map(Number);
	// Try UTC and the two German offsets; take the one that lands inside the window.
	for (const offsetHours of [0, 1, 2]) {
		const at = Date.UTC(y, mo - 1, d, h - offsetHours, mi, s);
		if (at > requestedAt + shortestLifetime && at <= fallback + 60_000) return at;
	}
	return fallback;
}
