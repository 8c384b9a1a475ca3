'use strict';
/**
 * CHANGELOG.md in keep-a-changelog shape: `## [Unreleased]` (or `## Unreleased`) first, then one
 * `## [x.y.z] - YYYY-MM-DD` section per release, newest first. The release workflow's GitHub
 * release text is the section of the tagged version.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const UNRELEASED = /^## \[?Unreleased\]?\s*$/i;
const RELEASE = /^## \[(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\] - (\d{4}-\d{2}-\d{2})\s*$/;

/** { sections: [{ heading, version?, date?, body }], problems: [string] } */
function parseChangelog(text) {
	const sections = [];
	const problems = [];
	let current;
	for (const line of text.split('\n')) {
		if (/^## /.test(line)) {
			const release = RELEASE.exec(line);
			if (!release && !UNRELEASED.test(line)) problems.push(`heading not in "## [x.y.z] - YYYY-MM-DD" form: ${line}`);
			current = { heading: line.trim(), version: release?.[1], date: release?.[2], lines: [] };
			sections.push(current);
		} else if (current && !/^\[[^\]]+\]: /.test(line)) {
			current.lines.push(line);
		}
	}
	for (const section of sections) {
		section.body = section.lines.join('\n').trim();
		delete section.lines;
	}
	if (!sections.length || sections[0].version !== undefined) problems.push('the first section is not "## [Unreleased]"');
	if (sections.filter((section) => section.version === undefined).length > 1) problems.push('more than one Unreleased section');
	const releases = sections.filter((section) => section.version !== undefined);
	for (let index = 1; index < releases.length; index++) {
		if (releases[index - 1].date < releases[index].date) problems.push(`${releases[index - 1].version} is dated before ${releases[index].version}: newest first`);
	}
	return { sections, problems };
}

function readChangelog() {
	return parseChangelog(fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8'));
}

function packageVersion() {
	return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
}

/** The text of one version's section, or an error naming what to fix. */
function releaseNotes(version, changelog = readChangelog()) {
	if (changelog.problems.length) throw new Error(`CHANGELOG.md: ${changelog.problems.join('; ')}`);
	const section = changelog.sections.find((candidate) => candidate.version === version);
	if (!section) throw new Error(`CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" section: add one before releasing`);
	if (!section.body) throw new Error(`CHANGELOG.md: the ${version} section is empty`);
	return section.body;
}

module.exports = { parseChangelog, readChangelog, packageVersion, releaseNotes, ROOT };
