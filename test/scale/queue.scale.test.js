'use strict';
/**
 * The packed package in an n8n 2.x queue-mode cluster: one main (`n8n start`), one webhook
 * processor (`n8n webhook`), two workers (`n8n worker`), PostgreSQL and Redis, all loading the
 * package from one shared user folder, against the local Thinksurance stand-in.
 *
 *   npm run test:scale                              # installs/starts PostgreSQL + Redis, runs this
 *   node --test test/scale/queue.scale.test.js      # same; starts the services itself unless
 *                                                   # TSN_SCALE_PG / TSN_SCALE_REDIS (host:port) are set
 *
 * a) Action workflows run on workers (REST "Execute workflow", offloaded with
 *    OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true) give the same outputs as a single-instance run
 *    (`n8n execute`, which always runs in its own process in regular mode); document download
 *    yields binary data stored in the database (binary-data mode `database`), readable from main.
 * b) 300 V2 notifications in a burst (20 in flight) to the webhook processor, 30 of them
 *    redelivered: exactly 300 executions, none lost, none duplicated.
 * c) A second burst during which one worker is SIGKILLed (and restarted): every delivery that was
 *    answered 204 has exactly one execution, and every execution reaches a final status within a
 *    time bound. n8n 2.40.7 runs Bull with maxStalledCount 0: a job whose worker died is NOT
 *    re-run (that could repeat side effects); once its lock expires it is failed as stalled and
 *    the execution ends as `error` ("failed to be processed too many times") or `crashed` (queue
 *    recovery on main). Jobs still waiting in Redis are taken by the surviving worker.
 * d) The polling trigger (every minute) in the same cluster: n8n polls on the main (leader)
 *    only, so a status change and a new inquiry, made right after activation, give exactly one
 *    execution with one inquiryUpdated and one inquiryCreated for the whole cluster, however many
 *    polls ran meanwhile (the wait overlaps with a–c). The cluster runs n8n's durable scheduler
 *    with durable poll cursors (TSN_SCALE_POLL_MODE=durable, the default; `default` for n8n's
 *    in-memory poller), where the activation poll's memory is what issue 21 was about.
 *
 * d) The execution is handed over before the answer: the webhook processor is frozen (SIGSTOP)
 *    the moment a 204 arrives, and its execution is already in PostgreSQL and its job in Redis.
 * e) A second webhook processor: every event delivered to both at once. Duplicates are counted
 *    for the trigger alone (n8n lets each processor keep its own memory), behind n8n's Remove
 *    Duplicates node, and behind a Postgres claim (`INSERT … ON CONFLICT DO NOTHING RETURNING`).
 *
 * Security-token requests are attributed to processes by a small reverse proxy in front of the
 * stand-in that looks up which process owns each client socket (/proc/net/tcp → /proc/<pid>/fd).
 */
const { after, before, describe, test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const { N8nInstance, ensureN8n, freePort, packPackage, request } = require('../../scripts/lib/n8n');
const { ACTION_WORKFLOWS, credential, linearWorkflow, triggerWorkflow, nodeOutput, nodeError, v2Event } = require('../../scripts/lib/workflows');
const { startStandin } = require('../standin/server');

const WORKER_CONCURRENCY = 10;
const IN_FLIGHT = 20;
const BURST1 = 300;
const REDELIVERED = 30;
const BURST2 = 200;
const KILL_AFTER = 60; // answered deliveries of burst 2 before the SIGKILL
const SENDER_ATTEMPTS = 6; // Thinksurance redelivers failed deliveries (1, 2, 4, 8, 16 s apart here)
const SETTLE_BOUND_MS = 180_000;
const TRIGGER_WORKFLOW = 'tsScaleTrigger01';
const POLLING_WORKFLOW = 'tsScalePolling01';
/** How n8n runs the polling trigger (docs/polling.md); durable cursors commit its memory with the execution. */
const SCALE_POLL_MODES = {
	default: {},
	scheduler: { N8N_SCHEDULER_ENABLED: 'true', N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true' },
	durable: { N8N_SCHEDULER_ENABLED: 'true', N8N_SCHEDULER_POLL_TRIGGERS_ENABLED: 'true', N8N_POLLER_DURABLE_CURSORS_ENABLED: 'true' },
};
const SCALE_POLL_MODE = process.env.TSN_SCALE_POLL_MODE || 'durable';
if (!SCALE_POLL_MODES[SCALE_POLL_MODE]) throw new Error(`unknown TSN_SCALE_POLL_MODE ${SCALE_POLL_MODE}`);
const POLLED_ACCOUNT = 'acc-demo-0002';
const POLLED_INQUIRY = 1878921; // an inquiry of acc-demo-0002
const WEBHOOK_ID = '0b7e2f3c-4d5a-4e6f-9a8b-7c6d5e4f3a21';
const HANDOVER_TRIALS = 5;
const DUAL_EVENTS = 50; // each delivered to both webhook processors at once
// The same trigger followed by an exact-once recipe (README, "Queue mode").
const RECIPES = {
	removeDuplicates: { id: 'tsScaleRecipeRD01', webhookId: '5a1d7c2e-3b4f-4a6d-8e9f-0a1b2c3d4e51' },
	postgresClaim: { id: 'tsScaleRecipePG01', webhookId: '5a1d7c2e-3b4f-4a6d-8e9f-0a1b2c3d4e52' },
};
const SEEN_EVENTS_TABLE = 'thinksurance_seen_events';
const t0 = Date.now();

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const secondsSince = (start) => ((Date.now() - start) / 1000).toFixed(1);
const say = (message) => console.log(`[scale +${secondsSince(t0)} s] ${message}`);

/* ------------------------------------------------------------------------ */
/* Which process sent a request: a reverse proxy that reads /proc            */
/* ------------------------------------------------------------------------ */

function socketInode(clientPort, serverPort) {
	for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text;
		try {
			text = fs.readFileSync(file, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n').slice(1)) {
			const parts = line.trim().split(/\s+/);
			if (parts.length < 10) continue;
			const local = parseInt(parts[1].split(':').pop(), 16);
			const remote = parseInt(parts[2].split(':').pop(), 16);
			if (local === clientPort && remote === serverPort) return parts[9];
		}
	}
	return undefined;
}

function ownsSocket(pid, target) {
	try {
		for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
			try {
				if (fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === target) return true;
			} catch {
				// fd closed meanwhile
			}
		}
	} catch {
		// process gone
	}
	return false;
}

function commandOf(pid) {
	try {
		return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
	} catch {
		return '';
	}
}

/** Forwards everything to the stand-in and counts requests per sending process. */
async function startAttributingProxy(targetUrl, labelOf) {
	const target = new URL(targetUrl);
	const counts = {};
	const tokenLog = [];
	const unknownLog = [];
	const server = http.createServer((req, res) => {
		const socket = req.socket;
		if (socket.tsnOwner === undefined) {
			let inode;
			for (let i = 0; i < 3 && !inode; i++) inode = socketInode(socket.remotePort, socket.localPort);
			if (inode === '0') inode = undefined; // TIME_WAIT: the client has already closed it
			let owner = 'unknown';
			if (inode) {
				const wanted = `socket:[${inode}]`;
				const known = labelOf.pids();
				let pid = known.find((candidate) => ownsSocket(candidate, wanted));
				if (pid === undefined) {
					for (const entry of fs.readdirSync('/proc')) {
						if (/^\d+$/.test(entry) && ownsSocket(Number(entry), wanted)) {
							pid = Number(entry);
							break;
						}
					}
				}
				if (pid !== undefined) owner = labelOf.label(pid);
			}
			socket.tsnOwner = owner;
		}
		const owner = socket.tsnOwner;
		const entry = (counts[owner] ??= { requests: 0, tokenRequests: 0, pollSearches: 0, statuses: {} });
		entry.requests += 1;
		if (req.url.split('?')[0] === '/api/ipn/inquiries' && !/[?&]inquiryId=/.test(req.url)) {
			// V1.1 (the credential's default): the account in a header.
			if (req.headers['x-account-token'] === POLLED_ACCOUNT) entry.pollSearches += 1;
		} else if (req.url.startsWith('/api/account-ipn/get/')) {
			// Searches of the polling trigger's account (no action workflow searches it).
			const chunks = [];
			req.on('data', (chunk) => chunks.push(chunk));
			req.on('end', () => {
				if (Buffer.concat(chunks).toString('utf8').includes(POLLED_ACCOUNT)) entry.pollSearches += 1;
			});
		}
		const isToken = req.url.split('?')[0] === '/api/token';
		if (isToken) {
			entry.tokenRequests += 1;
			tokenLog.push({ at: new Date().toISOString(), owner });
		}
		if (owner === 'unknown') unknownLog.push({ at: new Date().toISOString(), path: req.url.replace(/[0-9a-f]{40}/g, '{token}'), clientPort: socket.remotePort });
		const upstream = http.request(
			{ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
			(answer) => {
				entry.statuses[answer.statusCode] = (entry.statuses[answer.statusCode] ?? 0) + 1;
				res.writeHead(answer.statusCode, answer.headers);
				answer.pipe(res);
			},
		);
		upstream.on('error', () => req.socket.destroy());
		req.pipe(upstream);
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${server.address().port}`,
		counts,
		tokenLog,
		unknownLog,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------ */

function childrenOf(pid) {
	const children = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (ppid === pid) children.push(Number(entry));
		} catch {
			// gone
		}
	}
	return children;
}


/** Values that differ between two runs of the same workflow (fresh tokens, links, IDs). */
const VOLATILE = new Set(['url', 'inquiryHash', 'token', 'expired', 'id', 'directory', 'data']);

function normalize(value, extraVolatile = new Set(), key = '') {
	if (Array.isArray(value)) return value.map((entry) => normalize(entry, extraVolatile));
	if (value && typeof value === 'object') {
		const out = {};
		for (const [k, v] of Object.entries(value)) out[k] = normalize(v, extraVolatile, k);
		return out;
	}
	if ((VOLATILE.has(key) || extraVolatile.has(key)) && typeof value !== 'object') return '<varies>';
	// File links carry the document token of the answer that listed them.
	if (typeof value === 'string') return value.replace(/([?&]docToken=)[^&]+/g, '$1<varies>');
	return value;
}

/** Output items of the Thinksurance node without run-specific values (binary: metadata only). */
function comparable(items, extraVolatile) {
	return (items ?? []).map((item) => normalize({ json: item.json, binary: item.binary, pairedItem: item.pairedItem }, extraVolatile));
}

function getRaw(url, cookie) {
	return new Promise((resolve, reject) => {
		http.get(url, { headers: { cookie, 'browser-id': 'tsn-e2e' } }, (res) => {
			const chunks = [];
			res.on('data', (chunk) => chunks.push(chunk));
			res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
		}).on('error', reject);
	});
}

/* ------------------------------------------------------------------------ */
/* The suite                                                                 */
/* ------------------------------------------------------------------------ */

/** The single-instance suite's action workflows, run on the workers (IDs of their own). */
const ACTIONS = [
	{ id: 'tsScaleTokens001', ...ACTION_WORKFLOWS.getTokens },
	{ id: 'tsScaleSearch001', ...ACTION_WORKFLOWS.searchOrdered },
	{ id: 'tsScaleGet000001', ...ACTION_WORKFLOWS.getInquiry },
	{ id: 'tsScaleDownload1', ...ACTION_WORKFLOWS.downloadDocuments, binary: true },
	// A new inquiry per run: its ID is run-specific.
	{ id: 'tsScaleForward01', ...ACTION_WORKFLOWS.forwardContacts, volatile: ['inquiryId'] },
];

describe('Thinksurance in an n8n 2.x queue-mode cluster', { timeout: 20 * 60_000 }, () => {
	let services;
	let ownServices = false;
	let standin;
	let proxy;
	let cluster;
	let db;
	const roles = new Map(); // pid → role
	const children = {}; // role → ChildProcess
	const figures = { phases: {} };
	const eventsByExecution = new Map(); // execution id → eventIds found in its data
	let webhookPort;
	let baseEnv;

	const rolePids = () => [...roles.keys()];
	const labelOf = {
		pids: rolePids,
		label: (pid) => roles.get(pid) ?? (/\bn8n\b.*\bexecute\b/.test(commandOf(pid)) ? 'n8n execute (CLI)' : `other (${commandOf(pid).slice(0, 40)})`),
	};

	async function startRole(role, command, env, port) {
		const child = await cluster.start(command, { env, port });
		children[role] = child;
		roles.set(child.pid, role);
		return child;
	}

	async function startWorker(role) {
		const health = await freePort();
		const broker = await freePort();
		return await startRole(
			role,
			'worker',
			{
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(health),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				N8N_RUNNERS_BROKER_PORT: String(broker),
				N8N_CONCURRENCY_PRODUCTION_LIMIT: String(WORKER_CONCURRENCY),
			},
			health,
		);
	}

	/** Reads the eventIds of executions not seen yet (their data holds the trigger's items). */
	async function collectExecutions() {
		const known = [...eventsByExecution.keys()];
		const { rows } = await db.query(
			`SELECT e.id, d.data FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id
			 WHERE e."workflowId" = $1 AND NOT (e.id = ANY($2::int[]))`,
			[TRIGGER_WORKFLOW, known],
		);
		for (const row of rows) {
			const ids = [...new Set(String(row.data).match(/scale-b\d-\d+/g) ?? [])];
			if (ids.length > 0) eventsByExecution.set(Number(row.id), ids);
		}
	}

	async function statusesOf(ids) {
		const { rows } = await db.query('SELECT id, status FROM execution_entity WHERE id = ANY($1::int[])', [ids]);
		return new Map(rows.map((row) => [Number(row.id), row.status]));
	}

	/** Executions per eventId for one burst (prefix), after collecting. */
	function executionsByEvent(prefix) {
		const byEvent = new Map();
		for (const [executionId, eventIds] of eventsByExecution) {
			for (const eventId of eventIds.filter((id) => id.startsWith(prefix))) {
				if (!byEvent.has(eventId)) byEvent.set(eventId, []);
				byEvent.get(eventId).push(executionId);
			}
		}
		return byEvent;
	}

	/**
	 * Posts deliveries with IN_FLIGHT in flight, as Thinksurance does: an answer other than 2xx
	 * (or no answer) is delivered again later, up to SENDER_ATTEMPTS times. `onAnswer` runs after
	 * each final answer.
	 */
	async function sendAll(deliveries, onAnswer = () => undefined) {
		const url = `http://127.0.0.1:${webhookPort}/webhook/${WEBHOOK_ID}/webhook`;
		const answers = [];
		const latencies = [];
		let next = 0;
		await Promise.all(
			Array.from({ length: IN_FLIGHT }, async () => {
				while (next < deliveries.length) {
					const delivery = deliveries[next++];
					const statuses = [];
					for (let attempt = 1; attempt <= SENDER_ATTEMPTS; attempt++) {
						let status;
						const sentAt = Date.now();
						try {
							status = (await request('POST', url, { body: v2Event(delivery.inquiryId, delivery.eventId, proxy.url) })).status;
							latencies.push(Date.now() - sentAt);
						} catch (error) {
							status = `error ${error.code ?? error.message}`;
						}
						statuses.push(status);
						if (status === 204 || attempt === SENDER_ATTEMPTS) break;
						await sleep(1000 * 2 ** (attempt - 1));
					}
					answers.push({ ...delivery, status: statuses[statuses.length - 1], statuses });
					await onAnswer(answers);
				}
			}),
		);
		latencies.sort((a, b) => a - b);
		const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
		answers.latency = `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${latencies[latencies.length - 1]} ms`;
		return answers;
	}

	/** Non-2xx answers the sender had to retry, by status. */
	function senderRetries(answers) {
		const retried = {};
		for (const answer of answers) for (const status of answer.statuses.slice(0, -1)) retried[status] = (retried[status] ?? 0) + 1;
		return retried;
	}

	function workerLogStarts() {
		const started = {};
		cluster.processes.forEach((child, index) => {
			const role = roles.get(child.pid);
			if (!role?.startsWith('worker')) return;
			const log = cluster.readProcessLog(index);
			started[role] = new Set([...log.matchAll(/Worker started execution (\d+)/g)].map((m) => Number(m[1])));
		});
		return started;
	}

	/** Executions per worker, from the workers' "Worker started execution N" log lines. */
	function perWorker(starts, ids) {
		const out = Object.fromEntries(Object.entries(starts).map(([role, set]) => [role, ids.filter((id) => set.has(id)).length]));
		const logged = new Set(Object.values(starts).flatMap((set) => [...set]));
		out['not in a worker log'] = ids.filter((id) => !logged.has(id)).length;
		return out;
	}

	before(async () => {
		const tStart = Date.now();
		if (process.env.TSN_SCALE_PG && process.env.TSN_SCALE_REDIS) {
			const [pgHost, pgPort] = process.env.TSN_SCALE_PG.split(':');
			const [redisHost, redisPort] = process.env.TSN_SCALE_REDIS.split(':');
			services = { pg: { host: pgHost, port: Number(pgPort), database: 'n8n', user: 'postgres' }, redis: { host: redisHost, port: Number(redisPort) } };
		} else {
			services = await require('../../scripts/test-scale').startServices();
			ownServices = true;
		}
		const n8nModules = path.dirname(path.dirname(ensureN8n('2').bin));
		const { Client } = require(path.join(n8nModules, 'pg'));
		db = new Client({ host: services.pg.host, port: services.pg.port, database: services.pg.database, user: services.pg.user });
		await db.connect();

		standin = await startStandin({ latencyMs: 5, tokenTtlSeconds: 3600 });
		proxy = await startAttributingProxy(standin.url, labelOf);

		webhookPort = await freePort();
		baseEnv = {
			EXECUTIONS_MODE: 'queue',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: services.pg.host,
			DB_POSTGRESDB_PORT: String(services.pg.port),
			DB_POSTGRESDB_DATABASE: services.pg.database,
			DB_POSTGRESDB_USER: services.pg.user,
			DB_POSTGRESDB_PASSWORD: '',
			DB_POSTGRESDB_POOL_SIZE: '10',
			// n8n answers every webhook 503 "Database is not ready!" after 3 slow pings (default 5 s);
			// on a loaded 2-core machine a ping can wait that long for a pooled connection.
			DB_PING_TIMEOUT_MS: '20000',
			QUEUE_BULL_REDIS_HOST: services.redis.host,
			QUEUE_BULL_REDIS_PORT: String(services.redis.port),
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			// Every process must decrypt the same credentials.
			N8N_ENCRYPTION_KEY: crypto.randomBytes(24).toString('hex'),
			// `filesystem` is per machine; in queue mode n8n 2.40.7 defaults to `database` (all processes read it).
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/`,
			// Shorter than the defaults (60 s lock, 30 s stalled check) so a dead worker's jobs are
			// settled within the test's time bound. The queue recovery on main keeps its default
			// interval (180 min): run every few seconds it races with the webhook processor (an
			// execution row exists a moment before its job reaches Redis, recovery marks it
			// `crashed`, and the worker then skips the job) — seen here with a 15 s interval.
			QUEUE_WORKER_LOCK_DURATION: '30000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '10000',
			QUEUE_WORKER_STALLED_INTERVAL: '5000',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			// Keep finished jobs in Redis for a while, so (d) finds a job whatever a worker did with it.
			N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED: '1000',
			EXECUTIONS_DATA_PRUNE: 'false',
			...SCALE_POLL_MODES[SCALE_POLL_MODE],
		};
		say(`polling trigger under n8n's ${SCALE_POLL_MODE} poller`);
		cluster = await new N8nInstance({ line: '2', env: baseEnv }).init();
		cluster.installPackage(packPackage({ build: process.env.TSN_SKIP_BUILD !== '1' }));
		let t = Date.now();
		cluster.importCredentials([credential(proxy.url)]);
		cluster.importWorkflows([
			...ACTIONS.map((action) => linearWorkflow({ id: action.id, name: action.name, items: action.items, nodes: action.nodes })),
			triggerWorkflow({
				id: TRIGGER_WORKFLOW,
				name: 'Thinksurance notifications (queue)',
				webhookId: WEBHOOK_ID,
				parameters: { events: ['*'], registration: 'manual', fetchInquiry: true, accountToken: 'acc-demo-0001' },
				// Each execution also calls Thinksurance on a worker.
				after: [
					{
						name: 'Inquiry Again',
						type: 'n8n-nodes-thinksurance.thinksurance',
						parameters: { resource: 'inquiry', operation: 'get', inquiryId: '={{ $json.inquiryId }}', authenticateAs: 'account', accountToken: 'acc-demo-0001' },
					},
				],
			}),
			{
				id: POLLING_WORKFLOW,
				name: 'Thinksurance polling (queue)',
				active: false,
				nodes: [
					{
						id: '00000000-0000-4000-8000-00000000b001',
						name: 'Thinksurance Polling Trigger',
						type: 'n8n-nodes-thinksurance.thinksurancePollingTrigger',
						typeVersion: 1,
						position: [0, 0],
						parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, events: ['*'], accountToken: POLLED_ACCOUNT, filters: {}, downloadDocuments: false },
						credentials: { thinksuranceApi: { id: 'tsStandinCred001', name: 'Thinksurance (local stand-in)' } },
					},
				],
				connections: {},
				settings: { executionOrder: 'v1' },
				pinData: {},
			},
		]);
		await db.query(`CREATE TABLE IF NOT EXISTS ${SEEN_EVENTS_TABLE} (event_id text PRIMARY KEY, seen_at timestamptz NOT NULL DEFAULT now())`);
		cluster.importCredentials([
			{
				id: 'tsScalePostgres1',
				name: 'Events database',
				type: 'postgres',
				data: { host: services.pg.host, port: services.pg.port, database: services.pg.database, user: services.pg.user, password: '', ssl: 'disable', allowUnauthorizedCerts: false, maxConnections: 20 },
			},
		]);
		const recipeTrigger = { events: ['*'], registration: 'manual', fetchInquiry: true, accountToken: 'acc-demo-0001' };
		const passed = { name: 'Passed', type: 'n8n-nodes-base.noOp', parameters: {} };
		cluster.importWorkflows([
			triggerWorkflow({
				...RECIPES.removeDuplicates,
				name: 'Thinksurance notifications + Remove Duplicates',
				parameters: recipeTrigger,
				after: [
					{
						name: 'Remove Duplicates',
						type: 'n8n-nodes-base.removeDuplicates',
						typeVersion: 2,
						parameters: { operation: 'removeItemsSeenInPreviousExecutions', logic: 'removeItemsWithAlreadySeenKeyValues', dedupeValue: "={{ $json.eventId + ':' + $json.inquiryId }}", options: {} },
					},
					passed,
				],
			}),
			triggerWorkflow({
				...RECIPES.postgresClaim,
				name: 'Thinksurance notifications + Postgres claim',
				parameters: recipeTrigger,
				after: [
					{
						name: 'Claim Event',
						type: 'n8n-nodes-base.postgres',
						typeVersion: 2.6,
						credentials: { postgres: { id: 'tsScalePostgres1', name: 'Events database' } },
						parameters: {
							operation: 'executeQuery',
							// One row either way ({first: true|false}): an INSERT that returns nothing gives an item too.
							query: `WITH claimed AS (INSERT INTO ${SEEN_EVENTS_TABLE} (event_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING 1) SELECT count(*) = 1 AS first FROM claimed`,
							options: { queryReplacement: "={{ $json.eventId + ':' + $json.inquiryId }}" },
						},
					},
					{
						name: 'First Time',
						type: 'n8n-nodes-base.filter',
						typeVersion: 2,
						parameters: {
							conditions: {
								combinator: 'and',
								options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 1 },
								conditions: [{ id: 'first', leftValue: '={{ $json.first }}', rightValue: '', operator: { type: 'boolean', operation: 'true', singleValue: true } }],
							},
							options: {},
						},
					},
					passed,
				],
			}),
		]);
		say(`credentials and workflows imported into PostgreSQL in ${secondsSince(t)} s`);
		t = Date.now();
		await startRole('main', 'start', {}, undefined);
		say(`main ready in ${secondsSince(t)} s`);
		t = Date.now();
		await Promise.all([
			startRole('webhook', 'webhook', { N8N_PORT: String(webhookPort), N8N_RUNNERS_BROKER_PORT: String(await freePort()) }, webhookPort),
			startWorker('worker-1'),
			startWorker('worker-2'),
		]);
		say(`webhook processor and two workers ready in ${secondsSince(t)} s`);
		await cluster.login();
		await cluster.activate(TRIGGER_WORKFLOW);
		for (const recipe of Object.values(RECIPES)) await cluster.activate(recipe.id);
		// The webhook processor finds the webhook in the database: wait until it answers for it.
		const probeUrl = `http://127.0.0.1:${webhookPort}/webhook/${WEBHOOK_ID}/webhook`;
		for (let i = 0; i < 120; i++) {
			const probe = await request('POST', probeUrl, { body: { hello: 'world' } });
			if (probe.status === 400) break;
			await sleep(500);
		}
		// The polling trigger: activation polls once (remembers), then the changes for part d);
		// its every-minute polls run while a–c do.
		await cluster.activate(POLLING_WORKFLOW);
		// n8n answers the activation before its first poll ran; a change made before that poll is
		// part of what it remembers, so wait for it.
		const pollSearchCount = () => Object.values(proxy.counts).reduce((sum, count) => sum + (count.pollSearches ?? 0), 0);
		for (let i = 0; i < 120 && pollSearchCount() < 1; i++) await sleep(500);
		await sleep(1000);
		const created = await request('POST', `${standin.url}/__control/inquiry/create`, { body: { aToken: POLLED_ACCOUNT } });
		const current = standin.state.inquiries.get(POLLED_INQUIRY).data.status;
		await request('POST', `${standin.url}/__control/inquiry`, { body: { inquiryId: POLLED_INQUIRY, status: current === 15 ? 6 : 15 } });
		figures.polling = { createdId: created.json.inquiryId, changedAt: Date.now(), searchesAtChange: pollSearchCount() };
		figures.phases.setup = Date.now() - tStart;
		say(`cluster up in ${secondsSince(tStart)} s`);
	});

	after(async () => {
		try {
			const orphans = children['worker-2-killed'] ? childrenOf(children['worker-2-killed'].pid) : [];
			await cluster?.stop();
			for (const pid of orphans) {
				try {
					process.kill(pid, 'SIGKILL');
				} catch {
					// gone
				}
			}
		} finally {
			await db?.end().catch(() => undefined);
			await proxy?.close();
			await standin?.close();
			if (ownServices) services.stop();
		}
		printFigures();
	});

	function printFigures() {
		const rows = [];
		const add = (what, value) => rows.push(`| ${what} | ${value} |`);
		if (figures.burst1) {
			add('burst 1: notifications sent (distinct events)', figures.burst1.sent);
			add('burst 1: redeliveries (same eventId again)', figures.burst1.redelivered);
			add('burst 1: answered 204 (in the end)', figures.burst1.answered204);
			add('burst 1: answers the sender had to retry, by status', JSON.stringify(figures.burst1.senderRetries));
			add('burst 1: webhook answer time', figures.burst1.latency);
			add('burst 1: executions / distinct events executed', `${figures.burst1.executions} / ${figures.burst1.executed}`);
			add('burst 1: duplicated / lost', `${figures.burst1.duplicated} / ${figures.burst1.lost}`);
			add('burst 1: wall time (send) / until all finished', `${(figures.burst1.sendMs / 1000).toFixed(1)} s / ${(figures.burst1.settleMs / 1000).toFixed(1)} s`);
			add('burst 1: executions per worker', JSON.stringify(figures.burst1.perWorker));
		}
		if (figures.polling?.executions !== undefined) {
			add('polling trigger: executions for 2 changes (whole cluster)', figures.polling.executions);
			add('polling trigger: searches by process', JSON.stringify(figures.polling.searchesBy));
		}
		if (figures.burst2) {
			add('burst 2: notifications sent / answered 204', `${figures.burst2.sent} / ${figures.burst2.answered204}`);
			add('burst 2: answers the sender had to retry, by status', JSON.stringify(figures.burst2.senderRetries));
			add('burst 2: webhook answer time', figures.burst2.latency);
			add('burst 2: worker-2 SIGKILLed after answered', figures.burst2.killedAfter);
			add('burst 2: executions / duplicated / lost', `${figures.burst2.executions} / ${figures.burst2.duplicated} / ${figures.burst2.lost}`);
			add('burst 2: final statuses', JSON.stringify(figures.burst2.statuses));
			add('burst 2: not successful (all in the hands of the killed worker)', figures.burst2.notSuccessOnKilled);
			add('burst 2: until every execution final', `${(figures.burst2.settleMs / 1000).toFixed(1)} s`);
			add('burst 2: executions per worker', JSON.stringify(figures.burst2.perWorker));
		}
		if (figures.handover) add('d) 204 arrived with the execution in PostgreSQL / its job in Redis', `${figures.handover.withExecution} / ${figures.handover.withJob} of ${figures.handover.trials}`);
		if (figures.dual) {
			for (const [what, row] of Object.entries(figures.dual)) {
				add(`e) two webhook processors, ${DUAL_EVENTS} events to both at once, ${what}: events run twice / lost / executions`, `${row.duplicated} / ${row.lost} / ${row.executions}`);
			}
		}
		if (proxy) {
			for (const [owner, count] of Object.entries(proxy.counts).sort()) {
				add(`requests from ${owner}: API / security token (answers by status)`, `${count.requests} / ${count.tokenRequests} (${JSON.stringify(count.statuses)})`);
			}
			add('security token requests (time, process)', proxy.tokenLog.map((entry) => `${entry.at.slice(11, 19)} ${entry.owner}`).join(', '));
			if (proxy.unknownLog.length) add('requests not attributed to a process', JSON.stringify(proxy.unknownLog));
		}
		if (standin) add('security token requests at the stand-in (all processes)', standin.stats.tokenRequests);
		for (const [phase, ms] of Object.entries(figures.phases)) add(`wall time: ${phase}`, `${(ms / 1000).toFixed(1)} s`);
		add('wall time: suite', `${secondsSince(t0)} s`);
		console.log(['', '| figure | value |', '|---|---|', ...rows].join('\n'));
	}

	test('a) action workflows on workers give the same outputs as a single-instance run', async () => {
		const tPhase = Date.now();
		for (const action of ACTIONS) {
			const single = await cluster.execute(action.id);
			assert.equal(single.status, 0, `n8n execute ${action.id}: ${single.stderr.slice(-500)}`);
			const queued = await cluster.runWorkflow(action.id, { timeoutMs: 120_000 });
			assert.equal(queued.execution.mode, 'manual');
			// It ran on a worker, not on main.
			let ranOn;
			for (let i = 0; i < 20 && !ranOn; i++) {
				const starts = workerLogStarts();
				ranOn = Object.keys(starts).find((role) => starts[role].has(Number(queued.executionId)));
				if (!ranOn) await sleep(250);
			}
			assert.ok(ranOn, `execution ${queued.executionId} was started by a worker`);
			const expected = comparable(nodeOutput(single.run, 'Thinksurance'), new Set(action.volatile ?? []));
			const actual = comparable(nodeOutput(queued.run, 'Thinksurance'), new Set(action.volatile ?? []));
			assert.ok(expected.length > 0, `${action.name}: single-instance output`);
			assert.deepEqual(actual, expected, `${action.name}: same output on ${ranOn} as single-instance (${JSON.stringify(nodeError(queued.run, 'Thinksurance'))})`);
			say(`${action.name}: ${actual.length} items, identical (single ${single.ms} ms via n8n execute, queue ${queued.ms} ms on ${ranOn})`);
			if (action.binary) {
				const items = nodeOutput(queued.run, 'Thinksurance');
				assert.equal(items.length, 3);
				for (const item of items) {
					const binary = item.binary?.data;
					assert.ok(binary, 'binary in field "data"');
					assert.match(binary.id, /^database:/, 'binary data stored in the database');
					// Written by the worker, read by main.
					const file = await getRaw(`${cluster.url}/rest/binary-data?id=${encodeURIComponent(binary.id)}&action=download`, cluster.cookie);
					assert.equal(file.status, 200);
					assert.equal(file.body.length, item.json.fileSize);
					if (binary.mimeType === 'application/pdf') assert.equal(file.body.subarray(0, 5).toString(), '%PDF-');
				}
			}
		}
		figures.phases['a) action workflows'] = Date.now() - tPhase;
	});

	test(`b) ${BURST1} notifications (${IN_FLIGHT} in flight, ${REDELIVERED} redelivered) to the webhook processor: exactly ${BURST1} executions`, async () => {
		const deliveries = [];
		for (let i = 0; i < BURST1; i++) deliveries.push({ key: i, eventId: `scale-b1-${i}`, inquiryId: 1878880 + (i % 40), redelivery: false });
		for (let k = 0; k < REDELIVERED; k++) {
			const i = k * 10 + 5;
			// Some redeliveries overlap the first delivery (in flight together), some come later.
			deliveries.push({ key: i + 1 + (k % 3 === 0 ? 0.5 : 25 + k), eventId: `scale-b1-${i}`, inquiryId: 1878880 + (i % 40), redelivery: true });
		}
		deliveries.sort((a, b) => a.key - b.key);

		const tSend = Date.now();
		const collector = setInterval(() => collectExecutions().catch(() => undefined), 1000);
		let answers;
		try {
			answers = await sendAll(deliveries);
		} finally {
			clearInterval(collector);
		}
		const sendMs = Date.now() - tSend;
		const notAnswered = answers.filter((a) => a.status !== 204);
		assert.deepEqual(notAnswered.map((a) => `${a.eventId}: ${a.statuses.join(', ')}`), [], 'every delivery answered 204 (in the end)');

		const deadline = Date.now() + SETTLE_BOUND_MS;
		let byEvent;
		for (;;) {
			await collectExecutions();
			byEvent = executionsByEvent('scale-b1-');
			const statuses = await statusesOf([...eventsByExecution.keys()]);
			const open = [...statuses.values()].filter((s) => ['new', 'running'].includes(s)).length;
			if ((byEvent.size >= BURST1 && open === 0) || Date.now() > deadline) break;
			await sleep(1000);
		}
		const settleMs = Date.now() - tSend;
		await sleep(3000); // an unwanted extra execution would show up now
		await collectExecutions();
		byEvent = executionsByEvent('scale-b1-');
		const ids = [...byEvent.values()].flat();
		const { rows } = await db.query(`SELECT count(*)::int AS n FROM execution_entity WHERE "workflowId" = $1`, [TRIGGER_WORKFLOW]);
		const viaRest = (await cluster.rest('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: TRIGGER_WORKFLOW }))}&limit=1`)).count;
		const statuses = await statusesOf(ids);
		const starts = workerLogStarts();
		figures.burst1 = {
			sent: BURST1,
			redelivered: REDELIVERED,
			answered204: answers.length - notAnswered.length,
			senderRetries: senderRetries(answers),
			latency: answers.latency,
			executions: rows[0].n,
			executed: byEvent.size,
			duplicated: [...byEvent.values()].filter((list) => list.length > 1).length,
			lost: BURST1 - byEvent.size,
			sendMs,
			settleMs,
			perWorker: perWorker(starts, ids),
		};
		figures.phases['b) burst of 300'] = settleMs;
		say(`burst 1: ${answers.length} deliveries sent in ${(sendMs / 1000).toFixed(1)} s (${(answers.length / (sendMs / 1000)).toFixed(1)}/s); all ${byEvent.size} executions finished after ${(settleMs / 1000).toFixed(1)} s`);
		assert.equal(rows[0].n, BURST1, 'executions in the database');
		assert.equal(viaRest, BURST1, 'executions listed by main');
		assert.equal(byEvent.size, BURST1, 'every event executed');
		assert.equal(figures.burst1.duplicated, 0, 'no event executed twice');
		assert.deepEqual([...new Set(statuses.values())], ['success'], 'all succeeded');
		assert.ok(figures.burst1.perWorker['worker-1'] > 0 && figures.burst1.perWorker['worker-2'] > 0, `both workers took part: ${JSON.stringify(figures.burst1.perWorker)}`);
		// The second node ran on the workers with the fetched inquiry.
		const sample = await cluster.waitForExecution(ids[0]);
		assert.equal(nodeOutput(sample.run, 'Inquiry Again')?.[0]?.json?.inquiryId, nodeOutput(sample.run, 'Thinksurance Trigger')[0].json.inquiryId);
	});

	test(`c) a worker SIGKILLed during a burst of ${BURST2}: every delivery answered 204 has exactly one execution, each reaching a final status`, async () => {
		const deliveries = Array.from({ length: BURST2 }, (_, i) => ({ eventId: `scale-b2-${i}`, inquiryId: 1878880 + (i % 40) }));
		const victim = children['worker-2'];
		let killedAfter;
		let killedWorkerStarts;
		const tSend = Date.now();
		const collector = setInterval(() => collectExecutions().catch(() => undefined), 500);
		let answers;
		try {
			answers = await sendAll(deliveries, (sofar) => {
				if (killedAfter === undefined && sofar.length >= KILL_AFTER) {
					killedAfter = sofar.length;
					const orphans = childrenOf(victim.pid);
					victim.kill('SIGKILL');
					// Its task runner would linger without its parent.
					for (const pid of orphans) {
						try {
							process.kill(pid, 'SIGKILL');
						} catch {
							// gone
						}
					}
					roles.set(victim.pid, 'worker-2 (killed)');
					children['worker-2-killed'] = victim;
					say(`worker-2 (pid ${victim.pid}) SIGKILLed after ${killedAfter} answered deliveries`);
				}
			});
		} finally {
			clearInterval(collector);
		}
		const sendMs = Date.now() - tSend;
		await collectExecutions();
		const answered = answers.filter((a) => a.status === 204);
		say(`burst 2: ${answers.length} sent in ${(sendMs / 1000).toFixed(1)} s, ${answered.length} answered 204; restarting worker-2`);
		const tRestart = Date.now();
		await startWorker('worker-2 (restarted)');
		say(`worker-2 restarted in ${secondsSince(tRestart)} s`);

		// Every answered delivery has its execution; each execution reaches a final status.
		const deadline = Date.now() + SETTLE_BOUND_MS;
		let byEvent;
		let statuses;
		for (;;) {
			await collectExecutions();
			byEvent = executionsByEvent('scale-b2-');
			statuses = await statusesOf([...byEvent.values()].flat());
			const open = [...statuses.values()].filter((s) => ['new', 'running', 'waiting'].includes(s)).length;
			if ((byEvent.size >= answered.length && open === 0) || Date.now() > deadline) break;
			await sleep(1000);
		}
		const settleMs = Date.now() - tSend;
		await sleep(3000);
		await collectExecutions();
		byEvent = executionsByEvent('scale-b2-');
		const ids = [...byEvent.values()].flat();
		statuses = await statusesOf(ids);
		const starts = workerLogStarts();
		killedWorkerStarts = starts['worker-2 (killed)'] ?? new Set();
		const notSuccess = ids.filter((id) => statuses.get(id) !== 'success');
		const statusCounts = {};
		for (const status of statuses.values()) statusCounts[status] = (statusCounts[status] ?? 0) + 1;
		figures.burst2 = {
			sent: BURST2,
			answered204: answered.length,
			senderRetries: senderRetries(answers),
			latency: answers.latency,
			killedAfter,
			executions: ids.length,
			duplicated: [...byEvent.values()].filter((list) => list.length > 1).length,
			lost: answered.filter((a) => !byEvent.has(a.eventId)).length,
			statuses: statusCounts,
			notSuccessOnKilled: `${notSuccess.length} (${notSuccess.filter((id) => killedWorkerStarts.has(id)).length} of them logged as started by the killed worker, the others dequeued by it just before the kill)`,
			settleMs,
			perWorker: perWorker(starts, ids),
		};
		figures.phases['c) burst of 200 with a worker killed'] = settleMs;
		say(`burst 2: ${JSON.stringify(figures.burst2)}`);

		assert.ok(killedAfter !== undefined, 'the worker was killed during the burst');
		// The webhook processor is untouched: it keeps answering.
		assert.equal(answered.length, BURST2, 'every delivery answered 204');
		assert.equal(figures.burst2.lost, 0, 'every answered delivery has an execution');
		assert.equal(figures.burst2.duplicated, 0, 'no delivery executed twice (n8n does not re-run a dead worker\'s job)');
		assert.equal(ids.length, answered.length, 'one execution per answered delivery');
		for (const [id, status] of statuses) {
			assert.ok(['success', 'error', 'crashed'].includes(status), `execution ${id} final (is ${status}) within ${SETTLE_BOUND_MS / 1000} s`);
		}
		// Only what the dead worker had in hand can be lost to the crash, never more than its concurrency.
		assert.ok(notSuccess.length <= WORKER_CONCURRENCY, `${notSuccess.length} executions not successful`);
		const startedElsewhere = new Set(Object.entries(starts).filter(([role]) => role !== 'worker-2 (killed)').flatMap(([, set]) => [...set]));
		for (const id of killedWorkerStarts) assert.ok(!startedElsewhere.has(id), `execution ${id} of the killed worker was not run again by another worker`);
		// A job the dead worker had dequeued but not yet logged is in no log at all.
		for (const id of notSuccess) assert.ok(!startedElsewhere.has(id), `execution ${id} (${statuses.get(id)}) was in the hands of the killed worker`);
		for (const id of notSuccess.filter((n) => statuses.get(n) === 'error')) {
			const execution = await cluster.waitForExecution(id);
			const message = execution.run?.data?.resultData?.error?.message ?? '';
			assert.match(message, /processed too many times|stalled/i, `execution ${id}: ${message}`);
		}
		// The surviving and the restarted worker did the rest.
		const others = ids.filter((id) => startedElsewhere.has(id));
		assert.deepEqual(others.filter((id) => statuses.get(id) !== 'success'), [], 'everything the other workers ran succeeded');
		const logged = new Set(Object.values(starts).flatMap((set) => [...set]));
		assert.deepEqual(ids.filter((id) => statuses.get(id) === 'success' && !logged.has(id)), [], 'every successful execution ran on a worker');
	});

	/** One delivery as Thinksurance makes it: repeated after an error or a non-2xx answer; the last status. */
	async function deliverUntilAnswered(url, body) {
		let status;
		for (let attempt = 1; attempt <= SENDER_ATTEMPTS; attempt++) {
			try {
				status = (await request('POST', url, { body })).status;
			} catch (error) {
				status = `error ${error.code ?? error.message}`;
			}
			if (status === 204) break;
			await sleep(1000 * 2 ** (attempt - 1));
		}
		return status;
	}

	const webhookUrl = (port, webhookId = WEBHOOK_ID) => `http://127.0.0.1:${port}/webhook/${webhookId}/webhook`;

	/** Execution IDs per eventId (matching `pattern`) of one workflow, and the final statuses; `passed`: only those where that node ran. */
	async function executionsOf(workflowId, pattern, passed) {
		const { rows } = await db.query(
			`SELECT e.id, e.status, d.data FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = $1`,
			[workflowId],
		);
		const byEvent = new Map();
		const open = rows.filter((row) => ['new', 'running', 'waiting'].includes(row.status)).length;
		for (const row of rows) {
			const data = String(row.data);
			if (passed && !data.includes(`"${passed}"`)) continue;
			for (const eventId of new Set(data.match(pattern) ?? [])) {
				if (!byEvent.has(eventId)) byEvent.set(eventId, []);
				byEvent.get(eventId).push(Number(row.id));
			}
		}
		return { byEvent, open };
	}

	test(`d) the webhook processor frozen the moment a 204 arrives (${HANDOVER_TRIALS}×): the execution is in PostgreSQL and its job in Redis`, async () => {
		const n8nModules = path.dirname(path.dirname(ensureN8n('2').bin));
		const Redis = require(path.join(n8nModules, 'ioredis'));
		const redis = new Redis({ host: services.redis.host, port: services.redis.port, lazyConnect: true });
		await redis.connect();
		const webhookIndex = cluster.processes.indexOf(children.webhook);
		const trials = [];
		try {
			for (let trial = 1; trial <= HANDOVER_TRIALS; trial++) {
				const eventId = `scale-b4-${trial}`;
				const res = await request('POST', webhookUrl(webhookPort), { body: v2Event(1878881, eventId, proxy.url) });
				children.webhook.kill('SIGSTOP');
				try {
					const { rows } = await db.query(`SELECT "executionId" AS id FROM execution_data WHERE data LIKE $1`, [`%${eventId}%`]);
					const executionId = rows[0]?.id;
					// "Enqueued execution N (job M)" is logged right after the job was added.
					const line = executionId && cluster.readProcessLog(webhookIndex).match(new RegExp(`Enqueued execution ${executionId} \\(job (\\d+)\\)`));
					const job = line ? JSON.parse((await redis.hget(`bull:jobs:${line[1]}`, 'data')) ?? 'null') : null;
					trials.push({ status: res.status, executionId, job: job?.executionId === String(executionId) });
				} finally {
					children.webhook.kill('SIGCONT');
				}
			}
		} finally {
			redis.disconnect();
		}
		figures.handover = { trials: trials.length, withExecution: trials.filter((t) => t.executionId).length, withJob: trials.filter((t) => t.job).length };
		say(`d) ${JSON.stringify(trials)}`);
		for (const trial of trials) {
			assert.equal(trial.status, 204);
			assert.ok(trial.executionId, 'the execution exists when the 204 arrives');
			assert.ok(trial.job, `the job of execution ${trial.executionId} is in Redis when the 204 arrives`);
		}
	});

	test(`e) two webhook processors, ${DUAL_EVENTS} events delivered to both at once: duplicates without and with a recipe`, async () => {
		const tPhase = Date.now();
		const secondPort = await freePort();
		await startRole('webhook-2', 'webhook', { N8N_PORT: String(secondPort), N8N_RUNNERS_BROKER_PORT: String(await freePort()) }, secondPort);
		for (let i = 0; i < 120; i++) {
			if ((await request('POST', webhookUrl(secondPort), { body: { hello: 'world' } })).status === 400) break;
			await sleep(500);
		}
		const targets = [
			['trigger alone', WEBHOOK_ID],
			['Remove Duplicates', RECIPES.removeDuplicates.webhookId],
			['Postgres claim', RECIPES.postgresClaim.webhookId],
		];
		const statuses = [];
		let next = 0;
		await Promise.all(
			Array.from({ length: 10 }, async () => {
				while (next < DUAL_EVENTS) {
					const body = v2Event(1878880 + (next % 40), `scale-b3-${next++}`, proxy.url);
					const posts = targets.flatMap(([, webhookId]) => [webhookPort, secondPort].map((port) => deliverUntilAnswered(webhookUrl(port, webhookId), body)));
					statuses.push(...(await Promise.all(posts)));
				}
			}),
		);
		const pattern = /scale-b3-\d+/g;
		const count = async () => ({
			'trigger alone': await executionsOf(TRIGGER_WORKFLOW, pattern),
			'Remove Duplicates': await executionsOf(RECIPES.removeDuplicates.id, pattern, 'Passed'),
			'Postgres claim': await executionsOf(RECIPES.postgresClaim.id, pattern, 'Passed'),
			all: await Promise.all([TRIGGER_WORKFLOW, RECIPES.removeDuplicates.id, RECIPES.postgresClaim.id].map((id) => executionsOf(id, pattern))),
		});
		const deadline = Date.now() + SETTLE_BOUND_MS;
		let counted;
		for (;;) {
			counted = await count();
			if (counted.all.every((c) => c.open === 0 && c.byEvent.size >= DUAL_EVENTS) || Date.now() > deadline) break;
			await sleep(1000);
		}
		await sleep(3000);
		counted = await count();
		figures.dual = {};
		targets.forEach(([what], index) => {
			const { byEvent } = counted[what];
			const started = counted.all[index].byEvent;
			figures.dual[what] = {
				executions: [...started.values()].flat().length,
				duplicated: [...byEvent.values()].filter((list) => list.length > 1).length,
				lost: DUAL_EVENTS - byEvent.size,
			};
		});
		figures.phases['e) two webhook processors'] = Date.now() - tPhase;
		say(`e) answers ${JSON.stringify(Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length])))}; ${JSON.stringify(figures.dual)}`);
		assert.deepEqual([...new Set(statuses)], [204], 'every delivery answered 204');
		assert.equal(figures.dual['trigger alone'].lost, 0, 'every event started the workflow');
		assert.equal(figures.dual['Postgres claim'].lost, 0, 'the Postgres claim lets every event through');
		assert.equal(figures.dual['Postgres claim'].duplicated, 0, 'the Postgres claim lets each event through once');
	});

	test('f) polling trigger: one emission per change for the whole cluster, polls on main only', async () => {
		const searches = () => Object.values(proxy.counts).reduce((sum, count) => sum + (count.pollSearches ?? 0), 0);
		// At least two scheduled polls after the changes (the first emits, the later must not).
		for (let i = 0; i < 300 && searches() < figures.polling.searchesAtChange + 2; i++) await sleep(1000);
		assert.ok(searches() >= figures.polling.searchesAtChange + 2, `polls after the change: ${searches() - figures.polling.searchesAtChange}`);
		let rows = [];
		for (let i = 0; i < 60; i++) {
			({ rows } = await db.query(
				`SELECT e.id, e.status, d.data FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id WHERE e."workflowId" = $1 ORDER BY e.id`,
				[POLLING_WORKFLOW],
			));
			if (rows.length > 0 && rows.every((row) => row.status === 'success')) break;
			await sleep(1000);
		}
		const pollers = Object.entries(proxy.counts).filter(([, count]) => count.pollSearches > 0);
		figures.polling.executions = rows.length;
		figures.polling.searchesBy = Object.fromEntries(pollers.map(([owner, count]) => [owner, count.pollSearches]));
		say(`polling: ${rows.length} execution(s), searches by process ${JSON.stringify(figures.polling.searchesBy)}`);
		assert.deepEqual(pollers.map(([owner]) => owner), ['main'], 'only the main instance polls');
		assert.equal(rows.length, 1, 'one execution for the cluster');
		const data = String(rows[0].data);
		assert.match(data, /inquiryCreated/);
		assert.match(data, /inquiryUpdated/);
		assert.ok(data.includes(String(figures.polling.createdId)) && data.includes(String(POLLED_INQUIRY)));
	});

	test('security tokens: one per process at most, shared through the credential in the database', () => {
		const perProcess = Object.entries(proxy.counts);
		for (const [owner, count] of perProcess) assert.ok(count.tokenRequests <= 1, `${owner} requested ${count.tokenRequests} tokens`);
		const clusterTokens = perProcess.filter(([owner]) => owner.startsWith('main') || owner.startsWith('webhook') || owner.startsWith('worker')).reduce((sum, [, c]) => sum + c.tokenRequests, 0);
		const clusterProcesses = [...new Set(roles.values())].length;
		assert.ok(clusterTokens <= clusterProcesses, `${clusterTokens} token requests from ${clusterProcesses} cluster processes`);
		assert.ok(standin.stats.tokenRequests <= perProcess.length, `stand-in counted ${standin.stats.tokenRequests} token requests`);
		// A socket the client closed before the lookup cannot be attributed; it must not hide a token request.
		assert.equal(proxy.counts.unknown?.tokenRequests ?? 0, 0, `every token request attributed: ${JSON.stringify(proxy.unknownLog)}`);
	});
});
