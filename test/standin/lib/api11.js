'use strict';
/**
 * The V1.1 dialect (thinksurance-api.md, *V1.1*): `Authorization: Bearer <security token>`
 * (never in the path or body), the account as `X-Account-Token`, the broker as
 * `X-Broker-Token`, paths under /api/ipn/…, reads as GET with query parameters. Failures
 * as in V1: `{"error": …}` with 200, 400 or 404, never 401.
 */

const { sendJson, sendNotFoundHtml, isPlainObject, present } = require('./util');
const core = require('./core');

const { INVALID_PARAMS, BROKER_INVALID, ACCOUNT_NOT_FOUND, BROKER_NOT_FOUND, requireUser, bearerToken, optionalInt, perUser } = core;
const MISSING_ACCOUNT = { error: 'Missing X-Account-Token header.' };
const MISSING_BROKER = { error: 'Missing X-Broker-Token header.' };
const ONE_IDENTITY = { error: 'Send exactly one of X-Account-Token and X-Broker-Token.' };
const ACCOUNT_TOKENS_SHAPES = ['list', 'listWithoutTag', 'object', 'objectTokenOnly'];

/** The V1.1 user (Bearer only), null after answering. */
function user11(ctx, req, res) {
	return requireUser(ctx, bearerToken(req), res, 'v1.1');
}

function header(req, name) {
	const v = req.headers[name];
	return present(v) ? String(v).trim() : undefined;
}

/** The X-Account-Token account of this user; null after answering. */
function account11(ctx, req, res, user) {
	const aToken = header(req, 'x-account-token');
	if (!aToken) {
		sendJson(res, 400, MISSING_ACCOUNT);
		return null;
	}
	const account = ctx.state.accountFor(user, aToken);
	if (!account) sendJson(res, 200, ACCOUNT_NOT_FOUND);
	return account;
}

/**
 * Exactly one of X-Account-Token / X-Broker-Token: `{account}` or `{broker}`; null after
 * answering (both or none: 400; unknown account: 200 + error; unknown broker: 404).
 */
function scope11(ctx, req, res, user) {
	const aToken = header(req, 'x-account-token');
	const bToken = header(req, 'x-broker-token');
	if (Boolean(aToken) === Boolean(bToken)) {
		sendJson(res, 400, ONE_IDENTITY);
		return null;
	}
	if (aToken) {
		const account = ctx.state.accountFor(user, aToken);
		if (!account) sendJson(res, 200, ACCOUNT_NOT_FOUND);
		return account ? { account } : null;
	}
	const broker = ctx.state.brokerFor(user, bToken);
	if (!broker) sendJson(res, 404, BROKER_NOT_FOUND);
	return broker ? { broker } : null;
}

const ownerOf = (scope) => (scope.account ? `account:${scope.account.aToken}` : `broker:${scope.broker.bToken}`);

/* ------------------------------------------------------------------------ */

/**
 * The account list in one of the shapes the vendor shows: `list` [{name, nameTag, aToken}]
 * (the workflow page), `listWithoutTag` [{name, aToken}] (V1's schema), `object` (the
 * first account, one object), `objectTokenOnly` {aToken} (one example).
 */
function accountTokensAnswer(ctx, user, shape) {
	const list = ctx.state.accountListOf(user);
	switch (shape) {
		case 'listWithoutTag':
			return list.map(({ name, aToken }) => ({ name, aToken }));
		case 'object':
			return list[0] ?? {};
		case 'objectTokenOnly':
			return list[0] ? { aToken: list[0].aToken } : {};
		default:
			return list;
	}
}

function accountTokens(ctx, { req, res }) {
	const user = user11(ctx, req, res);
	if (!user) return;
	sendJson(res, 200, accountTokensAnswer(ctx, user, perUser(ctx.config.accountTokensShape, user, 'list')));
}

function brokerToken(ctx, { req, res, body }) {
	const user = user11(ctx, req, res);
	if (!user) return;
	const account = account11(ctx, req, res, user);
	if (!account) return;
	if (!isPlainObject(body)) return sendJson(res, 400, BROKER_INVALID);
	core.getBrokerToken(ctx, res, account, body, 'v1.1');
}

function createBroker(ctx, { req, res, body }) {
	const user = user11(ctx, req, res);
	if (!user) return;
	const account = account11(ctx, req, res, user);
	if (!account) return;
	if (!isPlainObject(body)) return sendJson(res, 400, BROKER_INVALID);
	core.createBroker(ctx, res, account, body);
}

/** V1 forward's body without bToken: the broker comes from X-Broker-Token (a body bToken is ignored). */
function brokerForward(ctx, { req, res, body }) {
	const user = user11(ctx, req, res);
	if (!user) return;
	if (!isPlainObject(body)) return sendJson(res, 400, BROKER_INVALID);
	const bToken = header(req, 'x-broker-token');
	if (!bToken) return sendJson(res, 400, MISSING_BROKER);
	core.forward(ctx, res, user, bToken, body);
}

/** GET ?lastDays=… | ?inquiryId=…: the V1 search's answer; an unknown inquiryId per `inquiryIdNotFound`. */
async function inquiries(ctx, { req, res, url }) {
	const user = user11(ctx, req, res);
	if (!user) return;
	const q = url.searchParams;
	const iId = optionalInt(q.get('inquiryId') ?? undefined);
	const lastDays = optionalInt(q.get('lastDays') ?? undefined);
	if (Number.isNaN(iId) || Number.isNaN(lastDays)) return sendJson(res, 400, INVALID_PARAMS);
	const scope = scope11(ctx, req, res, user);
	if (!scope) return;
	await core.answerInquiries(ctx, res, scope, { iId, lastDays }, ctx.config.inquiryIdNotFound);
}

function addAgencyNumbers(ctx, { req, res, body }) {
	const user = user11(ctx, req, res);
	if (!user) return;
	const scope = scope11(ctx, req, res, user);
	if (scope) core.addAgencyNumbers(ctx, res, ownerOf(scope), body);
}

function deleteAgencyNumbers(ctx, { req, res, body }) {
	const user = user11(ctx, req, res);
	if (!user) return;
	const scope = scope11(ctx, req, res, user);
	if (scope) core.deleteAgencyNumbers(ctx, res, ownerOf(scope), body);
}

/** Not published (one draft showed it): 404 HTML unless `agencyNumbersGetV11` is on. */
function getAgencyNumbers(ctx, { req, res }) {
	if (!ctx.config.agencyNumbersGetV11) return sendNotFoundHtml(res);
	const user = user11(ctx, req, res);
	if (!user) return;
	const scope = scope11(ctx, req, res, user);
	if (scope) core.answerAgencyNumbers(ctx, res, ownerOf(scope));
}

function products(ctx, { req, res, url }) {
	const user = user11(ctx, req, res);
	if (!user) return;
	const list = core.products(url.searchParams.get('professionId') ?? undefined);
	if (!list) return sendJson(res, 400, INVALID_PARAMS);
	sendJson(res, 200, list);
}

function professions(ctx, { req, res }) {
	const user = user11(ctx, req, res);
	if (!user) return;
	sendJson(res, 200, core.professions());
}

module.exports = {
	ACCOUNT_TOKENS_SHAPES,
	accountTokensAnswer,
	accountTokens,
	brokerToken,
	createBroker,
	brokerForward,
	inquiries,
	addAgencyNumbers,
	deleteAgencyNumbers,
	getAgencyNumbers,
	products,
	professions,
};
