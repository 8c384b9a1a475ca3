'use strict';
/**
 * `npm run test:e2e`: the packed package in real n8n processes against the local stand-in.
 * Both lines users run: n8n 2.x and the newest 1.x.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const { ensureN8n, packPackage } = require('./lib/n8n');

const ROOT = path.resolve(__dirname, '..');
const lines = (process.env.TSN_N8N_LINES || '2,1').split(',');

const started = Date.now();
packPackage(); // builds once; the suites reuse dist/
for (const line of lines) ensureN8n(line); // installs on first use, with progress
console.log(`e2e: n8n ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const suites = [];
for (const line of lines) {
	const files = ['test/n8n/actions.e2e.test.js', 'test/n8n/trigger.e2e.test.js'];
	// The fault matrix and the secret canary assert the package's own behaviour; one n8n line is enough.
	if (line === '2') files.push('test/n8n/faults.e2e.test.js', 'test/n8n/canary.e2e.test.js');
	suites.push({ line, files });
}
let failed = 0;
for (const { line, files } of suites) {
	const t0 = Date.now();
	const run = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], {
		cwd: ROOT,
		stdio: 'inherit',
		env: { ...process.env, TSN_N8N_LINE: line, TSN_SKIP_BUILD: '1' },
	});
	console.log(`e2e n8n ${line}.x: ${run.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
