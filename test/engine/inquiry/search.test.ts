/** Inquiry → Search through n8n's engine: fan-out, filters, account token resolution, read retries. */
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

const fixture = loadWorkflow('inquiry/search.workflow.json');
const SEARCH = `/api/account-ipn/get/${SECURITY_TOKEN}`;
const TOKENS = `/api/account/get/tokens/${SECURITY_TOKEN}`;
const SECRETS = [SECURITY_TOKEN, API_SECRET, API_HASH];

type Search = Record<string, unknown>;
const allInquiries = () => apiFixture<Search>('inquiry-search');
const only = (...ids: string[]) => {
	const all = allInquiries();
	return Object.fromEntries(ids.map((id) => [id, all[id]]));
};
const TWO_ITEMS = [{ n: 1 }, { n: 2 }];
const PLAIN = { resource: 'inquiry', operation: 'search', accountToken: '', filters: {}, options: {} };

function run(options: Partial<RunOptions> = {}, credential = credentialData()) {
	return runWorkflow(fixture, { credentialsHelper: newCredentialsHelper(credential), ...options });
}

/** Inquiry IDs of the output, per paired input item. */
function idsByItem(items: Array<{ json: { inquiryId?: unknown }; pairedItem?: unknown }>) {
	return items.map((item) => [(item.pairedItem as { item: number }).item, item.json.inquiryId]);
}

describe('inquiry/search — results and filters', () => {
	test('object keyed by inquiry ID → one item per inquiry {inquiryId, sHash, data, customer, docs}, status filter [4, 6]', async () => {
		const api = new ApiMock()
			.token()
			.on('POST', SEARCH, 2, (body) => ({ body: body.aToken === ACCOUNT_TOKEN ? allInquiries() : only('1878882') }));

		const result = await run();

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(api.apiCalls.map((call) => call.body)).toEqual([
			{ aToken: ACCOUNT_TOKEN, lastDays: 7 },
			{ aToken: 'atok-acc-zweitbuero-2', lastDays: 7 },
		]);
		expect(api.tokenCalls).toHaveLength(1);
	});

	test('status filter [6] keeps inquiries whose status comes as "6" text or 6 number', async () => {
		new ApiMock().token().on('POST', SEARCH, 2, () => ({ body: allInquiries() }));

		const result = await run({ items: TWO_ITEMS, replaceParameters: { ...PLAIN, accountToken: ACCOUNT_TOKEN, filters: { status: [6] } } });

		expect(idsByItem(result.node().items)).toEqual([
			[0, 1878881],
			[0, 1878884],
			[1, 1878881],
			[1, 1878884],
		]);
		expect(result.node().items[0].json.data).toMatchObject({ status: '6' });
	});

	test('no status filter keeps everything, the undocumented status 25 stays the number 25', async () => {
		new ApiMock().token().on('POST', SEARCH, 2, () => ({ body: allInquiries() }));

		const result = await run({ items: TWO_ITEMS, replaceParameters: { ...PLAIN, accountToken: ACCOUNT_TOKEN } });

		expect(idsByItem(result.node().items).filter(([item]) => item === 0)).toEqual([
			[0, 1878881],
			[0, 1878882],
			[0, 1878883],
			[0, 1878884],
		]);
		const status25 = result.node().items.find((item) => item.json.inquiryId === 1878883);
		expect(status25?.json).toMatchObject({ inquiryId: 1878883, sHash: '77aa66bb55cc44dd33ee', data: { status: 25 }, docs: {} });
	});

	test('Inquiry ID and Last Days filters are sent as iId and lastDays', async () => {
		const api = new ApiMock().token().on('POST', SEARCH, 2, () => ({ body: only('1878883') }));

		const result = await run({
			items: TWO_ITEMS,
			replaceParameters: { ...PLAIN, accountToken: ACCOUNT_TOKEN, filters: { inquiryId: 1878883, lastDays: 1, status: [25] } },
		});

		expect(api.apiCalls.map((call) => call.body)).toEqual([
			{ aToken: ACCOUNT_TOKEN, iId: 1878883, lastDays: 1 },
			{ aToken: ACCOUNT_TOKEN, iId: 1878883, lastDays: 1 },
		]);
		expect(idsByItem(result.node().items)).toEqual([
			[0, 1878883],
			[1, 1878883],
		]);
	});

	test('an empty answer gives no items', async () => {
		new ApiMock().token().on('POST', SEARCH, 2, () => ({ body: {} }));

		const result = await run({ items: TWO_ITEMS, replaceParameters: { ...PLAIN, accountToken: ACCOUNT_TOKEN } });

		expect(result.status).toBe('success');
		expect(result.node().items).toEqual([]);
	});

	test('Last Days 0 fails before any request and says what to use', async () => {
		const result = await run({ items: TWO_ITEMS, replaceParameters: { ...PLAIN, accountToken: ACCOUNT_TOKEN, filters: { lastDays: 0 } } });

		const error = nodeError(result);
		expect(error.message).toBe('"Filters → Last Days" must be 1 or more. Use 1 for today and yesterday. [item 0]');
	});
});

describe('inquiry/search — account token resolution', () => {
	test('empty Account Token uses the credential\'s default, without asking for the accounts', async () => {
		const api = new ApiMock().token().on('POST', SEARCH, 2, () => ({ body: only('1878881') }));

		const result = await run({ items: TWO_ITEMS, replaceParameters: PLAIN }, credentialData({ accountToken: 'atok-default-77' }));

		expect(result.status).toBe('success');
		expect(api.apiCalls.map((call) => [call.path, call.body])).toEqual([
			[SEARCH, { aToken: 'atok-default-77' }],
			[SEARCH, { aToken: 'atok-default-77' }],
		]);
	});

	test('no default and exactly one account: Get Tokens once per run, then every search with that account', async () => {
		const api = new ApiMock()
			.token()
			.on('POST', TOKENS, 1, () => ({ body: apiFixture('account-tokens-single') }))
			.on('POST', SEARCH, 2, () => ({ body: only('1878881') }));

		const result = await run({ items: TWO_ITEMS, replaceParameters: PLAIN });

		expect(result.status).toBe('success');
		expect(api.apiCalls.map((call) => [call.path, call.body ?? null])).toEqual([
			[TOKENS, null],
			[SEARCH, { aToken: 'atok-acc-single-0001' }],
			[SEARCH, { aToken: 'atok-acc-single-0001' }],
		]);
		expect(api.tokenCalls).toHaveLength(1);
	});

	test('no default and several accounts: the error lists the account names and says how to choose', async () => {
		const api = new ApiMock().token().on('POST', TOKENS, 1, () => ({ body: apiFixture('account-tokens') }));

		const result = await run({ items: TWO_ITEMS, replaceParameters: PLAIN });

		const error = nodeError(result);
		expect(error.message).toContain('"Account Token" is empty and your API user has 2 accounts: "Demo Maklerbüro GmbH", "Zweitbüro Hamburg".');
		expect(error.message).toContain('Account → Get Tokens');
		expect(error.message).toMatch(/\[item 0\]$/);
		expect(api.callsTo(SEARCH)).toHaveLength(0);
		// The account tokens themselves are not shown; names are enough to choose.
		expectNoSecrets(result, [...SECRETS, ACCOUNT_TOKEN, 'atok-acc-zweitbuero-2']);
	});

	test('several accounts with continueOnFail: every item gets the error, the accounts are still asked for once', async () => {
		const api = new ApiMock().token().on('POST', TOKENS, 1, () => ({ body: apiFixture('account-tokens') }));

		const result = await run({ items: TWO_ITEMS, replaceParameters: PLAIN, nodeSettings: { continueOnFail: true } });

		expect(result.status).toBe('success');
		expect(result.node().items.map((item) => [item.pairedItem, String(item.json.error).slice(-8)])).toEqual([
			[{ item: 0 }, '[item 0]'],
			[{ item: 1 }, '[item 1]'],
		]);
		expect(api.callsTo(TOKENS)).toHaveLength(1);
	});
});

describe('inquiry/search — failures of a read', () => {
	test('timeout (Options → Timeout 1000 ms, first answer after 2000 ms) is retried and then succeeds', async () => {
		const api = new ApiMock().token();
		api.scope.post(SEARCH).delay(2000).reply(200, only('1878881'));
		api.scope.post(SEARCH).times(2).reply(200, only('1878881'));

		const result = await run({ items: TWO_ITEMS, replaceParameters: { ...PLAIN, accountToken: ACCOUNT_TOKEN, options: { timeout: 1000 } } });

		expect(result.status).toBe('success');
		expect(idsByItem(result.node().items)).toEqual([
			[0, 1878881],
			[1, 1878881],
		]);
		expect(api.apiCalls).toHaveLength(3);
	});

	test('an HTML page with HTTP 200 on this read is retried, then succeeds', async () => {
		const api = new ApiMock().token().on('POST', SEARCH, 2, (_body, _uri, index) => (index === 0 ? 'htmlMaintenance200' : { body: only('1878881') }));

		const result = await run({ items: [{ n: 1 }], replaceParameters: { ...PLAIN, accountToken: ACCOUNT_TOKEN } });

		expect(result.status).toBe('success');
		expect(idsByItem(result.node().items)).toEqual([[0, 1878881]]);
		expect(api.apiCalls).toHaveLength(2);
	});

	test('an API reason that echoes the account token shows it redacted', async () => {
		new ApiMock().token().on('POST', SEARCH, 1, () => ({ body: { error: `Account ${ACCOUNT_TOKEN} not found.` } }));

		const result = await run({ items: TWO_ITEMS, replaceParameters: { ...PLAIN, accountToken: ACCOUNT_TOKEN } });

		expect(nodeError(result).message).toBe('Thinksurance could not search inquiries: Account [redacted] not found. [item 0]');
		expectNoSecrets(result, [...SECRETS, ACCOUNT_TOKEN]);
	});

	test('HTTP 200 {"error":"Account not found."}: the API\'s reason and what to check', async () => {
		new ApiMock().token().on('POST', SEARCH, 1, 'accountNotFound200');

		const result = await run({ items: TWO_ITEMS, replaceParameters: { ...PLAIN, accountToken: ACCOUNT_TOKEN } });

		const error = nodeError(result);
		expect(error.message).toBe('Thinksurance could not search inquiries: Account not found. [item 0]');
		expect(error.description).toMatch(/account token/);
		expectNoSecrets(result, [...SECRETS, ACCOUNT_TOKEN]);
	});
});
