'use strict';
/** A CPU profile of the package's 500-item forward, default options (`--cpu-prof` on that one `n8n execute`). */
const forward = require('./forward');
const { PACKAGE_PATH, profiledRun, profileTables, summariseDir } = require('./profiler');
const r = require('./runner');

/** The action node's execute(): where a forward's node run starts (loading the package at start-up is not part of it). */
const isNodeExecute = (frame) => frame.functionName === 'execute' && frame.url.includes(PACKAGE_PATH) && frame.url.endsWith('/Thinksurance.node.js');

async function run(ctx) {
	const def = forward.VARIANTS.pkg20;
	const { dir, nodeArgs } = profiledRun('forward', 250);
	await r.resetStats(ctx.standin);
	r.say('forward with --cpu-prof…');
	const result = await r.execute(ctx.n8n, def.id, { nodeArgs });
	const { nodeMs } = r.nodeTimes(result.run, def.work);
	return { nodeMs, ...summariseDir(dir, { startsAt: isNodeExecute }) };
}

function report(doc, profile) {
	const s = profile?.summary;
	if (!s) return;
	doc.section(`CPU profile: package, Broker Forward of ${forward.ITEMS} items, default options`);
	doc.paragraph(`\`node --cpu-prof --cpu-prof-interval=250 n8n execute …\` (one run) (node time ${r.ms(profile.nodeMs)} in that run, profiled so a little slower). Window = from the first sample inside the action node's \`execute()\` to the last sample with this package's code on the stack: ${r.ms(s.windowMs)} of the process's ${r.ms(s.totalMs)}; samples with package code anywhere on the stack: ${r.ms(s.packageStackMs)} (${((100 * s.packageStackMs) / s.windowMs).toFixed(1)} %).`);
	profileTables(doc, s);
}

module.exports = {
	key: 'profile',
	setup: (ctx) => ({ workflows: forward.forwardWorkflows(ctx.standin.url).filter((w) => w.id === forward.VARIANTS.pkg20.id) }),
	run,
	report,
};
