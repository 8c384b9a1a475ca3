'use strict';
/**
 * Self-test of the Thinksurance stand-in: every endpoint, every fault mode
 * and every control call. Run: node --test test/standin/standin.test.js
 */

const { test, before, after, beforeEach } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startStandin } = require('./server');
const seed = require('./seed');

const DEMO = { hash: 'demo-api-user-hash-0001', secret: 'demo-api-user-secret-0001' };
const SINGLE = { hash: 'single-account-hash', secret: 'single-account-secret' };

let standin;
let base;

before(async () => {
	standin = await startStandin({ port: 0 });
	base = standin.url;
});
after(() => standin.close());
beforeEach(() => standin.reset());

/* ------------------------------- helpers ------------------------------- */

async function call(method, path, body, { raw = false } = {}) {
	const init = { method, headers: { 'Content-Type': 'application/json', Accept: 'application/json' } };
	if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
	const res = await fetch(base + path, init);
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, json, raw: raw ? res : undefined };
}
const post = (path, body) => call('POST', path, body);

async function token(user = DEMO) {
	const r = await post('/api/token', user);
	assert.equal(r.status, 200);
	return r.json.token;
}

async function searchDemo(tok, extra = {}) {
	return post(`/api/account-ipn/get/${tok}`, { aToken: 'acc-demo-0001', ...extra });
}

/** Minimal local receiver for notification tests. */
async function receiver(statuses = []) {
	const hits = [];
	const server = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			hits.push({ body: JSON.parse(body), headers: req.headers });
			res.writeHead(statuses[hits.length - 1] ?? 204);
			res.end();
		});
	});
	await new Promise((r) => server.listen(0, '127.0.0.1', r));
	return { url: `http://127.0.0.1:${server.address().port}/hook`, hits, close: () => new Promise((r) => server.close(r)) };
}

const fwdBody = (extra = {}) => ({ type: 2, bToken: 'brk-demo-0001', bExternalId: 'CRM-B-1', ...extra });

/* ------------------------------- token -------------------------------- */

test('token: success, 200-error quirk, 400 on missing fields and malformed JSON', async () => {
	const ok = await post('/api/token', DEMO);
	assert.equal(ok.status, 200);
	assert.match(ok.json.token, /^[0-9a-f]{40}$/);
	assert.match(ok.json.expired, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

	const wrong = await post('/api/token', { hash: DEMO.hash, secret: 'nope' });
	assert.equal(wrong.status, 200);
	assert.deepEqual(wrong.json, { error: 'API User is not existing or deactivated.' });

	assert.deepEqual((await post('/api/token', { hash: DEMO.hash })).json, { error: 'Invalid parameters' });
	const bad = await post('/api/token', '{"hash": "x",');
	assert.equal(bad.status, 400);
	assert.deepEqual(bad.json, { error: 'Invalid parameters' });
});

/* --------------------------- account tokens ---------------------------- */

test('account tokens: demo user has two accounts, single user one; bad token 400', async () => {
	const r = await post(`/api/account/get/tokens/${await token()}`);
	assert.deepEqual(r.json, [
		{ name: 'Demo Maklerbüro GmbH', aToken: 'acc-demo-0001' },
		{ name: 'Zweitbüro Hamburg', aToken: 'acc-demo-0002' },
	]);
	const single = await post(`/api/account/get/tokens/${await token(SINGLE)}`);
	assert.deepEqual(single.json, [{ name: 'Einzelbüro Köln', aToken: 'acc-single-0001' }]);
	const bad = await post('/api/account/get/tokens/deadbeef');
	assert.equal(bad.status, 400);
	assert.deepEqual(bad.json, { error: 'Security token is invalid or expired.' });
});

/* ------------------------------- search -------------------------------- */

test('search: window, lastDays, iId, item shape and mixed field names', async () => {
	const tok = await token();
	const all = (await searchDemo(tok)).json;
	const ids = Object.keys(all);
	assert.ok(ids.length > 20 && ids.length < 40, `default window returned ${ids.length}`);
	assert.ok(ids.every((id) => Number(id) >= seed.FIRST_INQUIRY_ID));
	const recent = Object.keys((await searchDemo(tok, { lastDays: 1 })).json);
	assert.ok(recent.length >= 2 && recent.length < ids.length);
	assert.ok(recent.includes('1878880') && recent.includes('1878881'));
	assert.equal(Object.keys((await searchDemo(tok, { lastDays: 120 })).json).length, 40);

	const items = Object.values(all);
	const item = all['1878881'];
	assert.deepEqual(Object.keys(item), ['sHash', 'data', 'customer', 'docs']);
	assert.equal(item.data.iId, 1878881);
	assert.match(item.data.iUpdated, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
	assert.ok(items.some((i) => 'cBirthday' in i.customer && 'cAddressIsCompany' in i.customer && 'iExternalReferences' in i.data));
	assert.ok(items.some((i) => 'cBirthDate' in i.customer && 'cPrivateIsCompanyAddress' in i.customer && 'externalReferences' in i.data));
	assert.ok(items.some((i) => i.data.premiumYearly === '' || i.data.revenue === ''));
	const statuses = new Set(Object.values((await searchDemo(tok, { lastDays: 120 })).json).map((i) => i.data.status));
	for (const s of [2, 3, 4, 6, 15, 25]) assert.ok(statuses.has(s), `status ${s} present`);
	assert.ok(item.docs.files.length === 3 && item.docs.files.every((f) => f.fullFilePath.startsWith(`${base}/files/1878881/`)));

	const one = (await searchDemo(tok, { iId: 1878883 })).json;
	assert.deepEqual(Object.keys(one), ['1878883']);
	assert.deepEqual((await post(`/api/account-ipn/get/${tok}`, { aToken: 'acc-unknown' })).json, { error: 'Account not found.' });
	assert.deepEqual((await post(`/api/account-ipn/get/${tok}`, { aToken: 'acc-single-0001' })).json, { error: 'Account not found.' });
	assert.equal((await post(`/api/account-ipn/get/${tok}`, { aToken: 'acc-demo-0001', lastDays: 'x' })).status, 400);
	assert.equal((await post(`/api/account-ipn/get/${tok}`, {})).status, 400);
});

/* ---------------------------- single inquiry --------------------------- */

test('single inquiry: both paths, bToken or aToken, 404 outside the broker', async () => {
	const tok = await token();
	const a = await post('/api/ipn/inquiry/1878881', { token: tok, bToken: 'brk-demo-0002' });
	assert.equal(a.status, 200);
	assert.equal(a.json.data.iId, 1878881);
	const b = await post('/api/ipn/inq/1878881', { token: tok, aToken: 'acc-demo-0001' });
	assert.equal(b.json.sHash, a.json.sHash);
	const wrongBroker = await post('/api/ipn/inquiry/1878881', { token: tok, bToken: 'brk-demo-0001' });
	assert.equal(wrongBroker.status, 404);
	assert.deepEqual(wrongBroker.json, { error: 'Inquiry not found.' });
	assert.equal((await post('/api/ipn/inquiry/1878881', { token: 'nope', bToken: 'brk-demo-0002' })).status, 400);
	assert.equal((await post('/api/ipn/inquiry/999', { token: tok, aToken: 'acc-demo-0001' })).status, 404);
});

test('single inquiry: the security token as Bearer header works instead of, or beside, the body field', async () => {
	const tok = await token();
	const get = (headers, body) =>
		fetch(`${base}/api/ipn/inquiry/1878881`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
	const bearerOnly = await get({ Authorization: `Bearer ${tok}` }, { aToken: 'acc-demo-0001' });
	assert.equal(bearerOnly.status, 200);
	assert.equal((await bearerOnly.json()).data.iId, 1878881);
	assert.equal((await get({ Authorization: `Bearer ${tok}` }, { token: tok, aToken: 'acc-demo-0001' })).status, 200);
	assert.equal((await get({ Authorization: 'Bearer nope' }, { aToken: 'acc-demo-0001' })).status, 400);
	assert.equal((await get({}, { aToken: 'acc-demo-0001' })).status, 400);
});

/* -------------------------------- files -------------------------------- */

test('files: pdf and txt downloads, 403 for a wrong or expired docToken', async () => {
	const tok = await token();
	const item = (await post('/api/ipn/inquiry/1878881', { token: tok, aToken: 'acc-demo-0001' })).json;
	const pdf = item.docs.files.find((f) => f.name.endsWith('.pdf'));
	const res = await fetch(pdf.fullFilePath);
	assert.equal(res.status, 200);
	assert.equal(res.headers.get('content-type'), 'application/pdf');
	assert.match(res.headers.get('content-disposition'), /attachment; filename="Angebot_1878881\.pdf"/);
	const bytes = Buffer.from(await res.arrayBuffer());
	assert.equal(bytes.subarray(0, 8).toString('latin1'), '%PDF-1.4');
	const again = Buffer.from(await (await fetch(pdf.fullFilePath)).arrayBuffer());
	assert.ok(bytes.equals(again), 'deterministic content');

	const txt = item.docs.files.find((f) => f.name.endsWith('.txt'));
	const t = await fetch(txt.fullFilePath);
	assert.match(t.headers.get('content-type'), /^text\/plain/);
	assert.match(await t.text(), /Anfrage: 1878881/);

	const forbidden = await fetch(pdf.fullFilePath.replace(/docToken=.*/, 'docToken=wrong'));
	assert.equal(forbidden.status, 403);
	assert.match(forbidden.headers.get('content-type'), /text\/html/);

	await post('/__control/config', { docTokenTtlSeconds: 0.05 });
	const short = (await post('/api/ipn/inquiry/1878881', { token: tok, aToken: 'acc-demo-0001' })).json.docs.files[0];
	await new Promise((r) => setTimeout(r, 80));
	assert.equal((await fetch(short.fullFilePath)).status, 403);
});

/* ---------------------------- broker forward --------------------------- */

test('broker forward: url, instant inquiry, callbacks stored, validation', async () => {
	const tok = await token();
	const fwd = (body) => post(`/api/broker/fwd/${tok}`, body);
	const ok = await fwd(fwdBody({ bEmail: 'anna@example.de', fullCallback: 0, callbackUrl: 'http://127.0.0.1:1/hook', bIsActive: '1' }));
	assert.equal(ok.status, 200);
	assert.match(ok.json.url, new RegExp(`^${base}/api/broker/switch/[0-9a-f]{40}$`));
	const login = await fetch(ok.json.url);
	assert.equal(login.status, 200);
	assert.equal((await fetch(ok.json.url)).status, 404, 'login link is one-time');

	const brokers = (await call('GET', '/__control/brokers')).json;
	const b1 = brokers.find((b) => b.bToken === 'brk-demo-0001');
	assert.equal(b1.fullCallback, 0);
	assert.equal(b1.callbackUrl, 'http://127.0.0.1:1/hook');

	const instant = await fwd(fwdBody({ cExternalId: 'C-77', cLastName: 'Neu', cEmail: 'neu@example.de', instantInquiryCreation: true, productId: 101 }));
	assert.equal(typeof instant.json.inquiryId, 'number');
	assert.match(instant.json.inquiryHash, /^[0-9a-f]{20}$/);
	const created = await post(`/api/ipn/inquiry/${instant.json.inquiryId}`, { token: tok, bToken: 'brk-demo-0001' });
	assert.equal(created.json.data.status, 2);
	assert.equal(created.json.customer.cLastName, 'Neu');

	for (const v of [true, false, 1, 0, '1', '0']) assert.equal((await fwd(fwdBody({ bIsActive: v }))).status, 200, `bIsActive ${v}`);
	const notFound = await fwd(fwdBody({ bToken: 'brk-unknown' }));
	assert.equal(notFound.status, 404);
	assert.deepEqual(notFound.json, { error: 'Broker not found.' });
	const invalid = [
		fwdBody({ type: 3 }),
		fwdBody({ bExternalId: '' }),
		fwdBody({ bEmail: 'anna@example.de;' }),
		fwdBody({ cEmail: 'a b@example.de', cExternalId: 'C-1', cLastName: 'X' }),
		fwdBody({ cExternalId: 'C-1', cEmail: 'x@example.de' }),
		fwdBody({ instantInquiryCreation: true }),
		fwdBody({ cExternalReferences: [{ origin: 'crm', paramKey: 'id', paramValue: '1' }] }),
		fwdBody({ fullCallback: 0 }),
		fwdBody({ mvpFullCallback: 0 }),
		fwdBody({ bIsActive: 'yes' }),
	];
	for (const body of invalid) {
		const r = await fwd(body);
		assert.equal(r.status, 400, JSON.stringify(body));
		assert.deepEqual(r.json, { error: 'BrokerAPI: Invalid parameters' });
	}
	assert.equal((await post('/api/broker/fwd/not-a-token', fwdBody())).status, 400);
});

/* ----------------------------- create broker --------------------------- */

test('legacy create broker', async () => {
	const tok = await token();
	const ok = await post(`/api/broker/set/${tok}`, { aToken: 'acc-demo-0001', type: 2, bExternalId: 'CRM-B-9', bEmail: 'neu@example.de', bLastName: 'Neu' });
	assert.equal(ok.json.status, 'success');
	assert.ok(ok.json.bToken);
	const fwd = await post(`/api/broker/fwd/${tok}`, fwdBody({ bToken: ok.json.bToken }));
	assert.equal(fwd.status, 200);
	assert.deepEqual((await post(`/api/broker/set/${tok}`, { aToken: 'acc-x', type: 2, bExternalId: 'x', bLastName: 'x' })).json, { error: 'Account not found.' });
	assert.equal((await post(`/api/broker/set/${tok}`, { aToken: 'acc-demo-0001', type: 2, bExternalId: 'x' })).status, 400);
});

/* ---------------------------- unknown paths ---------------------------- */

test('unknown path answers an HTML 404 page', async () => {
	const r = await call('GET', '/api/nothing');
	assert.equal(r.status, 404);
	assert.equal(r.text, '<html><body><h1>404 Not Found</h1></body></html>');
	assert.match(r.headers.get('content-type'), /^text\/html/);
});

/* ------------------------------ control API ---------------------------- */

test('log redacts the path token and the secret; raw keeps them; stats count', async () => {
	const tok = await token();
	await post(`/api/account/get/tokens/${tok}`);
	const log = (await call('GET', '/__control/log')).json;
	assert.equal(log.length, 2);
	assert.equal(log[0].body.secret, '***');
	assert.equal(log[0].tokenInPath, false);
	assert.equal(log[1].path, '/api/account/get/tokens/{token}');
	assert.equal(log[1].tokenInPath, true);
	assert.equal(log[1].status, 200);
	assert.ok(!JSON.stringify(log).includes(tok) && !JSON.stringify(log).includes(DEMO.secret));
	const raw = (await call('GET', '/__control/log?raw=1')).json;
	assert.equal(raw[1].path, `/api/account/get/tokens/${tok}`);
	assert.equal(raw[0].body.secret, DEMO.secret);

	const stats = (await call('GET', '/__control/stats')).json;
	assert.equal(stats.tokenRequests, 1);
	assert.equal(stats.total, 2);
	assert.equal(stats.requestsByEndpoint['account.tokens'], 1);
	await call('DELETE', '/__control/log');
	assert.deepEqual((await call('GET', '/__control/log')).json, []);
});

test('maxInFlight measures concurrency; latency config applies', async () => {
	await post('/__control/config', { latencyMs: 60 });
	const t0 = Date.now();
	await Promise.all([1, 2, 3, 4].map(() => post('/api/token', DEMO)));
	assert.ok(Date.now() - t0 >= 55);
	assert.equal((await call('GET', '/__control/stats')).json.maxInFlight, 4);
});

test('faults: status/retryAfter/count, html, error200, badJson, status400/404, reset, delay, wildcard', async () => {
	const addFault = async (f) => assert.equal((await post('/__control/faults', f)).status, 200);
	await addFault({ endpoint: 'token', mode: 'status', status: 429, retryAfter: 2, count: 1 });
	const limited = await post('/api/token', DEMO);
	assert.equal(limited.status, 429);
	assert.equal(limited.headers.get('retry-after'), '2');
	assert.equal((await post('/api/token', DEMO)).status, 200, 'count 1 consumed');

	await addFault({ endpoint: 'token', mode: 'html', status: 502, count: 1 });
	await addFault({ endpoint: 'token', mode: 'error200', message: 'boom', count: 1 });
	await addFault({ endpoint: 'token', mode: 'badJson', count: 1 });
	await addFault({ endpoint: 'token', mode: 'status400', count: 1 });
	await addFault({ endpoint: 'token', mode: 'status404', count: 1 });
	const html = await post('/api/token', DEMO);
	assert.equal(html.status, 502);
	assert.match(html.text, /<html>/);
	assert.deepEqual((await post('/api/token', DEMO)).json, { error: 'boom' });
	const bad = await post('/api/token', DEMO);
	assert.equal(bad.status, 200);
	assert.equal(bad.json, undefined, 'truncated JSON');
	assert.equal((await post('/api/token', DEMO)).status, 400);
	assert.equal((await post('/api/token', DEMO)).status, 404);

	await addFault({ endpoint: 'token', mode: 'reset', count: 1 });
	await assert.rejects(post('/api/token', DEMO));
	assert.equal((await call('GET', '/__control/log')).json.at(-1).status, 0);

	await addFault({ endpoint: '*', mode: 'delay', ms: 80, count: 1 });
	const t0 = Date.now();
	assert.equal((await call('GET', '/api/nothing')).status, 404);
	assert.ok(Date.now() - t0 >= 75);

	await addFault({ endpoint: 'files', mode: 'status', status: 503 });
	assert.equal((await call('GET', '/__control/faults')).json.length, 1);
	assert.equal((await call('DELETE', '/__control/faults')).json.cleared, 1);
	assert.equal((await post('/__control/faults', { endpoint: 'nope', mode: 'status' })).status, 400);
});

test('expireToken fault and expire-tokens control force a new token', async () => {
	const tok = await token();
	await post('/__control/faults', { endpoint: 'inquiry.search', mode: 'expireToken', count: 1 });
	const r = await searchDemo(tok);
	assert.equal(r.status, 400);
	assert.deepEqual(r.json, { error: 'Security token is invalid or expired.' });
	assert.equal((await searchDemo(tok)).status, 400, 'the token stays expired');
	const fresh = await token();
	assert.equal((await searchDemo(fresh)).status, 200);
	assert.equal((await post('/__control/expire-tokens')).json.expired, 1, 'only the fresh token was still live');
	assert.equal((await searchDemo(fresh)).status, 400);
});

test('tokenTtlSeconds makes tokens expire', async () => {
	await post('/__control/config', { tokenTtlSeconds: 0.05 });
	const tok = await token();
	await new Promise((r) => setTimeout(r, 80));
	assert.equal((await post(`/api/account/get/tokens/${tok}`)).status, 400);
});

test('notify: V2 event shape, retries on failure, legacy item, broker callbacks', async () => {
	const rx = await receiver([500, 503]);
	try {
		const r = await post('/__control/notify', { inquiryId: 1878881, eventType: 'InquiryUpdated', url: rx.url, eventId: 'evt-1' });
		assert.equal(r.status, 200);
		assert.deepEqual(r.json.deliveries.map((d) => d.status), [500, 503, 204]);
		assert.equal(rx.hits.length, 3);
		const ev = rx.hits[0].body;
		assert.deepEqual(Object.keys(ev), ['eventType', 'eventTime', 'eventId', 'notificationId', 'accountReference', 'brokerReference', 'translations', 'affected']);
		assert.equal(ev.eventId, 'evt-1');
		assert.match(ev.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
		assert.equal(ev.accountReference, 'acc-demo-0001');
		assert.equal(ev.brokerReference, 'brk-demo-0002');
		assert.deepEqual(ev.affected, [
			{ referenceType: 'inquiry', referenceId: '1878881', links: [{ contentType: 'application/json', href: `${base}/api/ipn/inquiry/1878881` }] },
		]);

		const legacy = await post('/__control/notify', { inquiryId: 1878881, url: rx.url, legacy: true });
		assert.equal(legacy.json.deliveries[0].status, 204);
		assert.deepEqual(Object.keys(rx.hits.at(-1).body), ['1878881']);

		// Without url: the broker's registered callback (fullCallback 0).
		assert.equal((await post('/__control/notify', { inquiryId: 1878881 })).status, 400);
		const tok = await token();
		await post(`/api/broker/fwd/${tok}`, { type: 1, bToken: 'brk-demo-0002', bExternalId: 'CRM-B-2', fullCallback: 0, callbackUrl: rx.url });
		const viaBroker = await post('/__control/notify', { inquiryId: 1878881, eventType: 'inquiry_updated', count: 2 });
		assert.equal(viaBroker.json.deliveries.length, 2);
		assert.equal(rx.hits.at(-1).body.eventType, 'inquiry_updated');
		assert.equal(rx.hits.at(-1).body.eventId, rx.hits.at(-2).body.eventId, 'duplicates share the eventId');
		assert.ok((await call('GET', '/__control/notifications')).json.length >= 6);
	} finally {
		await rx.close();
	}
});

test('notify: the vendor\'s shapes — empty eventId, shared notificationId, mixed references, links without /api, snake_case, literal payloads', async () => {
	const rx = await receiver();
	try {
		const shared = 'ded21bfa-18cb-11ef-9fc4-0a5332324815';
		await post('/__control/notify', { inquiryId: 1878881, eventType: 'InquiryOrdered', eventId: '', notificationId: shared, references: true, url: rx.url });
		const ordered = rx.hits.at(-1).body;
		assert.equal(ordered.eventId, '', 'an empty eventId is sent as is');
		assert.equal(ordered.notificationId, shared);
		assert.deepEqual(ordered.translations, { eventType: { de_DE: 'Deckungsauftrag erstellt' } });
		assert.deepEqual(ordered.affected.map((entry) => entry.referenceType), ['inquiry', 'contract', 'customer']);
		assert.equal(ordered.affected[0].referenceId, '1878881');
		assert.match(ordered.affected[1].referenceId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
		assert.match(ordered.affected[2].referenceId, /^\d+$/);
		assert.notEqual(ordered.affected[2].referenceId, '1878881', 'the customer ID is not the inquiry ID');
		assert.match(ordered.affected[1].links[0].href, /^https:\/\/rest\.thinksurance\.de\/api\/public\/v2\/notifications\/47\/contracts\//);

		// Another event with the same notificationId, an older snake_case type and a link without /api.
		await post('/__control/notify', { inquiryId: 1878882, eventType: 'InquiryCreated', snake: true, eventId: '', notificationId: shared, linkStyle: 'noApi', url: rx.url });
		const created = rx.hits.at(-1).body;
		assert.equal(created.eventType, 'inquiry_created');
		assert.equal(created.notificationId, ordered.notificationId);
		assert.equal(created.affected[0].links[0].href, `${base}/ipn/inquiry/1878882`);
		for (const [linkStyle, href] of [['ipn', 'https://ipn.thinksurance.de/api/ipn/inquiry/1878882'], ['app', 'https://app.thinksurance.de/ipn/inquiry/1878882']]) {
			await post('/__control/notify', { inquiryId: 1878882, linkStyle, url: rx.url });
			assert.equal(rx.hits.at(-1).body.affected[0].links[0].href, href);
		}

		// An event that names no inquiry, only the entities given.
		await post('/__control/notify', { inquiryId: 1878881, eventType: 'contract_created', withoutInquiry: true, references: [{ referenceType: 'contract', referenceId: 'k-1' }], url: rx.url });
		assert.deepEqual(rx.hits.at(-1).body.affected, [
			{ referenceType: 'contract', referenceId: 'k-1', links: [{ contentType: 'application/json', href: 'https://rest.thinksurance.de/api/public/v2/notifications/47/contracts/k-1' }] },
		]);
		assert.equal((await post('/__control/notify', { inquiryId: 1878881, withoutInquiry: true, url: rx.url })).status, 400);

		// A redelivery repeats the same body (count), also with an empty eventId.
		const before = rx.hits.length;
		await post('/__control/notify', { inquiryId: 1878881, eventId: '', references: true, count: 2, url: rx.url });
		assert.equal(rx.hits.length, before + 2);
		assert.deepEqual(rx.hits.at(-1).body, rx.hits.at(-2).body);

		// A literal payload, sent as given (no inquiry needed, but a url).
		const literal = { eventType: 'InquiryOrdered', eventId: '', affected: [{ referenceType: 'inquiry', referenceId: '2144385' }] };
		const sent = await post('/__control/notify', { payload: literal, url: rx.url });
		assert.equal(sent.json.deliveries[0].status, 204);
		assert.deepEqual(rx.hits.at(-1).body, literal);
		assert.equal((await post('/__control/notify', { payload: literal })).status, 400);
	} finally {
		await rx.close();
	}
});

test('autoNotify: instant inquiry and control update send events to the broker callback', async () => {
	const rx = await receiver();
	try {
		await post('/__control/config', { autoNotify: true });
		const tok = await token();
		const created = await post(`/api/broker/fwd/${tok}`, fwdBody({ fullCallback: 0, callbackUrl: rx.url, cExternalId: 'C-9', cLastName: 'Auto', cEmail: 'auto@example.de', instantInquiryCreation: 1 }));
		await post('/__control/inquiry', { inquiryId: created.json.inquiryId, status: 6 });
		for (let i = 0; i < 50 && rx.hits.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
		assert.deepEqual(rx.hits.map((h) => h.body.eventType).sort(), ['InquiryCreated', 'InquiryOrdered']);
		assert.ok(rx.hits.every((h) => h.body.affected[0].referenceId === String(created.json.inquiryId)));
	} finally {
		await rx.close();
	}
});

test('control inquiry update bumps iUpdated; reset restores the seed', async () => {
	const tok = await token();
	const r = await post('/__control/inquiry', { inquiryId: 1878884, status: 6 });
	assert.equal(r.json.item.data.status, 6);
	const recent = (await searchDemo(tok, { lastDays: 0 })).json;
	assert.ok('1878884' in recent);
	assert.equal((await post('/__control/reset')).status, 200);
	assert.equal((await call('GET', '/__control/log')).json.length, 0);
	assert.equal((await searchDemo(await token(), { iId: 1878884 })).json['1878884'].data.status, 25);
});

test('control inquiry create: a new inquiry, found by a lastDays search, with a fresh document token per answer', async () => {
	const tok = await token();
	const r = await post('/__control/inquiry/create', { status: 3 });
	assert.equal(r.status, 200);
	const id = String(r.json.inquiryId);
	assert.equal(r.json.item.data.status, 3);
	assert.equal(r.json.item.data.iCreated, r.json.item.data.iUpdated);
	const first = (await searchDemo(tok, { lastDays: 1 })).json[id];
	const second = (await searchDemo(tok, { lastDays: 1 })).json[id];
	assert.ok(first && second, 'the new inquiry is in the window');
	assert.notEqual(first.docs.docToken.token, second.docs.docToken.token);
	assert.equal((await post('/__control/inquiry/create', { bToken: 'nope' })).status, 404);
	await post('/__control/reset');
});

test('largeAccount: 5000 inquiries are searchable quickly', async () => {
	const t0 = Date.now();
	await post('/__control/config', { largeAccount: 5000 });
	const tok = await token();
	const t1 = Date.now();
	const r = await post(`/api/account-ipn/get/${tok}`, { aToken: 'acc-demo-0002' });
	const t2 = Date.now();
	const n = Object.keys(r.json).length;
	assert.ok(n >= 5000, `got ${n}`);
	console.log(`# largeAccount 5000: generate ${t1 - t0} ms, search ${n} items (${(r.text.length / 1e6).toFixed(1)} MB) ${t2 - t1} ms`);
	assert.ok(t2 - t1 < 3000);
});

test('seed is deterministic', () => {
	const now = Date.UTC(2025, 2, 25, 12);
	const a = seed.buildSeed({ now });
	const b = seed.buildSeed({ now });
	assert.deepEqual(a.inquiries, b.inquiries);
	assert.equal(a.inquiries.length, 50);
	assert.equal(a.inquiries[0].iId, 1878880);
});

/* ------------------------------ canary mode ---------------------------- */

test('canary mode: every secret-ish identity is a known canary; default identities are gone; echo placeholders', async () => {
	const canary = await startStandin({ port: 0, canary: true });
	const texts = [];
	const at = async (method, path, body) => {
		const res = await fetch(canary.url + path, {
			method,
			headers: { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
		});
		const text = await res.text();
		texts.push(text);
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.status, text, json };
	};
	try {
		const c = canary.canaries;
		assert.equal(standin.canaries, null, 'default mode has no canaries');
		assert.equal((await call('GET', '/__control/canaries')).status, 404);
		assert.match(c.hash, /^cnryHASH[0-9a-f]{24}$/);
		assert.match(c.secret, /^cnrySCRT[0-9a-f]{24}$/);
		assert.equal(c.accountTokens.length, 3);
		assert.equal(c.brokerTokens.length, 4);
		assert.equal(new Set(c.all().map(([, value]) => value)).size, c.all().length, 'all distinct');

		// The default API user is unknown; the canary one gets a canary security token.
		assert.deepEqual((await at('POST', '/api/token', DEMO)).json, { error: 'API User is not existing or deactivated.' });
		const tok = (await at('POST', '/api/token', { hash: c.hash, secret: c.secret })).json.token;
		assert.match(tok, /^cnrySTOK[0-9a-f]{32}$/);
		assert.deepEqual(c.securityTokens, [tok]);

		const accounts = (await at('POST', `/api/account/get/tokens/${tok}`)).json;
		assert.deepEqual(accounts, [
			{ name: 'Demo Maklerbüro GmbH', aToken: c.map('acc-demo-0001') },
			{ name: 'Zweitbüro Hamburg', aToken: c.map('acc-demo-0002') },
		]);

		// Inquiries point at canary accounts/brokers; documents carry a canary document token.
		const search = (await at('POST', `/api/account-ipn/get/${tok}`, { aToken: c.map('acc-demo-0001'), iId: 1878881 })).json;
		const item = search['1878881'];
		assert.equal(item.data.bToken, c.map('brk-demo-0002'));
		const docToken = item.docs.docToken.token;
		assert.match(docToken, /^cnryDTOK[0-9a-f]{32}$/);
		assert.ok(item.docs.files.every((f) => f.fullFilePath.endsWith(`?docToken=${docToken}`)));
		const file = await fetch(item.docs.files[0].fullFilePath);
		assert.equal(file.status, 200);
		await file.arrayBuffer();
		const got = (await at('POST', '/api/ipn/inquiry/1878882', { token: tok, bToken: c.map('brk-demo-0001') })).json;
		assert.equal(got.data.iId, 1878882);
		assert.equal(c.docTokens.length, 2);

		const fwd = (await at('POST', `/api/broker/fwd/${tok}`, { type: 1, bToken: c.map('brk-demo-0001'), bExternalId: 'CRM-B-1' })).json;
		assert.match(fwd.url, /\/api\/broker\/switch\/cnryLINK[0-9a-f]{32}$/);
		const created = (await at('POST', `/api/broker/set/${tok}`, { aToken: c.map('acc-demo-0001'), bExternalId: 'X', bLastName: 'Neu' })).json;
		assert.match(created.bToken, /^cnryBTOK[0-9a-f]{16}$/);
		assert.ok(c.brokerTokens.includes(created.bToken));

		// Echo placeholders repeat what was sent; badJson carries the canary broker token.
		canary.addFault({ endpoint: 'inquiry.get', mode: 'status404', body: { error: 'Not found: {{path}} {{body}} {{token}}' }, count: 1 });
		const echoed = await at('POST', '/api/ipn/inquiry/1', { token: tok, aToken: c.map('acc-demo-0001') });
		assert.equal(echoed.status, 404);
		assert.equal(echoed.json.error, `Not found: /api/ipn/inquiry/1 {"token":"${tok}","aToken":"${c.map('acc-demo-0001')}"} ${tok}`);
		canary.addFault({ endpoint: 'token', mode: 'html', status: 500, message: 'at {{url}}: {{body}}', count: 1 });
		const page = await at('POST', '/api/token', { hash: c.hash, secret: c.secret });
		assert.ok(page.text.includes(`at ${canary.url}/api/token: {&quot;hash&quot;:&quot;${c.hash}&quot;`));
		canary.addFault({ endpoint: 'inquiry.search', mode: 'badJson', count: 1 });
		assert.ok((await at('POST', `/api/account-ipn/get/${tok}`, { aToken: c.map('acc-demo-0001') })).text.includes(c.map('brk-demo-0001')));

		// No default identity anywhere; every canary in the answers is a known one.
		const all = texts.join('\n');
		assert.doesNotMatch(all, /demo-api-user|single-account-(hash|secret)|acc-demo-|acc-single-|brk-demo-|brk-single-/);
		const found = all.match(c.pattern()) ?? [];
		assert.ok(found.length > 10);
		assert.deepEqual(found.filter((value) => !c.known(value)), []);

		// Control API lists them; a reset keeps the seeded canaries and the issued history.
		const listed = (await at('GET', '/__control/canaries')).json;
		assert.equal(listed.hash, c.hash);
		assert.deepEqual(listed.byKind.docToken, c.docTokens);
		canary.reset();
		assert.equal(canary.canaries.hash, c.hash);
		assert.equal((await at('POST', '/api/token', { hash: c.hash, secret: c.secret })).status, 200);
		assert.equal(c.securityTokens.length, 2, 'the HTML-fault token request issued none');
		await at('POST', '/__control/config', { largeAccount: 20 });
		const tok2 = c.securityTokens.at(-1);
		const large = (await at('POST', `/api/account-ipn/get/${tok2}`, { aToken: c.map('acc-demo-0002') })).json;
		assert.ok(Object.keys(large).length >= 20);
		assert.ok(Object.values(large).every((inq) => c.brokerTokens.includes(inq.data.bToken)));
	} finally {
		await canary.close();
	}
});

test('echo placeholders work in default mode too; text without them is unchanged', async () => {
	const tok = await token();
	await post('/__control/faults', { endpoint: 'account.tokens', mode: 'error200', message: 'no {{token}}', count: 1 });
	assert.deepEqual((await post(`/api/account/get/tokens/${tok}`)).json, { error: `no ${tok}` });
	await post('/__control/faults', { endpoint: 'account.tokens', mode: 'status', status: 500, body: 'plain {text}', count: 1 });
	assert.equal((await post(`/api/account/get/tokens/${tok}`)).text, 'plain {text}');
	await post('/__control/faults', { endpoint: 'inquiry.search', mode: 'badJson', count: 1 });
	assert.ok((await searchDemo(tok)).text.includes('"bToken":"brk-demo-0001"'));
});

/* ------------------------------------------------------------------------ */
/* V1.1 dialect and the calls new in package 1.1                            */
/* ------------------------------------------------------------------------ */

const V1_ONLY = { hash: 'v1-only-api-user-hash', secret: 'v1-only-api-user-secret' };
const V11_ONLY = { hash: 'v11-only-api-user-hash', secret: 'v11-only-api-user-secret' };
const DIALECT_REFUSED = { error: 'API User is not allowed to use this API version.' };

/** A V1.1 request: Bearer token, X-Account-Token / X-Broker-Token, query or JSON body. */
async function v11(method, path, { tok, account, broker, body, headers = {} } = {}) {
	const h = { Accept: 'application/json', ...headers };
	if (tok !== undefined) h.Authorization = `Bearer ${tok}`;
	if (account !== undefined) h['X-Account-Token'] = account;
	if (broker !== undefined) h['X-Broker-Token'] = broker;
	if (body !== undefined) h['Content-Type'] = 'application/json';
	const res = await fetch(base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await res.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, headers: res.headers, text, json };
}

const newBroker = (extra = {}) => ({ type: 2, bExternalId: 'CRM-B-NEW', bEmail: 'neu@example.de', bLastName: 'Neumann', ...extra });
const anumSet = (extra = {}, number = {}) => ({
	agencyNumberSets: [{ baFinId: '7001', ...extra, agencyNumbers: [{ agencyNumber: 'HDI-1', matchCode: 'HDI', externalInsurerId: 'CRM-INS-13', externalUniqueId: 'U-1', defaultForTenders: true, defaultForCalculations: false, collectionType: 'insurer_collection', internalComment: 'x', active: true, ...number }] }],
});

test('V1.1 token: /api/ipn/tokens as /api/token; tokenPathNotFound makes /api/token a bare 404 (html or empty)', async () => {
	const ipn = await post('/api/ipn/tokens', DEMO);
	assert.equal(ipn.status, 200);
	assert.match(ipn.json.token, /^[0-9a-f]{40}$/);
	assert.deepEqual((await post('/api/ipn/tokens', { hash: DEMO.hash, secret: 'x' })).json, { error: 'API User is not existing or deactivated.' });
	assert.equal((await v11('GET', '/api/ipn/professions', { tok: ipn.json.token })).status, 200);

	standin.configure({ tokenPathNotFound: 'html' });
	const html = await post('/api/token', DEMO);
	assert.equal(html.status, 404);
	assert.equal(html.json, undefined);
	assert.match(html.headers.get('content-type'), /^text\/html/);
	await post('/__control/config', { tokenPathNotFound: 'empty' });
	const empty = await post('/api/token', DEMO);
	assert.deepEqual([empty.status, empty.text], [404, '']);
	assert.equal((await post('/api/ipn/tokens', DEMO)).status, 200, 'the fallback still works');
	assert.equal((await post('/__control/config', { tokenPathNotFound: 'yes' })).status, 400);
	assert.equal(standin.stats.tokenRequests, 5);
	assert.equal(standin.stats.requestsByRoute['v1.1 POST /api/ipn/tokens'], 3);
	assert.equal(standin.stats.requestsByRoute['common POST /api/token'], 2);
});

test('V1.1 auth: Bearer only; missing, bad or body/path tokens get 400 + error, never 401', async () => {
	const tok = await token();
	assert.equal((await v11('GET', '/api/ipn/account/tokens', { tok })).status, 200);
	for (const r of [
		await v11('GET', '/api/ipn/account/tokens'),
		await v11('GET', '/api/ipn/account/tokens', { tok: 'deadbeef' }),
		await v11('GET', '/api/ipn/account/tokens', { headers: { Authorization: tok } }),
		await v11('POST', '/api/ipn/brokers/tokens', { account: 'acc-demo-0001', body: { token: tok, ...newBroker({ bExternalId: 'CRM-B-1' }) } }),
		await v11('GET', `/api/ipn/professions?token=${tok}`),
	]) {
		assert.equal(r.status, 400);
		assert.deepEqual(r.json, { error: 'Security token is invalid or expired.' });
	}
});

test('V1.1 account tokens: a list with nameTag; shapes per user switchable; V1 keeps {name, aToken}', async () => {
	const tok = await token();
	const list = await v11('GET', '/api/ipn/account/tokens', { tok });
	assert.deepEqual(list.json, [
		{ name: 'Demo Maklerbüro GmbH', nameTag: 'demopool', aToken: 'acc-demo-0001' },
		{ name: 'Zweitbüro Hamburg', nameTag: 'zweitbuero-hh', aToken: 'acc-demo-0002' },
	]);
	const single = await token(SINGLE);
	standin.configure({ accountTokensShape: { single: 'object', '*': 'listWithoutTag' } });
	assert.deepEqual((await v11('GET', '/api/ipn/account/tokens', { tok: single })).json, { name: 'Einzelbüro Köln', nameTag: 'einzelbuero-koeln', aToken: 'acc-single-0001' });
	assert.deepEqual((await v11('GET', '/api/ipn/account/tokens', { tok })).json, [
		{ name: 'Demo Maklerbüro GmbH', aToken: 'acc-demo-0001' },
		{ name: 'Zweitbüro Hamburg', aToken: 'acc-demo-0002' },
	]);
	await post('/__control/config', { accountTokensShape: 'objectTokenOnly' });
	assert.deepEqual((await v11('GET', '/api/ipn/account/tokens', { tok })).json, { aToken: 'acc-demo-0001' });
	assert.equal((await post('/__control/config', { accountTokensShape: { demo: 'map' } })).status, 400);
	assert.throws(() => standin.configure({ accountTokensShape: 'nope' }), /accountTokensShape/);

	assert.deepEqual((await post(`/api/account/get/tokens/${tok}`)).json, [
		{ name: 'Demo Maklerbüro GmbH', aToken: 'acc-demo-0001' },
		{ name: 'Zweitbüro Hamburg', aToken: 'acc-demo-0002' },
	]);
	await post('/__control/config', { v1AccountTokensShape: 'list' });
	assert.equal((await post(`/api/account/get/tokens/${tok}`)).json[0].nameTag, 'demopool');
});

test('dialect permission: a V1-only and a V1.1-only API user; userDialects switches any user', async () => {
	const v1 = await token(V1_ONLY);
	const v11tok = await token(V11_ONLY);
	assert.equal((await post(`/api/account/get/tokens/${v1}`)).status, 200);
	const refused11 = await v11('GET', '/api/ipn/account/tokens', { tok: v1 });
	assert.equal(refused11.status, 400);
	assert.deepEqual(refused11.json, DIALECT_REFUSED);
	assert.equal((await v11('GET', '/api/ipn/account/tokens', { tok: v11tok })).json.length, 2);
	assert.deepEqual((await post(`/api/account/get/tokens/${v11tok}`)).json, DIALECT_REFUSED);
	assert.deepEqual((await post('/api/ipn/inquiry/1878881', { token: v11tok, aToken: 'acc-demo-0001' })).json, DIALECT_REFUSED);
	assert.deepEqual((await post('/api/professions', { token: v11tok })).json, DIALECT_REFUSED);

	const demo = await token();
	await post('/__control/config', { userDialects: { demo: ['v1.1'] } });
	assert.deepEqual((await post(`/api/account/get/tokens/${demo}`)).json, DIALECT_REFUSED);
	assert.equal((await v11('GET', '/api/ipn/account/tokens', { tok: demo })).status, 200);
	standin.configure({ userDialects: { '*': ['v1'] } });
	assert.deepEqual((await v11('GET', '/api/ipn/account/tokens', { tok: v11tok })).json, DIALECT_REFUSED);
	assert.equal((await post('/__control/config', { userDialects: { demo: ['v2'] } })).status, 400);
});

test('get broker token: V1.1 (both paths) {status, bToken}, fields named, 404 or 200 + error; V1 a list with bCode', async () => {
	const tok = await token();
	for (const path of ['/api/ipn/brokers/tokens', '/api/ipn/brokers/token']) {
		const r = await v11('POST', path, { tok, account: 'acc-demo-0001', body: { type: 1, bExternalId: 'CRM-B-2', bEmail: 'x@example.de', bCompany: 'Demo' } });
		assert.equal(r.status, 200);
		assert.deepEqual(r.json, { status: 'Broker Api: existing broker for the provided request.', bToken: 'brk-demo-0002' });
	}
	const field = async (body) => (await v11('POST', '/api/ipn/brokers/tokens', { tok, account: 'acc-demo-0001', body })).json.error;
	assert.equal(await field({ bExternalId: 'CRM-B-2', bLastName: 'Weber' }), 'BrokerAPI: Invalid parameters: bEmail');
	assert.equal(await field({ bExternalId: 'CRM-B-2', bEmail: 'x@example.de;', bLastName: 'Weber' }), 'BrokerAPI: Invalid parameters: bEmail');
	assert.equal(await field({ bExternalId: 'CRM-B-2', bEmail: 'x@example.de' }), 'BrokerAPI: Invalid parameters: bLastName');
	assert.equal(await field({ bEmail: 'x@example.de', bLastName: 'Weber' }), 'BrokerAPI: Invalid parameters: bExternalId');
	assert.equal(await field({ type: 3, bExternalId: 'CRM-B-2', bEmail: 'x@example.de', bLastName: 'Weber' }), 'BrokerAPI: Invalid parameters: type');

	const unknown = await v11('POST', '/api/ipn/brokers/tokens', { tok, account: 'acc-demo-0001', body: newBroker() });
	assert.equal(unknown.status, 404);
	assert.deepEqual(unknown.json, { error: 'Broker Api: no broker found for the provided request.' });
	assert.equal((await v11('POST', '/api/ipn/brokers/tokens', { tok, account: 'acc-demo-0002', body: newBroker({ bExternalId: 'CRM-B-1' }) })).status, 404, 'another account’s broker');
	assert.equal((await v11('POST', '/api/ipn/brokers/tokens', { tok, body: newBroker() })).status, 400, 'no X-Account-Token');
	assert.deepEqual((await v11('POST', '/api/ipn/brokers/tokens', { tok, account: 'acc-single-0001', body: newBroker() })).json, { error: 'Account not found.' });
	standin.configure({ brokerTokenNotFound: 200 });
	const old = await v11('POST', '/api/ipn/brokers/tokens', { tok, account: 'acc-demo-0001', body: newBroker() });
	assert.deepEqual([old.status, old.json.error], [200, 'Broker Api: no broker found for the provided request.']);
	standin.configure({ brokerTokenNotFound: 404 });

	const v1 = await post(`/api/broker/get/${tok}`, { aToken: 'acc-demo-0001', type: 2, bExternalId: 'CRM-B-1', bLastName: 'Schneider' });
	assert.deepEqual(v1.json, [{ bToken: 'brk-demo-0001', bLastName: 'Schneider', bEmail: 'anna.schneider@demo-makler.de', bCompany: 'Demo Maklerbüro GmbH', bCode: 'CD-100001' }]);
	const v1unknown = await post(`/api/broker/get/${tok}`, { aToken: 'acc-demo-0001', bExternalId: 'nope', bLastName: 'X' });
	assert.deepEqual([v1unknown.status, v1unknown.json], [404, { error: 'Broker Api: no broker found for the provided request.' }]);
	assert.deepEqual((await post(`/api/broker/get/${tok}`, { aToken: 'acc-x', bExternalId: 'CRM-B-1', bLastName: 'X' })).json, { error: 'Account not found.' });
	assert.equal((await post(`/api/broker/get/${tok}`, { aToken: 'acc-demo-0001', bExternalId: 'CRM-B-1' })).json.error, 'BrokerAPI: Invalid parameters: bLastName');
	assert.equal(standin.stats.requestsByEndpoint['broker.token'], 16);
});

test('create broker V1.1: {status, bToken}, fields named, an existing bExternalId refused; the new broker forwards and is found', async () => {
	const tok = await token();
	const created = await v11('POST', '/api/ipn/brokers', { tok, account: 'acc-demo-0001', body: newBroker({ bFirstName: 'Nina', bGender: 2 }) });
	assert.equal(created.status, 200);
	assert.equal(created.json.status, 'Broker Api: new broker created for the provided request.');
	assert.match(created.json.bToken, /^brk-[0-9a-f]{24}$/);
	const again = await v11('POST', '/api/ipn/brokers', { tok, account: 'acc-demo-0001', body: newBroker() });
	assert.deepEqual([again.status, again.json], [400, { error: 'Broker Api: a broker with this bExternalId already exists.' }]);
	assert.equal((await v11('POST', '/api/ipn/brokers', { tok, account: 'acc-demo-0002', body: newBroker() })).status, 200, 'another account may use the ID');
	assert.equal((await v11('POST', '/api/ipn/brokers', { tok, account: 'acc-demo-0001', body: newBroker({ bExternalId: 'X-2', bEmail: undefined }) })).json.error, 'BrokerAPI: Invalid parameters: bEmail');
	assert.equal((await v11('POST', '/api/ipn/brokers', { tok, account: 'acc-demo-0001', body: newBroker({ bExternalId: 'X-2', bGender: 5 }) })).json.error, 'BrokerAPI: Invalid parameters: bGender');
	assert.equal((await v11('POST', '/api/ipn/brokers', { tok, body: newBroker({ bExternalId: 'X-3' }) })).status, 400);

	const found = await v11('POST', '/api/ipn/brokers/token', { tok, account: 'acc-demo-0001', body: newBroker() });
	assert.equal(found.json.bToken, created.json.bToken);
	const fwd = await v11('POST', '/api/ipn/brokers/forward', { tok, broker: created.json.bToken, body: { type: 2, bExternalId: 'CRM-B-NEW' } });
	assert.equal(fwd.status, 200);
	const state = standin.state.brokers.get(created.json.bToken);
	assert.deepEqual([state.type, state.fields.bFirstName, state.fields.bGender, state.aToken], [2, 'Nina', 2, 'acc-demo-0001']);
	assert.equal(standin.stats.brokersCreated, 2);
	assert.ok((await call('GET', '/__control/brokers')).json.find((b) => b.bToken === created.json.bToken).bCode);
});

test('broker forward V1.1: X-Broker-Token, same checks and effects as V1 (bIsActive, callbacks, customer, inquiry)', async () => {
	const tok = await token();
	const fwd = (body, broker = 'brk-demo-0001') => v11('POST', '/api/ipn/brokers/forward', { tok, broker, body });
	const { bToken, ...bodyWithout } = fwdBody({ bEmail: 'anna@example.de', fullCallback: 0, callbackUrl: 'http://127.0.0.1:1/hook', bIsActive: 0 });
	const ok = await fwd(bodyWithout);
	assert.equal(ok.status, 200);
	assert.match(ok.json.url, new RegExp(`^${base}/api/broker/switch/[0-9a-f]{40}$`));
	const b1 = standin.state.brokers.get('brk-demo-0001');
	assert.deepEqual([b1.isActive, b1.fullCallback, b1.callbackUrl], [false, 0, 'http://127.0.0.1:1/hook']);
	assert.equal((await fetch(ok.json.url)).status, 403, 'deactivated');

	const instant = await fwd({ type: 1, bExternalId: 'CRM-B-1', bIsActive: true, cExternalId: 'C-88', cLastName: 'Neu', cEmail: 'neu@example.de', instantInquiryCreation: true, productId: 104, professionId: 2001 });
	assert.equal(typeof instant.json.inquiryId, 'number');
	const got = await v11('GET', `/api/ipn/inquiries?inquiryId=${instant.json.inquiryId}`, { tok, broker: 'brk-demo-0001' });
	const item = got.json[String(instant.json.inquiryId)];
	assert.deepEqual([item.data.productName, item.data.professionName, item.customer.cLastName], ['Cyberversicherung', 'IT-Berater', 'Neu']);

	assert.equal((await fwd({ ...bodyWithout, bToken: 'brk-unknown' })).status, 200, 'a bToken in the body is ignored');
	assert.deepEqual(await fwd(bodyWithout, 'brk-unknown').then((r) => [r.status, r.json]), [404, { error: 'Broker not found.' }]);
	assert.deepEqual(await fwd(bodyWithout, '').then((r) => [r.status, r.json]), [400, { error: 'Missing X-Broker-Token header.' }]);
	for (const body of [{ ...bodyWithout, type: 3 }, { ...bodyWithout, bExternalId: '' }, { ...bodyWithout, bIsActive: 'yes' }, { ...bodyWithout, fullCallback: 0, callbackUrl: '' }]) {
		assert.deepEqual(await fwd(body).then((r) => [r.status, r.json]), [400, { error: 'BrokerAPI: Invalid parameters' }], JSON.stringify(body));
	}
	assert.equal(standin.stats.requestsByRoute['v1.1 POST /api/ipn/brokers/forward'], 9);
	assert.equal(standin.stats.requestsByEndpoint['broker.fwd'], 9, 'the same logical endpoint as V1');
});

test('inquiries V1.1: the V1 search answer for account or broker; inquiryId; unknown ID {} or an error (switch)', async () => {
	const tok = await token();
	const keys = (r) => Object.keys(r.json);
	const v1all = await searchDemo(tok);
	const all = await v11('GET', '/api/ipn/inquiries', { tok, account: 'acc-demo-0001' });
	assert.equal(all.status, 200);
	assert.deepEqual(keys(all), keys(v1all));
	assert.deepEqual(all.json['1878881'].data, v1all.json['1878881'].data);
	assert.deepEqual(keys(await v11('GET', '/api/ipn/inquiries?lastDays=1', { tok, account: 'acc-demo-0001' })), keys(await searchDemo(tok, { lastDays: 1 })));

	const mine = await v11('GET', '/api/ipn/inquiries?lastDays=120', { tok, broker: 'brk-demo-0002' });
	assert.ok(keys(mine).length > 5 && Object.values(mine.json).every((i) => i.data.bToken === 'brk-demo-0002'));
	const v1broker = await post(`/api/ipn/get/${tok}`, { bToken: 'brk-demo-0002', lastDays: 120 });
	assert.deepEqual(keys(v1broker), keys(mine));
	assert.deepEqual((await post(`/api/ipn/get/${tok}`, { bToken: 'brk-x' })).json, { error: 'Broker not found.' });
	assert.deepEqual(keys(await post(`/api/ipn/get/${tok}`, { bToken: 'brk-demo-0002', iId: 1878880 })), [], 'another broker’s inquiry');

	const one = await v11('GET', '/api/ipn/inquiries?inquiryId=1878881', { tok, account: 'acc-demo-0001' });
	assert.deepEqual(keys(one), ['1878881']);
	assert.deepEqual(keys(await v11('GET', '/api/ipn/inquiries?inquiryId=1878881', { tok, broker: 'brk-demo-0002' })), ['1878881']);
	assert.deepEqual((await v11('GET', '/api/ipn/inquiries?inquiryId=1878881', { tok, broker: 'brk-demo-0001' })).json, {});
	assert.deepEqual((await v11('GET', '/api/ipn/inquiries?inquiryId=999', { tok, account: 'acc-demo-0001' })).json, {});
	standin.configure({ inquiryIdNotFound: 'error404' });
	assert.deepEqual(await v11('GET', '/api/ipn/inquiries?inquiryId=999', { tok, account: 'acc-demo-0001' }).then((r) => [r.status, r.json]), [404, { error: 'Inquiry not found.' }]);
	standin.configure({ inquiryIdNotFound: 'error200' });
	assert.deepEqual(await v11('GET', '/api/ipn/inquiries?inquiryId=999', { tok, account: 'acc-demo-0001' }).then((r) => [r.status, r.json]), [200, { error: 'Inquiry not found.' }]);

	assert.equal((await v11('GET', '/api/ipn/inquiries', { tok })).status, 400, 'no identity');
	assert.equal((await v11('GET', '/api/ipn/inquiries', { tok, account: 'acc-demo-0001', broker: 'brk-demo-0001' })).status, 400, 'both');
	assert.equal((await v11('GET', '/api/ipn/inquiries?lastDays=x', { tok, account: 'acc-demo-0001' })).status, 400);
	assert.deepEqual((await v11('GET', '/api/ipn/inquiries', { tok, account: 'acc-single-0001' })).json, { error: 'Account not found.' });
	assert.equal((await v11('GET', '/api/ipn/inquiries', { tok, broker: 'brk-single-0001' })).status, 404);
	assert.equal((await v11('POST', '/api/ipn/inquiries', { tok, account: 'acc-demo-0001' })).status, 404, 'reads are GET');
	const s = standin.stats;
	assert.equal(s.requestsByEndpoint['inquiry.get'], 6, 'with inquiryId: the get endpoint');
	assert.equal(s.requestsByRoute['v1.1 GET /api/ipn/inquiries'], 14);
	assert.equal(s.requestsByRoute['v1 POST /api/ipn/get/{token}'], 3);
});

test('agency numbers: add (account/broker, both dialects), get (V1; switches for key and BaFin), delete; unique IDs; fields named', async () => {
	const tok = await token();
	const getV1 = async (body = { aToken: 'acc-demo-0001' }) => (await post(`/api/account/get/anums/${tok}`, { token: tok, ...body })).json;
	const seeded = await getV1();
	assert.deepEqual(Object.keys(seeded), ['agencyNumberSets']);
	assert.deepEqual(seeded.agencyNumberSets.map((s) => s.baFinId ?? s.insurerId), ['5312', 12]);
	assert.equal(seeded.agencyNumberSets[0].agencyNumbers[0].agencyNumber, 'ALZ-4711');

	const added = await v11('POST', '/api/ipn/agency-numbers', { tok, account: 'acc-demo-0001', body: anumSet() });
	assert.deepEqual([added.status, added.json], [200, { status: 'Agency numbers saved.' }]);
	const stored = (await getV1()).agencyNumberSets.find((s) => s.baFinId === '7001');
	assert.deepEqual(stored.agencyNumbers, anumSet().agencyNumberSets[0].agencyNumbers);
	assert.equal((await v11('POST', '/api/ipn/agency-numbers', { tok, account: 'acc-demo-0001', body: anumSet({}, { matchCode: 'HDI neu' }) })).status, 200, 'the same entry again updates it');
	const dup = await v11('POST', '/api/ipn/agency-numbers', { tok, account: 'acc-demo-0001', body: anumSet({}, { agencyNumber: 'HDI-2' }) });
	assert.deepEqual([dup.status, dup.json], [400, { error: 'Agency numbers: externalUniqueId U-1 already exists.' }]);
	assert.equal((await v11('POST', '/api/ipn/agency-numbers', { tok, account: 'acc-demo-0001', body: anumSet({}, { agencyNumber: 'HDI-9', externalUniqueId: 'CRM-AN-1' }) })).status, 400, 'a seeded unique ID');

	const field = async (body) => (await v11('POST', '/api/ipn/agency-numbers', { tok, account: 'acc-demo-0001', body })).json.error;
	assert.equal(await field({}), 'Invalid parameters: agencyNumberSets');
	assert.equal(await field({ agencyNumberSets: [{ agencyNumbers: [{ agencyNumber: '1', defaultForTenders: true }] }] }), 'Invalid parameters: agencyNumberSets[0].baFinId|insurerId|supervisingAuthorityId');
	assert.equal(await field(anumSet({}, { agencyNumber: '' })), 'Invalid parameters: agencyNumberSets[0].agencyNumbers[0].agencyNumber');
	assert.equal(await field(anumSet({}, { defaultForTenders: undefined })), 'Invalid parameters: agencyNumberSets[0].agencyNumbers[0].defaultForTenders');
	const twice = anumSet({}, { externalUniqueId: 'U-9' });
	twice.agencyNumberSets[0].agencyNumbers.push({ ...twice.agencyNumberSets[0].agencyNumbers[0], agencyNumber: 'HDI-3' });
	assert.equal(await field(twice), 'Invalid parameters: agencyNumberSets[0].agencyNumbers[1].externalUniqueId');
	assert.equal((await v11('POST', '/api/ipn/agency-numbers', { tok, account: 'acc-demo-0001', broker: 'brk-demo-0001', body: anumSet() })).status, 400, 'both headers');
	assert.equal((await v11('POST', '/api/ipn/agency-numbers', { tok, body: anumSet() })).status, 400, 'no header');

	// Broker level: V1.1 header and V1's legacy broker/set/anums; V1 get with bToken reads them.
	assert.equal((await v11('POST', '/api/ipn/agency-numbers', { tok, broker: 'brk-demo-0002', body: anumSet({ baFinId: undefined, insurerId: 13 }, { externalUniqueId: 'B-1' }) })).status, 200);
	assert.equal((await post(`/api/broker/set/anums/${tok}`, { bToken: 'brk-demo-0002', ...anumSet({ baFinId: undefined, baFinRegNr: '7002' }, { agencyNumber: 'X-1', externalUniqueId: 'B-2' }) })).status, 200);
	assert.deepEqual((await getV1({ bToken: 'brk-demo-0002' })).agencyNumberSets.map((s) => s.insurerId ?? s.baFinId), [13, '7002']);
	assert.equal((await post(`/api/account/set/anums/${tok}`, { aToken: 'acc-demo-0002', ...anumSet({}, { externalUniqueId: 'A2-1' }) })).status, 200);
	assert.equal((await post(`/api/account/set/anums/${tok}`, { bToken: 'brk-demo-0002', ...anumSet() })).status, 400, 'the account call takes aToken');
	assert.deepEqual((await post(`/api/account/set/anums/${tok}`, { aToken: 'acc-x', ...anumSet() })).json, { error: 'Account not found.' });

	// Switches: the answer key and the BaFin spelling.
	standin.configure({ agencyNumbersKey: 'agencyNumbers', baFinKey: 'baFinRegNr' });
	const alt = await getV1();
	assert.deepEqual(Object.keys(alt), ['agencyNumbers']);
	assert.equal(alt.agencyNumbers[0].baFinRegNr, '5312');
	assert.ok(!('baFinId' in alt.agencyNumbers[0]));
	standin.configure({ agencyNumbersKey: 'agencyNumberSets', baFinKey: 'baFinId' });

	// Get in V1.1: not published (404 HTML) unless switched on.
	const hidden = await v11('GET', '/api/ipn/agency-numbers', { tok, account: 'acc-demo-0001' });
	assert.deepEqual([hidden.status, hidden.text], [404, '<html><body><h1>404 Not Found</h1></body></html>']);
	await post('/__control/config', { agencyNumbersGetV11: true });
	assert.deepEqual((await v11('GET', '/api/ipn/agency-numbers', { tok, account: 'acc-demo-0001' })).json, await getV1());

	// Delete: by agencyNumber or externalInsurerId; never "all numbers of an insurer"; IDs stay used.
	const del = (body, headers = { account: 'acc-demo-0001' }) => v11('DELETE', '/api/ipn/agency-numbers', { tok, ...headers, body });
	assert.equal((await del({ agencyNumberSets: [{ baFinId: '7001' }] })).json.error, 'Invalid parameters: agencyNumberSets[0].agencyNumbers');
	assert.equal((await del({ agencyNumberSets: [{ baFinId: '7001', agencyNumbers: [{ matchCode: 'HDI' }] }] })).json.error, 'Invalid parameters: agencyNumberSets[0].agencyNumbers[0].agencyNumber|externalInsurerId');
	assert.deepEqual((await del({ agencyNumberSets: [{ baFinId: '7001', agencyNumbers: [{ agencyNumber: 'HDI-1' }] }] })).json, { status: 'Agency numbers deleted.' });
	assert.equal((await getV1()).agencyNumberSets.find((s) => s.baFinId === '7001'), undefined);
	assert.equal((await v11('POST', '/api/ipn/agency-numbers', { tok, account: 'acc-demo-0001', body: anumSet({}, { agencyNumber: 'HDI-5' }) })).status, 400, 'a deleted entry’s unique ID is not reusable');
	assert.equal((await post(`/api/account/delete/anums/${tok}`, { aToken: 'acc-demo-0001', agencyNumberSets: [{ insurerId: '12', agencyNumbers: [{ externalInsurerId: 'CRM-INS-12' }] }] })).status, 200);
	assert.deepEqual((await getV1()).agencyNumberSets.map((s) => s.baFinId), ['5312']);
	assert.equal((await del({ agencyNumberSets: [{ insurerId: 13, agencyNumbers: [{ agencyNumber: 'HDI-1' }] }] }, { broker: 'brk-demo-0002' })).status, 200);
	const control = (await call('GET', '/__control/agency-numbers')).json;
	assert.deepEqual(control['broker:brk-demo-0002'].map((s) => s.baFinId), ['7002']);
	assert.equal(control['account:acc-demo-0002'].length, 2);
	assert.equal(standin.stats.requestsByEndpoint['anums.get'], 9);
});

test('products and professions: both dialects, narrowed by professionId', async () => {
	const tok = await token();
	const profs = await v11('GET', '/api/ipn/professions', { tok });
	assert.equal(profs.json.length, 18);
	assert.deepEqual(profs.json[0], { id: 1001, name: 'Elektroinstallateur' });
	assert.deepEqual((await post('/api/professions', { token: tok })).json, profs.json);
	const all = await v11('GET', '/api/ipn/products', { tok });
	assert.equal(all.json.length, 20);
	assert.ok(all.json.every((p) => Number.isInteger(p.id) && typeof p.name === 'string'));
	const it = await v11('GET', '/api/ipn/products?professionId=2001', { tok });
	assert.ok(it.json.some((p) => p.name === 'Cyberversicherung') && !it.json.some((p) => p.name === 'Werkverkehrsversicherung'));
	assert.deepEqual((await post('/api/products', { token: tok, professionId: 2001 })).json, it.json);
	assert.deepEqual((await post('/api/products', { token: tok, professionId: '2001' })).json, it.json);
	assert.deepEqual((await v11('GET', '/api/ipn/products?professionId=42', { tok })).json, []);
	assert.equal((await v11('GET', '/api/ipn/products?professionId=abc', { tok })).status, 400);
	assert.equal((await post('/api/products', { token: 'nope' })).status, 400);
	assert.equal((await post('/api/professions', {})).status, 400);
	// Every profession and product of the seeded inquiries is in the lists.
	const ids = new Set(all.json.map((p) => p.id));
	const profIds = new Set(profs.json.map((p) => p.id));
	assert.ok(Object.values((await searchDemo(tok, { lastDays: 120 })).json).every((i) => ids.has(i.data.productId) && profIds.has(i.data.professionId)));
});

test('stats and log: per-route counters name the dialect; Bearer, X- header and body tokens redacted, raw keeps them', async () => {
	const tok = await token();
	await post(`/api/account/get/tokens/${tok}`);
	await v11('GET', '/api/ipn/account/tokens', { tok });
	await v11('GET', '/api/ipn/inquiries?lastDays=0', { tok, broker: 'brk-demo-0001' });
	await post('/api/ipn/inquiry/1878881', { token: tok, aToken: 'acc-demo-0001' });
	await post(`/api/account/get/anums/${tok}`, { token: tok, aToken: 'acc-demo-0001' });
	await post(`/api/broker/set/anums/${tok}`, { bToken: 'brk-demo-0001', ...anumSet() });
	const s = (await call('GET', '/__control/stats')).json;
	assert.deepEqual(s.requestsByRoute, {
		'common POST /api/token': 1,
		'v1 POST /api/account/get/tokens/{token}': 1,
		'v1.1 GET /api/ipn/account/tokens': 1,
		'v1.1 GET /api/ipn/inquiries': 1,
		'v1 POST /api/ipn/{inquiry|inq}/{iId}': 1,
		'v1 POST /api/account/get/anums/{token}': 1,
		'v1 POST /api/broker/set/anums/{token}': 1,
	});
	assert.deepEqual(s.requestsByDialect, { common: 1, v1: 4, 'v1.1': 2 });
	assert.equal(s.requestsByEndpoint['account.tokens'], 2);

	const log = (await call('GET', '/__control/log')).json;
	assert.ok(!JSON.stringify(log).includes(tok), 'no security token in the redacted log');
	assert.deepEqual(log[2].headers, { authorization: 'Bearer {token}' });
	assert.deepEqual([log[3].dialect, log[3].route, log[3].headers], ['v1.1', 'v1.1 GET /api/ipn/inquiries', { authorization: 'Bearer {token}', 'x-broker-token': '{bToken}' }]);
	assert.equal(log[4].body.token, '{token}');
	assert.equal(log[5].path, '/api/account/get/anums/{token}');
	assert.equal(log[6].path, '/api/broker/set/anums/{token}');
	assert.ok(log[6].tokenInPath);
	const raw = (await call('GET', '/__control/log?raw=1')).json;
	assert.deepEqual(raw[3].headers, { authorization: `Bearer ${tok}`, 'x-broker-token': 'brk-demo-0001' });
	assert.equal(raw[4].body.token, tok);
});

test('faults: the new endpoints, and a fault narrowed to one dialect', async () => {
	const tok = await token();
	standin.addFault({ endpoint: 'broker.fwd', dialect: 'v1.1', mode: 'status', status: 503, retryAfter: 1, count: 1 });
	assert.equal((await post(`/api/broker/fwd/${tok}`, fwdBody())).status, 200, 'V1 is not hit');
	assert.equal((await v11('POST', '/api/ipn/brokers/forward', { tok, broker: 'brk-demo-0001', body: { type: 2, bExternalId: 'CRM-B-1' } })).status, 503);
	for (const endpoint of ['broker.token', 'anums.set', 'anums.delete', 'anums.get', 'products', 'professions']) {
		assert.equal((await post('/__control/faults', { endpoint, mode: 'error200', message: endpoint, count: 1 })).status, 200);
	}
	assert.deepEqual((await v11('GET', '/api/ipn/professions', { tok })).json, { error: 'professions' });
	assert.deepEqual((await post(`/api/broker/get/${tok}`, { aToken: 'acc-demo-0001' })).json, { error: 'broker.token' });
	standin.addFault({ endpoint: 'inquiry.get', dialect: 'v1.1', mode: 'expireToken', count: 1 });
	assert.equal((await v11('GET', '/api/ipn/inquiries?inquiryId=1878881', { tok, account: 'acc-demo-0001' })).status, 400);
	assert.equal((await v11('GET', '/api/ipn/professions', { tok })).status, 400, 'the Bearer token really expired');
	assert.equal((await post('/__control/faults', { endpoint: 'token', mode: 'status', dialect: 'v2' })).status, 400);
});

test('capacity model: base latency up to N, slower up to 2N, 503 + Retry-After beyond; runtime changes; trace and counters', async () => {
	const burst = async (n) => {
		const t0 = Date.now();
		return Promise.all(Array.from({ length: n }, () => post('/api/token', DEMO).then((r) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), ms: Date.now() - t0 }))));
	};
	// Open the connections first, so the burst arrives at once even on a busy machine.
	standin.configure({ latencyMs: 20 });
	await burst(5);
	await call('DELETE', '/__control/stats');
	standin.configure({ latencyMs: 60, capacity: 2 });
	const answers = await burst(5);
	const rejected = answers.filter((a) => a.status === 503);
	assert.equal(rejected.length, 1, JSON.stringify(answers));
	assert.equal(rejected[0].retryAfter, '1');
	const served = answers.filter((a) => a.status === 200).map((a) => a.ms).sort((a, b) => a - b);
	assert.ok(rejected[0].ms < served[0], 'an overloaded answer comes at once');
	assert.ok(served[3] >= 115, `the 4th in flight waits latency × 4/2: ${served}`);
	let s = standin.stats;
	assert.deepEqual([s.capacity503, s.maxInFlight, s.capacity], [1, 5, 2]);
	const trace = s.inFlightTrace;
	assert.equal(trace.length, 10, 'a sample at each start and end');
	assert.deepEqual(trace.map((x) => x.inFlight).slice(0, 5), [1, 2, 3, 4, 5]);
	assert.ok(trace.every((x) => x.capacity === 2 && x.t >= 0));

	// Capacity drops mid-run (control endpoint), then goes away.
	const view = await post('/__control/capacity', { capacity: 1 });
	assert.equal(view.json.capacity, 1);
	assert.equal((await burst(3)).filter((a) => a.status === 503).length, 1);
	assert.equal((await call('GET', '/__control/capacity')).json.capacity503, 2);
	assert.equal((await post('/__control/capacity', { capacity: -1 })).status, 400);
	await post('/__control/config', { capacity: 0, latencyMs: 0 });
	assert.ok((await burst(12)).every((a) => a.status === 200), 'unlimited');
	s = (await call('GET', '/__control/stats')).json;
	assert.equal(s.capacity503, 2);
	assert.equal(s.inFlightTrace.at(-1).capacity, 0);
	assert.equal(s.log, undefined);
	await call('DELETE', '/__control/stats');
	assert.deepEqual(standin.stats.inFlightTrace, []);
	standin.reset();
	assert.equal(standin.config.capacity, 0);
});

test('capacity at start and CLI; a start option sets any switch', async () => {
	const other = await startStandin({ port: 0, capacity: 1, latencyMs: 40, inquiryIdNotFound: 'error404', tokenPathNotFound: true });
	try {
		assert.equal(other.config.capacity, 1);
		const res = await Promise.all([1, 2, 3].map(() => fetch(`${other.url}/api/ipn/tokens`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(DEMO) }).then((r) => r.status)));
		assert.deepEqual(res.sort(), [200, 200, 503]);
		assert.equal((await fetch(`${other.url}/api/token`, { method: 'POST', body: JSON.stringify(DEMO) })).status, 404);
		other.reset();
		assert.deepEqual([other.config.capacity, other.config.inquiryIdNotFound], [1, 'error404'], 'a reset goes back to the start values');
	} finally {
		await other.close();
	}
});

test('canary mode, V1.1: created bTokens are canaries; the redacted log shows no security, account or broker token', async () => {
	const canary = await startStandin({ port: 0, canary: true });
	try {
		const c = canary.canaries;
		const at = async (method, path, { tok, account, broker, body } = {}) => {
			const headers = { 'Content-Type': 'application/json' };
			if (tok) headers.Authorization = `Bearer ${tok}`;
			if (account) headers['X-Account-Token'] = account;
			if (broker) headers['X-Broker-Token'] = broker;
			const res = await fetch(canary.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
			return { status: res.status, json: await res.json().catch(() => undefined) };
		};
		const tok = (await at('POST', '/api/ipn/tokens', { body: { hash: c.hash, secret: c.secret } })).json.token;
		const list = (await at('GET', '/api/ipn/account/tokens', { tok })).json;
		assert.deepEqual(list.map((a) => [a.nameTag, a.aToken]), [['demopool', c.map('acc-demo-0001')], ['zweitbuero-hh', c.map('acc-demo-0002')]]);
		const created = (await at('POST', '/api/ipn/brokers', { tok, account: c.map('acc-demo-0001'), body: newBroker() })).json;
		assert.match(created.bToken, /^cnryBTOK/);
		assert.ok(c.known(created.bToken));
		assert.equal((await at('POST', '/api/ipn/brokers/tokens', { tok, account: c.map('acc-demo-0001'), body: newBroker() })).json.bToken, created.bToken);
		assert.equal((await at('GET', '/api/ipn/inquiries?lastDays=1', { tok, broker: c.map('brk-demo-0001') })).status, 200);
		assert.equal((await at('POST', '/api/ipn/agency-numbers', { tok, broker: c.map('brk-demo-0001'), body: anumSet() })).status, 200);
		const v1only = canary.state.alias('v1-only-api-user-hash');
		assert.match(v1only, /^cnryHASH/);
		const redacted = JSON.stringify(canary.log);
		assert.deepEqual(redacted.match(c.pattern()) ?? [], [c.hash], 'only the token call’s hash (its secret is ***)');
		assert.ok(JSON.stringify(canary.rawLog).includes(tok));
	} finally {
		await canary.close();
	}
});
