'use strict';
/**
 * The packed package in a real n8n process: every action operation runs through a saved
 * workflow with `n8n execute`, against the local Thinksurance stand-in.
 */
const { after, before, describe, test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { N8nInstance, packPackage } = require('../../scripts/lib/n8n');
const { ACTION_WORKFLOWS, CREDENTIAL_ID, CREDENTIAL_NAME, actionWorkflowsV11, credential, linearWorkflow, thinksurance, nodeOutput, nodeError } = require('../../scripts/lib/workflows');
const { startStandin } = require('../standin/server');
const { databaseText, secretsSeen } = require('./secrets');

/** An example workflow of examples/ as users import it (its credential ID is the stand-in's). */
const example = (file) => JSON.parse(require('node:fs').readFileSync(require('node:path').join(__dirname, '..', '..', 'examples', file), 'utf8'));

const LINE = process.env.TSN_N8N_LINE || '2';
const HASH = 'demo-api-user-hash-0001';
const SECRET = 'demo-api-user-secret-0001';

const EXAMPLE_GET_OR_CREATE = 'tsExBrokerToken1';

/** examples/crm-broker-get-or-create-forward.json, as a user imports it; optionally another ID and credential. */
function getOrCreateExample({ id = EXAMPLE_GET_OR_CREATE, credentialId = CREDENTIAL_ID } = {}) {
	const workflow = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'crm-broker-get-or-create-forward.json'), 'utf8'));
	workflow.id = id;
	for (const node of workflow.nodes) if (node.credentials?.thinksuranceApi) node.credentials.thinksuranceApi.id = credentialId;
	return workflow;
}

describe(`Thinksurance actions in n8n ${LINE}.x`, { timeout: 900_000 }, () => {
	let standin;
	let n8n;
	const runs = {};

	before(async () => {
		standin = await startStandin({ latencyMs: 5 });
		n8n = await new N8nInstance({ line: LINE }).init();
		n8n.installPackage(packPackage({ build: process.env.TSN_SKIP_BUILD !== '1' }));
		n8n.importCredentials([
			credential(standin.url),
			credential(standin.url, { id: 'tsSingleCred0001', name: 'Single account', hash: 'single-account-hash', secret: 'single-account-secret' }),
			credential(standin.url, { id: 'tsWrongCred00001', name: 'Wrong secret', secret: 'not-the-secret' }),
			credential(standin.url, { id: 'tsV1Cred00000001', name: 'Stand-in, API version V1', apiVersion: 'v1' }),
		]);
		n8n.importWorkflows([
			getOrCreateExample(),
			getOrCreateExample({ id: 'tsE2eGetOrCrV1', credentialId: 'tsV1Cred00000001' }),
			linearWorkflow({ id: 'tsE2eTokens00001', ...ACTION_WORKFLOWS.getTokens }),
			linearWorkflow({ id: 'tsE2eForward0001', ...ACTION_WORKFLOWS.forwardContacts }),
			linearWorkflow({
				id: 'tsE2eDeactivate1',
				name: 'Deactivate broker',
				nodes: [
					thinksurance('Thinksurance', {
						resource: 'broker',
						operation: 'forward',
						brokerToken: 'brk-demo-0002',
						brokerExternalId: 'CRM-B-2',
						brokerFields: { isActive: false },
						callbackFields: { disableCallbacks: true },
					}),
				],
			}),
			linearWorkflow({
				id: 'tsE2eCreate00001',
				name: 'Create broker (legacy)',
				nodes: [
					thinksurance('Thinksurance', {
						resource: 'broker',
						operation: 'create',
						accountToken: 'acc-demo-0001',
						brokerExternalId: 'CRM-B-NEW',
						mappingType: 2,
						email: 'neu@example.de',
						brokerFields: { lastName: 'Neumann', gender: 1 },
					}),
				],
			}),
			linearWorkflow({ id: 'tsE2eSearch00001', ...ACTION_WORKFLOWS.searchOrdered }),
			linearWorkflow({
				id: 'tsE2eSearch00002',
				name: 'Search single account, last day',
				credentialId: 'tsSingleCred0001',
				nodes: [thinksurance('Thinksurance', { resource: 'inquiry', operation: 'search', filters: { lastDays: 1 } })],
			}),
			linearWorkflow({ id: 'tsE2eGet00000001', ...ACTION_WORKFLOWS.getInquiry }),
			linearWorkflow({ id: 'tsE2eDownload001', ...ACTION_WORKFLOWS.downloadDocuments }),
			example('crm-agency-numbers-nightly.json'),
			linearWorkflow({
				id: 'tsE2eWrongCred01',
				name: 'Wrong secret',
				credentialId: 'tsWrongCred00001',
				nodes: ACTION_WORKFLOWS.getTokens.nodes,
			}),
		]);
	});

	after(async () => {
		await n8n?.stop();
		await standin?.close();
		const seen = secretsSeen(Object.values(runs).map((r) => r.stdout + r.stderr), standin, [HASH, SECRET, 'not-the-secret']);
		assert.deepEqual(seen, [], 'no security token, secret or hash in any n8n output');
		// Execution data in n8n's database (credentials themselves are stored encrypted).
		const database = databaseText(n8n.userFolder);
		assert.ok(database.length > 0, 'found the n8n database');
		assert.deepEqual(secretsSeen([database], standin, [HASH, SECRET, 'not-the-secret']), [], 'no secret in the n8n database');
	});

	async function execute(id) {
		const before = standin.stats.tokenRequests;
		const result = await n8n.execute(id);
		runs[id] = result;
		result.tokenRequests = standin.stats.tokenRequests - before;
		return result;
	}

	test('Account → Get Tokens gives one item per account', async () => {
		const { run, tokenRequests } = await execute('tsE2eTokens00001');
		assert.deepEqual(
			nodeOutput(run, 'Thinksurance').map((item) => item.json),
			[
				{ name: 'Demo Maklerbüro GmbH', aToken: 'acc-demo-0001' },
				{ name: 'Zweitbüro Hamburg', aToken: 'acc-demo-0002' },
			],
		);
		assert.ok(tokenRequests <= 1, `token requested ${tokenRequests} times`);
	});

	test('Broker → Forward sends customer and inquiry per item; a bad e-mail fails only its item and sends nothing', async () => {
		const fwdBefore = standin.stats.requestsByEndpoint['broker.fwd'] ?? 0;
		const { run, tokenRequests } = await execute('tsE2eForward0001');
		const items = nodeOutput(run, 'Thinksurance');
		assert.equal(items.length, 3);
		assert.deepEqual(items.map((item) => item.pairedItem), [{ item: 0 }, { item: 1 }, { item: 2 }]);
		for (const item of items.slice(0, 2)) {
			assert.match(item.json.url, /\/api\/broker\/switch\//);
			assert.equal(typeof item.json.inquiryId, 'number');
			assert.equal(typeof item.json.inquiryHash, 'string');
		}
		assert.match(items[2].json.error, /E-Mail.*trailing ";"/);
		assert.match(items[2].json.error, /\[item 2\]/);
		assert.equal((standin.stats.requestsByEndpoint['broker.fwd'] ?? 0) - fwdBefore, 2, 'the invalid item sent no request');
		assert.ok(tokenRequests <= 1);
		const sent = standin.rawLog
			.filter((entry) => entry.endpoint === 'broker.fwd')
			.slice(-2)
			.map((entry) => entry.body)
			.sort((a, b) => a.cExternalId.localeCompare(b.cExternalId));
		assert.equal(sent[0].cExternalId, 'C-100');
		assert.equal(sent[0].cBirthDate, '1984-03-12');
		assert.equal(sent[0].crmIdent, 'n8nDemoCRM');
		assert.deepEqual(sent[0].cExternalReferences, [{ origin: 'crm', paramKey: 'contactId', paramValue: 'C-100' }]);
		assert.equal(sent[0].instantInquiryCreation, true);
	});

	test('Broker → Forward deactivates a broker and switches its callbacks off', async () => {
		const { run } = await execute('tsE2eDeactivate1');
		assert.equal(nodeOutput(run, 'Thinksurance').length, 1);
		const broker = standin.state.brokers.get('brk-demo-0002');
		assert.equal(broker.isActive, false);
		assert.equal(broker.fullCallback, 1);
	});

	test('Broker → Create (legacy) returns the new broker token', async () => {
		const { run } = await execute('tsE2eCreate00001');
		const [item] = nodeOutput(run, 'Thinksurance');
		assert.equal(item.json.status, 'success');
		assert.equal(typeof item.json.brokerToken, 'string');
		assert.equal(item.json.brokerExternalId, 'CRM-B-NEW');
	});

	test('the example "CRM broker → Get Token (create if missing) → Forward → login link": V1.1 creates the new broker once, V1 then finds it', async () => {
		const createdBefore = standin.stats.brokersCreated ?? 0;
		const first = nodeOutput((await execute(EXAMPLE_GET_OR_CREATE)).run, 'Login Link for the CRM');
		assert.deepEqual(first.map((item) => [item.json.crmBrokerId, item.json.newInThinksurance]), [
			['CRM-B-1', false],
			['CRM-B-NEW-1', true],
		]);
		for (const item of first) assert.match(item.json.loginUrl, /\/api\/broker\/switch\//);
		assert.equal(first[0].json.brokerToken, 'brk-demo-0001');
		assert.equal((standin.stats.brokersCreated ?? 0) - createdBefore, 1);
		const newToken = first[1].json.brokerToken;

		const v1 = await execute('tsE2eGetOrCrV1');
		const again = nodeOutput(v1.run, 'Login Link for the CRM');
		assert.deepEqual(again.map((item) => [item.json.crmBrokerId, item.json.brokerToken, item.json.newInThinksurance]), [
			['CRM-B-1', 'brk-demo-0001', false],
			['CRM-B-NEW-1', newToken, false],
		]);
		// V1 answers with the broker code, passed on by Get Token.
		assert.equal(nodeOutput(v1.run, 'Get Broker Token')[0].json.brokerCode, 'CD-100001');
		assert.equal((standin.stats.brokersCreated ?? 0) - createdBefore, 1, 'no broker created twice');
		const routes = standin.rawLog.slice(-8).map((entry) => `${entry.dialect} ${entry.endpoint}`);
		assert.ok(routes.includes('v1 broker.token') && routes.includes('v1 broker.fwd'), routes.join(', '));
	});

	test('Inquiry → Search returns one item per inquiry and filters by status', async () => {
		const { run } = await execute('tsE2eSearch00001');
		const items = nodeOutput(run, 'Thinksurance');
		assert.ok(items.length > 0);
		for (const item of items) {
			assert.deepEqual(Object.keys(item.json).sort(), ['customer', 'data', 'docs', 'inquiryId', 'sHash']);
			assert.equal(Number(item.json.data.status), 6);
			assert.equal(typeof item.json.inquiryId, 'number');
		}
	});

	test('Inquiry → Search finds the only account of the API user by itself', async () => {
		const { run } = await execute('tsE2eSearch00002');
		const items = nodeOutput(run, 'Thinksurance');
		assert.ok(items.length >= 1, 'inquiries updated today or yesterday');
		const searches = standin.rawLog.filter((entry) => entry.endpoint === 'inquiry.search').slice(-1);
		assert.equal(searches[0].body.aToken, 'acc-single-0001');
		assert.equal(searches[0].body.lastDays, 1);
	});

	test('Inquiry → Get works with account and broker token', async () => {
		const { run } = await execute('tsE2eGet00000001');
		const items = nodeOutput(run, 'Thinksurance');
		assert.deepEqual(items.map((item) => item.json.inquiryId), [1878881, 1878882]);
		// Items run in parallel: find each request by its path.
		const bodyFor = (id) => standin.rawLog.filter((entry) => entry.endpoint === 'inquiry.get' && entry.path.endsWith(`/${id}`)).pop().body;
		assert.equal(bodyFor(1878881).aToken, 'acc-demo-0001');
		assert.equal(bodyFor(1878882).bToken, 'brk-demo-0001');
	});

	test('Document → Download gives one binary item per file', async () => {
		const { run } = await execute('tsE2eDownload001');
		const items = nodeOutput(run, 'Thinksurance');
		assert.equal(items.length, 3);
		for (const item of items) {
			assert.ok(item.binary?.data, 'binary in field "data"');
			assert.ok(item.binary.data.fileName);
			assert.ok(item.binary.data.mimeType);
			assert.ok(item.json.documentPurpose);
		}
		assert.ok(items.some((item) => item.binary.data.mimeType === 'application/pdf'));
	});

	test('example "the CRM\'s agency numbers → Thinksurance, nightly": one Add per CRM number, stored with the insurer', async () => {
		const { run, tokenRequests } = await execute('tsExAgencyNums01');
		const items = nodeOutput(run, 'Add to Thinksurance');
		assert.deepEqual(
			items.map((item) => [item.json, item.pairedItem]),
			[
				[{ status: 'Agency numbers saved.', insurerIdType: 'baFinId', insurerId: '5312', agencyNumbers: ['ALZ-4711'] }, { item: 0 }],
				[{ status: 'Agency numbers saved.', insurerIdType: 'baFinId', insurerId: '7001', agencyNumbers: ['HDI-2208'] }, { item: 1 }],
				[{ status: 'Agency numbers saved.', insurerIdType: 'baFinId', insurerId: '5312', agencyNumbers: ['ALZ-4799'] }, { item: 2 }],
			],
		);
		assert.ok(tokenRequests <= 1);
		const sets = standin.state.agencyNumberSets('account:acc-demo-0001');
		const hdi = sets.find((set) => set.baFinId === '7001');
		assert.deepEqual(hdi.agencyNumbers.map((n) => [n.agencyNumber, n.externalUniqueId, n.externalInsurerId, n.matchCode, n.defaultForTenders, n.active]), [
			['HDI-2208', 'CRM-AN-1002', 'CRM-INS-13', 'HDI Gewerbe', false, true],
		]);
		const allianz = sets.find((set) => set.baFinId === '5312').agencyNumbers.find((n) => n.agencyNumber === 'ALZ-4799');
		assert.equal(allianz.active, false);
		// The nightly run again: the same entries are updated, nothing is refused.
		const again = await execute('tsExAgencyNums01');
		assert.deepEqual(nodeOutput(again.run, 'Add to Thinksurance').map((item) => item.json.status), Array(3).fill('Agency numbers saved.'));
	});

	test('A wrong secret fails with the API\'s own message', async () => {
		const { run } = await execute('tsE2eWrongCred01');
		const error = nodeError(run, 'Thinksurance');
		assert.ok(error, 'the run failed');
		assert.match(error.message, /API User is not existing or deactivated/);
	});

	describe('typeVersion 1.1: account and inquiry picked from the editor\'s lists', () => {
		const picks = {};
		const v11 = {};

		test('the account list and the inquiry list (REST, as the editor asks); typing a customer name narrows it', async () => {
			await n8n.start();
			await n8n.login();
			const ref = { id: CREDENTIAL_ID, name: CREDENTIAL_NAME };
			const accounts = await n8n.listSearch({ methodName: 'searchAccounts', path: 'parameters.accountToken', parameters: { resource: 'inquiry', operation: 'get' }, credential: ref });
			assert.deepEqual(accounts.results, [
				{ name: 'Demo Maklerbüro GmbH', value: 'acc-demo-0001' },
				{ name: 'Zweitbüro Hamburg', value: 'acc-demo-0002' },
			]);
			picks.account = accounts.results[0];

			const parameters = {
				resource: 'document',
				operation: 'download',
				accountToken: { __rl: true, mode: 'list', value: picks.account.value, cachedResultName: picks.account.name },
				inquiryId: { __rl: true, mode: 'list', value: '' },
			};
			const all = await n8n.listSearch({ methodName: 'searchInquiries', path: 'parameters.inquiryId', parameters, credential: ref });
			assert.ok(all.results.length >= 30, `the account's recent inquiries (${all.results.length})`);
			for (const result of all.results) assert.match(result.name, /^\d+ · .+ · .+ · .+$/);
			const target = standin.state.inquiries.get(1878881);
			const customer = `${target.customer.cFirstName} ${target.customer.cLastName}`;
			const narrowed = await n8n.listSearch({ methodName: 'searchInquiries', path: 'parameters.inquiryId', parameters, credential: ref, filter: customer });
			assert.ok(narrowed.results.length >= 1 && narrowed.results.length < all.results.length, `"${customer}" narrows ${all.results.length} to ${narrowed.results.length}`);
			picks.inquiry = narrowed.results.find((result) => result.value === '1878881');
			assert.ok(picks.inquiry, `1878881 is among the inquiries of ${customer}: ${JSON.stringify(narrowed.results)}`);
			// `n8n execute` runs the workflows, as for typeVersion 1 (one n8n process on the database at a time).
			await n8n.stop();

			const workflows = actionWorkflowsV11(picks);
			n8n.importWorkflows(Object.entries(workflows).map(([key, workflow], index) => linearWorkflow({ id: `tsE2eV11Wf${String(index).padStart(6, '0')}`, ...workflow })));
			for (const [index, key] of Object.keys(workflows).entries()) {
				v11[key] = await execute(`tsE2eV11Wf${String(index).padStart(6, '0')}`);
			}
		});

		const output = (key) => nodeOutput(v11[key]?.run, 'Thinksurance') ?? [];
		// Every answer carries a fresh document token (in docs.docToken and in the file links): compare without it.
		const withoutDocToken = (json) => {
			const token = json.docs?.docToken?.token;
			const text = JSON.stringify({ ...json, docs: { ...json.docs, docToken: undefined } });
			return JSON.parse(token ? text.split(token).join('<docToken>') : text);
		};

		test('Get Tokens and Broker Forward in 1.1 give what they gave in 1', () => {
			assert.deepEqual(output('getTokens').map((item) => item.json), nodeOutput(runs.tsE2eTokens00001.run, 'Thinksurance').map((item) => item.json));
			const forward = output('forwardContacts');
			assert.equal(forward.length, 3);
			assert.match(forward[0].json.url, /\/api\/broker\/switch\//);
			assert.match(forward[2].json.error, /E-Mail.*trailing ";"/);
		});

		test('Broker Create sends the picked account', () => {
			const [item] = output('createBroker');
			assert.equal(item.json.status, 'success');
			assert.equal(standin.rawLog.filter((entry) => entry.endpoint === 'broker.set').pop().body.aToken, 'acc-demo-0001');
		});

		test('Search with the defaults: at most 50 simplified items with readable status and premium in euros', () => {
			const items = output('search');
			assert.ok(items.length > 0 && items.length <= 50, `${items.length} items`);
			for (const { json } of items) {
				assert.deepEqual(Object.keys(json), [
					'inquiryId', 'status', 'statusName', 'productName', 'professionName', 'industryName', 'brokerExternalId', 'customerExternalId',
					'customerName', 'customerCompany', 'customerEmail', 'insuranceCompanyName', 'premiumYearlyEur', 'coverage', 'deductible',
					'contractStartDate', 'created', 'updated', 'documentCount',
				]);
				if (json.status === 6) assert.equal(json.statusName, 'ordered');
				assert.ok(json.premiumYearlyEur === null || typeof json.premiumYearlyEur === 'number');
			}
			const raw = standin.state.inquiries.get(items[0].json.inquiryId);
			if (typeof raw.data.premiumYearly === 'number') assert.equal(items[0].json.premiumYearlyEur, raw.data.premiumYearly / 100);
		});

		test('Search with Return All and Simplify off equals the typeVersion 1 search (same account, status 6)', () => {
			const v1 = nodeOutput(runs.tsE2eSearch00001.run, 'Thinksurance').map((item) => withoutDocToken(item.json));
			assert.ok(v1.length > 0);
			assert.deepEqual(output('searchRaw').map((item) => withoutDocToken(item.json)), v1);
		});

		test('Get with the picked inquiry: simplified; Simplify off equals typeVersion 1\'s item', () => {
			const [simple] = output('getInquiry');
			assert.equal(simple.json.inquiryId, 1878881);
			assert.equal(simple.json.documentCount, 3);
			const v1 = nodeOutput(runs.tsE2eGet00000001.run, 'Thinksurance')[0].json;
			assert.deepEqual(withoutDocToken(output('getInquiryRaw')[0].json), withoutDocToken(v1));
		});

		test('Download with the picked account and inquiry: the same files as typeVersion 1', () => {
			const files = (items) => items.map((item) => [item.json.fileName, item.binary?.data?.mimeType, item.json.fileSize]);
			assert.equal(output('downloadDocuments').length, 3);
			assert.deepEqual(files(output('downloadDocuments')), files(nodeOutput(runs.tsE2eDownload001.run, 'Thinksurance')));
		});
	});
});
