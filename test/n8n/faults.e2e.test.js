'use strict';
/**
 * Fault matrix: every operation of the packed package, in a real n8n 2.x server, against the
 * stand-in's fault switches. One table (CELLS) decides the expected outcome of each
 * (operation × fault) cell from the transport's rules; the same table drives the tests and
 * renders test/n8n/FAULTS.md:
 *
 *   node test/n8n/faults.e2e.test.js --markdown     # rewrite FAULTS.md from the table
 *   node --test test/n8n/faults.e2e.test.js         # run it (TSN_SKIP_BUILD=1: reuse dist/)
 *
 * Transport rules the expectations follow (nodes/shared/api/):
 * - reads (account tokens, search, get, document files) retry transient failures (5xx, 429,
 *   timeout, connection reset, non-JSON answer) up to 4 attempts, waiting 0.5 / 1.5 / 4 s;
 * - writes (broker forward / create, agency numbers add) are never repeated once the API may have processed them:
 *   one attempt, and the message says the change may or may not have been applied;
 * - an answer saying the security token is invalid/expired (400 or 200 + error) fetches one new
 *   token and repeats the call once, for reads and writes;
 * - 200 + {error}, 400 and 404 fail at once;
 * - the trigger answers 503 when the inquiry fetch failed transiently after all attempts (the
 *   sender redelivers), and emits `inquiry: null` + `fetchError` on permanent failures.
 *
 * Runs go through `POST /rest/workflows/:id/run` (the editor's "Execute workflow") of one
 * `n8n start` process: ~0.5 s per cell instead of ~5 s for `n8n execute`.
 */
const { after, before, describe, test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const FAULTS_MD = path.join(__dirname, 'FAULTS.md');
const TIMEOUT_MS = 1500;
const DELAY_MS = 3000;
const WEBHOOK_ID = '6f1c3a52-2a8e-4f0e-9d2a-7b9c1e4dfa17';
/**
 * The package takes a token for at most 15 minutes and renews it 60 s before: a cell that met
 * that renewal would count a token request its fault did not cause. So every cell starts with a
 * token accepted in the n8n process and younger than this, and must end before the renewal.
 */
const TOKEN_FRESH_MS = Number(process.env.TSN_FAULTS_TOKEN_FRESH_MS) || 8 * 60_000; // lower it to exercise the renewal
const TOKEN_RENEWAL_MS = 14 * 60_000;

/* ------------------------------------------------------------------------ */
/* The table                                                                 */
/* ------------------------------------------------------------------------ */

/** Operations under test; `endpoint` is the stand-in endpoint the fault is put on. */
const OPERATIONS = {
	forward: { label: 'Broker → Forward', endpoint: 'broker.fwd', action: 'forward the broker', write: true, timeoutOption: true },
	create: { label: 'Broker → Create', endpoint: 'broker.set', action: 'create the broker', write: true, timeoutOption: true },
	getTokens: { label: 'Account → Get Tokens', endpoint: 'account.tokens', action: 'list the account tokens', write: false, timeoutOption: false },
	search: { label: 'Inquiry → Search', endpoint: 'inquiry.search', action: 'search inquiries', write: false, timeoutOption: true },
	// Its API answers about the inquiry name it: "could not get inquiry 1878881: …".
	get: { label: 'Inquiry → Get', endpoint: 'inquiry.get', action: 'get the inquiry', namedAction: 'get inquiry 1878881', write: false, timeoutOption: true },
	anumsAdd: { label: 'Agency Number → Add', endpoint: 'anums.set', action: 'add the agency numbers', write: true, timeoutOption: true },
	download: { label: 'Document → Download (file GETs)', endpoint: 'files', action: 'download the document', write: false, timeoutOption: true, files: true },
	trigger: { label: 'Trigger (inquiry fetch)', endpoint: 'inquiry.get', action: 'get the inquiry', write: false, timeoutOption: false, trigger: true },
};

/** Faults (stand-in fault specs without endpoint). */
const FAULTS = {
	s500: { label: '500 ×2', spec: { mode: 'status', status: 500, count: 2 }, transient: true, status: 500 },
	s502: { label: '502 ×2', spec: { mode: 'status', status: 502, count: 2 }, transient: true, status: 502 },
	s503: { label: '503 ×2', spec: { mode: 'status', status: 503, count: 2 }, transient: true, status: 503 },
	s429: { label: '429 ×2 (Retry-After: 1)', spec: { mode: 'status', status: 429, retryAfter: 1, count: 2 }, transient: true, status: 429, notProcessed: true },
	s503x4: { label: '503 ×4 (every attempt)', spec: { mode: 'status', status: 503, count: 4 }, transient: true, status: 503, persistent: true },
	timeout: { label: `slower than the timeout ×2 (${DELAY_MS / 1000} s delay, Options → Timeout ${TIMEOUT_MS} ms)`, spec: { mode: 'delay', ms: DELAY_MS, count: 2 }, transient: true },
	reset: { label: 'connection reset ×2', spec: { mode: 'reset', count: 2 }, transient: true },
	html: { label: 'HTML error page (500) ×2', spec: { mode: 'html', status: 500, count: 2 }, transient: true, status: 500 },
	error200: { label: '200 with `{"error"}` ×1', spec: { mode: 'error200', message: 'An unexpected error occurred.', count: 1 } },
	s400: { label: '400 `{"error"}` ×1', spec: { mode: 'status400', message: 'Invalid parameters', count: 1 } },
	s404: { label: '404 `{"error"}` ×1', spec: { mode: 'status404', message: 'Not found.', count: 1 } },
	expire: { label: 'expired security token ×1', spec: { mode: 'expireToken', count: 1 } },
	badJson: { label: 'malformed JSON (200) ×2', spec: { mode: 'badJson', count: 2 }, transient: true },
};

const MAY_HAVE_APPLIED = 'Thinksurance may or may not have applied the change';
const esc = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Known bugs in the package: cell → reason; the cell runs as a todo (reported, not failing). */
const KNOWN_BUGS = {};

/**
 * The expected outcome of one cell, decided from the transport's rules.
 * kind: 'success' | 'fail' | 'trigger204' | 'trigger503' | 'fetchError'
 * requests: requests to the faulted endpoint; tokenRequests: new security tokens fetched.
 */
function expected(opKey, faultKey) {
	const op = OPERATIONS[opKey];
	const fault = FAULTS[faultKey];
	const action = esc(op.action);
	const answered = esc(op.namedAction ?? op.action); // the API's own answer (200 + error, 400, 404)
	const files = op.files ? 3 : 1; // inquiry 1878881 has three files
	const ok = (requests, note, extra = {}) =>
		op.trigger
			? { kind: 'trigger204', requests, tokenRequests: 0, text: `204, inquiry emitted${note ? ` (${note})` : ''}`, ...extra }
			: { kind: 'success', requests, tokenRequests: 0, text: `succeeds${note ? ` (${note})` : ''}`, ...extra };
	const fail = (message, requests, rawText) => {
		const text = rawText.replace('<action>', op.namedAction ?? op.action);
		return op.trigger
			? { kind: 'fetchError', requests, tokenRequests: 0, message, text: `204, \`inquiry: null\` + \`fetchError\`: ${text}` }
			: { kind: 'fail', requests, tokenRequests: 0, message, text: `fails: ${text}` };
	};

	if (fault.notProcessed) {
		// 429 says the request was not processed: even a write may be repeated, after Retry-After.
		return ok(files + 2, `retried twice after Retry-After${op.write ? ': a 429 was certainly not processed, so even this write is repeated' : ''}`);
	}
	if (fault.transient && op.write) {
		// A write is never repeated: the API may have processed it.
		const what = {
			s500: ['server error \\(HTTP 500(?:, [^)]*)?\\)', '"server error (HTTP 500, <reason>)"'],
			s502: ['server error \\(HTTP 502(?:, [^)]*)?\\)', '"server error (HTTP 502, <reason>)"'],
			s503: ['server error \\(HTTP 503(?:, [^)]*)?\\)', '"server error (HTTP 503, <reason>)"'],
			s503x4: ['server error \\(HTTP 503(?:, [^)]*)?\\)', '"server error (HTTP 503, <reason>)"'],
			timeout: ['did not answer in time', '"did not answer in time"'],
			reset: ['connection to Thinksurance broke', '"connection … broke"'],
			html: ['server error \\(HTTP 500(?:, [^)]*)?\\)', '"server error (HTTP 500, HTML error page)"'],
			badJson: ['not JSON \\(HTTP 200\\)', '"not JSON (HTTP 200)"'],
		}[faultKey];
		return fail(new RegExp(`${what[0]} while trying to ${action}\\. ${esc(MAY_HAVE_APPLIED)}.*\\[item 0\\]`), 1, `once, not repeated, ${what[1]} + "may or may not have applied"`);
	}
	if (faultKey === 'timeout' && !op.timeoutOption) {
		// No Timeout option: the endpoint's default (30 s) is far above the 3 s delay.
		return ok(1, `no Timeout option, default 30 s > ${DELAY_MS / 1000} s delay: one slow request`, { slow: true });
	}
	if (op.files && faultKey === 'badJson') {
		// A file is not JSON: whatever a 2xx carries is the file.
		return ok(files, 'a file is not parsed: the truncated body is delivered as the first two files, `application/json`', { passThrough: 2 });
	}
	if (fault.persistent) {
		if (op.trigger) {
			return {
				kind: 'trigger503',
				requests: 4,
				tokenRequests: 0,
				text: '**503** to the sender after 4 attempts, nothing emitted; the redelivery (fault gone) → 204, inquiry emitted once',
			};
		}
		return fail(new RegExp(`server error \\(HTTP 503(?:, [^)]*)?\\) while trying to ${action} after 4 attempts.*\\[item 0\\]`), 4, '4 attempts (0.5 + 1.5 + 4 s), "server error (HTTP 503, <reason>) … after 4 attempts"');
	}
	if (fault.transient) {
		return ok(files + 2, 'retried twice');
	}
	switch (faultKey) {
		case 'error200':
			return fail(new RegExp(`Thinksurance could not ${answered}: An unexpected error occurred\\.`), 1, 'at once, "could not <action>: <API reason>"');
		case 's400':
			return op.files
				? fail(new RegExp(`rejected the request to ${action} \\(HTTP 400\\).*\\[item 0\\]`), 1, 'at once, "rejected the request … (HTTP 400)"')
				: fail(new RegExp(`Thinksurance could not ${answered}: Invalid parameters`), 1, 'at once, "could not <action>: Invalid parameters"');
		case 's404':
			return op.files
				? fail(new RegExp(`could not ${action}: not found \\(HTTP 404\\).*\\[item 0\\]`), 1, 'at once, "not found (HTTP 404)"')
				: fail(new RegExp(`Thinksurance could not ${answered}: not found \\(HTTP 404\\): Not found\\.`), 1, 'at once, "could not <action>: not found (HTTP 404): <API reason>"');
		case 'expire':
			if (op.files) {
				// Document links carry the document token, not the security token: nothing to refresh.
				return fail(new RegExp(`rejected the request to ${action} \\(HTTP 400\\).*\\[item 0\\]`), 1, 'at once (HTTP 400): file links use the document token, no security-token refresh');
			}
			return { ...ok(2, 'one new token, call repeated once'), tokenRequests: 1 };
		default:
			throw new Error(`no expectation for ${opKey}/${faultKey}`);
	}
}

/** continueOnFail (`onError: continueRegularOutput`) with three input items. */
const CONTINUE_FAULTS = {
	persistent400: { label: '400 on every request', spec: { mode: 'status400', message: 'Invalid parameters' } },
	burst503: { label: '503 ×2', spec: { mode: 'status', status: 503, count: 2 } },
};

function expectedContinue(opKey, faultKey) {
	const op = OPERATIONS[opKey];
	if (faultKey === 'persistent400') {
		return { failed: [0, 1, 2], text: 'three `{error}` items, `[item 0]`, `[item 1]`, `[item 2]`, in order' };
	}
	if (op.write) {
		return { failedCount: 2, requests: 3, text: 'three items in order: the two items that met the 503 are `{error}` (not repeated), the other succeeds; 3 requests' };
	}
	return { failed: [], text: 'all three items succeed (retried), outputs in input order' };
}

const CELLS = [];
for (const opKey of Object.keys(OPERATIONS)) {
	for (const faultKey of Object.keys(FAULTS)) {
		CELLS.push({ id: `${opKey}/${faultKey}`, opKey, faultKey, ...expected(opKey, faultKey), bug: KNOWN_BUGS[`${opKey}/${faultKey}`] });
	}
}
const CONTINUE_CELLS = [];
for (const opKey of Object.keys(OPERATIONS).filter((key) => !OPERATIONS[key].trigger)) {
	for (const faultKey of Object.keys(CONTINUE_FAULTS)) {
		CONTINUE_CELLS.push({ id: `${opKey}/continue-${faultKey}`, opKey, faultKey, ...expectedContinue(opKey, faultKey) });
	}
}

function renderMarkdown() {
	const lines = [];
	lines.push('# Fault matrix');
	lines.push('');
	lines.push('What each operation does when the Thinksurance API misbehaves. Every cell is a test in');
	lines.push('`test/n8n/faults.e2e.test.js` (real n8n 2.x, packed package, local stand-in with fault switches),');
	lines.push('run with a **V1.1** credential (the default): Bearer token, `X-Account-Token` / `X-Broker-Token`,');
	lines.push('`/api/ipn/…` routes; a fault is put on the logical call, whichever dialect\'s route serves it. The');
	lines.push('rules are the API layer\'s and the same for a V1 credential.');
	lines.push('This file is generated from the same table: `node test/n8n/faults.e2e.test.js --markdown`.');
	lines.push('');
	lines.push('Rules: reads retry transient failures (5xx, 429, timeout, connection reset, non-JSON answer) up to');
	lines.push('4 attempts with 0.5 / 1.5 / 4 s pauses (a Retry-After up to 60 s replaces the pause); writes (broker');
	lines.push('forward / create, agency numbers add) are never repeated once the API may have processed them (only a 429 or a refused');
	lines.push('connection is repeated); an invalid/expired security token is refreshed once and the call repeated');
	lines.push('once; `200 + {"error"}`, 400 and 404 fail at once. The trigger answers 503 when its inquiry fetch failed');
	lines.push('transiently (Thinksurance redelivers), and emits `inquiry: null` + `fetchError` on permanent failures.');
	lines.push('"×N" = the fault hits the next N requests to that endpoint. Token requests are 0 unless noted: every');
	lines.push('cell starts with a security token accepted in the n8n process and younger than 8 minutes, so the count is');
	lines.push('what the fault causes, never a renewal of an old token.');
	lines.push('Document → Download\'s faults are on the file GETs (its inquiry fetch is the Inquiry → Get column);');
	lines.push('the test inquiry has 3 files.');
	lines.push('');
	for (const opKey of Object.keys(OPERATIONS)) {
		const op = OPERATIONS[opKey];
		lines.push(`## ${op.label}${op.write ? ' — write' : ' — read'}`);
		lines.push('');
		lines.push('| fault | expected outcome | requests |');
		lines.push('|---|---|---|');
		for (const cell of CELLS.filter((c) => c.opKey === opKey)) {
			const text = `${cell.text}${cell.tokenRequests ? `; ${cell.tokenRequests} token request` : ''}`;
			lines.push(`| ${FAULTS[cell.faultKey].label} | ${cell.bug ? `⚠ **known bug** (see below), expected: ${text}` : text} | ${cell.requests} |`);
		}
		lines.push('');
	}
	lines.push('## Continue On Fail (three input items)');
	lines.push('');
	lines.push('With `onError: continueRegularOutput` every input item yields its outputs, or exactly one `{error}` item,');
	lines.push('in input order, each with `pairedItem`.');
	lines.push('');
	lines.push(`| operation | ${Object.values(CONTINUE_FAULTS).map((f) => f.label).join(' | ')} |`);
	lines.push(`|---|${Object.keys(CONTINUE_FAULTS).map(() => '---').join('|')}|`);
	for (const opKey of Object.keys(OPERATIONS).filter((key) => !OPERATIONS[key].trigger)) {
		const texts = Object.keys(CONTINUE_FAULTS).map((faultKey) => CONTINUE_CELLS.find((c) => c.id === `${opKey}/continue-${faultKey}`).text);
		lines.push(`| ${OPERATIONS[opKey].label} | ${texts.join(' | ')} |`);
	}
	lines.push('');
	const bugs = Object.entries(KNOWN_BUGS);
	if (bugs.length) {
		lines.push('## Known failing cells (⚠)');
		lines.push('');
		for (const [id, reason] of bugs) lines.push(`- \`${id}\`: ${reason}.`);
		lines.push('');
	}
	return lines.join('\n');
}

if (require.main === module && process.argv.includes('--markdown')) {
	fs.writeFileSync(FAULTS_MD, renderMarkdown());
	console.log(`wrote ${FAULTS_MD}`);
	return;
}

/* ------------------------------------------------------------------------ */
/* The suite                                                                 */
/* ------------------------------------------------------------------------ */

const { N8nInstance, packPackage, request } = require('../../scripts/lib/n8n');
const { credential, linearWorkflow, triggerWorkflow, thinksurance, nodeOutput, nodeError, v2Event } = require('../../scripts/lib/workflows');
const { startStandin } = require('../standin/server');
const { secretsSeen } = require('./secrets');

const timeoutOptions = (op) => (op.timeoutOption ? { options: { timeout: TIMEOUT_MS } } : {});

/** Node parameters per operation (one inquiry, one broker …). */
function parametersFor(opKey) {
	const op = OPERATIONS[opKey];
	switch (opKey) {
		case 'forward':
			return { resource: 'broker', operation: 'forward', brokerToken: 'brk-demo-0001', brokerExternalId: 'CRM-B-1', mappingType: 1, brokerFields: { firstName: 'Max' }, ...timeoutOptions(op) };
		case 'create':
			return {
				resource: 'broker',
				operation: 'create',
				accountToken: 'acc-demo-0001',
				brokerExternalId: "={{ 'CRM-F-' + $execution.id + '-' + $itemIndex }}",
				mappingType: 2,
				email: 'neu@example.de',
				brokerFields: { lastName: 'Neumann' },
				...timeoutOptions(op),
			};
		case 'getTokens':
			return { resource: 'account', operation: 'getTokens' };
		case 'search':
			return { resource: 'inquiry', operation: 'search', accountToken: 'acc-demo-0001', filters: { lastDays: 1 }, ...timeoutOptions(op) };
		case 'get':
			return { resource: 'inquiry', operation: 'get', inquiryId: '1878881', authenticateAs: 'account', accountToken: 'acc-demo-0001', ...timeoutOptions(op) };
		case 'anumsAdd':
			// No externalUniqueId: the same number again is an update, so every cell may add it.
			return {
				resource: 'agencyNumber',
				operation: 'create',
				accountToken: 'acc-demo-0001',
				insurerId: '7001',
				agencyNumbers: { number: [{ agencyNumber: "={{ 'F-' + $itemIndex }}", defaultForTenders: true }] },
				...timeoutOptions(op),
			};
		case 'download':
			return { resource: 'document', operation: 'download', inquiryId: '1878881', accountToken: 'acc-demo-0001', ...timeoutOptions(op) };
		default:
			throw new Error(opKey);
	}
}

const workflowId = (opKey, mode) => `tsFault${mode === 'continue' ? 'C' : 'S'}${opKey}`.padEnd(16, '0').slice(0, 16);
const TRIGGER_WORKFLOW = 'tsFaultTrigger01';


const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

describe('fault matrix in n8n 2.x (V1.1 credential)', { timeout: 900_000 }, () => {
	let standin;
	let n8n;
	const texts = []; // everything a user could see, checked for secrets at the end
	const seenExecutions = new Set();

	test('FAULTS.md is rendered from this table', () => {
		assert.equal(fs.readFileSync(FAULTS_MD, 'utf8'), renderMarkdown(), 'run `node test/n8n/faults.e2e.test.js --markdown`');
	});

	before(async () => {
		const t0 = Date.now();
		standin = await startStandin({ latencyMs: 0, tokenTtlSeconds: 3600 });
		n8n = await new N8nInstance({ line: '2' }).init();
		n8n.installPackage(packPackage({ build: process.env.TSN_SKIP_BUILD !== '1' }));
		n8n.importCredentials([credential(standin.url, { apiVersion: 'v1.1' })]);
		const workflows = [];
		for (const opKey of Object.keys(OPERATIONS).filter((key) => !OPERATIONS[key].trigger)) {
			workflows.push(linearWorkflow({ id: workflowId(opKey, 'stop'), name: `Fault ${opKey}`, nodes: [thinksurance('Thinksurance', parametersFor(opKey))] }));
			workflows.push(
				linearWorkflow({
					id: workflowId(opKey, 'continue'),
					name: `Fault ${opKey} (continue)`,
					items: [{ n: 0 }, { n: 1 }, { n: 2 }],
					nodes: [thinksurance('Thinksurance', parametersFor(opKey), { onError: 'continueRegularOutput' })],
				}),
			);
		}
		workflows.push(
			triggerWorkflow({
				id: TRIGGER_WORKFLOW,
				name: 'Fault trigger',
				webhookId: WEBHOOK_ID,
				parameters: { events: ['*'], registration: 'manual', fetchInquiry: true, accountToken: 'acc-demo-0001' },
			}),
		);
		n8n.importWorkflows(workflows);
		await n8n.start();
		await n8n.login();
		await n8n.activate(TRIGGER_WORKFLOW);
		// Warm up: the first run fetches the security token; cells then count only their own.
		const warm = await n8n.runWorkflow(workflowId('getTokens', 'stop'));
		assert.equal(warm.execution.status, 'success', 'warm-up run');
		console.log(`faults: n8n ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	});

	after(async () => {
		console.log(`faults: security token renewed ${tokenRenewals} times between cells (older than ${TOKEN_FRESH_MS / 60_000} min)`);
		if (standin) {
			const { requestsByDialect, requestsByRoute } = standin.stats;
			console.log(`faults: requests per dialect ${JSON.stringify(requestsByDialect)}; routes ${JSON.stringify(requestsByRoute)}`);
			assert.equal(requestsByDialect.v1 ?? 0, 0, 'the V1.1 credential made no V1 request');
			assert.ok(requestsByDialect['v1.1'] > 0, 'V1.1 requests');
		}
		const log = n8n?.readLog() ?? '';
		await n8n?.stop();
		await standin?.close();
		if (standin) assert.deepEqual(secretsSeen([...texts, log], standin, ['demo-api-user-secret-0001']), [], 'no security token or secret in any execution or log');
	});

	async function idle() {
		for (let i = 0; i < 100 && standin.stats.inFlight > 0; i++) await sleep(100);
		standin.clearFaults();
	}

	const count = (endpoint) => standin.stats.requestsByEndpoint[endpoint] ?? 0;

	/** When the stand-in issued the newest security token (the one n8n holds). */
	function tokenIssuedAt() {
		const ttlMs = standin.config.tokenTtlSeconds * 1000;
		let newest = 0;
		for (const { expiresAt } of standin.state.securityTokens.values()) newest = Math.max(newest, expiresAt - ttlMs);
		return newest;
	}

	/**
	 * A known token state for the next cell: a token n8n fetched less than TOKEN_FRESH_MS ago and
	 * whose answers it has accepted. An older one is dropped at the stand-in and replaced by a
	 * warm-up run (refused once, renewed, accepted), outside the cell's counts.
	 */
	let tokenRenewals = 0;
	async function knownTokenState() {
		if (Date.now() - tokenIssuedAt() < TOKEN_FRESH_MS) return;
		standin.expireTokens();
		const tokensBefore = standin.stats.tokenRequests;
		const warm = await n8n.runWorkflow(workflowId('getTokens', 'stop'));
		assert.equal(warm.execution.status, 'success', 'token warm-up run');
		assert.equal(standin.stats.tokenRequests - tokensBefore, 1, 'the warm-up fetched one new token');
		assert.ok(Date.now() - tokenIssuedAt() < TOKEN_FRESH_MS);
		tokenRenewals++;
	}

	async function runAction(id) {
		const result = await n8n.runWorkflow(id);
		texts.push(JSON.stringify(result.execution));
		return result;
	}

	async function newTriggerExecutions(expectedCount, timeoutMs = 20_000) {
		const deadline = Date.now() + timeoutMs;
		let fresh = [];
		for (;;) {
			const list = await n8n.executions(TRIGGER_WORKFLOW);
			fresh = list.filter((e) => !seenExecutions.has(String(e.id)));
			if (fresh.length >= expectedCount || Date.now() > deadline) break;
			await sleep(200);
		}
		if (expectedCount === 0 || fresh.length === expectedCount) await sleep(700); // room for an unwanted extra
		fresh = (await n8n.executions(TRIGGER_WORKFLOW)).filter((e) => !seenExecutions.has(String(e.id)));
		const executions = [];
		for (const summary of fresh) {
			seenExecutions.add(String(summary.id));
			const execution = await n8n.waitForExecution(summary.id);
			texts.push(JSON.stringify(execution));
			executions.push(execution);
		}
		return executions;
	}

	let eventCounter = 0;
	async function deliver() {
		const eventId = `evt-fault-${++eventCounter}`;
		const res = await request('POST', `${n8n.url}/webhook/${WEBHOOK_ID}/webhook`, { body: v2Event(1878881, eventId, standin.url) });
		texts.push(res.text);
		return { ...res, eventId };
	}

	function checkInquiryItem(item, eventId) {
		assert.equal(item.json.eventId, eventId);
		assert.equal(item.json.inquiryId, 1878881);
		assert.equal(item.json.inquiry?.data?.iId, 1878881, 'the fetched inquiry is emitted');
	}

	for (const cell of CELLS) {
		const op = OPERATIONS[cell.opKey];
		const fault = FAULTS[cell.faultKey];
		const name = `${op.label} × ${fault.label}: ${cell.text}`;
		test(name, cell.bug ? { todo: cell.bug } : {}, async () => {
			await idle();
			if (op.trigger) {
				// Settle earlier deliveries before counting.
				await newTriggerExecutions(0, 0);
			}
			await knownTokenState();
			const issuedAt = tokenIssuedAt();
			const before = { requests: count(op.endpoint), tokens: standin.stats.tokenRequests };
			standin.addFault({ endpoint: op.endpoint, ...fault.spec });
			const started = Date.now();
			try {
				if (op.trigger) {
					const res = await deliver();
					const requests = count(op.endpoint) - before.requests;
					if (cell.kind === 'trigger503') {
						assert.equal(res.status, 503, res.text);
						assert.match(res.text, /deliver again later/);
						assert.equal((await newTriggerExecutions(0)).length, 0, 'nothing emitted');
						assert.equal(requests, cell.requests, 'fetch attempts');
						standin.clearFaults();
						// The sender redelivers the same event once the API is back.
						const again = await request('POST', `${n8n.url}/webhook/${WEBHOOK_ID}/webhook`, { body: v2Event(1878881, res.eventId, standin.url) });
						assert.equal(again.status, 204, again.text);
						const executions = await newTriggerExecutions(1);
						assert.equal(executions.length, 1, 'the redelivery is emitted once');
						checkInquiryItem(nodeOutput(executions[0].run, 'Thinksurance Trigger')[0], res.eventId);
					} else {
						assert.equal(res.status, 204, res.text);
						const executions = await newTriggerExecutions(1);
						assert.equal(executions.length, 1, 'exactly one execution');
						const [item] = nodeOutput(executions[0].run, 'Thinksurance Trigger');
						if (cell.kind === 'fetchError') {
							assert.equal(item.json.inquiry, null);
							assert.match(item.json.fetchError, cell.message);
							assert.equal(item.json.eventId, res.eventId);
						} else {
							checkInquiryItem(item, res.eventId);
						}
						assert.equal(requests, cell.requests, 'fetch requests');
					}
				} else {
					const { run, execution } = await runAction(workflowId(cell.opKey, 'stop'));
					const requests = count(op.endpoint) - before.requests;
					if (cell.kind === 'success') {
						assert.equal(execution.status, 'success', JSON.stringify(nodeError(run, 'Thinksurance'))?.slice(0, 500));
						const items = nodeOutput(run, 'Thinksurance');
						assert.ok(items.length >= 1);
						for (const item of items) assert.deepEqual(item.pairedItem, { item: 0 });
						if (op.files) {
							assert.equal(items.length, 3);
							for (const item of items) assert.ok(item.binary?.data?.id || item.binary?.data?.data, 'binary data');
							if (cell.passThrough) {
								assert.equal(items.filter((item) => item.binary.data.mimeType === 'application/json').length, cell.passThrough);
							}
						}
						if (cell.slow) assert.ok(Date.now() - started >= DELAY_MS, 'the slow answer was awaited');
					} else {
						assert.equal(execution.status, 'error', 'the run fails');
						const error = nodeError(run, 'Thinksurance');
						assert.ok(error, 'a node error');
						assert.match(error.message, cell.message);
						assert.equal(nodeOutput(run, 'Thinksurance')?.length ?? 0, 0);
					}
					assert.equal(requests, cell.requests, `requests to ${op.endpoint}`);
				}
				assert.ok(Date.now() - issuedAt < TOKEN_RENEWAL_MS, 'the cell ended before the token was due for renewal');
				assert.equal(standin.stats.tokenRequests - before.tokens, cell.tokenRequests, 'security token requests');
			} finally {
				standin.clearFaults();
			}
		});
	}

	for (const cell of CONTINUE_CELLS) {
		const op = OPERATIONS[cell.opKey];
		const fault = CONTINUE_FAULTS[cell.faultKey];
		test(`${op.label} × continueOnFail, ${fault.label}: ${cell.text}`, async () => {
			await idle();
			const before = count(op.endpoint);
			standin.addFault({ endpoint: op.endpoint, ...fault.spec });
			try {
				const { run, execution } = await runAction(workflowId(cell.opKey, 'continue'));
				assert.equal(execution.status, 'success', 'continueOnFail never fails the run');
				const items = nodeOutput(run, 'Thinksurance');
				const pairs = items.map((item) => item.pairedItem?.item);
				assert.ok(pairs.every((p) => Number.isInteger(p)), 'every item has pairedItem');
				assert.deepEqual([...pairs].sort((a, b) => a - b), pairs, 'outputs in input order');
				assert.deepEqual([...new Set(pairs)], [0, 1, 2], 'every input item has output');
				const errorsByItem = new Map();
				for (const item of items) if ('error' in item.json) errorsByItem.set(item.pairedItem.item, item.json.error);
				for (const [index, message] of errorsByItem) {
					assert.equal(pairs.filter((p) => p === index).length, 1, `a failed item ${index} yields exactly one item`);
					assert.match(message, new RegExp(`\\[item ${index}\\]$`));
				}
				if (cell.failed) assert.deepEqual([...errorsByItem.keys()], cell.failed, 'failed items');
				if (cell.failedCount !== undefined) {
					assert.equal(errorsByItem.size, cell.failedCount);
					for (const message of errorsByItem.values()) assert.match(message, new RegExp(`HTTP 503.*${esc(MAY_HAVE_APPLIED)}`));
				}
				if (cell.faultKey === 'persistent400') {
					for (const message of errorsByItem.values()) assert.match(message, op.files ? /HTTP 400/ : /Invalid parameters/);
				}
				if (cell.requests !== undefined) assert.equal(count(op.endpoint) - before, cell.requests, `requests to ${op.endpoint}`);
			} finally {
				standin.clearFaults();
			}
		});
	}
});
