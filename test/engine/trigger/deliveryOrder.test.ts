/**
 * What a delivery costs before it is known to be worth it (n8n-core's WebhookContext): junk and
 * unauthenticated requests are refused before any node parameter is read through n8n's
 * expression engine or the credential is decrypted; an accepted delivery reads the fetch
 * parameters and the credential once, however many inquiries it names.
 */
import { WebhookContext } from 'n8n-core';

import { ApiMock, BROKER_TOKEN, apiFixture, credentialData, useApiHygiene } from '../../support/api-mock';
import { newCredentialsHelper } from '../../support/harness';
import { WEBHOOK_URL, deliver, nodeStaticData, triggerWorkflow, type TriggerSetup } from '../../support/trigger';

useApiHygiene();

const INQUIRY = /^\/api\/ipn\/inquiry\/\d+$/;
const KEY = 'b2'.repeat(24);

const inquiryAnswer = (_body: unknown, uri: string) => ({ body: apiFixture(`inquiry-${uri.split('/').pop()}`) });

function registered(): { trigger: TriggerSetup; reads: jest.SpyInstance } {
	const credentialsHelper = newCredentialsHelper(credentialData());
	const reads = jest.spyOn(credentialsHelper, 'getDecrypted');
	const trigger = triggerWorkflow(
		{ events: ['*'], registration: 'brokerCallback', brokerToken: BROKER_TOKEN, brokerExternalId: 'CRM-B-1', mappingType: 1, fetchInquiry: true, accountToken: '', downloadDocuments: false },
		credentialsHelper,
	);
	nodeStaticData(trigger).registration = { webhookUrl: WEBHOOK_URL, key: KEY, brokerToken: BROKER_TOKEN, brokerExternalId: 'CRM-B-1', mappingType: 1, testSystem: false };
	return { trigger, reads };
}

let parameters: jest.SpyInstance;
beforeEach(() => {
	parameters = jest.spyOn(WebhookContext.prototype, 'getNodeParameter');
});
afterEach(() => jest.restoreAllMocks());

const namesRead = () => parameters.mock.calls.map((call) => call[0] as string);

describe('trigger: the order of a delivery\'s work', () => {
	test.each([
		['a body that is not JSON', '{"eventType": "InquiryCreated", '],
		['a JSON body that is no notification', { hello: 'world' }],
	])('%s: 400 before any parameter or credential is read, nothing fetched', async (_name, body) => {
		const api = new ApiMock();
		const { trigger, reads } = registered();

		const { response } = await deliver(trigger, { body, query: { key: KEY } });

		expect(response.statusCode).toBe(400);
		expect(namesRead()).toEqual([]);
		expect(reads).not.toHaveBeenCalled();
		expect(api.calls).toEqual([]);
	});

	test('a request without the registered key: 401 before the body, any parameter or the credential is looked at', async () => {
		const { trigger, reads } = registered();

		const { response } = await deliver(trigger, { body: '{not even json' });

		expect(response.statusCode).toBe(401);
		expect(namesRead()).toEqual([]);
		expect(reads).not.toHaveBeenCalled();
	});

	test('a delivery naming two inquiries reads each fetch parameter and the credential once', async () => {
		const api = new ApiMock().token().on('POST', INQUIRY, 3, inquiryAnswer);
		const { trigger, reads } = registered();
		// A first delivery gets the token (and reads the credential once more to look for a stored one).
		await deliver(trigger, { body: { ...apiFixture<Record<string, unknown>>('event-inquiry-created'), eventId: 'evt-order-first' }, query: { key: KEY } });
		parameters.mockClear();
		reads.mockClear();
		const event = apiFixture<{ affected: object[] }>('event-inquiry-created');
		event.affected.push({ referenceType: 'inquiry', referenceId: '1878882', links: [] });

		// The test URL: no credential reuse across deliveries, so this delivery's own reads are counted.
		const { result } = await deliver(trigger, { body: event, query: { key: KEY } }, 'manual');

		expect(result.workflowData?.[0]).toHaveLength(2);
		expect(api.apiCalls.map((call) => call.path)).toEqual(['/api/ipn/inquiry/1878881', '/api/ipn/inquiry/1878881', '/api/ipn/inquiry/1878882']);
		const counts = namesRead().reduce<Record<string, number>>((all, name) => ({ ...all, [name]: (all[name] ?? 0) + 1 }), {});
		for (const name of ['events', 'fetchInquiry', 'accountToken', 'registration', 'brokerToken']) expect({ name, reads: counts[name] }).toEqual({ name, reads: 1 });
		expect(reads).toHaveBeenCalledTimes(1);
	});
});
