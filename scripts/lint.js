'use strict';
/**
 * `npm run lint`: n8n's node CLI (`n8n-node lint`, eslint.config.mjs = the CLI's default config)
 * on what the verification scanner lints at the attested commit: package.json and
 * nodes/ + credentials/ (scanner.mjs SOURCE_FILE_PATTERNS). `n8n-node lint` runs `eslint .`, which
 * in the repository root would also lint test/ (fs, process and timers that node code must not
 * use, by design), so it runs in a copy holding only those files. Stricter than the CLI: any
 * warning fails, and so does an inline eslint directive, which the scanner does not honour.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const SHIPPED_SOURCE = ['nodes', 'credentials'];
const CONFIG_FILES = ['package.json', 'eslint.config.mjs', 'tsconfig.json'];

function sourceFiles(folder) {
	return fs.readdirSync(folder, { withFileTypes: true, recursive: true })
		.filter((entry) => entry.isFile() && /\.(ts|js|json)$/.test(entry.name))
		.map((entry) => path.join(entry.parentPath ?? entry.path, entry.name));
}

const directives = [];
for (const folder of SHIPPED_SOURCE) {
	for (const file of sourceFiles(path.join(ROOT, folder))) {
		fs.readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
			if (/\/[/*]\s*eslint(-disable|-enable|\s)/.test(line)) directives.push(`${path.relative(ROOT, file)}:${index + 1}: ${line.trim()}`);
		});
	}
}

const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'tsn-lint-'));
try {
	for (const file of CONFIG_FILES) fs.copyFileSync(path.join(ROOT, file), path.join(stage, file));
	for (const folder of SHIPPED_SOURCE) fs.cpSync(path.join(ROOT, folder), path.join(stage, folder), { recursive: true });
	fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(stage, 'node_modules'), 'dir');

	const cli = path.join(ROOT, 'node_modules', '.bin', 'n8n-node');
	const run = spawnSync(cli, ['lint'], { cwd: stage, encoding: 'utf8' });
	// The CLI forces colours on eslint; strip them to read the summary line.
	const output = `${run.stdout}${run.stderr}`.split(stage).join('.').replace(/\x1b\[[0-9;]*m/g, '');
	process.stdout.write(output);
	// eslint prints nothing for clean files; a problem line means a warning slipped through exit 0.
	const warnings = /✖ \d+ problems? \(\d+ errors?, [1-9]\d* warnings?\)/.test(output);
	if (run.status !== 0 || warnings || directives.length) {
		if (warnings) console.error('n8n-node lint: warnings count as failures here');
		if (directives.length) console.error(`inline eslint directives (the verification scanner ignores them; fix the code):\n  ${directives.join('\n  ')}`);
		process.exit(run.status || 1);
	}
	console.log(`n8n-node lint: ${SHIPPED_SOURCE.join(', ')} and package.json clean (no errors, no warnings)`);
} finally {
	fs.rmSync(stage, { recursive: true, force: true });
}
