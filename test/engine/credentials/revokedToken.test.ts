/**
 * A stored security token that Thinksurance no longer accepts (revoked early, replaced by
 * another process, environment reset), through n8n's engine: while no answer in this process
 * has accepted a token, one request goes first and the others wait for its answer, so a
 * refused token costs one request, not one per item in flight. A token an answer accepted
 * adds no wait. (Before: 20 items on a revoked token cost 40 forwards.)
 */
import {
	ACCOUNT_TOKEN,
	API_HASH,
	API_SECRET,
	ApiMock,
	SECOND_SECURITY_TOKEN,
	SECURITY_TOKEN,
	TOKEN_INVALID,
	apiFixture,
	credentialData,
	expectNoSecrets,
	useApiHygiene,
	type Answer,
	type RecordedCall,
} from '../../support/api-mock';
import { clearSessions } from '../../../nodes/shared/api';
import { comparable, loadWorkflow, newCredentialsHelper, runWorkflow, type RunOptions } from '../../support/harness';
import { deliver, triggerWorkflow } from '../../support/trigger';

useApiHygiene();

const REVOKED = 'sectok-revoked-0a1b2c3d4e5f';
const SECRETS = [REVOKED, SECURITY_TOKEN, SECOND_SECURITY_TOKEN, API_HASH, API_SECRET];
const ITEMS = 20;
const FWD = /^\/api\/broker\/fwd\/[^/]+$/;
const INQUIRY = /^\/api\/ipn\/inquiry\/\d+$/;
const ROUND_TRIP_MS = 60;

const forwardFixture = loadWorkflow('broker/forward.workflow.json');
const getFixture = loadWorkflow('inquiry/get.workflow.json');

const FORWARD_PARAMETERS = {
	resource: 'broker',
	operation: 'forward',
	brokerToken: '={{ $json.brokerToken }}',
	brokerExternalId: '={{ $json.brokerId }}',
	options: {},
};
const BROKERS = Array.from({ length: ITEMS }, (_, index) => ({ brokerToken: `btok-broker-${1000 + index}`, brokerId: `CRM-B-${index}` }));
const INQUIRIES = Array.from({ length: ITEMS }, (_, index) => ({ inquiryId: String(1878900 + index) }));

/** A credential whose stored token looks good for another 10 minutes. */
const storedToken = (token = REVOKED) => credentialData({ securityToken: token, securityTokenExpiresAt: Date.now() + 10 * 60_000 });

/** The security token a call was sent with: last path segment, or the body's `token`. */
function tokenOf(call: RecordedCall): string {
	const bodyToken = (call.body as { token?: unknown } | undefined)?.token;
	return typeof bodyToken === 'string' ? bodyToken : decodeURIComponent(call.path.split('/').pop() ?? '');
}

/** Counts requests in flight at the stand-in's side: each answer leaves after `delayMs`. */
class InFlight {
	now = 0;

	max = 0;

	answer(answer: Answer, delayMs = ROUND_TRIP_MS): Answer {
		this.now++;
		this.max = Math.max(this.max, this.now);
		setTimeout(() => this.now--, delayMs);
		return { ...answer, delayMs };
	}
}

const forwardAnswer = (body: { bExternalId: string }): Answer => ({
	body: { url: `https://app.thinksurance.de/api/broker/switch/login-${body.bExternalId}`, inquiryId: 1878887, inquiryHash: 'a1b2c3' },
});
const refused: Answer = { status: 400, body: { error: TOKEN_INVALID } };

function forward(options: Partial<RunOptions> & Pick<RunOptions, 'credentialsHelper'>) {
	return runWorkflow(forwardFixture, { items: BROKERS, replaceParameters: FORWARD_PARAMETERS, ...options });
}

function expectEveryItemSucceeded(items: ReturnType<typeof comparable>, count = ITEMS): void {
	expect(items.map((item) => item.pairedItem)).toEqual(Array.from({ length: count }, (_, item) => ({ item })));
	expect(items.filter((item) => 'error' in item.json)).toEqual([]);
}

describe('a revoked stored token costs one request, not one per item', () => {
	test(`Broker → Forward, ${ITEMS} items in flight: 1 token call, ${ITEMS + 1} forwards, every item succeeds`, async () => {
		const inFlight = new InFlight();
		const api = new ApiMock()
			.token(SECURITY_TOKEN)
			.on('POST', FWD, ITEMS + 1, (body, uri) => inFlight.answer(uri.endsWith(REVOKED) ? refused : forwardAnswer(body)));
		const credentialsHelper = newCredentialsHelper(storedToken());

		const result = await forward({ credentialsHelper });

		expect(result.status).toBe('success');
		expectEveryItemSucceeded(comparable(result.node().items));
		expect(api.tokenCalls).toHaveLength(1);
		expect(api.apiCalls).toHaveLength(ITEMS + 1);
		expect(api.apiCalls.filter((call) => tokenOf(call) === REVOKED)).toHaveLength(1);
		expect(api.apiCalls.filter((call) => tokenOf(call) === SECURITY_TOKEN)).toHaveLength(ITEMS);
		// Once the new token's first answer accepted it, the other 19 went together.
		expect(inFlight.max).toBe(ITEMS - 1);
		expect(credentialsHelper.storedData('thinksuranceApi')?.securityToken).toBe(SECURITY_TOKEN);
		expectNoSecrets(result, SECRETS);
	});

	test(`Inquiry → Get (token in the body and as Bearer header), ${ITEMS} items: 1 token call, ${ITEMS + 1} requests`, async () => {
		const api = new ApiMock()
			.token(SECURITY_TOKEN)
			.on('POST', INQUIRY, ITEMS + 1, (body: { token: string }) => (body.token === REVOKED ? refused : { body: apiFixture('inquiry-1878881'), delayMs: 20 }));

		const result = await runWorkflow(getFixture, { credentialsHelper: newCredentialsHelper(storedToken()), items: INQUIRIES });

		expect(result.status).toBe('success');
		expectEveryItemSucceeded(comparable(result.node().items));
		expect(api.tokenCalls).toHaveLength(1);
		expect(api.apiCalls).toHaveLength(ITEMS + 1);
		expect(api.apiCalls.map(tokenOf).filter((token) => token === REVOKED)).toHaveLength(1);
		for (const call of api.apiCalls) {
			expect(call.headers.authorization).toBe(`Bearer ${tokenOf(call)}`);
			expect((call.body as { aToken?: string }).aToken).toBe(ACCOUNT_TOKEN);
		}
		expectNoSecrets(result, SECRETS);
	});

	test('the trigger: 10 deliveries at once on a revoked token fetch their inquiries with 1 token call and 11 fetches', async () => {
		const api = new ApiMock()
			.token(SECURITY_TOKEN)
			.on('POST', INQUIRY, 11, (body: { token: string }, uri) =>
				body.token === REVOKED ? refused : { body: apiFixture(`inquiry-${uri.endsWith('1878882') ? '1878882' : '1878881'}`), delayMs: 20 },
			);
		const trigger = triggerWorkflow(
			{ events: ['*'], registration: 'manual', fetchInquiry: true, accountToken: ACCOUNT_TOKEN, downloadDocuments: false },
			newCredentialsHelper(storedToken()),
		);
		const event = apiFixture<Record<string, unknown>>('event-inquiry-created');

		const outcomes = await Promise.all(
			Array.from({ length: 10 }, async (_, index) => await deliver(trigger, { body: { ...event, eventId: `evt-revoked-${index}` } })),
		);

		const items = outcomes.flatMap((outcome) => outcome.result.workflowData?.[0] ?? []);
		expect(items).toHaveLength(10);
		for (const item of items) expect(item.json.inquiry).toMatchObject({ data: { iId: 1878881 } });
		expect(api.tokenCalls).toHaveLength(1);
		expect(api.apiCalls).toHaveLength(11);
		expect(api.apiCalls.filter((call) => tokenOf(call) === REVOKED)).toHaveLength(1);
		expectNoSecrets(items, SECRETS);
	});

	test('Inquiry → Search with the account found by Get Tokens, 3 items: the refused token costs 1 request of the first call only', async () => {
		const api = new ApiMock()
			.token(SECURITY_TOKEN)
			.on('POST', /^\/api\/account\/get\/tokens\/[^/]+$/, 2, (_body, uri) => (uri.endsWith(REVOKED) ? refused : { body: apiFixture('account-tokens-single') }))
			.on('POST', /^\/api\/account-ipn\/get\/[^/]+$/, 3, () => ({ body: {} }));

		const result = await runWorkflow(loadWorkflow('inquiry/search.workflow.json'), {
			credentialsHelper: newCredentialsHelper(storedToken()),
			items: [{ n: 0 }, { n: 1 }, { n: 2 }],
			replaceParameters: { resource: 'inquiry', operation: 'search', accountToken: '', filters: {}, options: {} },
		});

		expect(result.status).toBe('success');
		expect(api.tokenCalls).toHaveLength(1);
		expect(api.apiCalls.map((call) => `${call.path.split('/').slice(0, -1).join('/')} ${tokenOf(call) === REVOKED ? 'revoked' : 'new'}`)).toEqual([
			'/api/account/get/tokens revoked',
			'/api/account/get/tokens new',
			'/api/account-ipn/get new',
			'/api/account-ipn/get new',
			'/api/account-ipn/get new',
		]);
	});

	test('another process replaced the token (queue mode): the refused one is followed by the token n8n stored, no token call', async () => {
		const api = new ApiMock().on('POST', FWD, 4, (body, uri) => {
			if (!uri.endsWith(REVOKED)) return forwardAnswer(body);
			// Meanwhile another worker fetched a new token, n8n saved it, and Thinksurance dropped ours.
			credentialsHelper.setCredentials('thinksuranceApi', storedToken(SECOND_SECURITY_TOKEN));
			return refused;
		});
		const credentialsHelper = newCredentialsHelper(storedToken());

		const result = await forward({
			credentialsHelper,
			items: BROKERS.slice(0, 3),
			replaceParameters: { ...FORWARD_PARAMETERS, options: { batching: { batch: { batchSize: 1 } } } },
		});

		expect(result.status).toBe('success');
		expectEveryItemSucceeded(comparable(result.node().items), 3);
		expect(api.tokenCalls).toHaveLength(0);
		expect(api.apiCalls.map(tokenOf)).toEqual([REVOKED, SECOND_SECURITY_TOKEN, SECOND_SECURITY_TOKEN, SECOND_SECURITY_TOKEN]);
	});
});

describe('a token an answer accepted adds no wait', () => {
	test(`${ITEMS} items on a confirmed token are all in flight at once`, async () => {
		const inFlight = new InFlight();
		const api = new ApiMock().on('POST', FWD, ITEMS + 1, (body) => inFlight.answer(forwardAnswer(body)));
		const credentialsHelper = newCredentialsHelper(storedToken(SECURITY_TOKEN));
		await forward({ credentialsHelper, items: BROKERS.slice(0, 1) });
		inFlight.max = 0;

		const result = await forward({ credentialsHelper });

		expect(result.status).toBe('success');
		expectEveryItemSucceeded(comparable(result.node().items));
		expect(inFlight.max).toBe(ITEMS);
		expect(api.tokenCalls).toHaveLength(0);
	});

	test('a stored token nobody here has seen accepted: the first request goes alone, then the other 19 together', async () => {
		const inFlight = new InFlight();
		const api = new ApiMock().on('POST', FWD, ITEMS, (body) => inFlight.answer(forwardAnswer(body)));
		const arrivals: number[] = [];
		api.scope.on('request', () => arrivals.push(Date.now()));

		const result = await forward({ credentialsHelper: newCredentialsHelper(storedToken(SECURITY_TOKEN)) });

		expect(result.status).toBe('success');
		expectEveryItemSucceeded(comparable(result.node().items));
		expect(api.tokenCalls).toHaveLength(0);
		expect(inFlight.max).toBe(ITEMS - 1);
		// The second request left only after the first one's answer.
		expect(arrivals[1] - arrivals[0]).toBeGreaterThanOrEqual(ROUND_TRIP_MS - 5);
	});
});

describe('when the first request fails for another reason, the others neither hang nor fail with it', () => {
	test('HTTP 503 on the first read: the waiting 19 go at once, the first is retried, every item succeeds', async () => {
		const inFlight = new InFlight();
		const api = new ApiMock().on('POST', INQUIRY, ITEMS + 1, (_body, _uri, index) =>
			index === 0 ? { status: 503, body: { error: 'Service temporarily unavailable' } } : inFlight.answer({ body: apiFixture('inquiry-1878881') }),
		);

		const result = await runWorkflow(getFixture, { credentialsHelper: newCredentialsHelper(storedToken(SECURITY_TOKEN)), items: INQUIRIES });

		expect(result.status).toBe('success');
		expectEveryItemSucceeded(comparable(result.node().items));
		expect(api.tokenCalls).toHaveLength(0);
		expect(api.apiCalls).toHaveLength(ITEMS + 1);
		expect(inFlight.max).toBeGreaterThanOrEqual(ITEMS - 1);
	});

	test('a timeout on the first write, on a revoked token (continueOnFail): that item fails, the other 19 succeed after one refresh', async () => {
		const api = new ApiMock()
			.token(SECURITY_TOKEN)
			.on('POST', FWD, 1, () => ({ ...refused, delayMs: 3_000 }))
			.on('POST', FWD, 2 * (ITEMS - 1), (body, uri) => (uri.endsWith(REVOKED) ? refused : forwardAnswer(body)));
		const started = Date.now();

		const result = await forward({
			credentialsHelper: newCredentialsHelper(storedToken()),
			replaceParameters: { ...FORWARD_PARAMETERS, options: { timeout: 1_000 } },
			nodeSettings: { continueOnFail: true },
		});

		expect(result.status).toBe('success');
		const items = comparable(result.node().items);
		expect(items.map((item) => item.pairedItem)).toEqual(Array.from({ length: ITEMS }, (_, item) => ({ item })));
		expect(items[0].json.error).toMatch(/did not answer in time while trying to forward the broker\. Thinksurance may or may not have applied the change.*\[item 0\]$/);
		expect(items.slice(1).filter((item) => 'error' in item.json)).toEqual([]);
		// The answer of the first said nothing about the token: the others went together,
		// met the refusal each, and shared one new token.
		expect(api.tokenCalls).toHaveLength(1);
		// Nobody waited for the answer that never came in time.
		expect(Date.now() - started).toBeLessThan(3_000);
		expectNoSecrets(result, SECRETS);
	});

	test('the token endpoint refuses after the revoked token (continueOnFail): every item gets its error, 1 token call, 1 forward', async () => {
		const api = new ApiMock().on('POST', FWD, 1, () => refused);
		api.on('POST', '/api/token', 1, 'apiUserInvalid');

		const result = await forward({ credentialsHelper: newCredentialsHelper(storedToken()), nodeSettings: { continueOnFail: true } });

		expect(result.status).toBe('success');
		const items = comparable(result.node().items);
		expect(items).toHaveLength(ITEMS);
		items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(String(item.json.error)).toMatch(new RegExp(`API User is not existing or deactivated\\..*\\[item ${index}\\]$`));
		});
		expect(api.tokenCalls).toHaveLength(1);
		expect(api.apiCalls).toHaveLength(1);
		expectNoSecrets(result, SECRETS);
	});
});

afterEach(() => clearSessions());
