/** Broker → Get Token through n8n's engine, in both dialects: look-up, create if missing (once per run), errors. */
import type { IDataObject } from 'n8n-workflow';

import {
	ACCOUNT_TOKEN,
	API_HASH,
	API_SECRET,
	ApiMock,
	SECURITY_TOKEN,
	credentialData,
	expectNoSecrets,
	useApiHygiene,
	type RecordedCall,
	type Responder,
} from '../../support/api-mock';
import { comparable, expectedOutput, loadWorkflow, newCredentialsHelper, nodeError, runWorkflow, type RunOptions } from '../../support/harness';

useApiHygiene();

const fixture = loadWorkflow('broker/getToken.workflow.json');
const SECRETS = [SECURITY_TOKEN, API_SECRET, API_HASH, ACCOUNT_TOKEN];

const V11 = { lookUp: '/api/ipn/brokers/tokens', create: '/api/ipn/brokers' };
const V1 = { lookUp: `/api/broker/get/${SECURITY_TOKEN}`, create: `/api/broker/set/${SECURITY_TOKEN}` };

const EXISTING_STATUS = 'Broker Api: existing broker for the provided request.';
const CREATED_STATUS = 'Broker Api: new broker created for the provided request.';
const NO_BROKER = 'Broker Api: no broker found for the provided request.';
const notFound404 = { status: 404, body: { error: NO_BROKER } };

/** V1.1 look-up: CRM-B-1 exists, every other ID answers 404. */
const lookUpV11: Responder = (body: { bExternalId: string }) =>
	body.bExternalId === 'CRM-B-1' ? { body: { status: EXISTING_STATUS, bToken: 'btok-existing-0001' } } : notFound404;
const createV11: Responder = () => ({ body: { status: CREATED_STATUS, bToken: 'btok-new-0001' } });

const v11Credential = () => credentialData({ apiVersion: 'v1.1' });

function run(options: Partial<RunOptions> = {}, credential = v11Credential()) {
	return runWorkflow(fixture, { credentialsHelper: newCredentialsHelper(credential), ...options });
}

const at = (api: ApiMock, path: string): RecordedCall[] => api.calls.filter((call) => call.path === path);

describe('broker/getToken, API version V1.1', () => {
	test('one broker exists, one is created: fixture output, headers and bodies of both calls', async () => {
		const api = new ApiMock().token().on('POST', V11.lookUp, 2, lookUpV11).on('POST', V11.create, 1, createV11);

		const result = await run();

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(api.tokenCalls).toHaveLength(1);
		const lookUps = at(api, V11.lookUp);
		expect(lookUps.map((call) => call.body)).toEqual(
			expect.arrayContaining([
				{ type: 1, bExternalId: 'CRM-B-1', bEmail: 'berger@makler.de', bLastName: 'Berger' },
				{ type: 1, bExternalId: 'CRM-N-1', bEmail: 'neumann@makler.de', bLastName: 'Neumann' },
			]),
		);
		const [create] = at(api, V11.create);
		expect(create.method).toBe('POST');
		expect(create.body).toEqual({ type: 1, bExternalId: 'CRM-N-1', bFirstName: 'Max', bLastName: 'Neumann', bEmail: 'neumann@makler.de' });
		for (const call of [...lookUps, create]) {
			expect(call.headers['x-account-token']).toBe(ACCOUNT_TOKEN);
			expect(call.headers.authorization).toBe(`Bearer ${SECURITY_TOKEN}`);
			expect(call.headers['x-broker-token']).toBeUndefined();
		}
		expect(api.apiCalls).toHaveLength(3);
	});

	test('Create If Missing off: an unknown broker is an item error naming its external ID, asked once, no create', async () => {
		const api = new ApiMock().token().on('POST', V11.lookUp, 2, lookUpV11);

		const result = await run({ parameters: { createIfMissing: false } });

		const error = nodeError(result);
		expect(error.message).toBe('Thinksurance has no broker with the external ID "CRM-N-1" in this account [item 1]');
		expect(error.description).toContain('Create If Missing');
		expect(error.message).not.toMatch(/security token|credential/i);
		// Not a session problem: one token call, no retry, no second path.
		expect(api.tokenCalls).toHaveLength(1);
		expect(at(api, V11.lookUp).filter((call) => (call.body as IDataObject).bExternalId === 'CRM-N-1')).toHaveLength(1);
		expect(api.calls.some((call) => call.path === '/api/ipn/brokers/token')).toBe(false);
		expectNoSecrets(result, SECRETS);
	});

	test('Continue On Fail: the unknown broker becomes {error}, the other item its token; both paired', async () => {
		new ApiMock().token().on('POST', V11.lookUp, 2, lookUpV11);

		const result = await run({ parameters: { createIfMissing: false }, nodeSettings: { continueOnFail: true } });

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual([
			{ json: { brokerToken: 'btok-existing-0001', brokerExternalId: 'CRM-B-1', created: false, status: EXISTING_STATUS }, pairedItem: { item: 0 } },
			{ json: { error: 'Thinksurance has no broker with the external ID "CRM-N-1" in this account [item 1]' }, pairedItem: { item: 1 } },
		]);
	});

	test('the older answer, HTTP 200 with an error saying no broker, is the same item error', async () => {
		new ApiMock().token().on('POST', V11.lookUp, 2, (body: { bExternalId: string }) =>
			body.bExternalId === 'CRM-B-1' ? lookUpV11(body, '', 0) : { body: { error: NO_BROKER } },
		);

		const result = await run({ parameters: { createIfMissing: false } });

		expect(nodeError(result).message).toBe('Thinksurance has no broker with the external ID "CRM-N-1" in this account [item 1]');
	});

	test('two items for the same new broker create it once: the second waits and gets its token', async () => {
		const items = [
			{ brokerId: 'CRM-N-7', lastName: 'Neumann', email: 'neumann@makler.de' },
			{ brokerId: 'CRM-N-7', lastName: 'Neumann', email: 'neumann@makler.de' },
			{ brokerId: 'CRM-B-1', lastName: 'Berger', email: 'berger@makler.de' },
		];
		const api = new ApiMock()
			.token()
			.on('POST', V11.lookUp, 3, lookUpV11)
			.on('POST', V11.create, 1, () => ({ body: { status: CREATED_STATUS, bToken: 'btok-new-0007' }, delayMs: 50 }));

		const result = await run({ items });

		expect(result.status).toBe('success');
		expect(at(api, V11.create)).toHaveLength(1);
		const out = result.node().items;
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out.map((item) => item.json.brokerToken)).toEqual(['btok-new-0007', 'btok-new-0007', 'btok-existing-0001']);
		// Exactly one item made the broker.
		expect(out.map((item) => item.json.created).filter(Boolean)).toHaveLength(1);
	});

	test('a broker made in the meantime (create refused: already exists): looked up again, created false', async () => {
		const api = new ApiMock()
			.token()
			.on('POST', V11.lookUp, 3, (body: { bExternalId: string }, _uri, index) =>
				body.bExternalId === 'CRM-B-1' ? lookUpV11(body, '', 0) : index < 2 ? notFound404 : { body: { status: EXISTING_STATUS, bToken: 'btok-other-run' } },
			)
			.on('POST', V11.create, 1, () => ({ status: 400, body: { error: 'Broker Api: a broker with this bExternalId already exists.' } }));

		const result = await run();

		expect(result.status).toBe('success');
		expect(result.node().items[1].json).toEqual({ brokerToken: 'btok-other-run', brokerExternalId: 'CRM-N-1', created: false, status: EXISTING_STATUS });
		expect(at(api, V11.lookUp)).toHaveLength(3);
	});

	test('a create refused by validation names the field as the node shows it', async () => {
		new ApiMock()
			.token()
			.on('POST', V11.lookUp, 2, lookUpV11)
			.on('POST', V11.create, 1, () => ({ status: 400, body: { error: 'BrokerAPI: Invalid parameters: bLastName' } }));

		const result = await run();

		const error = nodeError(result);
		expect(error.message).toBe(
			'Thinksurance refused "Broker Fields → Last Name" while trying to create broker "CRM-N-1": BrokerAPI: Invalid parameters: bLastName [item 1]',
		);
		expect(error.description).toContain('Check "Broker Fields → Last Name"');
	});

	test('a create with an unknown outcome (HTTP 503) is not repeated', async () => {
		const api = new ApiMock().token().on('POST', V11.lookUp, 2, lookUpV11).on('POST', V11.create, 1, 'serverError503');

		const result = await run();

		const error = nodeError(result);
		expect(error.message).toMatch(/^Thinksurance had a server error \(HTTP 503[^)]*\) while trying to create the broker\./);
		expect(at(api, V11.create)).toHaveLength(1);
		expectNoSecrets(result, SECRETS);
	});

	test('the vendor\'s other spelling …/brokers/token answers when …/brokers/tokens is not found', async () => {
		const api = new ApiMock()
			.token()
			.on('POST', V11.lookUp, 2, () => ({ status: 404, body: '<html>404</html>', headers: { 'Content-Type': 'text/html' } }))
			.on('POST', '/api/ipn/brokers/token', 2, lookUpV11)
			.on('POST', V11.create, 1, createV11);

		const result = await run();

		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(at(api, '/api/ipn/brokers/token')).toHaveLength(2);
		expect(at(api, V11.create)).toHaveLength(1);
	});

	test.each<[string, IDataObject, string]>([
		['neither last name nor company', { brokerFields: { firstName: 'Max' } }, '"Broker Fields → Last Name" or "Broker Fields → Company"'],
		['no e-mail in V1.1', { email: '', brokerFields: { lastName: 'Neumann' } }, '"E-Mail" is required'],
		['an e-mail with a trailing ";"', { email: 'max@makler.de;' }, '"E-Mail" is not a bare e-mail address'],
		['no external ID', { brokerExternalId: '={{ $json.missing }}' }, '"Broker External ID" is required'],
	])('%s: no request, the message names the field', async (_label, parameters, expected) => {
		const api = new ApiMock();

		const result = await run({ parameters });

		expect(nodeError(result).message).toContain(expected);
		expect(nodeError(result).message).toMatch(/\[item 0\]$/);
		expect(api.calls).toEqual([]);
	});
});

describe('broker/getToken, API version V1', () => {
	const v1Credential = () => credentialData({ apiVersion: 'v1' });
	const lookUpV1: Responder = (body: { bExternalId: string }) =>
		body.bExternalId === 'CRM-B-1'
			? { body: [{ bToken: 'btok-existing-0001', bLastName: 'Berger', bEmail: 'berger@makler.de', bCompany: '', bCode: 'CD-100001' }] }
			: notFound404;

	test('the list answer: token, broker code and data, status null; account and security token where V1 wants them', async () => {
		const api = new ApiMock().token().on('POST', V1.lookUp, 2, lookUpV1).on('POST', V1.create, 1, () => ({ body: { status: 'success', bToken: 'btok-new-0001' } }));

		const result = await run({}, v1Credential());

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual([
			{
				json: {
					brokerToken: 'btok-existing-0001',
					brokerExternalId: 'CRM-B-1',
					created: false,
					status: null,
					brokerCode: 'CD-100001',
					lastName: 'Berger',
					email: 'berger@makler.de',
				},
				pairedItem: { item: 0 },
			},
			{ json: { brokerToken: 'btok-new-0001', brokerExternalId: 'CRM-N-1', created: true, status: 'success' }, pairedItem: { item: 1 } },
		]);
		expect(at(api, V1.lookUp).map((call) => call.body)).toEqual(
			expect.arrayContaining([{ aToken: ACCOUNT_TOKEN, type: 1, bExternalId: 'CRM-B-1', bEmail: 'berger@makler.de', bLastName: 'Berger' }]),
		);
		expect(at(api, V1.create).map((call) => call.body)).toEqual([
			{ aToken: ACCOUNT_TOKEN, type: 1, bExternalId: 'CRM-N-1', bFirstName: 'Max', bLastName: 'Neumann', bEmail: 'neumann@makler.de' },
		]);
		for (const call of api.apiCalls) {
			expect(call.headers.authorization).toBeUndefined();
			expect(call.headers['x-account-token']).toBeUndefined();
		}
	});

	test('a list with several brokers: the entry with the external ID wins', async () => {
		new ApiMock().token().on('POST', V1.lookUp, 2, (body: { bExternalId: string }) => ({
			body: [
				{ bToken: 'btok-wrong', bExternalId: 'CRM-X' },
				{ bToken: `btok-${body.bExternalId}`, bExternalId: body.bExternalId, bCode: 'CD-1' },
			],
		}));

		const result = await run({ parameters: { createIfMissing: false } }, v1Credential());

		expect(result.node().items.map((item) => item.json.brokerToken)).toEqual(['btok-CRM-B-1', 'btok-CRM-N-1']);
	});

	test('V1 needs no e-mail for the look-up; an unknown broker (empty list) names the external ID', async () => {
		const api = new ApiMock().token().on('POST', V1.lookUp, 2, (body: { bExternalId: string }) =>
			body.bExternalId === 'CRM-B-1' ? lookUpV1(body, '', 0) : { body: [] },
		);

		const result = await run({ parameters: { createIfMissing: false, email: '' } }, v1Credential());

		expect(nodeError(result).message).toBe('Thinksurance has no broker with the external ID "CRM-N-1" in this account [item 1]');
		expect((at(api, V1.lookUp)[0].body as IDataObject).bEmail).toBeUndefined();
	});

	test('404 on the V1 path with Continue On Fail: {error} naming the ID, no retry', async () => {
		const api = new ApiMock().token().on('POST', V1.lookUp, 2, lookUpV1);

		const result = await run({ parameters: { createIfMissing: false }, nodeSettings: { continueOnFail: true } }, v1Credential());

		expect(result.node().items[1]).toEqual(
			expect.objectContaining({ json: { error: 'Thinksurance has no broker with the external ID "CRM-N-1" in this account [item 1]' }, pairedItem: { item: 1 } }),
		);
		expect(api.apiCalls).toHaveLength(2);
		expect(api.tokenCalls).toHaveLength(1);
	});

	test('typeVersion 1 with a plain account token field works the same', async () => {
		const api = new ApiMock().token().on('POST', V1.lookUp, 1, lookUpV1);

		const result = await run(
			{ nodeSettings: { typeVersion: 1 }, parameters: { accountToken: 'atok-plain-1', createIfMissing: false }, items: [{ brokerId: 'CRM-B-1', lastName: 'Berger', email: 'berger@makler.de' }] },
			v1Credential(),
		);

		expect(result.node().items[0].json.brokerToken).toBe('btok-existing-0001');
		expect((at(api, V1.lookUp)[0].body as IDataObject).aToken).toBe('atok-plain-1');
	});
});
