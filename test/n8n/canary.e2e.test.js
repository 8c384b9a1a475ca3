'use strict';
/**
 * Secret canary (issue 6): the packed package in a real n8n 2.x server (`n8n start`, log level
 * debug) and two `n8n execute` runs, against the stand-in in canary mode, where the API user's
 * hash and secret, every security token, document token, account token, broker token and
 * login link is a recognisable `cnry<TAG><hex>` value (test/standin/lib/canary.js). Every
 * action operation runs on success and failure paths (404, 200 + error, HTML 500, expired
 * token, malformed JSON, continueOnFail on and off, answers that echo the request back), the
 * trigger is activated, notified, refused and deactivated. Then everything a user or operator
 * can see is scanned for canaries, per place, against this allow-list:
 *
 *   kind            allowed in
 *   hash, secret    the stand-in's token request body only
 *   security token  the stand-in: V1.1 (the default here) the `Authorization: Bearer` header
 *                   only, never a URL or body; V1 (TSN_CANARY_DIALECT=v1) the URL path of the
 *                   path-token endpoints and `token` of the Get Inquiry body. Nowhere in n8n.
 *   document token  the stand-in: `docToken` query of file downloads. In n8n only where the
 *                   API's inquiry item carries it by design: `docs.docToken` and
 *                   `docs.files[].fullFilePath` of Inquiry → Search / Get and the trigger's
 *                   `inquiry` (interface.md: those outputs are `{…, docs}`, and the links are
 *                   how a user fetches the files with other tools), hence also the database
 *                   rows of those executions. Tokens the package only used internally
 *                   (Document → Download, the trigger's own downloads) appear nowhere.
 *   account/broker  the user's own inputs and the API's data: workflow parameters, outputs
 *   token           (Get Tokens `aToken`, inquiry `data.bToken`, trigger references, Create
 *                   Broker `brokerToken`), the database, request bodies and the V1.1
 *                   X-Account-Token / X-Broker-Token headers at the stand-in.
 *                   Never in error messages/descriptions, the log, or a URL.
 *   login link      Broker → Forward's `url` output (a login link by design) and so the
 *                   database. Never in errors, the log, or requests.
 *
 *   node --test test/n8n/canary.e2e.test.js     # TSN_SKIP_BUILD=1: reuse dist/
 */
const { after, before, describe, test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const { N8nInstance, packPackage, request } = require('../../scripts/lib/n8n');
const { credential, linearWorkflow, triggerWorkflow, thinksurance, nodeOutput, nodeError } = require('../../scripts/lib/workflows');
const { startStandin } = require('../standin/server');
const { sent } = require('./dialects');
const { TOKEN_PATH } = require('./secrets');

const WEBHOOK_ID = '6f1c3a52-2a8e-4f0e-9d2a-7b9c1ec0a6a1';
const TRIGGER = 'tsCanaryTrigger1';
const KINDS = ['hash', 'secret', 'securityToken', 'docToken', 'accountToken', 'brokerToken', 'loginLink'];
const KIND_LABELS = { hash: 'hash', secret: 'secret', securityToken: 'security token', docToken: 'doc token', accountToken: 'account token', brokerToken: 'broker token', loginLink: 'login link' };
/** The credential's API Version: V1.1 (the default) in CI; TSN_CANARY_DIALECT=v1 runs the outdated one. */
const DIALECT = process.env.TSN_CANARY_DIALECT === 'v1' ? 'v1' : 'v1.1';
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the Thinksurance node of each workflow does (decides the by-design output fields). */
const OPERATION = {
	tsCanaryTokens01: 'tokens',
	tsCanarySearch01: 'inquiry',
	tsCanaryGet00001: 'inquiry',
	tsCanaryDownload: 'download',
	tsCanaryForward1: 'forward',
	tsCanaryCreate01: 'create',
	tsCanaryGet404St: 'inquiry',
	tsCanaryDownlSt1: 'download',
	tsCanarySearchSt: 'inquiry',
	tsCanaryFwdStop1: 'forward',
	tsCanarySingle01: 'tokens',
	tsCanaryWrong001: 'tokens',
	tsCanaryGetCont1: 'inquiry',
	tsCanaryDownCont: 'download',
	tsCanaryCreaCont: 'create',
};

/* ------------------------------------------------------------------------ */
/* Scanner                                                                   */
/* ------------------------------------------------------------------------ */

class CanaryScan {
	constructor(canaries) {
		this.canaries = canaries;
		this.places = new Map(); // place → { texts, bytes, found: {kind: n}, byDesign: {kind: n} }
		this.findings = []; // { place, kind, value, where, context }
		/** Document tokens n8n showed at the by-design positions of inquiry outputs. */
		this.visibleDocTokens = new Set();
	}

	place(name) {
		if (!this.places.has(name)) this.places.set(name, { texts: 0, bytes: 0, found: {}, byDesign: {} });
		return this.places.get(name);
	}

	count(name, field, kind, n = 1) {
		const place = this.place(name);
		place[field][kind] = (place[field][kind] ?? 0) + n;
	}

	/**
	 * Scans one text (string or Buffer). `allowed(kind, value, index, text)` decides each hit;
	 * hits it refuses are findings.
	 */
	text(placeName, content, { where = '', allowed = () => false } = {}) {
		const place = this.place(placeName);
		const text = Buffer.isBuffer(content) ? content.toString('latin1') : String(content ?? '');
		place.texts += 1;
		place.bytes += Buffer.isBuffer(content) ? content.length : Buffer.byteLength(text);
		for (const match of text.matchAll(this.canaries.pattern())) {
			const value = match[0];
			const kind = this.canaries.kindOf(value);
			if (allowed(kind, value, match.index, text)) {
				this.count(placeName, 'byDesign', kind);
				continue;
			}
			this.count(placeName, 'found', kind);
			const context = text.slice(Math.max(0, match.index - 80), match.index + value.length + 40).replace(/\s+/g, ' ');
			this.findings.push({ place: placeName, kind, value, known: this.canaries.known(value), where, index: match.index, context });
		}
	}

	/** By-design fields of an output item, taken out (and counted) before the item is scanned. */
	outputItem(item, { operation, where }) {
		const json = JSON.parse(JSON.stringify(item.json ?? {}));
		// continueOnFail items and the trigger's fetch/download failures are error messages.
		for (const key of ['error', 'fetchError', 'documentError']) {
			if (typeof json[key] === 'string') {
				this.text('error messages', json[key], { where: `${where} json.${key}` });
				delete json[key];
			}
		}
		if (operation === 'forward' && typeof json.url === 'string') {
			this.byDesign('node outputs', json.url, ['loginLink']);
			json.url = '[login link: by design]';
		}
		const docs = operation === 'inquiry' ? json.docs : operation === 'trigger' ? json.inquiry?.docs : undefined;
		if (docs && typeof docs === 'object') {
			const token = typeof docs.docToken === 'string' ? docs.docToken : docs.docToken?.token;
			if (typeof token === 'string') {
				this.visibleDocTokens.add(token);
				this.byDesign('node outputs', token, ['docToken']);
				docs.docToken = '[document token: by design]';
			}
			for (const file of Array.isArray(docs.files) ? docs.files : []) {
				if (typeof file?.fullFilePath !== 'string') continue;
				const docToken = new URL(file.fullFilePath).searchParams.get('docToken');
				if (docToken) this.visibleDocTokens.add(docToken);
				this.byDesign('node outputs', file.fullFilePath, ['docToken']);
				file.fullFilePath = '[document link: by design]';
			}
		}
		// Binary metadata (file name, MIME type, id …); the file bytes are the documents.
		const binary = {};
		for (const [key, value] of Object.entries(item.binary ?? {})) {
			const { data, ...meta } = value ?? {};
			binary[key] = meta;
		}
		this.text('node outputs', JSON.stringify({ json, binary }), {
			where,
			allowed: (kind) => kind === 'accountToken' || kind === 'brokerToken',
		});
	}

	/** Counts the canaries of a by-design value; anything else in it is a finding. */
	byDesign(placeName, value, kinds) {
		for (const match of String(value).matchAll(this.canaries.pattern())) {
			const kind = this.canaries.kindOf(match[0]);
			if (kinds.includes(kind)) this.count(placeName, 'byDesign', kind);
			else this.text(placeName, match[0], { where: 'inside a by-design field' });
		}
	}

	/** A node error as n8n stores and shows it, without the node definition (configuration). */
	error(error, where) {
		if (!error) return;
		const { node, workflow, ...rest } = error;
		this.text('error messages', JSON.stringify(rest), { where });
	}

	/** Output items and errors of every node of a run (input nodes are configuration). */
	run(run, operationByNode, where) {
		const runData = run?.data?.resultData?.runData ?? {};
		for (const [nodeName, tasks] of Object.entries(runData)) {
			const operation = operationByNode[nodeName];
			if (!operation) continue;
			for (const task of tasks) {
				this.error(task.error, `${where} ${nodeName} error`);
				for (const output of task.data?.main ?? []) {
					for (const [index, item] of (output ?? []).entries()) this.outputItem(item, { operation, where: `${where} ${nodeName} item ${index}` });
				}
			}
		}
		this.error(run?.data?.resultData?.error, `${where} workflow error`);
	}

	/** Findings per place and kind: unexpected ones, and those of a known leak (`isKnown`). */
	table(isKnown = () => false) {
		const lines = [];
		const header = ['place', 'texts', 'bytes', ...KINDS.map((kind) => KIND_LABELS[kind])];
		lines.push(`| ${header.join(' | ')} |`);
		lines.push(`|${header.map(() => '---').join('|')}|`);
		for (const [name, place] of this.places) {
			const cells = KINDS.map((kind) => {
				const here = this.findings.filter((f) => f.place === name && f.kind === kind);
				const known = here.filter(isKnown).length;
				const allowed = place.byDesign[kind] ?? 0;
				return `${here.length - known}${known ? ` + ${known} known leak` : ''}${allowed ? ` (${allowed} allowed)` : ''}`;
			});
			lines.push(`| ${name} | ${place.texts} | ${place.bytes.toLocaleString('en-US')} | ${cells.join(' | ')} |`);
		}
		return lines.join('\n');
	}
}

/* ------------------------------------------------------------------------ */
/* The suite                                                                 */
/* ------------------------------------------------------------------------ */

describe(`secret canary in n8n 2.x (${DIALECT === 'v1' ? 'V1' : 'V1.1'} credential)`, { timeout: 600_000 }, () => {
	let standin;
	let n8n;
	let c;
	let scan;
	let callbackUrl;
	const timings = {};
	const restRuns = []; // workflow IDs of runs started through REST or by the trigger (each must be saved)
	const cliRuns = [];
	const seenTexts = []; // error texts n8n answered directly (REST, webhook answers)
	const A = (name) => c.map(name);
	/** Byte range of n8n's log written while the credential tests ran. */
	const credentialTestLog = [0, 0];
	/**
	 * Leaks known and not fixed yet: reported by a todo test instead of failing the scan, so
	 * the scan still fails on anything new. Empty since the credential's token-request message
	 * is redacted (it echoed hash and secret when the API repeated the request).
	 */
	const KNOWN_LEAKS = [];
	const knownLeak = (finding) => KNOWN_LEAKS.find((leak) => leak.matches(finding));

	/** Runs a saved workflow through n8n's REST API; keeps it for the scan. */
	async function runRest(id) {
		const result = await n8n.runWorkflow(id);
		restRuns.push(id);
		return result;
	}

	const fired = (mode, endpoint) => standin.rawLog.filter((entry) => entry.fault === mode && entry.endpoint === endpoint).length;

	before(async () => {
		const t0 = Date.now();
		standin = await startStandin({ canary: true, latencyMs: 0, tokenTtlSeconds: 3600 });
		c = standin.canaries;
		scan = new CanaryScan(c);
		n8n = await new N8nInstance({ line: '2', logLevel: 'debug' }).init();
		n8n.installPackage(packPackage({ build: process.env.TSN_SKIP_BUILD !== '1' }));
		const wrongSecret = c.make('secret'); // a canary the stand-in does not know
		n8n.importCredentials([
			credential(standin.url, { apiVersion: DIALECT, hash: c.hash, secret: c.secret, accountToken: A('acc-demo-0001') }),
			credential(standin.url, { apiVersion: DIALECT, id: 'tsCanarySingle01', name: 'Single account', hash: A('single-account-hash'), secret: A('single-account-secret') }),
			credential(standin.url, { apiVersion: DIALECT, id: 'tsCanaryWrong001', name: 'Wrong secret', hash: c.hash, secret: wrongSecret }),
		]);
		const get = (extra = {}) => ({ resource: 'inquiry', operation: 'get', inquiryId: '={{ $json.id }}', authenticateAs: '={{ $json.as }}', accountToken: A('acc-demo-0001'), brokerToken: A('brk-demo-0001'), ...extra });
		const download = { resource: 'document', operation: 'download', inquiryId: '={{ $json.id }}', accountToken: A('acc-demo-0001') };
		const forward = {
			resource: 'broker',
			operation: 'forward',
			brokerToken: A('brk-demo-0002'),
			brokerExternalId: 'CRM-B-2',
			mappingType: 1,
			brokerFields: { firstName: 'Jonas', lastName: 'Weber', email: 'jonas.weber@demo-makler.de' },
			callbackFields: { callbackUrl: 'https://crm.example.de/thinksurance/callback', testCallbackUrl: 'https://crm-test.example.de/thinksurance/callback' },
			customerFields: { externalId: 'C-CANARY-1', firstName: 'Anna', lastName: 'Becker', email: 'anna.becker@example.de' },
			inquiryFields: { productId: 101, professionId: 1001, instantInquiryCreation: true },
		};
		const wf = (id, nodes, extra = {}) => linearWorkflow({ id, name: id, nodes, ...extra });
		n8n.importWorkflows([
			wf('tsCanaryTokens01', [thinksurance('Thinksurance', { resource: 'account', operation: 'getTokens' })]),
			wf('tsCanarySearch01', [thinksurance('Thinksurance', { resource: 'inquiry', operation: 'search', accountToken: '', filters: { inquiryId: 1878881 } })]),
			wf('tsCanaryGet00001', [thinksurance('Thinksurance', get())], { items: [{ id: 1878881, as: 'account' }, { id: 1878882, as: 'broker' }] }),
			wf('tsCanaryDownload', [thinksurance('Thinksurance', download)], { items: [{ id: 1878881 }] }),
			wf('tsCanaryForward1', [thinksurance('Thinksurance', forward)]),
			wf('tsCanaryCreate01', [
				thinksurance('Thinksurance', { resource: 'broker', operation: 'create', accountToken: A('acc-demo-0001'), brokerExternalId: 'CRM-B-CANARY', mappingType: 2, email: 'neu@example.de', brokerFields: { lastName: 'Neumann' } }),
			]),
			// Failure paths: stop on error …
			wf('tsCanaryGet404St', [thinksurance('Thinksurance', get())], { items: [{ id: 999, as: 'account' }] }),
			wf('tsCanaryDownlSt1', [thinksurance('Thinksurance', download)], { items: [{ id: 1878881 }] }),
			wf('tsCanarySearchSt', [thinksurance('Thinksurance', { resource: 'inquiry', operation: 'search', accountToken: A('acc-demo-0002'), filters: { lastDays: 1 } })]),
			wf('tsCanaryFwdStop1', [thinksurance('Thinksurance', forward)]),
			wf('tsCanarySingle01', [thinksurance('Thinksurance', { resource: 'account', operation: 'getTokens' })], { credentialId: 'tsCanarySingle01' }),
			wf('tsCanaryWrong001', [thinksurance('Thinksurance', { resource: 'account', operation: 'getTokens' })], { credentialId: 'tsCanaryWrong001' }),
			// … and with Continue On Fail (a failing item becomes {error}, the others go on)
			wf('tsCanaryGetCont1', [thinksurance('Thinksurance', get({ options: { batching: { batch: { batchSize: 1 } } } }), { onError: 'continueRegularOutput' })], {
				items: [{ id: 999, as: 'account' }, { id: 1878881, as: 'broker' }, { id: 1878882, as: 'broker' }],
			}),
			wf('tsCanaryDownCont', [thinksurance('Thinksurance', download, { onError: 'continueRegularOutput' })], { items: [{ id: 1878881 }, { id: 1878883 }] }),
			wf('tsCanaryCreaCont', [
				thinksurance('Thinksurance', { resource: 'broker', operation: 'create', accountToken: '={{ $json.aToken }}', brokerExternalId: 'CRM-B-C2', mappingType: 2, email: 'neu@example.de', brokerFields: { lastName: 'Neu' } }, { onError: 'continueRegularOutput' }),
			], { items: [{ aToken: A('acc-demo-0001') }, { aToken: c.make('accountToken') }] }),
			triggerWorkflow({
				id: TRIGGER,
				name: 'Canary trigger',
				webhookId: WEBHOOK_ID,
				parameters: { events: ['*'], registration: 'brokerCallback', brokerToken: A('brk-demo-0001'), brokerExternalId: 'CRM-B-1', mappingType: 1, fetchInquiry: true, downloadDocuments: true },
			}),
		]);
		timings.setup = Date.now() - t0;

		// `n8n execute` (its own process and token): a success, and a token answer that echoes hash and secret.
		const t1 = Date.now();
		cliRuns.push({ id: 'tsCanaryTokens01', ...(await executeCli(n8n, 'tsCanaryTokens01')) });
		// The first run stored its token in the credential: expire it, so the next run asks again.
		standin.expireTokens();
		standin.addFault({ endpoint: 'token', mode: 'status400', body: { error: 'Invalid parameters: {{body}}' }, count: 1 });
		cliRuns.push({ id: 'tsCanaryTokens01 (token answer echoes the request)', ...(await executeCli(n8n, 'tsCanaryTokens01')) });
		assert.equal(fired('status400', 'token'), 1, 'the echoing token answer was given to n8n execute');
		standin.clearFaults();
		timings.cli = Date.now() - t1;

		const t2 = Date.now();
		await n8n.start();
		await n8n.login();
		timings.start = Date.now() - t2;
	});

	after(async () => {
		await n8n?.stop();
		await standin?.close();
	});

	test('n8n execute: Get Tokens succeeds; a token answer echoing hash and secret fails without them', () => {
		const [ok, echo] = cliRuns;
		assert.deepEqual(nodeOutput(ok.run, 'Thinksurance').map((item) => item.json.aToken), [A('acc-demo-0001'), A('acc-demo-0002')]);
		assert.match(nodeError(echo.run, 'Thinksurance')?.message ?? '', /refused the API user/);
	});

	test('every action operation succeeds with canary hash, secret and tokens', async () => {
		const t0 = Date.now();
		const tokens = await runRest('tsCanaryTokens01');
		assert.equal(tokens.execution.status, 'success');
		const search = await runRest('tsCanarySearch01');
		assert.equal(nodeOutput(search.run, 'Thinksurance')[0].json.inquiryId, 1878881);
		const got = await runRest('tsCanaryGet00001');
		assert.deepEqual(nodeOutput(got.run, 'Thinksurance').map((item) => item.json.inquiryId), [1878881, 1878882]);
		const downloaded = await runRest('tsCanaryDownload');
		assert.equal(nodeOutput(downloaded.run, 'Thinksurance').length, 3);
		const forwarded = await runRest('tsCanaryForward1');
		assert.match(nodeOutput(forwarded.run, 'Thinksurance')[0].json.url, /\/api\/broker\/switch\/cnryLINK/);
		assert.equal(standin.state.brokers.get(A('brk-demo-0002')).callbackUrl, 'https://crm.example.de/thinksurance/callback');
		const created = await runRest('tsCanaryCreate01');
		assert.match(nodeOutput(created.run, 'Thinksurance')[0].json.brokerToken, /^cnryBTOK/);
		timings.success = Date.now() - t0;
	});

	test('failure paths: 404, 200 + error, HTML 500, expired token, malformed JSON, echoed requests, continueOnFail on and off', async () => {
		const t0 = Date.now();
		const fails = async (id, message) => {
			const { run, execution } = await runRest(id);
			assert.equal(execution.status, 'error', `${id} fails`);
			assert.match(nodeError(run, 'Thinksurance').message, message);
			return run;
		};
		// Unknown inquiry: V1's own 404; V1.1 answers a search by ID with nothing.
		await fails('tsCanaryGet404St', DIALECT === 'v1' ? /not found \(HTTP 404\): Inquiry not found\./ : /did not return inquiry 999/);
		// 404 whose reason echoes the path and the body (security token, account token).
		standin.addFault({ endpoint: 'inquiry.get', mode: 'status404', body: { error: 'Inquiry not found: {{url}} {{body}}' }, count: 1 });
		await fails('tsCanaryGet404St', /not found \(HTTP 404\)/);
		// 200 + error echoing the URL (security token in the path) and the body (account token).
		standin.addFault({ endpoint: 'inquiry.search', mode: 'error200', message: 'Account not found for {{body}} at {{url}}', count: 1 });
		await fails('tsCanarySearchSt', /could not search inquiries: Account not found for/);
		// HTML 500 page echoing URL and body, on a write (not repeated).
		standin.addFault({ endpoint: 'broker.fwd', mode: 'html', status: 500, message: 'Fatal error at {{url}} with {{body}}', count: 1 });
		await fails('tsCanaryFwdStop1', /server error \(HTTP 500, HTML error page\)/);
		// Malformed JSON on a write: fails at once; on a read: retried, then fine.
		standin.addFault({ endpoint: 'broker.fwd', mode: 'badJson', count: 1 });
		await fails('tsCanaryFwdStop1', /not JSON/);
		standin.addFault({ endpoint: 'inquiry.search', mode: 'badJson', count: 1 });
		assert.equal((await runRest('tsCanarySearch01')).execution.status, 'success');
		// Expired security token: one new token, the call repeated.
		const tokensBefore = standin.stats.tokenRequests;
		standin.addFault({ endpoint: 'account.tokens', mode: 'expireToken', count: 1 });
		assert.equal((await runRest('tsCanaryTokens01')).execution.status, 'success');
		assert.equal(standin.stats.tokenRequests - tokensBefore, 1, 'a fresh token after the expired one');
		// A security-token answer whose reason names the token.
		standin.addFault({ endpoint: 'account.tokens', mode: 'status400', body: { error: 'Security token {{token}} is invalid or expired.' }, count: 2 });
		await fails('tsCanaryTokens01', /security token/i);
		// Token request answered 200 + error echoing hash and secret (fresh session: single-account user).
		standin.addFault({ endpoint: 'token', mode: 'error200', message: 'API User {{body}} is not existing or deactivated.', count: 1 });
		await fails('tsCanarySingle01', /refused the API user/);
		assert.equal((await runRest('tsCanarySingle01')).execution.status, 'success');
		// Document links: 403 page echoing the link, 200 + JSON error echoing it (stop on error).
		standin.addFault({ endpoint: 'files', mode: 'html', status: 403, message: 'Forbidden: {{url}}', count: 1 });
		await fails('tsCanaryDownlSt1', /document link was refused/);
		standin.addFault({ endpoint: 'files', mode: 'error200', message: 'Document token expired: {{url}}', count: 1 });
		await fails('tsCanaryDownlSt1', /could not download the document: Document token expired/);

		// Continue On Fail: each failed item becomes {error}, the others go on.
		standin.addFault({ endpoint: 'inquiry.get', mode: 'status404', body: { error: 'Inquiry not found: {{url}} {{body}}' }, count: 1 });
		standin.addFault({ endpoint: 'inquiry.get', mode: 'error200', message: 'Broker {{body}} not found.', count: 1 });
		const cont = await runRest('tsCanaryGetCont1');
		assert.equal(cont.execution.status, 'success');
		const contItems = nodeOutput(cont.run, 'Thinksurance');
		assert.equal(contItems.filter((item) => 'error' in item.json).length, 2, JSON.stringify(contItems.map((item) => item.json.error)));
		standin.addFault({ endpoint: 'files', mode: 'error200', message: 'Document token expired: {{url}}', count: 1 });
		const dl = await runRest('tsCanaryDownCont');
		assert.equal(dl.execution.status, 'success');
		assert.ok(nodeOutput(dl.run, 'Thinksurance').some((item) => typeof item.json.error === 'string'));
		const cc = await runRest('tsCanaryCreaCont');
		assert.equal(cc.execution.status, 'success');
		assert.match(nodeOutput(cc.run, 'Thinksurance')[1].json.error, /Account not found/);

		// The credential test (editor) with token answers that echo hash and secret.
		credentialTestLog[0] = fs.statSync(n8n.logFile).size;
		for (const fault of [
			{ mode: 'error200', message: 'API User {{body}} is not existing or deactivated.' },
			{ mode: 'status400', body: { error: 'Invalid parameters: {{body}}' } },
			{ mode: 'html', status: 500, message: 'Fatal error: {{body}}' },
		]) {
			standin.addFault({ endpoint: 'token', ...fault, count: 1 });
			const hits = fired(fault.mode, 'token');
			const result = await n8n.rest('POST', '/credentials/test', {
				credentials: { id: 'tsStandinCred001', name: 'Thinksurance (local stand-in)', type: 'thinksuranceApi', data: { environment: 'custom', baseUrl: standin.url, apiVersion: DIALECT, hash: c.hash, secret: c.secret, accountToken: '' } },
			});
			assert.equal(result.status, 'Error', JSON.stringify(result));
			assert.equal(fired(fault.mode, 'token'), hits + 1, 'the credential test asked for a token');
			seenTexts.push({ place: 'error messages', where: `credential test, token answer ${fault.mode}`, text: JSON.stringify(result) });
		}
		await sleep(300); // n8n's log lines of the last test
		credentialTestLog[1] = fs.statSync(n8n.logFile).size;
		standin.clearFaults();
		timings.failures = Date.now() - t0;
	});

	// The in-process token cache is keyed by base URL, hash and a digest of the secret: a credential
	// with the right hash and a wrong secret must not run on the token another credential fetched.
	test('a credential with a wrong secret fails with the API\'s message, even after the right one ran', async () => {
		const { run, execution } = await runRest('tsCanaryWrong001');
		assert.equal(execution.status, 'error', 'the wrong secret must not run on the cached token of the right one');
		assert.match(nodeError(run, 'Thinksurance').message, /API User is not existing or deactivated/);
	});

	test('trigger: activation registers the callback; events run it with the fetched inquiry and its documents; wrong key 401; malformed 400; deactivation', async () => {
		const t0 = Date.now();
		await n8n.activate(TRIGGER);
		for (let i = 0; i < 100 && !standin.state.brokers.get(A('brk-demo-0001')).callbackUrl; i++) await sleep(100);
		callbackUrl = standin.state.brokers.get(A('brk-demo-0001')).callbackUrl;
		assert.match(callbackUrl, new RegExp(`/webhook/${WEBHOOK_ID}/webhook\\?key=[0-9a-f]{48}$`));

		// 1878880 belongs to brk-demo-0001 and has two files.
		const first = await standin.notify({ inquiryId: 1878880, eventType: 'InquiryUpdated', eventId: 'evt-canary-1' });
		assert.equal(first.deliveries[0].status, 204, JSON.stringify(first));
		// A fetch failure whose reason echoes URL and body: emitted with fetchError.
		standin.addFault({ endpoint: 'inquiry.get', mode: 'status404', body: { error: 'Inquiry not found: {{url}} {{body}}' }, count: 1 });
		const second = await standin.notify({ inquiryId: 1878882, eventType: 'inquiry_ordered', eventId: 'evt-canary-2' });
		assert.equal(second.deliveries[0].status, 204, JSON.stringify(second));
		standin.clearFaults();

		const wrongKey = await request('POST', callbackUrl.replace(/key=[0-9a-f]+/, `key=${'0'.repeat(48)}`), { body: { eventType: 'InquiryUpdated', eventId: 'evt-canary-x', accountReference: A('acc-demo-0001'), brokerReference: A('brk-demo-0001'), affected: [] } });
		assert.equal(wrongKey.status, 401);
		seenTexts.push({ place: 'error messages', where: 'webhook answer, wrong key', text: wrongKey.text });
		const malformed = await request('POST', callbackUrl, { body: `{"eventType":"InquiryUpdated","accountReference":"${A('acc-demo-0001')}","brokerReference":"${A('brk-demo-0001')}",`, headers: { 'content-type': 'application/json' } });
		assert.equal(malformed.status, 400);
		seenTexts.push({ place: 'error messages', where: 'webhook answer, malformed body', text: malformed.text });
		const foreign = await request('POST', callbackUrl, { body: { aToken: A('acc-demo-0001'), bToken: A('brk-demo-0001') } });
		assert.equal(foreign.status, 400);
		seenTexts.push({ place: 'error messages', where: 'webhook answer, foreign body', text: foreign.text });

		let executions = [];
		for (let i = 0; i < 100 && executions.length < 2; i++) {
			executions = await n8n.executions(TRIGGER);
			if (executions.length < 2) await sleep(200);
		}
		assert.equal(executions.length, 2, 'two executions (wrong key and malformed bodies start nothing)');
		const byEvent = {};
		for (const summary of executions) {
			const execution = await n8n.waitForExecution(summary.id);
			restRuns.push(TRIGGER);
			const [item] = nodeOutput(execution.run, 'Thinksurance Trigger');
			byEvent[item.json.eventId] = item;
		}
		const ok = byEvent['evt-canary-1'];
		assert.equal(ok.json.brokerReference, A('brk-demo-0001'));
		assert.equal(ok.json.inquiry.data.iId, 1878880);
		assert.deepEqual(Object.keys(ok.binary ?? {}).sort(), ['data', 'data_1']);
		assert.equal(byEvent['evt-canary-2'].json.inquiry, null);
		assert.match(byEvent['evt-canary-2'].json.fetchError, /not found \(HTTP 404\)/);

		await n8n.deactivate(TRIGGER);
		for (let i = 0; i < 100 && standin.state.brokers.get(A('brk-demo-0001')).fullCallback !== 1; i++) await sleep(100);
		assert.equal(standin.state.brokers.get(A('brk-demo-0001')).fullCallback, 1);
		timings.trigger = Date.now() - t0;
	});

	test('scan: no canary where it does not belong', async () => {
		const t0 = Date.now();

		// 1. What n8n shows: outputs and errors of every execution (REST and n8n execute), as the
		// editor loads them; the execution as a whole like the database (below).
		const listed = await n8n.rest('GET', '/executions?limit=1000');
		const summaries = listed.results ?? listed;
		const executions = [];
		for (const summary of summaries) {
			const execution = await n8n.waitForExecution(summary.id);
			executions.push(execution);
			const operationByNode = summary.workflowId === TRIGGER ? { 'Thinksurance Trigger': 'trigger' } : { Thinksurance: OPERATION[summary.workflowId] };
			assert.ok(Object.values(operationByNode)[0], `known workflow ${summary.workflowId}`);
			scan.run(execution.run, operationByNode, `execution ${summary.id} (${summary.workflowId}, ${summary.mode})`);
		}
		assert.equal(summaries.length, restRuns.length + cliRuns.length, 'every run was saved');
		for (const { place, where, text } of seenTexts) scan.text(place, text, { where });
		const dbAllowed = (kind, value) => kind === 'accountToken' || kind === 'brokerToken' || kind === 'loginLink' || (kind === 'docToken' && scan.visibleDocTokens.has(value));
		for (const execution of executions) {
			const { run, ...asServed } = execution;
			scan.text('execution data (REST)', JSON.stringify(asServed), { where: `execution ${execution.id}`, allowed: dbAllowed });
		}
		for (const { id, stdout, stderr } of cliRuns) {
			scan.text('n8n execute output', `${stdout}\n${stderr}`, { where: `n8n execute ${id}`, allowed: (kind) => kind === 'accountToken' || kind === 'brokerToken' });
		}
		await n8n.stop();

		// 2. The operator's view: n8n's debug log (stdout and stderr of `n8n start`), as bytes.
		const log = fs.readFileSync(n8n.logFile);
		assert.match(log.toString('latin1'), /\bdebug\b/, 'the log is at debug level');
		// n8n itself logs a failed run's error with the node definition; the node's own parameters
		// (accountToken / brokerToken typed into it) are configuration there, not the package's output.
		scan.text('n8n debug log', log, {
			where: n8n.logFile,
			allowed: (kind, value, index, text) => {
				if (kind !== 'accountToken' && kind !== 'brokerToken') return false;
				const lineStart = text.lastIndexOf('\n', index) + 1;
				const before = text.slice(lineStart, index);
				return /Workflow execution finished with error/.test(before) && /"(?:accountToken|brokerToken)":\s*"$/.test(before);
			},
		});

		// 3. n8n's database (main file, write-ahead log) and every other file n8n wrote.
		const folder = path.join(n8n.userFolder, '.n8n');
		const files = listFiles(folder).filter((file) => !file.startsWith(path.join(folder, 'nodes') + path.sep));
		for (const file of files) {
			const isDatabase = /database\.sqlite/.test(path.basename(file));
			scan.text(isDatabase ? 'database files' : 'other n8n files', fs.readFileSync(file), { where: path.relative(folder, file), allowed: isDatabase ? dbAllowed : () => false });
		}
		assert.ok(scan.place('database files').bytes > 100_000, 'the database was read');

		// 4. The stand-in's view: canaries only where the API expects them.
		for (const entry of standin.rawLog) {
			const pathOnly = entry.path.split('?')[0];
			const query = entry.path.slice(pathOnly.length);
			scan.text('stand-in request URLs', entry.path, {
				where: `${entry.method} ${entry.endpoint}`,
				allowed: (kind, value, index) => {
					if (kind === 'securityToken') return index < pathOnly.length && TOKEN_PATH.exec(pathOnly)?.[1] === value;
					if (kind === 'docToken') return entry.endpoint === 'files' && index >= pathOnly.length && new URLSearchParams(query).get('docToken') === value;
					return false;
				},
			});
			// V1.1 headers: the security token as Bearer, the account or broker in its own header.
			for (const [name, value] of Object.entries(entry.headers ?? {})) {
				scan.text('stand-in request headers', `${name}: ${value}`, {
					where: `${entry.method} ${entry.endpoint} ${name}`,
					allowed: (kind, found) => {
						if (kind === 'securityToken') return name === 'authorization' && value === `Bearer ${found}`;
						if (kind === 'accountToken') return name === 'x-account-token' && value === found;
						if (kind === 'brokerToken') return name === 'x-broker-token' && value === found;
						return false;
					},
				});
			}
			if (entry.body === undefined) continue;
			scan.text('stand-in request bodies', typeof entry.body === 'string' ? entry.body : JSON.stringify(entry.body), {
				where: `${entry.method} ${entry.endpoint}`,
				allowed: (kind, value) => {
					const body = entry.body && typeof entry.body === 'object' ? entry.body : {};
					if (kind === 'hash') return entry.endpoint === 'token' && body.hash === value;
					if (kind === 'secret') return entry.endpoint === 'token' && body.secret === value;
					if (kind === 'securityToken') return entry.endpoint === 'inquiry.get' && body.token === value;
					return kind === 'accountToken' || kind === 'brokerToken';
				},
			});
		}
		timings.scan = Date.now() - t0;

		// The canaries were really used: the scan cannot pass vacuously.
		const tokenRequests = standin.rawLog.filter((entry) => entry.endpoint === 'token' && entry.body?.hash === c.hash && entry.body?.secret === c.secret);
		const fileRequests = standin.rawLog.filter((entry) => entry.endpoint === 'files' && c.docTokens.some((token) => entry.path.includes(`docToken=${token}`)));
		const pathTokens = standin.rawLog.filter((entry) => TOKEN_PATH.test(entry.path.split('?')[0]) && c.known(TOKEN_PATH.exec(entry.path.split('?')[0])[1]));
		const bearerTokens = standin.rawLog.filter((entry) => c.known(/^Bearer (\S+)$/.exec(entry.headers?.authorization ?? '')?.[1] ?? ''));
		const used = {
			'token requests with the canary hash and secret': tokenRequests.length,
			'security tokens issued': c.securityTokens.length,
			'API calls with a canary security token in the path': pathTokens.length,
			'API calls with a canary security token as Bearer header': bearerTokens.length,
			'requests per dialect': JSON.stringify(standin.stats.requestsByDialect),
			'document tokens issued': c.docTokens.length,
			'file downloads with a canary document token': fileRequests.length,
			'requests with a canary account token (body or header)': standin.rawLog.filter((entry) => c.accountTokens.includes(sent(entry).account)).length,
			'requests with a canary broker token (body or header)': standin.rawLog.filter((entry) => c.brokerTokens.includes(sent(entry).broker)).length,
			'echoing fault answers given': standin.rawLog.filter((entry) => entry.fault).length,
			'login links issued': c.loginLinks.length,
		};
		const tail = [
			'',
			`canary values: ${c.all().length} (${KINDS.map((kind) => `${c.list(kind).length} ${KIND_LABELS[kind]}`).join(', ')}), e.g. ${c.hash.slice(0, 12)}…, ${c.securityTokens[0]?.slice(0, 12)}…`,
			`canaries used: ${Object.entries(used).map(([what, n]) => `${what} ${n}`).join('; ')}`,
			`executions scanned: ${summaries.length} (${cliRuns.length} of them n8n execute); stand-in requests: ${standin.rawLog.length}`,
			`times (s): ${Object.entries(timings).map(([what, ms]) => `${what} ${(ms / 1000).toFixed(1)}`).join(', ')}`,
			`findings: ${scan.findings.filter((f) => !knownLeak(f)).length} unexpected, ${scan.findings.filter(knownLeak).length} of known leaks (${KNOWN_LEAKS.map((leak) => leak.id).join('; ')})`,
			...scan.findings.slice(0, 40).map((f) => `  ${knownLeak(f) ? '⚠ known leak' : '✗'} · ${f.place} · ${KIND_LABELS[f.kind]}${f.known ? '' : ' (unknown value)'} · ${f.where} · …${f.context}…`),
		];
		console.log(`\nSecret canary scan (n8n 2.x, ${DIALECT === 'v1' ? 'V1' : 'V1.1'} credential, log level debug)\n\n${scan.table(knownLeak)}\n${tail.join('\n')}\n`);

		assert.ok(tokenRequests.length >= 3, 'token requests with the canary hash/secret');
		assert.ok(c.securityTokens.length >= 4, 'canary security tokens issued (incl. the refresh)');
		if (DIALECT === 'v1') {
			assert.ok(pathTokens.length >= 10, 'canary security tokens in API paths');
		} else {
			// V1.1: the security token never travels in a URL, only in the Authorization header.
			assert.equal(pathTokens.length, 0, 'no security token in a V1.1 request URL');
			assert.ok(bearerTokens.length >= 10, 'canary security tokens as Bearer headers');
			assert.equal(standin.stats.requestsByDialect.v1 ?? 0, 0, 'the V1.1 credential made no V1 request');
			assert.ok(scan.place('stand-in request headers').byDesign.securityToken > 0);
		}
		assert.ok(fileRequests.length >= 5, 'file downloads with canary document tokens (action and trigger)');
		assert.ok(used['requests with a canary account token (body or header)'] >= 5);
		assert.ok(used['requests with a canary broker token (body or header)'] >= 3);
		assert.ok(scan.visibleDocTokens.size >= 2, 'inquiry outputs carried their document tokens');
		assert.ok(c.docTokens.some((token) => !scan.visibleDocTokens.has(token)), 'some document tokens were internal only');
		assert.ok(scan.place('node outputs').byDesign.accountToken > 0);
		assert.ok(scan.place('database files').byDesign.docToken > 0, 'the database holds the inquiry outputs');
		assert.ok(scan.place('stand-in request bodies').byDesign.hash > 0);
		if (DIALECT === 'v1') assert.ok(scan.place('stand-in request URLs').byDesign.securityToken > 0);
		assert.deepEqual(scan.findings.filter((f) => !knownLeak(f)).map((f) => `${f.place} · ${KIND_LABELS[f.kind]} · ${f.where}`), [], 'no canary where it does not belong');
	});

	for (const leak of KNOWN_LEAKS) {
		test(`known leak: ${leak.id}`, { todo: leak.reason }, () => {
			assert.ok(scan, 'the scan ran');
			const found = scan.findings.filter((f) => leak.matches(f));
			assert.deepEqual(found.map((f) => `${f.place} · ${KIND_LABELS[f.kind]} · ${f.where} · …${f.context}…`), []);
		});
	}
});

/**
 * `n8n execute --rawOutput` at log level debug: the run JSON is logged between debug lines,
 * coloured, also when the run failed. Returns its stdout/stderr and the parsed run.
 */
async function executeCli(n8n, workflowId) {
	const started = Date.now();
	const { status, stdout, stderr } = await n8n.cliAsync(['execute', `--id=${workflowId}`, '--rawOutput']);
	const lines = `${stdout}\n${stderr}`.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
	// "12:11:51.194   info    {" … "} { "file": "base-command.js", … }"
	const start = lines.findIndex((line) => /^(?:[\d:.]+\s+info\s+)?\{$/.test(line));
	const end = lines.findIndex((line, index) => index > start && line.startsWith('}'));
	let run;
	try {
		run = JSON.parse(['{', ...lines.slice(start + 1, end), '}'].join('\n'));
	} catch {
		const file = path.join(n8n.userFolder, `execute-${workflowId}-${Date.now()}.out`);
		fs.writeFileSync(file, `${stdout}\n----- stderr -----\n${stderr}`);
		throw new Error(`n8n execute ${workflowId} gave no run JSON (exit ${status}); its output is in ${file}`);
	}
	return { run, status, stdout, stderr, ms: Date.now() - started };
}

function listFiles(folder) {
	const out = [];
	for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
		const full = path.join(folder, entry.name);
		if (entry.isDirectory()) out.push(...listFiles(full));
		else if (entry.isFile()) out.push(full);
	}
	return out;
}
