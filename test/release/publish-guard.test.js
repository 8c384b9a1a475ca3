'use strict';
/**
 * A plain `npm publish` from a laptop is refused; only .github/workflows/publish.yml publishes.
 * Two locks, both proven here offline:
 *  - package.json `publishConfig.provenance: true`: npm can sign provenance only inside a CI with
 *    an OIDC identity (GitHub Actions with `id-token: write`), so elsewhere it stops before
 *    uploading. This one holds with the project's .npmrc (ignore-scripts=true), which makes npm
 *    skip prepublishOnly. Shown against a local registry on 127.0.0.1 that records requests.
 *  - prepublishOnly `n8n-node prerelease` (n8n's node CLI): refuses unless RELEASE_MODE is set,
 *    which only the publish workflow does; it runs wherever scripts are on.
 */
const { after, before, test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');

/** A laptop: no CI variables (the GitHub job running this test has them), no release mode. */
function laptopEnv(extra = {}) {
	const env = { ...process.env, ...extra };
	for (const name of Object.keys(env)) {
		if (/^(CI|GITHUB_.*|ACTIONS_.*|RUNNER_.*|RELEASE_MODE|BUILD_.*|GITLAB_.*|CIRCLE.*|JENKINS_.*|TF_BUILD|NPM_ID_TOKEN|SIGSTORE_ID_TOKEN)$/.test(name)) delete env[name];
		if (/^npm_config_/i.test(name)) delete env[name];
	}
	return { ...env, ...extra };
}

function run(command, args, env) {
	return new Promise((resolve) => {
		const child = spawn(command, args, { cwd: ROOT, env });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('close', (status) => resolve({ status, output }));
	});
}

let registry;
let registryUrl;
const requests = [];
before(async () => {
	registry = http.createServer((request, response) => {
		requests.push(`${request.method} ${request.url}`);
		request.resume();
		response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
	});
	await new Promise((resolve) => registry.listen(0, '127.0.0.1', resolve));
	registryUrl = `http://127.0.0.1:${registry.address().port}/`;
});
after(() => registry.close());

test('npm publish with the project settings: refused before anything is uploaded (no provenance outside CI)', async () => {
	const host = registryUrl.replace(/^http:/, '');
	const { status, output } = await run('npm', ['publish', `--registry=${registryUrl}`, `--${host}:_authToken=laptop-token`], laptopEnv());
	assert.notEqual(status, 0, output);
	assert.match(output, /Automatic provenance generation not supported for provider: null/);
	assert.deepEqual(requests.filter((request) => request.startsWith('PUT')), [], 'nothing uploaded');
	assert.ok(requests.some((request) => request.startsWith('GET /n8n-nodes-thinksurance')), `npm got as far as the registry: ${requests.join(', ')}`);
});

test('npm publish with scripts on: prepublishOnly (n8n-node prerelease) refuses it', async () => {
	const { status, output } = await run('npm', ['publish', '--dry-run', '--ignore-scripts=false', `--registry=${registryUrl}`], laptopEnv());
	assert.notEqual(status, 0, output);
	assert.match(output, /> n8n-node prerelease/);
	assert.match(output, /Run `npm run release` to publish the package/);
});

test('the guard lets the release workflow through (RELEASE_MODE=true, as publish.yml sets it)', () => {
	const guard = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'n8n-node'), ['prerelease'], { cwd: ROOT, env: laptopEnv({ RELEASE_MODE: 'true' }), encoding: 'utf8' });
	assert.equal(guard.status, 0, `${guard.stdout}${guard.stderr}`);
	const refused = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'n8n-node'), ['prerelease'], { cwd: ROOT, env: laptopEnv(), encoding: 'utf8' });
	assert.equal(refused.status, 1);
});
