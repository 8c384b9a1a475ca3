'use strict';
/**
 * The Thinksurance API endpoints (V1.1 as documented in
 * shared/thinksurance-api.md), including the vendor's quirks:
 * errors as HTTP 200 + {error}, token in the URL path, 400 for an invalid
 * token, HTML error pages for unknown paths.
 */

const { sendJson, sendHtml, sendNotFoundHtml, htmlPage, isPlainObject, present, toInt } = require('./util');
const { fileContent } = require('../seed');
const { applyBrokerFields } = require('./state');
const { INVALID_TOKEN } = require('./faults');

const INVALID_PARAMS = { error: 'Invalid parameters' };
const BROKER_INVALID = { error: 'BrokerAPI: Invalid parameters' };
const USER_INVALID = { error: 'API User is not existing or deactivated.' };
const ACCOUNT_NOT_FOUND = { error: 'Account not found.' };
const BROKER_NOT_FOUND = { error: 'Broker not found.' };
const INQUIRY_NOT_FOUND = { error: 'Inquiry not found.' };

/** Bare, well-formed address: no spaces, no `;`, one `@`, a dot in the domain. */
const EMAIL_RE = /^[^\s;@]+@[^\s;@]+\.[^\s;@]+$/;
const STREAM_CHUNK_CHARS = 64 * 1024;

/* ------------------------------------------------------------------------ */
/* Routing                                                                  */
/* ------------------------------------------------------------------------ */

const ROUTES = [
	{ method: 'POST', re: /^\/api\/token$/, endpoint: 'token', handler: handleToken },
	{ method: 'POST', re: /^\/api\/broker\/fwd\/([^/]+)$/, endpoint: 'broker.fwd', keys: ['token'], handler: handleBrokerForward },
	{ method: 'POST', re: /^\/api\/broker\/set\/([^/]+)$/, endpoint: 'broker.set', keys: ['token'], handler: handleBrokerSet },
	{ method: 'POST', re: /^\/api\/account\/get\/tokens\/([^/]+)$/, endpoint: 'account.tokens', keys: ['token'], handler: handleAccountTokens },
	{ method: 'POST', re: /^\/api\/account-ipn\/get\/([^/]+)$/, endpoint: 'inquiry.search', keys: ['token'], handler: handleSearch },
	{ method: 'POST', re: /^\/api\/ipn\/(?:inquiry|inq)\/([^/]+)$/, endpoint: 'inquiry.get', keys: ['iId'], handler: handleInquiryGet },
	{ method: 'GET', re: /^\/files\/([^/]+)\/([^/]+)\/([^/]+)$/, endpoint: 'files', keys: ['iId', 'hash', 'name'], handler: handleFile },
	{ method: 'GET', re: /^\/api\/broker\/switch\/([^/]+)$/, endpoint: 'broker.switch', keys: ['hash'], handler: handleSwitch },
];

/**
 * Find the route for a request. Unknown paths/methods map to endpoint
 * "unknown" whose handler answers the HTML 404 page.
 */
function matchRoute(method, pathname) {
	const m = method === 'HEAD' ? 'GET' : method;
	for (const route of ROUTES) {
		if (route.method !== m) continue;
		const match = route.re.exec(pathname);
		if (!match) continue;
		const params = {};
		(route.keys || []).forEach((k, i) => {
			try {
				params[k] = decodeURIComponent(match[i + 1]);
			} catch {
				params[k] = match[i + 1];
			}
		});
		return { endpoint: route.endpoint, handler: route.handler, params };
	}
	return { endpoint: 'unknown', handler: (ctx, { res }) => sendNotFoundHtml(res), params: {} };
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

/** The API user for the path/body token, or null after answering 400. */
function requireUser(ctx, token, res) {
	const user = ctx.state.userForToken(token);
	if (!user) sendJson(res, 400, INVALID_TOKEN);
	return user;
}

/** The token of an `Authorization: Bearer <token>` header, else undefined. */
function bearerToken(req) {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(String(req?.headers?.authorization ?? ''));
	return match ? match[1] : undefined;
}

/** Flags as sent by different clients: true/false/1/0/"1"/"0"/"true"/"false". */
function parseFlag(v) {
	if (v === true || v === 1 || v === '1' || v === 'true') return true;
	if (v === false || v === 0 || v === '0' || v === 'false') return false;
	return null;
}

function isHttpUrl(v) {
	if (typeof v !== 'string') return false;
	try {
		const u = new URL(v);
		return u.protocol === 'http:' || u.protocol === 'https:';
	} catch {
		return false;
	}
}

function badEmail(v) {
	return v !== undefined && v !== null && v !== '' && !(typeof v === 'string' && EMAIL_RE.test(v));
}

/* ------------------------------------------------------------------------ */
/* POST /api/token                                                          */
/* ------------------------------------------------------------------------ */

function handleToken(ctx, { res, body }) {
	if (!isPlainObject(body) || !present(body.hash) || !present(body.secret)) return sendJson(res, 400, INVALID_PARAMS);
	const user = ctx.state.authenticate(body.hash, body.secret);
	// Quirk: a wrong user/secret is an HTTP 200 with an error body.
	if (!user) return sendJson(res, 200, USER_INVALID);
	sendJson(res, 200, ctx.state.issueSecurityToken(user, ctx.config.tokenTtlSeconds));
}

/* ------------------------------------------------------------------------ */
/* POST /api/broker/fwd/{token}                                             */
/* ------------------------------------------------------------------------ */

/** Field checks of Broker forward that don't need state. Returns true if valid. */
function forwardFieldsValid(body) {
	if (!present(body.bExternalId)) return false;
	if (badEmail(body.bEmail) || badEmail(body.cEmail)) return false;
	if (body.bIsActive !== undefined && parseFlag(body.bIsActive) === null) return false;
	if (present(body.cExternalId) && (!present(body.cLastName) || !present(body.cEmail))) return false;
	if (body.instantInquiryCreation !== undefined && parseFlag(body.instantInquiryCreation) === null) return false;
	if (parseFlag(body.instantInquiryCreation) && !present(body.cExternalId)) return false;
	if (body.cExternalReferences !== undefined) {
		if (!Array.isArray(body.cExternalReferences) || !body.cExternalReferences.every(isPlainObject)) return false;
		if (body.cExternalReferences.length > 0 && !present(body.crmIdent)) return false;
	}
	for (const [flag, urlKey] of [['fullCallback', 'callbackUrl'], ['mvpFullCallback', 'mvpCallbackUrl']]) {
		if (body[flag] !== undefined) {
			const v = toInt(body[flag]);
			if (v !== 0 && v !== 1) return false;
			if (v === 0 && !present(body[urlKey])) return false;
		}
		if (present(body[urlKey]) && !isHttpUrl(body[urlKey])) return false;
	}
	if (body.qasCustProfile !== undefined && !isPlainObject(body.qasCustProfile)) return false;
	return true;
}

/** Store callback registration and the active flag on the broker. */
function applyForwardToBroker(broker, body) {
	applyBrokerFields(broker, body);
	if (body.bIsActive !== undefined) broker.isActive = parseFlag(body.bIsActive);
	if (body.fullCallback !== undefined) broker.fullCallback = toInt(body.fullCallback);
	if (body.callbackUrl !== undefined) broker.callbackUrl = String(body.callbackUrl);
	if (body.mvpFullCallback !== undefined) broker.mvpFullCallback = toInt(body.mvpFullCallback);
	if (body.mvpCallbackUrl !== undefined) broker.mvpCallbackUrl = String(body.mvpCallbackUrl);
	broker.forwardCount += 1;
}

function handleBrokerForward(ctx, { res, params, body }) {
	const user = requireUser(ctx, params.token, res);
	if (!user) return;
	if (!isPlainObject(body)) return sendJson(res, 400, BROKER_INVALID);
	const type = toInt(body.type);
	if ((type !== 1 && type !== 2) || !present(body.bToken) || typeof body.bToken !== 'string') return sendJson(res, 400, BROKER_INVALID);
	const broker = ctx.state.brokerFor(user, body.bToken);
	if (!broker) return sendJson(res, 404, BROKER_NOT_FOUND);
	if (!forwardFieldsValid(body)) return sendJson(res, 400, BROKER_INVALID);

	applyForwardToBroker(broker, body);
	const answer = { url: `${ctx.baseUrl}/api/broker/switch/${ctx.state.createSwitchLink(broker)}` };
	const customer = present(body.cExternalId) ? ctx.state.upsertCustomer(broker.aToken, body) : null;
	if (customer && parseFlag(body.instantInquiryCreation)) {
		const inq = ctx.state.createInquiry(broker, customer, body);
		answer.inquiryId = inq.iId;
		answer.inquiryHash = inq.sHash;
		if (ctx.config.autoNotify) ctx.notifier.auto(inq, 'InquiryCreated');
	}
	sendJson(res, 200, answer);
}

/* ------------------------------------------------------------------------ */
/* POST /api/broker/set/{token} (legacy Create Broker)                      */
/* ------------------------------------------------------------------------ */

function handleBrokerSet(ctx, { res, params, body }) {
	const user = requireUser(ctx, params.token, res);
	if (!user) return;
	if (!isPlainObject(body) || !present(body.aToken)) return sendJson(res, 400, BROKER_INVALID);
	const account = ctx.state.accountFor(user, body.aToken);
	if (!account) return sendJson(res, 200, ACCOUNT_NOT_FOUND);
	const type = body.type === undefined ? 2 : toInt(body.type);
	const named = present(body.bLastName) || present(body.bCompany);
	if ((type !== 1 && type !== 2) || !present(body.bExternalId) || !named || badEmail(body.bEmail)) {
		return sendJson(res, 400, BROKER_INVALID);
	}
	const broker = ctx.state.createBroker(account.aToken, body);
	sendJson(res, 200, { status: 'success', bToken: broker.bToken });
}

/* ------------------------------------------------------------------------ */
/* POST /api/account/get/tokens/{token}                                     */
/* ------------------------------------------------------------------------ */

function handleAccountTokens(ctx, { res, params }) {
	const user = requireUser(ctx, params.token, res);
	if (!user) return;
	sendJson(res, 200, ctx.state.accountsOf(user));
}

/* ------------------------------------------------------------------------ */
/* POST /api/account-ipn/get/{token}                                        */
/* ------------------------------------------------------------------------ */

/** Optional non-negative integer body field: undefined, a number, or NaN (invalid). */
function optionalInt(v) {
	if (v === undefined || v === null || v === '') return undefined;
	const n = toInt(v);
	return Number.isInteger(n) && n >= 0 ? n : NaN;
}

async function handleSearch(ctx, { res, params, body }) {
	const user = requireUser(ctx, params.token, res);
	if (!user) return;
	if (!isPlainObject(body) || !present(body.aToken)) return sendJson(res, 400, INVALID_PARAMS);
	const iId = optionalInt(body.iId);
	const lastDays = optionalInt(body.lastDays);
	if (Number.isNaN(iId) || Number.isNaN(lastDays)) return sendJson(res, 400, INVALID_PARAMS);
	const account = ctx.state.accountFor(user, body.aToken);
	if (!account) return sendJson(res, 200, ACCOUNT_NOT_FOUND);
	const list = ctx.state.search(account.aToken, { iId, lastDays });
	const docToken = ctx.issueDocToken(account.aToken);
	await streamObject(res, list, (inq) => [String(inq.iId), ctx.state.renderInquiry(inq, ctx.baseUrl, docToken)]);
}

/**
 * Write `{ "key": value, ... }` in ~64 KiB chunks (respecting backpressure)
 * so thousands of inquiries never become one giant string.
 */
async function streamObject(res, items, toEntry) {
	res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
	let buf = '{';
	let first = true;
	for (const item of items) {
		if (res.destroyed) return;
		const [key, value] = toEntry(item);
		buf += `${first ? '' : ','}${JSON.stringify(key)}:${JSON.stringify(value)}`;
		first = false;
		if (buf.length >= STREAM_CHUNK_CHARS) {
			const ok = res.write(buf);
			buf = '';
			if (!ok) await drainOrClose(res);
		}
	}
	if (!res.destroyed) res.end(`${buf}}`);
}

/** Wait for 'drain' (or 'close' if the client went away); leaves no listeners behind. */
function drainOrClose(res) {
	return new Promise((resolve) => {
		const done = () => {
			res.off('drain', done);
			res.off('close', done);
			resolve();
		};
		res.on('drain', done);
		res.on('close', done);
	});
}

/* ------------------------------------------------------------------------ */
/* POST /api/ipn/inquiry/{iId}  and  /api/ipn/inq/{iId}                     */
/* ------------------------------------------------------------------------ */

function handleInquiryGet(ctx, { req, res, params, body }) {
	if (!isPlainObject(body)) return sendJson(res, 400, INVALID_PARAMS);
	// The vendor's page asks for the token in the body (examples) or as a Bearer header (text): either works.
	const user = ctx.state.userForToken(body.token) ?? ctx.state.userForToken(bearerToken(req));
	if (!user) return sendJson(res, 400, INVALID_TOKEN);
	const inq = /^\d+$/.test(params.iId) ? ctx.state.inquiries.get(Number(params.iId)) : undefined;
	if (present(body.bToken)) {
		const broker = ctx.state.brokerFor(user, body.bToken);
		if (!broker) return sendJson(res, 404, BROKER_NOT_FOUND);
		if (!inq || inq.bToken !== broker.bToken) return sendJson(res, 404, INQUIRY_NOT_FOUND);
	} else if (present(body.aToken)) {
		const account = ctx.state.accountFor(user, body.aToken);
		if (!account) return sendJson(res, 200, ACCOUNT_NOT_FOUND);
		if (!inq || inq.aToken !== account.aToken) return sendJson(res, 404, INQUIRY_NOT_FOUND);
	} else {
		return sendJson(res, 400, INVALID_PARAMS);
	}
	sendJson(res, 200, ctx.state.renderInquiry(inq, ctx.baseUrl, ctx.issueDocToken(inq.aToken)));
}

/* ------------------------------------------------------------------------ */
/* GET /files/{iId}/{hash}/{name}?docToken=…                                */
/* ------------------------------------------------------------------------ */

function handleFile(ctx, { res, params, url }) {
	const inq = /^\d+$/.test(params.iId) ? ctx.state.inquiries.get(Number(params.iId)) : undefined;
	if (!inq) return sendNotFoundHtml(res);
	if (!ctx.state.docTokenValidFor(url.searchParams.get('docToken'), inq.aToken)) {
		return sendHtml(res, 403, htmlPage(403, 'Forbidden', 'The document link is invalid or has expired.'));
	}
	const file = inq.files.find((f) => f.hash === params.hash && f.name === params.name);
	if (!file) return sendNotFoundHtml(res);
	const { contentType, body } = fileContent(inq, file);
	res.writeHead(200, {
		'Content-Type': contentType,
		'Content-Length': body.length,
		'Content-Disposition': `attachment; filename="${file.name.replace(/["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
	});
	res.end(body);
}

/* ------------------------------------------------------------------------ */
/* GET /api/broker/switch/{hash} — the one-time login link                  */
/* ------------------------------------------------------------------------ */

function handleSwitch(ctx, { res, params }) {
	const link = ctx.state.switchLinks.get(params.hash);
	if (!link || link.used) return sendNotFoundHtml(res);
	const broker = ctx.state.brokers.get(link.bToken);
	if (!broker || !broker.isActive) return sendHtml(res, 403, htmlPage(403, 'Forbidden', 'Broker is deactivated.'));
	link.used = true;
	const name = [broker.fields.bFirstName, broker.fields.bLastName].filter(Boolean).join(' ') || broker.bExternalId;
	sendHtml(res, 200, `<html><body><h1>Thinksurance stand-in</h1><p>Angemeldet als ${name.replace(/[<>&]/g, '')} (${broker.bToken}).</p></body></html>`);
}

module.exports = { matchRoute, bearerToken, EMAIL_RE, parseFlag, INVALID_PARAMS };
