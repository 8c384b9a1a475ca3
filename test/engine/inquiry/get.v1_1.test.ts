/** typeVersion 1.1 of the per-inquiry operations: locators (list and ID) and Simplify on Get. */
import {
	ACCOUNT_TOKEN,
	ApiMock,
	SECURITY_TOKEN,
	apiFixture,
	credentialData,
	useApiHygiene,
} from '../../support/api-mock';
import { loadWorkflow, newCredentialsHelper, nodeError, runWorkflow, type RunOptions, type WorkflowFixture } from '../../support/harness';

useApiHygiene();

const INQUIRY = /^\/api\/ipn\/inquiry\/\d+$/;
const inquiryAnswer = (_body: unknown, uri: string) => ({ body: apiFixture(`inquiry-${uri.split('/').pop()}`) });
const locator = (value: unknown, mode = 'list') => ({ __rl: true, mode, value });

function run(fixture: WorkflowFixture, options: Partial<RunOptions> = {}) {
	return runWorkflow(fixture, { credentialsHelper: newCredentialsHelper(credentialData()), nodeSettings: { typeVersion: 1.1 }, ...options });
}

describe('inquiry/get typeVersion 1.1', () => {
	const fixture = loadWorkflow('inquiry/get.workflow.json');
	const GET = { resource: 'inquiry', operation: 'get', authenticateAs: 'account', accountToken: locator(ACCOUNT_TOKEN), options: {} };

	test('inquiry from the list, account from the list: the simplified item by default, paired', async () => {
		const api = new ApiMock().token().on('POST', INQUIRY, 2, inquiryAnswer);

		const result = await run(fixture, { replaceParameters: { ...GET, inquiryId: locator('1878881') } });

		expect(result.status).toBe('success');
		expect(result.node().items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(result.node().items[0].json).toMatchObject({
			inquiryId: 1878881,
			status: 6,
			statusName: 'ordered',
			customerName: 'Thomas Müller',
			premiumYearlyEur: 459,
			documentCount: 3,
		});
		expect(Object.keys(result.node().items[0].json)).not.toContain('docs');
		expect(api.apiCalls.map((call) => [call.path, call.body])).toEqual([
			['/api/ipn/inquiry/1878881', { aToken: ACCOUNT_TOKEN, token: SECURITY_TOKEN }],
			['/api/ipn/inquiry/1878881', { aToken: ACCOUNT_TOKEN, token: SECURITY_TOKEN }],
		]);
	});

	test('inquiry "By ID" from an expression, Simplify off: the typeVersion 1 item', async () => {
		new ApiMock().token().on('POST', INQUIRY, 2, inquiryAnswer);

		const result = await run(fixture, { replaceParameters: { ...GET, inquiryId: locator('={{ $json.inquiryId }}', 'id'), simplify: false } });

		expect(result.node().items.map((item) => item.json)).toEqual([
			{ inquiryId: 1878881, ...apiFixture('inquiry-1878881') },
			{ inquiryId: 1878882, ...apiFixture('inquiry-1878882') },
		]);
	});

	test('a typed ID that is not a number: the workflow does not start, the editor\'s check names the fix', async () => {
		await expect(run(fixture, { replaceParameters: { ...GET, inquiryId: locator('INQ-1', 'id') } })).rejects.toThrow(
			'Not an inquiry ID: use the number, e.g. 1878887',
		);
	});

	test('an expression that gives no number names the field', async () => {
		const result = await run(fixture, { replaceParameters: { ...GET, inquiryId: locator('={{ "INQ-" + 1 }}', 'id') } });

		expect(nodeError(result).message).toBe('"Inquiry ID" must be a number but is "INQ-1". Use the numeric iId, e.g. 1878887. [item 0]');
	});
});

describe('document/download typeVersion 1.1', () => {
	const fixture = loadWorkflow('document/download.workflow.json');

	test('account and inquiry from the lists: Get Inquiry with that account, then the files', async () => {
		const api = new ApiMock().token().on('POST', INQUIRY, 1, inquiryAnswer);
		const files = new ApiMock('https://files.thinksurance.test');
		files.scope.get(/^\/files\//).times(3).reply(200, 'file', { 'Content-Type': 'application/pdf' });

		const result = await run(fixture, {
			items: [{ n: 1 }],
			replaceParameters: {
				resource: 'document',
				operation: 'download',
				accountToken: locator('atok-picked-2'),
				inquiryId: locator('1878881'),
				purposes: [],
				binaryPropertyName: 'data',
				options: {},
			},
		});

		expect(result.status).toBe('success');
		expect(result.node().items).toHaveLength(3);
		expect(result.node().items.every((item) => item.binary?.data !== undefined)).toBe(true);
		expect(api.apiCalls.map((call) => call.body)).toEqual([{ aToken: 'atok-picked-2', token: SECURITY_TOKEN }]);
	});
});

describe('broker/create typeVersion 1.1', () => {
	const fixture = loadWorkflow('broker/create.workflow.json');

	test('the account pasted "By Token" is sent as aToken', async () => {
		const api = new ApiMock().token().on('POST', `/api/broker/set/${SECURITY_TOKEN}`, 2, () => ({ body: { status: 'success', bToken: 'btok-new' } }));

		const result = await run(fixture, { parameters: { accountToken: locator('atok-by-id-7', 'id') } });

		expect(result.status).toBe('success');
		expect(api.apiCalls.map((call) => (call.body as { aToken: string }).aToken)).toEqual(['atok-by-id-7', 'atok-by-id-7']);
	});
});
