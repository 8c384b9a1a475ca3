'use strict';
/**
 * Inquiry search of 5,000 inquiries: wall time and peak RSS of the `n8n execute` process,
 * package versus HTTP Request (token + search) + Code node, beside a baseline and a Code node
 * that only emits items of the same shape; and the package's search code alone with --expose-gc.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

const { linearWorkflow, thinksurance } = require('../lib/workflows');
const { HASH, LARGE_ACCOUNT, ROOT, SECRET, execute, httpNode, mb, median, ms, nodeTimes, outputCount, range, ratio, request, resetStats, runError, say, snapshot, table, tokenNode } = require('./runner');

const SEARCH_CODE = `const out = [];
for (const item of $input.all()) {
  for (const [id, inquiry] of Object.entries(item.json)) {
    out.push({ json: { inquiryId: Number(id), sHash: inquiry.sHash, data: inquiry.data, customer: inquiry.customer, docs: inquiry.docs } });
  }
}
return out;`;

const variantsFor = (searchSize) => ({
	baseline: { id: 'tsBenchBaseline1', label: 'baseline (manual trigger + Set, nothing big)', work: ['Set'] },
	pkg: { id: 'tsBenchSearchPkg', label: 'package Inquiry → Search', work: ['Thinksurance'] },
	flow: { id: 'tsBenchSearchFlw', label: 'HTTP token + HTTP search + Code split', work: ['Get Token', 'Search', 'Split by ID'] },
	reference: {
		id: 'tsBenchSearchRef',
		label: `reference: Code node emitting ${searchSize.inquiries} items of the same shape (no HTTP)`,
		work: ['Emit Items'],
	},
});

function searchWorkflows(base, searchSize, search) {
	return [
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
	];
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
		const { jsonEntries } = require(${JSON.stringify(path.join(ROOT, 'dist/nodes/shared/api/jsonStream.js'))});
		const { parseInquiryCollection } = require(${JSON.stringify(path.join(ROOT, 'dist/nodes/shared/domain/responses.js'))});
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

function report(doc, search, state) {
	if (!search) return;
	// A carried-over result brings its own size; the labels do not depend on the run.
	const searchSize = state.searchSize ?? search.searchSize;
	const variants = state.variants ?? variantsFor(searchSize);
	const base = search.baseline;
	const growth = (r) => r.peakRssBytes - base.peakRssBytes;
	doc.section(`Inquiry search, ${LARGE_ACCOUNT.toLocaleString('en-US')} inquiries (acc-demo-0002)`);
	doc.push(`Search response from the stand-in: ${mb(searchSize.bytes)} JSON (${searchSize.bytes.toLocaleString('en-US')} bytes, ${searchSize.inquiries} inquiries). Peak RSS = "Maximum resident set size" of \`/usr/bin/time -v n8n execute …\` (the largest process of that tree: n8n itself). Median of ${base.runs.length} runs.`);
	doc.push('');
	const during = (r) => (r.growthDuringWorkBytes === undefined ? '?' : `${mb(r.growthDuringWorkBytes)} = ${(r.growthDuringWorkBytes / searchSize.bytes).toFixed(2)} ×`);
	doc.push(
		table(
			['variant', 'requests', 'items out', 'node', 'process', 'growth while the node(s) ran (/ JSON size)', 'peak RSS of the run', 'run peak vs baseline', 'run peak growth / JSON size', 'ratio pkg/flow'],
			['baseline', 'pkg', 'flow', 'reference'].map((key) => {
				const r = search[key];
				return [
					variants[key].label,
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
	doc.push('');
	doc.push('"Growth while the node(s) ran": RSS of the n8n process sampled every 5 ms; the highest value between the start of the first work node and the end of the last one (times from n8n\'s run data), minus the RSS at that start. "Peak RSS of the run" also contains what n8n does with the items afterwards: keeping the run data, saving the execution to SQLite and printing `--rawOutput`.');
	doc.push('');
	doc.push(`Per-run peak RSS: ${['baseline', 'pkg', 'flow', 'reference'].map((k) => `${k} ${search[k].runs.map((r) => mb(r.peakRssBytes)).join(', ')}`).join('; ')}. The \`--rawOutput\` JSON printed by each run: package ${mb(search.pkg.stdoutBytes)}, flow ${mb(search.flow.stdoutBytes)} (its serialisation is part of both peaks).`);
	doc.push('');
	const own = growth(search.pkg) - growth(search.reference);
	doc.push(`The reference run is what n8n itself spends on ${searchSize.inquiries} items of this size (holding the run data, saving the execution to SQLite, printing \`--rawOutput\`); the package's run peak beyond it is ${mb(own)} = ${(own / searchSize.bytes).toFixed(2)} × the JSON size.`);
	doc.push('');
	const iso = search.isolated;
	if (iso) {
		doc.push(`The package's search code alone (compiled stream parser + item builder in Node.js ${search.isolatedNode ?? 'of n8n'} with \`--expose-gc\`, same answer as a stream, ${iso.items} items): heap growth at most ${mb(iso.peakGrowth)} = ${(iso.peakGrowth / iso.bytes).toFixed(2)} × the JSON size while reading (measured between chunks), ${mb(iso.retained)} = ${(iso.retained / iso.bytes).toFixed(2)} × retained by the output items after a full GC. The RSS growth above is V8 heap sizing around that (the Code node that only creates the same items grows as much).`);
		doc.push('');
	}
	const nodeGrowth = search.pkg.growthDuringWorkBytes;
	doc.target(
		'search peak memory growth ≤ 4 × JSON size',
		`package code alone: ${iso ? `${(iso.peakGrowth / iso.bytes).toFixed(2)} × peak heap, ${(iso.retained / iso.bytes).toFixed(2)} × retained` : '?'}; RSS while the node runs: ${nodeGrowth === undefined ? '?' : `${(nodeGrowth / searchSize.bytes).toFixed(2)} ×`} (Code-node reference ${search.reference.growthDuringWorkBytes === undefined ? '?' : `${(search.reference.growthDuringWorkBytes / searchSize.bytes).toFixed(2)} ×`}); whole run incl. n8n saving/printing: ${(growth(search.pkg) / searchSize.bytes).toFixed(2)} × (n8n's reference for the same items: ${(growth(search.reference) / searchSize.bytes).toFixed(2)} ×)`,
		nodeGrowth !== undefined && nodeGrowth <= 4 * searchSize.bytes
			? 'met while the node runs; missed for the whole run (n8n\'s own handling of 5,000 items)'
			: iso && iso.peakGrowth <= 4 * iso.bytes
				? 'met by the package\'s code (heap); missed as process RSS, where n8n\'s own Code-node reference is no better'
				: 'missed',
	);
	doc.target('(extra) search node time vs flow', `${ratio(search.pkg.nodeMs, search.flow.nodeMs)}`, search.pkg.nodeMs <= search.flow.nodeMs ? 'faster' : 'slower');
}


module.exports = {
	key: 'search',
	async setup(ctx) {
		const searchSize = await searchResponseSize(ctx.standin);
		const variants = variantsFor(searchSize);
		return { searchSize, variants, workflows: searchWorkflows(ctx.standin.url, searchSize, variants) };
	},
	async run(ctx, { variants, searchSize }) {
		return { ...(await benchSearch(ctx.n8n, ctx.standin, variants)), searchSize: { bytes: searchSize.bytes, inquiries: searchSize.inquiries } };
	},
	report,
};
