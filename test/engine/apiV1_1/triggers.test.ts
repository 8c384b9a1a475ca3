/**
 * Both triggers with a V1.1 credential (n8n-core's HookContext, WebhookContext and
 * PollContext; nock): the broker callback registered and switched off through V1.1 Broker
 * Forward, the notified inquiry fetched with V1.1 Get, the polling trigger's searches as GET.
 */
import { ACCOUNT_TOKEN, API_HASH, API_SECRET, BROKER_TOKEN, SECURITY_TOKEN, apiFixture, expectNoSecrets, useApiHygiene } from '../../support/api-mock';
import { DialectMock, dialectCredential } from '../../support/dialects';
import { newCredentialsHelper } from '../../support/harness';
import { PollingDriver } from '../../support/polling';
import { WEBHOOK_URL, deliver, nodeStaticData, runHook, triggerWorkflow } from '../../support/trigger';

useApiHygiene();

const SECRETS = [SECURITY_TOKEN, API_HASH, API_SECRET];
const KEY = 'b2'.repeat(24);
const CALLBACK = {
	events: ['*'],
	registration: 'brokerCallback',
	brokerToken: BROKER_TOKEN,
	brokerExternalId: 'CRM-B-1',
	mappingType: 1,
	fetchInquiry: true,
	accountToken: '',
	downloadDocuments: false,
};

describe('Thinksurance Trigger (V1.1)', () => {
	test('activation and deactivation: POST /api/ipn/brokers/forward with X-Broker-Token, callback fields only', async () => {
		const api = new DialectMock('v1.1').token().on('brokerForward', 2, () => ({ body: { url: 'https://app.thinksurance.de/api/broker/switch/x' } }));
		const trigger = triggerWorkflow(CALLBACK, newCredentialsHelper(dialectCredential('v1.1')));

		expect(await runHook(trigger, 'create')).toBe(true);
		const key = new URL(String((api.apiCalls[0].body as { callbackUrl: string }).callbackUrl)).searchParams.get('key');
		expect(await runHook(trigger, 'delete')).toBe(true);

		expect(api.apiCalls.map((call) => [call.method, call.path, call.headers['x-broker-token'], call.headers.authorization, call.body])).toEqual([
			['POST', '/api/ipn/brokers/forward', BROKER_TOKEN, `Bearer ${SECURITY_TOKEN}`, { type: 1, bExternalId: 'CRM-B-1', fullCallback: 0, callbackUrl: `${WEBHOOK_URL}?key=${key}` }],
			['POST', '/api/ipn/brokers/forward', BROKER_TOKEN, `Bearer ${SECURITY_TOKEN}`, { type: 1, bExternalId: 'CRM-B-1', fullCallback: 1 }],
		]);
		expect(nodeStaticData(trigger).registration).toBeUndefined();
	});

	test('a delivery: the inquiry fetched with GET /api/ipn/inquiries?inquiryId=… and the registered broker\'s X-Broker-Token, emitted as in V1', async () => {
		const api = new DialectMock('v1.1').token().on('inquiryGet', 1, (asked) => ({ body: apiFixture(`inquiry-${asked.id}`) }));
		const trigger = triggerWorkflow(CALLBACK, newCredentialsHelper(dialectCredential('v1.1', { accountToken: ACCOUNT_TOKEN })));
		nodeStaticData(trigger).registration = { webhookUrl: WEBHOOK_URL, key: KEY, brokerToken: BROKER_TOKEN, brokerExternalId: 'CRM-B-1', mappingType: 1, testSystem: false };

		const outcome = await deliver(trigger, { body: apiFixture('event-inquiry-created'), query: { key: KEY } });

		expect(outcome.response.statusCode).toBe(204);
		const item = outcome.result.workflowData?.[0][0];
		const raw = apiFixture<{ sHash: string; data: object; customer: object; docs: object }>('inquiry-1878881');
		expect(item?.json.inquiry).toEqual({ sHash: raw.sHash, data: raw.data, customer: raw.customer, docs: raw.docs });
		expect(api.apiCalls.map((call) => `${call.method} ${call.path} ${String(call.headers['x-broker-token'])} ${String(call.headers['x-account-token'])}`)).toEqual([
			`GET /api/ipn/inquiries?inquiryId=1878881 ${BROKER_TOKEN} undefined`,
		]);
		expectNoSecrets(outcome.result.workflowData, SECRETS);
	});

	test('an inquiry the V1.1 answer does not hold ({}): the item says so, the delivery is accepted', async () => {
		new DialectMock('v1.1').token().on('inquiryGet', 1, () => ({ body: {} }));
		const trigger = triggerWorkflow({ ...CALLBACK, registration: 'manual' }, newCredentialsHelper(dialectCredential('v1.1', { accountToken: ACCOUNT_TOKEN })));

		const outcome = await deliver(trigger, { body: apiFixture('event-inquiry-created') });

		expect(outcome.response.statusCode).toBe(204);
		const json = outcome.result.workflowData?.[0][0].json;
		expect(json?.inquiry).toBeNull();
		expect(String(json?.fetchError)).toMatch(/1878881/);
	});
});

/** Berlin local "YYYY-MM-DD hh:mm:ss", as the API writes dates. */
function vendorTime(ms = Date.now()): string {
	return new Date(ms).toLocaleString('sv-SE', { timeZone: 'Europe/Berlin' }).replace('T', ' ');
}

describe('Thinksurance Polling Trigger (V1.1)', () => {
	test('activation asks for the default window, later polls for lastDays=1; GET with X-Account-Token, no body', async () => {
		const answer = apiFixture<Record<string, { data: Record<string, unknown> }>>('inquiry-search');
		for (const inquiry of Object.values(answer)) inquiry.data.iCreated = inquiry.data.iUpdated = vendorTime(Date.now() - 3 * 86_400_000);
		const api = new DialectMock('v1.1').token().on('inquirySearch', 2, () => ({ body: answer }));
		const poller = new PollingDriver({ events: ['*'], accountToken: '', filters: {}, downloadDocuments: false }, newCredentialsHelper(dialectCredential('v1.1', { accountToken: ACCOUNT_TOKEN })));

		expect(await poller.activate()).toBeNull();
		answer['1878881'].data.status = '15';
		answer['1878881'].data.iUpdated = vendorTime();
		const items = (await poller.poll()) ?? [];

		expect(items.map((item) => [item.json.eventType, item.json.inquiryId])).toEqual([['inquiryUpdated', 1878881]]);
		expect(api.apiCalls.map((call) => `${call.method} ${call.path} ${String(call.headers['x-account-token'])}`)).toEqual([
			`GET /api/ipn/inquiries ${ACCOUNT_TOKEN}`,
			`GET /api/ipn/inquiries?lastDays=1 ${ACCOUNT_TOKEN}`,
		]);
		for (const call of api.apiCalls) expect(call.body).toBeUndefined();
		expectNoSecrets(items, SECRETS);
	});
});
