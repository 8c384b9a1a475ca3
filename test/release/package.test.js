'use strict';
/**
 * What `npm publish` would ship and say: `npm pack --dry-run` lists exactly dist/, README,
 * LICENSE, CHANGELOG (and package.json, which npm always adds); the manifest's links point at one
 * repository; CHANGELOG.md is in keep-a-changelog shape with a section for this version.
 * TSN_SKIP_BUILD=1 reuses dist/ (npm test builds it in the scan stage just before).
 */
const { before, test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { parseChangelog, readChangelog } = require('../../scripts/lib/changelog');

const ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
let files;

before(() => {
	if (process.env.TSN_SKIP_BUILD !== '1' || !fs.existsSync(path.join(ROOT, 'dist'))) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
	const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--silent'], { cwd: ROOT, encoding: 'utf8' }));
	files = packed.files.map((file) => file.path).sort();
});

test('the tarball holds dist/, README.md, LICENSE, CHANGELOG.md and package.json, nothing else', () => {
	const outside = files.filter((file) => !file.startsWith('dist/') && !['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json'].includes(file));
	assert.deepEqual(outside, []);
	for (const file of ['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json']) assert.ok(files.includes(file), file);
	assert.deepEqual(files.filter((file) => /\.(ts|map|tsbuildinfo)$/.test(file) || /(^|\/)test\//.test(file)), [], 'no sources, maps or tests');
});

test('every node and credential n8n loads is in the tarball, with its codex file and icons', () => {
	for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) assert.ok(files.includes(file), file);
	for (const node of manifest.n8n.nodes) assert.ok(files.includes(node.replace(/\.js$/, '.json')), `codex of ${node}`);
	let icons = 0;
	for (const file of [...manifest.n8n.nodes, ...manifest.n8n.credentials]) {
		const compiled = fs.readFileSync(path.join(ROOT, file), 'utf8');
		for (const [, icon] of compiled.matchAll(/file:([\w./-]+\.(?:svg|png))/g)) {
			assert.ok(files.includes(path.posix.join(path.posix.dirname(file), icon)), `${icon} of ${file}`);
			icons++;
		}
	}
	assert.ok(icons >= 2 * (manifest.n8n.nodes.length + manifest.n8n.credentials.length), `light and dark icon for each: ${icons}`);
});

test('package.json: repository, homepage and bugs name one GitHub repository; no runtime dependencies', () => {
	const repo = /^git\+https:\/\/github\.com\/([\w.-]+\/[\w.-]+)\.git$/.exec(manifest.repository.url)?.[1];
	assert.ok(repo, manifest.repository.url);
	assert.equal(manifest.homepage, `https://github.com/${repo}#readme`);
	assert.equal(manifest.bugs.url, `https://github.com/${repo}/issues`);
	assert.match(fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8'), new RegExp(`https://github\\.com/${repo.replace('.', '\\.')}/`));
	assert.equal(manifest.license, 'MIT');
	assert.ok(manifest.keywords.includes('n8n-community-node-package'));
	assert.equal(manifest.dependencies, undefined);
	assert.deepEqual(manifest.peerDependencies, { 'n8n-workflow': '*' });
	assert.equal(manifest.n8n.strict, true);
	assert.deepEqual(manifest.publishConfig, { access: 'public', provenance: true });
	assert.deepEqual(Object.entries(manifest.devDependencies).filter(([, range]) => !/^\d+\.\d+\.\d+$/.test(range)), [], 'dev tooling pinned');
});

test('CHANGELOG.md: Unreleased first, then dated versions newest first, one for package.json\'s version', () => {
	const changelog = readChangelog();
	assert.deepEqual(changelog.problems, []);
	const release = changelog.sections.find((section) => section.version === manifest.version);
	assert.ok(release, `## [${manifest.version}] - YYYY-MM-DD`);
	assert.match(release.body, /^### (Added|Changed|Fixed|Removed|Deprecated|Security)$/m);

	const notes = spawnSync('node', ['scripts/release-notes.js', `v${manifest.version}`], { cwd: ROOT, encoding: 'utf8' });
	assert.equal(notes.status, 0, notes.stderr);
	assert.equal(notes.stdout.trim(), release.body);
	const wrongTag = spawnSync('node', ['scripts/release-notes.js', 'v0.0.1'], { cwd: ROOT, encoding: 'utf8' });
	assert.equal(wrongTag.status, 1);
	assert.match(wrongTag.stderr, /does not match package\.json version/);
});

test('the changelog check catches the usual mistakes', () => {
	assert.deepEqual(parseChangelog('# Changelog\n\n## Unreleased\n- x\n\n## [1.0.0] - 2026-12-01\n- y\n').problems, []);
	assert.match(parseChangelog('## [1.0.0] - 2026-12-01\n- y\n').problems.join(), /first section is not/);
	assert.match(parseChangelog('## [Unreleased]\n## 1.0.0 — 2026-12-01\n').problems.join(), /heading not in/);
	assert.match(parseChangelog('## [Unreleased]\n## [1.0.0] - 2026-01-01\n## [1.1.0] - 2026-02-01\n').problems.join(), /newest first/);
});
