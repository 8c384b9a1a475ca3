/** Broker → Create (legacy) through n8n's engine: account token resolution, body, write errors. */
import type { IDataObject } from 'n8n-workflow';

import {
	ACCOUNT_TOKEN,
	API_HASH,
	API_SECRET,
	ApiMock,
	SECURITY_TOKEN,
	apiFixture,
	credentialData,
	expectNoSecrets,
	useApiHygiene,
} from '../../support/api-mock';
import { comparable, expectedOutput, loadWorkflow, newCredentialsHelper, nodeError, runWorkflow, type RunOptions } from '../../support/harness';

useApiHygiene();

const fixture = loadWorkflow('broker/create.workflow.json');
const SET = `/api/broker/set/${SECURITY_TOKEN}`;
const TOKENS = `/api/account/get/tokens/${SECURITY_TOKEN}`;
const SECRETS = [SECURITY_TOKEN, API_SECRET, API_HASH];

const created = (body: { bExternalId: string }) => ({
	body: { status: 'success', bToken: body.bExternalId === 'CRM-N-1' ? 'btok-new-0001' : 'btok-new-0002' },
});

function run(options: Partial<RunOptions> = {}, credential = credentialData({ accountToken: ACCOUNT_TOKEN })) {
	return runWorkflow(fixture, { credentialsHelper: newCredentialsHelper(credential), ...options });
}

describe('broker/create', () => {
	test('two brokers in the credential\'s default account: fixture output, bodies, one token call', async () => {
		const api = new ApiMock().token().on('POST', SET, 2, created);

		const result = await run();

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(api.tokenCalls).toHaveLength(1);
		expect(api.apiCalls.map((call) => call.body)).toEqual(
			expect.arrayContaining([
				{
					aToken: ACCOUNT_TOKEN,
					type: 1,
					bExternalId: 'CRM-N-1',
					bGender: 1,
					bFirstName: 'Max',
					bLastName: 'Neumann',
					bCompany: 'Demo Maklerbüro GmbH',
					bEmail: 'neumann@makler.de',
				},
				expect.objectContaining({ aToken: ACCOUNT_TOKEN, bExternalId: 'CRM-N-2', bLastName: 'Zimmermann', bEmail: 'zimmermann@makler.de' }),
			]),
		);
		expect(api.apiCalls.every((call) => call.path === SET)).toBe(true);
	});

	test('an Account Token parameter wins over the credential\'s default', async () => {
		const api = new ApiMock().token().on('POST', SET, 2, created);

		await run({ parameters: { accountToken: 'atok-explicit-99' } });

		expect(api.apiCalls.map((call) => (call.body as { aToken: string }).aToken)).toEqual(['atok-explicit-99', 'atok-explicit-99']);
	});

	test('no account token anywhere and a single account: Get Tokens once per run (items run in parallel), then both creates', async () => {
		const api = new ApiMock().token().on('POST', TOKENS, 1, () => ({ body: apiFixture('account-tokens-single') })).on('POST', SET, 2, created);

		const result = await run({}, credentialData());

		expect(result.status).toBe('success');
		expect(api.callsTo(TOKENS)).toHaveLength(1);
		expect(api.callsTo(SET).map((call) => (call.body as { aToken: string }).aToken)).toEqual(['atok-acc-single-0001', 'atok-acc-single-0001']);
		expect(api.tokenCalls).toHaveLength(1);
	});

	test('HTTP 200 {"error":"Account not found."}: message with the API\'s reason and a hint at the account token', async () => {
		new ApiMock().token().on('POST', SET, 2, (body) => (body.bExternalId === 'CRM-N-2' ? 'accountNotFound200' : created(body)));

		const result = await run();

		const error = nodeError(result);
		expect(error.message).toBe('Thinksurance could not create the broker: Account not found. [item 1]');
		expect(error.description).toContain('Check the account token');
		expectNoSecrets(result, [...SECRETS, ACCOUNT_TOKEN]);
	});

	test('HTTP 503 on this write is not repeated and the outcome is called unknown', async () => {
		const api = new ApiMock().token().on('POST', SET, 2, (body) => (body.bExternalId === 'CRM-N-1' ? 'serverError503' : created(body)));

		const result = await run();

		const error = nodeError(result);
		expect(error.message).toMatch(/^Thinksurance had a server error \(HTTP 503[^)]*\) while trying to create the broker\./);
		expect(error.message).toContain('may or may not have applied the change');
		expect(error.message).toContain('[item 0]');
		expect(api.apiCalls).toHaveLength(2);
		expectNoSecrets(result, [...SECRETS, ACCOUNT_TOKEN]);
	});

	test('a success answer without bToken fails the item and warns that the broker may exist', async () => {
		new ApiMock().token().on('POST', SET, 2, () => ({ body: { status: 'success' } }));

		const result = await run();

		const error = nodeError(result);
		expect(error.message).toContain('Thinksurance answered Create Broker without a broker token.');
		expect(error.message).toContain('The change may have been applied');
	});

	test.each<[string, IDataObject, string[]]>([
		['neither last name nor company', { brokerFields: { firstName: 'Max' } }, ['"Broker Fields → Last Name" or "Broker Fields → Company"', 'Add the broker\'s last name or company name']],
		['e-mail with display name', { email: 'Max <max@makler.de>' }, ['"E-Mail" is not a bare e-mail address', 'without a display name']],
	])('%s → no request, message names field and fix', async (_label, parameters, expected) => {
		const result = await run({ parameters });

		const error = nodeError(result);
		for (const part of expected) expect(error.message).toContain(part);
		expect(error.message).toMatch(/\[item 0\]$/);
	});
});

describe('broker/create, API version V1.1', () => {
	test('POST /api/ipn/brokers with the account in X-Account-Token, the token as Bearer, no aToken in the body', async () => {
		const api = new ApiMock().token().on('POST', '/api/ipn/brokers', 2, (body: { bExternalId: string }) => ({
			body: { status: 'Broker Api: new broker created for the provided request.', bToken: `btok-${body.bExternalId}` },
		}));

		const result = await run({}, credentialData({ accountToken: ACCOUNT_TOKEN, apiVersion: 'v1.1' }));

		expect(result.status).toBe('success');
		expect(result.node().items.map((item) => item.json)).toEqual([
			{ status: 'Broker Api: new broker created for the provided request.', brokerToken: 'btok-CRM-N-1', brokerExternalId: 'CRM-N-1' },
			{ status: 'Broker Api: new broker created for the provided request.', brokerToken: 'btok-CRM-N-2', brokerExternalId: 'CRM-N-2' },
		]);
		for (const call of api.apiCalls) {
			expect(call.headers['x-account-token']).toBe(ACCOUNT_TOKEN);
			expect(call.headers.authorization).toBe(`Bearer ${SECURITY_TOKEN}`);
			expect(call.body).not.toHaveProperty('aToken');
			expect(call.body).not.toHaveProperty('token');
		}
		expect(api.apiCalls[0].body).toEqual(expect.objectContaining({ type: 1, bEmail: expect.any(String), bLastName: expect.any(String) }));
	});

	test('a refusal naming a field keeps the API\'s words and the hint names the field', async () => {
		new ApiMock().token().on('POST', '/api/ipn/brokers', 2, () => ({ status: 400, body: { error: 'BrokerAPI: Invalid parameters: bEmail' } }));

		const result = await run({}, credentialData({ accountToken: ACCOUNT_TOKEN, apiVersion: 'v1.1' }));

		const error = nodeError(result);
		expect(error.message).toBe('Thinksurance refused "E-Mail" while trying to create broker "CRM-N-1": BrokerAPI: Invalid parameters: bEmail [item 0]');
		expect(error.description).toContain('Check "E-Mail"');
	});
});
