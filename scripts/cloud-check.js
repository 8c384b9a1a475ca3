'use strict';
/**
 * n8n Cloud eligibility, as n8n's node CLI decides it: `n8n-node cloud-support` must report
 * "ENABLED" (package.json `n8n.strict: true` and eslint.config.mjs exactly the CLI's default
 * config); the lint stage proves the other half (the code passes that config). The command
 * exits 0 either way, so its report is read, and the config is also compared with the
 * template file the CLI's own strict-mode check uses.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'node_modules', '@n8n', 'node-cli');
const normalise = (text) => text.replace(/\s+/g, ' ').trim();

const problems = [];
const run = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'n8n-node'), ['cloud-support'], { cwd: ROOT, encoding: 'utf8' });
const report = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
process.stdout.write(report);
if (run.status !== 0) problems.push(`n8n-node cloud-support exited ${run.status}`);
if (!/Cloud support is ENABLED/.test(report) || /NOT eligible/.test(report)) problems.push('n8n-node cloud-support does not report the package as eligible');

const template = fs.readFileSync(path.join(CLI, 'dist', 'template', 'templates', 'shared', 'default', 'eslint.config.mjs'), 'utf8');
if (normalise(fs.readFileSync(path.join(ROOT, 'eslint.config.mjs'), 'utf8')) !== normalise(template)) {
	problems.push(`eslint.config.mjs differs from the CLI's default:\n${template}`);
}
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
if (manifest.n8n?.strict !== true) problems.push('package.json n8n.strict is not true');

if (problems.length) {
	console.error(`not eligible for n8n Cloud:\n  ${problems.join('\n  ')}`);
	process.exit(1);
}
const { version } = JSON.parse(fs.readFileSync(path.join(CLI, 'package.json'), 'utf8'));
console.log(`n8n Cloud eligibility (@n8n/node-cli ${version}): strict mode on, default eslint config`);
