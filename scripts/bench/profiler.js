'use strict';
/**
 * CPU profiles (`node --cpu-prof`) of n8n processes: where the time of a window goes, in named
 * buckets (isolate set-up, parameters, credentials, SQLite, HTTP, package code, idle, GC), by
 * npm package and by function. Shared by every benchmark that profiles.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ms } = require('./runner');

const PACKAGE_PATH = 'node_modules/n8n-nodes-thinksurance/';

/** Node.js options for a profiled n8n process (its own, not its task runners'), and the folder its profile lands in. */
function profiledRun(name, intervalUs = 500) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tsn-cpuprof-${name}-`));
	return { dir, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-interval=${intervalUs}`] };
}

/** The npm package a script belongs to (after its last node_modules/), or what else it is. */
function categorise(url) {
	if (!url) return '(native / V8)';
	if (url.includes(PACKAGE_PATH)) return 'this package';
	if (url.startsWith('node:')) return 'Node.js internals';
	const tail = url.split('node_modules/').pop();
	if (tail !== url) {
		const parts = tail.split('/');
		return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
	}
	return url.split('/').slice(-2).join('/');
}

/**
 * Coarse buckets, first match on the sample's stack wins (so an isolate built for a credential
 * read counts as isolate set-up, the rest of that read as credentials).
 */
const BUCKETS = [
	[
		'expression isolates: set-up and disposal (pool, new isolated-vm bridge, dispose)',
		(f) =>
			/^(acquireIsolate|releaseIsolate|createBridge|acquireBridgeSync|replenish)$/.test(f.functionName) ||
			(f.url.includes('/expression-runtime/') && /^(IsolatedVmBridge|initialize|initializeSync|loadVendorLibraries|dispose|release)$/.test(f.functionName)),
	],
	["n8n's own webhook-phase expressions (typeVersion 1 body switch options.binaryData, response options)", (f) => f.functionName === 'parseRequestBody' || f.functionName === 'evaluateResponseOptions'],
	['node parameters & expressions (getNodeParameter → expression runtime)', (f) => f.functionName === '_getNodeParameter' || f.functionName === 'getNodeParameter' || f.functionName === 'getSimpleParameterValue'],
	[
		'credentials (getCredentials: look-up + decryption)',
		(f) => /^(getCredentials|_getCredentials|getDecrypted|getCredentialsEntity)$/.test(f.functionName) || f.url.includes('node_modules/n8n-core/dist/encryption'),
	],
	['SQLite (TypeORM, sqlite3, callbacks)', (f) => /node_modules\/(sqlite3|@n8n\/typeorm)\//.test(f.url)],
	['HTTP (axios, http, sockets, TLS-free loopback)', (f) => /node_modules\/(axios|follow-redirects|form-data)\//.test(f.url) || /^node:(net|http|_http_|internal\/stream|internal\/net|internal\/http)/.test(f.url) || /^(writev|writeUtf8String|writeBuffer|connect)$/.test(f.functionName)],
	["this package's own code (self time)", (f, self) => self && f.url.includes(PACKAGE_PATH)],
	['(idle: waiting for the network)', (f, self) => self && f.functionName === '(idle)'],
	['(garbage collector)', (f, self) => self && f.functionName === '(garbage collector)'],
];

function frameKey(frame) {
	const file = frame.url ? frame.url.replace(/^file:\/\//, '').split('node_modules/').pop() : '';
	return `${frame.functionName || '(anonymous)'} ${file ? `${file}:${frame.lineNumber + 1}` : ''}`.trim();
}

/** A frame predicate: this function name in a file whose path ends with one of `files`. */
const frameIs = (functionName, ...files) => (frame) => frame.functionName === functionName && files.some((file) => frame.url.includes(file));

/**
 * Buckets, self time per function and per package, over a window of the profile: from the
 * sample at `fromUs` (or else the first sample with `startsAt` on its stack) to the last sample
 * with package code on it, or to `endsAt` µs after the start.
 */
function summariseProfile(file, { startsAt, fromUs, endsAt } = {}) {
	const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
	const byId = new Map(profile.nodes.map((node) => [node.id, node]));
	const parent = new Map();
	for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
	const isPackage = new Map();
	const touchesPackage = (id) => {
		if (isPackage.has(id)) return isPackage.get(id);
		const node = byId.get(id);
		const own = (node.callFrame.url ?? '').includes(PACKAGE_PATH);
		const result = own || (parent.has(id) ? touchesPackage(parent.get(id)) : false);
		isPackage.set(id, result);
		return result;
	};
	// Sample times: timeDeltas[i] is the time before sample i; attribute the gap to the next sample.
	const times = [];
	let t = profile.startTime;
	for (let i = 0; i < profile.samples.length; i += 1) {
		t += profile.timeDeltas[i];
		times.push(t);
	}
	const durations = times.map((time, i) => (i + 1 < times.length ? times[i + 1] - time : 0));
	const stackHas = (id, predicate) => {
		for (let cur = id; cur !== undefined; cur = parent.get(cur)) if (predicate(byId.get(cur).callFrame)) return true;
		return false;
	};
	let first = -1;
	let lastIdx = -1;
	// `fromUs`: a CLOCK_MONOTONIC time in µs (process.hrtime of the runner; V8 stamps samples with the same clock on Linux).
	const inProfile = fromUs !== undefined && fromUs >= profile.startTime && fromUs <= times[times.length - 1];
	// Only the process that did the work, should other processes have left profiles in the folder.
	const doesTheWork = startsAt === undefined || profile.samples.some((id) => stackHas(id, startsAt));
	profile.samples.forEach((id, i) => {
		if (!doesTheWork) return;
		if (first < 0 && (inProfile ? times[i] >= fromUs : stackHas(id, startsAt))) first = i;
		if (first >= 0 && touchesPackage(id)) lastIdx = i;
	});
	if (first >= 0 && endsAt !== undefined) {
		const end = times[first] + endsAt;
		lastIdx = times.findIndex((time) => time > end);
		if (lastIdx < 0) lastIdx = times.length - 1;
	}
	const total = (times[times.length - 1] - profile.startTime) / 1000;
	if (first < 0) return { file, totalMs: total, windowMs: 0, functions: [], groups: [], buckets: [], inclusive: [], packageStackMs: 0 };
	const fn = new Map();
	const buckets = new Map(BUCKETS.map(([name]) => [name, 0]));
	const inclusive = new Map();
	const groups = new Map();
	let windowUs = 0;
	let packageStackUs = 0;
	for (let i = first; i <= lastIdx; i += 1) {
		const node = byId.get(profile.samples[i]);
		const d = durations[i];
		windowUs += d;
		if (touchesPackage(node.id)) packageStackUs += d;
		const frame = node.callFrame;
		const key = frameKey(frame);
		fn.set(key, (fn.get(key) ?? 0) + d);
		const onStack = new Set();
		for (let cur = node.id; cur !== undefined; cur = parent.get(cur)) onStack.add(frameKey(byId.get(cur).callFrame));
		for (const k of onStack) inclusive.set(k, (inclusive.get(k) ?? 0) + d);
		let bucket = 'other (n8n engine, V8, program)';
		for (const [name, test] of BUCKETS) {
			let hit = false;
			for (let cur = node.id; cur !== undefined && !hit; cur = parent.get(cur)) hit = test(byId.get(cur).callFrame, cur === node.id);
			if (hit) {
				bucket = name;
				break;
			}
		}
		buckets.set(bucket, (buckets.get(bucket) ?? 0) + d);
		const group = frame.functionName.startsWith('(') && !frame.url ? frame.functionName : categorise(frame.url);
		groups.set(group, (groups.get(group) ?? 0) + d);
	}
	const sorted = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000, pct: windowUs ? (100 * us) / windowUs : 0 }));
	return {
		file,
		windowFrom: inProfile ? 'clock' : 'first matching frame',
		totalMs: total,
		windowMs: windowUs / 1000,
		packageStackMs: packageStackUs / 1000,
		// In BUCKETS order (every bucket, also empty ones), so two profiles line up.
		buckets: [...buckets.entries()].map(([name, us]) => ({ name, ms: us / 1000, pct: windowUs ? (100 * us) / windowUs : 0 })),
		functions: sorted(fn).slice(0, 15),
		inclusive: sorted(inclusive)
			.filter((f) => !/^\((root|program|idle|garbage collector)\)/.test(f.name) && f.pct < 99.5)
			.slice(0, 15),
		groups: sorted(groups).slice(0, 12),
	};
}

/** The largest window among the profiles a run left in `dir` (n8n may start helper processes). */
function summariseDir(dir, options) {
	const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(dir, f));
	const summaries = files.map((file) => summariseProfile(file, options)).filter((s) => s.windowMs > 0).sort((a, b) => b.windowMs - a.windowMs);
	return { profiles: files.length, summary: summaries[0], dir };
}

function profileTables(doc, s) {
	doc.paragraph('Where the time goes (each sample counted once, in the first bucket that matches its stack, in this order):');
	doc.table(['bucket', 'time', '%'], s.buckets.map((g) => [g.name, ms(g.ms), `${g.pct.toFixed(1)} %`]));
	doc.paragraph('Top functions by inclusive time (on the stack):');
	doc.table(['function (file:line)', 'inclusive', '%'], s.inclusive.map((f) => [`\`${f.name}\``, ms(f.ms), `${f.pct.toFixed(1)} %`]));
	doc.paragraph('Self time by npm package / category:');
	doc.table(['where', 'self time', '%'], s.groups.map((g) => [g.name, ms(g.ms), `${g.pct.toFixed(1)} %`]));
	doc.paragraph('Top functions by self time:');
	doc.table(['function (file:line)', 'self time', '%'], s.functions.map((f) => [`\`${f.name}\``, ms(f.ms), `${f.pct.toFixed(1)} %`]));
}

module.exports = { PACKAGE_PATH, BUCKETS, profiledRun, frameIs, summariseProfile, summariseDir, profileTables };
