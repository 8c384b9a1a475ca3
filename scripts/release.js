'use strict';
/**
 * `npm run release` (maintainers): checks that the working tree is clean, that CHANGELOG.md has a
 * dated section for package.json's version and nothing left under Unreleased, then creates the
 * annotated tag v<version>. Pushing the tag starts .github/workflows/publish.yml, the only way
 * this package reaches npm. `--check` only checks.
 */
const { execFileSync } = require('node:child_process');
const { ROOT, packageVersion, readChangelog, releaseNotes } = require('./lib/changelog');

const git = (...args) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
const checkOnly = process.argv.includes('--check');
const version = packageVersion();
const tag = `v${version}`;
try {
	const changelog = readChangelog();
	releaseNotes(version, changelog);
	const unreleased = changelog.sections.find((section) => section.version === undefined);
	if (unreleased?.body) throw new Error(`CHANGELOG.md: move the Unreleased entries into the ${version} section first`);
	if (!checkOnly) {
		if (git('status', '--porcelain')) throw new Error('the working tree has uncommitted changes');
		if (git('tag', '--list', tag)) throw new Error(`tag ${tag} exists already: bump the version in package.json`);
		git('tag', '-a', tag, '-m', tag);
		console.log(`created tag ${tag}; publish with: git push origin ${tag}`);
	} else {
		console.log(`${tag}: package.json and CHANGELOG.md are ready`);
	}
} catch (error) {
	console.error(`release ${tag}: ${error.message}`);
	process.exit(1);
}
