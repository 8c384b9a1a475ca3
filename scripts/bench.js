#!/usr/bin/env node
'use strict';
/**
 * `npm run bench`: the packed package in a real n8n 2.x against the local Thinksurance
 * stand-in (50 ms per API call), compared with flows built from n8n's own nodes.
 *
 *   1. Broker Forward of 500 items: package (default options = 20 in flight, and batchSize 10) versus
 *      HTTP Request flows (a) token + forward per item, 1 item per batch; (b) the same with
 *      10 items per batch, interval 0; (c) token once (Execute Once), forward with 10 per batch;
 *      plus two flows that really keep few requests in flight (Loop Over Items), because the
 *      HTTP Request node's batching with interval 0 starts every request at once.
 *   2. Inquiry search of 5,000 inquiries: wall time and peak RSS of the `n8n execute` process,
 *      package versus HTTP Request (token + search) + Code node.
 *   3. Trigger: 200 notifications, 10 in flight, against `n8n start`: package trigger (manual
 *      registration, inquiry fetch) versus Webhook node (respond immediately) + HTTP Request.
 *   4. A CPU profile of the package's 500-item forward (`--cpu-prof` on that one process).
 *   5. Polling trigger: one poll of the 5,000-inquiry account where 20 changed (scripts/bench/poll.js).
 *
 * Prints a table and writes bench/RESULTS.md. Reports; asserts nothing.
 * Environment: BENCH_REPEAT (runs per fast forward variant, default 2), TSN_SKIP_BUILD=1
 * (pack dist/ as it is), BENCH_SKIP_SLOW=1 (skip the one-at-a-time loop flow, ~1 min),
 * BENCH_ONLY (parts, e.g. `forward,search`), BENCH_FORWARD (forward variants, e.g. `pkg10,flowB`).
 */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');

const { N8nInstance, packPackage, request, ROOT } = require('./lib/n8n');
const { credential, linearWorkflow, thinksurance, triggerWorkflow, v2Event } = require('./lib/workflows');
const { startStandin } = require('../test/standin/server');

const LATENCY_MS = 50;
const ITEMS = 500;
const LARGE_ACCOUNT = 5000;
const DELIVERIES = 200;
const DELIVERY_CONCURRENCY = 10;
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT || 2));
const HASH = 'demo-api-user-hash-0001';
const SECRET = 'demo-api-user-secret-0001';
const OUT_DIR = path.join(ROOT, 'bench');
const TIME_BIN = '/usr/bin/time';

const say = (message) => process.stderr.write(`[bench] ${message}\n`);
const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const percentile = (values, p) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};
const ms = (value) => (value === undefined || Number.isNaN(value) ? '–' : `${Math.round(value).toLocaleString('en-US')} ms`);
const ratio = (a, b) => (a && b ? (a / b).toFixed(2) : '–');
const range = (values) => {
	const lo = Math.min(...values);
	const hi = Math.max(...values);
	return lo === hi ? String(lo) : `${lo}–${hi}`;
};
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/* ------------------------------------------------------------------------ */
/* Workflows                                                                */
/* ------------------------------------------------------------------------ */

const records = Array.from({ length: ITEMS }, (_, index) => ({
	crmId: `C-${String(index + 1).padStart(4, '0')}`,
	firstName: `Vorname${index + 1}`,
	lastName: `Nachname${index + 1}`,
	email: `kunde${index + 1}@example.de`,
}));

const forwardParameters = (options = {}) => ({
	resource: 'broker',
	operation: 'forward',
	brokerToken: 'brk-demo-0001',
	brokerExternalId: 'CRM-B-1',
	mappingType: 1,
	customerFields: {
		externalId: '={{ $json.crmId }}',
		firstName: '={{ $json.firstName }}',
		lastName: '={{ $json.lastName }}',
		email: '={{ $json.email }}',
	},
	options,
});

const batching = (batchSize, batchInterval) => ({ batching: { batch: { batchSize, batchInterval } } });

function httpNode(name, { url, jsonBody, options = {}, extra = {} }) {
	return {
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		parameters: { method: 'POST', url, sendBody: true, specifyBody: 'json', jsonBody, options },
		...extra,
	};
}

const tokenNode = (base, options, extra) =>
	httpNode('Get Token', { url: `${base}/api/token`, jsonBody: JSON.stringify({ hash: HASH, secret: SECRET }), options, extra });

/** The same body the package sends (checked against the stand-in log in the run). */
const forwardBody = (record) =>
	`={{ { type: 1, bToken: 'brk-demo-0001', bExternalId: 'CRM-B-1', cExternalId: ${record}.crmId, cFirstName: ${record}.firstName, cLastName: ${record}.lastName, cEmail: ${record}.email } }}`;

function forwardNode(base, { token, record, options }) {
	return httpNode('Forward', { url: `={{ '${base}/api/broker/fwd/' + ${token} }}`, jsonBody: forwardBody(record), options });
}

let idCounter = 0;
const nid = () => `10000000-0000-4000-8000-${String(++idCounter).padStart(12, '0')}`;

/** A workflow from nodes and explicit connections [from, to, fromOutput]. */
function graphWorkflow({ id, name, nodes, edges }) {
	nodes.forEach((node, index) => {
		node.id = nid();
		node.position = [index * 220, 0];
		node.typeVersion ??= 1;
	});
	const connections = {};
	for (const [from, to, output = 0] of edges) {
		const main = (connections[from] ??= { main: [] }).main;
		while (main.length <= output) main.push([]);
		main[output].push({ node: to, type: 'main', index: 0 });
	}
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

const recordNodes = () => [
	{ name: 'CRM Records', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput: JSON.stringify({ records }), options: {} } },
	{ name: 'One Item per Record', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'records', options: {} } },
];
const start = () => ({ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} });

/** Built-in flow that loops over the items `size` at a time: really at most `size` requests in flight. */
function loopWorkflow(id, name, base, size) {
	return graphWorkflow({
		id,
		name,
		nodes: [
			start(),
			...recordNodes(),
			{ name: 'Loop Over Items', type: 'n8n-nodes-base.splitInBatches', typeVersion: 3, parameters: { batchSize: size, options: {} } },
			tokenNode(base, {}),
			forwardNode(base, { token: '$json.token', record: "$('Loop Over Items').item.json", options: {} }),
		],
		edges: [
			['Start', 'CRM Records'],
			['CRM Records', 'One Item per Record'],
			['One Item per Record', 'Loop Over Items'],
			['Loop Over Items', 'Get Token', 1],
			['Get Token', 'Forward'],
			['Forward', 'Loop Over Items'],
		],
	});
}

const SEARCH_CODE = `const out = [];
for (const item of $input.all()) {
  for (const [id, inquiry] of Object.entries(item.json)) {
    out.push({ json: { inquiryId: Number(id), sHash: inquiry.sHash, data: inquiry.data, customer: inquiry.customer, docs: inquiry.docs } });
  }
}
return out;`;

const PKG_WEBHOOK_ID = '7a2d9c41-5b3e-4f1a-8c6d-0e9f8a7b6c01';
const FLOW_WEBHOOK_ID = '7a2d9c41-5b3e-4f1a-8c6d-0e9f8a7b6c02';
const FLOW_WEBHOOK_PATH = 'bench-builtin-notifications';

function workflows(base, searchSize) {
	const forward = {
		pkg10: { id: 'tsBenchFwdPkg010', label: 'package, batchSize 10', work: ['Thinksurance'] },
		pkg20: { id: 'tsBenchFwdPkg020', label: 'package, default options (20 in flight)', work: ['Thinksurance'] },
		flowA: { id: 'tsBenchFwdFlowA1', label: '(a) HTTP: token + forward per item, 1 item/batch, interval 0', work: ['Get Token', 'Forward'] },
		flowB: { id: 'tsBenchFwdFlowB1', label: '(b) HTTP: token + forward per item, 10 items/batch, interval 0', work: ['Get Token', 'Forward'] },
		flowC: { id: 'tsBenchFwdFlowC1', label: '(c) HTTP: token once (Execute Once), forward 10/batch, interval 0', work: ['Get Token', 'Forward'] },
		flowD: { id: 'tsBenchFwdFlowD1', label: '(d) HTTP in Loop Over Items, 10 per loop (≤10 in flight)', work: ['Loop Over Items', 'Get Token', 'Forward'] },
		flowE: { id: 'tsBenchFwdFlowE1', label: '(e) HTTP in Loop Over Items, 1 per loop (one at a time)', work: ['Loop Over Items', 'Get Token', 'Forward'] },
	};
	const search = {
		baseline: { id: 'tsBenchBaseline1', label: 'baseline (manual trigger + Set, nothing big)', work: ['Set'] },
		pkg: { id: 'tsBenchSearchPkg', label: 'package Inquiry → Search', work: ['Thinksurance'] },
		flow: { id: 'tsBenchSearchFlw', label: 'HTTP token + HTTP search + Code split', work: ['Get Token', 'Search', 'Split by ID'] },
		reference: {
			id: 'tsBenchSearchRef',
			label: `reference: Code node emitting ${searchSize.inquiries} items of the same shape (no HTTP)`,
			work: ['Emit Items'],
		},
	};
	const trigger = {
		pkg: { id: 'tsBenchTrigPkg01', label: 'package trigger (manual registration, fetch inquiry)' },
		flow: { id: 'tsBenchTrigFlow1', label: 'Webhook (respond immediately) + HTTP token + HTTP get inquiry' },
	};
	const defs = [
		linearWorkflow({ id: forward.pkg10.id, name: 'Bench forward package 10', items: records, nodes: [thinksurance('Thinksurance', forwardParameters(batching(10, 0)))] }),
		linearWorkflow({ id: forward.pkg20.id, name: 'Bench forward package default', items: records, nodes: [thinksurance('Thinksurance', forwardParameters())] }),
		linearWorkflow({
			id: forward.flowA.id,
			name: 'Bench forward flow (a)',
			items: records,
			nodes: [tokenNode(base, batching(1, 0)), forwardNode(base, { token: '$json.token', record: "$('One Item per Record').item.json", options: batching(1, 0) })],
		}),
		linearWorkflow({
			id: forward.flowB.id,
			name: 'Bench forward flow (b)',
			items: records,
			nodes: [tokenNode(base, batching(10, 0)), forwardNode(base, { token: '$json.token', record: "$('One Item per Record').item.json", options: batching(10, 0) })],
		}),
		graphWorkflow({
			id: forward.flowC.id,
			name: 'Bench forward flow (c)',
			nodes: [
				start(),
				tokenNode(base, {}, { executeOnce: true }),
				...recordNodes(),
				forwardNode(base, { token: "$('Get Token').first().json.token", record: '$json', options: batching(10, 0) }),
			],
			edges: [
				['Start', 'Get Token'],
				['Get Token', 'CRM Records'],
				['CRM Records', 'One Item per Record'],
				['One Item per Record', 'Forward'],
			],
		}),
		loopWorkflow(forward.flowD.id, 'Bench forward flow (d)', base, 10),
		loopWorkflow(forward.flowE.id, 'Bench forward flow (e)', base, 1),
		linearWorkflow({
			id: search.baseline.id,
			name: 'Bench baseline',
			nodes: [{ name: 'Set', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput: '{"hello": "world"}', options: {} } }],
		}),
		linearWorkflow({
			id: search.pkg.id,
			name: 'Bench search package',
			nodes: [thinksurance('Thinksurance', { resource: 'inquiry', operation: 'search', accountToken: 'acc-demo-0002' })],
		}),
		linearWorkflow({
			id: search.flow.id,
			name: 'Bench search flow',
			nodes: [
				tokenNode(base, {}),
				httpNode('Search', { url: `={{ '${base}/api/account-ipn/get/' + $json.token }}`, jsonBody: JSON.stringify({ aToken: 'acc-demo-0002' }) }),
				{ name: 'Split by ID', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: SEARCH_CODE } },
			],
		}),
		linearWorkflow({
			id: search.reference.id,
			name: 'Bench search reference',
			nodes: [
				{
					name: 'Emit Items',
					type: 'n8n-nodes-base.code',
					typeVersion: 2,
					parameters: {
						jsCode: `const sample = ${JSON.stringify(searchSize.sample)};
const out = [];
for (let i = 0; i < ${searchSize.inquiries}; i++) {
  const inquiry = JSON.parse(JSON.stringify(sample));
  out.push({ json: { inquiryId: 3000000 + i, sHash: inquiry.sHash, data: inquiry.data, customer: inquiry.customer, docs: inquiry.docs } });
}
return out;`,
					},
				},
			],
		}),
		triggerWorkflow({
			id: trigger.pkg.id,
			name: 'Bench trigger package',
			webhookId: PKG_WEBHOOK_ID,
			parameters: { events: ['*'], registration: 'manual', fetchInquiry: true, accountToken: 'acc-demo-0001' },
		}),
		graphWorkflow({
			id: trigger.flow.id,
			name: 'Bench trigger flow',
			nodes: [
				{
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2,
					webhookId: FLOW_WEBHOOK_ID,
					parameters: { httpMethod: 'POST', path: FLOW_WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
				},
				tokenNode(base, {}),
				httpNode('Get Inquiry', {
					url: `={{ '${base}/api/ipn/inquiry/' + $('Webhook').item.json.body.affected[0].referenceId }}`,
					jsonBody: "={{ { token: $json.token, aToken: 'acc-demo-0001' } }}",
				}),
			],
			edges: [
				['Webhook', 'Get Token'],
				['Get Token', 'Get Inquiry'],
			],
		}),
	];
	return { forward, search, trigger, defs };
}

/* ------------------------------------------------------------------------ */
/* Running `n8n execute` under /usr/bin/time -v                             */
/* ------------------------------------------------------------------------ */

function parseRun(text) {
	const begin = text.trim().startsWith('{') ? text.indexOf('{') : text.indexOf('\n{') + 1;
	const end = text.lastIndexOf('\n}');
	if (begin < 0 || end < 0) return undefined;
	try {
		return JSON.parse(text.slice(begin, end + 2));
	} catch {
		return undefined;
	}
}

/** One `n8n execute --id … --rawOutput` in its own process; peak RSS from GNU time. */
/** The pid of the n8n process under `/usr/bin/time` (its only child), or the child itself. */
function n8nPid(child, useTime) {
	if (!useTime) return child.pid;
	try {
		return Number(fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0]) || undefined;
	} catch {
		return undefined;
	}
}

function rssKbOf(pid) {
	try {
		return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) || undefined;
	} catch {
		return undefined;
	}
}

function execute(n8n, workflowId, { env = {}, sampleRss = false } = {}) {
	const childEnv = n8n.env({ N8N_RUNNERS_BROKER_PORT: String(n8n.cliBrokerPort), ...env });
	const useTime = fs.existsSync(TIME_BIN);
	const [command, args] = useTime
		? [TIME_BIN, ['-v', n8n.n8n.bin, 'execute', `--id=${workflowId}`, '--rawOutput']]
		: [n8n.n8n.bin, ['execute', `--id=${workflowId}`, '--rawOutput']];
	return new Promise((resolve, reject) => {
		const began = process.hrtime.bigint();
		// stdout into a file: n8n exits without draining a pipe, which cuts a large --rawOutput short.
		const outFile = path.join(os.tmpdir(), `tsn-bench-${workflowId}-${process.pid}.out`);
		const outFd = fs.openSync(outFile, 'w');
		const child = spawn(command, args, { env: childEnv, stdio: ['ignore', outFd, 'pipe'] });
		fs.closeSync(outFd);
		const err = [];
		child.stderr.on('data', (chunk) => err.push(chunk));
		child.on('error', reject);
		// RSS of the n8n process every 5 ms, to see the memory while a node runs (not only the peak of the whole run).
		const rssSamples = [];
		const sampler = sampleRss
			? setInterval(() => {
					const pid = n8nPid(child, useTime);
					const kb = pid && rssKbOf(pid);
					if (kb) rssSamples.push([Date.now(), kb * 1024]);
				}, 5)
			: undefined;
		child.on('close', (status) => {
			if (sampler) clearInterval(sampler);
			const wallMs = Number(process.hrtime.bigint() - began) / 1e6;
			const stdout = fs.readFileSync(outFile, 'utf8');
			const stderr = Buffer.concat(err).toString('utf8');
			const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1]);
			const run = parseRun(stdout);
			if (!run) return reject(new Error(`n8n execute ${workflowId} gave no JSON (exit ${status}; stdout in ${outFile}):\n${stdout.slice(-1000)}\n${stderr.slice(-1500)}`));
			fs.rmSync(outFile, { force: true });
			resolve({ run, wallMs, peakRssBytes: Number.isFinite(rssKb) ? rssKb * 1024 : undefined, status, stdoutBytes: Buffer.byteLength(stdout), rssSamples });
		});
	});
}

/** Summed executionTime over every run of the work nodes, and the span from the first start to the last end. */
function nodeTimes(run, names) {
	const runData = run?.data?.resultData?.runData ?? {};
	let sum = 0;
	let first = Infinity;
	let last = 0;
	for (const name of names) {
		for (const task of runData[name] ?? []) {
			sum += task.executionTime ?? 0;
			first = Math.min(first, task.startTime);
			last = Math.max(last, task.startTime + (task.executionTime ?? 0));
		}
	}
	return { nodeMs: sum, spanMs: last > first ? last - first : sum };
}

/** RSS when the first work node started, and the highest RSS until the last one ended. */
function rssDuringWork(run, names, samples) {
	const runData = run?.data?.resultData?.runData ?? {};
	const tasks = names.flatMap((name) => runData[name] ?? []);
	if (!tasks.length || !samples.length) return {};
	const start = Math.min(...tasks.map((task) => task.startTime));
	const end = Math.max(...tasks.map((task) => task.startTime + (task.executionTime ?? 0)));
	const before = samples.filter(([at]) => at <= start);
	const during = samples.filter(([at]) => at >= start && at <= end + 5);
	if (!before.length || !during.length) return {};
	const atStart = before[before.length - 1][1];
	const peak = Math.max(...during.map(([, bytes]) => bytes));
	return { rssAtStartBytes: atStart, peakDuringWorkBytes: peak, growthDuringWorkBytes: peak - atStart, samples: during.length };
}

function outputCount(run, name) {
	const runs = run?.data?.resultData?.runData?.[name] ?? [];
	return runs.reduce((total, task) => total + (task.data?.main?.[0]?.length ?? 0), 0);
}

function runError(run) {
	const error = run?.data?.resultData?.error;
	return error ? error.message || JSON.stringify(error).slice(0, 300) : undefined;
}

/* ------------------------------------------------------------------------ */
/* Stand-in helpers                                                         */
/* ------------------------------------------------------------------------ */

async function resetStats(standin) {
	await request('DELETE', `${standin.url}/__control/stats`);
	await request('DELETE', `${standin.url}/__control/log`);
}

const snapshot = (standin) => JSON.parse(JSON.stringify(standin.stats));

/* ------------------------------------------------------------------------ */
/* 1. Broker Forward                                                        */
/* ------------------------------------------------------------------------ */

async function measureForward(n8n, standin, def, { lastItemNode = def.work[def.work.length - 1] } = {}) {
	await resetStats(standin);
	const result = await execute(n8n, def.id);
	const stats = snapshot(standin);
	const { nodeMs, spanMs } = nodeTimes(result.run, def.work);
	return {
		nodeMs,
		spanMs,
		wallMs: result.wallMs,
		requests: stats.total,
		tokenRequests: stats.tokenRequests,
		forwards: stats.requestsByEndpoint['broker.fwd'] ?? 0,
		maxInFlight: stats.maxInFlight,
		outputs: outputCount(result.run, lastItemNode === 'Loop Over Items' ? 'Forward' : lastItemNode),
		error: runError(result.run),
		peakRssBytes: result.peakRssBytes,
	};
}

function summarise(runs) {
	const pick = (key) => median(runs.map((r) => r[key]));
	return {
		runs,
		nodeMs: pick('nodeMs'),
		spanMs: pick('spanMs'),
		wallMs: pick('wallMs'),
		requests: pick('requests'),
		requestsRange: range(runs.map((r) => r.requests)),
		tokenRequests: range(runs.map((r) => r.tokenRequests)),
		forwards: range(runs.map((r) => r.forwards)),
		maxInFlight: Math.max(...runs.map((r) => r.maxInFlight)),
		outputs: Math.min(...runs.map((r) => r.outputs)),
		errors: runs.map((r) => r.error).filter(Boolean),
	};
}

async function benchForward(n8n, standin, forward) {
	const results = {};
	const order = ['pkg10', 'pkg20', 'flowA', 'flowB', 'flowC', 'flowD', 'flowE'];
	const repeat = { flowA: REPEAT, flowE: 1, flowD: Math.min(REPEAT, 2) };
	const picked = process.env.BENCH_FORWARD ? new Set(process.env.BENCH_FORWARD.split(',')) : undefined;
	for (let round = 0; round < REPEAT; round += 1) {
		for (const key of order) {
			if (picked && !picked.has(key)) continue;
			if (key === 'flowE' && process.env.BENCH_SKIP_SLOW === '1') continue;
			if (round >= (repeat[key] ?? REPEAT)) continue;
			say(`forward ${key} (round ${round + 1})…`);
			const r = await measureForward(n8n, standin, forward[key]);
			if (round === 0) r.firstBody = standin.rawLog.find((entry) => entry.endpoint === 'broker.fwd' && entry.body?.cExternalId === 'C-0001')?.body;
			say(`  node ${ms(r.nodeMs)}, span ${ms(r.spanMs)}, process ${ms(r.wallMs)}, ${r.requests} requests (${r.tokenRequests} token), max in flight ${r.maxInFlight}, ${r.outputs} items${r.error ? `, ERROR ${r.error}` : ''}`);
			(results[key] ??= []).push(r);
		}
	}
	return Object.fromEntries(Object.entries(results).map(([key, runs]) => [key, summarise(runs)]));
}

/* ------------------------------------------------------------------------ */
/* 2. Inquiry search                                                        */
/* ------------------------------------------------------------------------ */

async function searchResponseSize(standin) {
	const token = (await request('POST', `${standin.url}/api/token`, { body: { hash: HASH, secret: SECRET } })).json.token;
	const res = await request('POST', `${standin.url}/api/account-ipn/get/${token}`, { body: { aToken: 'acc-demo-0002' } });
	const entries = Object.values(res.json ?? {});
	const mean = Buffer.byteLength(res.text) / Math.max(entries.length, 1);
	// An inquiry of about the mean size, for the reference workflow that emits items without HTTP.
	const sample = entries.reduce((best, entry) => (Math.abs(JSON.stringify(entry).length - mean) < Math.abs(JSON.stringify(best).length - mean) ? entry : best), entries[0]);
	return { bytes: Buffer.byteLength(res.text), inquiries: entries.length, sample };
}

/**
 * The package's own search path without n8n around it: the compiled stream parser and item
 * builder in a Node process of n8n's Node version with --expose-gc, reading the stand-in's
 * answer as n8n hands it over (a stream). Heap measured between chunks and after a full GC.
 */
function searchHeapInIsolation(n8n, standin) {
	const script = `
		const http = require('node:http');
		const { jsonEntries } = require(${JSON.stringify(path.join(ROOT, 'dist/nodes/Thinksurance/helpers/jsonStream.js'))});
		const { parseInquiryCollection } = require(${JSON.stringify(path.join(ROOT, 'dist/nodes/Thinksurance/helpers/responses.js'))});
		const post = (url, body, stream) => new Promise((resolve, reject) => {
			const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
				if (stream) return resolve(res);
				const parts = []; res.on('data', (c) => parts.push(c)); res.on('end', () => resolve(JSON.parse(Buffer.concat(parts).toString())));
			});
			req.on('error', reject); req.end(JSON.stringify(body));
		});
		(async () => {
			const { token } = await post(${JSON.stringify(`${standin.url}/api/token`)}, { hash: ${JSON.stringify(HASH)}, secret: ${JSON.stringify(SECRET)} });
			global.gc(); global.gc();
			const before = process.memoryUsage().heapUsed;
			let peak = before; let bytes = 0;
			const res = await post(${JSON.stringify(`${standin.url}/api/account-ipn/get/`)} + token, { aToken: 'acc-demo-0002' }, true);
			const collected = {};
			const counted = (async function* () { for await (const chunk of res) { bytes += chunk.length; peak = Math.max(peak, process.memoryUsage().heapUsed); yield chunk; } })();
			for await (const [key, value] of jsonEntries(counted)) { collected[key] = value; }
			const items = parseInquiryCollection(collected).map((inquiry) => ({ json: inquiry }));
			peak = Math.max(peak, process.memoryUsage().heapUsed);
			global.gc(); global.gc();
			const retained = process.memoryUsage().heapUsed - before;
			process.stdout.write(JSON.stringify({ bytes, items: items.length, peakGrowth: peak - before, retained }));
		})().catch((e) => { console.error(e); process.exit(1); });`;
	// Asynchronously: this process serves the stand-in the child reads from.
	return new Promise((resolve, reject) => {
		const child = spawn(path.join(n8n.n8n.binDir, 'node'), ['--expose-gc', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
		const parts = [];
		child.stdout.on('data', (chunk) => parts.push(chunk));
		child.on('error', reject);
		child.on('close', (code) => (code === 0 ? resolve(JSON.parse(Buffer.concat(parts).toString('utf8'))) : reject(new Error(`search heap check exited ${code}`))));
	});
}

async function benchSearch(n8n, standin, search) {
	const results = {};
	const rounds = 2;
	for (let round = 0; round < rounds; round += 1) {
		for (const key of ['baseline', 'pkg', 'flow', 'reference']) {
			say(`search ${key} (round ${round + 1})…`);
			await resetStats(standin);
			const result = await execute(n8n, search[key].id, { sampleRss: true });
			const stats = snapshot(standin);
			const { nodeMs, spanMs } = nodeTimes(result.run, search[key].work);
			const during = rssDuringWork(result.run, search[key].work, result.rssSamples);
			const last = search[key].work[search[key].work.length - 1];
			const r = {
				nodeMs,
				spanMs,
				wallMs: result.wallMs,
				peakRssBytes: result.peakRssBytes,
				requests: stats.total,
				outputs: outputCount(result.run, last),
				error: runError(result.run),
				stdoutBytes: result.stdoutBytes,
				...during,
			};
			say(`  node ${ms(r.nodeMs)}, process ${ms(r.wallMs)}, peak RSS ${r.peakRssBytes ? mb(r.peakRssBytes) : '?'}, growth while the node ran ${r.growthDuringWorkBytes === undefined ? '?' : mb(r.growthDuringWorkBytes)}, ${r.requests} requests, ${r.outputs} items${r.error ? `, ERROR ${r.error}` : ''}`);
			(results[key] ??= []).push(r);
		}
	}
	const summary = {};
	say('search heap of the package code in isolation…');
	summary.isolated = await searchHeapInIsolation(n8n, standin);
	for (const [key, runs] of Object.entries(results)) {
		summary[key] = {
			runs,
			nodeMs: median(runs.map((r) => r.nodeMs)),
			wallMs: median(runs.map((r) => r.wallMs)),
			peakRssBytes: median(runs.map((r) => r.peakRssBytes)),
			growthDuringWorkBytes: runs.every((r) => r.growthDuringWorkBytes !== undefined) ? median(runs.map((r) => r.growthDuringWorkBytes)) : undefined,
			requests: range(runs.map((r) => r.requests)),
			outputs: Math.min(...runs.map((r) => r.outputs)),
			stdoutBytes: runs[0].stdoutBytes,
			errors: runs.map((r) => r.error).filter(Boolean),
		};
	}
	return summary;
}

/* ------------------------------------------------------------------------ */
/* 3. Trigger                                                               */
/* ------------------------------------------------------------------------ */


async function waitFor(check, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	let last;
	while (Date.now() < deadline) {
		last = await check();
		if (last.done) return last;
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
	return last;
}

/** Executions of a workflow started at or after `since` (the REST API gives at most 100 a page). */
async function executionsSince(n8n, workflowId, since) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const all = [];
	let lastId;
	for (;;) {
		const data = await n8n.rest('GET', `/executions?filter=${filter}&limit=100${lastId ? `&lastId=${lastId}` : ''}`);
		const page = data.results ?? data;
		if (!page.length) break;
		all.push(...page);
		lastId = page[page.length - 1].id;
		if (new Date(page[page.length - 1].startedAt).getTime() < since) break;
	}
	return all.filter((e) => new Date(e.startedAt).getTime() >= since);
}

async function deliver(n8n, standin, def, url, prefix, { readBack = true } = {}) {
	await resetStats(standin);
	const answers = [];
	const statuses = {};
	let next = 0;
	const began = Date.now();
	const beganHr = process.hrtime.bigint();
	await Promise.all(
		Array.from({ length: DELIVERY_CONCURRENCY }, async () => {
			while (next < DELIVERIES) {
				const index = next++;
				const body = v2Event(1878880 + (index % 40), `${prefix}-${index}`, standin.url);
				const t0 = process.hrtime.bigint();
				const res = await request('POST', url, { body });
				answers.push(Number(process.hrtime.bigint() - t0) / 1e6);
				statuses[res.status] = (statuses[res.status] ?? 0) + 1;
			}
		}),
	);
	const answeredMs = Number(process.hrtime.bigint() - beganHr) / 1e6;
	// Wait until every execution has finished (or nothing changes for a long time).
	const settled = await waitFor(async () => {
		const list = await executionsSince(n8n, def.id, began - 1000);
		const finished = list.filter((e) => e.stoppedAt);
		return { done: finished.length >= DELIVERIES && finished.length === list.length, list };
	}, 180_000);
	await new Promise((resolve) => setTimeout(resolve, 1500));
	const list = await executionsSince(n8n, def.id, began - 1000);
	const durations = list.filter((e) => e.stoppedAt).map((e) => new Date(e.stoppedAt).getTime() - new Date(e.startedAt).getTime());
	const stats = snapshot(standin);
	void settled;
	// Which event each execution ran for: none lost, none twice.
	const seen = new Map();
	let failed = 0;
	let noEvent = 0;
	for (const summary of list) {
		if (summary.status !== 'success') failed += 1;
		if (!readBack) continue;
		const execution = await n8n.execution(summary.id);
		const data = typeof execution.data === 'string' ? execution.data : JSON.stringify(execution.data);
		const ids = new Set(data.match(new RegExp(`${prefix}-\\d+`, 'g')) ?? []);
		if (ids.size === 0) noEvent += 1;
		for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
	}
	const lastStop = Math.max(...list.map((e) => new Date(e.stoppedAt).getTime()).filter(Number.isFinite));
	const completedMs = lastStop - began;
	const lost = readBack ? DELIVERIES - seen.size : undefined;
	const waits = list.filter((e) => e.createdAt && e.startedAt).map((e) => new Date(e.startedAt).getTime() - new Date(e.createdAt).getTime());
	const twice = [...seen.values()].filter((count) => count > 1).length;
	return {
		answeredMs,
		completedMs,
		answeredPerSec: DELIVERIES / (answeredMs / 1000),
		completedPerSec: DELIVERIES / (completedMs / 1000),
		p50: percentile(answers, 50),
		p95: percentile(answers, 95),
		executionP50: durations.length ? percentile(durations, 50) : undefined,
		createdToStartedP50: waits.length ? percentile(waits, 50) : undefined,
		statuses,
		executions: list.length,
		failed,
		noEvent,
		lost,
		twice,
		requests: stats.total,
		tokenRequests: stats.tokenRequests,
		inquiryGets: stats.requestsByEndpoint['inquiry.get'] ?? 0,
		maxInFlight: stats.maxInFlight,
	};
}

async function benchTrigger(n8n, standin, trigger) {
	say('starting n8n server for the trigger benchmark…');
	await n8n.start();
	await n8n.login();
	try {
		await n8n.activate(trigger.pkg.id);
		await n8n.activate(trigger.flow.id);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const pkgUrl = n8n.productionWebhookUrl(PKG_WEBHOOK_ID, 'webhook');
		const flowUrl = `${n8n.url}/webhook/${FLOW_WEBHOOK_PATH}`;
		const stamp = Date.now().toString(36);
		// Warm-up: one delivery each (first-request costs: loading, credential decryption).
		await request('POST', pkgUrl, { body: v2Event(1878880, `warm-pkg-${stamp}`, standin.url) });
		await request('POST', flowUrl, { body: v2Event(1878880, `warm-flow-${stamp}`, standin.url) });
		await new Promise((resolve) => setTimeout(resolve, 2000));
		say(`trigger: ${DELIVERIES} deliveries to the package trigger…`);
		const pkg = await deliver(n8n, standin, trigger.pkg, pkgUrl, `evt-bench-pkg-${stamp}`);
		say(`  ${JSON.stringify(pkg)}`);
		say(`trigger: ${DELIVERIES} deliveries to the Webhook flow…`);
		const flow = await deliver(n8n, standin, trigger.flow, flowUrl, `evt-bench-flow-${stamp}`);
		say(`  ${JSON.stringify(flow)}`);
		return { pkg, flow };
	} finally {
		await n8n.stop();
	}
}

/* ------------------------------------------------------------------------ */
/* 4. CPU profile                                                           */
/* ------------------------------------------------------------------------ */

const PACKAGE_PATH = 'node_modules/n8n-nodes-thinksurance/';

/** The npm package a script belongs to (after its last node_modules/), or what else it is. */
function categorise(url) {
	if (!url) return '(native / V8)';
	if (url.includes(PACKAGE_PATH)) return 'this package';
	if (url.startsWith('node:')) return 'Node.js internals';
	const tail = url.split('node_modules/').pop();
	if (tail !== url) {
		const parts = tail.split('/');
		return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
	}
	return url.split('/').slice(-2).join('/');
}

/** Coarse buckets for "where does the node's time go", first match on the sample's stack wins. */
const BUCKETS = [
	['expression isolate set-up (acquireIsolate → new isolated-vm bridge)', (f) => f.functionName === 'acquireIsolate' || f.functionName === 'createBridge'],
	['node parameters & expressions (getNodeParameter → expression runtime)', (f) => f.functionName === '_getNodeParameter' || f.functionName === 'getNodeParameter'],
	[
		'credentials (getCredentials: look-up + decryption)',
		(f) => /^(getCredentials|_getCredentials|getDecrypted|getCredentialsEntity)$/.test(f.functionName) || f.url.includes('node_modules/n8n-core/dist/encryption'),
	],
	['database (SQLite via TypeORM, callbacks)', (f) => /node_modules\/(sqlite3|@n8n\/typeorm)\//.test(f.url)],
	['HTTP (axios, http, sockets, TLS-free loopback)', (f) => /node_modules\/(axios|follow-redirects|form-data)\//.test(f.url) || /^node:(net|http|_http_|internal\/stream|internal\/net|internal\/http)/.test(f.url) || /^(writev|writeUtf8String|writeBuffer|connect)$/.test(f.functionName)],
	["this package's own code (self time)", (f, self) => self && f.url.includes(PACKAGE_PATH)],
	['(idle: waiting for the network)', (f, self) => self && f.functionName === '(idle)'],
	['(garbage collector)', (f, self) => self && f.functionName === '(garbage collector)'],
];

function frameKey(frame) {
	const file = frame.url ? frame.url.replace(/^file:\/\//, '').split('node_modules/').pop() : '';
	return `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : ''}`.trim();
}

/** Self time per function and per package, over the window in which the package's code ran. */
/** The action node's execute(): where a forward's node run starts (loading the package at start-up is not part of it). */
const isNodeExecute = (frame) => frame.functionName === 'execute' && frame.url.includes(PACKAGE_PATH) && frame.url.endsWith('/Thinksurance.node.js');
/** The trigger's webhook(): where the handling of the first delivery starts. */
const isTriggerWebhook = (frame) => frame.functionName === 'webhook' && frame.url.includes(PACKAGE_PATH) && frame.url.endsWith('/ThinksuranceTrigger.node.js');

function summariseProfile(file, { startsAt = isNodeExecute, endsAt } = {}) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const isPackage = new Map();
	const touchesPackage = (id) => {
		if (isPackage.has(id)) return isPackage.get(id);
		const node = byId.get(id);
		const own = (node.callFrame.url ?? '').includes(PACKAGE_PATH);
		const result = own || (parent.has(id) ? touchesPackage(parent.get(id)) : false);
		isPackage.set(id, result);
		return result;
	};
	// Sample times: timeDeltas[i] is the time before sample i; attribute the gap to the next sample.
	const times = [];
	let t = profile.startTime;
	for (let i = 0; i < profile.samples.length; i += 1) {
		t += profile.timeDeltas[i];
		times.push(t);
	}
	const durations = times.map((time, i) => (i + 1 < times.length ? times[i + 1] - time : 0));
	const stackHas = (id, predicate) => {
		for (let cur = id; cur !== undefined; cur = parent.get(cur)) if (predicate(byId.get(cur).callFrame)) return true;
		return false;
	};
	let first = -1;
	let lastIdx = -1;
	profile.samples.forEach((id, i) => {
		if (first < 0 && stackHas(id, startsAt)) first = i;
		if (first >= 0 && touchesPackage(id)) lastIdx = i;
	});
	// A fixed end (µs after the window's start) instead of the last package sample, e.g. to cover the executions that follow.
	if (first >= 0 && endsAt !== undefined) {
		const end = times[first] + endsAt;
		lastIdx = times.findIndex((time) => time > end);
		if (lastIdx < 0) lastIdx = times.length - 1;
	}
	const total = (times[times.length - 1] - profile.startTime) / 1000;
	if (first < 0) return { file, totalMs: total, windowMs: 0, functions: [], groups: [], packageStackMs: 0 };
	const fn = new Map();
	const buckets = new Map();
	const inclusive = new Map();
	const groups = new Map();
	let windowUs = 0;
	let packageStackUs = 0;
	for (let i = first; i <= lastIdx; i += 1) {
		const node = byId.get(profile.samples[i]);
		const d = durations[i];
		windowUs += d;
		if (touchesPackage(node.id)) packageStackUs += d;
		const frame = node.callFrame;
		const key = frameKey(frame);
		fn.set(key, (fn.get(key) ?? 0) + d);
		const onStack = new Set();
		for (let cur = node.id; cur !== undefined; cur = parent.get(cur)) onStack.add(frameKey(byId.get(cur).callFrame));
		for (const k of onStack) inclusive.set(k, (inclusive.get(k) ?? 0) + d);
		let bucket = 'other (n8n engine, V8, program)';
		for (const [name, test] of BUCKETS) {
			let hit = false;
			for (let cur = node.id; cur !== undefined && !hit; cur = parent.get(cur)) hit = test(byId.get(cur).callFrame, cur === node.id);
			if (hit) {
				bucket = name;
				break;
			}
		}
		buckets.set(bucket, (buckets.get(bucket) ?? 0) + d);
		const group = frame.functionName.startsWith('(') && !frame.url ? frame.functionName : categorise(frame.url);
		groups.set(group, (groups.get(group) ?? 0) + d);
	}
	const sorted = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000, pct: (100 * us) / windowUs }));
	return {
		file,
		totalMs: total,
		windowMs: windowUs / 1000,
		packageStackMs: packageStackUs / 1000,
		buckets: sorted(buckets),
		functions: sorted(fn).slice(0, 15),
		inclusive: sorted(inclusive)
			.filter((f) => !/^\((root|program|idle|garbage collector)\)/.test(f.name) && f.pct < 99.5)
			.slice(0, 15),
		groups: sorted(groups).slice(0, 12),
	};
}

async function profileForward(n8n, standin, def) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsn-cpuprof-'));
	await resetStats(standin);
	say('forward with --cpu-prof…');
	const result = await execute(n8n, def.id, { env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir} --cpu-prof-interval=250` } });
	const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(dir, f));
	const summaries = files.map(summariseProfile).filter((s) => s.windowMs > 0).sort((a, b) => b.windowMs - a.windowMs);
	const { nodeMs } = nodeTimes(result.run, def.work);
	return { nodeMs, profiles: files.length, summary: summaries[0], dir };
}

/** 200 deliveries to the package trigger on a server started with --cpu-prof (the profile is written when it stops). */
async function profileTrigger(n8n, standin, trigger) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsn-cpuprof-trigger-'));
	say('trigger with --cpu-prof…');
	// A server of its own: a fresh user folder would need a new owner, so reuse this one after the measured run.
	await n8n.start('start', { env: { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir} --cpu-prof-interval=500` } });
	await n8n.login();
	let result;
	try {
		await n8n.activate(trigger.pkg.id).catch(() => undefined);
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const url = n8n.productionWebhookUrl(PKG_WEBHOOK_ID, 'webhook');
		result = await deliver(n8n, standin, trigger.pkg, url, `evt-prof-${Date.now().toString(36)}`, { readBack: false });
	} finally {
		await n8n.stop();
	}
	// Window: from the first webhook() call for as long as the deliveries and their executions took.
	const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(dir, f));
	const summaries = files
		.map((file) => summariseProfile(file, { startsAt: isTriggerWebhook, endsAt: result.completedMs * 1000 }))
		.filter((s) => s.windowMs > 0)
		.sort((a, b) => b.windowMs - a.windowMs);
	return { result, profiles: files.length, summary: summaries[0], dir };
}

/* ------------------------------------------------------------------------ */
/* Report                                                                   */
/* ------------------------------------------------------------------------ */

/** Which package code was measured: the commit, and whether nodes/ or credentials/ had uncommitted changes. */
function packageSource() {
	try {
		const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--', 'nodes', 'credentials'], { cwd: ROOT, encoding: 'utf8' }).trim();
		return `commit ${commit}${dirty ? ' plus uncommitted changes in nodes/ or credentials/' : ''}`;
	} catch {
		return 'unknown (no git)';
	}
}

function machine(n8n) {
	const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
	const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? '?';
	let nproc = os.cpus().length;
	try {
		nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
	} catch {
		// os.cpus() then
	}
	const n8nNode = execFileSync(path.join(n8n.n8n.binDir, 'node'), ['--version'], { encoding: 'utf8' }).trim();
	return {
		date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
		nproc,
		model,
		ramGb: (os.totalmem() / 1024 ** 3).toFixed(1),
		benchNode: process.version,
		n8nNode,
		n8nVersion: n8n.n8n.version,
		kernel: os.release(),
		loadBefore: os.loadavg().map((l) => l.toFixed(2)).join(' / '),
	};
}

function table(headers, rows) {
	const lines = [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`];
	for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
	return lines.join('\n');
}

function reportForward(out, targets, forward, forwardDefs, bodies) {
	const pkg10 = forward.pkg10;
	const pkg20 = forward.pkg20;
	const floor20 = (ITEMS * LATENCY_MS) / 20 + LATENCY_MS;
	const floor10 = (ITEMS * LATENCY_MS) / 10 + LATENCY_MS;
	out.push(`## 1. Broker Forward, ${ITEMS} items`);
	out.push('');
	const rows = [];
	for (const [key, r] of Object.entries(forward)) {
		rows.push([
			forwardDefs[key].label,
			`${r.requestsRange} (${r.tokenRequests} token + ${r.forwards} fwd)`,
			String(r.maxInFlight),
			ms(r.nodeMs),
			ms(r.spanMs),
			ms(r.wallMs),
			`${r.outputs}${r.errors.length ? ' ⚠ ' + r.errors[0].slice(0, 80) : ''}`,
			key.startsWith('pkg') ? '' : `${ratio(pkg10.nodeMs, r.nodeMs)} / ${ratio(pkg20.nodeMs, r.nodeMs)}`,
			String(r.runs.length),
		]);
	}
	out.push(table(['variant', 'requests to stand-in', 'max in flight', 'node', 'span', 'process', 'items out', 'ratio pkg 10 / pkg default (20) vs this', 'runs'], rows));
	out.push('');
	out.push(`Physical floor: ${ITEMS} × ${LATENCY_MS} ms / 10 + one token call = ${ms(floor10)}; / 20 + one token call = ${ms(floor20)}.`);
	out.push('');
	out.push(
		'How the built-in flows really behave: n8n 2.40.7\'s HTTP Request node (typeVersion 4.2, `HttpRequestV3.node.js`) throttles only by sleeping `batchInterval` ms before every `batchSize`-th item, then awaits all request promises together. With interval 0 the batch size has no effect and every request of the node starts at once — see "max in flight" for (a)–(c), measured at the stand-in. So (a)–(c) are unbounded-parallel flows, not 1 or 10 in flight, and their time is mostly the CPU cost of starting 500 requests, not the 50 ms latency. (d) and (e) are the built-in way to really keep ≤ 10 / 1 requests in flight (Loop Over Items); (d) is the like-for-like comparison with the package at batchSize 10. Flow (a) with the HTTP Request node\'s default interval (1000 ms) would take over 2 × 500 s and was not run.',
	);
	if (bodies) out.push(`Request body check: the package sent \`${JSON.stringify(bodies.pkg)}\`; flow (b) sent \`${JSON.stringify(bodies.flow)}\` (same keys: ${bodies.same ? 'yes' : 'NO'}).`);
	out.push('');
	const b = forward.flowB;
	targets.push(['N items ⇒ N+1 requests (package)', `default (20): ${pkg20.requestsRange}, batchSize 10: ${pkg10.requestsRange} for N = ${ITEMS} (N when the token stored in the credential by an earlier run was still good)`, Math.max(...pkg10.runs.map((r) => r.requests), ...pkg20.runs.map((r) => r.requests)) <= ITEMS + 1 ? 'met' : 'missed']);
	targets.push(['default options (20 in flight) faster than flow (b): ratio < 1.0', `${ratio(pkg20.nodeMs, b.nodeMs)} (${ms(pkg20.nodeMs)} vs ${ms(b.nodeMs)})`, pkg20.nodeMs < b.nodeMs ? 'met' : 'missed']);
	targets.push(['half the requests of flow (b)', `${pkg20.requestsRange} vs ${b.requestsRange} (${ratio(pkg20.requests, b.requests)})`, pkg20.requests <= b.requests / 2 + 1 ? 'met' : 'missed']);
	targets.push(['parallelism 20 ≤ 0.6 × flow (b)', `${ratio(pkg20.nodeMs, b.nodeMs)}`, pkg20.nodeMs <= 0.6 * b.nodeMs ? 'met' : 'missed']);
	targets.push([`parallelism 20 within 1.3 × floor (${ms(floor20)})`, `${ms(pkg20.nodeMs)} = ${(pkg20.nodeMs / floor20).toFixed(2)} × floor`, pkg20.nodeMs <= 1.3 * floor20 ? 'met' : 'missed']);
	targets.push(['(extra) batchSize 10 vs flow (b)', `${ratio(pkg10.nodeMs, b.nodeMs)} (${ms(pkg10.nodeMs)}; floor at 10 in flight ${ms(floor10)})`, pkg10.nodeMs < b.nodeMs ? 'faster' : 'slower']);
	if (forward.flowD) targets.push(['(extra) batchSize 10 vs flow (d), same ≤10 in flight', `${ratio(pkg10.nodeMs, forward.flowD.nodeMs)} on node time, ${ratio(pkg10.spanMs, forward.flowD.spanMs)} on span`, pkg10.spanMs < forward.flowD.spanMs ? 'faster' : 'slower']);
	out.push('');
}

function reportSearch(out, targets, search, searchSize) {
	// 2. Search
	const base = search.baseline;
	const growth = (r) => r.peakRssBytes - base.peakRssBytes;
	out.push(`## 2. Inquiry search, ${LARGE_ACCOUNT.toLocaleString('en-US')} inquiries (acc-demo-0002)`);
	out.push('');
	out.push(`Search response from the stand-in: ${mb(searchSize.bytes)} JSON (${searchSize.bytes.toLocaleString('en-US')} bytes, ${searchSize.inquiries} inquiries). Peak RSS = "Maximum resident set size" of \`/usr/bin/time -v n8n execute …\` (the largest process of that tree: n8n itself). Median of ${base.runs.length} runs.`);
	out.push('');
	const during = (r) => (r.growthDuringWorkBytes === undefined ? '?' : `${mb(r.growthDuringWorkBytes)} = ${(r.growthDuringWorkBytes / searchSize.bytes).toFixed(2)} ×`);
	out.push(
		table(
			['variant', 'requests', 'items out', 'node', 'process', 'growth while the node(s) ran (/ JSON size)', 'peak RSS of the run', 'run peak vs baseline', 'run peak growth / JSON size', 'ratio pkg/flow'],
			['baseline', 'pkg', 'flow', 'reference'].map((key) => {
				const r = search[key];
				return [
					search.defs[key].label,
					String(r.requests),
					`${r.outputs}${r.errors.length ? ' ⚠ ' + r.errors[0].slice(0, 80) : ''}`,
					ms(r.nodeMs),
					ms(r.wallMs),
					key === 'baseline' ? '–' : during(r),
					r.peakRssBytes ? mb(r.peakRssBytes) : '?',
					key === 'baseline' ? '–' : mb(growth(r)),
					key === 'baseline' ? '–' : `${(growth(r) / searchSize.bytes).toFixed(2)} ×`,
					key === 'pkg'
						? `time ${ratio(search.pkg.nodeMs, search.flow.nodeMs)}, growth while running ${ratio(search.pkg.growthDuringWorkBytes, search.flow.growthDuringWorkBytes)}, run peak growth ${ratio(growth(search.pkg), growth(search.flow))}`
						: '',
				];
			}),
		),
	);
	out.push('');
	out.push('"Growth while the node(s) ran": RSS of the n8n process sampled every 5 ms; the highest value between the start of the first work node and the end of the last one (times from n8n\'s run data), minus the RSS at that start. "Peak RSS of the run" also contains what n8n does with the items afterwards: keeping the run data, saving the execution to SQLite and printing `--rawOutput`.');
	out.push('');
	out.push(`Per-run peak RSS: ${['baseline', 'pkg', 'flow', 'reference'].map((k) => `${k} ${search[k].runs.map((r) => mb(r.peakRssBytes)).join(', ')}`).join('; ')}. The \`--rawOutput\` JSON printed by each run: package ${mb(search.pkg.stdoutBytes)}, flow ${mb(search.flow.stdoutBytes)} (its serialisation is part of both peaks).`);
	out.push('');
	const own = growth(search.pkg) - growth(search.reference);
	out.push(`The reference run is what n8n itself spends on ${searchSize.inquiries} items of this size (holding the run data, saving the execution to SQLite, printing \`--rawOutput\`); the package's run peak beyond it is ${mb(own)} = ${(own / searchSize.bytes).toFixed(2)} × the JSON size.`);
	out.push('');
	const iso = search.isolated;
	if (iso) {
		out.push(`The package's search code alone (compiled stream parser + item builder in Node.js ${search.isolatedNode ?? 'of n8n'} with \`--expose-gc\`, same answer as a stream, ${iso.items} items): heap growth at most ${mb(iso.peakGrowth)} = ${(iso.peakGrowth / iso.bytes).toFixed(2)} × the JSON size while reading (measured between chunks), ${mb(iso.retained)} = ${(iso.retained / iso.bytes).toFixed(2)} × retained by the output items after a full GC. The RSS growth above is V8 heap sizing around that (the Code node that only creates the same items grows as much).`);
		out.push('');
	}
	const nodeGrowth = search.pkg.growthDuringWorkBytes;
	targets.push([
		'search peak memory growth ≤ 4 × JSON size',
		`package code alone: ${iso ? `${(iso.peakGrowth / iso.bytes).toFixed(2)} × peak heap, ${(iso.retained / iso.bytes).toFixed(2)} × retained` : '?'}; RSS while the node runs: ${nodeGrowth === undefined ? '?' : `${(nodeGrowth / searchSize.bytes).toFixed(2)} ×`} (Code-node reference ${search.reference.growthDuringWorkBytes === undefined ? '?' : `${(search.reference.growthDuringWorkBytes / searchSize.bytes).toFixed(2)} ×`}); whole run incl. n8n saving/printing: ${(growth(search.pkg) / searchSize.bytes).toFixed(2)} × (n8n's reference for the same items: ${(growth(search.reference) / searchSize.bytes).toFixed(2)} ×)`,
		nodeGrowth !== undefined && nodeGrowth <= 4 * searchSize.bytes
			? 'met while the node runs; missed for the whole run (n8n\'s own handling of 5,000 items)'
			: iso && iso.peakGrowth <= 4 * iso.bytes
				? 'met by the package\'s code (heap); missed as process RSS, where n8n\'s own Code-node reference is no better'
				: 'missed',
	]);
	targets.push(['(extra) search node time vs flow', `${ratio(search.pkg.nodeMs, search.flow.nodeMs)}`, search.pkg.nodeMs <= search.flow.nodeMs ? 'faster' : 'slower']);
}

function profileTables(out, s) {
	out.push('Where the time goes (each sample counted once, in the first bucket that matches its stack, in this order):');
	out.push('');
	out.push(table(['bucket', 'time', '%'], s.buckets.map((g) => [g.name, ms(g.ms), `${g.pct.toFixed(1)} %`])));
	out.push('');
	out.push('Top functions by inclusive time (on the stack):');
	out.push('');
	out.push(table(['function (file:line)', 'inclusive', '%'], s.inclusive.map((f) => [`\`${f.name}\``, ms(f.ms), `${f.pct.toFixed(1)} %`])));
	out.push('');
	out.push('Self time by npm package / category:');
	out.push('');
	out.push(table(['where', 'self time', '%'], s.groups.map((g) => [g.name, ms(g.ms), `${g.pct.toFixed(1)} %`])));
	out.push('');
	out.push('Top functions by self time:');
	out.push('');
	out.push(table(['function (file:line)', 'self time', '%'], s.functions.map((f) => [`\`${f.name}\``, ms(f.ms), `${f.pct.toFixed(1)} %`])));
	out.push('');
}

function report({ env, forward, forwardDefs, bodies, search, searchSize, trigger, profile, triggerProfile, elapsedMs }) {
	const out = [];
	out.push('# Benchmark results: n8n-nodes-thinksurance vs. built-in n8n nodes');
	out.push('');
	out.push(`Generated by \`npm run bench\` (scripts/bench.js) on ${env.date}, total run ${Math.round(elapsedMs / 1000)} s.`);
	out.push('');
	out.push(`Machine: ${env.nproc} CPUs (${env.model}), ${env.ramGb} GB RAM, Linux ${env.kernel}. n8n ${env.n8nVersion} on Node.js ${env.n8nNode} (\`n8n execute\` per run, SQLite); bench runner and stand-in on Node.js ${env.benchNode}, same machine. Load average (1/5/15 min) at the start: ${env.loadBefore}, at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')} (other processes were running on this shared machine; absolute times are noisy, ratios measured in the same run less so).`);
	out.push(`Package measured: ${env.source}, built and packed by the run. Thinksurance stand-in (test/standin) with ${LATENCY_MS} ms latency on every API call. Median of ${REPEAT} runs where a column says so.`);
	out.push('');
	out.push('Times: **node** = sum of `runData[node][i].executionTime` of the nodes that do the work (all runs of them); **span** = first start to last end of those nodes (includes the engine between nodes and loop iterations); **process** = wall time of the whole `n8n execute` process (start-up ≈ 4–6 s included). Ratios are package / flow on node time, measured in the same run.');
	out.push('');

	const targets = [];
	if (forward) reportForward(out, targets, forward, forwardDefs, bodies);
	if (search) reportSearch(out, targets, search, searchSize);
	// 3. Trigger
	if (trigger) {
		out.push(`## 3. Trigger, ${DELIVERIES} notifications, ${DELIVERY_CONCURRENCY} in flight, \`n8n start\``);
		out.push('');
		const t = (r) => [
			String(r.requests) + ` (${r.tokenRequests} token + ${r.inquiryGets} get)`,
			Object.entries(r.statuses).map(([s, c]) => `${c}× ${s}`).join(', '),
			`${r.executions} (${r.failed} failed)`,
			`${r.lost} / ${r.twice}`,
			`${r.answeredPerSec.toFixed(1)}`,
			`${r.completedPerSec.toFixed(1)}`,
			ms(r.p50),
			ms(r.p95),
			`${ms(r.executionP50)} (${ms(r.createdToStartedP50)})`,
			ms(r.completedMs),
		];
		out.push(
			table(
				['variant', 'requests to stand-in', 'answers', 'executions', 'lost / twice', 'answered / s', 'completed / s', 'answer p50', 'answer p95', 'execution p50 (created → started)', 'all done after'],
				[
					[trigger.defs.pkg.label, ...t(trigger.pkg)],
					[trigger.defs.flow.label, ...t(trigger.flow)],
				],
			),
		);
		out.push('');
		out.push('"created → started": median time between n8n creating the execution and starting it (from the executions list). ');
		out.push('');
		out.push('"answered / s": deliveries answered per second by the sender\'s clock; "completed / s": deliveries whose execution had finished, from the first post to the last execution\'s stoppedAt. The package answers 204 after it has fetched the inquiry (so a failed fetch gets 503 and a redelivery); the Webhook node answers before its workflow runs. Every execution\'s data was read back to find its eventId.');
		out.push('');
		targets.push(['trigger: no delivery lost, none run twice', `lost ${trigger.pkg.lost}, twice ${trigger.pkg.twice}`, trigger.pkg.lost === 0 && trigger.pkg.twice === 0 ? 'met' : 'missed']);
		targets.push([
			'trigger: deliveries/s ≥ Webhook flow',
			`completed ${trigger.pkg.completedPerSec.toFixed(1)} vs ${trigger.flow.completedPerSec.toFixed(1)} /s (ratio ${ratio(trigger.pkg.completedPerSec, trigger.flow.completedPerSec)}); answered ${trigger.pkg.answeredPerSec.toFixed(1)} vs ${trigger.flow.answeredPerSec.toFixed(1)} /s`,
			trigger.pkg.completedPerSec >= trigger.flow.completedPerSec ? 'met' : 'missed',
		]);
	}

	// 4. Profile
	if (profile?.summary) {
		const s = profile.summary;
		out.push(`## 4. CPU profile: package, Broker Forward of ${ITEMS} items, default options`);
		out.push('');
		out.push(`\`NODE_OPTIONS="--cpu-prof --cpu-prof-interval=250"\` on one \`n8n execute\` (node time ${ms(profile.nodeMs)} in that run, profiled so a little slower). Window = from the first sample inside the action node's \`execute()\` to the last sample with this package's code on the stack: ${ms(s.windowMs)} of the process's ${ms(s.totalMs)}; samples with package code anywhere on the stack: ${ms(s.packageStackMs)} (${((100 * s.packageStackMs) / s.windowMs).toFixed(1)} %).`);
		out.push('');
		profileTables(out, s);
	}
	if (triggerProfile?.summary) {
		const s = triggerProfile.summary;
		const r = triggerProfile.result;
		out.push(`## 5. CPU profile: n8n server during ${DELIVERIES} deliveries to the package trigger`);
		out.push('');
		out.push(`A separate run after the measured one: \`n8n start\` with \`NODE_OPTIONS="--cpu-prof --cpu-prof-interval=500"\`, the same ${DELIVERIES} deliveries (${r.answeredPerSec.toFixed(1)} answered/s, ${r.completedPerSec.toFixed(1)} completed/s, answer p50 ${ms(r.p50)}, execution p50 ${ms(r.executionP50)} while profiled). Window = from the first call of the trigger's \`webhook()\` until the last execution had stopped: ${ms(s.windowMs)}; samples with package code on the stack: ${ms(s.packageStackMs)} (${((100 * s.packageStackMs) / s.windowMs).toFixed(1)} %).`);
		out.push('');
		profileTables(out, s);
	}

	out.push('## Targets from the issue (reported, not asserted)');
	out.push('');
	out.push(table(['target', 'measured', 'result'], targets));
	out.push('');
	return out.join('\n');
}

/* ------------------------------------------------------------------------ */

async function main() {
	const began = Date.now();
	// No pooled sockets: the synchronous n8n CLI calls block this process longer than the
	// stand-in's keep-alive timeout, and a reused socket would then be reset.
	http.globalAgent = new http.Agent({ keepAlive: false });
	fs.mkdirSync(OUT_DIR, { recursive: true });
	say(`stand-in with ${LATENCY_MS} ms latency, large account ${LARGE_ACCOUNT}…`);
	const standin = await startStandin({ latencyMs: LATENCY_MS, largeAccount: LARGE_ACCOUNT, logLimit: 20000 });
	// `n8n execute --rawOutput` prints the run through its logger at level info: lower levels hide it.
	const n8n = await new N8nInstance({ line: '2', logLevel: 'info' }).init();
	let exitCode = 0;
	try {
		const source = packageSource();
		say(`packing the package (${source})…`);
		n8n.installPackage(packPackage({ build: process.env.TSN_SKIP_BUILD !== '1' }));
		const searchSize = await searchResponseSize(standin);
		const { forward, search, trigger, defs } = workflows(standin.url, searchSize);
		n8n.importCredentials([credential(standin.url)]);
		n8n.importWorkflows(defs);
		const env = { ...machine(n8n), source };

		const only = new Set((process.env.BENCH_ONLY || 'forward,profile,search,trigger,trigger-profile,poll').split(','));
		let forwardResults;
		let bodies;
		if (only.has('forward')) {
			forwardResults = await benchForward(n8n, standin, forward);
			// Same body from package and flow? Compare one forward each.
			const pkgBody = forwardResults.pkg20.runs[0].firstBody;
			const flowBody = forwardResults.flowB.runs[0].firstBody;
			const keys = (body) => Object.keys(body ?? {}).sort().join(',');
			bodies = { pkg: pkgBody, flow: flowBody, same: keys(pkgBody) === keys(flowBody) };
		}
		const profile = only.has('profile') ? await profileForward(n8n, standin, forward.pkg20) : undefined;
		let searchResults;
		if (only.has('search')) {
			searchResults = await benchSearch(n8n, standin, search);
			searchResults.defs = search;
		}
		let triggerResults;
		if (only.has('trigger')) {
			triggerResults = await benchTrigger(n8n, standin, trigger);
			triggerResults.defs = trigger;
		}
		const triggerProfile = only.has('trigger-profile') ? await profileTrigger(n8n, standin, trigger) : undefined;
		const poll = only.has('poll') ? await require('./bench/poll').benchPoll(standin) : undefined;

		const markdown = report({
			env,
			forward: forwardResults,
			forwardDefs: forward,
			bodies,
			search: searchResults,
			searchSize,
			trigger: triggerResults,
			profile,
			triggerProfile,
			elapsedMs: Date.now() - began,
		}) + (poll ? `\n\n${poll.markdown}` : '');
		fs.writeFileSync(path.join(OUT_DIR, 'RESULTS.md'), `${markdown}\n`);
		fs.writeFileSync(
			path.join(OUT_DIR, 'results.json'),
			`${JSON.stringify({ env, forward: forwardResults, bodies, search: searchResults, searchSize: { ...searchSize, sample: undefined }, trigger: triggerResults, profile, triggerProfile, poll }, null, 2)}\n`,
		);
		process.stdout.write(`${markdown}\n`);
		say(`wrote bench/RESULTS.md in ${Math.round((Date.now() - began) / 1000)} s${profile ? `; CPU profile in ${profile.dir}` : ''}`);
	} catch (error) {
		exitCode = 1;
		process.stderr.write(`${error.stack || error}\n`);
	} finally {
		await n8n.stop();
		await standin.close();
	}
	process.exitCode = exitCode;
}

if (require.main === module) main();

module.exports = { summariseProfile };
