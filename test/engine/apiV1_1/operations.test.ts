/**
 * Every action node operation with a V1.1 credential, through n8n's engine (nock): the
 * security token as Bearer header only, the account or broker as X-Account-Token /
 * X-Broker-Token (never in the body), the /api/ipn/… paths, reads as GET with a query; the
 * outputs as the V1 suites expect them.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	ACCOUNT_TOKEN,
	API_HASH,
	API_SECRET,
	ApiMock,
	BROKER_TOKEN,
	SECURITY_TOKEN,
	apiFixture,
	expectNoSecrets,
	useApiHygiene,
	type RecordedCall,
} from '../../support/api-mock';
import { DialectMock, dialectCredential } from '../../support/dialects';
import { comparable, expectedOutput, loadWorkflow, newCredentialsHelper, nodeError, runWorkflow, type RunOptions, type WorkflowFixture } from '../../support/harness';

useApiHygiene();

const SECRETS = [SECURITY_TOKEN, API_SECRET, API_HASH];
const FILES_HOST = 'https://files.thinksurance.test';

function run(fixture: WorkflowFixture, options: Partial<RunOptions> = {}, credential: Record<string, string | number> = {}) {
	return runWorkflow(fixture, { credentialsHelper: newCredentialsHelper(dialectCredential('v1.1', credential)), ...options });
}

/** Every request of a V1.1 run carries the security token only as Bearer header. */
function expectV11(calls: RecordedCall[]): void {
	for (const call of calls) {
		expect(call.headers.authorization).toBe(`Bearer ${SECURITY_TOKEN}`);
		expect(call.path).not.toContain(SECURITY_TOKEN);
		expect(call.path.startsWith('/api/ipn/')).toBe(true);
		expect(JSON.stringify(call.body ?? {})).not.toContain(SECURITY_TOKEN);
	}
}

const lines = (calls: RecordedCall[]) => calls.map((call) => `${call.method} ${call.path}`);

describe('Broker → Forward (V1.1)', () => {
	const fixture = loadWorkflow('broker/forward.workflow.json');
	const ANSWERS: Record<string, IDataObject> = {
		'CRM-B-1': { url: 'https://app.thinksurance.de/api/broker/switch/login-hash-1', inquiryId: 1878887, inquiryHash: 'a1b2c3' },
		'CRM-B-2': { url: 'https://app.thinksurance.de/api/broker/switch/login-hash-2', inquiryId: '1878888', inquiryHash: 'd4e5f6' },
	};

	test('POST /api/ipn/brokers/forward, Bearer token, X-Broker-Token, no bToken in the body; the fixture output', async () => {
		const api = new DialectMock('v1.1').token().on('brokerForward', 2, (asked) => ({ body: ANSWERS[asked.body.bExternalId as string] }));

		const result = await run(fixture);

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(api.tokenCalls.map((call) => call.path)).toEqual(['/api/token']);
		expect(lines(api.apiCalls)).toEqual(['POST /api/ipn/brokers/forward', 'POST /api/ipn/brokers/forward']);
		expectV11(api.apiCalls);
		const byBroker = Object.fromEntries(api.apiCalls.map((call) => [(call.body as IDataObject).bExternalId, call]));
		expect(byBroker['CRM-B-1'].headers['x-broker-token']).toBe('btok-broker-abcdef12');
		expect(byBroker['CRM-B-2'].headers['x-broker-token']).toBe('btok-broker-second9');
		for (const call of api.apiCalls) {
			expect(call.body).not.toHaveProperty('bToken');
			expect(call.body).not.toHaveProperty('token');
			expect(call.headers['x-account-token']).toBeUndefined();
			expect(call.headers['content-type']).toMatch(/application\/json/);
		}
		// The rest of the body is V1's.
		expect(byBroker['CRM-B-1'].body).toMatchObject({ type: 2, bExternalId: 'CRM-B-1', bIsActive: true, cExternalId: 'C-100', productId: 7 });
		expectNoSecrets(result, SECRETS);
	});

	test('the broker token unknown (404 + error): the item error says so, the token redacted', async () => {
		new DialectMock('v1.1').token().on('brokerForward', 1, () => ({ status: 404, body: { error: 'Broker not found.' } }));

		const result = await run(fixture, {
			items: [{ brokerToken: BROKER_TOKEN, brokerId: 'CRM-B-1' }],
			replaceParameters: { resource: 'broker', operation: 'forward', brokerToken: '={{ $json.brokerToken }}', brokerExternalId: '={{ $json.brokerId }}', options: {} },
		});

		expect(nodeError(result).message).toMatch(/could not forward the broker: not found \(HTTP 404\): Broker not found\. Check the broker token\./);
		expectNoSecrets(result, SECRETS);
	});
});

describe('Broker → Create (V1.1)', () => {
	const fixture = loadWorkflow('broker/create.workflow.json');

	test('POST /api/ipn/brokers with X-Account-Token, no aToken in the body; the fixture output', async () => {
		const api = new DialectMock('v1.1')
			.token()
			.on('brokerCreate', 2, (asked) => ({ body: { status: 'success', bToken: asked.body.bExternalId === 'CRM-N-1' ? 'btok-new-0001' : 'btok-new-0002' } }));

		const result = await run(fixture, {}, { accountToken: ACCOUNT_TOKEN });

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(lines(api.apiCalls)).toEqual(['POST /api/ipn/brokers', 'POST /api/ipn/brokers']);
		expectV11(api.apiCalls);
		for (const call of api.apiCalls) {
			expect(call.headers['x-account-token']).toBe(ACCOUNT_TOKEN);
			expect(call.headers['x-broker-token']).toBeUndefined();
			expect(call.body).not.toHaveProperty('aToken');
		}
		expect(api.apiCalls.map((call) => call.body)).toContainEqual({
			type: 1,
			bExternalId: 'CRM-N-1',
			bGender: 1,
			bFirstName: 'Max',
			bLastName: 'Neumann',
			bCompany: 'Demo Maklerbüro GmbH',
			bEmail: 'neumann@makler.de',
		});
	});
});

describe('Account → Get Tokens (V1.1)', () => {
	const fixture = loadWorkflow('account/getTokens.workflow.json');

	test('GET /api/ipn/account/tokens without body: the list, nameTag kept, one item per account', async () => {
		const list = [
			{ name: 'Demo Maklerbüro GmbH', aToken: ACCOUNT_TOKEN, nameTag: 'demopool' },
			{ name: 'Zweitbüro Hamburg', aToken: 'atok-acc-zweitbuero-2', nameTag: 'zweitbuero-hh', status: 'active' },
		];
		const api = new DialectMock('v1.1').token().on('accountTokens', 2, () => ({ body: list }));

		const result = await run(fixture);

		expect(result.node().items.map((item) => item.json)).toEqual([...list, ...list]);
		expect(lines(api.apiCalls)).toEqual(['GET /api/ipn/account/tokens', 'GET /api/ipn/account/tokens']);
		expectV11(api.apiCalls);
		for (const call of api.apiCalls) {
			expect(call.body).toBeUndefined();
			expect(call.headers['content-type']).toBeUndefined();
			expect(call.headers['x-account-token']).toBeUndefined();
		}
	});

	test('a single object answer (the vendor\'s example) is one item', async () => {
		new DialectMock('v1.1').token().on('accountTokens', 1, () => ({ body: { name: 'Einzelbüro Köln', aToken: 'atok-acc-single-0001', nameTag: 'koeln' } }));

		const result = await run(fixture, { items: [{ run: 1 }] });

		expect(comparable(result.node().items)).toEqual([
			{ json: { name: 'Einzelbüro Köln', aToken: 'atok-acc-single-0001', nameTag: 'koeln' }, pairedItem: { item: 0 } },
		]);
	});
});

describe('Inquiry → Search (V1.1)', () => {
	const fixture = loadWorkflow('inquiry/search.workflow.json');

	test('typeVersion 1: GET /api/ipn/inquiries?lastDays=7 with X-Account-Token per item; the fixture output', async () => {
		const api = new DialectMock('v1.1').token().on('inquirySearch', 2, (asked) => ({
			body: asked.account === ACCOUNT_TOKEN ? apiFixture('inquiry-search') : { '1878882': apiFixture<IDataObject>('inquiry-search')['1878882'] },
		}));

		const result = await run(fixture);

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(lines(api.apiCalls)).toEqual(['GET /api/ipn/inquiries?lastDays=7', 'GET /api/ipn/inquiries?lastDays=7']);
		expectV11(api.apiCalls);
		expect(api.apiCalls.map((call) => call.headers['x-account-token']).sort()).toEqual([ACCOUNT_TOKEN, 'atok-acc-zweitbuero-2']);
		for (const call of api.apiCalls) expect(call.body).toBeUndefined();
	});

	test('typeVersion 1.1 as a broker: X-Broker-Token, no X-Account-Token, the inquiry ID filter as inquiryId', async () => {
		const api = new DialectMock('v1.1').token().on('inquirySearch', 1, () => ({ body: { '1878881': apiFixture('inquiry-1878881') } }));

		const result = await run(fixture, {
			items: [{ n: 1 }],
			nodeSettings: { typeVersion: 1.1 },
			replaceParameters: {
				resource: 'inquiry',
				operation: 'search',
				authenticateAs: 'broker',
				brokerToken: BROKER_TOKEN,
				filters: { inquiryId: 1878881, lastDays: 3 },
				simplify: false,
				options: {},
			},
		});

		expect(result.status).toBe('success');
		expect(result.node().items.map((item) => item.json.inquiryId)).toEqual([1878881]);
		expect(lines(api.apiCalls)).toEqual(['GET /api/ipn/inquiries?inquiryId=1878881&lastDays=3']);
		expect(api.apiCalls[0].headers['x-broker-token']).toBe(BROKER_TOKEN);
		expect(api.apiCalls[0].headers['x-account-token']).toBeUndefined();
		expectV11(api.apiCalls);
	});

	test('without filters: no query at all (the API\'s three months)', async () => {
		const api = new DialectMock('v1.1').token().on('inquirySearch', 1, () => ({ body: {} }));

		await run(fixture, { items: [{ aToken: ACCOUNT_TOKEN }], parameters: { filters: {} } });

		expect(lines(api.apiCalls)).toEqual(['GET /api/ipn/inquiries']);
	});
});

describe('Inquiry → Get (V1.1)', () => {
	const fixture = loadWorkflow('inquiry/get.workflow.json');

	test('GET /api/ipn/inquiries?inquiryId=… with X-Account-Token: the keyed answer is the item; the fixture output', async () => {
		const api = new DialectMock('v1.1').token().on('inquiryGet', 2, (asked) => ({ body: apiFixture(`inquiry-${asked.id}`) }));

		const result = await run(fixture);

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(lines(api.apiCalls).sort()).toEqual(['GET /api/ipn/inquiries?inquiryId=1878881', 'GET /api/ipn/inquiries?inquiryId=1878882']);
		expectV11(api.apiCalls);
		for (const call of api.apiCalls) {
			expect(call.headers['x-account-token']).toBe(ACCOUNT_TOKEN);
			expect(call.body).toBeUndefined();
		}
	});

	test('as a broker: X-Broker-Token', async () => {
		const api = new DialectMock('v1.1').token().on('inquiryGet', 1, (asked) => ({ body: apiFixture(`inquiry-${asked.id}`) }));

		const result = await run(fixture, { items: [{ inquiryId: 1878881 }], parameters: { authenticateAs: 'broker', brokerToken: BROKER_TOKEN } });

		expect(result.node().items[0].json.inquiryId).toBe(1878881);
		expect(api.apiCalls[0].headers['x-broker-token']).toBe(BROKER_TOKEN);
		expect(api.apiCalls[0].headers['x-account-token']).toBeUndefined();
	});

	test('an empty answer {} or [], a 404 with error and a keyed answer without that ID: item errors naming the inquiry ID', async () => {
		new DialectMock('v1.1').token().on('inquiryGet', 4, (asked) =>
			asked.id === '111'
				? { body: {} }
				: asked.id === '222'
					? { status: 404, body: { error: 'Inquiry not found.' } }
					: asked.id === '555'
						? { body: [] }
						: { body: { '444': apiFixture('inquiry-1878882') } },
		);

		const result = await run(fixture, {
			items: [{ inquiryId: 111 }, { inquiryId: 222 }, { inquiryId: 333 }, { inquiryId: 555 }],
			nodeSettings: { continueOnFail: true },
		});

		expect(result.node().items.map((item) => item.json.error)).toEqual([
			'Thinksurance did not return inquiry 111 [item 0]',
			expect.stringMatching(/^Thinksurance could not get inquiry 222: not found \(HTTP 404\): Inquiry not found\./),
			'Thinksurance did not return inquiry 333 [item 2]',
			// An empty list, as PHP encodes an empty answer.
			'Thinksurance did not return inquiry 555 [item 3]',
		]);
		expect(result.node().items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expectNoSecrets(result, SECRETS);
	});
});

describe('Document → Download (V1.1)', () => {
	const fixture = loadWorkflow('document/download.workflow.json');

	test('the inquiry by V1.1 Get, then its file links; the fixture output', async () => {
		const api = new DialectMock('v1.1').token().on('inquiryGet', 2, (asked) => ({ body: apiFixture(`inquiry-${asked.id}`) }));
		const files = new ApiMock(FILES_HOST);
		const contents = apiFixture<Record<string, { contentType: string; content: string }>>('document-files');
		files.scope
			.get(/^\/files\//)
			.times(Object.keys(contents).length)
			.reply((uri) => {
				const file = contents[uri.split('?')[0]];
				return [200, file.content, { 'Content-Type': file.contentType }];
			});

		const result = await run(fixture);

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(lines(api.apiCalls).sort()).toEqual(['GET /api/ipn/inquiries?inquiryId=1878881', 'GET /api/ipn/inquiries?inquiryId=1878882']);
		expectV11(api.apiCalls);
		// The file host gets the document token, never the security token.
		for (const call of files.calls) expect(JSON.stringify(call)).not.toContain(SECURITY_TOKEN);
	});
});
