'use strict';
/**
 * `node scripts/release-notes.js v1.2.3`: fails unless the tag is `v` + package.json's version and
 * CHANGELOG.md has that version's section; prints the section (the GitHub release text).
 */
const { packageVersion, releaseNotes } = require('./lib/changelog');

const tag = process.argv[2] ?? '';
const version = packageVersion();
try {
	if (tag !== `v${version}`) throw new Error(`tag "${tag}" does not match package.json version ${version} (expected v${version})`);
	process.stdout.write(`${releaseNotes(version)}\n`);
} catch (error) {
	console.error(error.message);
	process.exit(1);
}
