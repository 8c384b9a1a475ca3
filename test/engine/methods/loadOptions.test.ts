/**
 * typeVersion 1.1 of Broker Forward: Profession and Product picked from Thinksurance's lists (run
 * as the editor runs them), the stored number sent as before, and a typed or mapped number too.
 */
import type { IDataObject } from 'n8n-workflow';

import { ApiMock, SECURITY_TOKEN, credentialData, useApiHygiene } from '../../support/api-mock';
import { loadWorkflow, newCredentialsHelper, runWorkflow } from '../../support/harness';
import { loadOptions } from '../../support/load-options';

useApiHygiene();

const PROFESSIONS = [
	{ id: 2001, name: 'Softwareentwickler' },
	{ id: 1001, name: 'Dachdecker' },
];
const PRODUCTS = [
	{ id: 101, name: 'Cyberversicherung' },
	{ id: 102, name: 'Betriebshaftpflicht' },
];
const FORWARD = { resource: 'broker', operation: 'forward' };
const helper = (apiVersion: string) => newCredentialsHelper(credentialData({ apiVersion }));

describe('Broker Forward 1.1: the option lists', () => {
	test('professions by name, the value the number the API takes (V1.1)', async () => {
		const api = new ApiMock().token().on('GET', '/api/ipn/professions', 1, () => ({ body: PROFESSIONS }));

		const options = await loadOptions('getProfessions', {
			credentialsHelper: helper('v1.1'),
			parameters: { ...FORWARD, inquiryFields: {} },
			path: 'parameters.inquiryFields.professionId',
		});

		expect(options).toEqual([
			{ name: 'Dachdecker (1001)', value: 1001 },
			{ name: 'Softwareentwickler (2001)', value: 2001 },
		]);
		expect(api.apiCalls[0].headers.authorization).toBe(`Bearer ${SECURITY_TOKEN}`);
	});

	test('products narrowed to the chosen profession (V1.1 query)', async () => {
		const api = new ApiMock().token().on('GET', '/api/ipn/products?professionId=2001', 1, () => ({ body: PRODUCTS }));

		const options = await loadOptions('getProducts', {
			credentialsHelper: helper('v1.1'),
			parameters: { ...FORWARD, inquiryFields: { professionId: 2001 } },
			path: 'parameters.inquiryFields.productId',
		});

		expect(options.map((option) => option.value)).toEqual([102, 101]);
		expect(api.apiCalls).toHaveLength(1);
	});

	test.each<[string, IDataObject]>([
		['no profession chosen', {}],
		['a profession from an expression', { professionId: '={{ $json.professionId }}' }],
	])('%s: every product (V1 body without professionId)', async (_label, inquiryFields) => {
		const api = new ApiMock().token().on('POST', '/api/products', 1, () => ({ body: PRODUCTS }));

		const options = await loadOptions('getProducts', {
			credentialsHelper: helper('v1'),
			parameters: { ...FORWARD, inquiryFields },
			path: 'parameters.inquiryFields.productId',
		});

		expect(options).toHaveLength(2);
		expect(api.apiCalls.map((call) => call.body)).toEqual([{ token: SECURITY_TOKEN }]);
	});

	test('a failing list shows the API\'s words', async () => {
		new ApiMock().token().on('GET', '/api/ipn/professions', 1, () => ({ body: { error: 'Catalogue unavailable.' } }));

		await expect(
			loadOptions('getProfessions', { credentialsHelper: helper('v1.1'), parameters: { ...FORWARD }, path: 'parameters.inquiryFields.professionId' }),
		).rejects.toThrow('Thinksurance could not list the professions: Catalogue unavailable.');
	});
});

describe('Broker Forward 1.1: what the lists store is sent as before', () => {
	const fixture = loadWorkflow('broker/forward.workflow.json');
	const FWD = `/api/broker/fwd/${SECURITY_TOKEN}`;
	const forwardBodies = async (inquiryFields: IDataObject, typeVersion = 1.1) => {
		const api = new ApiMock().token().on('POST', FWD, 2, () => ({ body: { url: 'https://app.thinksurance.test/api/broker/switch/x', inquiryId: 1, inquiryHash: 'h' } }));
		const result = await runWorkflow(fixture, {
			credentialsHelper: helper('v1'),
			nodeSettings: { typeVersion },
			items: [
				{ brokerToken: 'btok-1', brokerId: 'CRM-B-1', email: 'a@makler.de', customerId: 'C-1', customerLastName: 'K', customerEmail: 'k@example.de', productId: '105', professionId: 2001 },
				{ brokerToken: 'btok-2', brokerId: 'CRM-B-2', email: 'b@makler.de', customerId: 'C-2', customerLastName: 'L', customerEmail: 'l@example.de', productId: 106, professionId: 3001 },
			],
			parameters: { inquiryFields: { instantInquiryCreation: true, ...inquiryFields } },
		});
		expect(result.status).toBe('success');
		return api.apiCalls.map((call) => call.body as IDataObject).sort((a, b) => String(a.bExternalId).localeCompare(String(b.bExternalId)));
	};

	test('picked from the lists: the numbers', async () => {
		const bodies = await forwardBodies({ professionId: 2001, productId: 101 });
		expect(bodies.map((body) => [body.professionId, body.productId])).toEqual([
			[2001, 101],
			[2001, 101],
		]);
	});

	test('mapped from the CRM as an expression (text or number): the numbers', async () => {
		const bodies = await forwardBodies({ professionId: '={{ $json.professionId }}', productId: '={{ $json.productId }}' });
		expect(bodies.map((body) => [body.professionId, body.productId])).toEqual([
			[2001, 105],
			[3001, 106],
		]);
	});

	test('a saved typeVersion 1 workflow keeps its plain numbers', async () => {
		const bodies = await forwardBodies({ professionId: 123, productId: 7 }, 1);
		expect(bodies.map((body) => [body.professionId, body.productId])).toEqual([
			[123, 7],
			[123, 7],
		]);
	});
});
