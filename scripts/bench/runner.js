'use strict';
/**
 * The shared part of `npm run bench`: the stand-in, one n8n (packed package installed,
 * credential and every benchmark's workflows imported), `n8n execute` runs under
 * /usr/bin/time, an `n8n start` server for webhook benchmarks, timing helpers and the report.
 * A benchmark is a module (see scripts/bench.js for the list) exporting:
 *
 *   key                          its name in BENCH_ONLY
 *   async setup(ctx)             optional: { workflows: [...], ...state } to import before any run
 *   async run(ctx, state)        measures; returns a JSON-able result (kept in results.json)
 *   report(doc, result, state, ctx)  writes its section(s) into bench/RESULTS.md
 *
 * ctx: { n8n, standin, env, line, results (by key, of the benchmarks run before) }.
 * Environment: BENCH_ONLY (keys, comma-separated; default all), BENCH_N8N_LINE (2, default,
 * or 1: n8n 1.x, written to bench/RESULTS-n8n1.md), TSN_SKIP_BUILD=1 (pack dist/ as it is);
 * each benchmark documents its own switches.
 */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');

const { N8nInstance, packPackage, request, ROOT } = require('../lib/n8n');
const { credential } = require('../lib/workflows');
const { startStandin } = require('../../test/standin/server');

const LATENCY_MS = 50;
const LARGE_ACCOUNT = 5000;
const HASH = 'demo-api-user-hash-0001';
const SECRET = 'demo-api-user-secret-0001';
const OUT_DIR = path.join(ROOT, 'bench');
const TIME_BIN = '/usr/bin/time';

const say = (message) => process.stderr.write(`[bench] ${message}\n`);
const sleepMs = (duration) => new Promise((resolve) => setTimeout(resolve, duration));
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

function table(headers, rows) {
	const lines = [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`];
	for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
	return lines.join('\n');
}

/* ------------------------------------------------------------------------ */
/* Workflows of built-in nodes                                              */
/* ------------------------------------------------------------------------ */

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

const manualStart = () => ({ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} });

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

/** `n8n <args>`, or `node <nodeArgs> n8n <args>` (Node.js 20 refuses --cpu-prof in NODE_OPTIONS). */
function n8nCommand(n8n, args, nodeArgs = []) {
	return nodeArgs.length ? [path.join(n8n.n8n.binDir, 'node'), [...nodeArgs, n8n.n8n.bin, ...args]] : [n8n.n8n.bin, args];
}

/** One `n8n execute --id … --rawOutput` in its own process; peak RSS from GNU time. */
function execute(n8n, workflowId, { env = {}, nodeArgs = [], sampleRss = false } = {}) {
	const childEnv = n8n.env({ N8N_RUNNERS_BROKER_PORT: String(n8n.cliBrokerPort), ...env });
	const useTime = fs.existsSync(TIME_BIN);
	const [bin, binArgs] = n8nCommand(n8n, ['execute', `--id=${workflowId}`, '--rawOutput'], nodeArgs);
	const [command, args] = useTime ? [TIME_BIN, ['-v', bin, ...binArgs]] : [bin, binArgs];
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

function outputCount(run, name) {
	const runs = run?.data?.resultData?.runData?.[name] ?? [];
	return runs.reduce((total, task) => total + (task.data?.main?.[0]?.length ?? 0), 0);
}

function runError(run) {
	const error = run?.data?.resultData?.error;
	return error ? error.message || JSON.stringify(error).slice(0, 300) : undefined;
}

/* ------------------------------------------------------------------------ */
/* Stand-in and server                                                      */
/* ------------------------------------------------------------------------ */

async function resetStats(standin) {
	await request('DELETE', `${standin.url}/__control/stats`);
	await request('DELETE', `${standin.url}/__control/log`);
}

const snapshot = (standin) => JSON.parse(JSON.stringify(standin.stats));

/**
 * `n8n start` with extra environment (e.g. isolate pool settings) and Node.js options (--cpu-prof),
 * logged in, the given workflows activated; stopped after `fn` whatever happens.
 */
async function withServer(ctx, { env = {}, nodeArgs = [], activate = [] }, fn) {
	const { n8n } = ctx;
	if (nodeArgs.length) {
		// What N8nInstance.start does, with Node.js options in front of n8n's script.
		const [command, args] = n8nCommand(n8n, ['start'], nodeArgs);
		const out = fs.openSync(n8n.logFile, 'a');
		const child = spawn(command, args, { env: n8n.env(env), stdio: ['ignore', out, out] });
		n8n.processes.push(child);
		await n8n.waitReady(n8n.port, child);
		await n8n.waitForRest(child);
	} else {
		await n8n.start('start', { env });
	}
	await n8n.login();
	try {
		for (const id of activate) await n8n.activate(id);
		await sleepMs(1000);
		return await fn();
	} finally {
		await n8n.stop();
	}
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

/** The markdown document: numbered sections, free text, tables, and the targets table at the end. */
class Report {
	constructor() {
		this.lines = [];
		this.targets = [];
		this.sections = 0;
	}

	section(title) {
		this.sections += 1;
		this.push(`## ${this.sections}. ${title}`, '');
	}

	push(...lines) {
		this.lines.push(...lines);
	}

	paragraph(text) {
		this.push(text, '');
	}

	table(headers, rows) {
		this.push(table(headers, rows), '');
	}

	/** One row of "Targets from the issue": what, the figure, met / missed. */
	target(what, measured, result) {
		this.targets.push([what, measured, result]);
	}
}

function header(doc, env, elapsedMs) {
	doc.push('# Benchmark results: n8n-nodes-thinksurance vs. built-in n8n nodes', '');
	doc.paragraph(`Generated by \`npm run bench\` (scripts/bench.js${env.only ? `, BENCH_ONLY=${env.only}` : ''}) on ${env.date}, total run ${Math.round(elapsedMs / 1000)} s.`);
	doc.push(`Machine: ${env.nproc} CPUs (${env.model}), ${env.ramGb} GB RAM, Linux ${env.kernel}. n8n ${env.n8nVersion} on Node.js ${env.n8nNode} (SQLite); bench runner and stand-in on Node.js ${env.benchNode}, same machine. Load average (1/5/15 min) at the start: ${env.loadBefore}, at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' / ')} (other processes may run on this machine; absolute times are noisy, ratios measured in the same run less so).`);
	doc.paragraph(`Package measured: ${env.source}, built and packed by the run. Thinksurance stand-in (test/standin) with ${LATENCY_MS} ms latency on every API call.`);
}

/**
 * Previous results of the benchmarks not run now, with the environment they ran in. Also reads
 * the results.json the single-file bench.js wrote before the split (forward, search, profile).
 */
function carriedOver(file, benchmarks, only) {
	if (!fs.existsSync(file)) return {};
	let saved;
	try {
		saved = JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return {};
	}
	const legacy = !saved.envs;
	const out = {};
	for (const { key } of benchmarks) {
		if (only.includes(key)) continue;
		let result = saved[key];
		if (legacy) {
			// The single-file bench.js: other shapes, and its trigger results are not comparable.
			if (key === 'forward' && saved.forward) result = { variants: saved.forward, bodies: saved.bodies };
			else if (key === 'search' && saved.search) result = { ...saved.search, searchSize: saved.searchSize };
			else if (key !== 'profile') result = undefined;
		}
		if (result) out[key] = { result, env: legacy ? saved.env : (saved.envs[key] ?? saved.env) };
	}
	return out;
}

/** Runs the registered benchmarks that BENCH_ONLY selects, in their order, and writes the report. */
async function main(benchmarks) {
	const began = Date.now();
	const keys = benchmarks.map((b) => b.key);
	const only = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',').map((k) => k.trim()) : keys;
	const unknown = only.filter((k) => !keys.includes(k));
	if (unknown.length) throw new Error(`BENCH_ONLY names unknown benchmarks: ${unknown.join(', ')} (known: ${keys.join(', ')})`);
	const selected = benchmarks.filter((b) => only.includes(b.key));
	const line = process.env.BENCH_N8N_LINE || '2';
	// No pooled sockets: the synchronous n8n CLI calls block this process longer than the
	// stand-in's keep-alive timeout, and a reused socket would then be reset.
	http.globalAgent = new http.Agent({ keepAlive: false });
	fs.mkdirSync(OUT_DIR, { recursive: true });
	say(`stand-in with ${LATENCY_MS} ms latency, large account ${LARGE_ACCOUNT}…`);
	const standin = await startStandin({ latencyMs: LATENCY_MS, largeAccount: LARGE_ACCOUNT, logLimit: 20000 });
	// `n8n execute --rawOutput` prints the run through its logger at level info: lower levels hide it.
	const n8n = await new N8nInstance({ line, logLevel: 'info' }).init();
	let exitCode = 0;
	try {
		const source = packageSource();
		say(`n8n ${n8n.n8n.version}; packing the package (${source})…`);
		n8n.installPackage(packPackage({ build: process.env.TSN_SKIP_BUILD !== '1' }));
		const env = { ...machine(n8n), source, only: process.env.BENCH_ONLY };
		const ctx = { n8n, standin, env, line, results: {} };
		const states = {};
		const workflows = new Map();
		for (const benchmark of selected) {
			states[benchmark.key] = (await benchmark.setup?.(ctx)) ?? {};
			for (const workflow of states[benchmark.key].workflows ?? []) workflows.set(workflow.id, workflow);
		}
		n8n.importCredentials([credential(standin.url)]);
		n8n.importWorkflows([...workflows.values()]);

		for (const benchmark of selected) {
			say(`— ${benchmark.key} —`);
			ctx.results[benchmark.key] = await benchmark.run(ctx, states[benchmark.key]);
		}

		// With BENCH_ONLY the other benchmarks' sections are carried over from the previous results, marked as such.
		const suffix = line === '2' ? '' : `-n8n${line}`;
		const carried = process.env.BENCH_ONLY ? carriedOver(path.join(OUT_DIR, `results${suffix}.json`), benchmarks, only) : {};
		const doc = new Report();
		header(doc, env, Date.now() - began);
		for (const benchmark of benchmarks) {
			if (only.includes(benchmark.key)) {
				benchmark.report(doc, ctx.results[benchmark.key], states[benchmark.key], ctx);
			} else if (carried[benchmark.key]) {
				const { result, env: then } = carried[benchmark.key];
				const at = doc.lines.length;
				benchmark.report(doc, result, {}, { ...ctx, env: then, results: {} });
				if (doc.lines.length > at) doc.lines.splice(at + 2, 0, `*From the run of ${then.date} (${then.source}, n8n ${then.n8nVersion}, load at start ${then.loadBefore}), which this run did not repeat.*`, '');
				ctx.results[benchmark.key] = result;
				(env.carried ??= {})[benchmark.key] = then;
			}
		}
		doc.push('## Targets from the issue (reported, not asserted)', '');
		doc.table(['target', 'measured', 'result'], doc.targets);
		const markdown = doc.lines.join('\n');
		fs.writeFileSync(path.join(OUT_DIR, `RESULTS${suffix}.md`), `${markdown}\n`);
		const envs = Object.fromEntries(Object.keys(ctx.results).map((key) => [key, env.carried?.[key] ?? env]));
		fs.writeFileSync(path.join(OUT_DIR, `results${suffix}.json`), `${JSON.stringify({ env, envs, ...ctx.results }, null, 2)}\n`);
		process.stdout.write(`${markdown}\n`);
		say(`wrote bench/RESULTS${suffix}.md in ${Math.round((Date.now() - began) / 1000)} s`);
	} catch (error) {
		exitCode = 1;
		process.stderr.write(`${error.stack || error}\n`);
	} finally {
		await n8n.stop();
		await standin.close();
	}
	process.exitCode = exitCode;
}

module.exports = {
	LATENCY_MS,
	LARGE_ACCOUNT,
	HASH,
	SECRET,
	ROOT,
	say,
	sleepMs,
	median,
	percentile,
	ms,
	ratio,
	range,
	mb,
	table,
	httpNode,
	tokenNode,
	graphWorkflow,
	manualStart,
	execute,
	nodeTimes,
	outputCount,
	runError,
	resetStats,
	snapshot,
	withServer,
	request,
	Report,
	carriedOver,
	main,
};
