'use strict';
/**
 * Real n8n for demos, end-to-end tests and benchmarks: installs n8n (and the Node.js it
 * needs) into a cache folder once, packs this package, and runs n8n instances that load it.
 * Dev tooling only; never shipped.
 */
const { spawn, spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = process.env.THINKSURANCE_N8N_CACHE || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-nodes-thinksurance');

/** The two n8n lines users run, each with the Node.js it needs. */
const LINES = {
	'2': { version: '2.40.7', node: '24', overrides: undefined, env: {} },
	'1': { version: '1.123.81', node: '20', overrides: { xlsx: '0.18.5' }, env: { N8N_EXPRESSION_ENGINE: 'legacy' } },
};

function log(message) {
	process.stderr.write(`[n8n-env] ${message}\n`);
}

function run(command, args, options = {}) {
	const result = spawnSync(command, args, { stdio: options.quiet ? 'pipe' : ['ignore', 'inherit', 'inherit'], encoding: 'utf8', ...options });
	if (result.status !== 0) {
		const output = options.quiet ? `\n${result.stdout ?? ''}\n${result.stderr ?? ''}` : '';
		throw new Error(`${command} ${args.join(' ')} failed with ${result.status}${output}`);
	}
	return result.stdout;
}

/** Installs a package into a folder of its own, once; a marker file makes it idempotent. */
function ensureInstalled(folder, spec, { overrides, extraSteps = [], env = {}, ignoreScripts = true, verify } = {}) {
	const marker = path.join(folder, '.installed');
	if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === spec) return folder;
	fs.rmSync(folder, { recursive: true, force: true });
	fs.mkdirSync(folder, { recursive: true });
	const manifest = { name: 'tsn-tool', private: true, ...(overrides ? { overrides } : {}) };
	fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify(manifest, null, 2));
	log(`installing ${spec} into ${folder} (first time only, a few minutes)…`);
	const started = Date.now();
	// Under `npm run`, npm hands the project's ignore-scripts=true down as an environment variable:
	// say explicitly what this install wants, and let rebuild steps run their scripts.
	const childEnv = { ...process.env, ...env };
	delete childEnv.npm_config_ignore_scripts;
	delete childEnv.NPM_CONFIG_IGNORE_SCRIPTS;
	const flags = ['--no-audit', '--no-fund', '--loglevel=error', `--ignore-scripts=${ignoreScripts}`];
	run('npm', ['install', spec, ...flags], { cwd: folder, env: childEnv });
	for (const [command, args] of extraSteps) run(command, args, { cwd: folder, env: childEnv });
	if (verify) verify(folder);
	fs.writeFileSync(marker, spec);
	log(`installed ${spec} in ${Math.round((Date.now() - started) / 1000)} s`);
	return folder;
}

/** Folder whose bin/ holds the Node.js binary of that major version. */
function ensureNode(major) {
	const current = process.versions.node.split('.')[0];
	if (current === major) return path.dirname(process.execPath);
	// The `node` package's install script links the platform binary (itself an npm package).
	const binDirOf = (folder) => path.join(folder, 'node_modules', '.bin');
	const folder = ensureInstalled(path.join(CACHE, `node${major}`), `node@${major}`, {
		ignoreScripts: false,
		verify: (dir) => {
			if (!fs.existsSync(path.join(binDirOf(dir), 'node'))) throw new Error(`node@${major} installed without a binary in ${binDirOf(dir)}`);
		},
	});
	return binDirOf(folder);
}

/** Installs (once) the n8n of a line and returns how to run it. */
function ensureN8n(line = '2') {
	const spec = LINES[line];
	if (!spec) throw new Error(`unknown n8n line ${line}`);
	const binDir = ensureNode(spec.node);
	const env = { PATH: `${binDir}${path.delimiter}${process.env.PATH}` };
	const folder = ensureInstalled(path.join(CACHE, `n8n-${spec.version}`), `n8n@${spec.version}`, {
		overrides: spec.overrides,
		env,
		// sqlite3's binding is native; the install ran without scripts (a Kafka client's script needs the internet).
		extraSteps: [['npm', ['rebuild', 'sqlite3', '--loglevel=error']]],
	});
	return { line, version: spec.version, binDir, bin: path.join(folder, 'node_modules', '.bin', 'n8n'), env: { ...env, ...spec.env } };
}

/** Builds and packs this package; returns the tarball path. */
function packPackage({ build = true } = {}) {
	if (build) run('npm', ['run', 'build', '--silent'], { cwd: ROOT, quiet: true });
	const out = run('npm', ['pack', '--silent', '--pack-destination', os.tmpdir()], { cwd: ROOT, quiet: true });
	const file = out.trim().split('\n').pop();
	return path.join(os.tmpdir(), file);
}

function freePort() {
	return new Promise((resolve, reject) => {
		const server = http.createServer();
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
		server.on('error', reject);
	});
}

function request(method, url, { body, headers = {}, cookie } = {}) {
	return new Promise((resolve, reject) => {
		const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
		const req = http.request(url, {
			method,
			headers: {
				...(data !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
				...(cookie ? { cookie } : {}),
				...headers,
			},
		}, (res) => {
			const chunks = [];
			res.on('data', (chunk) => chunks.push(chunk));
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json;
				try {
					json = text ? JSON.parse(text) : undefined;
				} catch {
					json = undefined;
				}
				resolve({ status: res.statusCode, headers: res.headers, text, json });
			});
		});
		req.on('error', reject);
		if (data !== undefined) req.write(data);
		req.end();
	});
}

const OWNER = { email: 'demo@example.com', firstName: 'Demo', lastName: 'Broker', password: 'Thinksurance-Demo-1' };

/** One n8n with its own user folder (database, settings, community package). */
class N8nInstance {
	constructor({ line = '2', userFolder, port, env = {}, logLevel = 'info' } = {}) {
		this.n8n = ensureN8n(line);
		this.userFolder = userFolder || fs.mkdtempSync(path.join(os.tmpdir(), `tsn-n8n${line}-`));
		this.port = port;
		this.extraEnv = env;
		this.logLevel = logLevel;
		this.logFile = path.join(this.userFolder, 'n8n.log');
		this.processes = [];
	}

	async init() {
		if (!this.port) this.port = await freePort();
		this.brokerPort = await freePort();
		this.cliBrokerPort = await freePort();
		return this;
	}

	get url() {
		return `http://127.0.0.1:${this.port}`;
	}

	env(extra = {}) {
		return {
			...process.env,
			...this.n8n.env,
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			WEBHOOK_URL: `${this.url}/`,
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_LOG_LEVEL: this.logLevel,
			N8N_LOG_OUTPUT: 'console',
			DB_SQLITE_POOL_SIZE: '2',
			NODE_OPTIONS: '',
			...this.extraEnv,
			...extra,
		};
	}

	/** Unpacks the tarball where n8n looks for community packages. */
	installPackage(tarball) {
		const nodesDir = path.join(this.userFolder, '.n8n', 'nodes');
		const target = path.join(nodesDir, 'node_modules', 'n8n-nodes-thinksurance');
		fs.rmSync(target, { recursive: true, force: true });
		fs.mkdirSync(target, { recursive: true });
		execFileSync('tar', ['xzf', tarball, '-C', target, '--strip-components=1']);
		const version = JSON.parse(fs.readFileSync(path.join(target, 'package.json'), 'utf8')).version;
		fs.writeFileSync(
			path.join(nodesDir, 'package.json'),
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: { 'n8n-nodes-thinksurance': version } }, null, 2),
		);
	}

	cli(args, { quiet = true } = {}) {
		// CLI processes start their own task broker: give it a port of its own.
		const env = this.env({ N8N_RUNNERS_BROKER_PORT: String(this.cliBrokerPort) });
		const result = spawnSync(this.n8n.bin, args, { env, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
		if (result.status !== 0 && !quiet) throw new Error(`n8n ${args.join(' ')} failed: ${result.stderr}`);
		return result;
	}

	importJson(kind, items) {
		const file = path.join(this.userFolder, `${kind}-${Date.now()}-${Math.random().toString(16).slice(2)}.json`);
		fs.writeFileSync(file, JSON.stringify(items));
		const result = this.cli([`import:${kind}`, `--input=${file}`]);
		if (result.status !== 0) throw new Error(`n8n import:${kind} failed: ${result.stdout}\n${result.stderr}`);
	}

	importCredentials(credentials) {
		this.importJson('credentials', credentials);
	}

	importWorkflows(workflows) {
		this.importJson('workflow', workflows);
	}

	/** Runs a CLI command without blocking this process (a stand-in may live in it). */
	cliAsync(args) {
		const env = this.env({ N8N_RUNNERS_BROKER_PORT: String(this.cliBrokerPort) });
		return new Promise((resolve, reject) => {
			const child = spawn(this.n8n.bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
			const out = [];
			const err = [];
			child.stdout.on('data', (chunk) => out.push(chunk));
			child.stderr.on('data', (chunk) => err.push(chunk));
			child.on('error', reject);
			child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
		});
	}

	/** Runs a saved workflow in its own n8n process (`n8n execute`); returns the run. */
	async execute(workflowId) {
		const started = Date.now();
		const result = await this.cliAsync(['execute', `--id=${workflowId}`, '--rawOutput']);
		const text = result.stdout;
		const start = text.indexOf('\n{');
		const end = text.lastIndexOf('\n}');
		const json = text.trim().startsWith('{') ? text.slice(0, end + 2) : start >= 0 ? text.slice(start + 1, end + 2) : '';
		let run;
		try {
			run = JSON.parse(json);
		} catch {
			throw new Error(`n8n execute ${workflowId} gave no JSON (exit ${result.status}):\n${text.slice(-3000)}\n${result.stderr.slice(-2000)}`);
		}
		return { run, ms: Date.now() - started, stdout: text, stderr: result.stderr, status: result.status };
	}

	/** Starts `n8n start` (or another command: webhook, worker) and waits until it answers. */
	async start(command = 'start', { env = {}, port } = {}) {
		const out = fs.openSync(command === 'start' ? this.logFile : path.join(this.userFolder, `n8n-${command}-${this.processes.length}.log`), 'a');
		const child = spawn(this.n8n.bin, [command], { env: this.env(env), stdio: ['ignore', out, out], detached: false });
		this.processes.push(child);
		child.on('exit', (code) => {
			child.exitCode_ = code;
		});
		if (command === 'start' || port) await this.waitReady(port ?? this.port, child);
		// n8n 1.x answers readiness before its REST routes exist.
		if (command === 'start') await this.waitForRest(child);
		return child;
	}

	async waitReady(port, child, timeoutMs = 180_000) {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (child && child.exitCode !== null) throw new Error(`n8n exited with ${child.exitCode}; see ${this.logFile}`);
			try {
				const res = await request('GET', `http://127.0.0.1:${port}/healthz/readiness`);
				if (res.status === 200) return;
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		throw new Error(`n8n did not become ready on port ${port}; see ${this.logFile}`);
	}

	async waitForRest(child, timeoutMs = 120_000) {
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (child && child.exitCode !== null) throw new Error(`n8n exited with ${child.exitCode}; see ${this.logFile}`);
			const res = await request('GET', `${this.url}/rest/settings`).catch(() => undefined);
			if (res && res.status === 200) return;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		throw new Error(`n8n's REST API did not come up; see ${this.logFile}`);
	}

	async stop() {
		await Promise.all(
			this.processes.map(
				(child) =>
					new Promise((resolve) => {
						if (child.exitCode !== null || child.signalCode) return resolve();
						const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
						child.once('exit', () => {
							clearTimeout(timer);
							resolve();
						});
						child.kill('SIGTERM');
					}),
			),
		);
		this.processes = [];
	}

	/** This instance's processes and all their descendants (task runners), from /proc. */
	allPids() {
		const parents = new Map();
		for (const entry of fs.readdirSync('/proc')) {
			if (!/^\d+$/.test(entry)) continue;
			try {
				// Field 4 of /proc/<pid>/stat is the parent; the command (field 2) may contain spaces.
				const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
				parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
			} catch {
				// gone meanwhile
			}
		}
		const pids = this.processes.filter((child) => child.exitCode === null && !child.signalCode).map((child) => child.pid);
		for (let i = 0; i < pids.length; i++) for (const [pid, parent] of parents) if (parent === pids[i] && !pids.includes(pid)) pids.push(pid);
		return pids;
	}

	/** Sends a signal to every process of this instance (SIGSTOP freezes it where it is). */
	signal(signal) {
		for (const pid of this.allPids()) {
			try {
				process.kill(pid, signal);
			} catch {
				// already gone
			}
		}
	}

	/** A crash: SIGKILL to every process of this instance at once; start() brings it back on the same database. */
	async kill() {
		const exited = this.processes.map((child) => (child.exitCode !== null || child.signalCode ? undefined : new Promise((resolve) => child.once('exit', resolve))));
		this.signal('SIGKILL');
		await Promise.all(exited);
		this.processes = [];
	}

	/** Rows from this instance's SQLite database (read-only; also while n8n is frozen). */
	async sqlite(sql, params = []) {
		const sqlite3 = require(path.join(path.dirname(path.dirname(this.n8n.bin)), 'sqlite3'));
		const db = await new Promise((resolve, reject) => {
			const handle = new sqlite3.Database(path.join(this.userFolder, '.n8n', 'database.sqlite'), sqlite3.OPEN_READONLY, (error) => (error ? reject(error) : resolve(handle)));
		});
		try {
			return await new Promise((resolve, reject) => db.all(sql, params, (error, rows) => (error ? reject(error) : resolve(rows))));
		} finally {
			await new Promise((resolve) => db.close(resolve));
		}
	}

	/** Creates the owner account (first start) and logs in; keeps the session cookie. */
	async login() {
		let res = await request('POST', `${this.url}/rest/owner/setup`, { body: OWNER });
		if (res.status !== 200) {
			res = await request('POST', `${this.url}/rest/login`, { body: { emailOrLdapLoginId: OWNER.email, email: OWNER.email, password: OWNER.password } });
		}
		if (res.status !== 200) throw new Error(`n8n login failed: ${res.status} ${res.text.slice(0, 300)}`);
		const cookies = [].concat(res.headers['set-cookie'] || []).map((c) => c.split(';')[0]);
		this.cookie = cookies.join('; ');
		return OWNER;
	}

	async rest(method, route, body) {
		const res = await request(method, `${this.url}/rest${route}`, { body, cookie: this.cookie, headers: { 'browser-id': 'tsn-e2e' } });
		if (res.status >= 400) throw new Error(`n8n ${method} ${route} → ${res.status}: ${res.text.slice(0, 500)}`);
		return res.json?.data ?? res.json;
	}

	/**
	 * A "From List" page as the editor asks for it (POST /rest/dynamic-node-parameters/resource-locator-results);
	 * needs start() and login(). Returns { results, paginationToken }.
	 */
	async listSearch({ methodName, path, parameters, credential, filter, paginationToken, nodeType = 'n8n-nodes-thinksurance.thinksurance', version = 1.1 }) {
		return await this.rest('POST', '/dynamic-node-parameters/resource-locator-results', {
			nodeTypeAndVersion: { name: nodeType, version },
			path,
			methodName,
			currentNodeParameters: parameters,
			credentials: { thinksuranceApi: credential },
			...(filter !== undefined ? { filter } : {}),
			...(paginationToken !== undefined ? { paginationToken } : {}),
		});
	}

	async activate(workflowId) {
		const workflow = await this.rest('GET', `/workflows/${workflowId}`);
		if (this.n8n.line === '1') return await this.rest('PATCH', `/workflows/${workflowId}`, { active: true, versionId: workflow.versionId });
		return await this.rest('POST', `/workflows/${workflowId}/activate`, { versionId: workflow.versionId });
	}

	async deactivate(workflowId) {
		if (this.n8n.line === '1') {
			const workflow = await this.rest('GET', `/workflows/${workflowId}`);
			return await this.rest('PATCH', `/workflows/${workflowId}`, { active: false, versionId: workflow.versionId });
		}
		return await this.rest('POST', `/workflows/${workflowId}/deactivate`, {});
	}

	/** Executions of a workflow, newest first (summaries). */
	async executions(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const data = await this.rest('GET', `/executions?filter=${filter}&limit=1000`);
		return data.results ?? data;
	}

	/** How many executions a workflow has (the list itself is capped by some n8n versions). */
	async executionCount(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const data = await this.rest('GET', `/executions?filter=${filter}&limit=1`);
		return typeof data.count === 'number' ? data.count : (data.results ?? data).length;
	}

	async execution(id) {
		return await this.rest('GET', `/executions/${id}`);
	}

	productionWebhookUrl(webhookId, path = 'webhook') {
		return `${this.url}/webhook/${webhookId}/${path}`;
	}

	readLog() {
		return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, 'utf8') : '';
	}

	/**
	 * Starts a saved workflow through the REST API, as the editor's "Execute workflow" does
	 * (`POST /rest/workflows/:id/run`). Regular mode runs it in the main process; queue mode
	 * with OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true hands it to a worker. Returns the execution ID.
	 */
	async startWorkflowRun(workflowId, { startNode = 'Start' } = {}) {
		const body = { triggerToStartFrom: { name: startNode } };
		// n8n 1.x runs the workflow the request carries (as its editor sends it); 2.x loads it by ID.
		if (this.n8n.line === '1') body.workflowData = await this.rest('GET', `/workflows/${workflowId}`);
		const result = await this.rest('POST', `/workflows/${workflowId}/run`, body);
		if (!result?.executionId) throw new Error(`n8n did not start workflow ${workflowId}: ${JSON.stringify(result).slice(0, 300)}`);
		return String(result.executionId);
	}

	/** Waits until an execution has finished (any final status) and returns it with its run data parsed. */
	async waitForExecution(executionId, { timeoutMs = 120_000, intervalMs = 200 } = {}) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			let execution;
			try {
				execution = await this.execution(executionId);
			} catch (error) {
				// Not saved yet (404) right after the start.
				if (!/→ 404/.test(error.message)) throw error;
			}
			if (execution && execution.finished !== undefined && !['new', 'running', 'waiting'].includes(execution.status)) {
				const data = parseExecutionData(execution.data);
				return { ...execution, run: { id: String(executionId), mode: execution.mode, status: execution.status, finished: execution.finished, data } };
			}
			if (Date.now() > deadline) throw new Error(`execution ${executionId} did not finish within ${timeoutMs} ms (status ${execution?.status})`);
			await new Promise((resolve) => setTimeout(resolve, intervalMs));
		}
	}

	/** Runs a saved workflow through the REST API and waits for it; `run` has the shape `n8n execute --rawOutput` prints. */
	async runWorkflow(workflowId, options = {}) {
		const started = Date.now();
		const executionId = await this.startWorkflowRun(workflowId, options);
		const execution = await this.waitForExecution(executionId, options);
		return { executionId, execution, run: execution.run, ms: Date.now() - started };
	}

	/** The log of a process started with start(command) (index as in this.processes). */
	readProcessLog(index) {
		const file = index === 0 ? this.logFile : path.join(this.userFolder, `n8n-${this.processes[index]?.spawnargs?.[1] ?? ''}-${index}.log`);
		return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
	}
}

/** Execution data as the REST API returns it (n8n stores it `flatted`), as a plain object. */
/** Polls `check` until it returns something truthy or time runs out; returns its last answer. */
async function waitFor(check, { timeoutMs = 60_000, intervalMs = 250 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last;
	while (Date.now() < deadline) {
		last = await check();
		if (last) return last;
		await new Promise((resolve) => setTimeout(resolve, intervalMs));
	}
	return last;
}

function parseExecutionData(data) {
	if (data === undefined || data === null || typeof data === 'object') return data ?? undefined;
	const { parse } = require(path.join(path.dirname(path.dirname(ensureN8n('2').bin)), 'flatted'));
	try {
		return parse(data);
	} catch {
		return JSON.parse(data);
	}
}

module.exports = { waitFor, ROOT, CACHE, LINES, OWNER, ensureN8n, ensureNode, packPackage, freePort, request, N8nInstance, log, parseExecutionData };
