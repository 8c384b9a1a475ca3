/**
 * Broker → Forward through n8n's engine: request bodies, token handling, the API's error
 * styles, retries (never for writes that may have been applied), continueOnFail, validation.
 */
import {
	API_HASH,
	API_SECRET,
	API_USER_INVALID,
	ApiMock,
	SECOND_SECURITY_TOKEN,
	SECURITY_TOKEN,
	TOKEN_INVALID,
	credentialData,
	expectNoSecrets,
	useApiHygiene,
} from '../../support/api-mock';
import { clearSessions } from '../../../nodes/shared/api';
import {
	comparable,
	expectedOutput,
	loadWorkflow,
	newCredentialsHelper,
	nodeError,
	runWorkflow,
	type RunOptions,
} from '../../support/harness';

useApiHygiene();

const fixture = loadWorkflow('broker/forward.workflow.json');
const FWD = `/api/broker/fwd/${SECURITY_TOKEN}`;
const LOGIN_URL_PART = '/api/broker/switch/';
const SECRETS = [SECURITY_TOKEN, API_SECRET, API_HASH, LOGIN_URL_PART];

/** The success answers of the fixture, by broker external ID. */
const ANSWERS: Record<string, { url: string; inquiryId: number | string; inquiryHash: string }> = {
	'CRM-B-1': { url: 'https://app.thinksurance.de/api/broker/switch/login-hash-1', inquiryId: 1878887, inquiryHash: 'a1b2c3' },
	'CRM-B-2': { url: 'https://app.thinksurance.de/api/broker/switch/login-hash-2', inquiryId: '1878888', inquiryHash: 'd4e5f6' },
	'CRM-B-3': { url: 'https://app.thinksurance.de/api/broker/switch/login-hash-3', inquiryId: 1878889, inquiryHash: '0a0b0c' },
};
const success = (body: { bExternalId: string }) => ({ body: ANSWERS[body.bExternalId] });

/** Two simple brokers; item 1 is CRM-B-2. */
const TWO_BROKERS = [
	{ brokerToken: 'btok-broker-abcdef12', brokerId: 'CRM-B-1', active: true, email: 'anna@makler.de' },
	{ brokerToken: 'btok-broker-second9', brokerId: 'CRM-B-2', active: false, email: 'bernd@makler.de' },
];
const MINIMAL_PARAMETERS = {
	resource: 'broker',
	operation: 'forward',
	brokerToken: '={{ $json.brokerToken }}',
	brokerExternalId: '={{ $json.brokerId }}',
	options: {},
};

function run(options: Partial<RunOptions> & { credentialsHelper?: RunOptions['credentialsHelper'] } = {}) {
	return runWorkflow(fixture, { credentialsHelper: newCredentialsHelper(credentialData()), ...options });
}

describe('broker/forward — success', () => {
	test('two brokers: output and pairedItem as in the fixture, one token call, token in the URL path', async () => {
		const api = new ApiMock().token().on('POST', FWD, 2, success);
		const credentialsHelper = newCredentialsHelper(credentialData());

		const result = await run({ credentialsHelper });

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(api.tokenCalls).toHaveLength(1);
		expect(api.tokenCalls[0].body).toEqual({ hash: API_HASH, secret: API_SECRET });
		expect(api.apiCalls.map((call) => `${call.method} ${call.path}`)).toEqual([`POST ${FWD}`, `POST ${FWD}`]);
		expect(api.apiCalls[0].headers['content-type']).toMatch(/application\/json/);
		expect(api.apiCalls[0].headers.accept).toMatch(/application\/json/);
		expect(credentialsHelper.preAuthenticationRuns).toBe(1);
		// n8n's database now holds the token, as the CLI persists it.
		expect(credentialsHelper.storedData('thinksuranceApi')?.securityToken).toBe(SECURITY_TOKEN);
	});

	test('request bodies carry every mapped field with the API names and types', async () => {
		const api = new ApiMock().token().on('POST', FWD, 2, success);

		await run();

		const bodies = Object.fromEntries(api.apiCalls.map((call) => [(call.body as { bExternalId: string }).bExternalId, call.body]));
		expect(bodies['CRM-B-1']).toEqual({
			type: 2,
			bToken: 'btok-broker-abcdef12',
			bExternalId: 'CRM-B-1',
			bIsActive: true,
			bGender: 2,
			bFirstName: 'Anna',
			bLastName: 'Makler',
			bEmail: 'anna@makler.de',
			bZip: '10115',
			fullCallback: 0,
			callbackUrl: 'https://crm.example.de/thinksurance/callback',
			cExternalId: 'C-100',
			cSalutation: 1,
			cLastName: 'Kunde',
			cEmail: 'kunde1@example.de',
			cBirthDate: '1980-04-23',
			cLegalForm: 4,
			cAccountType: 0,
			crmIdent: 'openVIVAv1',
			cExternalReferences: [{ origin: 'crm', paramKey: 'customerId', paramValue: 'C-100' }],
			professionId: 123,
			productId: 7,
			instantInquiryCreation: true,
			// Question IDs are sent as text even when the JSON had a number.
			qasCustProfile: { categories: [{ id: 'default', questions: [{ id: '100', answers: ['10001'] }] }] },
		});
		expect(bodies['CRM-B-2']).toMatchObject({
			bToken: 'btok-broker-second9',
			bIsActive: false,
			bEmail: 'bernd@makler.de',
			cExternalId: 'C-200',
			cExternalReferences: [{ origin: 'crm', paramKey: 'customerId', paramValue: 'C-200' }],
		});
		// Never the security token in a body of a path-token endpoint.
		expect(JSON.stringify(api.apiCalls.map((call) => call.body))).not.toContain(SECURITY_TOKEN);
	});

	test('minimal parameters send only type 1, bToken and bExternalId', async () => {
		const api = new ApiMock().token().on('POST', FWD, 2, success);

		const result = await run({ items: TWO_BROKERS, replaceParameters: MINIMAL_PARAMETERS });

		expect(result.status).toBe('success');
		expect(api.apiCalls.map((call) => call.body)).toEqual(
			expect.arrayContaining([
				{ type: 1, bToken: 'btok-broker-abcdef12', bExternalId: 'CRM-B-1' },
				{ type: 1, bToken: 'btok-broker-second9', bExternalId: 'CRM-B-2' },
			]),
		);
	});

	test('test-system callback URL sends mvpFullCallback 0; Disable Callbacks sends fullCallback 1 and mvpFullCallback 1', async () => {
		const api = new ApiMock().token().on('POST', FWD, 4, success);
		const credentialsHelper = newCredentialsHelper(credentialData());

		await run({
			credentialsHelper,
			items: TWO_BROKERS,
			replaceParameters: { ...MINIMAL_PARAMETERS, callbackFields: { testCallbackUrl: 'https://test.crm.example.de/cb' } },
		});
		await run({
			credentialsHelper,
			items: TWO_BROKERS,
			replaceParameters: { ...MINIMAL_PARAMETERS, callbackFields: { disableCallbacks: true } },
		});

		const [first, second] = [api.apiCalls.slice(0, 2), api.apiCalls.slice(2)];
		for (const call of first) {
			expect(call.body).toMatchObject({ mvpFullCallback: 0, mvpCallbackUrl: 'https://test.crm.example.de/cb' });
			expect(call.body).not.toHaveProperty('fullCallback');
		}
		for (const call of second) {
			expect(call.body).toMatchObject({ fullCallback: 1, mvpFullCallback: 1 });
			expect(call.body).not.toHaveProperty('callbackUrl');
			expect(call.body).not.toHaveProperty('mvpCallbackUrl');
		}
	});
});

describe('broker/forward — security token lifecycle', () => {
	test('a second execution in the same process reuses the token: no extra token call', async () => {
		const api = new ApiMock().token().on('POST', FWD, 4, success);
		const credentialsHelper = newCredentialsHelper(credentialData());

		const first = await run({ credentialsHelper });
		const second = await run({ credentialsHelper });

		expect(first.status).toBe('success');
		expect(second.status).toBe('success');
		expect(comparable(second.node().items)).toEqual(expectedOutput(fixture));
		expect(api.tokenCalls).toHaveLength(1);
		expect(api.apiCalls).toHaveLength(4);
		expect(credentialsHelper.preAuthenticationRuns).toBe(1);
	});

	test('another process (empty in-process cache) takes the token n8n stored in the credential', async () => {
		const api = new ApiMock().token().on('POST', FWD, 4, success);
		const credentialsHelper = newCredentialsHelper(credentialData());

		await run({ credentialsHelper });
		clearSessions();
		const second = await run({ credentialsHelper });

		expect(second.status).toBe('success');
		expect(api.tokenCalls).toHaveLength(1);
		expect(api.apiCalls.every((call) => call.path === FWD)).toBe(true);
	});

	test.each([
		['HTTP 400', 400],
		['HTTP 200', 200],
	])('token expires mid-run (%s with the API\'s "invalid or expired"): one new token, the call repeated once', async (_label, status) => {
		const api = new ApiMock()
			.token(SECURITY_TOKEN)
			.token(SECOND_SECURITY_TOKEN)
			.on('POST', FWD, 2, (body, _uri, index) => (index === 0 ? success(body) : { status, body: { error: TOKEN_INVALID } }))
			.on('POST', `/api/broker/fwd/${SECOND_SECURITY_TOKEN}`, 1, success);
		const credentialsHelper = newCredentialsHelper(credentialData());

		// One at a time, so item 0 succeeds and item 1 meets the expired token.
		const result = await run({ credentialsHelper, parameters: { options: { batching: { batch: { batchSize: 1 } } } } });

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(api.tokenCalls).toHaveLength(2);
		expect(api.apiCalls.map((call) => [call.path, (call.body as { bExternalId: string }).bExternalId])).toEqual([
			[FWD, 'CRM-B-1'],
			[FWD, 'CRM-B-2'],
			[`/api/broker/fwd/${SECOND_SECURITY_TOKEN}`, 'CRM-B-2'],
		]);
		expect(credentialsHelper.preAuthenticationRuns).toBe(2);
		expect(credentialsHelper.storedData('thinksuranceApi')?.securityToken).toBe(SECOND_SECURITY_TOKEN);
	});

	test('a bare HTTP 400 (no reason) is tried once more with a fresh token, then reported as a bad request', async () => {
		const api = new ApiMock()
			.token(SECURITY_TOKEN)
			.token(SECOND_SECURITY_TOKEN)
			.on('POST', FWD, 1, () => ({ status: 400, body: '' }))
			.on('POST', `/api/broker/fwd/${SECOND_SECURITY_TOKEN}`, 1, () => ({ status: 400, body: '' }));

		const result = await run({ items: TWO_BROKERS, replaceParameters: { ...MINIMAL_PARAMETERS, options: { batching: { batch: { batchSize: 1 } } } } });

		const error = nodeError(result);
		expect(error.message).toBe('Thinksurance rejected the request to forward the broker (HTTP 400) [item 0]');
		expect(api.tokenCalls).toHaveLength(2);
		expect(api.apiCalls).toHaveLength(2);
		expectNoSecrets(result, [...SECRETS, SECOND_SECURITY_TOKEN]);
	});

	test('a token refused on its first answer costs one request: the other item waits for it, one refresh', async () => {
		const api = new ApiMock()
			.token(SECURITY_TOKEN)
			.token(SECOND_SECURITY_TOKEN)
			.on('POST', FWD, 1, () => ({ status: 400, body: { error: TOKEN_INVALID }, delayMs: 20 }))
			.on('POST', `/api/broker/fwd/${SECOND_SECURITY_TOKEN}`, 2, success);

		const result = await run();

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(api.tokenCalls).toHaveLength(2);
		expect(api.apiCalls).toHaveLength(3);
	});

	test('parallel requests on an accepted token, refused at the same time, share one refresh', async () => {
		const api = new ApiMock()
			.token(SECURITY_TOKEN)
			.token(SECOND_SECURITY_TOKEN)
			.on('POST', FWD, 1, success)
			.on('POST', FWD, 2, () => ({ status: 400, body: { error: TOKEN_INVALID }, delayMs: 20 }))
			.on('POST', `/api/broker/fwd/${SECOND_SECURITY_TOKEN}`, 2, success);
		const credentialsHelper = newCredentialsHelper(credentialData());

		// The first run's answer confirms the token; the second run sends both items at once.
		await run({ credentialsHelper, items: [TWO_BROKERS[0]], replaceParameters: MINIMAL_PARAMETERS });
		const result = await run({ credentialsHelper });

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(api.tokenCalls).toHaveLength(2);
		expect(api.apiCalls).toHaveLength(5);
	});

	test('a token refused again after the refresh fails the item with the API\'s reason, no third attempt', async () => {
		const api = new ApiMock()
			.token(SECURITY_TOKEN)
			.token(SECOND_SECURITY_TOKEN)
			.on('POST', FWD, 1, 'tokenInvalid')
			.on('POST', `/api/broker/fwd/${SECOND_SECURITY_TOKEN}`, 1, 'tokenInvalid');

		const result = await run({ items: TWO_BROKERS, replaceParameters: { ...MINIMAL_PARAMETERS, options: { batching: { batch: { batchSize: 1 } } } } });

		const error = nodeError(result);
		expect(error.message).toContain('Thinksurance rejected the security token while trying to forward the broker');
		expect(error.message).toContain(TOKEN_INVALID);
		expect(error.message).toMatch(/\[item 0\]$/);
		expect(api.tokenCalls).toHaveLength(2);
		expect(api.apiCalls).toHaveLength(2);
		expectNoSecrets(result, [...SECRETS, SECOND_SECURITY_TOKEN]);
	});

	test('wrong hash/secret: the token endpoint\'s 200 {"error"} reaches the user, once for all items', async () => {
		const api = new ApiMock();
		api.on('POST', '/api/token', 1, 'apiUserInvalid');

		const result = await run();

		expect(result.status).toBe('error');
		const error = nodeError(result);
		expect(error.message).toContain(API_USER_INVALID);
		expect(error.message).toContain('Check hash, secret and environment');
		expect(error.description).toMatch(/credential/i);
		expect(api.tokenCalls).toHaveLength(1);
		expect(api.apiCalls).toHaveLength(0);
		expectNoSecrets(result, SECRETS);
	});

	test('a token endpoint error that echoes the hash shows the API text with the hash redacted', async () => {
		const api = new ApiMock();
		api.on('POST', '/api/token', 1, () => ({ body: { error: `API User ${API_HASH} is not existing or deactivated.` } }));

		const result = await run();

		const error = nodeError(result);
		expect(error.message).toContain('is not existing or deactivated.');
		expect(error.message).toContain('[redacted]');
		expect(api.tokenCalls).toHaveLength(1);
		expectNoSecrets(result, SECRETS);
	});

	test('continueOnFail with a refused API user: every item gets the error, the token endpoint is asked once per concurrent batch', async () => {
		const api = new ApiMock();
		api.on('POST', '/api/token', 1, 'apiUserInvalid');

		const result = await run({ nodeSettings: { continueOnFail: true } });

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual([
			{ json: { error: expect.stringContaining(API_USER_INVALID) }, pairedItem: { item: 0 } },
			{ json: { error: expect.stringContaining(API_USER_INVALID) }, pairedItem: { item: 1 } },
		]);
		expect(String(result.node().items[1].json.error)).toMatch(/\[item 1\]$/);
		expect(api.tokenCalls).toHaveLength(1);
		expectNoSecrets(result, SECRETS);
	});

	test('token endpoint down (HTML 503): the user learns the token could not be fetched, without secrets', async () => {
		const api = new ApiMock();
		api.on('POST', '/api/token', 1, () => ({ status: 503, body: '<html><body>Service Unavailable</body></html>', headers: { 'Content-Type': 'text/html' } }));

		const result = await run();

		const error = nodeError(result);
		expect(error.message).toMatch(/HTTP 503/);
		expect(api.apiCalls).toHaveLength(0);
		expectNoSecrets(result, SECRETS);
	});
});

describe('broker/forward — API errors', () => {
	/** Item 1 (CRM-B-2) gets `failure`, item 0 succeeds. */
	const failSecond = (failure: string | object) => (body: { bExternalId: string }) =>
		body.bExternalId === 'CRM-B-2' ? (failure as string) : success(body);

	test('HTTP 200 with {"error"}: the item fails with the API\'s reason and its index', async () => {
		const api = new ApiMock().token().on('POST', FWD, 2, failSecond('invalidParameters200'));

		const result = await run();

		expect(result.status).toBe('error');
		const error = nodeError(result);
		expect(error.message).toBe('Thinksurance could not forward the broker: BrokerAPI: Invalid parameters [item 1]');
		expect(error.description).toMatch(/e-mail/i);
		expect(error.context?.itemIndex).toBe(1);
		expect(api.apiCalls).toHaveLength(2);
		expectNoSecrets(result, SECRETS);
	});

	test('HTTP 400 with {"error"}: the item fails with the API\'s reason', async () => {
		new ApiMock().token().on('POST', FWD, 2, failSecond('invalidParameters400'));

		const result = await run();

		const error = nodeError(result);
		expect(error.message).toContain('BrokerAPI: Invalid parameters');
		expect(error.message).toContain('[item 1]');
		expect(error.httpCode).toBe('400');
		expectNoSecrets(result, SECRETS);
	});

	test('an API reason that echoes the broker token shows it redacted', async () => {
		new ApiMock().token().on('POST', FWD, 2, (body) =>
			body.bExternalId === 'CRM-B-2' ? { status: 400, body: { error: `Broker ${body.bToken} is inactive.` } } : success(body),
		);

		const result = await run();

		const error = nodeError(result);
		expect(error.message).toBe('Thinksurance could not forward the broker: Broker [redacted] is inactive. [item 1]');
		expectNoSecrets(result, [...SECRETS, 'btok-broker-second9']);
	});

	test('HTTP 404: the broker token is unknown to Thinksurance', async () => {
		const api = new ApiMock().token().on('POST', FWD, 2, failSecond('brokerNotFound404'));

		const result = await run();

		const error = nodeError(result);
		expect(error.message).toContain('not found (HTTP 404)');
		expect(error.message).toContain('Broker not found.');
		expect(error.description).toContain('The broker token is unknown to Thinksurance');
		expect(api.apiCalls).toHaveLength(2);
		expectNoSecrets(result, SECRETS);
	});

	test('HTTP 503 on a write is not repeated: exactly one call, the message says the outcome is unknown', async () => {
		const api = new ApiMock().token().on('POST', FWD, 2, failSecond('serverError503'));

		const result = await run();

		const error = nodeError(result);
		expect(error.message).toMatch(/server error \(HTTP 503[^)]*\)/);
		expect(error.message).toContain('may or may not have applied the change');
		expect(error.description).toContain('not repeated automatically');
		expect(api.apiCalls.filter((call) => (call.body as { bExternalId: string }).bExternalId === 'CRM-B-2')).toHaveLength(1);
		expectNoSecrets(result, SECRETS);
	});

	test('a redirect (HTTP 302 to a login page) is not followed: one call, the message points at the base URL', async () => {
		const api = new ApiMock()
			.token()
			.on('POST', FWD, 2, failSecond({ status: 302, body: '<html>Moved</html>', headers: { Location: 'https://api.thinksurance.test/login', 'Content-Type': 'text/html' } }));

		const result = await run();

		const error = nodeError(result);
		expect(error.message).toBe('Thinksurance answered with a redirect (HTTP 302) instead of an answer while trying to forward the broker [item 1]');
		expect(error.description).toContain('base URL');
		expect(api.apiCalls).toHaveLength(2);
		expect(api.calls.some((call) => call.path.startsWith('/login'))).toBe(false);
		expectNoSecrets(result, SECRETS);
	});

	test('HTML 502 error page on a write: one call, outcome unknown', async () => {
		const api = new ApiMock().token().on('POST', FWD, 2, failSecond('htmlBadGateway502'));

		const result = await run();

		const error = nodeError(result);
		expect(error.message).toContain('HTTP 502');
		expect(error.message).toContain('may or may not have applied the change');
		expect(api.apiCalls).toHaveLength(2);
		expectNoSecrets(result, SECRETS);
	});

	// Source bug (see report): an HTML 5xx page is classified as serverError with reason
	// "HTML error page", but describeFailure's serverError branch drops failure.reason.
	test('HTML 502 error page: the message says the answer was an error page, not JSON', async () => {
		new ApiMock().token().on('POST', FWD, 2, failSecond('htmlBadGateway502'));

		const result = await run();

		expect(nodeError(result).message).toMatch(/not JSON|error page/i);
	});

	test('HTML page with HTTP 200 on a write: "not JSON", not repeated, outcome unknown', async () => {
		const api = new ApiMock().token().on('POST', FWD, 2, failSecond('htmlMaintenance200'));

		const result = await run();

		const error = nodeError(result);
		expect(error.message).toContain('not JSON (HTTP 200)');
		expect(error.message).toContain('may or may not have applied the change');
		expect(error.description).toMatch(/HTML error page/);
		expect(api.apiCalls).toHaveLength(2);
		expectNoSecrets(result, SECRETS);
	});

	test('timeout on a write (Options → Timeout 1000 ms, answer after 2000 ms): not repeated, outcome unknown', async () => {
		const api = new ApiMock().token();
		api.scope.post(FWD, (body: { bExternalId: string }) => body.bExternalId === 'CRM-B-1').reply(200, ANSWERS['CRM-B-1']);
		api.scope.post(FWD, (body: { bExternalId: string }) => body.bExternalId === 'CRM-B-2').delay(2000).reply(200, ANSWERS['CRM-B-2']);

		const result = await run({ items: TWO_BROKERS, replaceParameters: { ...MINIMAL_PARAMETERS, options: { timeout: 1000 } } });

		const error = nodeError(result);
		expect(error.message).toContain('did not answer in time while trying to forward the broker');
		expect(error.message).toContain('may or may not have applied the change');
		expect(error.message).toContain('[item 1]');
		expect(api.apiCalls).toHaveLength(2);
		expectNoSecrets(result, SECRETS);
	});

	// Same root cause as above: the API's own reason on a 5xx answer is dropped from the message.
	test('HTTP 503 with {"error"}: the message carries the API\'s reason', async () => {
		new ApiMock().token().on('POST', FWD, 2, failSecond('serverError503'));

		const result = await run();

		expect(nodeError(result).message).toContain('Service temporarily unavailable');
	});

	test('connection refused on a write: nothing was sent, so it is repeated', async () => {
		const api = new ApiMock().token();
		// An Error instance: nock 14 mishandles a plain object here.
		api.scope.post(FWD).replyWithError(Object.assign(new Error('connect ECONNREFUSED 203.0.113.7:443'), { code: 'ECONNREFUSED' }));
		api.on('POST', FWD, 2, success);

		const result = await run({ items: TWO_BROKERS, replaceParameters: MINIMAL_PARAMETERS });

		expect(result.status).toBe('success');
		// Same answers as the fixture (the inquiry ID "1878888" comes out as a number).
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(api.apiCalls).toHaveLength(3);
	});

	test('connection broken after sending a write: not repeated, and no URL with the token in the error', async () => {
		const api = new ApiMock().token();
		// A network error whose text echoes the request, credentials included.
		api.scope
			.post(FWD)
			.times(2)
			.replyWithError(`socket hang up while POST https://api.thinksurance.test${FWD} hash=${API_HASH} secret=${API_SECRET}`);

		const result = await run({ items: TWO_BROKERS, replaceParameters: MINIMAL_PARAMETERS });

		const error = nodeError(result);
		expect(error.message).toContain('The connection to Thinksurance broke while trying to forward the broker.');
		expect(error.message).toContain('may or may not have applied the change');
		expect(api.apiCalls).toHaveLength(2);
		expectNoSecrets(result, SECRETS);
	});

	test('HTTP 429 on a write was not processed, so it is repeated after Retry-After', async () => {
		let refusedOnce = false;
		const api = new ApiMock().token().on('POST', FWD, 3, (body) => {
			if (body.bExternalId !== 'CRM-B-2' || refusedOnce) return success(body);
			refusedOnce = true;
			return { status: 429, body: { error: 'Too many requests' }, headers: { 'Content-Type': 'application/json', 'Retry-After': '0' } };
		});

		const result = await run({ items: TWO_BROKERS, replaceParameters: MINIMAL_PARAMETERS });

		expect(result.status).toBe('success');
		expect(api.apiCalls.filter((call) => (call.body as { bExternalId: string }).bExternalId === 'CRM-B-2')).toHaveLength(2);
	});
});

describe('broker/forward — continueOnFail', () => {
	const THREE_BROKERS = [...TWO_BROKERS, { brokerToken: 'btok-broker-third77', brokerId: 'CRM-B-3', active: true, email: 'carla@makler.de' }];

	test.each([
		['continueOnFail: true', { continueOnFail: true }],
		["onError: 'continueRegularOutput'", { onError: 'continueRegularOutput' as const }],
	])('%s: the failing item becomes {error}, the others succeed, order and pairing kept', async (_label, nodeSettings) => {
		const api = new ApiMock()
			.token()
			.on('POST', FWD, 3, (body) => (body.bExternalId === 'CRM-B-2' ? 'invalidParameters200' : success(body)));

		const result = await run({ items: THREE_BROKERS, replaceParameters: MINIMAL_PARAMETERS, nodeSettings });

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual([
			{ json: ANSWERS['CRM-B-1'], pairedItem: { item: 0 } },
			{ json: { error: 'Thinksurance could not forward the broker: BrokerAPI: Invalid parameters [item 1]' }, pairedItem: { item: 1 } },
			{ json: { ...ANSWERS['CRM-B-3'] }, pairedItem: { item: 2 } },
		]);
		expect(api.apiCalls).toHaveLength(3);
		expectNoSecrets(result, [SECURITY_TOKEN, API_SECRET, API_HASH]);
	});

	test('an invalid item fails without a request, the valid ones are sent', async () => {
		const api = new ApiMock().token().on('POST', FWD, 1, success);

		const result = await run({
			items: [TWO_BROKERS[0], { ...TWO_BROKERS[1], email: 'bernd@makler.de;' }],
			replaceParameters: { ...MINIMAL_PARAMETERS, brokerFields: { email: '={{ $json.email }}' } },
			nodeSettings: { continueOnFail: true },
		});

		expect(comparable(result.node().items)).toEqual([
			{ json: ANSWERS['CRM-B-1'], pairedItem: { item: 0 } },
			{
				json: { error: expect.stringContaining('"Broker Fields → E-Mail" is not a bare e-mail address') },
				pairedItem: { item: 1 },
			},
		]);
		expect(String(result.node().items[1].json.error)).toMatch(/Remove the trailing ";"\. \[item 1\]$/);
		expect(api.apiCalls).toHaveLength(1);
	});
});

describe('broker/forward — validation before any request', () => {
	const INVALID_QUESTIONNAIRE = '{"categories":[{"id":"default","questions":[{"id":"100","answers":["10001"]}]}';

	test.each<[string, Record<string, unknown>, string[]]>([
		['e-mail with a trailing ";"', { brokerFields: { email: 'a@b.de;' } }, ['"Broker Fields → E-Mail"', 'Remove the trailing ";"']],
		['e-mail with a space', { customerFields: { email: 'kunde @example.de' } }, ['"Customer Fields → E-Mail"', 'Remove the spaces']],
		['birth date as 23.04.1980', { customerFields: { birthDate: '23.04.1980' } }, ['"Customer Fields → Birth Date"', 'YYYY-MM-DD', '1980-04-23']],
		[
			'customer External ID without Last Name',
			{ customerFields: { externalId: 'C-1', email: 'kunde@example.de' } },
			['"Customer Fields → External ID"', '"Customer Fields → Last Name"', 'Add the missing field'],
		],
		[
			'Instant Inquiry Creation without customer External ID',
			{ inquiryFields: { instantInquiryCreation: true } },
			['Instant Inquiry Creation', '"Customer Fields → External ID"', 'switch Instant Inquiry Creation off'],
		],
		[
			'external references without CRM Ident',
			{ customerFields: { externalReferences: { reference: [{ origin: 'crm', paramKey: 'customerId', paramValue: 'C-1' }] } } },
			['"Customer Fields → External References"', '"Customer Fields → CRM Ident"', 'openVIVAv1'],
		],
		[
			'Disable Callbacks together with a callback URL',
			{ callbackFields: { disableCallbacks: true, callbackUrl: 'https://crm.example.de/cb' } },
			['"Callback Fields → Disable Callbacks"', 'callback URL', 'Either remove the callback URLs or switch Disable Callbacks off'],
		],
		['callback URL that is not a URL', { callbackFields: { callbackUrl: 'crm.example.de/cb' } }, ['"Callback Fields → Callback URL"', 'full http(s) URL']],
		['malformed questionnaire JSON', { inquiryFields: { questionnaire: INVALID_QUESTIONNAIRE } }, ['"Inquiry Fields → Questionnaire" is not valid JSON', 'Check quotes and brackets']],
		['questionnaire without categories', { inquiryFields: { questionnaire: '{"questions":[]}' } }, ['"Inquiry Fields → Questionnaire" needs a "categories" list', '"categories":[{"id":"default"']],
		['mapping type 3', { mappingType: 3 }, ['"Mapping Type" must be one of 1, 2 but is 3', 'Choose a value from the list']],
		['broker token empty at run time', { brokerToken: '={{ $json.missing }}' }, ['"Broker Token" is required', 'Enter a value for "Broker Token"']],
	])('%s → no request, the message names field, fix and item', async (_label, parameters, expected) => {
		// No nock scope and no net connect: any request would fail the test differently.
		const result = await run({ items: TWO_BROKERS, replaceParameters: { ...MINIMAL_PARAMETERS, ...parameters } });

		expect(result.status).toBe('error');
		const error = nodeError(result);
		for (const part of expected) expect(error.message).toContain(part);
		expect(error.message).toMatch(/\[item 0\]$/);
		expect(error.name).toBe('NodeOperationError');
		expect(error.context?.itemIndex).toBe(0);
	});
});

describe('broker/forward — batching', () => {
	/** Forward answers after `delayMs(index)`, counting how many requests are in flight at once. */
	function forwardsInFlight(count: number, delayMs: (index: number) => number) {
		const seen = { inFlight: 0, maxInFlight: 0 };
		const api = new ApiMock().token();
		api.scope
			.post(FWD)
			.times(count)
			.reply((_uri: string, body: unknown, callback: (error: Error | null, result: [number, object]) => void) => {
				const { bExternalId } = (typeof body === 'string' ? JSON.parse(body) : body) as { bExternalId: string };
				seen.inFlight++;
				seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
				setTimeout(() => {
					seen.inFlight--;
					callback(null, [200, { url: `https://app.thinksurance.de/api/broker/switch/h-${bExternalId.split('-')[2]}` }]);
				}, delayMs(Number(bExternalId.split('-')[2])));
			});
		const items = Array.from({ length: count }, (_, index) => ({ brokerToken: `btok-batch-${index}`, brokerId: `CRM-X-${index}` }));
		const expected = items.map((_, index) => ({ json: { url: `https://app.thinksurance.de/api/broker/switch/h-${index}` }, pairedItem: { item: index } }));
		return { api, seen, items, expected };
	}

	test('12 items, batch size 5: at most 5 in flight, results in input order with their pairing, one token call', async () => {
		// Early items answer slowest, so completion order differs from input order.
		const { api, seen, items, expected } = forwardsInFlight(12, (index) => (12 - index) * 15);

		const result = await run({
			items,
			replaceParameters: { ...MINIMAL_PARAMETERS, options: { batching: { batch: { batchSize: 5 } } } },
		});

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual(expected);
		expect(seen.maxInFlight).toBe(5);
		expect(api.tokenCalls).toHaveLength(1);
		expect(api.apiCalls).toHaveLength(12);
	});

	test('default options: 50 items keep exactly 20 in flight, in input order', async () => {
		const { api, seen, items, expected } = forwardsInFlight(50, () => 40);

		const result = await run({ items, replaceParameters: { ...MINIMAL_PARAMETERS } });

		expect(comparable(result.node().items)).toEqual(expected);
		expect(seen.maxInFlight).toBe(20);
		expect(api.apiCalls).toHaveLength(50);
	});

	test('batch interval: lock-step batches of 2 with a pause between them', async () => {
		const started: number[] = [];
		const items = Array.from({ length: 4 }, (_, index) => ({ brokerToken: `btok-batch-${index}`, brokerId: `CRM-X-${index}` }));
		const api = new ApiMock().token().on('POST', FWD, 4, (body) => {
			started.push(Date.now());
			return { body: { url: `https://app.thinksurance.de/api/broker/switch/${body.bExternalId}` } };
		});

		const result = await run({
			items,
			replaceParameters: { ...MINIMAL_PARAMETERS, options: { batching: { batch: { batchSize: 2, batchInterval: 300 } } } },
		});

		expect(result.node().items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(started[2] - started[1]).toBeGreaterThanOrEqual(250);
		expect(api.apiCalls).toHaveLength(4);
	});
});
