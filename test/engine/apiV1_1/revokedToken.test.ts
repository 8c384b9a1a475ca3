/**
 * test/engine/credentials/revokedToken.test.ts for a V1.1 credential (token as Bearer header):
 * a stored token Thinksurance no longer accepts costs one request, not one per item in flight,
 * then every request carries the one new token.
 */
import {
	ACCOUNT_TOKEN,
	API_HASH,
	API_SECRET,
	SECOND_SECURITY_TOKEN,
	SECURITY_TOKEN,
	TOKEN_INVALID,
	apiFixture,
	expectNoSecrets,
	useApiHygiene,
	type Answer,
	type RecordedCall,
} from '../../support/api-mock';
import { DialectMock, dialectCredential } from '../../support/dialects';
import { comparable, loadWorkflow, newCredentialsHelper, runWorkflow } from '../../support/harness';
import { deliver, triggerWorkflow } from '../../support/trigger';

useApiHygiene();

const REVOKED = 'sectok-revoked-0a1b2c3d4e5f';
const SECRETS = [REVOKED, SECURITY_TOKEN, SECOND_SECURITY_TOKEN, API_HASH, API_SECRET];
const ITEMS = 20;
const refused: Answer = { status: 400, body: { error: TOKEN_INVALID } };

const storedToken = (token = REVOKED) => dialectCredential('v1.1', { securityToken: token, securityTokenExpiresAt: Date.now() + 10 * 60_000 });
const bearer = (call: RecordedCall) => String(call.headers.authorization).replace(/^Bearer /, '');

function expectEveryItemSucceeded(items: ReturnType<typeof comparable>, count = ITEMS): void {
	expect(items.map((item) => item.pairedItem)).toEqual(Array.from({ length: count }, (_, item) => ({ item })));
	expect(items.filter((item) => 'error' in item.json)).toEqual([]);
}

describe('V1.1: a revoked stored token costs one request, not one per item', () => {
	test(`Broker → Forward, ${ITEMS} items: 1 token call, ${ITEMS + 1} forwards, only the first with the revoked token`, async () => {
		const api = new DialectMock('v1.1')
			.token(SECURITY_TOKEN)
			.on('brokerForward', ITEMS + 1, (asked) =>
				asked.token === REVOKED ? refused : { body: { url: `https://app.thinksurance.de/api/broker/switch/login-${String(asked.body.bExternalId)}` }, delayMs: 20 },
			);
		const credentialsHelper = newCredentialsHelper(storedToken());

		const result = await runWorkflow(loadWorkflow('broker/forward.workflow.json'), {
			credentialsHelper,
			items: Array.from({ length: ITEMS }, (_, index) => ({ brokerToken: `btok-broker-${1000 + index}`, brokerId: `CRM-B-${index}` })),
			replaceParameters: { resource: 'broker', operation: 'forward', brokerToken: '={{ $json.brokerToken }}', brokerExternalId: '={{ $json.brokerId }}', options: {} },
		});

		expect(result.status).toBe('success');
		expectEveryItemSucceeded(comparable(result.node().items));
		expect(api.tokenCalls).toHaveLength(1);
		expect(api.apiCalls).toHaveLength(ITEMS + 1);
		expect(api.apiCalls.map(bearer).filter((token) => token === REVOKED)).toHaveLength(1);
		expect(api.apiCalls.map(bearer).filter((token) => token === SECURITY_TOKEN)).toHaveLength(ITEMS);
		expect(credentialsHelper.storedData('thinksuranceApi')?.securityToken).toBe(SECURITY_TOKEN);
		expectNoSecrets(result, SECRETS);
	});

	test(`Inquiry → Get, ${ITEMS} items: 1 token call, ${ITEMS + 1} requests`, async () => {
		const api = new DialectMock('v1.1')
			.token(SECURITY_TOKEN)
			.on('inquiryGet', ITEMS + 1, (asked) => (asked.token === REVOKED ? refused : { body: apiFixture('inquiry-1878881'), delayMs: 20 }));

		const result = await runWorkflow(loadWorkflow('inquiry/get.workflow.json'), {
			credentialsHelper: newCredentialsHelper(storedToken()),
			items: Array.from({ length: ITEMS }, () => ({ inquiryId: '1878881' })),
		});

		expect(result.status).toBe('success');
		expectEveryItemSucceeded(comparable(result.node().items));
		expect(api.tokenCalls).toHaveLength(1);
		expect(api.apiCalls).toHaveLength(ITEMS + 1);
		expect(api.apiCalls.map(bearer).filter((token) => token === REVOKED)).toHaveLength(1);
		for (const call of api.apiCalls) expect(call.headers['x-account-token']).toBe(ACCOUNT_TOKEN);
	});

	test('the trigger: 10 deliveries at once on a revoked token: 1 token call and 11 fetches', async () => {
		const api = new DialectMock('v1.1')
			.token(SECURITY_TOKEN)
			.on('inquiryGet', 11, (asked) => (asked.token === REVOKED ? refused : { body: apiFixture('inquiry-1878881'), delayMs: 20 }));
		const trigger = triggerWorkflow(
			{ events: ['*'], registration: 'manual', fetchInquiry: true, accountToken: ACCOUNT_TOKEN, downloadDocuments: false },
			newCredentialsHelper(storedToken()),
		);
		const event = apiFixture<Record<string, unknown>>('event-inquiry-created');

		const outcomes = await Promise.all(
			Array.from({ length: 10 }, async (_, index) => await deliver(trigger, { body: { ...event, eventId: `evt-revoked-${index}` } })),
		);

		const items = outcomes.flatMap((outcome) => outcome.result.workflowData?.[0] ?? []);
		expect(items).toHaveLength(10);
		for (const item of items) expect(item.json.inquiry).toMatchObject({ data: { iId: 1878881 } });
		expect(api.tokenCalls).toHaveLength(1);
		expect(api.apiCalls).toHaveLength(11);
		expect(api.apiCalls.map(bearer).filter((token) => token === REVOKED)).toHaveLength(1);
		expectNoSecrets(items, SECRETS);
	});

	test('Inquiry → Search with the account found by Get Tokens, 3 items: the refused token costs 1 request of the first call only', async () => {
		const api = new DialectMock('v1.1')
			.token(SECURITY_TOKEN)
			.on('accountTokens', 2, (asked) => (asked.token === REVOKED ? refused : { body: apiFixture('account-tokens-single') }))
			.on('inquirySearch', 3, () => ({ body: {} }));

		const result = await runWorkflow(loadWorkflow('inquiry/search.workflow.json'), {
			credentialsHelper: newCredentialsHelper(storedToken()),
			items: [{ n: 0 }, { n: 1 }, { n: 2 }],
			replaceParameters: { resource: 'inquiry', operation: 'search', accountToken: '', filters: {}, options: {} },
		});

		expect(result.status).toBe('success');
		expect(api.tokenCalls).toHaveLength(1);
		expect(api.apiCalls.map((call) => `${call.method} ${call.path} ${bearer(call) === REVOKED ? 'revoked' : 'new'}`)).toEqual([
			'GET /api/ipn/account/tokens revoked',
			'GET /api/ipn/account/tokens new',
			'GET /api/ipn/inquiries new',
			'GET /api/ipn/inquiries new',
			'GET /api/ipn/inquiries new',
		]);
		for (const call of api.apiCalls.slice(2)) expect(call.headers['x-account-token']).toBe('atok-acc-single-0001');
	});
});
