/**
 * Calls of the API layer that no operation on this branch makes yet (agency numbers, products,
 * broker token), made as an operation would (thinksuranceApiRequest in n8n-core's
 * ExecuteContext, the real credential, nock): DELETE with a JSON body, a query on GET, the
 * alternate spelling of a path, and a call only V1 has made by a V1.1 credential.
 */
import { ExecuteContext } from 'n8n-core';
import { Workflow, type INode, type IRunExecutionData } from 'n8n-workflow';

import { thinksuranceApiRequest } from '../../../nodes/shared/api';
import { ACCOUNT_TOKEN, ApiMock, SECURITY_TOKEN, useApiHygiene } from '../../support/api-mock';
import { dialectCredential, type Dialect } from '../../support/dialects';
import { ACTION_NODE_TYPE, CREDENTIAL_REFERENCE, CREDENTIAL_TYPE, additionalDataFor, newCredentialsHelper, nodeTypes } from '../../support/harness';

useApiHygiene();

function context(dialect: Dialect = 'v1.1'): ExecuteContext {
	const node: INode = {
		id: 'n',
		name: 'Thinksurance',
		type: ACTION_NODE_TYPE,
		typeVersion: 1.1,
		position: [0, 0],
		parameters: {},
		credentials: { [CREDENTIAL_TYPE]: { ...CREDENTIAL_REFERENCE } },
	};
	const workflow = new Workflow({ id: 'wf-calls', nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = additionalDataFor(newCredentialsHelper(dialectCredential(dialect)));
	const runExecutionData = { resultData: { runData: {} } } as unknown as IRunExecutionData;
	const self = workflow.getNode('Thinksurance') as INode;
	return new ExecuteContext(workflow, self, additionalData, 'manual', runExecutionData, 0, [{ json: {} }], {}, { node: self, data: { main: [[{ json: {} }]] }, source: null }, []);
}

const SETS = { agencyNumberSets: [{ insurerId: 11, agencyNumbers: [{ agencyNumber: 'AG-1' }] }] };

describe('V1.1 calls of the API layer', () => {
	test('Delete agency numbers: DELETE /api/ipn/agency-numbers with the JSON body, X-Account-Token, Bearer', async () => {
		const api = new ApiMock().token().on('DELETE', '/api/ipn/agency-numbers', 1, () => ({ body: { status: 'deleted' } }));

		const answer = await thinksuranceApiRequest.call(context(), 'agencyNumbersDelete', { account: ACCOUNT_TOKEN, body: SETS }, { itemIndex: 0 });

		expect(answer).toEqual({ status: 'deleted' });
		const [call] = api.apiCalls;
		expect([call.method, call.path]).toEqual(['DELETE', '/api/ipn/agency-numbers']);
		expect(call.body).toEqual(SETS);
		expect(call.headers['x-account-token']).toBe(ACCOUNT_TOKEN);
		expect(call.headers.authorization).toBe(`Bearer ${SECURITY_TOKEN}`);
		expect(call.headers['content-type']).toMatch(/application\/json/);
	});

	test('a failed delete (a write) is not repeated: one request on HTTP 500', async () => {
		const api = new ApiMock().token().on('DELETE', '/api/ipn/agency-numbers', 1, () => ({ status: 500, body: { error: 'boom' } }));

		await expect(thinksuranceApiRequest.call(context(), 'agencyNumbersDelete', { broker: 'btok-1', body: SETS }, { itemIndex: 0 })).rejects.toThrow(
			/server error \(HTTP 500, boom\) while trying to delete the agency numbers\. Thinksurance may or may not have applied the change/,
		);
		expect(api.apiCalls).toHaveLength(1);
		expect(api.apiCalls[0].headers['x-broker-token']).toBe('btok-1');
	});

	test('Products for a profession: GET /api/ipn/products?professionId=…, no body', async () => {
		const api = new ApiMock().token().on('GET', '/api/ipn/products', 1, () => ({ body: [{ id: 7, name: 'Cyber' }] }));

		expect(await thinksuranceApiRequest.call(context(), 'products', { params: { professionId: 123 } })).toEqual([{ id: 7, name: 'Cyber' }]);
		expect(api.apiCalls.map((call) => [call.method, call.path, call.body])).toEqual([['GET', '/api/ipn/products?professionId=123', undefined]]);
	});

	test('Get broker token: /brokers/tokens not found → the alternate spelling /brokers/token, remembered for the next call', async () => {
		const api = new ApiMock()
			.token()
			.on('POST', '/api/ipn/brokers/tokens', 1, () => ({ status: 404, body: '<html>Not Found</html>', headers: { 'Content-Type': 'text/html' } }))
			.on('POST', '/api/ipn/brokers/token', 2, () => ({ body: { status: 'existing', bToken: 'btok-found' } }));
		const body = { type: 2, bExternalId: 'CRM-B-1', bEmail: 'a@makler.de', bLastName: 'Makler' };

		await thinksuranceApiRequest.call(context(), 'brokerToken', { account: ACCOUNT_TOKEN, body });
		await thinksuranceApiRequest.call(context(), 'brokerToken', { account: ACCOUNT_TOKEN, body });

		expect(api.apiCalls.map((call) => call.path)).toEqual(['/api/ipn/brokers/tokens', '/api/ipn/brokers/token', '/api/ipn/brokers/token']);
		expect(api.apiCalls[0].body).toEqual(body);
	});

	test('the remembered spelling no longer found: the other one is tried again', async () => {
		const notFound = () => ({ status: 404, body: '', headers: {} });
		const api = new ApiMock()
			.token()
			.on('POST', '/api/ipn/brokers/tokens', 1, notFound)
			.on('POST', '/api/ipn/brokers/token', 1, () => ({ body: { bToken: 'btok-1' } }))
			.on('POST', '/api/ipn/brokers/token', 1, notFound)
			.on('POST', '/api/ipn/brokers/tokens', 1, () => ({ body: { bToken: 'btok-1' } }));
		const body = { type: 2, bExternalId: 'CRM-B-1', bEmail: 'a@makler.de', bLastName: 'Makler' };

		await thinksuranceApiRequest.call(context(), 'brokerToken', { account: ACCOUNT_TOKEN, body });
		expect(await thinksuranceApiRequest.call(context(), 'brokerToken', { account: ACCOUNT_TOKEN, body })).toEqual({ bToken: 'btok-1' });

		expect(api.apiCalls.map((call) => call.path)).toEqual(['/api/ipn/brokers/tokens', '/api/ipn/brokers/token', '/api/ipn/brokers/token', '/api/ipn/brokers/tokens']);
	});

	test('a broker that does not exist (404 with an API error) is an answer, not an unknown path: no second spelling', async () => {
		const api = new ApiMock().token().on('POST', '/api/ipn/brokers/tokens', 1, () => ({ status: 404, body: { error: 'Broker not found.' } }));

		await expect(
			thinksuranceApiRequest.call(context(), 'brokerToken', { account: ACCOUNT_TOKEN, body: { type: 2, bExternalId: 'X', bEmail: 'a@b.de', bLastName: 'L' } }),
		).rejects.toThrow(/not found \(HTTP 404\): Broker not found\./);
		expect(api.apiCalls).toHaveLength(1);
	});

	/*
	 * The known exception: Get agency numbers exists only in V1, so a V1.1 credential makes it in
	 * V1 (token in the path and the body, the account in the body) on V1's host; with a custom
	 * base URL that is the same host.
	 */
	test('Get agency numbers with a V1.1 credential: the V1 call (token in its path and body)', async () => {
		const api = new ApiMock().token().on('POST', `/api/account/get/anums/${SECURITY_TOKEN}`, 1, () => ({ body: { agencyNumberSets: [] } }));

		expect(await thinksuranceApiRequest.call(context(), 'agencyNumbersGet', { account: ACCOUNT_TOKEN })).toEqual({ agencyNumberSets: [] });
		expect(api.apiCalls[0].body).toEqual({ aToken: ACCOUNT_TOKEN, token: SECURITY_TOKEN });
		expect(api.apiCalls[0].headers['x-account-token']).toBeUndefined();
	});

	test('production: that V1 call goes to the V1 host, the token still from the V1.1 host', async () => {
		const v11 = new ApiMock('https://ipn.thinksurance.de').token();
		const v1 = new ApiMock('https://app.thinksurance.de').on('POST', `/api/account/get/anums/${SECURITY_TOKEN}`, 1, () => ({ body: { agencyNumbers: [] } }));
		const ctx = context();
		const helper = (ctx as unknown as { additionalData: { credentialsHelper: ReturnType<typeof newCredentialsHelper> } }).additionalData.credentialsHelper;
		helper.setCredentials(CREDENTIAL_TYPE, dialectCredential('v1.1', { environment: 'production', baseUrl: '' }));

		await thinksuranceApiRequest.call(ctx, 'agencyNumbersGet', { account: ACCOUNT_TOKEN });

		expect(v11.tokenCalls).toHaveLength(1);
		expect(v1.apiCalls.map((call) => call.path)).toEqual([`/api/account/get/anums/${SECURITY_TOKEN}`]);
	});
});
