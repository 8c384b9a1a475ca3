/**
 * The trigger's credential across deliveries (n8n-core's WebhookContext, nock): production
 * webhook calls of one workflow reuse what an earlier call read for the same credential ID for
 * at most CREDENTIAL_REUSE_MS; a failed request or the test URL reads it anew; a changed or
 * refused secret is never sent past that bound.
 */
import { CREDENTIAL_REUSE_MS } from '../../../nodes/shared/api';
import {
	ACCOUNT_TOKEN,
	API_HASH,
	API_SECRET,
	API_USER_INVALID,
	ApiMock,
	SECOND_SECURITY_TOKEN,
	SECURITY_TOKEN,
	apiDateTime,
	apiFixture,
	credentialData,
	useApiHygiene,
} from '../../support/api-mock';
import { newCredentialsHelper } from '../../support/harness';
import { deliver, triggerWorkflow, type TriggerSetup } from '../../support/trigger';

useApiHygiene();

const INQUIRY = /^\/api\/ipn\/inquiry\/\d+$/;
const ROTATED_SECRET = 'apiuser-secret-rotated-K2p';
const WRONG_SECRET = 'apiuser-secret-typo-0';

const inquiryAnswer = (_body: unknown, uri: string) => ({ body: apiFixture(`inquiry-${uri.split('/').pop()}`) });

let now = Date.now();
beforeEach(() => {
	now = Date.now();
	jest.spyOn(Date, 'now').mockImplementation(() => now);
});
afterEach(() => jest.restoreAllMocks());

function manualTrigger(secret = API_SECRET): { trigger: TriggerSetup; reads: jest.SpyInstance } {
	const credentialsHelper = newCredentialsHelper(credentialData({ secret, accountToken: ACCOUNT_TOKEN }));
	const reads = jest.spyOn(credentialsHelper, 'getDecrypted');
	const trigger = triggerWorkflow({ events: ['*'], registration: 'manual', fetchInquiry: true, accountToken: '', downloadDocuments: false }, credentialsHelper);
	return { trigger, reads };
}

let eventCounter = 0;
/** A new event each time (the same body twice would be a redelivery). */
function event(): { body: object } {
	const body = apiFixture<Record<string, unknown>>('event-inquiry-created');
	return { body: { ...body, eventId: `evt-reuse-${++eventCounter}` } };
}

function tokenAnswer(api: ApiMock, secret: string, token: string): void {
	api.scope.post('/api/token', { hash: API_HASH, secret }).reply(200, { token, expired: apiDateTime(Date.now() + 15 * 60_000) });
}

const sentSecrets = (api: ApiMock) => api.tokenCalls.map((call) => (call.body as { secret: string }).secret);

describe('trigger credential reuse across deliveries', () => {
	test('a stream of production deliveries reads the credential once and fetches every inquiry', async () => {
		const api = new ApiMock().token().on('POST', INQUIRY, 3, inquiryAnswer);
		const { trigger, reads } = manualTrigger();

		expect((await deliver(trigger, event())).result.workflowData?.[0]).toHaveLength(1);
		// The first delivery reads it, and once more before asking for a token (a token another process stored?).
		const first = reads.mock.calls.length;
		for (let i = 0; i < 2; i++) expect((await deliver(trigger, event())).result.workflowData?.[0]).toHaveLength(1);

		expect(first).toBeGreaterThan(0);
		expect(reads).toHaveBeenCalledTimes(first);
		expect(api.tokenCalls).toHaveLength(1);
		expect(api.apiCalls.map((call) => call.body)).toEqual(Array(3).fill({ aToken: ACCOUNT_TOKEN, token: SECURITY_TOKEN }));
	});

	test('deliveries to the test URL (manual mode) read the credential every time', async () => {
		new ApiMock().token().on('POST', INQUIRY, 2, inquiryAnswer);
		const { trigger, reads } = manualTrigger();

		await deliver(trigger, event(), 'manual');
		const first = reads.mock.calls.length;
		await deliver(trigger, event(), 'manual');

		expect(reads).toHaveBeenCalledTimes(first + 1);
	});

	test(`a changed secret is used at the latest ${CREDENTIAL_REUSE_MS / 1000} s after it was saved, and the old one never after that`, async () => {
		const api = new ApiMock().on('POST', INQUIRY, 3, inquiryAnswer);
		tokenAnswer(api, API_SECRET, SECURITY_TOKEN);
		tokenAnswer(api, ROTATED_SECRET, SECOND_SECURITY_TOKEN);
		const { trigger, reads } = manualTrigger();

		await deliver(trigger, event());
		const first = reads.mock.calls.length;
		// The user saves the rotated secret.
		trigger.credentialsHelper.setCredentials('thinksuranceApi', credentialData({ secret: ROTATED_SECRET, accountToken: ACCOUNT_TOKEN }));
		now += CREDENTIAL_REUSE_MS - 1;
		await deliver(trigger, event());
		expect(reads).toHaveBeenCalledTimes(first);

		now += 2;
		const late = await deliver(trigger, event());

		expect(late.result.workflowData?.[0]).toHaveLength(1);
		expect(reads.mock.calls.length).toBeGreaterThan(first);
		expect(sentSecrets(api)).toEqual([API_SECRET, ROTATED_SECRET]);
		expect(api.apiCalls.map((call) => (call.body as { token: string }).token)).toEqual([SECURITY_TOKEN, SECURITY_TOKEN, SECOND_SECURITY_TOKEN]);
	});

	test('a refused secret is not reused: the next delivery reads the credential again, even within the bound', async () => {
		const api = new ApiMock().on('POST', INQUIRY, 1, inquiryAnswer);
		api.scope.post('/api/token', { hash: API_HASH, secret: WRONG_SECRET }).reply(200, { error: API_USER_INVALID });
		tokenAnswer(api, API_SECRET, SECURITY_TOKEN);
		const { trigger, reads } = manualTrigger(WRONG_SECRET);

		const refused = await deliver(trigger, event());
		expect(refused.result.workflowData?.[0][0].json).toMatchObject({ inquiry: null, fetchError: expect.stringContaining('API User') });
		const first = reads.mock.calls.length;
		// The user corrects the secret a moment later.
		trigger.credentialsHelper.setCredentials('thinksuranceApi', credentialData({ secret: API_SECRET, accountToken: ACCOUNT_TOKEN }));
		now += 1_000;
		const fixed = await deliver(trigger, event());

		expect(fixed.result.workflowData?.[0][0].json).toMatchObject({ inquiry: expect.objectContaining({ sHash: expect.any(String) }) });
		expect(reads.mock.calls.length).toBeGreaterThan(first);
		expect(sentSecrets(api)).toEqual([WRONG_SECRET, API_SECRET]);
	});

	test('a credential without a valid base URL is not reused either: the fixed one is used by the next delivery', async () => {
		const api = new ApiMock().token().on('POST', INQUIRY, 1, inquiryAnswer);
		const { trigger, reads } = manualTrigger();
		trigger.credentialsHelper.setCredentials('thinksuranceApi', credentialData({ baseUrl: 'api.thinksurance.test', accountToken: ACCOUNT_TOKEN }));

		const broken = await deliver(trigger, event());
		expect(broken.result.workflowData?.[0][0].json).toMatchObject({ inquiry: null, fetchError: expect.stringContaining('Base URL') });
		const first = reads.mock.calls.length;
		trigger.credentialsHelper.setCredentials('thinksuranceApi', credentialData({ accountToken: ACCOUNT_TOKEN }));
		const fixed = await deliver(trigger, event());

		expect(fixed.result.workflowData?.[0][0].json).toMatchObject({ inquiry: expect.objectContaining({ sHash: expect.any(String) }) });
		expect(reads.mock.calls.length).toBeGreaterThan(first);
		expect(api.apiCalls).toHaveLength(1);
	});

	test('another workflow with the same credential ID reads it itself', async () => {
		new ApiMock().token().on('POST', INQUIRY, 2, inquiryAnswer);
		const first = manualTrigger();
		const second = manualTrigger();
		second.trigger.workflow.id = 'wf-trigger-other';

		await deliver(first.trigger, event());
		const firstReads = first.reads.mock.calls.length;
		await deliver(second.trigger, event());

		expect(first.reads).toHaveBeenCalledTimes(firstReads);
		expect(second.reads).toHaveBeenCalledTimes(1);
	});
});
