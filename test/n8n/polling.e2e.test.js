'use strict';
/**
 * The Thinksurance Polling Trigger in a real n8n server, polling every minute (the shortest
 * interval n8n accepts) against the stand-in. Waits are shared: several changes are made before
 * one poll and asserted together. Polls: activation (remembers); a scheduled poll the API refuses
 * (a failed execution with the message, nothing emitted); the next scheduled poll (one
 * inquiryCreated, one inquiryUpdated with `status` for the changes made before the failure;
 * every answer carries a new document token); the first poll after an n8n restart (nothing
 * new, nothing re-emitted). The changes are made right after activation, before any scheduled
 * poll: what the activation poll remembered must survive.
 *
 * TSN_POLL_MODE picks how n8n runs the poll (docs/polling.md): `default` (n8n's in-memory
 * poller), `scheduler` (2.x durable scheduler), `durable` (scheduler with durable poll cursors).
 */
const { after, before, describe, test } = require('node:test');
const assert = require('node:assert/strict');

const { N8nInstance, packPackage, parseExecutionData, request, waitFor } = require('../../scripts/lib/n8n');
const { credential, credentialRef } = require('../../scripts/lib/workflows');
const { startStandin } = require('../standin/server');

const LINE = process.env.TSN_N8N_LINE || '2';
const MODE = process.env.TSN_POLL_MODE || 'default';
/** The credential's API Version: scripts/test-e2e.js runs some modes in V1, the others in V1.1. */
const DIALECT = process.env.TSN_POLL_DIALECT || 'v1.1';
/** n8n settings of each mode (n8n 2.40.7; 1.x knows only `default`). */
const MODES = {
	default: {},
	scheduler: { N8N_SCHEDULER_ENABLED: 'true', N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true' },
	durable: { N8N_SCHEDULER_ENABLED: 'true', N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true', N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true' },
};
if (!MODES[MODE] || (LINE === '1' && MODE !== 'default')) throw new Error(`TSN_POLL_MODE=${MODE} is not a mode of n8n ${LINE}.x`);
const WORKFLOW_ID = 'tsE2ePolling0001';
const NODE_NAME = 'Thinksurance Polling Trigger';
const ACCOUNT = 'acc-demo-0001';
const CHANGED = 1878881;
/** One minute between polls, plus the random second n8n puts into an every-minute cron, plus slack. */
const POLL_WAIT_MS = 110_000;
// From a poll's search to its execution in n8n's list: a second when idle. CI runs this suite
// beside the trigger suites (bursts, restarts) on two cores, where it once took over 30 s.
const EXECUTION_WAIT_MS = 90_000;

function pollingWorkflow(parameters) {
	return {
		id: WORKFLOW_ID,
		name: 'Thinksurance polling',
		active: false,
		nodes: [
			{
				id: '00000000-0000-4000-8000-00000000a001',
				name: NODE_NAME,
				type: 'n8n-nodes-thinksurance.thinksurancePollingTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, ...parameters },
				credentials: credentialRef(),
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

describe(`Thinksurance Polling Trigger in n8n ${LINE}.x (${MODE} poller, ${DIALECT})`, { timeout: 900_000 }, () => {
	let standin;
	let n8n;

	// V1 names the account and lastDays in the body, V1.1 in the X-Account-Token header and the query.
	const searches = () =>
		standin.rawLog
			.filter((entry) => entry.endpoint === 'inquiry.search')
			.map((entry) => {
				const query = new URL(entry.path, 'http://standin').searchParams;
				const body = entry.body && typeof entry.body === 'object' ? entry.body : {};
				const lastDays = query.has('lastDays') ? Number(query.get('lastDays')) : body.lastDays;
				assert.equal(entry.dialect, DIALECT, `${entry.method} ${entry.route}: the credential's API version`);
				return { ...entry, body: { aToken: body.aToken ?? entry.headers['x-account-token'], lastDays } };
			});
	const waitForSearches = async (count, timeoutMs = POLL_WAIT_MS) => {
		const reached = await waitFor(() => searches().length >= count, { timeoutMs });
		assert.ok(reached, `expected ${count} searches, saw ${searches().length}`);
	};
	const summaries = async () => (await n8n.executions(WORKFLOW_ID)).sort((a, b) => Number(a.id) - Number(b.id));
	/** Items of every successful execution of the workflow, oldest first. */
	const emitted = async () => {
		const runs = [];
		for (const summary of (await summaries()).filter((entry) => entry.status === 'success')) {
			const execution = await n8n.execution(summary.id);
			const data = parseExecutionData(execution.data);
			const task = data?.resultData?.runData?.[NODE_NAME]?.[0];
			runs.push((task?.data?.main?.[0] ?? []).map((item) => item.json));
		}
		return runs;
	};
	/** Waits for this many executions (any status), then returns the items of the successful ones. */
	const settle = async (expectedExecutions) => {
		await waitFor(async () => (await n8n.executionCount(WORKFLOW_ID)) >= expectedExecutions, { timeoutMs: EXECUTION_WAIT_MS });
		// Time for a wrong extra execution to show up.
		await new Promise((resolve) => setTimeout(resolve, 2000));
		return await emitted();
	};

	before(async () => {
		// scripts/test-e2e.js staggers the parallel polling suites' n8n start-ups.
		await new Promise((resolve) => setTimeout(resolve, Number(process.env.TSN_POLL_START_DELAY_MS || 0)));
		standin = await startStandin({ latencyMs: 5 });
		n8n = await new N8nInstance({ line: LINE, env: MODES[MODE] }).init();
		n8n.installPackage(packPackage({ build: process.env.TSN_SKIP_BUILD !== '1' }));
		n8n.importCredentials([credential(standin.url, { apiVersion: DIALECT })]);
		n8n.importWorkflows([pollingWorkflow({ events: ['*'], accountToken: ACCOUNT, filters: {}, downloadDocuments: false })]);
		await n8n.start();
		await n8n.login();
	});

	after(async () => {
		// The figures the issue-21 note compares per mode.
		const runs = await emitted().catch(() => []);
		console.log(`polling figures n8n ${LINE}.x ${MODE}: ${JSON.stringify({ polls: standin ? searches().length : 0, executions: runs.map((items) => items.map((item) => `${item.eventType}:${item.inquiryId}`)) })}`);
		await n8n?.stop();
		await standin?.close();
	});

	test('activation polls once with the default window, remembers and starts nothing', async () => {
		assert.equal((await n8n.rest('GET', `/workflows/${WORKFLOW_ID}`)).nodes[0].parameters.pollTimes.item[0].mode, 'everyMinute');
		await n8n.activate(WORKFLOW_ID);
		await waitForSearches(1, 30_000);
		assert.equal(searches()[0].body.aToken, ACCOUNT);
		assert.equal(searches()[0].body.lastDays, undefined, 'first poll: the API default window');
		assert.deepEqual(await settle(0), []);
	});

	let createdId;

	test('a scheduled poll the API refuses: a failed execution with the reason, nothing emitted', async () => {
		// The changes are made now; the refused poll must not lose them (asserted in the next test).
		const created = await request('POST', `${standin.url}/__control/inquiry/create`, { body: { aToken: ACCOUNT } });
		assert.equal(created.status, 200);
		createdId = created.json.inquiryId;
		const before = standin.state.inquiries.get(CHANGED).data.status;
		const changed = await request('POST', `${standin.url}/__control/inquiry`, { body: { inquiryId: CHANGED, status: before === 15 ? 6 : 15 } });
		assert.equal(changed.status, 200);
		standin.addFault({ endpoint: 'inquiry.search', mode: 'error200', message: 'Account not found.', count: 1 });

		await waitForSearches(2);
		const failed = await waitFor(async () => (await summaries()).find((entry) => entry.status === 'error'), { timeoutMs: EXECUTION_WAIT_MS });
		assert.ok(failed, 'n8n recorded the failed poll as an execution');
		const execution = await n8n.execution(failed.id);
		const data = parseExecutionData(execution.data);
		assert.match(JSON.stringify(data?.resultData?.error ?? data), /Thinksurance could not search inquiries: Account not found/);
		assert.deepEqual(await emitted(), []);
	});

	test('the next scheduled poll: a created inquiry gives one inquiryCreated, a status change one inquiryUpdated naming status', async () => {
		// The changes were made before the refused poll: nothing was lost.
		await waitForSearches(3);
		assert.equal(searches()[2].body.lastDays, 1, 'later polls: today and yesterday');
		const runs = await settle(2);
		assert.equal(runs.length, 1, 'one successful execution for the poll');
		const items = runs[0];
		const summary = items.map((item) => [item.eventType, item.inquiryId]).sort();
		assert.deepEqual(summary, [['inquiryCreated', createdId], ['inquiryUpdated', CHANGED]].sort());
		const createdItem = items.find((item) => item.inquiryId === createdId);
		assert.deepEqual(createdItem.changes, []);
		const updatedItem = items.find((item) => item.inquiryId === CHANGED);
		assert.ok(updatedItem.changes.includes('status'), JSON.stringify(updatedItem.changes));
		assert.equal(updatedItem.eventId, null);
		assert.deepEqual(updatedItem.references, []);
		assert.equal(updatedItem.inquiry.data.iId, CHANGED);
	});

	test('after an n8n restart the first poll (nothing new, new document tokens) emits nothing', async () => {
		const searchesBefore = searches().length;
		await n8n.stop();
		await n8n.start();
		await n8n.login();
		// n8n's default poller polls at start-up; the scheduler's jobs carry on at their next minute.
		await waitForSearches(searchesBefore + 1, MODE === 'default' ? 60_000 : POLL_WAIT_MS);
		const runs = await settle(2);
		assert.equal(runs.length, 1, `nothing re-emitted: ${JSON.stringify(runs.slice(1)).slice(0, 500)}`);
	});
});
