/**
 * The credential as n8n uses it: environment → host mapping, preAuthentication through the
 * engine's credentials helper, and a base URL that cannot work.
 */
import nock from 'nock';

import { ApiMock, PRODUCTION_URL, SECURITY_TOKEN, apiFixture, credentialData, useApiHygiene } from '../../support/api-mock';
import { loadWorkflow, newCredentialsHelper, nodeError, runWorkflow } from '../../support/harness';

useApiHygiene();

const fixture = loadWorkflow('account/getTokens.workflow.json');
const TOKENS = `/api/account/get/tokens/${SECURITY_TOKEN}`;

describe('credential thinksuranceApi in the engine', () => {
	test.each([
		['production', PRODUCTION_URL, {}],
		['test', 'https://app.dev.thinksurance.de', {}],
		['custom (trailing slash and spaces trimmed)', 'https://proxy.example.de', { baseUrl: '  https://proxy.example.de/  ' }],
	])('environment %s talks to %s', async (label, host, extra) => {
		const environment = label.split(' ')[0];
		const api = new ApiMock(host).token().on('POST', TOKENS, 2, () => ({ body: apiFixture('account-tokens') }));
		const credentialsHelper = newCredentialsHelper(credentialData({ environment, baseUrl: '', ...extra }));

		const result = await runWorkflow(fixture, { credentialsHelper });

		expect(result.status).toBe('success');
		expect(result.node().items).toHaveLength(4);
		expect(api.tokenCalls).toHaveLength(1);
		expect(api.apiCalls).toHaveLength(2);
	});

	test('custom environment without a base URL fails with what to fix, before any request', async () => {
		const credentialsHelper = newCredentialsHelper(credentialData({ environment: 'custom', baseUrl: '' }));

		const result = await runWorkflow(fixture, { credentialsHelper });

		const error = nodeError(result);
		expect(error.message).toContain('The Thinksurance credential has no valid base URL');
		expect(error.message).toContain('enter the Base URL');
		expect(credentialsHelper.preAuthenticationRuns).toBe(0);
		expect(nock.pendingMocks()).toEqual([]);
	});

	test('preAuthentication runs only while the expirable token is empty and stores the token and its expiry', async () => {
		const api = new ApiMock().token().on('POST', TOKENS, 2, () => ({ body: apiFixture('account-tokens') }));
		const credentialsHelper = newCredentialsHelper(credentialData());

		await runWorkflow(fixture, { credentialsHelper });

		const stored = credentialsHelper.storedData('thinksuranceApi');
		expect(stored?.securityToken).toBe(SECURITY_TOKEN);
		const expiresAt = Number(stored?.securityTokenExpiresAt);
		expect(expiresAt).toBeGreaterThan(Date.now() + 10 * 60_000);
		expect(expiresAt).toBeLessThanOrEqual(Date.now() + 16 * 60_000);
		// The hash, secret and settings are kept; only token fields were added.
		expect(stored).toMatchObject(credentialData());
		expect(credentialsHelper.preAuthenticationRuns).toBe(1);
		expect(credentialsHelper.preAuthenticationCalls.every((call) => !call.credentialsExpired)).toBe(true);
		expect(api.tokenCalls).toHaveLength(1);
	});

	test('a stored token that is about to expire is not used: a fresh one is fetched first', async () => {
		const api = new ApiMock().token().on('POST', TOKENS, 2, () => ({ body: apiFixture('account-tokens') }));
		const credentialsHelper = newCredentialsHelper(
			credentialData({ securityToken: 'sectok-stale-0000', securityTokenExpiresAt: Date.now() + 30_000 }),
		);

		const result = await runWorkflow(fixture, { credentialsHelper });

		expect(result.status).toBe('success');
		expect(api.tokenCalls).toHaveLength(1);
		expect(api.apiCalls.every((call) => call.path === TOKENS)).toBe(true);
	});

	test('a stored token still valid for long is used without a token request', async () => {
		const api = new ApiMock().on('POST', `/api/account/get/tokens/sectok-stored-1111`, 2, () => ({ body: apiFixture('account-tokens') }));
		const credentialsHelper = newCredentialsHelper(
			credentialData({ securityToken: 'sectok-stored-1111', securityTokenExpiresAt: Date.now() + 10 * 60_000 }),
		);

		const result = await runWorkflow(fixture, { credentialsHelper });

		expect(result.status).toBe('success');
		expect(api.tokenCalls).toHaveLength(0);
		expect(credentialsHelper.preAuthenticationRuns).toBe(0);
	});
});
