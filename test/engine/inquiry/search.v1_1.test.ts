/** Inquiry → Search in typeVersion 1.1: account locator, Return All / Limit while reading, Simplify. */
import {
	ACCOUNT_TOKEN,
	ApiMock,
	SECURITY_TOKEN,
	apiFixture,
	credentialData,
	useApiHygiene,
} from '../../support/api-mock';
import { loadWorkflow, newCredentialsHelper, nodeError, runWorkflow, type RunOptions } from '../../support/harness';

useApiHygiene();

const fixture = loadWorkflow('inquiry/search.workflow.json');
const SEARCH = `/api/account-ipn/get/${SECURITY_TOKEN}`;
const TWO_ITEMS = [{ n: 1 }, { n: 2 }];
const account = (value: string, mode = 'list') => ({ __rl: true, mode, value, ...(mode === 'list' ? { cachedResultName: 'Demo Maklerbüro GmbH' } : {}) });
const V11 = { resource: 'inquiry', operation: 'search', accountToken: account(ACCOUNT_TOKEN), filters: {}, options: {} };

type Search = Record<string, Record<string, unknown>>;
const allInquiries = () => apiFixture<Search>('inquiry-search');

/** A search answer with `count` inquiries, IDs from 2000000, every third one ordered. */
function manyInquiries(count: number): Search {
	const answer: Search = {};
	for (let i = 0; i < count; i++) {
		const id = 2000000 + i;
		answer[String(id)] = {
			sHash: `h${id}`,
			data: { iId: id, status: i % 3 === 0 ? 6 : 4, productName: 'Cyberversicherung', premiumYearly: 12345, iUpdated: '2025-03-01 10:00:00' },
			customer: { cFirstName: 'Kim', cLastName: `Kunde ${i}`, cCompany: '' },
			docs: { files: [] },
		};
	}
	return answer;
}

function run(options: Partial<RunOptions> = {}) {
	return runWorkflow(fixture, {
		credentialsHelper: newCredentialsHelper(credentialData()),
		items: TWO_ITEMS,
		replaceParameters: V11,
		nodeSettings: { typeVersion: 1.1 },
		...options,
	});
}

const ids = (items: Array<{ json: { inquiryId?: unknown } }>) => items.map((item) => item.json.inquiryId);

describe('inquiry/search typeVersion 1.1', () => {
	test('defaults: simplified items, at most 50, account from the list locator, paired to their input item', async () => {
		const api = new ApiMock().token().on('POST', SEARCH, 2, () => ({ body: manyInquiries(120) }));

		const result = await run();

		expect(result.status).toBe('success');
		const items = result.node().items;
		expect(items).toHaveLength(100);
		expect(items.filter((item) => (item.pairedItem as { item: number }).item === 0)).toHaveLength(50);
		expect(ids(items.slice(0, 3))).toEqual([2000000, 2000001, 2000002]);
		expect(items[0].json).toEqual({
			inquiryId: 2000000,
			status: 6,
			statusName: 'ordered',
			productName: 'Cyberversicherung',
			professionName: null,
			industryName: null,
			brokerExternalId: null,
			customerExternalId: null,
			customerName: 'Kim Kunde 0',
			customerCompany: null,
			customerEmail: null,
			insuranceCompanyName: null,
			premiumYearlyEur: 123.45,
			coverage: null,
			deductible: null,
			contractStartDate: null,
			created: null,
			updated: '2025-03-01 10:00:00',
			documentCount: 0,
		});
		expect(api.apiCalls.map((call) => call.body)).toEqual([{ aToken: ACCOUNT_TOKEN }, { aToken: ACCOUNT_TOKEN }]);
	});

	test('Limit counts inquiries that pass the status filter', async () => {
		new ApiMock().token().on('POST', SEARCH, 1, () => ({ body: manyInquiries(30) }));

		const result = await run({ items: [{ n: 1 }], replaceParameters: { ...V11, limit: 4, filters: { status: [6] } } });

		expect(ids(result.node().items)).toEqual([2000000, 2000003, 2000006, 2000009]);
		expect(result.node().items.map((item) => item.json.status)).toEqual([6, 6, 6, 6]);
	});

	test('Return All gives every inquiry (the limit is ignored)', async () => {
		new ApiMock().token().on('POST', SEARCH, 1, () => ({ body: manyInquiries(120) }));

		const result = await run({ items: [{ n: 1 }], replaceParameters: { ...V11, returnAll: true, limit: 3 } });

		expect(result.node().items).toHaveLength(120);
	});

	test('Simplify off gives the typeVersion 1 item {inquiryId, sHash, data, customer, docs}', async () => {
		new ApiMock().token().on('POST', SEARCH, 1, () => ({ body: allInquiries() }));

		const result = await run({ items: [{ n: 1 }], replaceParameters: { ...V11, simplify: false, limit: 2 } });

		const items = result.node().items;
		expect(ids(items)).toEqual([1878881, 1878882]);
		expect(items[0].json).toEqual({ inquiryId: 1878881, ...allInquiries()['1878881'] });
	});

	test('simplified fixture items: text status "6" → 6, unknown status 25 → statusName null, missing ID taken from the key', async () => {
		new ApiMock().token().on('POST', SEARCH, 1, () => ({ body: allInquiries() }));

		const result = await run({ items: [{ n: 1 }] });

		const items = result.node().items.map((item) => item.json);
		expect(items.map((item) => [item.inquiryId, item.status, item.statusName, item.customerName])).toEqual([
			[1878881, 6, 'ordered', 'Müller'],
			[1878882, 4, 'calculated', 'Schmidt'],
			[1878883, 25, null, 'Weber'],
			[1878884, 6, 'ordered', 'Koch'],
		]);
		expect(items[2].customerExternalId).toBeNull();
	});

	test('an account pasted "By Token" and an account mapped by expression', async () => {
		const api = new ApiMock().token().on('POST', SEARCH, 2, () => ({ body: {} }));

		const result = await run({
			parameters: { accountToken: { __rl: true, mode: 'id', value: '={{ $json.n === 1 ? "atok-by-id-1" : "atok-by-id-2" }}' } },
		});

		expect(result.status).toBe('success');
		expect(api.apiCalls.map((call) => (call.body as { aToken: string }).aToken).sort()).toEqual(['atok-by-id-1', 'atok-by-id-2']);
	});

	test('an empty locator means the credential\'s default account token', async () => {
		const api = new ApiMock().token().on('POST', SEARCH, 1, () => ({ body: {} }));

		await run({
			items: [{ n: 1 }],
			credentialsHelper: newCredentialsHelper(credentialData({ accountToken: 'atok-default-9' })),
			parameters: { accountToken: { __rl: true, mode: 'list', value: '' } },
		});

		expect(api.apiCalls.map((call) => call.body)).toEqual([{ aToken: 'atok-default-9' }]);
	});

	test('an empty locator with several accounts: the message names the field "Account" and the list', async () => {
		new ApiMock().token().on('POST', `/api/account/get/tokens/${SECURITY_TOKEN}`, 1, () => ({ body: apiFixture('account-tokens') }));

		const result = await run({ items: [{ n: 1 }], parameters: { accountToken: { __rl: true, mode: 'list', value: '' } } });

		expect(nodeError(result).message).toBe(
			'"Account" is empty and your API user has 2 accounts: "Demo Maklerbüro GmbH", "Zweitbüro Hamburg". Pick one of them in "Account" (From List), or set a Default Account Token or the Account Tag in the credential. [item 0]',
		);
	});

	test('Limit 0 fails before any request and says what to do', async () => {
		const result = await run({ items: [{ n: 1 }], parameters: { limit: 0 } });

		expect(nodeError(result).message).toBe('"Limit" must be 1 or more. Turn on "Return All" to get every inquiry. [item 0]');
	});
});
