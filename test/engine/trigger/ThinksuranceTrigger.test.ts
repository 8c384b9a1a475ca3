/**
 * Thinksurance Trigger with n8n-core's HookContext (activation / deactivation) and
 * WebhookContext (deliveries): registration through Broker Forward, static data, status
 * codes, dedup, fetching the inquiry with one's own token.
 */
import nock from 'nock';

import {
	ACCOUNT_TOKEN,
	API_HASH,
	API_SECRET,
	ApiMock,
	BROKER_TOKEN,
	SECURITY_TOKEN,
	apiFixture,
	credentialData,
	expectNoSecrets,
	useApiHygiene,
} from '../../support/api-mock';
import { ThinksuranceTrigger } from '../../../nodes/ThinksuranceTrigger/ThinksuranceTrigger.node';
import { KNOWN_EVENT_TYPES, LEGACY_EVENT_TYPE } from '../../../nodes/ThinksuranceTrigger/trigger/parse';
import { newCredentialsHelper } from '../../support/harness';
import { clearProcessMemory, digestOf } from '../../../nodes/ThinksuranceTrigger/trigger/dedup';
import { WEBHOOK_URL, deliver, nodeStaticData, runHook, triggerWorkflow, type TriggerSetup } from '../../support/trigger';

useApiHygiene();

const FWD = `/api/broker/fwd/${SECURITY_TOKEN}`;
const INQUIRY = /^\/api\/ipn\/inquiry\/\d+$/;
const KEY = 'a1'.repeat(24);
const SECRETS = [SECURITY_TOKEN, API_SECRET, API_HASH];

const BROKER_CALLBACK = {
	events: ['*'],
	registration: 'brokerCallback',
	brokerToken: BROKER_TOKEN,
	brokerExternalId: 'CRM-B-1',
	mappingType: 1,
	fetchInquiry: true,
	accountToken: '',
	downloadDocuments: false,
};

function setup(parameters: Record<string, unknown> = {}, credential = credentialData(), active = true): TriggerSetup {
	return triggerWorkflow({ ...BROKER_CALLBACK, ...parameters }, newCredentialsHelper(credential), active);
}

/** A workflow whose broker callback was registered earlier (as create() stores it). */
function registered(parameters: Record<string, unknown> = {}, credential = credentialData()): TriggerSetup {
	const trigger = setup(parameters, credential);
	nodeStaticData(trigger).registration = {
		webhookUrl: WEBHOOK_URL,
		key: KEY,
		brokerToken: BROKER_TOKEN,
		brokerExternalId: 'CRM-B-1',
		mappingType: 1,
		testSystem: false,
	};
	return trigger;
}

const inquiryAnswer = (_body: unknown, uri: string) => ({ body: apiFixture(`inquiry-${uri.split('/').pop()}`) });

/** The inquiry as the interface shows it on a trigger item: `{sHash, data, customer, docs}`. */
function parsedInquiry(id: string) {
	const raw = apiFixture<{ sHash: string; data: { iId: unknown }; customer: object; docs: object }>(`inquiry-${id}`);
	return { sHash: raw.sHash, data: raw.data, customer: raw.customer, docs: raw.docs };
}

describe('trigger webhookMethods — broker callback registration', () => {
	test('activation: checkExists false → create points the broker callback at the webhook with a key → checkExists true', async () => {
		const api = new ApiMock().token().on('POST', FWD, 1, () => ({ body: { url: 'https://app.thinksurance.de/api/broker/switch/x' } }));
		const trigger = setup();

		expect(await runHook(trigger, 'checkExists')).toBe(false);
		expect(await runHook(trigger, 'create')).toBe(true);

		expect(api.apiCalls).toHaveLength(1);
		const body = api.apiCalls[0].body as Record<string, unknown>;
		expect(body).toEqual({ type: 1, bToken: BROKER_TOKEN, bExternalId: 'CRM-B-1', fullCallback: 0, callbackUrl: expect.any(String) });
		const callbackUrl = new URL(String(body.callbackUrl));
		expect(`${callbackUrl.origin}${callbackUrl.pathname}`).toBe(WEBHOOK_URL);
		const key = callbackUrl.searchParams.get('key');
		expect(key).toMatch(/^[0-9a-f]{48}$/);
		expect(nodeStaticData(trigger).registration).toEqual({
			webhookUrl: WEBHOOK_URL,
			key,
			brokerToken: BROKER_TOKEN,
			brokerExternalId: 'CRM-B-1',
			mappingType: 1,
			testSystem: false,
		});
		expect(await runHook(trigger, 'checkExists')).toBe(true);
		expect(api.tokenCalls).toHaveLength(1);
	});

	test('a delivery that loaded static data from before the activation was saved keeps the registration: 401 without the key, and deactivation still switches the callback off', async () => {
		const api = new ApiMock().token().on('POST', FWD, 2, () => ({ body: { url: 'https://app.thinksurance.de/api/broker/switch/x' } }));
		const trigger = setup();
		expect(await runHook(trigger, 'create')).toBe(true);
		const registration = nodeStaticData(trigger).registration;
		// n8n 2.40.7 saves create()'s static data after activation; a delivery in between loads the older copy.
		delete nodeStaticData(trigger).registration;

		const { response } = await deliver(trigger, { body: apiFixture('event-inquiry-created'), query: {} });

		expect(response.statusCode).toBe(401);
		expect(nodeStaticData(trigger).registration).toEqual(registration);
		delete nodeStaticData(trigger).registration;
		expect(await runHook(trigger, 'delete')).toBe(true);
		expect(api.apiCalls.map((call) => (call.body as Record<string, unknown>).fullCallback)).toEqual([0, 1]);
		expect(nodeStaticData(trigger).registration).toBeUndefined();
	});

	test('deactivation: delete switches the callback off (fullCallback 1) and clears the stored registration', async () => {
		const api = new ApiMock().token().on('POST', FWD, 1, () => ({ body: { url: 'https://app.thinksurance.de/api/broker/switch/y' } }));
		const trigger = registered();

		expect(await runHook(trigger, 'delete')).toBe(true);

		expect(api.apiCalls.map((call) => call.body)).toEqual([{ type: 1, bToken: BROKER_TOKEN, bExternalId: 'CRM-B-1', fullCallback: 1 }]);
		expect(nodeStaticData(trigger).registration).toBeUndefined();
		expect(await runHook(trigger, 'checkExists')).toBe(false);
	});

	test('test environment: the test-system callback fields (mvpFullCallback / mvpCallbackUrl) are used', async () => {
		const api = new ApiMock('https://app.dev.thinksurance.de')
			.token()
			.on('POST', FWD, 2, () => ({ body: { url: 'https://app.dev.thinksurance.de/api/broker/switch/z' } }));
		const trigger = setup({}, credentialData({ environment: 'test', baseUrl: '' }));

		await runHook(trigger, 'create');
		expect(await runHook(trigger, 'checkExists')).toBe(true);
		await runHook(trigger, 'delete');

		expect(api.apiCalls[0].body).toEqual({ type: 1, bToken: BROKER_TOKEN, bExternalId: 'CRM-B-1', mvpFullCallback: 0, mvpCallbackUrl: expect.stringMatching(/^http:\/\/localhost:5678\/webhook\/.+\?key=/) });
		expect(api.apiCalls[1].body).toEqual({ type: 1, bToken: BROKER_TOKEN, bExternalId: 'CRM-B-1', mvpFullCallback: 1 });
	});

	test('checkExists is false once the node points at another broker', async () => {
		const trigger = registered();
		trigger.node.parameters.brokerExternalId = 'CRM-B-9';

		expect(await runHook(trigger, 'checkExists')).toBe(false);
	});

	test('manual registration: all three methods succeed without any request or static data', async () => {
		const trigger = setup({ registration: 'manual' });

		expect(await runHook(trigger, 'checkExists')).toBe(true);
		expect(await runHook(trigger, 'create')).toBe(true);
		expect(await runHook(trigger, 'delete')).toBe(true);
		expect(nodeStaticData(trigger)).toEqual({});
	});

	test('a manual test run of an active workflow leaves the live registration alone', async () => {
		const trigger = registered();

		expect(await runHook(trigger, 'create', 'manual')).toBe(true);
		expect(await runHook(trigger, 'delete', 'manual')).toBe(true);
		expect(nodeStaticData(trigger).registration).toMatchObject({ key: KEY });
	});

	test('create fails with the API\'s reason when the broker token is unknown, stores nothing, shows no secret', async () => {
		new ApiMock().token().on('POST', FWD, 1, 'brokerNotFound404');
		const trigger = setup();

		let caught: unknown;
		await runHook(trigger, 'create').catch((error: unknown) => (caught = error));

		expect((caught as Error).message).toContain('Thinksurance could not forward the broker: not found (HTTP 404): Broker not found.');
		expect((caught as { description?: string }).description).toContain('broker token is unknown');
		expect(nodeStaticData(trigger).registration).toBeUndefined();
		expectNoSecrets(caught, [...SECRETS, '?key=']);
	});
});

describe('trigger webhook() — deliveries', () => {
	test('a V2 event: 204, the inquiry fetched with the broker token, one item with the documented fields', async () => {
		const api = new ApiMock().token().on('POST', INQUIRY, 1, inquiryAnswer);
		const trigger = registered();

		const { result, response, answeredBy } = await deliver(trigger, { body: apiFixture('event-inquiry-created'), query: { key: KEY } });

		// n8n gives the 204 (after creating the execution), not the node.
		expect(answeredBy).toBe('n8n');
		expect(response).toEqual({ statusCode: 204, ended: true, answers: 1 });
		expect(result.noWebhookResponse).toBeUndefined();
		expect(Object.keys(result)).toEqual(['workflowData']);
		expect(result.workflowData).toEqual([
			[
				{
					json: {
						eventType: 'inquiryCreated',
						eventId: 'evt-7d1f0c2a-0001',
						eventTime: '2025-03-20T10:15:00+01:00',
						inquiryId: 1878881,
						accountReference: 'ACC-REF-1',
						brokerReference: 'CRM-B-1',
						inquiry: parsedInquiry('1878881'),
						references: [],
					},
				},
			],
		]);
		expect(api.apiCalls.map((call) => [call.path, call.body])).toEqual([['/api/ipn/inquiry/1878881', { bToken: BROKER_TOKEN, token: SECURITY_TOKEN }]]);
		expect(JSON.stringify(result.workflowData)).not.toContain(SECURITY_TOKEN);
	});

	test.each(['rawBody', 'parsed'] as const)('the body also works when n8n hands it over as %s', async (as) => {
		new ApiMock().token().on('POST', INQUIRY, 1, inquiryAnswer);
		const trigger = registered();

		const { result, response } = await deliver(trigger, { body: apiFixture('event-inquiry-created'), query: { key: KEY }, as });

		expect(response.statusCode).toBe(204);
		expect(result.workflowData?.[0][0].json).toMatchObject({ eventType: 'inquiryCreated', inquiryId: 1878881 });
	});

	test('a redelivered event (same eventId) is answered 204 and not emitted again', async () => {
		const api = new ApiMock().token().on('POST', INQUIRY, 1, inquiryAnswer);
		const trigger = registered();
		const event = { body: apiFixture('event-inquiry-created'), query: { key: KEY } };

		const first = await deliver(trigger, event);
		const second = await deliver(trigger, event);

		expect(first.result.workflowData).toHaveLength(1);
		expect(second.answeredBy).toBe('node');
		expect(second.response).toEqual({ statusCode: 204, ended: true, answers: 1 });
		expect(second.result).toEqual({ noWebhookResponse: true });
		expect(api.apiCalls).toHaveLength(1);
		// Remembered in static data, and marked changed when n8n saves it (right before its 204).
		expect(first.staticDataSaved).toBe(true);
		expect(nodeStaticData(trigger).deliveryDigests).toBe(digestOf('event:evt-7d1f0c2a-0001'));
	});

	test('the memory is saved although n8n 2.x clears the changed mark before its deferred 204, and survives a restart', async () => {
		new ApiMock().token().on('POST', INQUIRY, 2, inquiryAnswer);
		const trigger = registered();
		const body = apiFixture<Record<string, unknown>>('event-inquiry-created');

		const first = await deliver(trigger, { body, query: { key: KEY } });
		const second = await deliver(trigger, { body: { ...body, eventId: 'evt-other-0002' }, query: { key: KEY } });

		expect([first.answeredBy, second.answeredBy]).toEqual(['n8n', 'n8n']);
		expect([first.staticDataSaved, second.staticDataSaved]).toEqual([true, true]);
		// After a restart only the database copy is left.
		clearProcessMemory();
		const saved = JSON.parse(JSON.stringify(nodeStaticData(trigger))) as Record<string, unknown>;
		const restarted = registered();
		Object.assign(nodeStaticData(restarted), saved);
		const again = await deliver(restarted, { body, query: { key: KEY } });
		expect(again.answeredBy).toBe('node');
		expect(again.result).toEqual({ noWebhookResponse: true });
	});

	test('when n8n cannot create the execution (it answers 500), the redelivery runs', async () => {
		new ApiMock().token().on('POST', INQUIRY, 2, inquiryAnswer);
		const trigger = registered();
		const event = { body: apiFixture('event-inquiry-created'), query: { key: KEY } };

		const inDatabase = JSON.stringify(nodeStaticData(trigger));
		const failed = await deliver(trigger, { ...event, executionFails: true });
		// The node notices n8n's answer within a millisecond or two.
		await new Promise((resolve) => setTimeout(resolve, 20));
		// n8n did not save: the next delivery reads what the database still holds.
		const staticData = nodeStaticData(trigger);
		for (const key of Object.keys(staticData)) delete staticData[key];
		Object.assign(staticData, JSON.parse(inDatabase));
		const redelivered = await deliver(trigger, event);

		expect(failed.response.statusCode).toBe(500);
		expect(redelivered.answeredBy).toBe('n8n');
		expect(redelivered.result.workflowData?.[0]).toHaveLength(1);
	});

	test('snake_case keys and event type: eventType normalised, the inquiry ID from reference_id', async () => {
		new ApiMock().token().on('POST', INQUIRY, 1, inquiryAnswer);
		const trigger = registered();

		const { result } = await deliver(trigger, { body: apiFixture('event-inquiry-ordered-snake'), query: { key: KEY } });

		expect(result.workflowData?.[0][0].json).toMatchObject({
			eventType: 'inquiryOrdered',
			eventId: 'evt-snake-0002',
			inquiryId: 1878882,
			inquiry: parsedInquiry('1878882'),
		});
	});

	test.each([
		['not JSON', '{"eventType": "InquiryCreated",', 'Not a Thinksurance notification: the body is not valid JSON.'],
		['neither event nor inquiry', '{"hello":"world"}', 'Not a Thinksurance notification: the body is neither a Thinksurance V2 event (eventType, affected) nor an inquiry callback.'],
		['a JSON list', '[1,2]', 'Not a Thinksurance notification: expected a JSON object, got a list.'],
		['empty', '', 'Not a Thinksurance notification: the body is empty.'],
	])('a body that is %s gets 400 with a clear message and starts nothing', async (_label, body, message) => {
		const trigger = registered();

		const { result, response, answeredBy } = await deliver(trigger, { body, query: { key: KEY } });

		expect(answeredBy).toBe('node');
		expect(response).toEqual({ statusCode: 400, body: { error: message }, ended: true, answers: 1 });
		expect(result).toEqual({ noWebhookResponse: true });
	});

	test('a delivery without the registered key gets 401 and starts nothing', async () => {
		const trigger = registered();

		const { result, response, answeredBy } = await deliver(trigger, { body: apiFixture('event-inquiry-created'), query: { key: 'b2'.repeat(24) } });

		expect(answeredBy).toBe('node');
		expect(response.statusCode).toBe(401);
		expect(response.answers).toBe(1);
		expect(result.workflowData).toBeUndefined();
		expect(JSON.stringify(response.body)).not.toContain(KEY);
	});

	test('an event not selected in Events is answered 204 and ignored, without fetching', async () => {
		const trigger = registered({ events: ['inquiryOrdered'] });

		const { result, response, answeredBy } = await deliver(trigger, { body: apiFixture('event-inquiry-created'), query: { key: KEY } });

		expect(answeredBy).toBe('node');
		expect(response).toEqual({ statusCode: 204, ended: true, answers: 1 });
		expect(result).toEqual({ noWebhookResponse: true });
	});

	test('a legacy full-inquiry callback with Fetch Inquiry off: eventType ipnCallback, the posted inquiry, no request', async () => {
		const trigger = setup({ registration: 'manual', fetchInquiry: false });
		const posted = apiFixture('inquiry-1878882');

		const { result, response } = await deliver(trigger, { body: posted });

		expect(response.statusCode).toBe(204);
		expect(result.workflowData).toEqual([
			[
				{
					json: {
						eventType: 'ipnCallback',
						eventId: null,
						eventTime: '2025-03-19 16:30:00',
						inquiryId: 1878882,
						accountReference: null,
						brokerReference: 'CRM-B-1',
						inquiry: parsedInquiry('1878882'),
						references: [],
					},
				},
			],
		]);
	});

	test('manual registration fetches with the credential\'s default account token', async () => {
		const api = new ApiMock().token().on('POST', INQUIRY, 1, inquiryAnswer);
		const trigger = setup({ registration: 'manual' }, credentialData({ accountToken: ACCOUNT_TOKEN }));

		const { response } = await deliver(trigger, { body: apiFixture('event-inquiry-created') });

		expect(response.statusCode).toBe(204);
		expect(api.apiCalls[0].body).toEqual({ aToken: ACCOUNT_TOKEN, token: SECURITY_TOKEN });
	});

	test('Thinksurance unavailable while fetching: 503 so Thinksurance redelivers, and the redelivery is then emitted', async () => {
		const busy = { status: 503, body: { error: 'busy' }, headers: { 'Content-Type': 'application/json', 'Retry-After': '0' } };
		const api = new ApiMock().token().on('POST', INQUIRY, 5, (body, uri, index) => (index < 4 ? busy : inquiryAnswer(body, uri)));
		const trigger = registered();
		const event = { body: apiFixture('event-inquiry-created'), query: { key: KEY } };

		const first = await deliver(trigger, event);
		expect(first.answeredBy).toBe('node');
		expect(first.response).toEqual({ statusCode: 503, body: { error: expect.stringContaining('deliver again later') }, ended: true, answers: 1 });
		expect(first.result.workflowData).toBeUndefined();

		const second = await deliver(trigger, event);
		expect(second.response.statusCode).toBe(204);
		expect(second.result.workflowData?.[0]).toHaveLength(1);
		expect(api.apiCalls).toHaveLength(5);
		expectNoSecrets(first.response, SECRETS);
	});

	test('an inquiry the token may not read (404) is still emitted, with the reason in fetchError', async () => {
		new ApiMock().token().on('POST', INQUIRY, 1, 'inquiryNotFound404');
		const trigger = registered();

		const { result, response } = await deliver(trigger, { body: apiFixture('event-inquiry-created'), query: { key: KEY } });

		expect(response.statusCode).toBe(204);
		const json = result.workflowData?.[0][0].json;
		expect(json).toMatchObject({ eventType: 'inquiryCreated', inquiryId: 1878881, inquiry: null });
		expect(json?.fetchError).toContain('Inquiry not found.');
		expectNoSecrets(result.workflowData, SECRETS);
	});

	test('Download Documents adds every file as binary data: data, data_1, data_2', async () => {
		new ApiMock().token().on('POST', INQUIRY, 1, inquiryAnswer);
		const files = new ApiMock('https://files.thinksurance.test');
		files.scope.get(/^\/files\/1878881\//).times(3).reply(200, Buffer.from('%PDF-1.4 x'), { 'Content-Type': 'application/pdf' });
		const trigger = registered({ downloadDocuments: true, binaryPropertyName: 'data' });

		const { result } = await deliver(trigger, { body: apiFixture('event-inquiry-created'), query: { key: KEY } });

		const item = result.workflowData?.[0][0];
		expect(Object.keys(item?.binary ?? {})).toEqual(['data', 'data_1', 'data_2']);
		expect(item?.binary?.data_2).toMatchObject({ fileName: 'notiz.txt' });
		expect(files.calls.every((call) => call.path.includes('docToken=doctok-9f8e7d6c5b'))).toBe(true);
		expect(nock.pendingMocks()).toEqual([]);
	});
});

/** The vendor's own examples (thinksurance-api.md, V2 section); the customer's elided links follow the contract's. */
const VENDOR_ORDERED = 'event-vendor-inquiry-ordered';
const VENDOR_CREATED = 'event-vendor-inquiry-created-snake';

/** Get Inquiry answers for any ID: the 1878881 fixture under that ID. */
const anyInquiryAnswer = (_body: unknown, uri: string) => {
	const raw = apiFixture<{ data: Record<string, unknown> }>('inquiry-1878881');
	return { body: { ...raw, data: { ...raw.data, iId: uri.split('/').pop() } } };
};

function emitted(outcome: { result: { workflowData?: Array<Array<{ json: Record<string, unknown> }>> } }): Array<Record<string, unknown>> {
	expect(outcome.result.workflowData).toHaveLength(1);
	return (outcome.result.workflowData?.[0] ?? []).map((item) => item.json);
}

describe('trigger webhook() — notifications as the vendor sends them', () => {
	test('the vendor\'s ordered inquiry: one item, fetched by ID from the credential\'s base URL; contract and customer ride along', async () => {
		const api = new ApiMock().token().on('POST', INQUIRY, 1, anyInquiryAnswer);
		const trigger = registered();

		const items = emitted(await deliver(trigger, { body: apiFixture(VENDOR_ORDERED), query: { key: KEY } }));

		expect(items).toEqual([
			{
				eventType: 'inquiryOrdered',
				eventId: null,
				eventTime: '2024-04-26T16:48:31.118Z',
				inquiryId: 2144385,
				accountReference: 'thinksurance',
				brokerReference: '420',
				inquiry: expect.objectContaining({ data: expect.objectContaining({ iId: '2144385' }) }),
				references: [
					{ referenceType: 'contract', referenceId: 'b75fcf90-0584-4bd8-850e-91eb0e4c15e1' },
					{ referenceType: 'customer', referenceId: '695056' },
				],
			},
		]);
		// Neither ipn.thinksurance.de nor the rest. links were followed, no contract or customer was fetched.
		expect(api.apiCalls.map((call) => call.path)).toEqual(['/api/ipn/inquiry/2144385']);
	});

	test('empty eventId and the same notificationId: a different event runs, the same body again does not', async () => {
		const api = new ApiMock().token().on('POST', INQUIRY, 2, anyInquiryAnswer);
		const trigger = registered();
		const ordered = { body: apiFixture(VENDOR_ORDERED), query: { key: KEY } };

		const first = await deliver(trigger, ordered);
		const other = await deliver(trigger, { body: apiFixture(VENDOR_CREATED), query: { key: KEY } });
		const again = await deliver(trigger, ordered);

		expect(emitted(first).map((json) => json.inquiryId)).toEqual([2144385]);
		// The older snake_case name, and a link without /api on app.: fetched by ID all the same.
		expect(emitted(other).map((json) => [json.eventType, json.inquiryId])).toEqual([['inquiryCreated', 567]]);
		expect(again.response).toEqual({ statusCode: 204, ended: true, answers: 1 });
		expect(again.result.workflowData).toBeUndefined();
		expect(api.apiCalls.map((call) => call.path)).toEqual(['/api/ipn/inquiry/2144385', '/api/ipn/inquiry/567']);
	});

	test('whatever host or path a link names, each inquiry is fetched by its ID from the credential\'s base URL', async () => {
		const api = new ApiMock().token().on('POST', INQUIRY, 4, anyInquiryAnswer);
		const trigger = registered();
		const hrefs = [
			'https://ipn.thinksurance.de/api/ipn/inquiry/101',
			'https://app.thinksurance.de/ipn/inquiry/102',
			'https://rest.thinksurance.de/api/public/v2/notifications/47/inquiries/103',
			'https://somewhere.example/steal?token=me',
		];
		const affected = hrefs.map((href, index) => ({ referenceType: 'inquiry', referenceId: String(101 + index), links: [{ contentType: 'application/json', href }] }));

		const items = emitted(await deliver(trigger, { body: { ...apiFixture<Record<string, unknown>>(VENDOR_ORDERED), eventId: 'evt-hosts', affected }, query: { key: KEY } }));

		expect(items.map((json) => json.inquiryId)).toEqual([101, 102, 103, 104]);
		expect(items.every((json) => Array.isArray(json.references) && json.references.length === 0)).toBe(true);
		expect(api.apiCalls.map((call) => call.path)).toEqual(['/api/ipn/inquiry/101', '/api/ipn/inquiry/102', '/api/ipn/inquiry/103', '/api/ipn/inquiry/104']);
	});

	test('an event that names no inquiry: one item with inquiryId and inquiry null and its references, nothing fetched', async () => {
		new ApiMock();
		const trigger = registered({ downloadDocuments: true });
		const body = {
			...apiFixture<Record<string, unknown>>(VENDOR_ORDERED),
			eventType: 'contract_created',
			affected: [
				{ referenceType: 'contract', referenceId: 'b75fcf90-0584-4bd8-850e-91eb0e4c15e1' },
				{ referenceType: 'customer', referenceId: 695056 },
			],
		};

		const items = emitted(await deliver(trigger, { body, query: { key: KEY } }));

		expect(items).toEqual([
			{
				eventType: 'contractCreated',
				eventId: null,
				eventTime: '2024-04-26T16:48:31.118Z',
				inquiryId: null,
				accountReference: 'thinksurance',
				brokerReference: '420',
				inquiry: null,
				references: [
					{ referenceType: 'contract', referenceId: 'b75fcf90-0584-4bd8-850e-91eb0e4c15e1' },
					{ referenceType: 'customer', referenceId: '695056' },
				],
			},
		]);
	});

	test('the older snake_case types can be selected in Events; others are answered 204 and ignored', async () => {
		const api = new ApiMock().token().on('POST', INQUIRY, 1, anyInquiryAnswer);
		const trigger = registered({ events: ['tenderClosed', 'offerSelected'] });
		const tender = (eventType: string, eventId: string) => ({
			body: { ...apiFixture<Record<string, unknown>>(VENDOR_ORDERED), eventType, eventId, affected: [{ referenceType: 'tender', referenceId: 't-1' }, { referenceType: 'inquiry', referenceId: '2144385' }] },
			query: { key: KEY },
		});

		const closed = await deliver(trigger, tender('tender_closed', 'evt-t1'));
		const created = await deliver(trigger, tender('tender_created', 'evt-t2'));
		const unknown = await deliver(trigger, tender('SomethingNew', 'evt-t3'));

		expect(emitted(closed)).toEqual([expect.objectContaining({ eventType: 'tenderClosed', inquiryId: 2144385, references: [{ referenceType: 'tender', referenceId: 't-1' }] })]);
		for (const ignored of [created, unknown]) {
			expect(ignored.response).toEqual({ statusCode: 204, ended: true, answers: 1 });
			expect(ignored.result.workflowData).toBeUndefined();
		}
		expect(api.apiCalls).toHaveLength(1);
	});

	test('a type in neither list is delivered under All Events and does not fail', async () => {
		new ApiMock().token().on('POST', INQUIRY, 1, anyInquiryAnswer);
		const trigger = registered();

		const items = emitted(await deliver(trigger, { body: { ...apiFixture<Record<string, unknown>>(VENDOR_ORDERED), eventType: 'QuestionnaireAnswered' }, query: { key: KEY } }));

		expect(items).toEqual([expect.objectContaining({ eventType: 'questionnaireAnswered', inquiryId: 2144385 })]);
	});

	test('the Events option offers every known type, the current and the older names, sorted by name', () => {
		const events = new ThinksuranceTrigger().description.properties.find((property) => property.name === 'events');
		const options = (events?.options ?? []) as Array<{ name: string; value: string }>;
		expect(options.map((option) => option.value).sort()).toEqual(['*', ...KNOWN_EVENT_TYPES, LEGACY_EVENT_TYPE].sort());
		const names = options.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	});

	test.each<[string, string | object, RegExp]>([
		['eventType a number and an empty reference', { eventType: 12345, affected: [{}] }, /"eventType" must be non-empty text, but is a number/],
		['a legacy callback with a non-integer data.iId', { data: { iId: 'abc' } }, /an inquiry callback needs the inquiry ID as an integer in "data\.iId", but it is text/],
		['an event with an empty affected list', { eventType: 'InquiryOrdered', eventId: 'e', affected: [] }, /"affected" must be a non-empty list/],
		['a reference without referenceId (only a link)', { eventType: 'InquiryOrdered', affected: [{ referenceType: 'inquiry', links: [{ href: 'https://ipn.thinksurance.de/api/ipn/inquiry/1878881' }] }] }, /entry 1 of "affected" needs a "referenceId"/],
		['a reference ID longer than 64 characters', { eventType: 'InquiryOrdered', affected: [{ referenceType: 'inquiry', referenceId: '1'.repeat(65) }] }, /needs a "referenceId" \(text or an integer, at most 64 characters\)/],
		['a keyed callback whose inquiry lacks data.iId', { '1878881': { data: { status: 6 }, customer: {} } }, /the inquiry under "1878881" needs its ID as an integer in "data\.iId"/],
	])('%s: 400 with the reason, nothing fetched, nothing started, nothing remembered', async (_, body, problem) => {
		const api = new ApiMock();
		const trigger = registered();

		const { result, response } = await deliver(trigger, { body, query: { key: KEY } });

		expect(response.statusCode).toBe(400);
		expect((response.body as { error: string }).error).toMatch(/^Not a Thinksurance notification: /);
		expect((response.body as { error: string }).error).toMatch(problem);
		expect(response.answers).toBe(1);
		expect(result).toEqual({ noWebhookResponse: true });
		expect(api.calls).toHaveLength(0);
		expect(nodeStaticData(trigger).deliveryDigests).toBeUndefined();
	});
});
