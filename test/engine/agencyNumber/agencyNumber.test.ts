/** Agency Number → Add, Get Many, Delete through n8n's engine, in both dialects. */
import type { IDataObject } from 'n8n-workflow';

import {
	ACCOUNT_TOKEN,
	API_HASH,
	API_SECRET,
	ApiMock,
	BROKER_TOKEN,
	SECURITY_TOKEN,
	credentialData,
	expectNoSecrets,
	useApiHygiene,
	type RecordedCall,
} from '../../support/api-mock';
import { loadWorkflow, newCredentialsHelper, nodeError, runWorkflow, type RunOptions } from '../../support/harness';

useApiHygiene();

const fixture = loadWorkflow('agencyNumber/create.workflow.json');
const SECRETS = [SECURITY_TOKEN, API_SECRET, API_HASH, ACCOUNT_TOKEN, BROKER_TOKEN];
const V11 = '/api/ipn/agency-numbers';
const account = { __rl: true, mode: 'id', value: ACCOUNT_TOKEN };
const numberOf = (json: IDataObject) => ({
	agencyNumber: `={{ $json.number }}`,
	matchCode: 'CRM',
	externalUniqueId: '={{ $json.uid }}',
	defaultForTenders: true,
	collectionType: 'insurer_collection',
	...json,
});
const ADD = { resource: 'agencyNumber', operation: 'create', accountToken: account, insurerId: '={{ $json.bafin }}', agencyNumbers: { number: [numberOf({})] }, options: {} };
const DELETE = { resource: 'agencyNumber', operation: 'delete', accountToken: account, insurerId: '={{ $json.bafin }}', agencyNumbers: { number: [{ agencyNumber: '={{ $json.number }}' }] }, options: {} };
const GET_MANY = { resource: 'agencyNumber', operation: 'getAll', accountToken: account, options: {} };

const versions = [
	['v1', credentialData()],
	['v1.1', credentialData({ apiVersion: 'v1.1' })],
] as const;

function run(credential: Record<string, string | number>, options: Partial<RunOptions> = {}) {
	return runWorkflow(fixture, { credentialsHelper: newCredentialsHelper(credential), ...options });
}

/** Method, path, the identifying headers and the body of each API call. */
const requests = (calls: RecordedCall[]) =>
	calls.map((call) => ({
		method: call.method,
		path: call.path,
		body: call.body,
		headers: Object.fromEntries(
			Object.entries(call.headers)
				.filter(([name]) => ['authorization', 'x-account-token', 'x-broker-token'].includes(name.toLowerCase()))
				.map(([name, value]) => [name.toLowerCase(), value]),
		),
	}));

const storedNumber = (agencyNumber: string, uid: string) => ({
	agencyNumber,
	matchCode: 'CRM',
	externalUniqueId: uid,
	defaultForTenders: true,
	defaultForCalculations: false,
	collectionType: 'insurer_collection',
	active: true,
});

describe('agencyNumber/create (Add)', () => {
	test('V1.1: POST /api/ipn/agency-numbers with Bearer and X-Account-Token; one item per input item, paired', async () => {
		const api = new ApiMock().token().on('POST', V11, 2, () => ({ body: { status: 'Agency numbers saved.' } }));

		const result = await run(credentialData({ apiVersion: 'v1.1' }), { replaceParameters: ADD });

		expect(result.status).toBe('success');
		expect(result.node().items.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ status: 'Agency numbers saved.', insurerIdType: 'baFinId', insurerId: '5312', agencyNumbers: ['ALZ-1'] }, { item: 0 }],
			[{ status: 'Agency numbers saved.', insurerIdType: 'baFinId', insurerId: '7001', agencyNumbers: ['HDI-1'] }, { item: 1 }],
		]);
		expect(requests(api.apiCalls).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
			{
				method: 'POST',
				path: V11,
				headers: { authorization: `Bearer ${SECURITY_TOKEN}`, 'x-account-token': ACCOUNT_TOKEN },
				body: { agencyNumberSets: [{ baFinId: '5312', agencyNumbers: [storedNumber('ALZ-1', 'U-1')] }] },
			},
			{
				method: 'POST',
				path: V11,
				headers: { authorization: `Bearer ${SECURITY_TOKEN}`, 'x-account-token': ACCOUNT_TOKEN },
				body: { agencyNumberSets: [{ baFinId: '7001', agencyNumbers: [storedNumber('HDI-1', 'U-2')] }] },
			},
		]);
	});

	test('V1: POST /api/account/set/anums/{token}, aToken in the body, the BaFin ID spelled baFinRegNr, no Bearer', async () => {
		const api = new ApiMock().token().on('POST', `/api/account/set/anums/${SECURITY_TOKEN}`, 2, () => ({ body: { status: 'ok' } }));

		const result = await run(credentialData(), { replaceParameters: ADD });

		expect(result.node().items.map((item) => item.json.insurerId)).toEqual(['5312', '7001']);
		const sent = requests(api.apiCalls).find((call) => JSON.stringify(call.body).includes('ALZ-1'));
		expect(sent).toEqual({
			method: 'POST',
			path: `/api/account/set/anums/${SECURITY_TOKEN}`,
			headers: {},
			body: { aToken: ACCOUNT_TOKEN, agencyNumberSets: [{ baFinRegNr: '5312', agencyNumbers: [storedNumber('ALZ-1', 'U-1')] }] },
		});
	});

	test.each([
		['v1.1', credentialData({ apiVersion: 'v1.1' }), 'POST', V11, { 'x-broker-token': BROKER_TOKEN }, {}],
		['v1', credentialData(), 'POST', `/api/broker/set/anums/${SECURITY_TOKEN}`, {}, { bToken: BROKER_TOKEN }],
	] as const)('%s as broker: the broker\'s token where the dialect wants it, insurerId as the key', async (_v, credential, method, path, headers, inBody) => {
		const api = new ApiMock().token().on(method, path, 1, () => ({ body: { status: 'ok' } }));

		const result = await run(credential, {
			items: [{ number: 'X-1' }],
			replaceParameters: { ...ADD, authenticateAs: 'broker', brokerToken: BROKER_TOKEN, insurerIdType: 'insurerId', insurerId: '13', agencyNumbers: { number: [{ agencyNumber: '={{ $json.number }}' }] } },
		});

		expect(result.node().items[0].json).toEqual({ status: 'ok', insurerIdType: 'insurerId', insurerId: '13', agencyNumbers: ['X-1'] });
		const [call] = requests(api.apiCalls);
		expect(call.headers).toEqual({ ...headers, ...(_v === 'v1.1' ? { authorization: `Bearer ${SECURITY_TOKEN}` } : {}) });
		expect(call.body).toEqual({ ...inBody, agencyNumberSets: [{ insurerId: '13', agencyNumbers: [{ agencyNumber: 'X-1', defaultForTenders: false, defaultForCalculations: false, collectionType: 'insurer_collection', active: true }] }] });
		expect(JSON.stringify(call)).not.toContain(ACCOUNT_TOKEN);
	});

	describe.each(versions)('bad input fails the item before any request (%s)', (_version, credential) => {
		// Empty literals stop the workflow in n8n's own check; these come empty from the CRM's data.
		const cases: Array<[string, IDataObject, string]> = [
			['a set without an insurer ID', { insurerId: '={{ $json.nothing }}' }, '"Insurer ID" is required: Thinksurance files agency numbers by insurer.'],
			['a number without agencyNumber', { agencyNumbers: { number: [numberOf({ agencyNumber: '={{ $json.nothing }}' })] } }, '"Agency Numbers → Agency Number (entry 1)" is required.'],
			[
				'the same externalUniqueId twice',
				{ agencyNumbers: { number: [numberOf({}), numberOf({ agencyNumber: 'OTHER' })] } },
				'"Agency Numbers → External Unique ID (entry 2)" is "U-1", the same as entry 1.',
			],
			['no numbers', { agencyNumbers: {} }, '"Agency Numbers" is empty: add at least one agency number to add.'],
		];
		test.each(cases)('%s', async (_name, parameters, message) => {
			const api = new ApiMock();

			const result = await run(credential, { items: [{ bafin: '5312', number: 'ALZ-1', uid: 'U-1' }], replaceParameters: { ...ADD, ...parameters } });

			expect(result.status).toBe('error');
			const error = nodeError(result);
			expect(error.message).toContain(message);
			expect(error.message).toMatch(/\[item 0\]$/);
			expect(api.calls).toEqual([]);
		});
	});

	test('continueOnFail: the bad item gets its error, the good one is sent; both paired', async () => {
		const api = new ApiMock().token().on('POST', V11, 1, () => ({ body: { status: 'ok' } }));

		const result = await run(credentialData({ apiVersion: 'v1.1' }), {
			items: [{ bafin: '', number: 'ALZ-1', uid: 'U-1' }, { bafin: '7001', number: 'HDI-1', uid: 'U-2' }],
			replaceParameters: ADD,
			nodeSettings: { continueOnFail: true },
		});

		expect(result.status).toBe('success');
		const items = result.node().items;
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(items[0].json.error).toContain('"Insurer ID" is required');
		expect(items[1].json).toMatchObject({ status: 'ok', insurerId: '7001' });
		expect(api.apiCalls).toHaveLength(1);
	});

	test('an API refusal names the action and leaks no token', async () => {
		new ApiMock().token().on('POST', V11, 1, () => ({ status: 400, body: { error: 'Agency numbers: externalUniqueId U-1 already exists.' } }));

		const result = await run(credentialData({ apiVersion: 'v1.1' }), { items: [{ bafin: '5312', number: 'ALZ-1', uid: 'U-1' }], replaceParameters: ADD });

		const error = nodeError(result);
		expect(error.message).toContain('add the agency numbers');
		expect(error.message).toContain('externalUniqueId U-1 already exists');
		expectNoSecrets(result, SECRETS);
	});
});

describe('agencyNumber/delete', () => {
	test('V1.1: DELETE /api/ipn/agency-numbers with a JSON body and X-Account-Token', async () => {
		const api = new ApiMock().token();
		api.scope.intercept(V11, 'DELETE').times(2).reply(200, { status: 'Agency numbers deleted.' });

		const result = await run(credentialData({ apiVersion: 'v1.1' }), { replaceParameters: DELETE });

		expect(result.node().items.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ status: 'Agency numbers deleted.', insurerIdType: 'baFinId', insurerId: '5312', deleted: ['ALZ-1'] }, { item: 0 }],
			[{ status: 'Agency numbers deleted.', insurerIdType: 'baFinId', insurerId: '7001', deleted: ['HDI-1'] }, { item: 1 }],
		]);
		const sent = requests(api.apiCalls).find((call) => JSON.stringify(call.body).includes('ALZ-1'));
		expect(sent).toEqual({
			method: 'DELETE',
			path: V11,
			headers: { authorization: `Bearer ${SECURITY_TOKEN}`, 'x-account-token': ACCOUNT_TOKEN },
			body: { agencyNumberSets: [{ baFinId: '5312', agencyNumbers: [{ agencyNumber: 'ALZ-1' }] }] },
		});
	});

	test('V1: POST /api/account/delete/anums/{token}, aToken in the body, by external insurer ID', async () => {
		const api = new ApiMock().token().on('POST', `/api/account/delete/anums/${SECURITY_TOKEN}`, 1, () => ({ body: { status: 'deleted' } }));

		const result = await run(credentialData(), {
			items: [{ bafin: '5312' }],
			replaceParameters: { ...DELETE, agencyNumbers: { number: [{ externalInsurerId: 'CRM-INS-11' }] } },
		});

		expect(result.node().items[0].json).toEqual({ status: 'deleted', insurerIdType: 'baFinId', insurerId: '5312', deleted: ['CRM-INS-11'] });
		expect(requests(api.apiCalls)).toEqual([
			{
				method: 'POST',
				path: `/api/account/delete/anums/${SECURITY_TOKEN}`,
				headers: {},
				body: { aToken: ACCOUNT_TOKEN, agencyNumberSets: [{ baFinRegNr: '5312', agencyNumbers: [{ externalInsurerId: 'CRM-INS-11' }] }] },
			},
		]);
	});

	test('V1 credential as broker: V1 has no broker delete, so the V1.1 call (X-Broker-Token, baFinId)', async () => {
		const api = new ApiMock().token();
		api.scope.intercept(V11, 'DELETE').reply(200, { status: 'deleted' });

		const result = await run(credentialData(), {
			items: [{ bafin: '5312', number: 'ALZ-9001' }],
			replaceParameters: { ...DELETE, authenticateAs: 'broker', brokerToken: BROKER_TOKEN },
		});

		expect(result.node().items[0].json.deleted).toEqual(['ALZ-9001']);
		expect(requests(api.apiCalls)).toEqual([
			{
				method: 'DELETE',
				path: V11,
				headers: { authorization: `Bearer ${SECURITY_TOKEN}`, 'x-broker-token': BROKER_TOKEN },
				body: { agencyNumberSets: [{ baFinId: '5312', agencyNumbers: [{ agencyNumber: 'ALZ-9001' }] }] },
			},
		]);
	});

	describe.each(versions)('bad input fails the item before any request (%s)', (_version, credential) => {
		test.each([
			['no entries (there is no "delete all")', { agencyNumbers: {} }, '"Agency Numbers" is empty: add at least one agency number to delete.'],
			['an entry with neither field', { agencyNumbers: { number: [{ agencyNumber: '', externalInsurerId: '' }] } }, '"Agency Numbers" entry 1 names no agency number'],
			['no insurer ID', { insurerId: ' ' }, '"Insurer ID" is required'],
		] as Array<[string, IDataObject, string]>)('%s', async (_name, parameters, message) => {
			const api = new ApiMock();

			const result = await run(credential, { items: [{ bafin: '5312', number: 'A' }], replaceParameters: { ...DELETE, ...parameters } });

			expect(nodeError(result).message).toContain(message);
			expect(api.calls).toEqual([]);
		});
	});
});

describe('agencyNumber/getAll (Get Many)', () => {
	const SETS = {
		agencyNumberSets: [
			{ baFinId: '5312', agencyNumbers: [storedNumber('ALZ-1', 'U-1'), storedNumber('ALZ-2', 'U-2')] },
			{ insurerId: 12, agencyNumbers: [{ agencyNumber: 'AXA-0815', active: false }] },
		],
	};
	const GET = `/api/account/get/anums/${SECURITY_TOKEN}`;
	const item = (number: IDataObject, insurer: IDataObject) => ({
		agencyNumber: null,
		matchCode: null,
		externalInsurerId: null,
		externalUniqueId: null,
		defaultForTenders: null,
		defaultForCalculations: null,
		collectionType: null,
		internalComment: null,
		active: null,
		baFinId: null,
		insurerId: null,
		supervisingAuthorityId: null,
		...number,
		...insurer,
	});

	test.each(versions)('%s credential: the one published read, V1 POST /api/account/get/anums/{token} with token and aToken', async (_version, credential) => {
		const api = new ApiMock().token().on('POST', GET, 2, () => ({ body: SETS }));

		const result = await run(credential, { replaceParameters: { ...GET_MANY, returnAll: true } });

		expect(result.status).toBe('success');
		const items = result.node().items;
		expect(items.map((entry) => [entry.json.agencyNumber, entry.pairedItem])).toEqual([
			['ALZ-1', { item: 0 }],
			['ALZ-2', { item: 0 }],
			['AXA-0815', { item: 0 }],
			['ALZ-1', { item: 1 }],
			['ALZ-2', { item: 1 }],
			['AXA-0815', { item: 1 }],
		]);
		expect(items[0].json).toEqual(item(storedNumber('ALZ-1', 'U-1'), { baFinId: '5312' }));
		expect(items[2].json).toEqual(item({ agencyNumber: 'AXA-0815', active: false }, { insurerId: 12 }));
		expect(requests(api.apiCalls)[0]).toEqual({ method: 'POST', path: GET, headers: {}, body: { aToken: ACCOUNT_TOKEN, token: SECURITY_TOKEN } });
	});

	test('the example\'s answer key agencyNumbers and baFinRegNr; Limit counts per input item', async () => {
		new ApiMock().token().on('POST', GET, 1, () => ({
			body: { agencyNumbers: [{ baFinRegNr: '5312', agencyNumbers: [storedNumber('ALZ-1', 'U-1'), storedNumber('ALZ-2', 'U-2')] }] },
		}));

		const result = await run(credentialData({ apiVersion: 'v1.1' }), { items: [{}], replaceParameters: { ...GET_MANY, limit: 1 } });

		expect(result.node().items.map((entry) => entry.json)).toEqual([item(storedNumber('ALZ-1', 'U-1'), { baFinId: '5312' })]);
	});

	test('an answer without agency numbers is an item error, not an empty list', async () => {
		new ApiMock().token().on('POST', GET, 1, () => ({ body: { status: 'ok' } }));

		const result = await run(credentialData(), { items: [{}], replaceParameters: GET_MANY });

		expect(nodeError(result).message).toContain('Thinksurance answered Get Agency Numbers without a list of agency numbers');
	});
});
