/** Account → Get Tokens through n8n's engine: fan-out, pairing, retries of a read. */
import { API_HASH, API_SECRET, ApiMock, SECURITY_TOKEN, apiFixture, credentialData, expectNoSecrets, useApiHygiene } from '../../support/api-mock';
import { comparable, expectedOutput, loadWorkflow, newCredentialsHelper, nodeError, runWorkflow, type RunOptions } from '../../support/harness';

useApiHygiene();

const fixture = loadWorkflow('account/getTokens.workflow.json');
const TOKENS = `/api/account/get/tokens/${SECURITY_TOKEN}`;
const SECRETS = [SECURITY_TOKEN, API_SECRET, API_HASH];
const accounts = () => ({ body: apiFixture('account-tokens') });

function run(options: Partial<RunOptions> = {}) {
	return runWorkflow(fixture, { credentialsHelper: newCredentialsHelper(credentialData()), ...options });
}

describe('account/getTokens', () => {
	test('one item per account for each input item, paired with it; N items → N calls + 1 token call', async () => {
		const api = new ApiMock().token().on('POST', TOKENS, 2, accounts);

		const result = await run();

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(api.tokenCalls).toHaveLength(1);
		expect(api.apiCalls.map((call) => call.path)).toEqual([TOKENS, TOKENS]);
		// No body: the token sits in the path only.
		expect(JSON.stringify(api.apiCalls.map((call) => call.body ?? null))).not.toContain(SECURITY_TOKEN);
	});

	test('HTTP 503 twice on this read: retried with backoff, then succeeds (3 calls for the first item)', async () => {
		const api = new ApiMock().token().on('POST', TOKENS, 4, (_body, _uri, index) => (index < 2 ? 'serverError503' : accounts()));

		const result = await run();

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(api.apiCalls).toHaveLength(4);
		expect(api.tokenCalls).toHaveLength(1);
	});

	test('HTML 502 error page on this read: retried, then succeeds', async () => {
		const api = new ApiMock().token().on('POST', TOKENS, 3, (_body, _uri, index) => (index === 0 ? 'htmlBadGateway502' : accounts()));

		const result = await run();

		expect(result.status).toBe('success');
		expect(api.apiCalls).toHaveLength(3);
	});

	test('a read that keeps failing gives up after 4 attempts and says so', async () => {
		const api = new ApiMock()
			.token()
			.on('POST', TOKENS, 4, () => ({ status: 503, body: { error: 'maintenance' }, headers: { 'Content-Type': 'application/json', 'Retry-After': '0' } }));

		const result = await run();

		const error = nodeError(result);
		expect(error.message).toMatch(/^Thinksurance had a server error \(HTTP 503[^)]*\) while trying to list the account tokens after 4 attempts\. \[item 0\]$/);
		expect(error.message).not.toContain('may or may not');
		expect(api.apiCalls).toHaveLength(4);
		expectNoSecrets(result, SECRETS);
	});

	test('an answer that is not a list of accounts gives no items, not a crash', async () => {
		new ApiMock().token().on('POST', TOKENS, 2, () => ({ body: [] }));

		const result = await run();

		expect(result.status).toBe('success');
		expect(result.node().items).toEqual([]);
	});
});
