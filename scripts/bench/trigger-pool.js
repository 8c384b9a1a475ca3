'use strict';
/**
 * The trigger benchmark's package and like-for-like flow under n8n's isolate-pool settings
 * (N8N_EXPRESSION_ENGINE_POOL_SIZE, N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE), one server per
 * setting. n8n 2.x only (1.x has no isolate pool). Environment: BENCH_POOL_ROUNDS (default 1).
 */
const r = require('./runner');
const trigger = require('./trigger');

const SETTINGS = [
	{ label: 'N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } },
	{ label: 'N8N_EXPRESSION_ENGINE_POOL_SIZE=4', env: { N8N_EXPRESSION_ENGINE_POOL_SIZE: '4' } },
	{ label: 'both', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true', N8N_EXPRESSION_ENGINE_POOL_SIZE: '4' } },
];
const KEYS = ['pkg11', 'flowAfter'];

async function run(ctx) {
	if (ctx.line !== '2') return undefined;
	const rounds = Math.max(1, Number(process.env.BENCH_POOL_ROUNDS || 1));
	const out = [];
	for (const setting of SETTINGS) {
		r.say(`trigger with ${setting.label}…`);
		out.push({ label: setting.label, env: setting.env, variants: await trigger.measureVariants(ctx, KEYS, { env: setting.env, rounds }) });
	}
	return out;
}

function report(doc, settings, _state, ctx) {
	if (!settings) return;
	doc.section(`Trigger under n8n's isolate-pool settings (${trigger.DELIVERIES} notifications, ${trigger.IN_FLIGHT} in flight)`);
	const base = ctx.results.trigger;
	const rows = [];
	if (base) for (const key of KEYS) if (base[key]) rows.push(trigger.variantRow(`defaults (pool 1, eager) — ${key}`, base[key]));
	for (const setting of settings) for (const key of KEYS) rows.push(trigger.variantRow(`${setting.label} — ${key}`, setting.variants[key]));
	doc.table(trigger.TABLE_HEAD, rows);
	const ratios = [...(base ? [['defaults', base]] : []), ...settings.map((s) => [s.label, s.variants])]
		.filter(([, v]) => v.pkg11 && v.flowAfter)
		.map(([label, v]) => `${label}: ${r.ratio(v.pkg11.completedPerSec, v.flowAfter.completedPerSec)}`);
	for (const setting of settings) {
		const { pkg11, flowAfter } = setting.variants;
		if (pkg11 && flowAfter) doc.target(`(extra) trigger (typeVersion 1.1) vs like-for-like flow with ${setting.label}`, `completed ${pkg11.completedPerSec.toFixed(1)} vs ${flowAfter.completedPerSec.toFixed(1)} /s (ratio ${r.ratio(pkg11.completedPerSec, flowAfter.completedPerSec)}); isolates/delivery ${pkg11.isolates?.perDelivery.toFixed(2) ?? '–'} vs ${flowAfter.isolates?.perDelivery.toFixed(2) ?? '–'}`, pkg11.completedPerSec >= flowAfter.completedPerSec ? 'met' : 'missed');
	}
	doc.paragraph(`Each setting in a server of its own, after the measured run; pkg11 is the package trigger as new nodes get it (typeVersion 1.1). Ratio package / like-for-like flow on completed/s: ${ratios.join('; ')}.`);
}

module.exports = {
	key: 'trigger-pool',
	setup: (ctx) => ({ workflows: trigger.triggerWorkflows(ctx.standin.url) }),
	run,
	report,
};
