/**
 * Accounts with a V1.1 credential: the credential's Account Tag picks the account by its
 * nameTag (the vendor's V1.1 workflow), and the editor's "From List" modes (accounts, the
 * chosen account's inquiries) speak V1.1.
 */
import { clearInquiryListCache } from '../../../nodes/Thinksurance/methods/listSearch';
import { ACCOUNT_TOKEN, API_HASH, API_SECRET, SECURITY_TOKEN, expectNoSecrets, useApiHygiene } from '../../support/api-mock';
import { DialectMock, dialectCredential, type Dialect } from '../../support/dialects';
import { loadWorkflow, newCredentialsHelper, nodeError, runWorkflow } from '../../support/harness';
import { listSearch } from '../../support/load-options';

useApiHygiene();
beforeEach(() => clearInquiryListCache());

const TAGGED = [
	{ name: 'Demo Maklerbüro GmbH', aToken: ACCOUNT_TOKEN, nameTag: 'demopool' },
	{ name: 'Zweitbüro Hamburg', aToken: 'atok-acc-zweitbuero-2', nameTag: 'zweitbuero-hh' },
];
const UNTAGGED = TAGGED.map(({ name, aToken }) => ({ name, aToken }));
const SEARCH = { resource: 'inquiry', operation: 'search', accountToken: '', filters: {}, options: {} };

function search(credential: Record<string, string | number>, items = [{ n: 1 }, { n: 2 }]) {
	return runWorkflow(loadWorkflow('inquiry/search.workflow.json'), {
		credentialsHelper: newCredentialsHelper(credential),
		items,
		replaceParameters: SEARCH,
	});
}

describe('the credential\'s Account Tag (V1.1)', () => {
	test('picks the account whose nameTag it is (case ignored): one account list for the run, then X-Account-Token', async () => {
		const api = new DialectMock('v1.1')
			.token()
			.on('accountTokens', 1, () => ({ body: TAGGED }))
			.on('inquirySearch', 2, () => ({ body: {} }));

		const result = await search(dialectCredential('v1.1', { accountTag: ' Zweitbuero-HH ' }));

		expect(result.status).toBe('success');
		expect(api.apiCalls.map((call) => `${call.method} ${call.path} ${String(call.headers['x-account-token'] ?? '-')}`)).toEqual([
			'GET /api/ipn/account/tokens -',
			'GET /api/ipn/inquiries atok-acc-zweitbuero-2',
			'GET /api/ipn/inquiries atok-acc-zweitbuero-2',
		]);
	});

	test('a Default Account Token wins: no account list asked for', async () => {
		const api = new DialectMock('v1.1').token().on('inquirySearch', 1, () => ({ body: {} }));

		await search(dialectCredential('v1.1', { accountTag: 'zweitbuero-hh', accountToken: 'atok-default-9' }), [{ n: 1 }]);

		expect(api.apiCalls.map((call) => call.headers['x-account-token'])).toEqual(['atok-default-9']);
	});

	test('no account carries the tag: the error lists the tags seen and what to do, no token in it', async () => {
		new DialectMock('v1.1').token().on('accountTokens', 1, () => ({ body: TAGGED }));

		const result = await search(dialectCredential('v1.1', { accountTag: 'demopol' }), [{ n: 1 }]);

		const error = nodeError(result);
		expect(error.message).toBe('No account of your API user carries the Account Tag "demopol". Tags seen: "demopool", "zweitbuero-hh". Open the Thinksurance credential and correct the Account Tag (your account manager gives it to you), or set a Default Account Token instead. [item 0]');
		expectNoSecrets(result, [SECURITY_TOKEN, API_HASH, API_SECRET, ACCOUNT_TOKEN, 'atok-acc-zweitbuero-2']);
	});

	test.each<[Dialect]>([['v1.1'], ['v1']])('%s: an account list without tags says so', async (dialect) => {
		new DialectMock(dialect).token().on('accountTokens', 1, () => ({ body: UNTAGGED }));

		const result = await search(dialectCredential(dialect, { accountTag: 'demopool' }), [{ n: 1 }]);

		expect(nodeError(result).message).toMatch(/^No account of your API user carries the Account Tag "demopool": Thinksurance's account list has no tags\./);
	});
});

describe('"From List" modes (V1.1)', () => {
	const GET_PARAMETERS = { resource: 'inquiry', operation: 'get', authenticateAs: 'account', accountToken: { __rl: true, mode: 'list', value: ACCOUNT_TOKEN }, inquiryId: { __rl: true, mode: 'list', value: '' } };
	const list = (method: 'searchAccounts' | 'searchInquiries', filter?: string) =>
		listSearch(method, { credentialsHelper: newCredentialsHelper(dialectCredential('v1.1')), parameters: GET_PARAMETERS, filter });

	test('accounts: GET /api/ipn/account/tokens, by name, value = aToken', async () => {
		const api = new DialectMock('v1.1').token().on('accountTokens', 1, () => ({ body: TAGGED }));

		expect(await list('searchAccounts')).toEqual({
			results: [
				{ name: 'Demo Maklerbüro GmbH', value: ACCOUNT_TOKEN },
				{ name: 'Zweitbüro Hamburg', value: 'atok-acc-zweitbuero-2' },
			],
		});
		expect(api.apiCalls.map((call) => `${call.method} ${call.path}`)).toEqual(['GET /api/ipn/account/tokens']);
	});

	test('inquiries of the chosen account: the 7-day window, then the full one, then one ID by itself; X-Account-Token each time', async () => {
		const inquiry = (id: number, lastName: string) => ({ data: { iId: id, status: 6, productName: 'Cyberversicherung', iUpdated: '2025-02-20 10:00:00' }, customer: { cLastName: lastName }, docs: {} });
		const api = new DialectMock('v1.1')
			.token()
			.on('inquirySearch', 3, (asked) => ({
				body: asked.params.inquiryId === 1700001 ? { '1700001': inquiry(1700001, 'Alt') } : asked.params.lastDays === 7 ? { '3000001': inquiry(3000001, 'Neu') } : { '3000001': inquiry(3000001, 'Neu'), '3000002': inquiry(3000002, 'Mittel') },
			}));

		const first = await list('searchInquiries');
		const byId = await list('searchInquiries', '1700001');

		expect(first.results.map((result) => result.value).sort()).toEqual(['3000001', '3000002']);
		expect(byId.results).toEqual([{ name: '1700001 · Alt · Cyberversicherung · ordered', value: '1700001' }]);
		expect(api.apiCalls.map((call) => `${call.method} ${call.path} ${String(call.headers['x-account-token'])}`)).toEqual([
			`GET /api/ipn/inquiries?lastDays=7 ${ACCOUNT_TOKEN}`,
			`GET /api/ipn/inquiries ${ACCOUNT_TOKEN}`,
			`GET /api/ipn/inquiries?inquiryId=1700001 ${ACCOUNT_TOKEN}`,
		]);
		for (const call of api.apiCalls) expect(call.headers.authorization).toBe(`Bearer ${SECURITY_TOKEN}`);
	});
});
