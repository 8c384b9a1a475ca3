/**
 * An API user enabled for one dialect only: the API refuses the other dialect's calls with
 * 400 "API User is not allowed to use this API version." (a valid token). One new token and one
 * repeat (the stored token may be another API user's), then the message names the API Version
 * to set, not the security token.
 */
import { ApiMock, SECURITY_TOKEN, apiFixture, credentialData, expectNoSecrets, useApiHygiene, API_HASH, API_SECRET } from '../../support/api-mock';
import { loadWorkflow, newCredentialsHelper, nodeError, runWorkflow } from '../../support/harness';

useApiHygiene();

const fixture = loadWorkflow('account/getTokens.workflow.json');
const REFUSED = { status: 400, body: { error: 'API User is not allowed to use this API version.' } };

describe('an API user refused the credential\'s API Version', () => {
	test('V1.1 refused: a new token and one repeat, then the message says to set V1 (Outdated)', async () => {
		const api = new ApiMock().token(SECURITY_TOKEN, 2).on('GET', '/api/ipn/account/tokens', 2, () => REFUSED);

		const result = await runWorkflow(fixture, { credentialsHelper: newCredentialsHelper(credentialData({ apiVersion: 'v1.1' })) });

		const error = nodeError(result);
		expect(error.message).toMatch(/^Thinksurance does not let this API user use API Version V1\.1 \("API User is not allowed to use this API version"\)\. Open the Thinksurance credential and set API Version to V1 \(Outdated\)\./);
		expect(error.message).not.toMatch(/security token/);
		expect(api.tokenCalls).toHaveLength(2);
		expect(api.apiCalls).toHaveLength(2);
		expect(api.apiCalls[0].headers.authorization).toBe(`Bearer ${SECURITY_TOKEN}`);
		expectNoSecrets(result, [SECURITY_TOKEN, API_SECRET, API_HASH]);
	});

	test('V1 refused: the message says to set V1.1', async () => {
		const api = new ApiMock().token(SECURITY_TOKEN, 2).on('POST', `/api/account/get/tokens/${SECURITY_TOKEN}`, 2, () => REFUSED);

		const result = await runWorkflow(fixture, { credentialsHelper: newCredentialsHelper(credentialData({ apiVersion: 'v1' })) });

		expect(nodeError(result).message).toMatch(/use API Version V1 \(Outdated\) .*set API Version to V1\.1\./);
		expect(api.tokenCalls).toHaveLength(2);
		expect(api.apiCalls).toHaveLength(2);
	});

	test('V1.1 accepted: the same accounts as V1, the token only in the Bearer header', async () => {
		const api = new ApiMock().token().on('GET', '/api/ipn/account/tokens', 2, () => ({ body: apiFixture('account-tokens') }));

		const result = await runWorkflow(fixture, { credentialsHelper: newCredentialsHelper(credentialData({ apiVersion: 'v1.1' })) });

		expect(result.status).toBe('success');
		expect(api.apiCalls.map((call) => [call.method, call.path])).toEqual([
			['GET', '/api/ipn/account/tokens'],
			['GET', '/api/ipn/account/tokens'],
		]);
		for (const call of api.apiCalls) expect(call.path).not.toContain(SECURITY_TOKEN);
	});
});
