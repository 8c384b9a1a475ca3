'use strict';
/**
 * `npm run test:e2e`: the packed package in real n8n processes against the local stand-in.
 * Both lines users run: n8n 2.x and the newest 1.x.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureN8n, packPackage } = require('./lib/n8n');

const ROOT = path.resolve(__dirname, '..');
const lines = (process.env.TSN_N8N_LINES || '2,1').split(',');

const started = Date.now();
packPackage(); // builds once; the suites reuse dist/
for (const line of lines) ensureN8n(line); // installs on first use, with progress
console.log(`e2e: n8n ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

// The polling suites mostly wait for n8n's every-minute poll: they run in the background, one
// n8n per line and poll mode at once (2.x: n8n's default poller, its durable scheduler, and the
// scheduler with durable poll cursors; 1.x has only the first), while the other suites run.
// Starts are staggered so the n8n start-ups do not all compete for the CPU. Output goes to a
// file (a pipe would fill up while this process blocks in spawnSync) and is printed at the end.
// TSN_POLL_MODES=durable (for example) narrows the 2.x modes.
const pollModes = (line) => (line === '1' ? ['default'] : (process.env.TSN_POLL_MODES?.split(',') ?? ['default', 'scheduler', 'durable']));
const pollingRuns = lines.flatMap((line) => pollModes(line).map((mode) => ({ line, mode })));
const polling = pollingRuns.map(({ line, mode }, index) => {
	const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `tsn-polling${line}-${mode}-`)), 'polling.log');
	const fd = fs.openSync(logFile, 'w');
	const t0 = Date.now();
	const child = spawn(process.execPath, ['--test', '--test-concurrency=1', 'test/n8n/polling.e2e.test.js'], {
		cwd: ROOT,
		stdio: ['ignore', fd, fd],
		// Both API versions: n8n's default poller in V1 (saved 1.0 credentials), the scheduler modes in V1.1.
		env: {
			...process.env,
			TSN_N8N_LINE: line,
			TSN_POLL_MODE: mode,
			TSN_POLL_DIALECT: mode === 'default' ? 'v1' : 'v1.1',
			TSN_POLL_START_DELAY_MS: String(index * 15_000),
			TSN_SKIP_BUILD: '1',
		},
	});
	// Its last write marks its end (this process may learn of the exit only after a spawnSync).
	return new Promise((resolve) => child.on('close', (status) => resolve({ line, mode, status, logFile, seconds: (fs.statSync(logFile).mtimeMs - t0) / 1000 })));
});

const suites = [];
for (const line of lines) {
	const files = ['test/n8n/actions.e2e.test.js', 'test/n8n/trigger.e2e.test.js'];
	// actions and trigger run a V1.1 and a V1 credential side by side in one n8n. The fault matrix and
	// the secret canary (V1.1 credential) assert the package's own behaviour; one n8n line is enough.
	if (line === '2') files.push('test/n8n/faults.e2e.test.js', 'test/n8n/canary.e2e.test.js');
	suites.push({ line, files });
}
let failed = 0;
const summary = [];
for (const { line, files } of suites) {
	const t0 = Date.now();
	// One file at a time, so each suite's time is known.
	for (const file of files) {
		const t1 = Date.now();
		const run = spawnSync(process.execPath, ['--test', '--test-concurrency=1', file], {
			cwd: ROOT,
			stdio: 'inherit',
			env: { ...process.env, TSN_N8N_LINE: line, TSN_SKIP_BUILD: '1' },
		});
		summary.push(`e2e n8n ${line}.x ${path.basename(file, '.e2e.test.js')}: ${run.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
		if (run.status !== 0) failed++;
	}
	summary.push(`e2e n8n ${line}.x: ${files.length} suites in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
Promise.all(polling).then((results) => {
	for (const { line, mode, status, logFile, seconds } of results) {
		process.stdout.write(fs.readFileSync(logFile, 'utf8'));
		summary.push(`e2e n8n ${line}.x polling trigger (${mode} poller): ${status === 0 ? 'passed' : 'FAILED'} in ${seconds.toFixed(1)} s (in the background)`);
		if (status !== 0) failed++;
	}
	console.log(`${summary.join('\n')}\ne2e: ${failed ? `${failed} FAILED` : 'all passed'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	process.exit(failed ? 1 : 0);
});
