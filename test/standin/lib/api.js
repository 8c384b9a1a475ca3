'use strict';
/**
 * The Thinksurance API endpoints of both request dialects (shared/thinksurance-api.md):
 * V1 (security token in the URL path, account/broker in the body, all POST) here, V1.1
 * (Bearer, X-Account-Token / X-Broker-Token, /api/ipn/…) in api11.js, what both do alike
 * in core.js. Vendor quirks included: errors as HTTP 200 + {error}, 400 for an invalid
 * token (never 401), HTML error pages for unknown paths.
 */

const { sendJson, sendHtml, sendNotFoundHtml, htmlPage, isPlainObject, present, toInt } = require('./util');
const { fileContent } = require('../seed');
const core = require('./core');
const v11 = require('./api11');

const { INVALID_PARAMS, BROKER_INVALID, USER_INVALID, ACCOUNT_NOT_FOUND, BROKER_NOT_FOUND, INQUIRY_NOT_FOUND, requireUser, bearerToken, parseFlag, badEmail, optionalInt, EMAIL_RE } = core;

/* ------------------------------------------------------------------------ */
/* Routing                                                                  */
/* ------------------------------------------------------------------------ */

/**
 * `endpoint`: the logical call (stats, faults; the same name in both dialects), `dialect`:
 * v1 | v1.1 | common (the token call and the links both dialects hand out), `pattern`: the
 * route as the stats name it (`<dialect> <METHOD> <pattern>`). Longer paths first.
 */
const ROUTES = [
	// Common: the V1 token call is also V1.1's first choice; files and login links come from answers.
	{ method: 'POST', re: /^\/api\/token$/, endpoint: 'token', dialect: 'common', pattern: '/api/token', handler: handleTokenPath },
	{ method: 'GET', re: /^\/files\/([^/]+)\/([^/]+)\/([^/]+)$/, endpoint: 'files', dialect: 'common', pattern: '/files/{iId}/{hash}/{name}', keys: ['iId', 'hash', 'name'], handler: handleFile },
	{ method: 'GET', re: /^\/api\/broker\/switch\/([^/]+)$/, endpoint: 'broker.switch', dialect: 'common', pattern: '/api/broker/switch/{hash}', keys: ['hash'], handler: handleSwitch },

	// V1: the security token in the path (or, where the vendor says so, in the body).
	{ method: 'POST', re: /^\/api\/broker\/fwd\/([^/]+)$/, endpoint: 'broker.fwd', dialect: 'v1', pattern: '/api/broker/fwd/{token}', keys: ['token'], handler: handleBrokerForward },
	{ method: 'POST', re: /^\/api\/broker\/set\/anums\/([^/]+)$/, endpoint: 'anums.set', dialect: 'v1', pattern: '/api/broker/set/anums/{token}', keys: ['token'], handler: handleAnumsSet('broker') },
	{ method: 'POST', re: /^\/api\/broker\/set\/([^/]+)$/, endpoint: 'broker.set', dialect: 'v1', pattern: '/api/broker/set/{token}', keys: ['token'], handler: handleBrokerSet },
	{ method: 'POST', re: /^\/api\/broker\/get\/([^/]+)$/, endpoint: 'broker.token', dialect: 'v1', pattern: '/api/broker/get/{token}', keys: ['token'], handler: handleBrokerGet },
	{ method: 'POST', re: /^\/api\/account\/get\/tokens\/([^/]+)$/, endpoint: 'account.tokens', dialect: 'v1', pattern: '/api/account/get/tokens/{token}', keys: ['token'], handler: handleAccountTokens },
	{ method: 'POST', re: /^\/api\/account\/set\/anums\/([^/]+)$/, endpoint: 'anums.set', dialect: 'v1', pattern: '/api/account/set/anums/{token}', keys: ['token'], handler: handleAnumsSet('account') },
	{ method: 'POST', re: /^\/api\/account\/delete\/anums\/([^/]+)$/, endpoint: 'anums.delete', dialect: 'v1', pattern: '/api/account/delete/anums/{token}', keys: ['token'], handler: handleAnumsDelete },
	{ method: 'POST', re: /^\/api\/account\/get\/anums\/([^/]+)$/, endpoint: 'anums.get', dialect: 'v1', pattern: '/api/account/get/anums/{token}', keys: ['token'], handler: handleAnumsGet },
	{ method: 'POST', re: /^\/api\/account-ipn\/get\/([^/]+)$/, endpoint: 'inquiry.search', dialect: 'v1', pattern: '/api/account-ipn/get/{token}', keys: ['token'], handler: handleSearch },
	{ method: 'POST', re: /^\/api\/ipn\/get\/([^/]+)$/, endpoint: 'inquiry.search', dialect: 'v1', pattern: '/api/ipn/get/{token}', keys: ['token'], handler: handleBrokerSearch },
	{ method: 'POST', re: /^\/api\/ipn\/(inquiry|inq)\/([^/]+)$/, endpoint: 'inquiry.get', dialect: 'v1', pattern: '/api/ipn/{inquiry|inq}/{iId}', keys: ['alias', 'iId'], handler: handleInquiryGet },
	{ method: 'POST', re: /^\/api\/products$/, endpoint: 'products', dialect: 'v1', pattern: '/api/products', handler: handleProducts },
	{ method: 'POST', re: /^\/api\/professions$/, endpoint: 'professions', dialect: 'v1', pattern: '/api/professions', handler: handleProfessions },

	// V1.1: Bearer token, X-Account-Token / X-Broker-Token, /api/ipn/….
	{ method: 'POST', re: /^\/api\/ipn\/tokens$/, endpoint: 'token', dialect: 'v1.1', pattern: '/api/ipn/tokens', handler: handleToken },
	{ method: 'GET', re: /^\/api\/ipn\/account\/tokens$/, endpoint: 'account.tokens', dialect: 'v1.1', pattern: '/api/ipn/account/tokens', handler: v11.accountTokens },
	{ method: 'POST', re: /^\/api\/ipn\/brokers\/tokens$/, endpoint: 'broker.token', dialect: 'v1.1', pattern: '/api/ipn/brokers/tokens', handler: v11.brokerToken },
	{ method: 'POST', re: /^\/api\/ipn\/brokers\/token$/, endpoint: 'broker.token', dialect: 'v1.1', pattern: '/api/ipn/brokers/token', handler: v11.brokerToken },
	{ method: 'POST', re: /^\/api\/ipn\/brokers\/forward$/, endpoint: 'broker.fwd', dialect: 'v1.1', pattern: '/api/ipn/brokers/forward', handler: v11.brokerForward },
	{ method: 'POST', re: /^\/api\/ipn\/brokers$/, endpoint: 'broker.set', dialect: 'v1.1', pattern: '/api/ipn/brokers', handler: v11.createBroker },
	// One route, two logical calls: with inquiryId it is "get one inquiry" (stats, faults).
	{ method: 'GET', re: /^\/api\/ipn\/inquiries$/, endpoint: (url) => (url.searchParams.has('inquiryId') ? 'inquiry.get' : 'inquiry.search'), dialect: 'v1.1', pattern: '/api/ipn/inquiries', handler: v11.inquiries },
	{ method: 'POST', re: /^\/api\/ipn\/agency-numbers$/, endpoint: 'anums.set', dialect: 'v1.1', pattern: '/api/ipn/agency-numbers', handler: v11.addAgencyNumbers },
	{ method: 'DELETE', re: /^\/api\/ipn\/agency-numbers$/, endpoint: 'anums.delete', dialect: 'v1.1', pattern: '/api/ipn/agency-numbers', handler: v11.deleteAgencyNumbers },
	{ method: 'GET', re: /^\/api\/ipn\/agency-numbers$/, endpoint: 'anums.get', dialect: 'v1.1', pattern: '/api/ipn/agency-numbers', handler: v11.getAgencyNumbers },
	{ method: 'GET', re: /^\/api\/ipn\/products$/, endpoint: 'products', dialect: 'v1.1', pattern: '/api/ipn/products', handler: v11.products },
	{ method: 'GET', re: /^\/api\/ipn\/professions$/, endpoint: 'professions', dialect: 'v1.1', pattern: '/api/ipn/professions', handler: v11.professions },
];

const UNKNOWN_ROUTE = { endpoint: 'unknown', dialect: 'unknown', pattern: null, handler: (ctx, { res }) => sendNotFoundHtml(res) };

/**
 * Find the route for a request. Unknown paths/methods map to endpoint
 * "unknown" whose handler answers the HTML 404 page. `url` (a URL) lets a
 * route name its logical endpoint by the query.
 */
function matchRoute(method, pathname, url) {
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
		const endpoint = typeof route.endpoint === 'function' ? route.endpoint(url ?? new URL(pathname, 'http://x')) : route.endpoint;
		return { endpoint, dialect: route.dialect, routeKey: `${route.dialect} ${route.method} ${route.pattern}`, handler: route.handler, params };
	}
	return { ...UNKNOWN_ROUTE, routeKey: 'unknown', params: {} };
}

/* ------------------------------------------------------------------------ */
/* POST /api/token                                                          */
/* ------------------------------------------------------------------------ */

/** `/api/token`; the switch `tokenPathNotFound` makes it a 404 without an API error (V1.1 clients fall back to /api/ipn/tokens). */
function handleTokenPath(ctx, io) {
	const mode = ctx.config.tokenPathNotFound;
	if (mode === 'empty') {
		io.res.writeHead(404, { 'Content-Length': 0 });
		return io.res.end();
	}
	if (mode) return sendNotFoundHtml(io.res);
	return handleToken(ctx, io);
}

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

function handleBrokerForward(ctx, { res, params, body }) {
	const user = requireUser(ctx, params.token, res);
	if (!user) return;
	if (!isPlainObject(body)) return sendJson(res, 400, BROKER_INVALID);
	core.forward(ctx, res, user, body.bToken, body);
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
	ctx.recorder.stats.brokersCreated += 1;
	sendJson(res, 200, { status: 'success', bToken: broker.bToken });
}

/* ------------------------------------------------------------------------ */
/* POST /api/broker/get/{token} (Get Broker Token, V1: a list)              */
/* ------------------------------------------------------------------------ */

function handleBrokerGet(ctx, { res, params, body }) {
	const user = requireUser(ctx, params.token, res);
	if (!user) return;
	if (!isPlainObject(body) || !present(body.aToken)) return sendJson(res, 400, BROKER_INVALID);
	const account = ctx.state.accountFor(user, body.aToken);
	if (!account) return sendJson(res, 200, ACCOUNT_NOT_FOUND);
	core.getBrokerToken(ctx, res, account, body, 'v1');
}

/* ------------------------------------------------------------------------ */
/* POST /api/account/get/tokens/{token}                                     */
/* ------------------------------------------------------------------------ */

function handleAccountTokens(ctx, { res, params }) {
	const user = requireUser(ctx, params.token, res);
	if (!user) return;
	sendJson(res, 200, v11.accountTokensAnswer(ctx, user, core.perUser(ctx.config.v1AccountTokensShape, user, 'listWithoutTag')));
}

/* ------------------------------------------------------------------------ */
/* POST /api/account-ipn/get/{token}                                        */
/* ------------------------------------------------------------------------ */

async function handleSearch(ctx, { res, params, body }) {
	const user = requireUser(ctx, params.token, res);
	if (!user) return;
	if (!isPlainObject(body) || !present(body.aToken)) return sendJson(res, 400, INVALID_PARAMS);
	const iId = optionalInt(body.iId);
	const lastDays = optionalInt(body.lastDays);
	if (Number.isNaN(iId) || Number.isNaN(lastDays)) return sendJson(res, 400, INVALID_PARAMS);
	const account = ctx.state.accountFor(user, body.aToken);
	if (!account) return sendJson(res, 200, ACCOUNT_NOT_FOUND);
	await core.answerInquiries(ctx, res, { account }, { iId, lastDays });
}

/** POST /api/ipn/get/{token} `{bToken, lastDays?, iId?}`: a broker's inquiries, keyed like the account search. */
async function handleBrokerSearch(ctx, { res, params, body }) {
	const user = requireUser(ctx, params.token, res);
	if (!user) return;
	if (!isPlainObject(body) || !present(body.bToken)) return sendJson(res, 400, INVALID_PARAMS);
	const iId = optionalInt(body.iId);
	const lastDays = optionalInt(body.lastDays);
	if (Number.isNaN(iId) || Number.isNaN(lastDays)) return sendJson(res, 400, INVALID_PARAMS);
	const broker = ctx.state.brokerFor(user, body.bToken);
	if (!broker) return sendJson(res, 404, BROKER_NOT_FOUND);
	await core.answerInquiries(ctx, res, { broker }, { iId, lastDays });
}

/* ------------------------------------------------------------------------ */
/* POST /api/ipn/inquiry/{iId}  and  /api/ipn/inq/{iId}                     */
/* ------------------------------------------------------------------------ */

function handleInquiryGet(ctx, { req, res, params, body }) {
	if (!isPlainObject(body)) return sendJson(res, 400, INVALID_PARAMS);
	// The vendor's page asks for the token in the body (examples) or as a Bearer header (text): either works.
	const user = requireUser(ctx, tokenFromBodyOrBearer(ctx, req, body), res);
	if (!user) return;
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

/** The vendor's pages put the token into the body (examples) or a Bearer header (text): the valid one of them. */
function tokenFromBodyOrBearer(ctx, req, body) {
	const fromBody = isPlainObject(body) ? body.token : undefined;
	return ctx.state.userForToken(fromBody) ? fromBody : bearerToken(req) ?? fromBody;
}

/* ------------------------------------------------------------------------ */
/* Agency numbers (V1): set / delete / get                                  */
/* ------------------------------------------------------------------------ */

/**
 * The owner a V1 agency-number body names: `aToken` (account) or `bToken` (broker), one of
 * them; `allowed` limits which. Null after answering.
 */
function v1Owner(ctx, res, user, body, allowed) {
	const hasA = present(body.aToken);
	const hasB = present(body.bToken);
	if (hasA === hasB || (hasA && !allowed.includes('account')) || (hasB && !allowed.includes('broker'))) {
		sendJson(res, 400, { error: `Invalid parameters: ${allowed.map((k) => (k === 'account' ? 'aToken' : 'bToken')).join('|')}` });
		return null;
	}
	if (hasA) {
		const account = ctx.state.accountFor(user, body.aToken);
		if (!account) sendJson(res, 200, ACCOUNT_NOT_FOUND);
		return account ? `account:${account.aToken}` : null;
	}
	const broker = ctx.state.brokerFor(user, body.bToken);
	if (!broker) sendJson(res, 404, BROKER_NOT_FOUND);
	return broker ? `broker:${broker.bToken}` : null;
}

/** `/api/account/set/anums` (body aToken) and the legacy `/api/broker/set/anums` (body bToken). */
function handleAnumsSet(kind) {
	return (ctx, { res, params, body }) => {
		const user = requireUser(ctx, params.token, res);
		if (!user) return;
		if (!isPlainObject(body)) return sendJson(res, 400, INVALID_PARAMS);
		const owner = v1Owner(ctx, res, user, body, [kind]);
		if (owner) core.addAgencyNumbers(ctx, res, owner, body);
	};
}

function handleAnumsDelete(ctx, { res, params, body }) {
	const user = requireUser(ctx, params.token, res);
	if (!user) return;
	if (!isPlainObject(body)) return sendJson(res, 400, INVALID_PARAMS);
	const owner = v1Owner(ctx, res, user, body, ['account', 'broker']);
	if (owner) core.deleteAgencyNumbers(ctx, res, owner, body);
}

/** Body `token` + `aToken` (the vendor's page); the path token works as well. */
function handleAnumsGet(ctx, { res, params, body }) {
	if (!isPlainObject(body)) return sendJson(res, 400, INVALID_PARAMS);
	const token = ctx.state.userForToken(params.token) ? params.token : body.token;
	const user = requireUser(ctx, token, res);
	if (!user) return;
	const owner = v1Owner(ctx, res, user, body, ['account', 'broker']);
	if (owner) core.answerAgencyNumbers(ctx, res, owner);
}

/* ------------------------------------------------------------------------ */
/* POST /api/products {token, professionId?}, POST /api/professions {token} */
/* ------------------------------------------------------------------------ */

function handleProducts(ctx, { req, res, body }) {
	if (body !== undefined && !isPlainObject(body)) return sendJson(res, 400, INVALID_PARAMS);
	const user = requireUser(ctx, tokenFromBodyOrBearer(ctx, req, body), res);
	if (!user) return;
	const list = core.products(body?.professionId);
	if (!list) return sendJson(res, 400, INVALID_PARAMS);
	sendJson(res, 200, list);
}

function handleProfessions(ctx, { req, res, body }) {
	if (body !== undefined && !isPlainObject(body)) return sendJson(res, 400, INVALID_PARAMS);
	const user = requireUser(ctx, tokenFromBodyOrBearer(ctx, req, body), res);
	if (!user) return;
	sendJson(res, 200, core.professions());
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

module.exports = { matchRoute, bearerToken, EMAIL_RE, parseFlag, INVALID_PARAMS, ROUTES };
