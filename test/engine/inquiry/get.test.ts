/** Inquiry → Get through n8n's engine: the security token travels in the body here, not the path. */
import nock from 'nock';

import {
	ACCOUNT_TOKEN,
	API_HASH,
	API_SECRET,
	ApiMock,
	BROKER_TOKEN,
	SECOND_SECURITY_TOKEN,
	SECURITY_TOKEN,
	apiFixture,
	credentialData,
	expectNoSecrets,
	stringifyDeep,
	useApiHygiene,
} from '../../support/api-mock';
import { comparable, expectedOutput, loadWorkflow, newCredentialsHelper, nodeError, runWorkflow, type RunOptions } from '../../support/harness';

useApiHygiene();

const fixture = loadWorkflow('inquiry/get.workflow.json');
const SECRETS = [SECURITY_TOKEN, API_SECRET, API_HASH];
const INQUIRY = /^\/api\/ipn\/inquiry\/\d+$/;
const inquiryAnswer = (_body: unknown, uri: string) => ({ body: apiFixture(`inquiry-${uri.split('/').pop()}`) });

function run(options: Partial<RunOptions> = {}) {
	return runWorkflow(fixture, { credentialsHelper: newCredentialsHelper(credentialData()), ...options });
}

describe('inquiry/get', () => {
	test('two inquiries with the account token: fixture output, inquiry ID in the path, {token, aToken} in the body', async () => {
		const api = new ApiMock().token().on('POST', INQUIRY, 2, inquiryAnswer);

		const result = await run();

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(api.apiCalls.map((call) => [call.path, call.body])).toEqual(
			expect.arrayContaining([
				['/api/ipn/inquiry/1878881', { aToken: ACCOUNT_TOKEN, token: SECURITY_TOKEN }],
				['/api/ipn/inquiry/1878882', { aToken: ACCOUNT_TOKEN, token: SECURITY_TOKEN }],
			]),
		);
		expect(api.apiCalls).toHaveLength(2);
		expect(api.tokenCalls).toHaveLength(1);
		// The security token went in the body; it must not come back out in the items.
		expect(stringifyDeep(result.node().items)).not.toContain(SECURITY_TOKEN);
	});

	test('authenticate as broker sends {token, bToken}', async () => {
		const api = new ApiMock().token().on('POST', INQUIRY, 2, inquiryAnswer);

		const result = await run({ parameters: { authenticateAs: 'broker', brokerToken: BROKER_TOKEN, accountToken: '' } });

		expect(result.status).toBe('success');
		expect(api.apiCalls.map((call) => call.body)).toEqual([
			{ bToken: BROKER_TOKEN, token: SECURITY_TOKEN },
			{ bToken: BROKER_TOKEN, token: SECURITY_TOKEN },
		]);
	});

	test('expired token (400) → one new token, the call repeated with the new token in the body', async () => {
		const api = new ApiMock()
			.token(SECURITY_TOKEN)
			.token(SECOND_SECURITY_TOKEN)
			.on('POST', INQUIRY, 3, (body, uri) => (body.token === SECURITY_TOKEN && uri.endsWith('1878882') ? 'tokenInvalid' : inquiryAnswer(body, uri)));

		const result = await run({ parameters: { options: { batching: { batch: { batchSize: 1 } } } } });

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(api.tokenCalls).toHaveLength(2);
		expect(api.apiCalls.map((call) => [call.path, (call.body as { token: string }).token])).toEqual([
			['/api/ipn/inquiry/1878881', SECURITY_TOKEN],
			['/api/ipn/inquiry/1878882', SECURITY_TOKEN],
			['/api/ipn/inquiry/1878882', SECOND_SECURITY_TOKEN],
		]);
	});

	test('HTTP 404 {"error":"Inquiry not found."}: the reason, the item, and what to check', async () => {
		new ApiMock().token().on('POST', INQUIRY, 2, (body, uri) => (uri.endsWith('1878882') ? 'inquiryNotFound404' : inquiryAnswer(body, uri)));

		const result = await run();

		const error = nodeError(result);
		expect(error.message).toBe('Thinksurance could not get inquiry 1878882: not found (HTTP 404): Inquiry not found. Check the inquiry ID and the token it is read with. [item 1]');
		expect(error.description).toContain('Check the inquiry ID');
		expectNoSecrets(result, [...SECRETS, ACCOUNT_TOKEN]);
	});

	// Source bug (see report): any non-JSON answer below 500 is classified `notJson`, which
	// counts as transient, so an HTML 404/403 page is requested 4 times before failing and the
	// message talks about JSON instead of "not found".
	test('an HTML 404 page is not retried (4xx is not transient) and reads as "not found"', async () => {
		// If the 404 were (wrongly) retried, the second attempt would get the inquiry.
		const api = new ApiMock()
			.token()
			.on('POST', INQUIRY, 1, () => ({ status: 404, body: '<html><body><h1>404 Not Found</h1></body></html>', headers: { 'Content-Type': 'text/html' } }))
			.on('POST', INQUIRY, 1, inquiryAnswer);

		const result = await run({ items: [{ inquiryId: '1878881' }] });
		const calls = api.apiCalls.length;
		// With the fix the second answer is never asked for.
		nock.cleanAll();

		expect(calls).toBe(1);
		expect(nodeError(result).message).toContain('not found (HTTP 404)');
	});

	test('HTTP 503 on this read is retried and then succeeds', async () => {
		let failed = false;
		const api = new ApiMock().token().on('POST', INQUIRY, 3, (body, uri) => {
			if (!failed && uri.endsWith('1878882')) {
				failed = true;
				return 'serverError503';
			}
			return inquiryAnswer(body, uri);
		});

		const result = await run();

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(api.callsTo('/api/ipn/inquiry/1878882')).toHaveLength(2);
	});

	test('continueOnFail: a missing inquiry becomes {error} paired with its item', async () => {
		new ApiMock().token().on('POST', INQUIRY, 2, (body, uri) => (uri.endsWith('1878881') ? 'inquiryNotFound404' : inquiryAnswer(body, uri)));

		const result = await run({ nodeSettings: { continueOnFail: true } });

		expect(comparable(result.node().items)).toEqual([
			{ json: { error: 'Thinksurance could not get inquiry 1878881: not found (HTTP 404): Inquiry not found. Check the inquiry ID and the token it is read with. [item 0]' }, pairedItem: { item: 0 } },
			expectedOutput(fixture)[1],
		]);
	});

	test('an inquiry ID that is not a number fails before any request', async () => {
		const result = await run({ items: [{ inquiryId: 'INQ-1' }, { inquiryId: 'INQ-2' }] });

		const error = nodeError(result);
		expect(error.message).toBe('"Inquiry ID" must be a number but is "INQ-1". Use the numeric iId, e.g. 1878887. [item 0]');
	});
});
