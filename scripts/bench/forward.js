'use strict';
/**
 * Broker Forward of 500 items: package (default options = 20 in flight, and batchSize 10) versus
 * HTTP Request flows (a) token + forward per item, 1 item per batch; (b) the same with 10 items
 * per batch, interval 0; (c) token once (Execute Once), forward with 10 per batch; plus two flows
 * that really keep few requests in flight (Loop Over Items), because the HTTP Request node's
 * batching with interval 0 starts every request at once. One `n8n execute` per run.
 * Environment: BENCH_REPEAT (runs per fast variant, default 2), BENCH_SKIP_SLOW=1 (skip the
 * one-at-a-time loop flow, ~1 min), BENCH_FORWARD (variants, e.g. `pkg10,flowB`).
 */
const { linearWorkflow, thinksurance } = require('../lib/workflows');
const r = require('./runner');

const ITEMS = 500;
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT || 2));

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

/** The same body the package sends (checked against the stand-in log in the run). */
const forwardBody = (record) =>
	`={{ { type: 1, bToken: 'brk-demo-0001', bExternalId: 'CRM-B-1', cExternalId: ${record}.crmId, cFirstName: ${record}.firstName, cLastName: ${record}.lastName, cEmail: ${record}.email } }}`;

function forwardNode(base, { token, record, options }) {
	return r.httpNode('Forward', { url: `={{ '${base}/api/broker/fwd/' + ${token} }}`, jsonBody: forwardBody(record), options });
}

const recordNodes = () => [
	{ name: 'CRM Records', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput: JSON.stringify({ records }), options: {} } },
	{ name: 'One Item per Record', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'records', options: {} } },
];

/** Built-in flow that loops over the items `size` at a time: really at most `size` requests in flight. */
function loopWorkflow(id, name, base, size) {
	return r.graphWorkflow({
		id,
		name,
		nodes: [
			r.manualStart(),
			...recordNodes(),
			{ name: 'Loop Over Items', type: 'n8n-nodes-base.splitInBatches', typeVersion: 3, parameters: { batchSize: size, options: {} } },
			r.tokenNode(base, {}),
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

const VARIANTS = {
	pkg10: { id: 'tsBenchFwdPkg010', label: 'package, batchSize 10', work: ['Thinksurance'] },
	pkg20: { id: 'tsBenchFwdPkg020', label: 'package, default options (20 in flight)', work: ['Thinksurance'] },
	flowA: { id: 'tsBenchFwdFlowA1', label: '(a) HTTP: token + forward per item, 1 item/batch, interval 0', work: ['Get Token', 'Forward'] },
	flowB: { id: 'tsBenchFwdFlowB1', label: '(b) HTTP: token + forward per item, 10 items/batch, interval 0', work: ['Get Token', 'Forward'] },
	flowC: { id: 'tsBenchFwdFlowC1', label: '(c) HTTP: token once (Execute Once), forward 10/batch, interval 0', work: ['Get Token', 'Forward'] },
	flowD: { id: 'tsBenchFwdFlowD1', label: '(d) HTTP in Loop Over Items, 10 per loop (≤10 in flight)', work: ['Loop Over Items', 'Get Token', 'Forward'] },
	flowE: { id: 'tsBenchFwdFlowE1', label: '(e) HTTP in Loop Over Items, 1 per loop (one at a time)', work: ['Loop Over Items', 'Get Token', 'Forward'] },
};

function forwardWorkflows(base) {
	return [
		linearWorkflow({ id: VARIANTS.pkg10.id, name: 'Bench forward package 10', items: records, nodes: [thinksurance('Thinksurance', forwardParameters(batching(10, 0)))] }),
		linearWorkflow({ id: VARIANTS.pkg20.id, name: 'Bench forward package default', items: records, nodes: [thinksurance('Thinksurance', forwardParameters())] }),
		linearWorkflow({
			id: VARIANTS.flowA.id,
			name: 'Bench forward flow (a)',
			items: records,
			nodes: [r.tokenNode(base, batching(1, 0)), forwardNode(base, { token: '$json.token', record: "$('One Item per Record').item.json", options: batching(1, 0) })],
		}),
		linearWorkflow({
			id: VARIANTS.flowB.id,
			name: 'Bench forward flow (b)',
			items: records,
			nodes: [r.tokenNode(base, batching(10, 0)), forwardNode(base, { token: '$json.token', record: "$('One Item per Record').item.json", options: batching(10, 0) })],
		}),
		r.graphWorkflow({
			id: VARIANTS.flowC.id,
			name: 'Bench forward flow (c)',
			nodes: [
				r.manualStart(),
				r.tokenNode(base, {}, { executeOnce: true }),
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
		loopWorkflow(VARIANTS.flowD.id, 'Bench forward flow (d)', base, 10),
		loopWorkflow(VARIANTS.flowE.id, 'Bench forward flow (e)', base, 1),
	];
}

async function measureForward(ctx, def, { lastItemNode = def.work[def.work.length - 1] } = {}) {
	await r.resetStats(ctx.standin);
	const result = await r.execute(ctx.n8n, def.id);
	const stats = r.snapshot(ctx.standin);
	const { nodeMs, spanMs } = r.nodeTimes(result.run, def.work);
	return {
		nodeMs,
		spanMs,
		wallMs: result.wallMs,
		requests: stats.total,
		tokenRequests: stats.tokenRequests,
		forwards: stats.requestsByEndpoint['broker.fwd'] ?? 0,
		maxInFlight: stats.maxInFlight,
		outputs: r.outputCount(result.run, lastItemNode === 'Loop Over Items' ? 'Forward' : lastItemNode),
		error: r.runError(result.run),
		peakRssBytes: result.peakRssBytes,
	};
}

function summarise(runs) {
	const pick = (key) => r.median(runs.map((run) => run[key]));
	return {
		runs,
		nodeMs: pick('nodeMs'),
		spanMs: pick('spanMs'),
		wallMs: pick('wallMs'),
		requests: pick('requests'),
		requestsRange: r.range(runs.map((run) => run.requests)),
		tokenRequests: r.range(runs.map((run) => run.tokenRequests)),
		forwards: r.range(runs.map((run) => run.forwards)),
		maxInFlight: Math.max(...runs.map((run) => run.maxInFlight)),
		outputs: Math.min(...runs.map((run) => run.outputs)),
		errors: runs.map((run) => run.error).filter(Boolean),
	};
}

async function run(ctx) {
	const results = {};
	const order = ['pkg10', 'pkg20', 'flowA', 'flowB', 'flowC', 'flowD', 'flowE'];
	const repeat = { flowA: REPEAT, flowE: 1, flowD: Math.min(REPEAT, 2) };
	const picked = process.env.BENCH_FORWARD ? new Set(process.env.BENCH_FORWARD.split(',')) : undefined;
	const firstBodies = {};
	for (let round = 0; round < REPEAT; round += 1) {
		for (const key of order) {
			if (picked && !picked.has(key)) continue;
			if (key === 'flowE' && process.env.BENCH_SKIP_SLOW === '1') continue;
			if (round >= (repeat[key] ?? REPEAT)) continue;
			r.say(`forward ${key} (round ${round + 1})…`);
			const m = await measureForward(ctx, VARIANTS[key]);
			if (round === 0) firstBodies[key] = ctx.standin.rawLog.find((entry) => entry.endpoint === 'broker.fwd' && entry.body?.cExternalId === 'C-0001')?.body;
			r.say(`  node ${r.ms(m.nodeMs)}, span ${r.ms(m.spanMs)}, process ${r.ms(m.wallMs)}, ${m.requests} requests (${m.tokenRequests} token), max in flight ${m.maxInFlight}, ${m.outputs} items${m.error ? `, ERROR ${m.error}` : ''}`);
			(results[key] ??= []).push(m);
		}
	}
	const variants = Object.fromEntries(Object.entries(results).map(([key, runs]) => [key, summarise(runs)]));
	// Same body from package and flow? Compare one forward each.
	const keys = (body) => Object.keys(body ?? {}).sort().join(',');
	const bodies = { pkg: firstBodies.pkg20, flow: firstBodies.flowB, same: keys(firstBodies.pkg20) === keys(firstBodies.flowB) };
	return { variants, bodies };
}

function report(doc, { variants: forward, bodies }) {
	const pkg10 = forward.pkg10;
	const pkg20 = forward.pkg20;
	const floor20 = (ITEMS * r.LATENCY_MS) / 20 + r.LATENCY_MS;
	const floor10 = (ITEMS * r.LATENCY_MS) / 10 + r.LATENCY_MS;
	doc.section(`Broker Forward, ${ITEMS} items`);
	doc.paragraph(`One \`n8n execute\` per run, median of ${REPEAT} runs. Times: **node** = sum of \`runData[node][i].executionTime\` of the nodes that do the work (all runs of them); **span** = first start to last end of those nodes (includes the engine between nodes and loop iterations); **process** = wall time of the whole \`n8n execute\` process (start-up ≈ 4–6 s included). Ratios are package / flow on node time, measured in the same run.`);
	const rows = [];
	for (const [key, v] of Object.entries(forward)) {
		rows.push([
			VARIANTS[key].label,
			`${v.requestsRange} (${v.tokenRequests} token + ${v.forwards} fwd)`,
			String(v.maxInFlight),
			r.ms(v.nodeMs),
			r.ms(v.spanMs),
			r.ms(v.wallMs),
			`${v.outputs}${v.errors.length ? ' ⚠ ' + v.errors[0].slice(0, 80) : ''}`,
			key.startsWith('pkg') || !pkg10 || !pkg20 ? '' : `${r.ratio(pkg10.nodeMs, v.nodeMs)} / ${r.ratio(pkg20.nodeMs, v.nodeMs)}`,
			String(v.runs.length),
		]);
	}
	doc.table(['variant', 'requests to stand-in', 'max in flight', 'node', 'span', 'process', 'items out', 'ratio pkg 10 / pkg default (20) vs this', 'runs'], rows);
	doc.paragraph(`Physical floor: ${ITEMS} × ${r.LATENCY_MS} ms / 10 + one token call = ${r.ms(floor10)}; / 20 + one token call = ${r.ms(floor20)}.`);
	doc.push(
		'How the built-in flows really behave: n8n 2.40.7\'s HTTP Request node (typeVersion 4.2, `HttpRequestV3.node.js`) throttles only by sleeping `batchInterval` ms before every `batchSize`-th item, then awaits all request promises together. With interval 0 the batch size has no effect and every request of the node starts at once — see "max in flight" for (a)–(c), measured at the stand-in. So (a)–(c) are unbounded-parallel flows, not 1 or 10 in flight, and their time is mostly the CPU cost of starting 500 requests, not the 50 ms latency. (d) and (e) are the built-in way to really keep ≤ 10 / 1 requests in flight (Loop Over Items); (d) is the like-for-like comparison with the package at batchSize 10. Flow (a) with the HTTP Request node\'s default interval (1000 ms) would take over 2 × 500 s and was not run.',
	);
	if (bodies?.pkg && bodies?.flow) doc.push(`Request body check: the package sent \`${JSON.stringify(bodies.pkg)}\`; flow (b) sent \`${JSON.stringify(bodies.flow)}\` (same keys: ${bodies.same ? 'yes' : 'NO'}).`);
	doc.push('');
	const b = forward.flowB;
	if (!pkg10 || !pkg20 || !b) return;
	doc.target('N items ⇒ N+1 requests (package)', `default (20): ${pkg20.requestsRange}, batchSize 10: ${pkg10.requestsRange} for N = ${ITEMS} (N when the token stored in the credential by an earlier run was still good)`, Math.max(...pkg10.runs.map((x) => x.requests), ...pkg20.runs.map((x) => x.requests)) <= ITEMS + 1 ? 'met' : 'missed');
	doc.target('default options (20 in flight) faster than flow (b): ratio < 1.0', `${r.ratio(pkg20.nodeMs, b.nodeMs)} (${r.ms(pkg20.nodeMs)} vs ${r.ms(b.nodeMs)})`, pkg20.nodeMs < b.nodeMs ? 'met' : 'missed');
	doc.target('half the requests of flow (b)', `${pkg20.requestsRange} vs ${b.requestsRange} (${r.ratio(pkg20.requests, b.requests)})`, pkg20.requests <= b.requests / 2 + 1 ? 'met' : 'missed');
	doc.target('parallelism 20 ≤ 0.6 × flow (b)', `${r.ratio(pkg20.nodeMs, b.nodeMs)}`, pkg20.nodeMs <= 0.6 * b.nodeMs ? 'met' : 'missed');
	doc.target(`parallelism 20 within 1.3 × floor (${r.ms(floor20)})`, `${r.ms(pkg20.nodeMs)} = ${(pkg20.nodeMs / floor20).toFixed(2)} × floor`, pkg20.nodeMs <= 1.3 * floor20 ? 'met' : 'missed');
	doc.target('(extra) batchSize 10 vs flow (b)', `${r.ratio(pkg10.nodeMs, b.nodeMs)} (${r.ms(pkg10.nodeMs)}; floor at 10 in flight ${r.ms(floor10)})`, pkg10.nodeMs < b.nodeMs ? 'faster' : 'slower');
	if (forward.flowD) doc.target('(extra) batchSize 10 vs flow (d), same ≤10 in flight', `${r.ratio(pkg10.nodeMs, forward.flowD.nodeMs)} on node time, ${r.ratio(pkg10.spanMs, forward.flowD.spanMs)} on span`, pkg10.spanMs < forward.flowD.spanMs ? 'faster' : 'slower');
}

module.exports = {
	key: 'forward',
	ITEMS,
	VARIANTS,
	records,
	forwardParameters,
	batching,
	forwardNode,
	forwardWorkflows,
	setup: (ctx) => ({ workflows: forwardWorkflows(ctx.standin.url) }),
	run,
	report,
};
