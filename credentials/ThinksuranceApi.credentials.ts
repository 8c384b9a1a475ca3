import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { baseUrlFor } from '../nodes/shared/api/hosts';
import { placeSecurityToken, requestSecurityToken, SECURITY_TOKEN_PLACEHOLDER } from '../nodes/shared/api/securityToken';

export { SECURITY_TOKEN_PLACEHOLDER, tokenExpiry } from '../nodes/shared/api/securityToken';

/** Base URL of the credential's dialect in its environment, without trailing slash. */
export function thinksuranceBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	return baseUrlFor(credentials);
}

/** The test's base URL per environment and dialect (n8n evaluates it; keep in step with hosts.ts). */
const TEST_BASE_URL =
	'={{$credentials.environment === "custom" ? $credentials.baseUrl.trim().replace(/\\/+$/, "") : ("https://" + ($credentials.apiVersion === "v1" ? "app" : "ipn") + ($credentials.environment === "test" ? ".dev" : "") + ".thinksurance.de")}}';

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
				{ name: 'Production', value: 'production', description: 'V1.1: https://ipn.thinksurance.de, V1: https://app.thinksurance.de' },
				{ name: 'Test (Vendor Sandbox)', value: 'test', description: 'V1.1: https://ipn.dev.thinksurance.de, V1: https://app.dev.thinksurance.de' },
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
			description: 'Root URL of the Thinksurance API, without /api; it serves both API versions',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'options',
			options: [
				{
					name: 'V1.1 (Recommended)',
					value: 'v1.1',
					description: 'The vendor\'s current API: the security token travels in a header, never in a URL',
				},
				{
					name: 'V1 (Outdated)',
					value: 'v1',
					description: 'The older API with the security token in every URL path. Only if your API user is not enabled for V1.1.',
				},
			],
			default: 'v1.1',
			description: 'Which Thinksurance request dialect to speak. Thinksurance asks every account to use V1.1.',
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
			displayName: 'Account Tag',
			name: 'accountTag',
			type: 'string',
			default: '',
			placeholder: 'e.g. demopool',
			description:
				'The tag (nameTag) of your account, from your Thinksurance account manager. With no Default Account Token, operations act for the account with this tag. Never pick an account by its name.',
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
		return await requestSecurityToken(this, credentials);
	}

	/** Puts the security token where the request left its placeholder: URL path (V1), `token` body field, Bearer header (V1.1). */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		return placeSecurityToken(credentials, requestOptions);
	}

	// The account list of the chosen dialect: it needs a valid token, so a refused API user fails here.
	test: ICredentialTestRequest = {
		request: {
			method: '={{$credentials.apiVersion === "v1" ? "POST" : "GET"}}' as IHttpRequestOptions['method'],
			baseURL: TEST_BASE_URL,
			url: `={{$credentials.apiVersion === "v1" ? "/api/account/get/tokens/${SECURITY_TOKEN_PLACEHOLDER}" : "/api/ipn/account/tokens"}}`,
			headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: `Bearer ${SECURITY_TOKEN_PLACEHOLDER}` },
		},
		// n8n shows a rule's fixed text, not the answer: a token was issued, so a refused list
		// (the API's "not allowed to use this API version") most likely means the other version.
		rules: [
			...[400, 403].map((status) => ({
				type: 'responseCode' as const,
				properties: {
					value: status,
					message: `Thinksurance issued a security token but refused the account list in this credential's API Version (HTTP ${status}): your API user is most likely enabled for the other version only. Change API Version (V1.1 to V1 (Outdated), or V1 (Outdated) to V1.1) and test again; if both are refused, check the environment.`,
				},
			})),
			{
				type: 'responseCode' as const,
				properties: {
					value: 404,
					message:
						'Thinksurance does not know the account list at this address in this credential\'s API Version (HTTP 404). Check the environment and base URL; if your base URL serves only one API version, set API Version to that one.',
				},
			},
		],
	};
}
