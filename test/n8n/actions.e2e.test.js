'use strict';
/**
 * The packed package in a real n8n process: every action operation runs through a saved
 * workflow with `n8n execute`, against the local Thinksurance stand-in.
 */
const { after, before, describe, test } = require('node:test');
const assert = require('node:assert/strict');

const { N8nInstance, packPackage } = require('../../scripts/lib/n8n');
const { ACTION_WORKFLOWS, credential, linearWorkflow, thinksurance, nodeOutput, nodeError } = require('../../scripts/lib/workflows');
const { startStandin } = require('../standin/server');
const { databaseText, secretsSeen } = require('./secrets');

const LINE = process.env.TSN_N8N_LINE || '2';
const HASH = 'demo-api-user-hash-0001';
const SECRET = 'demo-api-user-secret-0001';

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
		]);
		n8n.importWorkflows([
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

	test('A wrong secret fails with the API\'s own message', async () => {
		const { run } = await execute('tsE2eWrongCred01');
		const error = nodeError(run, 'Thinksurance');
		assert.ok(error, 'the run failed');
		assert.match(error.message, /API User is not existing or deactivated/);
	});
});
