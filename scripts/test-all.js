'use strict';
/**
 * `npm test`: every layer, in order, with the time each took. CI runs exactly this.
 * Set TSN_SKIP=e2e,browser,scale to leave stages out locally.
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const skip = new Set((process.env.TSN_SKIP || '').split(',').filter(Boolean));

const stages = [
	['typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
	['lint', 'node', ['scripts/lint.js']],
	['cloud', 'node', ['scripts/cloud-check.js']],
	['unit+engine', 'npx', ['jest', '--ci']],
	['standin', 'node', ['--test', 'test/standin/standin.test.js']],
	['scan', 'npm', ['run', 'scan', '--silent']],
	['release', 'node', ['--test', 'test/release/'], { TSN_SKIP_BUILD: '1' }],
	['e2e', 'node', ['scripts/test-e2e.js']],
	['browser', 'node', ['test/browser/editor.check.js'], { TSN_SKIP_BUILD: '1' }],
	['scale', 'node', ['scripts/test-scale.js']],
];

const results = [];
for (const [name, command, args, env = {}] of stages) {
	if (skip.has(name) || (name === 'unit+engine' && skip.has('jest'))) {
		console.log(`\n=== ${name}: skipped (TSN_SKIP)`);
		continue;
	}
	console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
	const started = Date.now();
	const run = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, ...env } });
	const seconds = (Date.now() - started) / 1000;
	results.push({ name, ok: run.status === 0, seconds });
	console.log(`=== ${name}: ${run.status === 0 ? 'passed' : `FAILED (exit ${run.status})`} in ${seconds.toFixed(1)} s`);
}

console.log('\nstage timings:');
for (const { name, ok, seconds } of results) console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name.padEnd(12)} ${seconds.toFixed(1).padStart(7)} s`);
const failed = results.filter((result) => !result.ok).length;
console.log(`stages: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
