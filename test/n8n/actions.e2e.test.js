'use strict';
/**
 * The packed package in a real n8n process: every action operation runs through a saved
 * workflow against the local Thinksurance stand-in, in both request dialects. One `n8n start`
 * holds a V1.1 and a V1 credential; the same workflows run with each (through the REST API, as
 * the editor's "Execute workflow" does) and their outputs are compared item by item. One
 * `n8n execute` run keeps the CLI path covered.
 */
const { after, before, describe, test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { N8nInstance, packPackage } = require('../../scripts/lib/n8n');
const { ACTION_WORKFLOWS, CREDENTIAL_ID, actionWorkflowsV11, credential, linearWorkflow, thinksurance, nodeOutput, nodeError } = require('../../scripts/lib/workflows');
const { startStandin } = require('../standin/server');
const { DIALECTS, DialectRequests, assertSameItems, dialectCredentials, dialectId, sent, withoutDocToken } = require('./dialects');
const { databaseText, secretsSeen } = require('./secrets');

const LINE = process.env.TSN_N8N_LINE || '2';
const HASH = 'demo-api-user-hash-0001';
const SECRET = 'demo-api-user-secret-0001';
const [V11, V1] = DIALECTS;

/** An example workflow of examples/ as users import it; optionally another ID and credential. */
function example(file, { id, credentialId } = {}) {
	const workflow = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', file), 'utf8'));
	if (id) workflow.id = id;
	if (credentialId) for (const node of workflow.nodes) if (node.credentials?.thinksuranceApi) node.credentials.thinksuranceApi.id = credentialId;
	return workflow;
}
const EXAMPLE_GET_OR_CREATE = 'tsExBrokerToken1';
const EXAMPLE_AGENCY_NUMBERS = 'tsExAgencyNums01';

/** typeVersion 1 workflows by ID; a function of the dialect where the two runs must differ. */
const WORKFLOWS = {
	tsE2eTokens00001: () => ACTION_WORKFLOWS.getTokens,
	tsE2eForward0001: () => ACTION_WORKFLOWS.forwardContacts,
	tsE2eDeactivate1: () => ({
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
	// A broker external ID exists once per account: each dialect creates its own.
	tsE2eCreate00001: (dialect) => ({
		name: 'Create broker (legacy)',
		nodes: [
			thinksurance('Thinksurance', {
				resource: 'broker',
				operation: 'create',
				accountToken: 'acc-demo-0001',
				brokerExternalId: `CRM-B-NEW-${dialect.label}`,
				mappingType: 2,
				email: 'neu@example.de',
				brokerFields: { lastName: 'Neumann', gender: 1 },
			}),
		],
	}),
	tsE2eSearch00001: () => ACTION_WORKFLOWS.searchOrdered,
	tsE2eSearch00002: () => ({
		name: 'Search single account, last day',
		credentialId: 'tsSingleCred0001',
		nodes: [thinksurance('Thinksurance', { resource: 'inquiry', operation: 'search', filters: { lastDays: 1 } })],
	}),
	tsE2eGet00000001: () => ACTION_WORKFLOWS.getInquiry,
	tsE2eDownload001: () => ACTION_WORKFLOWS.downloadDocuments,
	tsE2eWrongCred01: () => ({ name: 'Wrong secret', credentialId: 'tsWrongCred00001', nodes: ACTION_WORKFLOWS.getTokens.nodes }),
};

describe(`Thinksurance actions in n8n ${LINE}.x, V1.1 and V1`, { timeout: 900_000 }, () => {
	let standin;
	let n8n;
	let requests;
	const runs = {}; // workflow ID (without dialect) → { 'v1.1': result, v1: result }
	const texts = []; // everything n8n showed, checked for secrets at the end
	const compared = {}; // what the item-by-item comparison covered

	before(async () => {
		standin = await startStandin({ latencyMs: 5 });
		requests = new DialectRequests(standin);
		n8n = await new N8nInstance({ line: LINE }).init();
		n8n.installPackage(packPackage({ build: process.env.TSN_SKIP_BUILD !== '1' }));
		n8n.importCredentials([
			...dialectCredentials(standin.url),
			...dialectCredentials(standin.url, { id: 'tsSingleCred0001', name: 'Single account', hash: 'single-account-hash', secret: 'single-account-secret' }),
			...dialectCredentials(standin.url, { id: 'tsWrongCred00001', name: 'Wrong secret', secret: 'not-the-secret' }),
			// API users enabled for one version only, with a credential of the other.
			credential(standin.url, { id: 'tsV1OnlyCred0001', name: 'V1-only API user, V1.1', apiVersion: 'v1.1', hash: 'v1-only-api-user-hash', secret: 'v1-only-api-user-secret' }),
			credential(standin.url, { id: 'tsV11OnlyCred001', name: 'V1.1-only API user, V1', apiVersion: 'v1', hash: 'v11-only-api-user-hash', secret: 'v11-only-api-user-secret' }),
		]);
		const workflows = [];
		for (const dialect of DIALECTS) {
			for (const [id, make] of Object.entries(WORKFLOWS)) {
				const { credentialId = CREDENTIAL_ID, ...workflow } = make(dialect);
				workflows.push(linearWorkflow({ ...workflow, id: dialectId(id, dialect), name: `${workflow.name} (${dialect.label})`, credentialId: dialectId(credentialId, dialect) }));
			}
		}
		workflows.push(
			example('crm-broker-get-or-create-forward.json', { id: EXAMPLE_GET_OR_CREATE }),
			example('crm-broker-get-or-create-forward.json', { id: 'tsE2eGetOrCrV1', credentialId: dialectId(CREDENTIAL_ID, V1) }),
			example('crm-agency-numbers-nightly.json', { id: EXAMPLE_AGENCY_NUMBERS }),
			linearWorkflow({ id: 'tsE2eOnlyV1Wf001', name: 'V1-only API user, V1.1 credential', credentialId: 'tsV1OnlyCred0001', nodes: ACTION_WORKFLOWS.getTokens.nodes }),
			linearWorkflow({ id: 'tsE2eOnlyV11Wf01', name: 'V1.1-only API user, V1 credential', credentialId: 'tsV11OnlyCred001', nodes: ACTION_WORKFLOWS.getTokens.nodes }),
		);
		n8n.importWorkflows(workflows);
		// `n8n execute` (its own process; one n8n process on the database at a time): the CLI path, V1.1.
		const cli = await requests.during(V11, () => n8n.execute('tsE2eTokens00001'));
		runs.cli = cli;
		texts.push(cli.stdout, cli.stderr);
		// The examples start with a schedule and a manual trigger: run as `n8n execute` does.
		const exampleRun = async (id) => {
			const created = standin.stats.brokersCreated ?? 0;
			const tokens = standin.stats.tokenRequests;
			const from = standin.rawLog.length;
			const result = await n8n.execute(id);
			texts.push(result.stdout, result.stderr);
			return { ...result, created: (standin.stats.brokersCreated ?? 0) - created, tokenRequests: standin.stats.tokenRequests - tokens, log: standin.rawLog.slice(from) };
		};
		runs.getOrCreate = { v11: await exampleRun(EXAMPLE_GET_OR_CREATE), v1: await exampleRun('tsE2eGetOrCrV1') };
		runs.agencyNumbers = [await exampleRun(EXAMPLE_AGENCY_NUMBERS), await exampleRun(EXAMPLE_AGENCY_NUMBERS)];
		await n8n.start();
		await n8n.login();
	});

	after(async () => {
		const log = n8n?.readLog() ?? '';
		await n8n?.stop();
		await standin?.close();
		if (!standin) return;
		requests.report(`actions, n8n ${LINE}.x`);
		console.log(`actions, n8n ${LINE}.x: outputs compared item by item (V1.1 = V1): ${Object.entries(compared).map(([what, n]) => `${what} ${n}`).join(', ')}`);
		const seen = secretsSeen([...texts, log], standin, [HASH, SECRET, 'not-the-secret', 'v1-only-api-user-secret', 'v11-only-api-user-secret']);
		assert.deepEqual(seen, [], 'no security token, secret or hash in any n8n output or log');
		// Execution data in n8n's database (credentials themselves are stored encrypted).
		const database = databaseText(n8n.userFolder);
		assert.ok(database.length > 0, 'found the n8n database');
		assert.deepEqual(secretsSeen([database], standin, [HASH, SECRET, 'not-the-secret']), [], 'no secret in the n8n database');
	});

	/** Runs one dialect's variant of a workflow; the token requests it made are counted. */
	async function runAs(dialect, id, { raw = false } = {}) {
		const tokensBefore = standin.stats.tokenRequests;
		const result = await requests.during(dialect, () => n8n.runWorkflow(raw ? id : dialectId(id, dialect)));
		result.tokenRequests = standin.stats.tokenRequests - tokensBefore;
		texts.push(JSON.stringify(result.execution));
		(runs[id] ??= {})[dialect.version] = result;
		return result;
	}

	/** Runs the workflow with each dialect's credential; `check` is asserted for each. */
	async function runBoth(id, check, { between } = {}) {
		const results = {};
		for (const dialect of DIALECTS) {
			if (results['v1.1'] && between) between();
			const from = standin.rawLog.length;
			results[dialect.version] = await runAs(dialect, id);
			await check(results[dialect.version], dialect, standin.rawLog.slice(from));
		}
		return results;
	}

	const items = (result) => nodeOutput(result.run, 'Thinksurance') ?? [];
	const same = (results, what, normalize) => {
		compared[what] = assertSameItems(items(results['v1.1']), items(results.v1), { what, normalize });
	};

	test('`n8n execute` (V1.1): Account → Get Tokens', () => {
		assert.deepEqual(
			items(runs.cli).map((item) => [item.json.name, item.json.aToken]),
			[
				['Demo Maklerbüro GmbH', 'acc-demo-0001'],
				['Zweitbüro Hamburg', 'acc-demo-0002'],
			],
		);
	});

	test('Account → Get Tokens gives one item per account; V1.1 adds the API\'s nameTag', async () => {
		const results = await runBoth('tsE2eTokens00001', (result, dialect) => {
			assert.deepEqual(
				items(result).map((item) => [item.json.name, item.json.aToken]),
				[
					['Demo Maklerbüro GmbH', 'acc-demo-0001'],
					['Zweitbüro Hamburg', 'acc-demo-0002'],
				],
			);
			// V1.1's account list names each account's tag; V1's does not (interface.md: added when the API sends it).
			assert.deepEqual(items(result).map((item) => item.json.nameTag), dialect === V11 ? ['demopool', 'zweitbuero-hh'] : [undefined, undefined]);
			assert.ok(result.tokenRequests <= 1, `token requested ${result.tokenRequests} times`);
		});
		same(results, 'Get Tokens', ({ nameTag, ...json }) => json);
	});

	test('Broker → Forward sends customer and inquiry per item; a bad e-mail fails only its item and sends nothing', async () => {
		const results = await runBoth('tsE2eForward0001', (result, dialect, log) => {
			const output = items(result);
			assert.equal(output.length, 3);
			assert.deepEqual(output.map((item) => item.pairedItem), [{ item: 0 }, { item: 1 }, { item: 2 }]);
			for (const item of output.slice(0, 2)) {
				assert.match(item.json.url, /\/api\/broker\/switch\//);
				assert.equal(typeof item.json.inquiryId, 'number');
				assert.equal(typeof item.json.inquiryHash, 'string');
			}
			assert.match(output[2].json.error, /E-Mail.*trailing ";"/);
			assert.match(output[2].json.error, /\[item 2\]/);
			const forwards = log.filter((entry) => entry.endpoint === 'broker.fwd');
			assert.equal(forwards.length, 2, 'the invalid item sent no request');
			assert.ok(forwards.every((entry) => entry.dialect === dialect.version && sent(entry).broker === 'brk-demo-0001'));
			assert.ok(result.tokenRequests <= 1);
			const bodies = forwards.map((entry) => entry.body).sort((a, b) => a.cExternalId.localeCompare(b.cExternalId));
			assert.equal(bodies[0].cExternalId, 'C-100');
			assert.equal(bodies[0].cBirthDate, '1984-03-12');
			assert.equal(bodies[0].crmIdent, 'n8nDemoCRM');
			assert.deepEqual(bodies[0].cExternalReferences, [{ origin: 'crm', paramKey: 'contactId', paramValue: 'C-100' }]);
			assert.equal(bodies[0].instantInquiryCreation, true);
		});
		// Each forward gives a new login link and inquiry.
		same(results, 'Broker Forward', ({ url, inquiryId, inquiryHash, ...json }) => ({ ...json, url: typeof url, inquiryId: typeof inquiryId, inquiryHash: typeof inquiryHash }));
	});

	test('Broker → Forward deactivates a broker and switches its callbacks off', async () => {
		const reactivate = () => Object.assign(standin.state.brokers.get('brk-demo-0002'), { isActive: true, fullCallback: 0 });
		reactivate();
		const results = await runBoth(
			'tsE2eDeactivate1',
			(result) => {
				assert.equal(items(result).length, 1);
				const broker = standin.state.brokers.get('brk-demo-0002');
				assert.equal(broker.isActive, false);
				assert.equal(broker.fullCallback, 1);
			},
			{ between: reactivate },
		);
		same(results, 'Broker Forward (deactivate)', ({ url, ...json }) => ({ ...json, url: typeof url }));
	});

	test('Broker → Create (legacy) returns the new broker token', async () => {
		const results = await runBoth('tsE2eCreate00001', (result, dialect, log) => {
			const [item] = items(result);
			// The status text is the API's own: V1 "success", V1.1 a sentence.
			assert.equal(item.json.status, dialect === V11 ? 'Broker Api: new broker created for the provided request.' : 'success');
			assert.match(item.json.brokerToken, /\S/);
			assert.equal(item.json.brokerExternalId, `CRM-B-NEW-${dialect.label}`);
			assert.equal(sent(log.find((entry) => entry.endpoint === 'broker.set')).account, 'acc-demo-0001');
		});
		same(results, 'Broker Create', ({ status, brokerToken, brokerExternalId, ...json }) => ({ ...json, status: typeof status, brokerToken: typeof brokerToken }));
	});

	test('Inquiry → Search returns one item per inquiry and filters by status', async () => {
		const results = await runBoth('tsE2eSearch00001', (result) => {
			const output = items(result);
			assert.ok(output.length > 0);
			for (const item of output) {
				assert.deepEqual(Object.keys(item.json).sort(), ['customer', 'data', 'docs', 'inquiryId', 'sHash']);
				assert.equal(Number(item.json.data.status), 6);
				assert.equal(typeof item.json.inquiryId, 'number');
			}
		});
		same(results, 'Search');
	});

	test('Inquiry → Search finds the only account of the API user by itself', async () => {
		const results = await runBoth('tsE2eSearch00002', (result, dialect, log) => {
			assert.ok(items(result).length >= 1, 'inquiries updated today or yesterday');
			const search = sent(log.filter((entry) => entry.endpoint === 'inquiry.search').pop());
			assert.equal(search.account, 'acc-single-0001');
			assert.equal(search.lastDays, 1);
		});
		same(results, 'Search (only account)');
	});

	test('Inquiry → Get works with account and broker token', async () => {
		const results = await runBoth('tsE2eGet00000001', (result, dialect, log) => {
			assert.deepEqual(items(result).map((item) => item.json.inquiryId), [1878881, 1878882]);
			// Items run in parallel: find each request by its inquiry ID.
			const fetches = log.filter((entry) => entry.endpoint === 'inquiry.get').map(sent);
			assert.equal(fetches.find((fetch) => fetch.inquiryId === 1878881)?.account, 'acc-demo-0001');
			assert.equal(fetches.find((fetch) => fetch.inquiryId === 1878882)?.broker, 'brk-demo-0001');
		});
		same(results, 'Get');
	});

	test('Document → Download gives one binary item per file', async () => {
		const results = await runBoth('tsE2eDownload001', (result) => {
			const output = items(result);
			assert.equal(output.length, 3);
			for (const item of output) {
				assert.ok(item.binary?.data, 'binary in field "data"');
				assert.ok(item.binary.data.fileName);
				assert.ok(item.binary.data.mimeType);
				assert.ok(item.json.documentPurpose);
			}
			assert.ok(output.some((item) => item.binary.data.mimeType === 'application/pdf'));
		});
		same(results, 'Download');
	});

	test('A wrong secret fails with the API\'s own message', async () => {
		const messages = [];
		await runBoth('tsE2eWrongCred01', (result) => {
			const error = nodeError(result.run, 'Thinksurance');
			assert.ok(error, 'the run failed');
			assert.match(error.message, /API User is not existing or deactivated/);
			messages.push(error.message);
		});
		assert.equal(messages[0], messages[1], 'the same message in both dialects');
	});

	test('an API user enabled for the other API version only: the run names the API Version to set', async () => {
		const shown = [];
		for (const [id, apiVersion, other] of [
			['tsE2eOnlyV1Wf001', 'v1.1', 'V1 (Outdated)'],
			['tsE2eOnlyV11Wf01', 'v1', 'V1.1'],
		]) {
			const tokensBefore = standin.stats.tokenRequests;
			const { run } = await n8n.runWorkflow(id);
			const error = nodeError(run, 'Thinksurance');
			assert.ok(error, 'the run failed');
			assert.match(error.message, new RegExp(`does not let this API user use API Version .*set API Version to ${other.replace(/[.()]/g, '\\$&')}\\.`));
			const lists = standin.rawLog.filter((entry) => entry.endpoint === 'account.tokens').slice(-2);
			assert.deepEqual(lists.map((entry) => [entry.dialect, entry.status]), [[apiVersion, 400], [apiVersion, 400]], 'refused, one new token and one repeat');
			assert.ok(standin.stats.tokenRequests - tokensBefore <= 2);
			texts.push(JSON.stringify(run));
			shown.push(`API user for the other version only, credential ${apiVersion}: ${error.message}`);
		}
		console.log(`actions, n8n ${LINE}.x:\n${shown.map((line) => `  ${line}`).join('\n')}`);
	});

	describe('typeVersion 1.1: account and inquiry picked from the editor\'s lists', () => {
		const picks = {};
		const v11 = { 'v1.1': {}, v1: {} };

		test('the account list and the inquiry list (REST, as the editor asks), the same with both credentials; typing a customer name narrows it', async () => {
			const lists = {};
			for (const dialect of DIALECTS) {
				lists[dialect.version] = await requests.during(dialect, async () => {
					const ref = { id: dialect.credentialId, name: dialect.credentialName };
					const accounts = await n8n.listSearch({ methodName: 'searchAccounts', path: 'parameters.accountToken', parameters: { resource: 'inquiry', operation: 'get' }, credential: ref });
					assert.deepEqual(
						accounts.results.map(({ name, value }) => ({ name, value })),
						[
							{ name: 'Demo Maklerbüro GmbH', value: 'acc-demo-0001' },
							{ name: 'Zweitbüro Hamburg', value: 'acc-demo-0002' },
						],
					);
					const account = accounts.results[0];
					const parameters = {
						resource: 'document',
						operation: 'download',
						accountToken: { __rl: true, mode: 'list', value: account.value, cachedResultName: account.name },
						inquiryId: { __rl: true, mode: 'list', value: '' },
					};
					const all = await n8n.listSearch({ methodName: 'searchInquiries', path: 'parameters.inquiryId', parameters, credential: ref });
					assert.ok(all.results.length >= 30, `the account's recent inquiries (${all.results.length})`);
					for (const result of all.results) assert.match(result.name, /^\d+ · .+ · .+ · .+$/);
					const target = standin.state.inquiries.get(1878881);
					const customer = `${target.customer.cFirstName} ${target.customer.cLastName}`;
					const narrowed = await n8n.listSearch({ methodName: 'searchInquiries', path: 'parameters.inquiryId', parameters, credential: ref, filter: customer });
					assert.ok(narrowed.results.length >= 1 && narrowed.results.length < all.results.length, `"${customer}" narrows ${all.results.length} to ${narrowed.results.length}`);
					const inquiry = narrowed.results.find((result) => result.value === '1878881');
					assert.ok(inquiry, `1878881 is among the inquiries of ${customer}: ${JSON.stringify(narrowed.results)}`);
					return { accounts, account, all, narrowed, inquiry };
				});
			}
			assert.deepEqual(lists.v1.accounts.results.map(({ name, value }) => ({ name, value })), lists['v1.1'].accounts.results.map(({ name, value }) => ({ name, value })));
			assert.deepEqual(lists.v1.all.results, lists['v1.1'].all.results, 'the same inquiry list with both credentials');
			assert.deepEqual(lists.v1.narrowed.results, lists['v1.1'].narrowed.results);
			picks.account = lists['v1.1'].account;
			picks.inquiry = lists['v1.1'].inquiry;

			// Saved as the editor saves them (n8n runs; the CLI would write to its database meanwhile).
			const workflows = actionWorkflowsV11(picks);
			for (const [key, workflow] of Object.entries(workflows)) {
				for (const dialect of DIALECTS) {
					// A broker external ID exists once per account.
					const nodes = key === 'createBroker' ? workflow.nodes.map((node) => ({ ...node, parameters: { ...node.parameters, brokerExternalId: `CRM-B-V11-${dialect.label}` } })) : workflow.nodes;
					const { id, active, pinData, ...body } = linearWorkflow({ ...workflow, nodes, id: 'unused', name: `${workflow.name} (${dialect.label})`, credentialId: dialect.credentialId });
					// n8n 1.x stores `active` as sent (NOT NULL); 2.x keeps it out of a new workflow.
					const saved = await n8n.rest('POST', '/workflows', LINE === '1' ? { ...body, active: false } : body);
					v11[dialect.version][key] = await runAs(dialect, saved.id, { raw: true });
				}
			}
		});

		const output = (key, dialect = V11) => items(v11[dialect.version][key] ?? {});
		const bothSame = (key, what, normalize) => {
			compared[what] = assertSameItems(output(key, V11), output(key, V1), { what, normalize });
		};

		test('Get Tokens and Broker Forward in 1.1 give what they gave in 1, with both credentials', () => {
			for (const dialect of DIALECTS) {
				assert.deepEqual(output('getTokens', dialect).map((item) => item.json), items(runs.tsE2eTokens00001[dialect.version]).map((item) => item.json));
				const forward = output('forwardContacts', dialect);
				assert.equal(forward.length, 3);
				assert.match(forward[0].json.url, /\/api\/broker\/switch\//);
				assert.match(forward[2].json.error, /E-Mail.*trailing ";"/);
			}
			bothSame('getTokens', 'Get Tokens 1.1', ({ nameTag, ...json }) => json);
			bothSame('forwardContacts', 'Broker Forward 1.1', ({ url, inquiryId, inquiryHash, ...json }) => ({ ...json, url: typeof url, inquiryId: typeof inquiryId, inquiryHash: typeof inquiryHash }));
		});

		test('Broker Create sends the picked account', () => {
			for (const dialect of DIALECTS) {
				const [item] = output('createBroker', dialect);
				assert.match(item.json.brokerToken, /\S/);
				assert.equal(item.json.brokerExternalId, `CRM-B-V11-${dialect.label}`);
			}
			const creates = standin.rawLog.filter((entry) => entry.endpoint === 'broker.set').slice(-2);
			assert.deepEqual(creates.map((entry) => [entry.dialect, sent(entry).account]), [['v1.1', 'acc-demo-0001'], ['v1', 'acc-demo-0001']]);
			bothSame('createBroker', 'Broker Create 1.1', ({ status, brokerToken, brokerExternalId, ...json }) => ({ ...json, status: typeof status, brokerToken: typeof brokerToken }));
		});

		test('Search with the defaults: at most 50 simplified items with readable status and premium in euros', () => {
			for (const dialect of DIALECTS) {
				const found = output('search', dialect);
				assert.ok(found.length > 0 && found.length <= 50, `${found.length} items`);
				for (const { json } of found) {
					assert.deepEqual(Object.keys(json), [
						'inquiryId', 'status', 'statusName', 'productName', 'professionName', 'industryName', 'brokerExternalId', 'customerExternalId',
						'customerName', 'customerCompany', 'customerEmail', 'insuranceCompanyName', 'premiumYearlyEur', 'coverage', 'deductible',
						'contractStartDate', 'created', 'updated', 'documentCount',
					]);
					if (json.status === 6) assert.equal(json.statusName, 'ordered');
					assert.ok(json.premiumYearlyEur === null || typeof json.premiumYearlyEur === 'number');
				}
				const raw = standin.state.inquiries.get(found[0].json.inquiryId);
				if (typeof raw.data.premiumYearly === 'number') assert.equal(found[0].json.premiumYearlyEur, raw.data.premiumYearly / 100);
			}
			bothSame('search', 'Search 1.1');
		});

		test('Search with Return All and Simplify off equals the typeVersion 1 search (same account, status 6)', () => {
			for (const dialect of DIALECTS) {
				const v1 = items(runs.tsE2eSearch00001[dialect.version]).map((item) => withoutDocToken(item.json));
				assert.ok(v1.length > 0);
				assert.deepEqual(output('searchRaw', dialect).map((item) => withoutDocToken(item.json)), v1);
			}
			bothSame('searchRaw', 'Search 1.1 (raw)');
		});

		test('Get with the picked inquiry: simplified; Simplify off equals typeVersion 1\'s item', () => {
			for (const dialect of DIALECTS) {
				const [simple] = output('getInquiry', dialect);
				assert.equal(simple.json.inquiryId, 1878881);
				assert.equal(simple.json.documentCount, 3);
				const v1 = items(runs.tsE2eGet00000001[dialect.version])[0].json;
				assert.deepEqual(withoutDocToken(output('getInquiryRaw', dialect)[0].json), withoutDocToken(v1));
			}
			bothSame('getInquiry', 'Get 1.1');
			bothSame('getInquiryRaw', 'Get 1.1 (raw)');
		});

		test('Download with the picked account and inquiry: the same files as typeVersion 1', () => {
			const files = (list) => list.map((item) => [item.json.fileName, item.binary?.data?.mimeType, item.json.fileSize]);
			for (const dialect of DIALECTS) {
				assert.equal(output('downloadDocuments', dialect).length, 3);
				assert.deepEqual(files(output('downloadDocuments', dialect)), files(items(runs.tsE2eDownload001[dialect.version])));
			}
			bothSame('downloadDocuments', 'Download 1.1');
		});
	});

	test('each credential spoke its own dialect (stand-in stats)', () => {
		const stats = standin.stats;
		assert.ok(stats.requestsByDialect['v1.1'] > 0 && stats.requestsByDialect.v1 > 0, JSON.stringify(stats.requestsByDialect));
		assert.equal(stats.requestsByDialect.unknown ?? 0, 0, 'no request to an unknown route');
		for (const dialect of DIALECTS) {
			const own = requests.byDialect[dialect.version] ?? {};
			assert.ok(own[dialect.version] > 0, `${dialect.label} requests for the ${dialect.label} credential`);
			assert.equal(own[dialect === V11 ? 'v1' : 'v1.1'] ?? 0, 0, `no ${dialect === V11 ? 'V1' : 'V1.1'} request for the ${dialect.label} credential`);
		}
		// Every route the V1.1 credential used is a V1.1 route (or the common token and file routes).
		assert.ok(Object.keys(requests.byRoute['v1.1']).every((route) => /^(v1\.1|common) /.test(route)), JSON.stringify(requests.byRoute['v1.1']));
		assert.ok(Object.keys(requests.byRoute.v1).every((route) => /^(v1|common) /.test(route)), JSON.stringify(requests.byRoute.v1));
	});

	test('the example "CRM broker → Get Token (create if missing) → Forward → login link": V1.1 creates the new broker once, V1 then finds it', () => {
		const { v11, v1 } = runs.getOrCreate;
		const first = nodeOutput(v11.run, 'Login Link for the CRM');
		assert.deepEqual(first.map((item) => [item.json.crmBrokerId, item.json.newInThinksurance]), [
			['CRM-B-1', false],
			['CRM-B-NEW-1', true],
		]);
		for (const item of first) assert.match(item.json.loginUrl, /\/api\/broker\/switch\//);
		assert.equal(first[0].json.brokerToken, 'brk-demo-0001');
		assert.equal(v11.created, 1);
		assert.ok(v11.log.some((entry) => entry.dialect === 'v1.1' && entry.endpoint === 'broker.token'));
		const again = nodeOutput(v1.run, 'Login Link for the CRM');
		assert.deepEqual(again.map((item) => [item.json.crmBrokerId, item.json.brokerToken, item.json.newInThinksurance]), [
			['CRM-B-1', 'brk-demo-0001', false],
			['CRM-B-NEW-1', first[1].json.brokerToken, false],
		]);
		// V1 answers with the broker code, passed on by Get Token.
		assert.equal(nodeOutput(v1.run, 'Get Broker Token')[0].json.brokerCode, 'CD-100001');
		assert.equal(v1.created, 0, 'no broker created twice');
		const routes = v1.log.map((entry) => `${entry.dialect} ${entry.endpoint}`);
		assert.ok(routes.includes('v1 broker.token') && routes.includes('v1 broker.fwd'), routes.join(', '));
	});

	test('example "the CRM\'s agency numbers → Thinksurance, nightly": one Add per CRM number, stored with the insurer; the next night updates them', () => {
		const [night1, night2] = runs.agencyNumbers;
		assert.deepEqual(
			nodeOutput(night1.run, 'Add to Thinksurance').map((item) => [item.json, item.pairedItem]),
			[
				[{ status: 'Agency numbers saved.', insurerIdType: 'baFinId', insurerId: '5312', agencyNumbers: ['ALZ-4711'] }, { item: 0 }],
				[{ status: 'Agency numbers saved.', insurerIdType: 'baFinId', insurerId: '7001', agencyNumbers: ['HDI-2208'] }, { item: 1 }],
				[{ status: 'Agency numbers saved.', insurerIdType: 'baFinId', insurerId: '5312', agencyNumbers: ['ALZ-4799'] }, { item: 2 }],
			],
		);
		assert.ok(night1.tokenRequests <= 1);
		const sets = standin.state.agencyNumberSets('account:acc-demo-0001');
		const hdi = sets.find((set) => set.baFinId === '7001');
		assert.deepEqual(hdi.agencyNumbers.map((n) => [n.agencyNumber, n.externalUniqueId, n.externalInsurerId, n.matchCode, n.defaultForTenders, n.active]), [
			['HDI-2208', 'CRM-AN-1002', 'CRM-INS-13', 'HDI Gewerbe', false, true],
		]);
		const allianz = sets.find((set) => set.baFinId === '5312').agencyNumbers.find((n) => n.agencyNumber === 'ALZ-4799');
		assert.equal(allianz.active, false);
		assert.deepEqual(nodeOutput(night2.run, 'Add to Thinksurance').map((item) => item.json.status), Array(3).fill('Agency numbers saved.'));
	});
});
