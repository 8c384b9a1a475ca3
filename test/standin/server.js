'use strict';
/**
 * Thinksurance partner API stand-in (dev/test only). See README.md.
 *
 *   const { startStandin } = require('./test/standin/server');
 *   const standin = await startStandin({ latencyMs: 0 });
 *   // standin.url → "http://127.0.0.1:PORT"
 *   await standin.close();
 *
 * CLI: node test/standin/server.js --port 3456 [--latency 50] [--inquiries 40] [--host 127.0.0.1]
 *      [--large-account 5000] [--token-ttl 900] [--auto-notify] [--canary] [--capacity 30]
 */

const http = require('node:http');
const { StandinState } = require('./lib/state');
const { Recorder } = require('./lib/recorder');
const { FaultQueue, applyFault } = require('./lib/faults');
const { Notifier } = require('./lib/notify');
const { matchRoute, bearerToken, INVALID_PARAMS } = require('./lib/api');
const { capacityDecision, SWITCH_DEFAULTS, SWITCH_CHECKS } = require('./lib/switches');
const { handleControl } = require('./lib/control');
const { Canaries } = require('./lib/canary');
const { readBody, parseJson, sendJson, sendHtml, sendNotFoundHtml, htmlPage, sleep, isLoopbackHost } = require('./lib/util');

const DEFAULTS = {
	port: 0,
	host: '127.0.0.1',
	latencyMs: 0,
	inquiries: 40,
	largeAccount: 0,
	tokenTtlSeconds: 900,
	docTokenTtlSeconds: null, // null → same as tokenTtlSeconds
	autoNotify: false,
	allowRemoteNotify: false,
	logLimit: 10000,
	seed: undefined,
	now: undefined,
	canary: false,
	traceLimit: 20000,
	// Runtime switches (lib/switches.js); each can also be given at start.
	...SWITCH_DEFAULTS,
};

/** Accept the documented aliases (latency, tokenTtl) and fill defaults. */
function normalizeOptions(options) {
	const o = { ...DEFAULTS, ...options };
	if (options.latency !== undefined && options.latencyMs === undefined) o.latencyMs = Number(options.latency);
	if (!isLoopbackHost(String(o.host))) throw new Error(`stand-in listens on loopback only, not ${o.host}`);
	return o;
}

/** Build the shared context the handlers work on. */
function createContext(opts) {
	const ctx = {
		opts,
		baseUrl: '',
		config: null,
		state: null,
		recorder: new Recorder({ logLimit: opts.logLimit, traceLimit: opts.traceLimit, capacity: () => ctx.config.capacity }),
		faults: new FaultQueue(),
		notifier: null,
		// One canary set per start: seeded identities keep their canaries across resets.
		canary: opts.canary ? new Canaries() : null,
	};
	ctx.notifier = new Notifier(() => ctx);

	/** Seeded defaults for everything (state, log, stats, faults, config). */
	ctx.reset = () => {
		ctx.config = {
			latencyMs: opts.latencyMs,
			tokenTtlSeconds: opts.tokenTtlSeconds,
			docTokenTtlSeconds: opts.docTokenTtlSeconds,
			largeAccount: opts.largeAccount,
			autoNotify: opts.autoNotify,
			allowRemoteNotify: opts.allowRemoteNotify,
			...Object.fromEntries(Object.keys(SWITCH_DEFAULTS).map((k) => [k, opts[k]])),
		};
		ctx.state = new StandinState({ inquiries: opts.inquiries, largeAccount: opts.largeAccount, seed: opts.seed, now: opts.now, canary: ctx.canary });
		ctx.recorder.clearLog();
		ctx.recorder.resetStats();
		ctx.faults.clear();
		ctx.notifier.clear();
	};

	/** Runtime settings (POST /__control/config). A bad switch value throws before anything changes. */
	ctx.configure = (changes) => {
		for (const [k, check] of Object.entries(SWITCH_CHECKS)) {
			const error = changes[k] !== undefined ? check(changes[k]) : null;
			if (error) throw new Error(`${k} ${error}`);
		}
		for (const k of ['latencyMs', 'tokenTtlSeconds', 'docTokenTtlSeconds', 'autoNotify', 'allowRemoteNotify', ...Object.keys(SWITCH_DEFAULTS)]) {
			if (changes[k] !== undefined) ctx.config[k] = changes[k];
		}
		if (changes.largeAccount !== undefined) {
			ctx.config.largeAccount = ctx.state.setLargeAccount(changes.largeAccount);
		}
		return ctx.config;
	};

	ctx.issueDocToken = (aToken) => ctx.state.issueDocToken(aToken, ctx.config.docTokenTtlSeconds ?? ctx.config.tokenTtlSeconds);
	ctx.reset();
	return ctx;
}

/** Every non-control request: log, capacity, latency, faults, then the endpoint. */
async function handleApi(ctx, req, res, url) {
	const route = matchRoute(req.method, url.pathname, url);
	const { endpoint, handler, params } = route;
	const record = ctx.recorder.begin(req, route);
	res.on('finish', () => ctx.recorder.end(record, res.statusCode));
	res.on('close', () => ctx.recorder.end(record, res.headersSent ? res.statusCode : 0));

	const { text, tooLarge } = await readBody(req);
	const parsed = tooLarge ? { ok: false } : parseJson(text);
	ctx.recorder.setBody(record, parsed.ok ? parsed.value : text);

	// Judged by the load at arrival; overload answers at once, as a saturated server's front proxy would.
	const load = capacityDecision(ctx.config, record.inFlightAtStart);
	if (load.reject) {
		record.fault = 'capacity';
		ctx.recorder.stats.capacity503 += 1;
		return sendHtml(res, 503, htmlPage(503, 'Service Unavailable', 'The server is temporarily overloaded.'), { 'Retry-After': '1' });
	}
	await sleep(load.latencyMs);

	const fault = ctx.faults.take(endpoint, route.dialect);
	if (fault) {
		record.fault = fault.mode;
		const token = params.token ?? (parsed.ok && parsed.value && typeof parsed.value === 'object' ? parsed.value.token : undefined) ?? bearerToken(req);
		if (await applyFault(fault, { req, res, state: ctx.state, token, rawBody: text, baseUrl: ctx.baseUrl })) return;
	}
	if (endpoint === 'unknown') return sendNotFoundHtml(res);
	if (!parsed.ok) return sendJson(res, 400, INVALID_PARAMS);
	await handler(ctx, { req, res, params, url, body: parsed.value });
}

async function handleControlRequest(ctx, req, res, url) {
	const { text, tooLarge } = await readBody(req);
	const parsed = tooLarge ? { ok: false } : parseJson(text);
	if (!parsed.ok) return sendJson(res, 400, INVALID_PARAMS);
	await handleControl(ctx, { req, res, url, body: parsed.value });
}

function onRequest(ctx, req, res) {
	let url;
	try {
		url = new URL(req.url, 'http://standin.invalid');
	} catch {
		return sendNotFoundHtml(res);
	}
	const isControl = url.pathname === '/__control' || url.pathname.startsWith('/__control/');
	const work = isControl ? handleControlRequest(ctx, req, res, url) : handleApi(ctx, req, res, url);
	work.catch((err) => {
		// Never crash the process: report the bug to the client and stderr.
		console.error('[standin] handler error:', err);
		if (!res.headersSent) sendJson(res, 500, { error: `stand-in internal error: ${err.message}` });
		else res.destroy();
	});
}

function listen(server, port, host) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve(server.address().port);
		});
	});
}

/**
 * Start a stand-in server.
 * @param {object} [options]
 * @param {number} [options.port=0]            0 = random free port
 * @param {string} [options.host='127.0.0.1']  loopback only
 * @param {number} [options.latencyMs=0]       added to every API call (alias: latency)
 * @param {number} [options.inquiries=40]      seeded inquiries of acc-demo-0001
 * @param {number} [options.largeAccount=0]    extra inquiries for acc-demo-0002
 * @param {number} [options.tokenTtlSeconds=900]
 * @param {number} [options.docTokenTtlSeconds] defaults to tokenTtlSeconds
 * @param {boolean} [options.autoNotify=false]  send events on instant inquiry creation / control updates
 * @param {boolean} [options.allowRemoteNotify=false] allow notify targets off loopback
 * @param {boolean} [options.canary=false]     every secret-ish identity is a canary value (lib/canary.js; `standin.canaries`)
 * @param {number} [options.capacity=0]        requests in flight served at base latency; 0 = unlimited (lib/switches.js)
 * @param {number} [options.traceLimit=20000]  in-flight trace samples kept (stats.inFlightTrace)
 * Every other switch of lib/switches.js (SWITCH_DEFAULTS) can be given here too.
 * @returns {Promise<{url:string, port:number, state:object, log:object[], close:()=>Promise<void>, reset:()=>void}>}
 */
async function startStandin(options = {}) {
	const opts = normalizeOptions(options);
	const ctx = createContext(opts);
	const server = http.createServer((req, res) => onRequest(ctx, req, res));
	server.on('clientError', (err, socket) => {
		if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
		else socket.destroy();
	});
	const port = await listen(server, opts.port, opts.host);
	const hostForUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
	ctx.baseUrl = `http://${hostForUrl}:${port}`;

	let closed = false;
	return {
		url: ctx.baseUrl,
		port,
		/** Live state (replaced on reset, so read it through this getter). */
		get state() {
			return ctx.state;
		},
		/** Redacted request log (same as GET /__control/log). */
		get log() {
			return ctx.recorder.view(false);
		},
		get rawLog() {
			return ctx.recorder.view(true);
		},
		get stats() {
			return ctx.recorder.statsView();
		},
		get config() {
			return ctx.config;
		},
		get notifications() {
			return ctx.notifier.history;
		},
		/** Canary mode: the Canaries registry (hash, secret, tokens issued so far), else null. */
		get canaries() {
			return ctx.canary;
		},
		reset: () => ctx.reset(),
		clearLog: () => ctx.recorder.clearLog(),
		configure: (changes) => ctx.configure(changes),
		addFault: (spec) => {
			const { fault, error } = ctx.faults.add(spec);
			if (error) throw new Error(error);
			return fault;
		},
		clearFaults: () => ctx.faults.clear(),
		expireTokens: () => ctx.state.expireAllSecurityTokens(),
		notify: async (spec) => (await ctx.notifier.notify(spec)).body,
		close: () =>
			new Promise((resolve) => {
				if (closed) return resolve();
				closed = true;
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/* ------------------------------------------------------------------------ */
/* CLI                                                                      */
/* ------------------------------------------------------------------------ */

function parseArgs(argv) {
	const out = {};
	const numeric = { '--port': 'port', '--latency': 'latencyMs', '--inquiries': 'inquiries', '--large-account': 'largeAccount', '--token-ttl': 'tokenTtlSeconds', '--capacity': 'capacity' };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
		const value = () => (inline !== undefined ? inline : argv[++i]);
		if (numeric[flag]) {
			const n = Number(value());
			if (!Number.isFinite(n) || n < 0) throw new Error(`${flag} needs a non-negative number`);
			out[numeric[flag]] = n;
		} else if (flag === '--host') out.host = value();
		else if (flag === '--auto-notify') out.autoNotify = true;
		else if (flag === '--canary') out.canary = true;
		else if (flag === '--help' || flag === '-h') out.help = true;
		else throw new Error(`unknown argument ${arg}`);
	}
	return out;
}

async function main() {
	let args;
	try {
		args = parseArgs(process.argv.slice(2));
	} catch (err) {
		console.error(err.message);
		process.exit(2);
	}
	if (args.help) {
		console.log('usage: node test/standin/server.js [--port 3456] [--latency 50] [--inquiries 40] [--host 127.0.0.1] [--large-account N] [--token-ttl 900] [--auto-notify] [--canary] [--capacity N]');
		return;
	}
	const standin = await startStandin(args);
	console.log(`thinksurance stand-in listening on ${standin.url} (V1 and V1.1 on this URL${standin.config.capacity ? `, capacity ${standin.config.capacity}` : ''})`);
	if (standin.canaries) {
		const c = standin.canaries.toJSON();
		console.log(`canary mode: API user hash ${c.hash}, secret ${c.secret}; accounts ${c.byKind.accountToken.join(', ')}; brokers ${c.byKind.brokerToken.join(', ')} (GET /__control/canaries lists every canary issued)`);
	}
	const stop = () => standin.close().then(() => process.exit(0));
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

// `node --test` also spawns every .js under test/ directories; don't start
// a never-ending server there.
if (require.main === module && !process.env.NODE_TEST_CONTEXT) {
	main().catch((err) => {
		console.error(err);
		process.exit(1);
	});
}

module.exports = { startStandin };
