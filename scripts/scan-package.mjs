// Runs n8n's community-package verification scanner on the packed tarball, offline.
// (Its CLI only scans published packages; analyzePackage() takes an unpacked folder.)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tsn-scan-'));
const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
execFileSync('tar', ['xzf', path.join(work, tarball), '-C', work]);
const packageDir = path.join(work, 'package');
const files = execFileSync('tar', ['tzf', path.join(work, tarball)], { encoding: 'utf8' }).trim().split('\n');
const unexpected = files.filter((file) => !/^package\/(dist\/|README\.md$|LICENSE$|package\.json$|CHANGELOG\.md$)/.test(file));
const result = await analyzePackage(packageDir);
console.log(`scanned ${tarball}: ${files.length} files`);
// The scanner also lints the source at the commit the provenance attests, with its own patterns:
// package.json and nodes/ + credentials/ .ts, .js and .json (the codex files), inline eslint
// comments ignored.
const source = await analyzePackage(root, SOURCE_FILE_PATTERNS);
if (!source.passed) {
	console.error(`source: ${source.message}`);
	if (source.details) console.error(source.details);
	process.exit(1);
}
const sourceFiles = ['nodes', 'credentials'].flatMap((folder) =>
	fs.readdirSync(path.join(root, folder), { recursive: true }).filter((file) => /\.(ts|js|json)$/.test(file)).map((file) => `${folder}/${file}`),
);
const codex = sourceFiles.filter((file) => file.endsWith('.json'));
console.log(`source scan passed (${SOURCE_FILE_PATTERNS.join(', ')}): ${sourceFiles.length + 1} files, codex ${codex.join(', ')}`);
if (unexpected.length) {
	console.error(`files that should not be shipped: ${unexpected.join(', ')}`);
	process.exit(1);
}
if (!result.passed) {
	console.error(result.message);
	if (result.details) console.error(result.details);
	process.exit(1);
}
console.log('verification scan passed');
