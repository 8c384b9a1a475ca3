/**
 * The V1.1 security token through n8n's engine: POST /api/token on the V1.1 host, the fallback
 * to /api/ipn/tokens where that path is not found (and only then), the path that answered
 * remembered for the next refresh, one token call for many items in flight, and the hint to
 * the other dialect when only that one accepts the API user.
 */
import { clearSessions } from '../../../nodes/shared/api';
import { API_HASH, API_SECRET, ApiMock, SECURITY_TOKEN, SECOND_SECURITY_TOKEN, expectNoSecrets, useApiHygiene } from '../../support/api-mock';
import { DialectMock, dialectCredential } from '../../support/dialects';
import { loadWorkflow, newCredentialsHelper, nodeError, runWorkflow } from '../../support/harness';

useApiHygiene();

const fixture = loadWorkflow('account/getTokens.workflow.json');
const LIST = [{ name: 'Demo Maklerbüro GmbH', aToken: 'atok-acc-1234567890', nameTag: 'demopool' }];
const SECRETS = [SECURITY_TOKEN, SECOND_SECURITY_TOKEN, API_HASH, API_SECRET];

function getTokens(credential: Record<string, string | number> = dialectCredential('v1.1'), items = [{ run: 1 }]) {
	return runWorkflow(fixture, { credentialsHelper: newCredentialsHelper(credential), items });
}

describe('V1.1 token: host and path', () => {
	test.each([
		['production', 'https://ipn.thinksurance.de'],
		['test', 'https://ipn.dev.thinksurance.de'],
	])('environment %s: the token and the call on %s', async (environment, host) => {
		const api = new ApiMock(host).token().on('GET', '/api/ipn/account/tokens', 1, () => ({ body: LIST }));

		const result = await getTokens(dialectCredential('v1.1', { environment, baseUrl: '' }));

		expect(result.status).toBe('success');
		expect(api.calls.map((call) => `${call.method} ${call.path}`)).toEqual(['POST /api/token', 'GET /api/ipn/account/tokens']);
		expect(api.tokenCalls[0].body).toEqual({ hash: API_HASH, secret: API_SECRET });
	});

	test.each([
		['an HTML page', { status: 404, body: '<html><body>Not Found</body></html>', headers: { 'Content-Type': 'text/html' } }],
		['no body', { status: 404, body: '', headers: {} }],
	])('/api/token not found (%s): /api/ipn/tokens gives the token; the next refresh asks that path first', async (_label, notFound) => {
		const api = new ApiMock()
			.on('POST', '/api/token', 1, () => notFound)
			.token(SECURITY_TOKEN, 1, '/api/ipn/tokens')
			.token(SECOND_SECURITY_TOKEN, 1, '/api/ipn/tokens');
		const mock = new DialectMock('v1.1');
		mock.on('accountTokens', 2, () => ({ body: LIST }));

		const first = await getTokens();
		// The token expired meanwhile (this process forgot it; n8n's copy is empty).
		clearSessions();
		const second = await getTokens();

		expect(first.status).toBe('success');
		expect(second.status).toBe('success');
		expect(api.tokenCalls.map((call) => call.path)).toEqual(['/api/token', '/api/ipn/tokens', '/api/ipn/tokens']);
		expect(mock.apiCalls.map((call) => call.headers.authorization)).toEqual([`Bearer ${SECURITY_TOKEN}`, `Bearer ${SECOND_SECURITY_TOKEN}`]);
	});

	test('a 404 that carries an API error is the API user\'s answer: no fallback, the reason shown', async () => {
		const api = new ApiMock().on('POST', '/api/token', 1, () => ({ status: 404, body: { error: 'API User is not existing or deactivated.' } }));

		const result = await getTokens();

		expect(nodeError(result).message).toMatch(/refused the API user \(API User is not existing or deactivated\.\)/);
		expect(api.tokenCalls.map((call) => call.path)).toEqual(['/api/token']);
		expectNoSecrets(result, SECRETS);
	});

	test('a V1 credential has no fallback path: a 404 on /api/token fails the run', async () => {
		const api = new ApiMock().on('POST', '/api/token', 1, () => ({ status: 404, body: '', headers: {} }));

		const result = await getTokens(dialectCredential('v1'));

		expect(nodeError(result).message).toMatch(/refused the API user \(HTTP 404\)/);
		expect(api.tokenCalls.map((call) => call.path)).toEqual(['/api/token']);
	});
});

describe('V1.1 token: shared by the items in flight', () => {
	test('20 forwards at once: one token call, every request with the same Bearer token', async () => {
		const api = new DialectMock('v1.1').token().on('brokerForward', 20, (asked) => ({ body: { url: `https://app.thinksurance.de/api/broker/switch/${String(asked.body.bExternalId)}` }, delayMs: 20 }));
		const items = Array.from({ length: 20 }, (_, index) => ({ brokerToken: `btok-broker-${1000 + index}`, brokerId: `CRM-B-${index}` }));

		const result = await runWorkflow(loadWorkflow('broker/forward.workflow.json'), {
			credentialsHelper: newCredentialsHelper(dialectCredential('v1.1')),
			items,
			replaceParameters: { resource: 'broker', operation: 'forward', brokerToken: '={{ $json.brokerToken }}', brokerExternalId: '={{ $json.brokerId }}', options: {} },
		});

		expect(result.status).toBe('success');
		expect(result.node().items).toHaveLength(20);
		expect(api.tokenCalls).toHaveLength(1);
		expect(new Set(api.apiCalls.map((call) => call.headers.authorization))).toEqual(new Set([`Bearer ${SECURITY_TOKEN}`]));
		expect(api.apiCalls.map((call) => call.headers['x-broker-token']).sort()).toEqual(items.map((item) => item.brokerToken).sort());
	});
});

describe('the other dialect\'s hint', () => {
	test('V1.1 refuses the API user, V1 accepts it: the error names the setting to change', async () => {
		const v11 = new ApiMock('https://ipn.thinksurance.de').on('POST', '/api/token', 1, () => ({ body: { error: 'API User is not existing or deactivated.' } }));
		const v1 = new ApiMock('https://app.thinksurance.de').token();

		const result = await getTokens(dialectCredential('v1.1', { environment: 'production', baseUrl: '' }));

		expect(nodeError(result).message).toBe(
			'Thinksurance refused the API user with API Version V1.1 (API User is not existing or deactivated.), but accepts it with V1 (Outdated). Open the credential and set API Version to V1 (Outdated). [item 0]',
		);
		expect(v11.tokenCalls).toHaveLength(1);
		expect(v1.tokenCalls).toHaveLength(1);
		expectNoSecrets(result, SECRETS);
	});
});

describe('an API user refused for the dialect on a call (token accepted)', () => {
	// One new token and one repeat, as any refused token gets: n8n's credential test can leave another API user's token stored.
	test('one new token and one repeat, then the error names the API Version to set', async () => {
		const api = new DialectMock('v1.1').token().token().on('accountTokens', 2, () => ({ status: 400, body: { error: 'API User is not allowed to use this API version.' } }));

		const result = await getTokens();

		const error = nodeError(result);
		expect(error.message).toMatch(/^Thinksurance does not let this API user use API Version V1\.1 .*set API Version to V1 \(Outdated\)\. \[item 0\]$/);
		expect(api.tokenCalls).toHaveLength(2);
		expect(api.apiCalls).toHaveLength(2);
	});
});
