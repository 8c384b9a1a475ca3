#!/usr/bin/env node
'use strict';
/**
 * Polling trigger benchmark: one poll of a 5,000-inquiry account where 20 inquiries changed.
 * The poll runs in n8n-core's real PollContext (test/support/polling.ts, one context per
 * activation as n8n keeps it) in a child process with --expose-gc, against the stand-in
 * (50 ms per call) in this process. Reports wall time, requests, heap/RSS growth during the
 * poll and the size of the stored state; also the activation poll that reads all 5,000.
 *
 *   node scripts/bench/poll.js            (standalone: own stand-in, writes bench/POLL.md)
 *   BENCH_ONLY=poll npm run bench         (the same inside bench.js, reusing its stand-in)
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const ACCOUNT = 'acc-demo-0002';
const CHANGED = 20;
const LARGE_ACCOUNT = 5000;
const LATENCY_MS = 50;

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;

/* ------------------------------- child ---------------------------------- */

/** Lets the child require the TypeScript sources (harness, node) as ts-jest would. */
function registerTypeScript() {
	const ts = require('typescript');
	require.extensions['.ts'] = (module, filename) => {
		const source = fs.readFileSync(filename, 'utf8');
		const { outputText } = ts.transpileModule(source, {
			compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
			fileName: filename,
		});
		module._compile(outputText, filename);
	};
	// `Thinksurance.node` must resolve to the .ts source, not the codex `Thinksurance.node.json`:
	// extensions are tried in insertion order, so .json and .node go after .ts.
	for (const extension of ['.json', '.node']) {
		const loader = require.extensions[extension];
		delete require.extensions[extension];
		require.extensions[extension] = loader;
	}
}

async function control(baseUrl, method, route, body) {
	const res = await fetch(`${baseUrl}/__control${route}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return await res.json();
}

async function child(baseUrl) {
	registerTypeScript();
	require(path.join(ROOT, 'test/support/engine-env.ts'));
	const { newCredentialsHelper } = require(path.join(ROOT, 'test/support/harness.ts'));
	const { PollingDriver } = require(path.join(ROOT, 'test/support/polling.ts'));
	const credentials = { environment: 'custom', baseUrl, hash: 'demo-api-user-hash-0001', secret: 'demo-api-user-secret-0001', accountToken: ACCOUNT };
	const driver = new PollingDriver({ events: ['*'], accountToken: '', filters: {}, downloadDocuments: false }, newCredentialsHelper(credentials));

	const measure = async (run) => {
		global.gc();
		global.gc();
		await control(baseUrl, 'DELETE', '/stats');
		const heapBefore = process.memoryUsage().heapUsed;
		const rssBefore = process.memoryUsage().rss;
		let heapPeak = heapBefore;
		let rssPeak = rssBefore;
		const sampler = setInterval(() => {
			const usage = process.memoryUsage();
			heapPeak = Math.max(heapPeak, usage.heapUsed);
			rssPeak = Math.max(rssPeak, usage.rss);
		}, 5);
		const started = performance.now();
		const items = await run();
		const ms = performance.now() - started;
		clearInterval(sampler);
		const usage = process.memoryUsage();
		heapPeak = Math.max(heapPeak, usage.heapUsed);
		rssPeak = Math.max(rssPeak, usage.rss);
		const stats = await control(baseUrl, 'GET', '/stats');
		return {
			ms,
			emitted: items ? items.length : 0,
			requests: stats.total,
			requestsByEndpoint: stats.requestsByEndpoint,
			heapPeakGrowth: heapPeak - heapBefore,
			rssPeakGrowth: rssPeak - rssBefore,
		};
	};

	const activation = await measure(() => driver.activate());
	const state = driver.state.pollState;
	activation.remembered = Object.keys(state.seen).length;
	activation.stateBytes = Buffer.byteLength(JSON.stringify(state));

	// 20 inquiries of the account change their status.
	const health = await control(baseUrl, 'GET', '/health');
	const ids = [];
	for (const id of Object.keys(state.seen).slice(0, CHANGED)) ids.push(Number(id));
	for (const id of ids) {
		const { item } = await control(baseUrl, 'POST', '/inquiry', { inquiryId: id });
		await control(baseUrl, 'POST', '/inquiry', { inquiryId: id, status: item.data.status === 15 ? 6 : 15 });
	}
	const searchBodies = [];
	const poll = await measure(async () => {
		const items = await driver.poll();
		return items;
	});
	const log = await control(baseUrl, 'GET', '/log');
	// V1 sends lastDays in the body, V1.1 in the query string.
	for (const entry of log) {
		if (entry.endpoint !== 'inquiry.search') continue;
		const query = new URL(entry.path ?? entry.rawPath ?? '/', 'http://standin').searchParams.get('lastDays');
		searchBodies.push(query ? { lastDays: Number(query) } : (entry.body ?? {}));
	}
	const after = driver.state.pollState;
	poll.stateBytes = Buffer.byteLength(JSON.stringify(after));
	poll.remembered = Object.keys(after.seen).length;
	poll.lastDays = searchBodies.at(-1)?.lastDays ?? null;
	poll.answered = await answerSize(baseUrl, poll.lastDays);
	process.stdout.write(JSON.stringify({ inquiriesInStandin: health.inquiries, activation, poll, changed: ids.length, fields: after.fields.length }));
}

/** How many inquiries and bytes the poll's search answered (asked again, outside the measurement). */
async function answerSize(baseUrl, lastDays) {
	const token = (await (await fetch(`${baseUrl}/api/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hash: 'demo-api-user-hash-0001', secret: 'demo-api-user-secret-0001' }) })).json()).token;
	const res = await fetch(`${baseUrl}/api/account-ipn/get/${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ aToken: ACCOUNT, ...(lastDays ? { lastDays } : {}) }) });
	const text = await res.text();
	return { inquiries: Object.keys(JSON.parse(text)).length, bytes: Buffer.byteLength(text) };
}

/* ------------------------------- parent --------------------------------- */

function runChild(baseUrl) {
	return new Promise((resolve, reject) => {
		const proc = spawn(process.execPath, ['--expose-gc', __filename, '--child', baseUrl], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
		const parts = [];
		proc.stdout.on('data', (chunk) => parts.push(chunk));
		proc.on('error', reject);
		proc.on('close', (code) => {
			const text = Buffer.concat(parts).toString('utf8');
			if (code !== 0) return reject(new Error(`poll bench child exited ${code}: ${text.slice(-2000)}`));
			resolve(JSON.parse(text.slice(text.indexOf('{'))));
		});
	});
}

function markdown(result) {
	const { activation, poll } = result;
	const row = (name, r, answered) =>
		`| ${name} | ${Math.round(r.ms).toLocaleString('en-US')} ms | ${r.requests} (${Object.entries(r.requestsByEndpoint).map(([k, v]) => `${k} ${v}`).join(', ')}) | ${answered} | ${r.emitted} | ${mb(r.heapPeakGrowth)} | ${mb(r.rssPeakGrowth)} | ${kb(r.stateBytes)} (${r.remembered} inquiries) |`;
	return [
		'## Polling trigger: one poll of a 5,000-inquiry account',
		'',
		`Stand-in with ${LATENCY_MS} ms per call, account \`${ACCOUNT}\` with ${LARGE_ACCOUNT.toLocaleString('en-US')} extra inquiries (iUpdated spread over 60 days). The poll runs in n8n-core's PollContext (Node.js ${process.version}, \`--expose-gc\`); memory is the growth over a GC'd baseline, sampled every 5 ms.`,
		'',
		'| poll | time | requests | inquiries answered | emitted | peak heap growth | peak RSS growth | stored state |',
		'|---|---:|---|---:|---:|---:|---:|---:|',
		row('activation (default window, remembers all)', activation, activation.remembered),
		row(`${result.changed} changed (lastDays ${poll.lastDays ?? 'default'})`, poll, `${poll.answered.inquiries} (${mb(poll.answered.bytes)})`),
		'',
		`State: ${(poll.stateBytes / poll.remembered).toFixed(0)} bytes per remembered inquiry (${result.fields} fields tracked, 2 characters each, plus an 8-character content hash and the day of the last change).`,
	].join('\n');
}

/** The hook bench.js calls with its running stand-in (large account already added). */
async function benchPoll(standin) {
	const result = await runChild(standin.url);
	return { ...result, markdown: markdown(result) };
}

async function main() {
	const { startStandin } = require(path.join(ROOT, 'test/standin/server'));
	const standin = await startStandin({ latencyMs: LATENCY_MS, largeAccount: LARGE_ACCOUNT, logLimit: 20000 });
	try {
		const result = await benchPoll(standin);
		fs.mkdirSync(path.join(ROOT, 'bench'), { recursive: true });
		fs.writeFileSync(path.join(ROOT, 'bench', 'POLL.md'), `${result.markdown}\n`);
		process.stdout.write(`${result.markdown}\n`);
	} finally {
		await standin.close();
	}
}

if (require.main === module) {
	if (process.argv[2] === '--child') {
		child(process.argv[3]).catch((error) => {
			process.stderr.write(`${error.stack || error}\n`);
			process.exit(1);
		});
	} else {
		main().catch((error) => {
			process.stderr.write(`${error.stack || error}\n`);
			process.exitCode = 1;
		});
	}
}

module.exports = {
	benchPoll,
	// As one of scripts/bench.js's benchmark modules (see scripts/bench/runner.js).
	key: 'poll',
	run: (ctx) => benchPoll(ctx.standin),
	report(doc, result) {
		if (!result?.markdown) return;
		doc.sections += 1;
		doc.push(result.markdown.replace(/^## /, `## ${doc.sections}. `), '');
	},
};
