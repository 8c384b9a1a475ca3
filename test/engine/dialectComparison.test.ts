/**
 * The same workflows with a V1 and a V1.1 credential (issue 19): every operation, the "From
 * List" modes, the trigger's registration and delivery and the polling trigger, each against
 * equivalent answers in its dialect. Their outputs must be identical item by item; the requests
 * each dialect made are printed as one table (method and path, the security token as {token}).
 */
import type { IDataObject } from 'n8n-workflow';

import { clearKnownPaths, clearReusedCredentials, clearSessions } from '../../nodes/shared/api';
import { clearInquiryListCache } from '../../nodes/Thinksurance/methods/listSearch';
import { clearProcessMemory } from '../../nodes/ThinksuranceTrigger/trigger/dedup';
import { ACCOUNT_TOKEN, ApiMock, BROKER_TOKEN, apiFixture, useApiHygiene } from '../support/api-mock';
import { BOTH_DIALECTS, DialectMock, dialectCredential, type Dialect } from '../support/dialects';
import { comparable, loadWorkflow, newCredentialsHelper, runWorkflow, type RunOptions } from '../support/harness';
import { listSearch } from '../support/load-options';
import { PollingDriver } from '../support/polling';
import { WEBHOOK_URL, deliver, nodeStaticData, runHook, triggerWorkflow } from '../support/trigger';

useApiHygiene();

const FILES_HOST = 'https://files.thinksurance.test';
const ACCOUNTS = [
	{ name: 'Demo Maklerbüro GmbH', aToken: ACCOUNT_TOKEN, nameTag: 'demopool' },
	{ name: 'Zweitbüro Hamburg', aToken: 'atok-acc-zweitbuero-2', nameTag: 'zweitbuero-hh' },
];
const KEY = 'd4'.repeat(24);

interface Outcome {
	output: unknown;
	mocks: DialectMock[];
}
type Scenario = [name: string, run: (dialect: Dialect) => Promise<Outcome>];

/** A run of `workflow` with a credential of `dialect`; the mocks are set up by `mock`. */
function workflowRun(workflow: string, mock: (api: DialectMock) => void, options: Partial<RunOptions> = {}, credential: Record<string, string | number> = {}) {
	return async (dialect: Dialect): Promise<Outcome> => {
		const api = new DialectMock(dialect).token();
		mock(api);
		filesHost();
		const result = await runWorkflow(loadWorkflow(workflow), { credentialsHelper: newCredentialsHelper(dialectCredential(dialect, credential)), ...options });
		// Compared outputs are real ones: every scenario succeeds (item errors only with continueOnFail).
		expect(result.node().error).toBeUndefined();
		expect(result.node().items.length).toBeGreaterThan(0);
		return { output: { status: result.status, items: comparable(result.node().items), error: result.node().error?.message }, mocks: [api] };
	};
}

/** The document files host, for the scenarios that download (the same host in both dialects). */
function filesHost(): void {
	const files = new ApiMock(FILES_HOST);
	const contents = apiFixture<Record<string, { content: string; contentType: string }>>('document-files');
	files.scope
		.get(/^\/files\//)
		.optionally()
		.times(20)
		.reply((uri) => {
			const file = contents[uri.split('?')[0]];
			return [200, file.content, { 'Content-Type': file.contentType }];
		});
}

const inquiryAnswer = (id: string | undefined) => ({ body: apiFixture(`inquiry-${String(id)}`) });
const forwardAnswer = (externalId: unknown) => ({ body: { url: `https://app.thinksurance.de/api/broker/switch/login-${String(externalId)}`, inquiryId: 1878887, inquiryHash: 'a1b2c3' } });
const locator = (value: string, mode = 'list') => ({ __rl: true, mode, value });
const AGENCY = { resource: 'agencyNumber', accountToken: { __rl: true, mode: 'id', value: ACCOUNT_TOKEN }, options: {} };

/** Berlin local "YYYY-MM-DD hh:mm:ss", as the API writes dates. */
function vendorTime(ms: number): string {
	return new Date(ms).toLocaleString('sv-SE', { timeZone: 'Europe/Berlin' }).replace('T', ' ');
}

// Fixed for the whole file, so both dialects see the same dates.
const THREE_DAYS_AGO = vendorTime(Date.now() - 3 * 86_400_000);
const AN_HOUR_AGO = vendorTime(Date.now() - 3_600_000);

const SCENARIOS: Scenario[] = [
	['Account → Get Tokens (2 items)', workflowRun('account/getTokens.workflow.json', (api) => api.on('accountTokens', 2, () => ({ body: ACCOUNTS })))],
	['Broker → Forward (2 items)', workflowRun('broker/forward.workflow.json', (api) => api.on('brokerForward', 2, (asked) => forwardAnswer(asked.body.bExternalId)))],
	[
		'Broker → Forward, invalid parameters (continueOnFail)',
		workflowRun(
			'broker/forward.workflow.json',
			(api) => api.on('brokerForward', 2, (asked) => (asked.body.bExternalId === 'CRM-B-2' ? { status: 400, body: { error: 'BrokerAPI: Invalid parameters' } } : forwardAnswer(asked.body.bExternalId))),
			{ nodeSettings: { continueOnFail: true } },
		),
	],
	[
		'Broker → Create (2 items)',
		workflowRun('broker/create.workflow.json', (api) => api.on('brokerCreate', 2, (asked) => ({ body: { status: 'success', bToken: `btok-new-${String(asked.body.bExternalId)}` } })), {}, { accountToken: ACCOUNT_TOKEN }),
	],
	[
		'Inquiry → Search (2 accounts, last 7 days, status 4 and 6)',
		workflowRun('inquiry/search.workflow.json', (api) => api.on('inquirySearch', 2, (asked) => ({ body: asked.account === ACCOUNT_TOKEN ? apiFixture('inquiry-search') : {} }))),
	],
	[
		'Inquiry → Search 1.1 as broker (Simplify, Limit 2)',
		workflowRun('inquiry/search.workflow.json', (api) => api.on('inquirySearch', 1, () => ({ body: apiFixture('inquiry-search') }), 'broker'), {
			items: [{ n: 1 }],
			nodeSettings: { typeVersion: 1.1 },
			replaceParameters: { resource: 'inquiry', operation: 'search', authenticateAs: 'broker', brokerToken: BROKER_TOKEN, limit: 2, filters: { lastDays: 30 }, options: {} },
		}),
	],
	[
		'Inquiry → Search via the Account Tag',
		workflowRun(
			'inquiry/search.workflow.json',
			(api) => api.on('accountTokens', 1, () => ({ body: ACCOUNTS })).on('inquirySearch', 1, (asked) => ({ body: asked.account === 'atok-acc-zweitbuero-2' ? apiFixture('inquiry-search') : {} })),
			{ items: [{ n: 1 }], replaceParameters: { resource: 'inquiry', operation: 'search', accountToken: '', filters: {}, options: {} } },
			{ accountTag: 'zweitbuero-hh' },
		),
	],
	['Inquiry → Get (2 items)', workflowRun('inquiry/get.workflow.json', (api) => api.on('inquiryGet', 2, (asked) => inquiryAnswer(asked.id)))],
	[
		'Inquiry → Get 1.1 as broker (Simplify)',
		workflowRun('inquiry/get.workflow.json', (api) => api.on('inquiryGet', 1, (asked) => inquiryAnswer(asked.id), 'broker'), {
			items: [{ n: 1 }],
			nodeSettings: { typeVersion: 1.1 },
			replaceParameters: { resource: 'inquiry', operation: 'get', authenticateAs: 'broker', brokerToken: BROKER_TOKEN, inquiryId: locator('1878882', 'id'), options: {} },
		}),
	],
	[
		'Inquiry → Get, unknown and empty (continueOnFail)',
		workflowRun(
			'inquiry/get.workflow.json',
			(api) => api.on('inquiryGet', 2, (asked) => (asked.id === '404' ? { status: 404, body: { error: 'Inquiry not found.' } } : { body: {} })),
			{ items: [{ inquiryId: 404 }, { inquiryId: 405 }], nodeSettings: { continueOnFail: true } },
		),
	],
	[
		'Broker → Get Token, none exists: created (2 items)',
		workflowRun('broker/getToken.workflow.json', (api) =>
			api
				.on('brokerToken', 2, () => ({ status: 404, body: { error: 'Broker Api: no broker found for the provided request.' } }))
				.on('brokerCreate', 2, (asked) => ({ body: { status: 'Broker Api: new broker created for the provided request.', bToken: `btok-new-${String(asked.body.bExternalId)}` } })),
		),
	],
	[
		'Agency Number → Add (2 items)',
		workflowRun('agencyNumber/create.workflow.json', (api) => api.on('agencyNumbersAdd', 2, () => ({ body: { status: 'Agency numbers saved.' } })), {
			replaceParameters: { ...AGENCY, operation: 'create', insurerId: '={{ $json.bafin }}', agencyNumbers: { number: [{ agencyNumber: '={{ $json.number }}', externalUniqueId: '={{ $json.uid }}', defaultForTenders: true }] } },
		}),
	],
	[
		'Agency Number → Delete (2 items)',
		workflowRun('agencyNumber/create.workflow.json', (api) => api.on('agencyNumbersDelete', 2, () => ({ body: { status: 'Agency numbers deleted.' } })), {
			replaceParameters: { ...AGENCY, operation: 'delete', insurerId: '={{ $json.bafin }}', agencyNumbers: { number: [{ agencyNumber: '={{ $json.number }}' }] } },
		}),
	],
	[
		'Agency Number → Get Many (V1 only: the V1 call in both)',
		workflowRun('agencyNumber/create.workflow.json', (api) => api.on('agencyNumbersGet', 1, () => ({ body: { agencyNumberSets: [{ baFinId: '5312', agencyNumbers: [{ agencyNumber: 'ALZ-1', active: true }] }] } })), {
			items: [{ n: 1 }],
			replaceParameters: { ...AGENCY, operation: 'getAll' },
		}),
	],
	[
		'Product → Get Many (2 professions)',
		workflowRun('product/getAll.workflow.json', (api) => api.on('products', 2, (asked) => ({ body: [{ id: Number(asked.params.professionId) + 1, name: `Produkt ${String(asked.params.professionId)}` }] }))),
	],
	['Profession → Get Many', workflowRun('profession/getAll.workflow.json', (api) => api.on('professions', 1, () => ({ body: [{ id: 2001, name: 'Elektroinstallateur' }] })), { items: [{ n: 1 }] })],
	['Document → Download (2 inquiries, 4 files)', workflowRun('document/download.workflow.json', (api) => api.on('inquiryGet', 2, (asked) => inquiryAnswer(asked.id)))],
	[
		'"From List": accounts, inquiries',
		async (dialect) => {
			const api = new DialectMock(dialect)
				.token()
				.on('accountTokens', 1, () => ({ body: ACCOUNTS }))
				.on('inquirySearch', 2, (asked) => ({ body: asked.params.lastDays === 7 ? {} : apiFixture('inquiry-search') }));
			const credentialsHelper = newCredentialsHelper(dialectCredential(dialect));
			const parameters = { resource: 'inquiry', operation: 'get', authenticateAs: 'account', accountToken: locator(ACCOUNT_TOKEN), inquiryId: locator('') };
			const accounts = await listSearch('searchAccounts', { credentialsHelper, parameters });
			const inquiries = await listSearch('searchInquiries', { credentialsHelper, parameters });
			return { output: { accounts, inquiries }, mocks: [api] };
		},
	],
	[
		'Trigger: activation, delivery, deactivation',
		async (dialect) => {
			const api = new DialectMock(dialect)
				.token()
				.on('brokerForward', 2, () => ({ body: { url: 'https://app.thinksurance.de/api/broker/switch/x' } }))
				.on('inquiryGet', 1, (asked) => inquiryAnswer(asked.id), 'broker');
			const trigger = triggerWorkflow(
				{ events: ['*'], registration: 'brokerCallback', brokerToken: BROKER_TOKEN, brokerExternalId: 'CRM-B-1', mappingType: 1, fetchInquiry: true, accountToken: '', downloadDocuments: false },
				newCredentialsHelper(dialectCredential(dialect)),
			);
			const created = await runHook(trigger, 'create');
			const registration = { ...(nodeStaticData(trigger).registration as IDataObject) };
			(nodeStaticData(trigger).registration as IDataObject).key = KEY;
			const delivery = await deliver(trigger, { body: apiFixture('event-inquiry-created'), query: { key: KEY } });
			const deleted = await runHook(trigger, 'delete');
			return {
				output: { created, registration: { ...registration, key: typeof registration.key }, answer: delivery.response.statusCode, items: delivery.result.workflowData, deleted, webhookUrl: registration.webhookUrl === WEBHOOK_URL },
				mocks: [api],
			};
		},
	],
	[
		'Polling Trigger: activation and a poll with one change',
		async (dialect) => {
			const answer = apiFixture<Record<string, { data: IDataObject }>>('inquiry-search');
			const api = new DialectMock(dialect)
				.token()
				.on('inquirySearch', 2, (_asked, index) => {
					const body = JSON.parse(JSON.stringify(answer)) as typeof answer;
					for (const inquiry of Object.values(body)) inquiry.data.iCreated = inquiry.data.iUpdated = THREE_DAYS_AGO;
					if (index === 1) Object.assign(body['1878881'].data, { status: '15', iUpdated: AN_HOUR_AGO });
					return { body };
				});
			const poller = new PollingDriver({ events: ['*'], accountToken: '', filters: {}, downloadDocuments: false }, newCredentialsHelper(dialectCredential(dialect, { accountToken: ACCOUNT_TOKEN })));
			const first = await poller.activate();
			const second = (await poller.poll()) ?? [];
			// The polling trigger's eventTime is when the poll saw the change: the same kind of value in both, not the same instant.
			for (const item of second) {
				expect(Number.isNaN(Date.parse(String(item.json.eventTime)))).toBe(false);
				item.json.eventTime = '(poll time)';
			}
			return { output: { first, second }, mocks: [api] };
		},
	],
];

/** Requests per scenario and dialect, for the table printed at the end. */
const table: Array<{ scenario: string; requests: Record<Dialect, string> }> = [];

/** `METHOD path` lines, repeated ones counted (`2× …`), in the order first seen. */
function summary(lines: string[]): string {
	const counts = new Map<string, number>();
	for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
	return [...counts].map(([line, count]) => (count > 1 ? `${count}× ${line}` : line)).join('; ');
}

beforeEach(() => clearInquiryListCache());

afterAll(() => {
	const width = Math.max(...table.map((row) => row.scenario.length));
	const rows = table.flatMap((row) => [
		`${row.scenario.padEnd(width)} | V1   | ${row.requests.v1}`,
		`${''.padEnd(width)} | V1.1 | ${row.requests['v1.1']}`,
	]);
	// eslint-disable-next-line no-console
	console.log(`[dialects] requests per workflow (outputs identical in both):\n${rows.join('\n')}`);
});

describe('V1 and V1.1 give identical outputs for the same workflows', () => {
	test.each(SCENARIOS)('%s', async (scenario, run) => {
		const outputs: Partial<Record<Dialect, unknown>> = {};
		const requests: Partial<Record<Dialect, string>> = {};
		for (const dialect of BOTH_DIALECTS) {
			// Each dialect starts without a token, as a fresh process would.
			clearSessions();
			clearKnownPaths();
			clearReusedCredentials();
			clearInquiryListCache();
			// The trigger's redelivery memory would take the second dialect's delivery for a repeat.
			clearProcessMemory();
			const { output, mocks } = await run(dialect);
			outputs[dialect] = output;
			requests[dialect] = summary(mocks.flatMap((mock) => mock.requests()));
			if (dialect === 'v1.1') {
				for (const call of mocks.flatMap((mock) => mock.calls)) expect(call.path).not.toContain('{token}');
			}
		}
		expect(outputs['v1.1']).toEqual(outputs.v1);
		table.push({ scenario, requests: requests as Record<Dialect, string> });
	});
});
