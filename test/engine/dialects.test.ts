/**
 * The action fixtures and the trigger with a V1.1 credential: the same output as with V1 (the fixture's expected
 * output, which the V1 suites assert), while the requests are V1.1's (Bearer token, the account or
 * broker in X- headers, /api/ipn/… routes, reads as GET with a query) and no URL holds the token.
 */
import type { IDataObject } from 'n8n-workflow';

import { ACCOUNT_TOKEN, ApiMock, BROKER_TOKEN, SECURITY_TOKEN, apiFixture, credentialData, useApiHygiene, type RecordedCall } from '../support/api-mock';
import { comparable, expectedOutput, loadWorkflow, newCredentialsHelper, runWorkflow } from '../support/harness';
import { deliver, runHook, triggerWorkflow } from '../support/trigger';

useApiHygiene();

const V11 = () => newCredentialsHelper(credentialData({ apiVersion: 'v1.1', accountToken: ACCOUNT_TOKEN }));
const FILES_HOST = 'https://files.thinksurance.test';
type FileAnswer = { content: string; contentType: string };

/** One inquiry answered as V1.1 answers a search by ID: keyed by the ID. */
const byId = (uri: string) => {
	const id = new URL(uri, 'https://x').searchParams.get('inquiryId') as string;
	return { body: { [id]: apiFixture(`inquiry-${id}`) } };
};

function expectV11(calls: RecordedCall[], method: string, path: RegExp, actor?: ['x-account-token' | 'x-broker-token', string | RegExp]) {
	expect(calls.length).toBeGreaterThan(0);
	for (const call of calls) {
		expect(`${call.method} ${call.path}`).toMatch(new RegExp(`^${method} ${path.source}`));
		expect(call.headers.authorization).toBe(`Bearer ${SECURITY_TOKEN}`);
		expect(call.path).not.toContain(SECURITY_TOKEN);
		expect(JSON.stringify(call.body ?? null)).not.toContain(SECURITY_TOKEN);
		if (actor) expect(String(call.headers[actor[0]])).toMatch(actor[1]);
		const body = (call.body ?? {}) as IDataObject;
		expect(body.aToken ?? body.bToken).toBeUndefined();
	}
}

describe('action fixtures with a V1.1 credential give the V1 output', () => {
	test('Account → Get Tokens', async () => {
		const api = new ApiMock().token().on('GET', '/api/ipn/account/tokens', 2, () => ({ body: apiFixture('account-tokens') }));
		const fixture = loadWorkflow('account/getTokens.workflow.json');
		const result = await runWorkflow(fixture, { credentialsHelper: V11() });
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expectV11(api.apiCalls, 'GET', /\/api\/ipn\/account\/tokens$/);
	});

	test('Broker → Forward', async () => {
		const answers: Record<string, IDataObject> = {
			'CRM-B-1': { url: 'https://app.thinksurance.de/api/broker/switch/login-hash-1', inquiryId: 1878887, inquiryHash: 'a1b2c3' },
			'CRM-B-2': { url: 'https://app.thinksurance.de/api/broker/switch/login-hash-2', inquiryId: '1878888', inquiryHash: 'd4e5f6' },
			'CRM-B-3': { url: 'https://app.thinksurance.de/api/broker/switch/login-hash-3', inquiryId: 1878889, inquiryHash: '0a0b0c' },
		};
		const fixture = loadWorkflow('broker/forward.workflow.json');
		const api = new ApiMock().token().on('POST', '/api/ipn/brokers/forward', 2, (body: { bExternalId: string }) => ({ body: answers[body.bExternalId] }));
		const result = await runWorkflow(fixture, { credentialsHelper: V11() });
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expectV11(api.apiCalls, 'POST', /\/api\/ipn\/brokers\/forward$/, ['x-broker-token', /^btok-/]);
	});

	test('Broker → Create', async () => {
		const fixture = loadWorkflow('broker/create.workflow.json');
		const api = new ApiMock()
			.token()
			.on('POST', '/api/ipn/brokers', 2, (body: { bExternalId: string }) => ({ body: { status: 'success', bToken: body.bExternalId === 'CRM-N-1' ? 'btok-new-0001' : 'btok-new-0002' } }));
		const result = await runWorkflow(fixture, { credentialsHelper: V11() });
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expectV11(api.apiCalls, 'POST', /\/api\/ipn\/brokers$/, ['x-account-token', ACCOUNT_TOKEN]);
	});

	test('Inquiry → Search', async () => {
		const fixture = loadWorkflow('inquiry/search.workflow.json');
		const all = apiFixture<IDataObject>('inquiry-search');
		const api = new ApiMock()
			.token()
			.on('GET', /^\/api\/ipn\/inquiries\?lastDays=7$/, 2, (_body, _uri, _index, headers) => ({ body: headers?.['x-account-token'] === ACCOUNT_TOKEN ? all : { '1878882': all['1878882'] } }));
		const result = await runWorkflow(fixture, { credentialsHelper: V11() });
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expectV11(api.apiCalls, 'GET', /\/api\/ipn\/inquiries\?lastDays=7$/, ['x-account-token', /^atok-/]);
	});

	test('Inquiry → Get', async () => {
		const fixture = loadWorkflow('inquiry/get.workflow.json');
		const api = new ApiMock().token().on('GET', /^\/api\/ipn\/inquiries\?inquiryId=\d+$/, 2, (_body, uri) => byId(uri));
		const result = await runWorkflow(fixture, { credentialsHelper: V11() });
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expectV11(api.apiCalls, 'GET', /\/api\/ipn\/inquiries\?inquiryId=\d+$/, ['x-account-token', ACCOUNT_TOKEN]);
	});

	test('Document → Download', async () => {
		const fixture = loadWorkflow('document/download.workflow.json');
		const api = new ApiMock().token().on('GET', /^\/api\/ipn\/inquiries\?inquiryId=\d+$/, 2, (_body, uri) => byId(uri));
		const FILES = apiFixture<Record<string, FileAnswer>>('document-files');
		const files = new ApiMock(FILES_HOST);
		files.scope
			.get(/^\/files\//)
			.times(4)
			.reply((uri: string) => {
				const file = FILES[uri.split('?')[0]];
				return file ? [200, Buffer.from(file.content, 'utf8'), { 'Content-Type': file.contentType }] : [404, 'not found', { 'Content-Type': 'text/html' }];
			});
		const result = await runWorkflow(fixture, { credentialsHelper: V11() });
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expectV11(api.apiCalls, 'GET', /\/api\/ipn\/inquiries\?inquiryId=\d+$/, ['x-account-token', ACCOUNT_TOKEN]);
		// The document links carry their document token, never the security token.
		expect(JSON.stringify(files.calls)).not.toContain(SECURITY_TOKEN);
	});
});

describe('Thinksurance Trigger with a V1.1 credential', () => {
	const BROKER_CALLBACK = { events: ['*'], registration: 'brokerCallback', brokerToken: BROKER_TOKEN, brokerExternalId: 'CRM-B-1', mappingType: 1, fetchInquiry: true, accountToken: '', downloadDocuments: false };
	const v11Trigger = () => triggerWorkflow(BROKER_CALLBACK, newCredentialsHelper(credentialData({ apiVersion: 'v1.1' })));

	test('activation and deactivation through V1.1 Broker Forward (X-Broker-Token), as V1 does through its own', async () => {
		const api = new ApiMock().token().on('POST', '/api/ipn/brokers/forward', 2, () => ({ body: { url: 'https://app.thinksurance.de/api/broker/switch/x' } }));
		const trigger = v11Trigger();

		expect(await runHook(trigger, 'create')).toBe(true);
		expect(await runHook(trigger, 'delete')).toBe(true);

		expectV11(api.apiCalls, 'POST', /\/api\/ipn\/brokers\/forward$/, ['x-broker-token', BROKER_TOKEN]);
		const [on, off] = api.apiCalls.map((call) => call.body as IDataObject);
		expect(on).toEqual({ type: 1, bExternalId: 'CRM-B-1', fullCallback: 0, callbackUrl: expect.stringContaining('?key=') });
		expect(off).toMatchObject({ type: 1, bExternalId: 'CRM-B-1', fullCallback: 1 });
	});

	test('a V2 event: the inquiry fetched by ID through V1.1 with the broker token; the item as with V1', async () => {
		const api = new ApiMock().token().on('POST', '/api/ipn/brokers/forward', 1, () => ({ body: { url: 'https://app.thinksurance.de/api/broker/switch/x' } }));
		api.on('GET', /^\/api\/ipn\/inquiries\?inquiryId=\d+$/, 1, (_body, uri) => byId(uri));
		const trigger = v11Trigger();
		await runHook(trigger, 'create');
		const key = new URL(String((api.apiCalls[0].body as IDataObject).callbackUrl)).searchParams.get('key');

		const { result, response } = await deliver(trigger, { body: apiFixture('event-inquiry-created'), query: { key } });

		expect(response.statusCode).toBe(204);
		const raw = apiFixture<{ sHash: string; data: object; customer: object; docs: object }>('inquiry-1878881');
		expect(result.workflowData?.[0][0].json).toEqual({
			eventType: 'inquiryCreated',
			eventId: 'evt-7d1f0c2a-0001',
			eventTime: '2025-03-20T10:15:00+01:00',
			inquiryId: 1878881,
			accountReference: 'ACC-REF-1',
			brokerReference: 'CRM-B-1',
			inquiry: { sHash: raw.sHash, data: raw.data, customer: raw.customer, docs: raw.docs },
			references: [],
		});
		expectV11(api.apiCalls.slice(1), 'GET', /\/api\/ipn\/inquiries\?inquiryId=1878881$/, ['x-broker-token', BROKER_TOKEN]);
		expect(JSON.stringify(result.workflowData)).not.toContain(SECURITY_TOKEN);
	});
});
