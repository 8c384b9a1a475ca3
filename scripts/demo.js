#!/usr/bin/env node
'use strict';
/**
 * `npm run demo`: a real n8n 2.x with this package installed, talking to the local
 * Thinksurance stand-in, with the example workflows of `examples/` imported and the
 * notification example active. Dev tooling only; never shipped.
 *
 *   npm run demo                      editor on http://127.0.0.1:5678, stand-in on :3456
 *   DEMO_PORT=5700 DEMO_STANDIN_PORT=3500 npm run demo
 *   DEMO_RUN_EXAMPLES=0 npm run demo  skip running the two action examples once
 *
 * The n8n user folder `.n8n-local/demo` persists (owner, workflows, executions), so a
 * second run starts faster and logs the same owner in. Ctrl-C stops n8n and the stand-in.
 *
 * `startDemo()` is exported for the browser check (headless: random ports, temp folder).
 * This process hosts the stand-in: after it starts, nothing here may block the event loop
 * (no spawnSync), or n8n's calls to the stand-in would hang.
 */
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const { ROOT, OWNER, ensureN8n, packPackage, freePort, N8nInstance } = require('./lib/n8n');
const { credential, CREDENTIAL_ID, nodeOutput, nodeError } = require('./lib/workflows');
const { startStandin } = require('../test/standin/server');

const EXAMPLES_DIR = path.join(ROOT, 'examples');
const EXAMPLES = {
	forward: 'tsExBrokerFwd001',
	summary: 'tsExInqSummary01',
	trigger: 'tsExNotifyDocs01',
};
/** The broker the trigger example registers its callback on, and an inquiry of that broker (with files). */
const DEMO_BROKER = 'brk-demo-0001';
const DEMO_INQUIRY = 1878880;

/** Stop functions of demos being set up or running, so a signal during setup still cleans up. */
const running = new Set();

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function makeLogger(quiet) {
	return (message) => {
		if (!quiet) process.stdout.write(`[demo] ${message}\n`);
	};
}

async function timed(say, label, fn) {
	say(`${label}…`);
	const started = Date.now();
	const result = await fn();
	say(`${label}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return result;
}

/** Rejects with a helpful message when something already listens on the port. */
function assertPortFree(port, what, envName) {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', (err) => {
			const hint = envName ? ` Stop it or choose another port with ${envName}=…` : '';
			reject(new Error(`${what}: port ${port} is not free (${err.code}).${hint}`));
		});
		server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
	});
}

/** The workflows of examples/*.json, with the credential pointed at the given one. */
function loadExamples(credentialId = CREDENTIAL_ID) {
	const files = fs.readdirSync(EXAMPLES_DIR).filter((name) => name.endsWith('.json')).sort();
	return files.map((name) => {
		const workflow = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, name), 'utf8'));
		for (const node of workflow.nodes) {
			if (node.credentials?.thinksuranceApi) node.credentials.thinksuranceApi.id = credentialId;
		}
		return workflow;
	});
}

/** `n8n import:*` without blocking this process. */
async function importAsync(n8n, kind, items) {
	const file = path.join(n8n.userFolder, `import-${kind}.json`);
	fs.writeFileSync(file, JSON.stringify(items, null, 2));
	const result = await n8n.cliAsync([`import:${kind}`, `--input=${file}`]);
	fs.rmSync(file, { force: true });
	if (result.status !== 0) throw new Error(`n8n import:${kind} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
}

async function waitFor(check, { timeoutMs = 30_000, intervalMs = 250, what = 'condition' } = {}) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const value = await check();
		if (value) return value;
		await sleep(intervalMs);
	}
	throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

/** Activates a workflow; one that is active already (a re-run) counts as done. */
async function activate(n8n, workflowId) {
	try {
		await n8n.activate(workflowId);
	} catch (error) {
		const workflow = await n8n.rest('GET', `/workflows/${workflowId}`);
		if (!workflow.active) throw error;
	}
}

function summarizeRun(run, nodeName) {
	const error = nodeError(run, nodeName);
	if (error) return `failed: ${error.message ?? JSON.stringify(error).slice(0, 200)}`;
	const items = nodeOutput(run, nodeName) ?? [];
	return `${items.length} item(s)`;
}

/**
 * Starts the stand-in and an n8n with the package and the examples.
 * @param {object} [options]
 * @param {boolean} [options.headless]       quiet, random ports, temp user folder (for checks)
 * @param {number} [options.port]            n8n port (default DEMO_PORT or 5678; headless: random)
 * @param {number} [options.standinPort]     stand-in port (default DEMO_STANDIN_PORT or 3456; headless: random)
 * @param {string} [options.userFolder]      n8n user folder (default .n8n-local/demo; headless: temp)
 * @param {boolean} [options.build=true]     build before packing
 * @param {boolean} [options.runExamples]    run the two action examples once (default: not headless)
 * @param {boolean} [options.quiet]          no progress output (default: headless)
 * @returns {Promise<{n8n: N8nInstance, standin: object, workflows: typeof EXAMPLES, callbackUrl: string, timings: object, stop: () => Promise<void>}>}
 */
async function startDemo(options = {}) {
	const headless = Boolean(options.headless);
	const quiet = options.quiet ?? headless;
	const say = makeLogger(quiet);
	const runExamples = options.runExamples ?? (!headless && process.env.DEMO_RUN_EXAMPLES !== '0');
	const port = options.port ?? (headless ? await freePort() : Number(process.env.DEMO_PORT || 5678));
	const standinPort = options.standinPort ?? (headless ? 0 : Number(process.env.DEMO_STANDIN_PORT || 3456));
	const userFolder = options.userFolder ?? (headless ? fs.mkdtempSync(path.join(os.tmpdir(), 'tsn-demo-')) : path.join(ROOT, '.n8n-local', 'demo'));
	const timings = {};
	const started = Date.now();

	await assertPortFree(port, 'n8n', headless ? undefined : 'DEMO_PORT');
	if (standinPort) await assertPortFree(standinPort, 'Thinksurance stand-in', headless ? undefined : 'DEMO_STANDIN_PORT');

	// Synchronous steps first, while this process hosts nothing yet.
	let t = Date.now();
	const tarball = await timed(say, options.build === false ? 'packing the package' : 'building and packing the package', () => packPackage({ build: options.build !== false }));
	timings.pack = Date.now() - t;
	t = Date.now();
	const runtime = await timed(say, 'making sure n8n 2.x is installed (first run: a few minutes)', () => ensureN8n('2'));
	timings.ensureN8n = Date.now() - t;
	say(`n8n ${runtime.version} from ${path.dirname(path.dirname(path.dirname(runtime.bin)))}`);

	fs.mkdirSync(userFolder, { recursive: true });
	const n8n = await new N8nInstance({ line: '2', userFolder, port, logLevel: options.logLevel ?? 'info' }).init();
	n8n.installPackage(tarball);
	say(`package installed into ${path.join(userFolder, '.n8n', 'nodes')}`);

	const standin = await startStandin({ port: standinPort, latencyMs: options.latencyMs ?? 30, autoNotify: true });
	say(`Thinksurance stand-in listening on ${standin.url}`);

	let stopping;
	const stop = () => {
		stopping ??= (async () => {
			await n8n.stop();
			await standin.close();
		})();
		return stopping;
	};
	running.add(stop);

	try {
		t = Date.now();
		await timed(say, 'importing the credential and the example workflows', async () => {
			await importAsync(n8n, 'credentials', [credential(standin.url)]);
			await importAsync(n8n, 'workflow', loadExamples());
		});
		timings.import = Date.now() - t;

		t = Date.now();
		await timed(say, `starting n8n on port ${port} (log: ${n8n.logFile})`, () => n8n.start());
		timings.start = Date.now() - t;
		await n8n.login();

		t = Date.now();
		await timed(say, 'activating the notification example (registers the broker callback)', async () => {
			await activate(n8n, EXAMPLES.trigger);
		});
		const broker = await waitFor(
			() => {
				const state = standin.state.brokers.get(DEMO_BROKER);
				return state?.fullCallback === 0 && state.callbackUrl?.startsWith(n8n.url) ? state : undefined;
			},
			{ what: `the trigger to register its callback on broker ${DEMO_BROKER}` },
		);
		const callbackUrl = broker.callbackUrl;

		const before = (await n8n.executions(EXAMPLES.trigger)).length;
		const notified = await standin.notify({ inquiryId: DEMO_INQUIRY, eventType: 'InquiryUpdated' });
		const delivery = notified.deliveries?.[0];
		if (!delivery?.ok) throw new Error(`the stand-in's notification was not accepted: ${JSON.stringify(notified)}`);
		const execution = await waitFor(
			async () => {
				const list = await n8n.executions(EXAMPLES.trigger);
				return list.length > before && ['success', 'error', 'crashed'].includes(list[0].status) ? list[0] : undefined;
			},
			{ what: 'the notification example to finish its execution', timeoutMs: 60_000 },
		);
		say(`notification for inquiry ${DEMO_INQUIRY} delivered (HTTP ${delivery.status}); execution ${execution.id}: ${execution.status}`);
		timings.trigger = Date.now() - t;

		if (runExamples) {
			t = Date.now();
			for (const [id, label, node] of [
				[EXAMPLES.forward, 'CRM contacts → Broker Forward', 'Forward to Thinksurance'],
				[EXAMPLES.summary, 'daily inquiry summary', 'Count per Status'],
			]) {
				try {
					const result = await timed(say, `running the example "${label}" once`, () => n8n.execute(id));
					say(`  ${node}: ${summarizeRun(result.run, node)}`);
				} catch (error) {
					// The editor is still worth showing: report and go on.
					say(`  could not run "${label}": ${error.message.split('\n')[0]}`);
				}
			}
			timings.examples = Date.now() - t;
		}
		timings.total = Date.now() - started;
		return { n8n, standin, workflows: EXAMPLES, callbackUrl, timings, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}

function banner({ n8n, standin, workflows, timings }) {
	const editor = n8n.url;
	const lines = [
		'',
		'  n8n with n8n-nodes-thinksurance is running.',
		'',
		`  Editor:     ${editor}`,
		`  Login:      ${OWNER.email}`,
		`  Password:   ${OWNER.password}`,
		'',
		'  Example workflows:',
		`    ${editor}/workflow/${workflows.forward}   CRM contacts → Broker Forward (manual)`,
		`    ${editor}/workflow/${workflows.summary}   daily inquiry summary (schedule, inactive)`,
		`    ${editor}/workflow/${workflows.trigger}   notification → documents (active)`,
		'',
		`  Thinksurance stand-in: ${standin.url}   (API user ${'demo-api-user-hash-0001'}, see test/standin/README.md)`,
		'  It speaks both dialects (V1 and V1.1) on that URL; V1-only / V1.1-only API users: v1-only-api-user-hash, v11-only-api-user-hash.',
		'  Send another notification (the trigger workflow runs once per new eventId):',
		`    curl -s -X POST ${standin.url}/__control/notify -H 'content-type: application/json' \\`,
		`      -d '{"inquiryId": ${DEMO_INQUIRY}, "eventType": "InquiryUpdated"}'`,
		`  Inquiries of broker ${DEMO_BROKER}: ${DEMO_INQUIRY}, ${DEMO_INQUIRY + 2}, ${DEMO_INQUIRY + 4}, … (every second ID from ${DEMO_INQUIRY}).`,
		'',
		`  n8n log: ${n8n.logFile}`,
		`  Ready in ${(timings.total / 1000).toFixed(1)} s. Press Ctrl-C to stop n8n and the stand-in.`,
		'',
	];
	process.stdout.write(`${lines.join('\n')}\n`);
}

async function main() {
	let demo;
	let exiting = false;
	const shutdown = async (signal) => {
		if (exiting) return;
		exiting = true;
		process.stdout.write(`\n[demo] ${signal}: stopping n8n and the stand-in…\n`);
		try {
			await Promise.all([...running].map((stop) => stop()));
		} finally {
			process.stdout.write('[demo] stopped.\n');
			process.exit(0);
		}
	};
	process.on('SIGINT', () => void shutdown('SIGINT'));
	process.on('SIGTERM', () => void shutdown('SIGTERM'));

	try {
		demo = await startDemo();
	} catch (error) {
		console.error(`[demo] failed: ${error.message}`);
		process.exit(1);
	}
	if (exiting) return;
	banner(demo);
	// n8n ending on its own (crash, killed) ends the demo too.
	for (const child of demo.n8n.processes) {
		child.once('exit', (code, signal) => {
			if (exiting) return;
			console.error(`[demo] n8n exited (${signal ?? code}); see ${demo.n8n.logFile}`);
			void demo.stop().then(() => process.exit(1));
		});
	}
}

if (require.main === module) void main();

module.exports = { startDemo, loadExamples, EXAMPLES, DEMO_BROKER, DEMO_INQUIRY };
