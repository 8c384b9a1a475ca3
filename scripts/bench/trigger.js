'use strict';
/**
 * Trigger throughput against `n8n start`: notifications posted N in flight to
 *   pkg11      the package trigger as new nodes get it, typeVersion 1.1 (manual registration,
 *              inquiry fetched with the credential before the delivery is accepted),
 *   pkg        the same at typeVersion 1 (saved workflows: n8n evaluates its raw-body option),
 *   pkgFull    typeVersion 1.1 whose redelivery memory is full (2,000 earlier deliveries, stored
 *              in version 1.0.0's format, which the warm-up delivery converts): the steady state,
 *   flowAfter  the like-for-like built-in flow: Webhook node answering from a Respond to Webhook
 *              node placed after its HTTP Request fetch of the inquiry (same guarantee: nothing
 *              is accepted before the inquiry was fetched),
 *   flowFirst  the built-in flow that answers first (Webhook "Immediately") and fetches later.
 * Every execution's data is read back to find its eventId: none lost, none twice.
 * Environment: BENCH_DELIVERIES (default 200), BENCH_IN_FLIGHT (default 10), BENCH_TRIGGER_ROUNDS
 * (default 2; the variants take turns, so drift of a shared machine hits all of them),
 * BENCH_TRIGGER_ENV (extra n8n environment, e.g. `N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true`),
 * BENCH_TRIGGER_VARIANTS (e.g. `pkg,flowAfter`).
 */
const crypto = require('node:crypto');

const { triggerWorkflow, v2Event } = require('../lib/workflows');
const r = require('./runner');

const DELIVERIES = Math.max(1, Number(process.env.BENCH_DELIVERIES || 200));
const IN_FLIGHT = Math.max(1, Number(process.env.BENCH_IN_FLIGHT || 10));
const ROUNDS = Math.max(1, Number(process.env.BENCH_TRIGGER_ROUNDS || 2));

const FLOW_FIRST_WEBHOOK_ID = '7a2d9c41-5b3e-4f1a-8c6d-0e9f8a7b6c02';
const FLOW_AFTER_WEBHOOK_ID = '7a2d9c41-5b3e-4f1a-8c6d-0e9f8a7b6c03';
const FLOW_FIRST_PATH = 'bench-builtin-notifications';
const FLOW_AFTER_PATH = 'bench-builtin-notifications-after-fetch';

const VARIANTS = {
	pkg11: { id: 'tsBenchTrigPkg11', webhookId: '7a2d9c41-5b3e-4f1a-8c6d-0e9f8a7b6c04', label: 'package trigger typeVersion 1.1, new nodes (manual registration, fetch inquiry, then 204)' },
	pkg: { id: 'tsBenchTrigPkg01', webhookId: '7a2d9c41-5b3e-4f1a-8c6d-0e9f8a7b6c01', label: 'package trigger typeVersion 1, saved workflows (same settings)' },
	pkgFull: { id: 'tsBenchTrigPkgFu', webhookId: '7a2d9c41-5b3e-4f1a-8c6d-0e9f8a7b6c05', label: 'package trigger typeVersion 1.1, redelivery memory full (2,000 earlier deliveries)' },
	flowAfter: { id: 'tsBenchTrigFlow2', label: 'like-for-like: Webhook → HTTP token → HTTP get inquiry → Respond to Webhook 204' },
	flowFirst: { id: 'tsBenchTrigFlow1', label: 'answer-first: Webhook (respond immediately) → HTTP token → HTTP get inquiry' },
};

/** The package variants carry their trigger's webhook ID; the flows listen on a path of their own. */
const urlOf = (n8n, key) =>
	VARIANTS[key].webhookId
		? n8n.productionWebhookUrl(VARIANTS[key].webhookId, 'webhook')
		: `${n8n.url}/webhook/${key === 'flowAfter' ? FLOW_AFTER_PATH : FLOW_FIRST_PATH}`;

function webhookNode(webhookId, path, responseMode) {
	return {
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		webhookId,
		parameters: { httpMethod: 'POST', path, responseMode, options: {} },
	};
}

const getInquiryNode = (base) =>
	r.httpNode('Get Inquiry', {
		url: `={{ '${base}/api/ipn/inquiry/' + $('Webhook').item.json.body.affected[0].referenceId }}`,
		jsonBody: "={{ { token: $json.token, aToken: 'acc-demo-0001' } }}",
	});

const PACKAGE_PARAMETERS = { events: ['*'], registration: 'manual', fetchInquiry: true, accountToken: 'acc-demo-0001' };

/** 2,000 remembered deliveries as version 1.0.0 stored them (plain keys). */
const fullMemory = () => ({ 'node:Thinksurance Trigger': { recentDeliveries: Array.from({ length: 2000 }, () => `event:${crypto.randomUUID()}`) } });

function triggerWorkflows(base) {
	return [
		triggerWorkflow({ id: VARIANTS.pkg11.id, name: 'Bench trigger package', webhookId: VARIANTS.pkg11.webhookId, typeVersion: 1.1, parameters: PACKAGE_PARAMETERS }),
		triggerWorkflow({ id: VARIANTS.pkg.id, name: 'Bench trigger package v1', webhookId: VARIANTS.pkg.webhookId, parameters: PACKAGE_PARAMETERS }),
		triggerWorkflow({
			id: VARIANTS.pkgFull.id,
			name: 'Bench trigger package, memory full',
			webhookId: VARIANTS.pkgFull.webhookId,
			typeVersion: 1.1,
			parameters: PACKAGE_PARAMETERS,
			staticData: fullMemory(),
		}),
		r.graphWorkflow({
			id: VARIANTS.flowFirst.id,
			name: 'Bench trigger flow (answer first)',
			nodes: [webhookNode(FLOW_FIRST_WEBHOOK_ID, FLOW_FIRST_PATH, 'onReceived'), r.tokenNode(base, {}), getInquiryNode(base)],
			edges: [
				['Webhook', 'Get Token'],
				['Get Token', 'Get Inquiry'],
			],
		}),
		r.graphWorkflow({
			id: VARIANTS.flowAfter.id,
			name: 'Bench trigger flow (answer after fetch)',
			nodes: [
				webhookNode(FLOW_AFTER_WEBHOOK_ID, FLOW_AFTER_PATH, 'responseNode'),
				r.tokenNode(base, {}),
				getInquiryNode(base),
				{
					name: 'Respond to Webhook',
					type: 'n8n-nodes-base.respondToWebhook',
					typeVersion: 1.1,
					parameters: { respondWith: 'noData', options: { responseCode: 204 } },
				},
			],
			edges: [
				['Webhook', 'Get Token'],
				['Get Token', 'Get Inquiry'],
				['Get Inquiry', 'Respond to Webhook'],
			],
		}),
	];
}

async function waitFor(check, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	let last;
	while (Date.now() < deadline) {
		last = await check();
		if (last.done) return last;
		await r.sleepMs(300);
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

/** Counters of n8n's expression engine (2.x with N8N_METRICS=true): isolates handed out so far. */
async function isolateCounters(n8n) {
	const res = await r.request('GET', `${n8n.url}/metrics`).catch(() => undefined);
	if (!res || res.status !== 200) return undefined;
	const value = (name) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+]+)$`, 'm').exec(res.text)?.[1] ?? NaN);
	return { acquired: value('n8n_expression_pool_acquired_total'), coldStarts: value('n8n_expression_pool_cold_start_sync_total') };
}

/** DELIVERIES notifications, IN_FLIGHT at a time, to one variant; then waits for its executions and reads them back. */
async function deliver(ctx, key, prefix, { readBack = true } = {}) {
	const { n8n, standin } = ctx;
	const def = VARIANTS[key];
	const url = urlOf(n8n, key);
	await r.resetStats(standin);
	const isolatesBefore = await isolateCounters(n8n);
	const answers = [];
	const statuses = {};
	let next = 0;
	const began = Date.now();
	const beganHr = process.hrtime.bigint();
	const beganUs = Number(beganHr / 1000n);
	await Promise.all(
		Array.from({ length: IN_FLIGHT }, async () => {
			while (next < DELIVERIES) {
				const index = next++;
				const body = v2Event(1878880 + (index % 40), `${prefix}-${index}`, standin.url);
				const t0 = process.hrtime.bigint();
				const res = await r.request('POST', url, { body });
				answers.push(Number(process.hrtime.bigint() - t0) / 1e6);
				statuses[res.status] = (statuses[res.status] ?? 0) + 1;
			}
		}),
	);
	const answeredMs = Number(process.hrtime.bigint() - beganHr) / 1e6;
	// Wait until every execution has finished (or nothing changes for a long time).
	await waitFor(async () => {
		const list = await executionsSince(n8n, def.id, began - 1000);
		const finished = list.filter((e) => e.stoppedAt);
		return { done: finished.length >= DELIVERIES && finished.length === list.length, list };
	}, 180_000);
	await r.sleepMs(1500);
	const isolatesAfter = await isolateCounters(n8n);
	const list = await executionsSince(n8n, def.id, began - 1000);
	const durations = list.filter((e) => e.stoppedAt).map((e) => new Date(e.stoppedAt).getTime() - new Date(e.startedAt).getTime());
	const stats = r.snapshot(standin);
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
	const waits = list.filter((e) => e.createdAt && e.startedAt).map((e) => new Date(e.startedAt).getTime() - new Date(e.createdAt).getTime());
	// The 1.5 s settle pause and the metrics scrapes themselves acquire nothing; executions started by other workflows would.
	const isolates =
		isolatesBefore && isolatesAfter && Number.isFinite(isolatesAfter.acquired)
			? { perDelivery: (isolatesAfter.acquired - isolatesBefore.acquired) / DELIVERIES, coldStarts: isolatesAfter.coldStarts - isolatesBefore.coldStarts }
			: undefined;
	return {
		beganUs,
		answeredMs,
		completedMs,
		answeredPerSec: DELIVERIES / (answeredMs / 1000),
		completedPerSec: DELIVERIES / (completedMs / 1000),
		p50: r.percentile(answers, 50),
		p95: r.percentile(answers, 95),
		executionP50: durations.length ? r.percentile(durations, 50) : undefined,
		createdToStartedP50: waits.length ? r.percentile(waits, 50) : undefined,
		statuses,
		executions: list.length,
		failed,
		noEvent,
		lost: readBack ? DELIVERIES - seen.size : undefined,
		twice: [...seen.values()].filter((count) => count > 1).length,
		requests: stats.total,
		tokenRequests: stats.tokenRequests,
		inquiryGets: stats.requestsByEndpoint['inquiry.get'] ?? 0,
		maxInFlight: stats.maxInFlight,
		isolates,
	};
}

/** One delivery per variant first: first-request costs (loading, credential decryption, code caches). */
async function warmUp(ctx, keys) {
	const stamp = Date.now().toString(36);
	for (const key of keys) await r.request('POST', urlOf(ctx.n8n, key), { body: v2Event(1878880, `warm-${key}-${stamp}`, ctx.standin.url) });
	await r.sleepMs(2000);
}

/** Extra n8n environment from BENCH_TRIGGER_ENV (`A=1,B=2`). */
function extraEnv() {
	return Object.fromEntries(
		(process.env.BENCH_TRIGGER_ENV || '')
			.split(',')
			.map((pair) => pair.trim())
			.filter(Boolean)
			.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
	);
}

/** Metrics on (isolate counters), plus the caller's settings. */
const serverEnv = (env = {}) => ({ N8N_METRICS: 'true', ...extraEnv(), ...env });

/** The variants in turns (round 2 in reverse order), each warmed up once; the median round per variant. */
async function measureVariants(ctx, keys, { env = {}, rounds = ROUNDS } = {}) {
	const ids = keys.map((key) => VARIANTS[key].id);
	return await r.withServer(ctx, { env: serverEnv(env), activate: ids }, async () => {
		const stamp = Date.now().toString(36);
		await warmUp(ctx, keys);
		const runs = Object.fromEntries(keys.map((key) => [key, []]));
		for (let round = 0; round < rounds; round += 1) {
			for (const key of round % 2 ? [...keys].reverse() : keys) {
				r.say(`trigger ${key}, round ${round + 1}: ${DELIVERIES} deliveries, ${IN_FLIGHT} in flight…`);
				const m = await deliver(ctx, key, `evt-bench-${key}-${stamp}-${round}`);
				r.say(`  answered ${m.answeredPerSec.toFixed(1)}/s, completed ${m.completedPerSec.toFixed(1)}/s, p50 ${r.ms(m.p50)}, lost ${m.lost}, twice ${m.twice}, ${m.requests} requests, isolates/delivery ${m.isolates?.perDelivery ?? '–'}`);
				runs[key].push(m);
			}
		}
		return Object.fromEntries(keys.map((key) => [key, summarise(runs[key])]));
	});
}

/** The round with the median completed/s, plus totals over every round for lost/twice. */
function summarise(runs) {
	const sorted = [...runs].sort((a, b) => a.completedPerSec - b.completedPerSec);
	const mid = sorted[Math.floor((sorted.length - 1) / 2)];
	return {
		...mid,
		rounds: runs.length,
		completedPerSecAll: runs.map((m) => m.completedPerSec),
		answeredPerSecAll: runs.map((m) => m.answeredPerSec),
		lostAll: runs.reduce((sum, m) => sum + (m.lost ?? 0), 0),
		twiceAll: runs.reduce((sum, m) => sum + m.twice, 0),
	};
}

const rate = (v) => (v.rounds > 1 ? `${v.completedPerSec.toFixed(1)} (${v.completedPerSecAll.map((x) => x.toFixed(1)).join(', ')})` : v.completedPerSec.toFixed(1));

function variantRow(label, v) {
	return [
		label,
		`${v.requests} (${v.tokenRequests} token + ${v.inquiryGets} get)`,
		Object.entries(v.statuses).map(([s, c]) => `${c}× ${s}`).join(', '),
		`${v.executions} (${v.failed} failed)`,
		`${v.lostAll} / ${v.twiceAll}`,
		`${v.answeredPerSec.toFixed(1)}`,
		rate(v),
		r.ms(v.p50),
		r.ms(v.p95),
		`${r.ms(v.executionP50)} (${r.ms(v.createdToStartedP50)})`,
		v.isolates ? `${v.isolates.perDelivery.toFixed(2)}${v.isolates.coldStarts > 0 ? ` (${v.isolates.coldStarts} built synchronously)` : ''}` : '–',
	];
}

const TABLE_HEAD = ['variant', 'requests to stand-in (last round)', 'answers', 'executions', 'lost / twice (all rounds)', 'answered / s', 'completed / s (each round)', 'answer p50', 'answer p95', 'execution p50 (created → started)', 'isolates / delivery'];

function report(doc, t, _state, ctx) {
	if (!t) return;
	doc.section(`Trigger, ${DELIVERIES} notifications, ${IN_FLIGHT} in flight, \`n8n start\` (n8n ${ctx.env.n8nVersion})`);
	const env = extraEnv();
	doc.paragraph(`One server, the variants in turns over ${ROUNDS} round(s) (the second in reverse order), each warmed up by one delivery; the row shows the round with the median completed/s.${Object.keys(env).length ? ` Extra n8n environment: \`${JSON.stringify(env)}\`.` : ''}`);
	doc.table(TABLE_HEAD, Object.keys(VARIANTS).filter((key) => t[key]).map((key) => variantRow(VARIANTS[key].label, t[key])));
	doc.paragraph('"answered / s": deliveries answered per second by the sender\'s clock; "completed / s": deliveries whose execution had finished, from the first post to the last execution\'s stoppedAt. "created → started": median time between n8n creating the execution and starting it. "isolates / delivery": isolated-VM expression sandboxes n8n handed out per delivery (its `n8n_expression_pool_acquired_total` counter; n8n 2.x with `N8N_METRICS=true`). The package answers 204 only after it has fetched the inquiry (a failed fetch gets 503 and a redelivery), as does the like-for-like flow; the answer-first flow answers before its workflow runs and loses a delivery whose fetch fails.');
	const { pkg11, pkg, pkgFull, flowAfter, flowFirst } = t;
	const packages = [pkg11, pkg, pkgFull].filter(Boolean);
	if (!packages.length) return;
	const lost = packages.reduce((sum, v) => sum + v.lostAll, 0);
	const twice = packages.reduce((sum, v) => sum + v.twiceAll, 0);
	doc.target('trigger: no delivery lost, none run twice', `lost ${lost}, twice ${twice} over ${packages.length} package variant(s) × ${packages[0].rounds} × ${DELIVERIES}`, lost === 0 && twice === 0 ? 'met' : 'missed');
	const versus = (v, flow) => `completed ${v.completedPerSec.toFixed(1)} vs ${flow.completedPerSec.toFixed(1)} /s (ratio ${r.ratio(v.completedPerSec, flow.completedPerSec)}); answered ${v.answeredPerSec.toFixed(1)} vs ${flow.answeredPerSec.toFixed(1)} /s (ratio ${r.ratio(v.answeredPerSec, flow.answeredPerSec)})`;
	const verdict = (v, flow) => (v.completedPerSec >= flow.completedPerSec ? 'met' : 'missed');
	if (flowAfter && pkg11) doc.target('trigger (typeVersion 1.1, new nodes): deliveries/s ≥ 1.0 × like-for-like built-in flow (same run, n8n defaults)', versus(pkg11, flowAfter), verdict(pkg11, flowAfter));
	if (flowAfter && pkg) doc.target('(extra) trigger typeVersion 1 (saved workflows) vs like-for-like flow', versus(pkg, flowAfter), verdict(pkg, flowAfter));
	if (flowAfter && pkgFull) doc.target('(extra) trigger typeVersion 1.1, memory full, vs like-for-like flow', versus(pkgFull, flowAfter), verdict(pkgFull, flowAfter));
	const main = pkg11 ?? pkg;
	if (flowFirst && main) doc.target('(extra) trigger vs answer-first flow', `completed ratio ${r.ratio(main.completedPerSec, flowFirst.completedPerSec)}, answered ratio ${r.ratio(main.answeredPerSec, flowFirst.answeredPerSec)}`, main.completedPerSec >= flowFirst.completedPerSec ? 'faster' : 'slower');
}

module.exports = {
	key: 'trigger',
	DELIVERIES,
	IN_FLIGHT,
	VARIANTS,
	TABLE_HEAD,
	triggerWorkflows,
	deliver,
	warmUp,
	measureVariants,
	serverEnv,
	variantRow,
	setup: (ctx) => ({ workflows: triggerWorkflows(ctx.standin.url) }),
	run: (ctx) => measureVariants(ctx, process.env.BENCH_TRIGGER_VARIANTS ? process.env.BENCH_TRIGGER_VARIANTS.split(',') : Object.keys(VARIANTS)),
	report,
};
