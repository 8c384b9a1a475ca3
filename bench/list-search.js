#!/usr/bin/env node
'use strict';
/**
 * `node bench/list-search.js`: what one page of the typeVersion 1.1 inquiry list costs on an
 * account with 5,000 inquiries, asked for the way the editor asks (n8n 2.x REST
 * `resource-locator-results`, the packed package, the stand-in with 50 ms per API call).
 * Prints time per step (median of BENCH_REPEAT runs, each with a cold list cache: the cache is
 * per credential and base URL, so each run uses its own credential whose base URL differs only
 * by a "/." that URL parsing removes) and the API requests each step made. Asserts nothing.
 * Env: TSN_SKIP_BUILD=1 (pack dist/ as it is), BENCH_REPEAT (default 3).
 */
const { N8nInstance, packPackage, request } = require('../scripts/lib/n8n');
const { credential } = require('../scripts/lib/workflows');
const { startStandin } = require('../test/standin/server');

const LARGE_ACCOUNT = 5000;
const LATENCY_MS = 50;
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT || 3));
const ACCOUNT = 'acc-demo-0002';
const say = (message) => process.stderr.write(`[bench] ${message}\n`);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const PARAMETERS = {
	resource: 'inquiry',
	operation: 'get',
	authenticateAs: 'account',
	accountToken: { __rl: true, mode: 'list', value: ACCOUNT, cachedResultName: 'Zweitbüro Hamburg' },
	inquiryId: { __rl: true, mode: 'list', value: '' },
};

/** Steps in the order a person would take them; `coldFilter` runs on a credential of its own. */
const STEPS = [
	{ label: 'open the list (page 1)' },
	{ label: 'scroll: page 2', next: true },
	{ label: 'scroll: page 3', next: true },
	{ label: 'type a customer name ("Müller")', filter: 'Müller' },
	{ label: 'type more ("Jürgen Weber")', filter: 'Jürgen Weber' },
	{ label: 'type the exact ID of an inquiry outside the window', filter: 'OLD' },
	{ label: 'type a name into a list never opened (cold cache)', filter: 'Müller', cold: true },
	{ label: 'for comparison: the account list (one small account-tokens call, no search)', method: 'searchAccounts' },
];

async function main() {
	const standin = await startStandin({ latencyMs: LATENCY_MS, largeAccount: LARGE_ACCOUNT });
	const n8n = await new N8nInstance({ line: '2' }).init();
	try {
		n8n.installPackage(packPackage({ build: process.env.TSN_SKIP_BUILD !== '1' }));
		const credentials = Array.from({ length: 2 * REPEAT }, (_, index) =>
			credential(`${standin.url}${'/.'.repeat(index)}`, { id: `tsBenchListCr${String(index).padStart(3, '0')}`, name: `Bench ${index}` }),
		);
		n8n.importCredentials(credentials);
		await n8n.start();
		await n8n.login();

		const token = (await request('POST', `${standin.url}/api/token`, { body: { hash: 'demo-api-user-hash-0001', secret: 'demo-api-user-secret-0001' } })).json.token;
		const answer = async (body) => (await request('POST', `${standin.url}/api/account-ipn/get/${token}`, { body: { aToken: ACCOUNT, ...body } })).text;
		const full = await answer({});
		const week = await answer({ lastDays: 7 });
		const inquiries = JSON.parse(full);
		const total = Object.keys(inquiries).length;
		// An inquiry outside the API's 3-month window, to be found by its exact ID.
		const old = [...standin.state.inquiries.values()].find((inq) => inq.aToken === ACCOUNT && !(String(inq.iId) in inquiries));
		const sizes = `3 months: ${total} inquiries, ${(Buffer.byteLength(full) / 1e6).toFixed(1)} MB; last 7 days: ${Object.keys(JSON.parse(week)).length} inquiries, ${(Buffer.byteLength(week) / 1e6).toFixed(1)} MB`;
		say(`API answers for ${ACCOUNT}: ${sizes}`);

		const figures = STEPS.map(() => ({ ms: [], requests: [], results: [] }));
		const tokenBefore = standin.stats.tokenRequests;
		for (let run = 0; run < REPEAT; run++) {
			let next;
			for (const [index, step] of STEPS.entries()) {
				const ref = credentials[2 * run + (step.cold ? 1 : 0)];
				const searches = standin.stats.requestsByEndpoint['inquiry.search'] ?? 0;
				const started = process.hrtime.bigint();
				const page = await n8n.listSearch({
					methodName: step.method ?? 'searchInquiries',
					path: step.method ? 'parameters.accountToken' : 'parameters.inquiryId',
					parameters: PARAMETERS,
					credential: { id: ref.id, name: ref.name },
					filter: step.filter === 'OLD' ? String(old?.iId ?? '1') : step.filter,
					paginationToken: step.next ? next : undefined,
				});
				figures[index].ms.push(Number(process.hrtime.bigint() - started) / 1e6);
				figures[index].requests.push((standin.stats.requestsByEndpoint['inquiry.search'] ?? 0) - searches);
				figures[index].results.push(page.results.length);
				if (!step.filter) next = page.paginationToken;
				if (run === 0) say(`${step.label}: ${page.results.length} results, first "${page.results[0]?.name ?? '–'}", next page ${page.paginationToken ?? 'none'}`);
			}
		}

		const out = [];
		out.push(`Inquiry list (searchInquiries) on an account with ${total} inquiries (${sizes}); stand-in latency ${LATENCY_MS} ms per call; n8n ${n8n.n8n.version ?? '2.x'} REST resource-locator-results; ${REPEAT} run(s).`);
		out.push('');
		out.push('| step | time (median) | time per run | search requests | results |');
		out.push('|---|---|---|---|---|');
		for (const [index, step] of STEPS.entries()) {
			const figure = figures[index];
			out.push(`| ${step.label} | ${Math.round(median(figure.ms))} ms | ${figure.ms.map((ms) => Math.round(ms)).join(', ')} ms | ${[...new Set(figure.requests)].join('/')} | ${[...new Set(figure.results)].join('/')} |`);
		}
		out.push('');
		out.push(`Token requests: ${standin.stats.tokenRequests - tokenBefore} for ${2 * REPEAT} credentials (one each, then reused).`);
		process.stdout.write(`${out.join('\n')}\n`);
	} finally {
		await n8n.stop();
		await standin.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
