/**
 * Thinksurance Polling Trigger run by n8n-core's PollContext (scheduled polls, activation,
 * restart) and WorkflowExecute (manual "Fetch Test Event"), against nock: the window asked
 * for, what is emitted, what is remembered, and what a failing poll does — in each way n8n
 * runs a poll node (default poller, durable scheduler, scheduler with durable cursors).
 */
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
import { newCredentialsHelper, runWorkflow } from '../../support/harness';
import { forgetCarried } from '../../../nodes/ThinksurancePollingTrigger/poll/carry';
import { POLLING_NAME, POLL_MODES, PollingDriver, type PollMode } from '../../support/polling';

useApiHygiene();
beforeEach(() => forgetCarried());

const SEARCH = `/api/account-ipn/get/${SECURITY_TOKEN}`;
const PARAMETERS = { events: ['*'], accountToken: '', filters: {}, downloadDocuments: false };

type RawInquiry = { sHash: string; data: Record<string, unknown>; customer: Record<string, unknown>; docs: Record<string, unknown> };

/** Berlin local "YYYY-MM-DD hh:mm:ss", as the API writes dates. */
function vendorTime(ms = Date.now()): string {
	return new Date(ms).toLocaleString('sv-SE', { timeZone: 'Europe/Berlin' }).replace('T', ' ');
}

/** A small account: two inquiries from the fixture, changed a few days ago. */
function account(): Record<string, RawInquiry> {
	const raw = apiFixture<Record<string, RawInquiry>>('inquiry-search');
	const ago = vendorTime(Date.now() - 3 * 86_400_000);
	for (const inquiry of Object.values(raw)) {
		inquiry.data.iCreated = ago;
		inquiry.data.iUpdated = ago;
	}
	return raw;
}

/** Every answer gets a fresh document token, as Thinksurance's do. */
let answers = 0;
function answer(inquiries: Record<string, RawInquiry>) {
	return () => {
		answers++;
		const token = `doctok-${Math.random().toString(16).slice(2, 12)}`;
		const body = JSON.parse(JSON.stringify(inquiries)) as Record<string, RawInquiry>;
		for (const inquiry of Object.values(body)) inquiry.docs = { ...inquiry.docs, docToken: { token, expired: vendorTime(Date.now() + 3600_000 + answers * 60_000) } };
		return { body };
	};
}

function driver(parameters: Record<string, unknown> = {}, mode: PollMode = 'legacy'): PollingDriver {
	return new PollingDriver({ ...PARAMETERS, ...parameters }, newCredentialsHelper(credentialData({ accountToken: ACCOUNT_TOKEN })), mode);
}

function changeStatus(inquiries: Record<string, RawInquiry>, id: string, status: unknown): void {
	inquiries[id].data.status = status;
	inquiries[id].data.iUpdated = vendorTime();
}

function createInquiry(inquiries: Record<string, RawInquiry>, id: number): void {
	inquiries[String(id)] = {
		sHash: 'abcdefabcdefabcdefab',
		data: { iId: id, bExternalId: 'CRM-B-2', productName: 'Cyberversicherung', status: 2, iCreated: vendorTime(), iUpdated: vendorTime() },
		customer: { cExternalId: 'C-900', cLastName: 'Neu' },
		docs: { files: [] },
	};
}

describe.each(POLL_MODES)('polling trigger (%s) — activation, changes, nothing twice', (mode) => {
	test('activation remembers, a later poll emits one inquiryCreated and one inquiryUpdated (changes: status), an unchanged poll nothing', async () => {
		const inquiries = account();
		const api = new ApiMock().token().on('POST', SEARCH, 3, answer(inquiries));
		const poller = driver({}, mode);

		expect(await poller.activate()).toBeNull();
		// The first poll asks for the API's default window (three months): no lastDays.
		expect(api.apiCalls[0].body).toEqual({ aToken: ACCOUNT_TOKEN });

		changeStatus(inquiries, '1878881', '15');
		createInquiry(inquiries, 1879999);
		const items = (await poller.poll()) ?? [];
		// Later polls ask only for today and yesterday.
		expect(api.apiCalls[1].body).toEqual({ aToken: ACCOUNT_TOKEN, lastDays: 1 });
		expect(items.map((item) => [item.json.eventType, item.json.inquiryId, item.json.changes])).toEqual(
			expect.arrayContaining([
				['inquiryUpdated', 1878881, ['status']],
				['inquiryCreated', 1879999, []],
			]),
		);
		expect(items).toHaveLength(2);
		const updated = items.find((item) => item.json.inquiryId === 1878881)?.json ?? {};
		expect(Object.keys(updated).sort()).toEqual(
			['accountReference', 'brokerReference', 'changes', 'eventId', 'eventTime', 'eventType', 'inquiry', 'inquiryId', 'references'].sort(),
		);
		expect(updated).toMatchObject({ eventId: null, accountReference: null, brokerReference: 'CRM-B-1', references: [] });
		expect(updated.inquiry).toMatchObject({ sHash: 'bf02dfa7c7bc64c2cfb5', data: { status: '15' }, customer: { cExternalId: 'C-100' } });
		expect(Date.parse(String(updated.eventTime))).toBeGreaterThan(Date.now() - 60_000);

		// Same content (only a new document token): nothing.
		expect(await poller.poll()).toBeNull();
		expectNoSecrets(items, [SECURITY_TOKEN, API_SECRET, API_HASH]);
	});

	test('a rotating document token alone emits nothing', async () => {
		const inquiries = account();
		new ApiMock().token().on('POST', SEARCH, 3, answer(inquiries));
		const poller = driver({}, mode);
		await poller.activate();
		expect(await poller.poll()).toBeNull();
		expect(await poller.poll()).toBeNull();
	});

	test('after an n8n restart nothing is re-emitted; a change during the downtime is emitted once', async () => {
		const inquiries = account();
		new ApiMock().token().on('POST', SEARCH, 5, answer(inquiries));
		const poller = driver({}, mode);
		await poller.activate();
		changeStatus(inquiries, '1878881', '15');
		expect(await poller.poll()).toHaveLength(1);

		// n8n's default poller polls at start-up; the scheduler carries on with its next poll.
		expect(await poller.restart()).toBeNull();
		if (mode !== 'legacy') expect(await poller.poll()).toBeNull();
		changeStatus(inquiries, '1878882', 6);
		// n8n is down while the status changes; the first poll after the restart finds it.
		const afterRestart = mode === 'legacy' ? await poller.restart() : (await poller.restart(), await poller.poll());
		expect(afterRestart?.map((item) => [item.json.inquiryId, item.json.changes])).toEqual([[1878882, ['status']]]);
		expect(await poller.poll()).toBeNull();
	});

	test('a change made right after activation, before the first scheduled poll, is emitted once (issue 21)', async () => {
		const inquiries = account();
		new ApiMock().token().on('POST', SEARCH, 3, answer(inquiries));
		const poller = driver({}, mode);
		expect(await poller.activate()).toBeNull();
		changeStatus(inquiries, '1878881', '15');
		createInquiry(inquiries, 1879999);
		const items = await poller.poll();
		expect(items?.map((item) => [item.json.eventType, item.json.inquiryId, item.json.changes]).sort()).toEqual(
			[
				['inquiryCreated', 1879999, []],
				['inquiryUpdated', 1878881, ['status']],
			].sort(),
		);
		expect(await poller.poll()).toBeNull();
		// With durable cursors the activation poll's memory is committed by the node itself.
		if (mode === 'durable') expect(poller.commits.slice(0, 2)).toEqual(['cursorOnly', 'withExecution']);
	});

	test('an inquiry first seen while filtered out and changed later is an update, not new', async () => {
		const inquiries = account();
		new ApiMock().token().on('POST', SEARCH, 4, answer(inquiries));
		const poller = driver({ events: ['inquiryUpdated'], filters: { status: [6] } }, mode);
		await poller.activate();
		createInquiry(inquiries, 1879999);
		// Status 2: not selected, remembered by a poll that emits nothing.
		expect(await poller.poll()).toBeNull();
		expect(await poller.poll()).toBeNull();
		changeStatus(inquiries, '1879999', 6);
		const items = await poller.poll();
		expect(items?.map((item) => [item.json.eventType, item.json.inquiryId, item.json.changes])).toEqual([['inquiryUpdated', 1879999, ['status']]]);
	});

	test('deactivate/activate: the first poll remembers again and emits nothing, nothing already emitted comes back', async () => {
		const inquiries = account();
		new ApiMock().token().on('POST', SEARCH, 4, answer(inquiries));
		const poller = driver({}, mode);
		await poller.activate();
		changeStatus(inquiries, '1878881', '15');
		expect(await poller.poll()).toHaveLength(1);
		expect(await poller.activate('activate')).toBeNull();
		expect(await poller.poll()).toBeNull();
	});

	test('events and status filters: unselected changes are remembered, not emitted', async () => {
		const inquiries = account();
		new ApiMock().token().on('POST', SEARCH, 3, answer(inquiries));
		const poller = driver({ events: ['inquiryCreated'], filters: { status: [2] } }, mode);
		await poller.activate();
		changeStatus(inquiries, '1878881', '15');
		createInquiry(inquiries, 1879999);
		createInquiry(inquiries, 1880000);
		inquiries['1880000'].data.status = 6;
		const items = await poller.poll();
		expect(items?.map((item) => [item.json.eventType, item.json.inquiryId])).toEqual([['inquiryCreated', 1879999]]);
		expect(await poller.poll()).toBeNull();
	});
});

describe.each(POLL_MODES)('polling trigger (%s) — failures', (mode) => {
	test('a refused account fails the poll with a NodeApiError, emits nothing and keeps the state; the next poll catches up', async () => {
		const inquiries = account();
		const poller = driver({}, mode);
		new ApiMock().token().on('POST', SEARCH, 1, answer(inquiries));
		await poller.activate();
		const before = JSON.stringify(poller.state);

		changeStatus(inquiries, '1878881', '15');
		new ApiMock().on('POST', SEARCH, 1, 'accountNotFound200');
		const failure = await poller.poll().catch((error: unknown) => error as Error & { constructor: { name: string } });
		expect(failure).toBeInstanceOf(Error);
		expect((failure as Error).constructor.name).toBe('NodeApiError');
		expect((failure as Error).message).toContain('Thinksurance could not search inquiries');
		expectNoSecrets(failure, [SECURITY_TOKEN, API_SECRET, API_HASH, ACCOUNT_TOKEN]);
		expect(poller.emitted).toEqual([]);
		expect(JSON.stringify(poller.state)).toBe(before);

		new ApiMock().on('POST', SEARCH, 1, answer(inquiries));
		const items = await poller.poll();
		expect(items?.map((item) => [item.json.inquiryId, item.json.changes])).toEqual([[1878881, ['status']]]);
	});

	test('changes right after activation, then a refused poll: the next poll emits them once', async () => {
		const inquiries = account();
		new ApiMock().token().on('POST', SEARCH, 1, answer(inquiries));
		const poller = driver({}, mode);
		await poller.activate();
		changeStatus(inquiries, '1878881', '15');
		createInquiry(inquiries, 1879999);
		new ApiMock().on('POST', SEARCH, 1, 'accountNotFound200');
		await expect(poller.poll()).rejects.toThrow('Thinksurance could not search inquiries');
		new ApiMock().on('POST', SEARCH, 2, answer(inquiries));
		expect((await poller.poll())?.map((item) => item.json.inquiryId).sort()).toEqual([1878881, 1879999]);
		expect(await poller.poll()).toBeNull();
	});

	(mode === 'durable' ? test : test.skip)('durable cursors: when n8n cannot store the activation poll\'s memory, the activation fails saying so', async () => {
		new ApiMock().token().on('POST', SEARCH, 1, answer(account()));
		const poller = driver({}, mode);
		poller.failCursorCommit = true;
		await expect(poller.activate()).rejects.toThrow('n8n could not store what the trigger remembered at activation: database is not reachable');
		expect(poller.state).toEqual({});
	});

	test('a refused API user (token request) fails activation with the API\'s reason', async () => {
		new ApiMock().on('POST', '/api/token', 1, 'apiUserInvalid');
		const poller = driver({}, mode);
		await expect(poller.activate()).rejects.toThrow(/API User is not existing or deactivated/);
		expect(poller.state).toEqual({});
	});
});

describe('polling trigger — Fetch Test Event (manual run)', () => {
	test('emits the most recently updated inquiry and leaves the static data alone', async () => {
		const inquiries = account();
		changeStatus(inquiries, '1878882', 4);
		new ApiMock().token().on('POST', SEARCH, 1, answer(inquiries));
		const result = await runWorkflow(
			{
				nodes: [
					{
						id: 'poller',
						name: POLLING_NAME,
						type: 'n8n-nodes-thinksurance.thinksurancePollingTrigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: PARAMETERS,
					},
				],
				connections: {},
			},
			{ credentialsHelper: newCredentialsHelper(credentialData({ accountToken: ACCOUNT_TOKEN })), nodeName: POLLING_NAME },
		);
		const items = result.node().items;
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({ inquiryId: 1878882, eventType: 'inquiryUpdated', changes: null });
		expect(result.run.data.resultData.error).toBeUndefined();
	});

	test('on an active workflow it leaves the memory alone: the change it showed is still emitted by the next poll', async () => {
		const inquiries = account();
		new ApiMock().token().on('POST', SEARCH, 3, answer(inquiries));
		const poller = driver();
		await poller.activate();
		const before = JSON.stringify(poller.state);
		changeStatus(inquiries, '1878881', '15');
		const shown = await poller.testRun();
		expect(shown?.map((item) => item.json.inquiryId)).toEqual([1878881]);
		expect(JSON.stringify(poller.state)).toBe(before);
		const items = await poller.poll();
		expect(items?.map((item) => [item.json.inquiryId, item.json.changes])).toEqual([[1878881, ['status']]]);
	});
});

describe('polling trigger — documents and long pauses', () => {
	test('Download Documents adds the files of a changed inquiry as binary data', async () => {
		const inquiries = account();
		inquiries['1878881'].docs = {
			files: [{ name: 'Antrag.pdf', fullName: 'Antrag.pdf', hash: 'h1', fullFilePath: 'https://files.thinksurance.test/files/1878881/h1/Antrag.pdf', documentPurpose: 'orderDocument' }],
		};
		new ApiMock().token().on('POST', SEARCH, 2, answer(inquiries));
		const files = new ApiMock('https://files.thinksurance.test').on('GET', /^\/files\/1878881\/h1\/Antrag\.pdf/, 1, () => ({
			body: '%PDF-1.4 test',
			headers: { 'Content-Type': 'application/pdf' },
		}));
		const poller = driver({ downloadDocuments: true, binaryPropertyName: 'file' });
		await poller.activate();
		changeStatus(inquiries, '1878881', '15');
		const items = (await poller.poll()) ?? [];
		expect(items).toHaveLength(1);
		expect(items[0].binary?.file).toMatchObject({ fileName: 'Antrag.pdf', mimeType: 'application/pdf' });
		// The document token of that answer went with the download, not the security token.
		expect(files.calls[0].path).toMatch(/docToken=doctok-/);
	});

	test('after a pause of ten days the window grows to cover it', async () => {
		const inquiries = account();
		const api = new ApiMock().token().on('POST', SEARCH, 2, answer(inquiries));
		const poller = driver();
		await poller.activate();
		const state = poller.state.pollState as { lastPollAt: number };
		state.lastPollAt -= 10 * 86_400_000;
		await poller.poll();
		expect((api.apiCalls[1].body as { lastDays: number }).lastDays).toBeGreaterThanOrEqual(10);
		expect((api.apiCalls[1].body as { lastDays: number }).lastDays).toBeLessThanOrEqual(11);
	});
});
