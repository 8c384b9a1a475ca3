'use strict';
/**
 * CPU profiles of the n8n server during the trigger benchmark's deliveries, one server run per
 * variant (the package trigger and the like-for-like built-in flow), each started with
 * --cpu-prof; the window runs from the first webhook call for as long as the deliveries and
 * their executions took. Environment: as for the trigger benchmark (BENCH_DELIVERIES, …).
 */
const { frameIs, profiledRun, profileTables, summariseDir } = require('./profiler');
const r = require('./runner');
const trigger = require('./trigger');

/** Variants profiled (BENCH_PROFILE_VARIANTS, default the package as new nodes get it and the like-for-like flow). */
const PROFILED = process.env.BENCH_PROFILE_VARIANTS ? process.env.BENCH_PROFILE_VARIANTS.split(',') : ['pkg11', 'flowAfter'];

/** n8n's handling of one production webhook call (2.x LiveWebhooks, 1.x the same class and file). */
const isWebhookCall = frameIs('executeWebhook', '/dist/webhooks/live-webhooks.js', '/dist/webhooks/webhook-helpers.js');

async function run(ctx) {
	const out = {};
	for (const key of PROFILED) {
		const { dir, nodeArgs } = profiledRun(`trigger-${key}`);
		r.say(`trigger ${key} with --cpu-prof…`);
		const result = await r.withServer(ctx, { env: trigger.serverEnv(), nodeArgs, activate: [trigger.VARIANTS[key].id] }, async () => {
			await trigger.warmUp(ctx, [key]);
			return await trigger.deliver(ctx, key, `evt-prof-${key}-${Date.now().toString(36)}`, { readBack: false });
		});
		out[key] = { result, ...summariseDir(dir, { fromUs: result.beganUs, startsAt: isWebhookCall, endsAt: result.completedMs * 1000 }) };
	}
	return out;
}

function report(doc, profiles) {
	if (!profiles) return;
	const present = PROFILED.filter((key) => profiles[key]?.summary);
	if (!present.length) return;
	doc.section(`CPU profiles: n8n server during ${trigger.DELIVERIES} deliveries, ${present.join(' and ')}`);
	doc.paragraph(`A server run of its own per variant after the measured ones: \`node --cpu-prof --cpu-prof-interval=500 n8n start\`, one warm-up delivery, then the same ${trigger.DELIVERIES} deliveries ${trigger.IN_FLIGHT} in flight. Window = from the first post (the runner's monotonic clock, with which V8 also stamps its samples; else n8n's first \`executeWebhook\`) until the last execution had stopped. Buckets side by side (each sample counted once, in the first bucket whose test matches its stack, in this order):`);
	const bucketNames = profiles[present[0]].summary.buckets.map((b) => b.name);
	const cell = (key, name) => {
		const s = profiles[key].summary;
		const b = s.buckets.find((x) => x.name === name);
		return b ? `${r.ms(b.ms)} (${b.pct.toFixed(1)} %)` : '–';
	};
	const perDelivery = (key, name) => {
		const b = profiles[key].summary.buckets.find((x) => x.name === name);
		return b ? `${(b.ms / trigger.DELIVERIES).toFixed(2)} ms` : '–';
	};
	doc.table(
		['bucket', ...present.flatMap((key) => [`${key}: time (%)`, `${key}: per delivery`])],
		[
			...bucketNames.map((name) => [name, ...present.flatMap((key) => [cell(key, name), perDelivery(key, name)])]),
			['window', ...present.flatMap((key) => [r.ms(profiles[key].summary.windowMs), `${(profiles[key].summary.windowMs / trigger.DELIVERIES).toFixed(2)} ms`])],
			['while profiled: completed / s', ...present.flatMap((key) => [profiles[key].result.completedPerSec.toFixed(1), ''])],
		],
	);
	for (const key of present) {
		doc.push(`### ${trigger.VARIANTS[key].label}`, '');
		const s = profiles[key].summary;
		doc.paragraph(`Window ${r.ms(s.windowMs)} (start found by ${s.windowFrom}); samples with package code on the stack: ${r.ms(s.packageStackMs)} (${((100 * s.packageStackMs) / s.windowMs).toFixed(1)} %).`);
		profileTables(doc, s);
	}
}

module.exports = {
	key: 'trigger-profile',
	setup: (ctx) => ({ workflows: trigger.triggerWorkflows(ctx.standin.url) }),
	run,
	report,
};
