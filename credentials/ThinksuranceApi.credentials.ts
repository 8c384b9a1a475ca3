import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { redactText } from '../nodes/shared/api/redact';

/** Placeholder the transport puts where the security token belongs; `authenticate` fills it in. */
export const SECURITY_TOKEN_PLACEHOLDER = '{securityToken}';

const ENVIRONMENT_BASE_URLS: Record<string, string> = {
	production: 'https://app.thinksurance.de',
	test: 'https://app.dev.thinksurance.de',
};

/** Base URL of the environment the credential points at, without trailing slash. */
export function thinksuranceBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const environment = String(credentials.environment ?? 'production');
	const url =
		environment === 'custom'
			? String(credentials.baseUrl ?? '').trim()
			: (ENVIRONMENT_BASE_URLS[environment] ?? ENVIRONMENT_BASE_URLS.production);
	return url.replace(/\/+$/, '');
}

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

export class ThinksuranceApi implements ICredentialType {
	name = 'thinksuranceApi';

	displayName = 'Thinksurance API';

	documentationUrl = 'https://github.com/thinksurance-community/n8n-nodes-thinksurance#credentials';

	icon: Icon = {
		light: 'file:../nodes/Thinksurance/thinksurance.svg',
		dark: 'file:../nodes/Thinksurance/thinksurance.dark.svg',
	};

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production', description: 'https://app.thinksurance.de' },
				{ name: 'Test (Vendor Sandbox)', value: 'test', description: 'https://app.dev.thinksurance.de' },
				{ name: 'Custom Base URL', value: 'custom', description: 'On-premise proxy or a local stand-in' },
			],
			default: 'production',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://thinksurance-proxy.example.com',
			description: 'Root URL of the Thinksurance API, without /api',
			displayOptions: { show: { environment: ['custom'] } },
		},
		// The hash names the API user (like a client ID); only the secret is masked.
		{
			displayName: 'API User Hash',
			name: 'hash',
			type: 'string',
			default: '',
			required: true,
			description: 'The hash of your API user, from Thinksurance support',
		},
		{
			displayName: 'API User Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The secret of your API user, from Thinksurance support',
		},
		{
			displayName: 'Default Account Token',
			name: 'accountToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Account token (aToken) used when an operation leaves its Account empty. Leave empty if your API user has a single account.',
		},
		{
			// Short-lived (15 min) security token. n8n stores it encrypted and refreshes it when empty.
			displayName: 'Security Token',
			name: 'securityToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Security Token Expiry',
			name: 'securityTokenExpiresAt',
			type: 'hidden',
			typeOptions: { password: true },
			default: 0,
		},
	];

	/** Gets a fresh security token. n8n calls this when the token field is empty or expired. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const requestedAt = Date.now();
		const baseUrl = thinksuranceBaseUrl(credentials);
		const apiUserSecrets = [String(credentials.hash ?? ''), String(credentials.secret ?? '')];
		let body: unknown;
		try {
			body = await this.helpers.httpRequest({
				method: 'POST',
				url: `${baseUrl}/api/token`,
				headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
				body: { hash: credentials.hash, secret: credentials.secret },
				json: true,
				timeout: 30_000,
			});
		} catch (error) {
			const response = (error as { response?: { status?: number; data?: unknown } }).response;
			const reason = apiErrorText(response?.data) ?? (response?.status ? `HTTP ${response.status}` : 'no answer');
			// No URL or request data here, and the API's text redacted: it may repeat the request.
			throw new Error(`Thinksurance refused the API user (${redactText(reason, apiUserSecrets)}). Check hash, secret and environment.`);
		}
		const reason = apiErrorText(body);
		if (reason !== undefined) {
			throw new Error(`Thinksurance refused the API user: ${redactText(reason, apiUserSecrets)} Check hash, secret and environment.`);
		}
		const token = (body as IDataObject | undefined)?.token;
		if (typeof token !== 'string' || token === '') {
			throw new Error('Thinksurance answered the token request without a token. Check the environment and base URL.');
		}
		return {
			securityToken: token,
			securityTokenExpiresAt: tokenExpiry(requestedAt, (body as IDataObject).expired),
		};
	}

	/** Puts the security token where the transport left its placeholder: URL path, `token` body field, Bearer header. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const token = String(credentials.securityToken ?? '');
		const options = { ...requestOptions };
		if (options.url.includes(SECURITY_TOKEN_PLACEHOLDER)) {
			options.url = options.url.replace(SECURITY_TOKEN_PLACEHOLDER, encodeURIComponent(token));
		}
		const body = options.body;
		if (body && typeof body === 'object' && !Array.isArray(body) && (body as IDataObject).token === SECURITY_TOKEN_PLACEHOLDER) {
			options.body = { ...(body as IDataObject), token };
		}
		const headers = options.headers as IDataObject | undefined;
		const authorization = headers?.Authorization;
		if (typeof authorization === 'string' && authorization.includes(SECURITY_TOKEN_PLACEHOLDER)) {
			options.headers = { ...headers, Authorization: authorization.replace(SECURITY_TOKEN_PLACEHOLDER, token) };
		}
		return options;
	}

	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			baseURL:
				'={{$credentials.environment === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : ($credentials.environment === "test" ? "https://app.dev.thinksurance.de" : "https://app.thinksurance.de")}}',
			url: `/api/account/get/tokens/${SECURITY_TOKEN_PLACEHOLDER}`,
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
		},
	};
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
