/**
 * The "From List" modes of typeVersion 1.1, run as the editor runs them (n8n-core's
 * LoadOptionsContext, the real credential, nock): accounts by name; inquiries of the chosen
 * account, newest first, filtered, paged, read in a small window first and then reused.
 */
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
import { newCredentialsHelper } from '../../support/harness';
import { listSearch, type ListMethod } from '../../support/load-options';
import { clearInquiryListCache, PAGE_SIZE } from '../../../nodes/Thinksurance/methods/listSearch';

useApiHygiene();
beforeEach(() => clearInquiryListCache());

const SEARCH = `/api/account-ipn/get/${SECURITY_TOKEN}`;
const TOKENS = `/api/account/get/tokens/${SECURITY_TOKEN}`;
const locator = (value: string, mode = 'list') => ({ __rl: true, mode, value });
const GET_PARAMETERS = { resource: 'inquiry', operation: 'get', authenticateAs: 'account', accountToken: locator(ACCOUNT_TOKEN), inquiryId: locator('') };

type Answer = Record<string, unknown>;

/** `count` inquiries; the lower the index, the more recently updated. The first `recent` are in the last 7 days. */
function inquiries(count: number, recent: number): { all: Answer; recent: Answer } {
	const all: Answer = {};
	const recentOnes: Answer = {};
	for (let i = 0; i < count; i++) {
		const id = 3000000 + i;
		const day = String(28 - Math.floor(i / 10)).padStart(2, '0');
		const item = {
			sHash: `h${id}`,
			data: { iId: id, status: i % 2 ? 4 : 6, productName: i % 5 ? 'Betriebshaftpflicht' : 'Cyberversicherung', iUpdated: `2025-02-${day} ${String(23 - (i % 10)).padStart(2, '0')}:00:00` },
			customer: { cFirstName: 'Kim', cLastName: `Kunde${i}`, cCompany: i === 7 ? 'Café Müller GmbH' : '' },
			docs: { files: [{ name: 'a.pdf', fullFilePath: 'https://files.thinksurance.test/x' }] },
		};
		// The API sends them by ID, not by date.
		all[String(id)] = item;
		if (i < recent) recentOnes[String(id)] = item;
	}
	return { all, recent: recentOnes };
}

function search(answers: { recent: Answer; all: Answer }, times: number) {
	return new ApiMock().token().on('POST', SEARCH, times, (body) => ({
		body: body.iId ? {} : body.lastDays === 7 ? answers.recent : answers.all,
	}));
}

function list(method: ListMethod, options: { filter?: string; paginationToken?: string; parameters?: IDataObject; credential?: Record<string, string> } = {}) {
	return listSearch(method, {
		credentialsHelper: newCredentialsHelper(credentialData(options.credential)),
		parameters: options.parameters ?? GET_PARAMETERS,
		filter: options.filter,
		paginationToken: options.paginationToken,
	});
}

describe('searchAccounts', () => {
	test('the API user\'s accounts by name, value = aToken; the filter matches names, accents optional', async () => {
		new ApiMock().token().on('POST', TOKENS, 3, () => ({ body: apiFixture('account-tokens') }));

		expect(await list('searchAccounts')).toEqual({
			results: [
				{ name: 'Demo Maklerbüro GmbH', value: ACCOUNT_TOKEN },
				{ name: 'Zweitbüro Hamburg', value: 'atok-acc-zweitbuero-2' },
			],
		});
		expect((await list('searchAccounts', { filter: 'HAMBURG' })).results.map((r) => r.name)).toEqual(['Zweitbüro Hamburg']);
		expect((await list('searchAccounts', { filter: 'maklerburo' })).results.map((r) => r.name)).toEqual(['Demo Maklerbüro GmbH']);
	});

	test('an API error is shown with the API\'s reason and without any secret', async () => {
		new ApiMock().token().on('POST', TOKENS, 1, 'invalidParameters200');

		const error = await list('searchAccounts').catch((caught: Error) => caught);

		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toContain('Invalid parameters');
		expectNoSecrets(error, [SECURITY_TOKEN, API_SECRET, API_HASH]);
	});
});

describe('searchInquiries', () => {
	test('first page: one request for the last 7 days, newest first, shown as "ID · customer · product · status"', async () => {
		const answers = inquiries(300, 80);
		const api = search(answers, 1);

		const page = await list('searchInquiries');

		expect(page.results).toHaveLength(PAGE_SIZE);
		expect(page.results.slice(0, 2)).toEqual([
			{ name: '3000000 · Kim Kunde0 · Cyberversicherung · ordered', value: '3000000' },
			{ name: '3000001 · Kim Kunde1 · Betriebshaftpflicht · calculated', value: '3000001' },
		]);
		expect(page.results[7].name).toBe('3000007 · Café Müller GmbH · Betriebshaftpflicht · calculated');
		expect(page.paginationToken).toBe(`f:${PAGE_SIZE}`);
		expect(api.apiCalls.map((call) => call.body)).toEqual([{ aToken: ACCOUNT_TOKEN, lastDays: 7 }]);
	});

	test('scrolling on reads the full window once and pages through it without asking again', async () => {
		const answers = inquiries(130, 80);
		const api = search(answers, 1);

		const second = await list('searchInquiries', { paginationToken: 'f:50' });
		const third = await list('searchInquiries', { paginationToken: second.paginationToken });

		expect(second.results.map((r) => r.value)).toEqual(Array.from({ length: 50 }, (_, i) => String(3000050 + i)));
		expect(second.paginationToken).toBe('f:100');
		expect(third.results.map((r) => r.value)).toEqual(Array.from({ length: 30 }, (_, i) => String(3000100 + i)));
		expect(third.paginationToken).toBeUndefined();
		expect(api.apiCalls.map((call) => call.body)).toEqual([{ aToken: ACCOUNT_TOKEN }]);
	});

	test('typing narrows the list: customer name, company (accents optional), product, ID digits; one request for all', async () => {
		const api = search(inquiries(300, 80), 2);

		const names = async (filter: string) => (await list('searchInquiries', { filter })).results.map((r) => r.value);

		expect(await names('kunde29')).toEqual(['3000029', ...Array.from({ length: 10 }, (_, i) => String(3000290 + i))]);
		expect(await names('cafe muller')).toEqual(['3000007']);
		expect((await names('cyber')).length).toBe(50);
		expect(await names('nobody')).toEqual([]);
		// Digits match inside IDs; no ID is exactly 300012, so that one is also asked for by itself.
		expect(await names('300012')).toEqual(Array.from({ length: 10 }, (_, i) => String(3000120 + i)));
		expect(api.apiCalls.map((call) => call.body)).toEqual([{ aToken: ACCOUNT_TOKEN }, { aToken: ACCOUNT_TOKEN, iId: 300012 }]);
	});

	test('an ID outside the window is looked up by itself', async () => {
		const older = { '1700001': { data: { iId: 1700001, status: 15, productName: 'Inhaltsversicherung' }, customer: { cCompany: 'Alt GmbH' }, docs: {} } };
		const answers = inquiries(20, 5);
		const api = new ApiMock().token().on('POST', SEARCH, 2, (body) => ({ body: body.iId === 1700001 ? older : answers.all }));

		const page = await list('searchInquiries', { filter: '1700001' });

		expect(page.results).toEqual([{ name: '1700001 · Alt GmbH · Inhaltsversicherung · proposal created', value: '1700001' }]);
		expect(api.apiCalls.map((call) => call.body)).toEqual([{ aToken: ACCOUNT_TOKEN }, { aToken: ACCOUNT_TOKEN, iId: 1700001 }]);
	});

	test('a small account: the 7-day window is not enough for a page, so the full window fills it', async () => {
		const api = search(inquiries(12, 3), 2);

		const page = await list('searchInquiries');

		expect(page.results).toHaveLength(12);
		expect(page.paginationToken).toBeUndefined();
		expect(api.apiCalls.map((call) => call.body)).toEqual([{ aToken: ACCOUNT_TOKEN, lastDays: 7 }, { aToken: ACCOUNT_TOKEN }]);
	});

	test('an account without inquiries gives an empty list', async () => {
		search({ recent: {}, all: {} }, 2);

		expect(await list('searchInquiries')).toEqual({ results: [] });
	});

	test('the list follows the chosen account (a pasted token too), and keeps accounts apart', async () => {
		const api = new ApiMock().token().on('POST', SEARCH, 2, (body) => ({ body: body.aToken === 'atok-other-5' ? inquiries(3, 0).all : {} }));

		const other = await list('searchInquiries', { filter: 'kunde', parameters: { ...GET_PARAMETERS, accountToken: locator('atok-other-5', 'id') } });
		const mine = await list('searchInquiries', { filter: 'kunde' });

		expect(other.results).toHaveLength(3);
		expect(mine.results).toEqual([]);
		expect(api.apiCalls.map((call) => (call.body as { aToken: string }).aToken)).toEqual(['atok-other-5', ACCOUNT_TOKEN]);
	});

	test('no account chosen: the credential\'s default account', async () => {
		const api = search(inquiries(3, 3), 1);

		await list('searchInquiries', { filter: 'x', credential: { accountToken: 'atok-default-3' }, parameters: { ...GET_PARAMETERS, accountToken: locator('') } });

		expect(api.apiCalls.map((call) => call.body)).toEqual([{ aToken: 'atok-default-3' }]);
	});

	test('no account chosen and several accounts: the list says which and what to do', async () => {
		new ApiMock().token().on('POST', TOKENS, 1, () => ({ body: apiFixture('account-tokens') }));

		const error = await list('searchInquiries', { parameters: { ...GET_PARAMETERS, accountToken: locator('') } }).catch((caught: Error) => caught);

		expect((error as Error).message).toContain('your API user has 2 accounts: "Demo Maklerbüro GmbH", "Zweitbüro Hamburg"');
		expectNoSecrets(error, [SECURITY_TOKEN, ACCOUNT_TOKEN, 'atok-acc-zweitbuero-2']);
	});

	test('an account given by expression cannot be listed: says what to pick instead', async () => {
		const error = await list('searchInquiries', { parameters: { ...GET_PARAMETERS, accountToken: locator('={{ $json.aToken }}', 'id') } }).catch(
			(caught: Error) => caught,
		);

		expect((error as Error).message).toBe('The inquiry list needs a fixed account, not an expression.');
	});

	test('an API error (unknown account) is shown in the list with the reason and no token in it', async () => {
		new ApiMock().token().on('POST', SEARCH, 1, 'accountNotFound200');

		const error = await list('searchInquiries').catch((caught: Error) => caught);

		expect((error as Error).message).toBe('Thinksurance could not search inquiries: Account not found.');
		expectNoSecrets(error, [SECURITY_TOKEN, API_SECRET, API_HASH, ACCOUNT_TOKEN]);
	});

	test('a failed look-up is not cached: the next look asks again', async () => {
		const answers = inquiries(3, 3);
		const api = new ApiMock()
			.token()
			.on('POST', SEARCH, 1, 'accountNotFound200')
			.on('POST', SEARCH, 1, () => ({ body: answers.all }));

		await expect(list('searchInquiries', { filter: 'kunde' })).rejects.toThrow('Account not found.');
		expect((await list('searchInquiries', { filter: 'kunde' })).results).toHaveLength(3);
		expect(api.apiCalls).toHaveLength(2);
	});
});
