'use strict';
/**
 * Get-or-create for 500 CRM brokers of which 50 are new (the vendor's CRM recipe, step 2–3):
 * the package's Broker → Get Token with Create If Missing (account given, so no account-list
 * call) versus a hand-built flow of HTTP Request nodes (token once, look-up per broker, IF 404,
 * create). Target: at most 551 requests (500 look-ups + 50 creates + one token call) and no
 * broker created twice. The 450 known brokers are put into the stand-in before each run and
 * the 50 new ones removed after it, so every run starts alike.
 * Environment: BENCH_REPEAT (runs per variant, default 2).
 */
const { linearWorkflow, thinksurance } = require('../lib/workflows');
const r = require('./runner');

const ITEMS = 500;
const NEW = 50;
const ACCOUNT = 'acc-demo-0001';
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT || 2));

// Every 10th broker is new: spread over the run, as a CRM export would be.
const records = Array.from({ length: ITEMS }, (_, index) => {
	const isNew = index % (ITEMS / NEW) === ITEMS / NEW - 1;
	const n = String(index + 1).padStart(4, '0');
	return { crmId: isNew ? `GOC-N-${n}` : `GOC-E-${n}`, lastName: `Makler${n}`, email: `makler${n}@example.de` };
});

const VARIANTS = {
	pkg: { id: 'tsBenchGocPkg001', label: 'package: Get Token, Create If Missing (default options, 20 in flight)', work: ['Thinksurance'], out: 'Thinksurance' },
	flow: {
		id: 'tsBenchGocFlow01',
		label: 'HTTP Request: token once; look-up per broker (10/batch); IF 404 → create',
		work: ['Get Token', 'Look Up', 'Missing?', 'Create'],
		out: 'Look Up',
	},
};

function packageWorkflow() {
	return linearWorkflow({
		id: VARIANTS.pkg.id,
		name: 'Bench get-or-create package',
		items: records,
		nodes: [
			thinksurance(
				'Thinksurance',
				{
					resource: 'broker',
					operation: 'getToken',
					accountToken: { __rl: true, mode: 'id', value: ACCOUNT },
					brokerExternalId: '={{ $json.crmId }}',
					email: '={{ $json.email }}',
					brokerFields: { lastName: '={{ $json.lastName }}' },
					createIfMissing: true,
					options: {},
				},
				{ typeVersion: 1.1 },
			),
		],
	});
}

/** What a user builds from n8n's nodes for the same job (V1.1: Bearer and X-Account-Token headers). */
function flowWorkflow(base) {
	const headers = {
		sendHeaders: true,
		headerParameters: {
			parameters: [
				{ name: 'Authorization', value: "={{ 'Bearer ' + $('Get Token').first().json.token }}" },
				{ name: 'X-Account-Token', value: ACCOUNT },
			],
		},
	};
	const body = (record) =>
		`={{ { type: 1, bExternalId: ${record}.crmId, bEmail: ${record}.email, bLastName: ${record}.lastName } }}`;
	const lookUp = r.httpNode('Look Up', {
		url: `${base}/api/ipn/brokers/tokens`,
		jsonBody: body('$json'),
		options: { batching: { batch: { batchSize: 10, batchInterval: 0 } }, response: { response: { fullResponse: true, neverError: true } } },
	});
	Object.assign(lookUp.parameters, headers);
	const create = r.httpNode('Create', {
		url: `${base}/api/ipn/brokers`,
		jsonBody: body("$('One Item per Record').item.json"),
		options: { batching: { batch: { batchSize: 10, batchInterval: 0 } } },
	});
	Object.assign(create.parameters, headers);
	return r.graphWorkflow({
		id: VARIANTS.flow.id,
		name: 'Bench get-or-create flow',
		nodes: [
			r.manualStart(),
			r.tokenNode(base, {}, { executeOnce: true }),
			{ name: 'CRM Records', type: 'n8n-nodes-base.set', typeVersion: 3.4, parameters: { mode: 'raw', jsonOutput: JSON.stringify({ records }), options: {} } },
			{ name: 'One Item per Record', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'records', options: {} } },
			lookUp,
			{
				name: 'Missing?',
				type: 'n8n-nodes-base.if',
				typeVersion: 1,
				parameters: { conditions: { number: [{ value1: '={{ $json.statusCode }}', operation: 'equal', value2: 404 }] } },
			},
			create,
		],
		edges: [
			['Start', 'Get Token'],
			['Get Token', 'CRM Records'],
			['CRM Records', 'One Item per Record'],
			['One Item per Record', 'Look Up'],
			['Look Up', 'Missing?'],
			['Missing?', 'Create'],
		],
	});
}

/** The 450 known brokers in the account; the new ones of an earlier run removed. */
function prepareBrokers(state) {
	for (const [bToken, broker] of state.brokers) if (broker.bExternalId.startsWith('GOC-')) state.brokers.delete(bToken);
	for (const record of records) {
		if (record.crmId.startsWith('GOC-E-')) state.createBroker(ACCOUNT, { type: 1, bExternalId: record.crmId, bLastName: record.lastName, bEmail: record.email });
	}
}

/** External IDs that more than one broker of the account carries. */
function duplicates(state) {
	const seen = new Map();
	for (const broker of state.brokers.values()) {
		if (broker.aToken === ACCOUNT && broker.bExternalId.startsWith('GOC-')) seen.set(broker.bExternalId, (seen.get(broker.bExternalId) ?? 0) + 1);
	}
	return [...seen.values()].filter((count) => count > 1).length;
}

async function measure(ctx, def) {
	prepareBrokers(ctx.standin.state);
	await r.resetStats(ctx.standin);
	const result = await r.execute(ctx.n8n, def.id);
	const stats = r.snapshot(ctx.standin);
	const { nodeMs, spanMs } = r.nodeTimes(result.run, def.work);
	return {
		nodeMs,
		spanMs,
		wallMs: result.wallMs,
		requests: stats.total,
		tokenRequests: stats.tokenRequests,
		lookUps: stats.requestsByEndpoint['broker.token'] ?? 0,
		creates: stats.requestsByEndpoint['broker.set'] ?? 0,
		brokersCreated: stats.brokersCreated,
		duplicates: duplicates(ctx.standin.state),
		maxInFlight: stats.maxInFlight,
		outputs: r.outputCount(result.run, def.out),
		created: def === VARIANTS.pkg ? (result.run?.data?.resultData?.runData?.Thinksurance?.[0]?.data?.main?.[0] ?? []).filter((item) => item.json.created).length : undefined,
		error: r.runError(result.run),
	};
}

async function run(ctx) {
	const results = {};
	for (let round = 0; round < REPEAT; round += 1) {
		for (const key of ['pkg', 'flow']) {
			r.say(`get-or-create ${key} (round ${round + 1})…`);
			const m = await measure(ctx, VARIANTS[key]);
			r.say(
				`  node ${r.ms(m.nodeMs)}, span ${r.ms(m.spanMs)}, process ${r.ms(m.wallMs)}, ${m.requests} requests (${m.tokenRequests} token, ${m.lookUps} look-ups, ${m.creates} creates), ${m.brokersCreated} created, ${m.duplicates} duplicates, ${m.outputs} items${m.error ? `, ERROR ${m.error}` : ''}`,
			);
			(results[key] ??= []).push(m);
		}
	}
	const summarise = (runs) => ({
		runs,
		nodeMs: r.median(runs.map((x) => x.nodeMs)),
		spanMs: r.median(runs.map((x) => x.spanMs)),
		wallMs: r.median(runs.map((x) => x.wallMs)),
		requests: Math.max(...runs.map((x) => x.requests)),
		requestsRange: r.range(runs.map((x) => x.requests)),
		creates: r.range(runs.map((x) => x.creates)),
		brokersCreated: r.range(runs.map((x) => x.brokersCreated)),
		duplicates: Math.max(...runs.map((x) => x.duplicates)),
		maxInFlight: Math.max(...runs.map((x) => x.maxInFlight)),
		errors: runs.map((x) => x.error).filter(Boolean),
	});
	return { variants: Object.fromEntries(Object.entries(results).map(([key, runs]) => [key, summarise(runs)])) };
}

function report(doc, { variants }) {
	doc.section(`Get or create, ${ITEMS} CRM brokers of which ${NEW} are new`);
	doc.paragraph(
		`One \`n8n execute\` per run, median of ${REPEAT} runs; API version V1.1, the account given (no account-list call). Before each run the stand-in holds the ${ITEMS - NEW} known brokers and none of the ${NEW} new ones. **node** = summed execution time of the nodes that do the work, **span** = first start to last end of them, **process** = the whole \`n8n execute\`.`,
	);
	doc.table(
		['variant', 'requests (range)', 'creates', 'brokers created', 'duplicate brokers', 'max in flight', 'node', 'span', 'process', 'runs'],
		Object.entries(variants).map(([key, v]) => [
			VARIANTS[key].label,
			`${v.requestsRange}${v.errors.length ? ` ⚠ ${v.errors[0].slice(0, 80)}` : ''}`,
			v.creates,
			v.brokersCreated,
			String(v.duplicates),
			String(v.maxInFlight),
			r.ms(v.nodeMs),
			r.ms(v.spanMs),
			r.ms(v.wallMs),
			String(v.runs.length),
		]),
	);
	const pkg = variants.pkg;
	if (!pkg) return;
	doc.target(`get-or-create ${ITEMS} (${NEW} new): ≤ ${ITEMS + NEW + 1} requests`, `${pkg.requestsRange}`, pkg.requests <= ITEMS + NEW + 1 ? 'met' : 'missed');
	doc.target('get-or-create: no broker created twice', `${pkg.brokersCreated} created, ${pkg.duplicates} duplicates`, pkg.duplicates === 0 && pkg.brokersCreated === String(NEW) ? 'met' : 'missed');
	if (variants.flow) doc.target('(extra) get-or-create package vs hand-built flow, span', `${r.ratio(pkg.spanMs, variants.flow.spanMs)} (${r.ms(pkg.spanMs)} vs ${r.ms(variants.flow.spanMs)})`, pkg.spanMs < variants.flow.spanMs ? 'faster' : 'slower');
}

module.exports = {
	key: 'getOrCreate',
	ITEMS,
	VARIANTS,
	setup: (ctx) => ({ workflows: [packageWorkflow(), flowWorkflow(ctx.standin.url)] }),
	run,
	report,
};
