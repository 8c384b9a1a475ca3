/**
 * The fault behaviour with a V1.1 credential, through n8n's engine: reads (GET) are repeated
 * on transient failures, writes (POST) never once Thinksurance may have processed them; a 429
 * was not processed, so even a write waits as Retry-After asks and is repeated.
 */
import { API_HASH, API_SECRET, BROKER_TOKEN, SECURITY_TOKEN, apiFixture, expectNoSecrets, useApiHygiene, type Answer } from '../../support/api-mock';
import { DialectMock, dialectCredential } from '../../support/dialects';
import { loadWorkflow, newCredentialsHelper, nodeError, runWorkflow, type RunOptions, type WorkflowFixture } from '../../support/harness';

useApiHygiene();

const SECRETS = [SECURITY_TOKEN, API_HASH, API_SECRET, BROKER_TOKEN];
const json = { 'Content-Type': 'application/json' };
const busy = (retryAfter = '0'): Answer => ({ status: 503, body: { error: 'Service temporarily unavailable' }, headers: { ...json, 'Retry-After': retryAfter } });
const htmlPage = (status: number): Answer => ({ status, body: '<html><body>Bad Gateway</body></html>', headers: { 'Content-Type': 'text/html', 'Retry-After': '0' } });
const tooMany = (retryAfter: string): Answer => ({ status: 429, body: { error: 'Too many requests' }, headers: { ...json, 'Retry-After': retryAfter } });

const FORWARD = { resource: 'broker', operation: 'forward', brokerToken: '={{ $json.brokerToken }}', brokerExternalId: '={{ $json.brokerId }}', options: {} };
const ONE_BROKER = [{ brokerToken: BROKER_TOKEN, brokerId: 'CRM-B-1' }];
const forwarded = { body: { url: 'https://app.thinksurance.de/api/broker/switch/login-1', inquiryId: 1878887, inquiryHash: 'a1b2c3' } };

function run(fixture: WorkflowFixture, options: Partial<RunOptions> = {}) {
	return runWorkflow(fixture, { credentialsHelper: newCredentialsHelper(dialectCredential('v1.1', { accountToken: 'atok-acc-1234567890' })), ...options });
}

describe('V1.1 reads are repeated', () => {
	test('Inquiry → Search: 503, HTML 502, then the answer: 3 GETs, success', async () => {
		const api = new DialectMock('v1.1')
			.token()
			.on('inquirySearch', 3, (_asked, index) => (index === 0 ? busy() : index === 1 ? htmlPage(502) : { body: apiFixture('inquiry-search') }));

		const result = await run(loadWorkflow('inquiry/search.workflow.json'), { items: [{ aToken: 'atok-acc-1234567890' }] });

		expect(result.status).toBe('success');
		expect(result.node().items.length).toBeGreaterThan(0);
		expect(api.apiCalls.map((call) => `${call.method} ${call.path}`)).toEqual(Array(3).fill('GET /api/ipn/inquiries?lastDays=7'));
		expect(api.tokenCalls).toHaveLength(1);
	});

	test('Account → Get Tokens: 503 on every attempt gives up after 4 and says so', async () => {
		const api = new DialectMock('v1.1').token().on('accountTokens', 4, () => busy());

		const result = await run(loadWorkflow('account/getTokens.workflow.json'), { items: [{ run: 1 }] });

		expect(nodeError(result).message).toBe(
			'Thinksurance had a server error (HTTP 503, Service temporarily unavailable) while trying to list the account tokens after 4 attempts. [item 0]',
		);
		expect(api.apiCalls).toHaveLength(4);
	});

	test('Inquiry → Get: a broken connection, then the answer', async () => {
		const api = new DialectMock('v1.1').token();
		api.api.scope.get('/api/ipn/inquiries').query(true).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
		api.on('inquiryGet', 1, (asked) => ({ body: apiFixture(`inquiry-${asked.id}`) }));

		const result = await run(loadWorkflow('inquiry/get.workflow.json'), { items: [{ inquiryId: 1878881 }] });

		expect(result.status).toBe('success');
		expect(result.node().items[0].json.inquiryId).toBe(1878881);
		expect(api.apiCalls).toHaveLength(2);
	});
});

describe('V1.1 writes are not repeated once they may have been processed', () => {
	test.each([
		['HTTP 503', busy(), /server error \(HTTP 503, Service temporarily unavailable\) while trying to forward the broker\. Thinksurance may or may not have applied the change/],
		['an HTML 502 page', htmlPage(502), /server error \(HTTP 502, HTML error page\) while trying to forward the broker\. Thinksurance may or may not have applied the change/],
		['HTML with HTTP 200', { status: 200, body: '<html>maintenance</html>', headers: { 'Content-Type': 'text/html' } }, /not JSON \(HTTP 200\).*may or may not have applied the change/],
	])('Broker → Forward, %s: one request, outcome unknown', async (_label, answer, message) => {
		const api = new DialectMock('v1.1').token().on('brokerForward', 1, () => answer);

		const result = await run(loadWorkflow('broker/forward.workflow.json'), { items: ONE_BROKER, replaceParameters: FORWARD });

		expect(nodeError(result).message).toMatch(message);
		expect(api.apiCalls).toHaveLength(1);
		expectNoSecrets(result, SECRETS);
	});

	test('Broker → Create, timeout (Options → Timeout 1000 ms): one request, outcome unknown', async () => {
		const api = new DialectMock('v1.1').token().on('brokerCreate', 1, () => ({ body: { status: 'success', bToken: 'btok-late' }, delayMs: 2_000 }));

		const result = await run(loadWorkflow('broker/create.workflow.json'), { items: [{ brokerId: 'CRM-N-1', lastName: 'Neumann', email: 'neu@makler.de' }], parameters: { options: { timeout: 1000 } } });

		const error = nodeError(result);
		expect(error.message).toContain('did not answer in time while trying to create the broker');
		expect(error.message).toContain('may or may not have applied the change');
		expect(api.apiCalls).toHaveLength(1);
	});
});

describe('V1.1: HTTP 429 and Retry-After', () => {
	test('Broker → Forward, 429 with Retry-After: 1: repeated after a second (not processed), success', async () => {
		const arrivals: number[] = [];
		const api = new DialectMock('v1.1').token().on('brokerForward', 2, (_asked, index) => {
			arrivals.push(Date.now());
			return index === 0 ? tooMany('1') : forwarded;
		});

		const result = await run(loadWorkflow('broker/forward.workflow.json'), { items: ONE_BROKER, replaceParameters: FORWARD });

		expect(result.status).toBe('success');
		expect(api.apiCalls).toHaveLength(2);
		expect(arrivals[1] - arrivals[0]).toBeGreaterThanOrEqual(950);
	});

	test('Inquiry → Get, 429 on every attempt: 4 GETs, the message says Thinksurance is limiting requests', async () => {
		const api = new DialectMock('v1.1').token().on('inquiryGet', 4, () => tooMany('0'));

		const result = await run(loadWorkflow('inquiry/get.workflow.json'), { items: [{ inquiryId: 1878881 }] });

		expect(nodeError(result).message).toMatch(/^Thinksurance is limiting requests \(HTTP 429\) and did not get the inquiry after 4 attempts \[item 0\]$/);
		expect(api.apiCalls).toHaveLength(4);
	});

	test('a Retry-After beyond a minute fails the item at once instead of blocking the workflow', async () => {
		const api = new DialectMock('v1.1').token().on('inquirySearch', 1, () => tooMany('3600'));

		const result = await run(loadWorkflow('inquiry/search.workflow.json'), { items: [{ aToken: 'atok-acc-1234567890' }] });

		expect(nodeError(result).message).toMatch(/^Thinksurance is limiting requests \(HTTP 429\) and did not search inquiries \[item 0\]$/);
		expect(api.apiCalls).toHaveLength(1);
	});
});
