'use strict';
/**
 * Adaptive parallelism (issue 22): Broker Forward of 500 items with default options (the
 * package finds the pace) against
 *   1. no capacity limit: the hand-built flow of two HTTP Request nodes, batching off (every
 *      request at once);
 *   2. stand-in capacity 30 (beyond 30 in flight slower, beyond 60 HTTP 503): fixed Batching
 *      5, 10, 20, 30, 40, 50, 60 (the option's maximum is 50: 60 runs as 50);
 *   3. capacity dropping from 30 to 10 when half the forwards have arrived: the package and a
 *      fixed Batching of 40; 503 count and the in-flight trace at the stand-in;
 *   4. what the pace costs the triggers: one report per exchange with nobody observing.
 * One `n8n execute` per row, same machine, same stand-in (50 ms per call).
 */
const path = require('node:path');

const { linearWorkflow, thinksurance } = require('../lib/workflows');
const forward = require('./forward');
const r = require('./runner');

const SWEEP = [5, 10, 20, 30, 40, 50, 60];
const CAPACITY = 30;
const DROPPED = 10;

const ID = {
	adaptive: 'tsBenchPaceAdapt',
	flow: 'tsBenchPaceFlowU',
	fixed: (size) => `tsBenchPaceFix${String(size).padStart(3, '0')}`,
};

function workflows(base) {
	const pkg = (id, name, options) => linearWorkflow({ id, name, items: forward.records, nodes: [thinksurance('Thinksurance', forward.forwardParameters(options))] });
	return [
		pkg(ID.adaptive, 'Bench pace package default', {}),
		...SWEEP.map((size) => pkg(ID.fixed(size), `Bench pace package batch ${size}`, forward.batching(size, 0))),
		linearWorkflow({
			id: ID.flow,
			name: 'Bench pace flow unbounded',
			items: forward.records,
			nodes: [r.tokenNode(base, {}), forward.forwardNode(base, { token: '$json.token', record: "$('One Item per Record').item.json", options: {} })],
		}),
	];
}

/** One execute with the stand-in at `capacity`; `during(stats)` is polled every 5 ms while it runs. */
async function measure(ctx, id, work, { capacity = 0, during } = {}) {
	const { standin } = ctx;
	standin.configure({ capacity });
	await r.resetStats(standin);
	let polling = true;
	const poller = (async () => {
		while (polling) {
			during?.(standin.stats);
			await r.sleepMs(5);
		}
	})();
	let result;
	try {
		result = await r.execute(ctx.n8n, id);
	} finally {
		polling = false;
		await poller;
	}
	const stats = r.snapshot(standin);
	standin.configure({ capacity: 0 });
	const { nodeMs } = r.nodeTimes(result.run, work);
	return {
		nodeMs,
		requests: stats.total,
		tokenRequests: stats.tokenRequests,
		forwards: stats.requestsByEndpoint['broker.fwd'] ?? 0,
		capacity503: stats.capacity503,
		maxInFlight: stats.maxInFlight,
		outputs: r.outputCount(result.run, work[work.length - 1]),
		error: r.runError(result.run),
		trace: stats.inFlightTrace,
	};
}

/** The trace in 100 ms bins: the most in flight and the capacity of each bin. */
function binned(trace, binMs = 100) {
	if (!trace?.length) return [];
	const start = trace[0].t;
	const bins = [];
	for (const sample of trace) {
		const index = Math.floor((sample.t - start) / binMs);
		const bin = (bins[index] ??= { t: index * binMs, maxInFlight: 0, capacity: sample.capacity });
		bin.maxInFlight = Math.max(bin.maxInFlight, sample.inFlight);
		bin.capacity = sample.capacity;
	}
	return bins.filter(Boolean);
}

/** The cost of reporting an exchange nobody observes (every trigger request), from the built package. */
function reportCost() {
	const { reportAnswer } = require(path.join(r.ROOT, 'dist/nodes/shared/api/pace.js'));
	const ctx = {};
	const signal = { call: 'inquiryGet', startedAt: 0, durationMs: 50, load: 'answered' };
	const rounds = 1_000_000;
	for (let i = 0; i < 10_000; i++) reportAnswer(ctx, signal);
	const began = process.hrtime.bigint();
	for (let i = 0; i < rounds; i++) reportAnswer(ctx, signal);
	return Number(process.hrtime.bigint() - began) / rounds;
}

const say = (label, m) => r.say(`  ${label}: node ${r.ms(m.nodeMs)}, ${m.requests} requests, ${m.capacity503} × 503, max in flight ${m.maxInFlight}, ${m.outputs} items${m.error ? `, ERROR ${m.error}` : ''}`);
const PKG = ['Thinksurance'];
const FLOW = ['Get Token', 'Forward'];

async function run(ctx) {
	const out = { sweep: {} };
	r.say('pace: no capacity limit…');
	out.adaptiveFree = await measure(ctx, ID.adaptive, PKG);
	say('package, default (adaptive)', out.adaptiveFree);
	out.flowFree = await measure(ctx, ID.flow, FLOW);
	say('flow, unbounded', out.flowFree);

	r.say(`pace: capacity ${CAPACITY}…`);
	out.adaptiveCap = await measure(ctx, ID.adaptive, PKG, { capacity: CAPACITY });
	say('package, default (adaptive)', out.adaptiveCap);
	for (const size of SWEEP) {
		out.sweep[size] = await measure(ctx, ID.fixed(size), PKG, { capacity: CAPACITY });
		say(`package, Batching ${size}`, out.sweep[size]);
	}

	r.say(`pace: capacity ${CAPACITY} → ${DROPPED} halfway…`);
	const drop = (into) => {
		let dropped = false;
		return (stats) => {
			if (!dropped && (stats.requestsByEndpoint?.['broker.fwd'] ?? 0) >= forward.ITEMS / 2) {
				dropped = true;
				ctx.standin.configure({ capacity: DROPPED });
				into.droppedAt = stats.inFlightTrace?.length ? stats.inFlightTrace[stats.inFlightTrace.length - 1].t : undefined;
			}
		};
	};
	out.dropAdaptive = {};
	Object.assign(out.dropAdaptive, await measure(ctx, ID.adaptive, PKG, { capacity: CAPACITY, during: drop(out.dropAdaptive) }));
	say('package, default (adaptive)', out.dropAdaptive);
	out.dropFixed = {};
	Object.assign(out.dropFixed, await measure(ctx, ID.fixed(40), PKG, { capacity: CAPACITY, during: drop(out.dropFixed) }));
	say('package, Batching 40', out.dropFixed);

	out.reportNs = reportCost();
	r.say(`  reportAnswer without an observer: ${out.reportNs.toFixed(0)} ns`);
	for (const key of ['adaptiveFree', 'flowFree', 'adaptiveCap', 'dropAdaptive', 'dropFixed']) out[key].bins = binned(out[key].trace);
	for (const m of [out.adaptiveFree, out.flowFree, out.adaptiveCap, out.dropAdaptive, out.dropFixed, ...Object.values(out.sweep)]) delete m.trace;
	return out;
}

const row = (label, m) => [label, r.ms(m.nodeMs), `${m.requests} (${m.tokenRequests} token)`, String(m.capacity503), String(m.maxInFlight), `${m.outputs}${m.error ? ` ⚠ ${m.error.slice(0, 60)}` : ''}`];

function traceText(m) {
	return m.bins.map((bin) => `${(bin.t / 1000).toFixed(1)}s:${bin.maxInFlight}${bin.capacity !== m.bins[0].capacity ? `/${bin.capacity}` : ''}`).join(' ');
}

function report(doc, out) {
	if (!out?.adaptiveFree) return;
	const headers = ['case', 'node time', 'requests', '503s', 'max in flight (stand-in)', 'items out'];
	doc.section(`Adaptive parallelism: Broker Forward, ${forward.ITEMS} items`);
	doc.paragraph('Default options: the package starts at 20 in flight and finds the pace (nodes/Thinksurance/actions/limiter.ts, TCP Vegas as in Netflix concurrency-limits, ceiling 50). One `n8n execute` per row, node time as in the Broker Forward section.');
	doc.push('**No capacity limit** (50 ms per call):', '');
	doc.table(headers, [row('package, default options', out.adaptiveFree), row('hand-built flow: HTTP token + HTTP forward per item, batching off (all at once)', out.flowFree)]);
	const best = Object.entries(out.sweep).reduce((a, b) => (b[1].nodeMs < a[1].nodeMs ? b : a));
	doc.push(`**Capacity ${CAPACITY}** (up to ${CAPACITY} in flight 50 ms, up to ${2 * CAPACITY} slower by in-flight/${CAPACITY}, beyond that 503 with Retry-After: 1). Batching 60 runs as 50, the option's maximum:`, '');
	doc.table(headers, [row('package, default options', out.adaptiveCap), ...Object.entries(out.sweep).map(([size, m]) => row(`package, Batching ${size}, interval 0`, m))]);
	doc.push(`**Capacity ${CAPACITY} → ${DROPPED}** when ${forward.ITEMS / 2} forwards have arrived:`, '');
	doc.table(headers, [row('package, default options', out.dropAdaptive), row('package, Batching 40', out.dropFixed)]);
	doc.paragraph(`In-flight trace at the stand-in (most in flight per 100 ms; "/10" marks bins after the drop): package default: ${traceText(out.dropAdaptive)}. Batching 40: ${traceText(out.dropFixed)}.`);
	doc.paragraph(`Trigger and polling trigger: they never create a limit; every exchange of theirs costs one report nobody observes, ${out.reportNs.toFixed(0)} ns (a WeakMap lookup), against a 50 ms call.`);
	doc.target('no limit: package ≤ 0.7 × the unbounded flow', `${r.ratio(out.adaptiveFree.nodeMs, out.flowFree.nodeMs)} (${r.ms(out.adaptiveFree.nodeMs)} vs ${r.ms(out.flowFree.nodeMs)}; ${out.adaptiveFree.requests} vs ${out.flowFree.requests} requests)`, out.adaptiveFree.nodeMs <= 0.7 * out.flowFree.nodeMs ? 'met' : 'missed');
	doc.target(`capacity ${CAPACITY}: zero 503s to the package`, String(out.adaptiveCap.capacity503), out.adaptiveCap.capacity503 === 0 ? 'met' : 'missed');
	doc.target(`capacity ${CAPACITY}: within 1.2 × the best fixed Batching (${best[0]})`, `${r.ratio(out.adaptiveCap.nodeMs, best[1].nodeMs)} (${r.ms(out.adaptiveCap.nodeMs)} vs ${r.ms(best[1].nodeMs)})`, out.adaptiveCap.nodeMs <= 1.2 * best[1].nodeMs ? 'met' : 'missed');
	doc.target(`capacity ${CAPACITY} → ${DROPPED}: follows it down without 503 storms`, `${out.dropAdaptive.capacity503} × 503 (Batching 40: ${out.dropFixed.capacity503})`, out.dropAdaptive.capacity503 <= 10 ? 'met' : 'missed');
}

module.exports = {
	key: 'pace',
	setup: (ctx) => ({ workflows: workflows(ctx.standin.url) }),
	run,
	report,
};
