/** Product → Get Many and Profession → Get Many in both dialects: the calls, one item per entry, paired. */
import type { IDataObject } from 'n8n-workflow';

import { ApiMock, SECURITY_TOKEN, credentialData, useApiHygiene } from '../../support/api-mock';
import { loadWorkflow, newCredentialsHelper, nodeError, runWorkflow, type RunOptions } from '../../support/harness';

useApiHygiene();

const products = loadWorkflow('product/getAll.workflow.json');
const professions = loadWorkflow('profession/getAll.workflow.json');

const PRODUCTS: Record<string, IDataObject[]> = {
	'2001': [
		{ id: 101, name: 'Cyberversicherung', category: 'cyber' },
		{ id: 102, name: 'Betriebshaftpflicht' },
	],
	'3001': [{ id: '103', name: 'Inhaltsversicherung' }],
};
const PROFESSIONS = [
	{ id: 1001, name: 'Dachdecker' },
	{ id: 2001, name: 'Softwareentwickler' },
];

const run = (fixture: typeof products, apiVersion: string, options: Partial<RunOptions> = {}) =>
	runWorkflow(fixture, { credentialsHelper: newCredentialsHelper(credentialData({ apiVersion })), ...options });

describe('product/getAll', () => {
	test('V1.1: GET /api/ipn/products?professionId=… per item, Bearer token, no account; one item per product, paired', async () => {
		const api = new ApiMock().token().on('GET', /^\/api\/ipn\/products\?professionId=\d+$/, 2, (_body, uri) => ({
			body: PRODUCTS[new URL(uri, 'https://x').searchParams.get('professionId') ?? ''],
		}));

		const result = await run(products, 'v1.1');

		expect(result.status).toBe('success');
		expect(result.node().items.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ id: 101, name: 'Cyberversicherung', category: 'cyber' }, { item: 0 }],
			[{ id: 102, name: 'Betriebshaftpflicht' }, { item: 0 }],
			[{ id: 103, name: 'Inhaltsversicherung' }, { item: 1 }],
		]);
		expect(api.apiCalls.map((call) => [call.method, call.path]).sort()).toEqual([
			['GET', '/api/ipn/products?professionId=2001'],
			['GET', '/api/ipn/products?professionId=3001'],
		]);
		for (const call of api.apiCalls) {
			expect(call.headers.authorization).toBe(`Bearer ${SECURITY_TOKEN}`);
			expect(call.headers['x-account-token']).toBeUndefined();
			expect(call.body).toBeUndefined();
		}
	});

	test('V1: POST /api/products with {token, professionId}; no profession (0) sends none', async () => {
		const api = new ApiMock().token().on('POST', '/api/products', 1, () => ({ body: [...PRODUCTS['2001'], ...PRODUCTS['3001']] }));

		const result = await run(products, 'v1', { items: [{ n: 1 }], parameters: { professionId: 0 } });

		expect(result.node().items).toHaveLength(3);
		expect(api.apiCalls.map((call) => call.body)).toEqual([{ token: SECURITY_TOKEN }]);
	});

	test('V1 with a profession: the ID in the body', async () => {
		const api = new ApiMock().token().on('POST', '/api/products', 2, (body: { professionId: number }) => ({ body: PRODUCTS[String(body.professionId)] }));

		const result = await run(products, 'v1');

		expect(result.node().items.map((item) => item.json.id)).toEqual([101, 102, 103]);
		expect(api.apiCalls.map((call) => call.body)).toEqual(
			expect.arrayContaining([
				{ token: SECURITY_TOKEN, professionId: 2001 },
				{ token: SECURITY_TOKEN, professionId: 3001 },
			]),
		);
	});

	test('a profession ID that is no number names the field, before any request', async () => {
		const result = await run(products, 'v1.1', { items: [{ professionId: 'IT' }] });

		expect(nodeError(result).message).toBe('"Profession ID" must be a whole number but is "IT". [item 0]');
	});
});

describe('profession/getAll', () => {
	test('V1.1: GET /api/ipn/professions; one item per profession', async () => {
		const api = new ApiMock().token().on('GET', '/api/ipn/professions', 1, () => ({ body: PROFESSIONS }));

		const result = await run(professions, 'v1.1', { items: [{ n: 1 }] });

		expect(result.node().items.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ id: 1001, name: 'Dachdecker' }, { item: 0 }],
			[{ id: 2001, name: 'Softwareentwickler' }, { item: 0 }],
		]);
		expect(api.apiCalls[0].headers.authorization).toBe(`Bearer ${SECURITY_TOKEN}`);
	});

	test('V1: POST /api/professions {token}; two input items, two lists, each paired', async () => {
		const api = new ApiMock().token().on('POST', '/api/professions', 2, () => ({ body: PROFESSIONS }));

		const result = await run(professions, 'v1');

		expect(result.node().items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 1 }, { item: 1 }]);
		expect(api.apiCalls.map((call) => call.body)).toEqual([{ token: SECURITY_TOKEN }, { token: SECURITY_TOKEN }]);
	});

	test('an error answer fails the item with the API\'s words', async () => {
		const api = new ApiMock().token().on('GET', '/api/ipn/professions', 1, () => ({ body: { error: 'Profession catalogue unavailable.' } }));

		const result = await run(professions, 'v1.1', { items: [{ n: 1 }] });

		expect(nodeError(result).message).toBe('Thinksurance could not list the professions: Profession catalogue unavailable. [item 0]');
		expect(api.apiCalls).toHaveLength(1);
	});
});
