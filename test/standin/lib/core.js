'use strict';
/**
 * What both request dialects do alike (thinksurance-api.md, *V1.1*): each dialect's
 * handler finds the security token, account and broker in its own place (V1: path and
 * body; V1.1: Bearer and X- headers) and then calls these.
 */

const { sendJson, isPlainObject, present, toInt } = require('./util');
const { applyBrokerFields } = require('./state');
const { INVALID_TOKEN } = require('./faults');
const seed = require('../seed');

const INVALID_PARAMS = { error: 'Invalid parameters' };
const BROKER_INVALID = { error: 'BrokerAPI: Invalid parameters' };
const USER_INVALID = { error: 'API User is not existing or deactivated.' };
const ACCOUNT_NOT_FOUND = { error: 'Account not found.' };
const BROKER_NOT_FOUND = { error: 'Broker not found.' };
const INQUIRY_NOT_FOUND = { error: 'Inquiry not found.' };
const DIALECT_REFUSED = { error: 'API User is not allowed to use this API version.' };
const BROKER_TOKEN_NOT_FOUND = { error: 'Broker Api: no broker found for the provided request.' };
const BROKER_EXISTS = { error: 'Broker Api: a broker with this bExternalId already exists.' };
const BROKER_TOKEN_STATUS = 'Broker Api: existing broker for the provided request.';
const BROKER_CREATED_STATUS = 'Broker Api: new broker created for the provided request.';

/** Bare, well-formed address: no spaces, no `;`, one `@`, a dot in the domain. */
const EMAIL_RE = /^[^\s;@]+@[^\s;@]+\.[^\s;@]+$/;
const STREAM_CHUNK_CHARS = 64 * 1024;

/* ------------------------------------------------------------------------ */
/* Identity                                                                 */
/* ------------------------------------------------------------------------ */

/**
 * The API user behind a security token, allowed to use `dialect`; null after answering
 * 400 (bad token, or the user may not use this dialect).
 */
function requireUser(ctx, token, res, dialect = 'v1') {
	const user = ctx.state.userForToken(token);
	if (!user) {
		sendJson(res, 400, INVALID_TOKEN);
		return null;
	}
	if (!ctx.state.userMayUse(user, dialect, ctx.config.userDialects)) {
		sendJson(res, 400, DIALECT_REFUSED);
		return null;
	}
	return user;
}

/** The token of an `Authorization: Bearer <token>` header, else undefined. */
function bearerToken(req) {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(String(req?.headers?.authorization ?? ''));
	return match ? match[1] : undefined;
}

/** A per-user setting: a plain value for all users, or `{<user id or hash>: value, '*': value}`. */
function perUser(setting, user, fallback) {
	if (!isPlainObject(setting)) return setting ?? fallback;
	return setting[user.id] ?? setting[user.hash] ?? setting['*'] ?? fallback;
}

/* ------------------------------------------------------------------------ */
/* Field checks                                                             */
/* ------------------------------------------------------------------------ */

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

/** Optional non-negative integer: undefined, a number, or NaN (invalid). */
function optionalInt(v) {
	if (v === undefined || v === null || v === '') return undefined;
	const n = toInt(v);
	return Number.isInteger(n) && n >= 0 ? n : NaN;
}

/** A 400 whose message names the field (V1.1 create / get broker token, agency numbers). */
function fieldError(prefix, field) {
	return { error: `${prefix}: ${field}` };
}

/* ------------------------------------------------------------------------ */
/* Broker forward                                                           */
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

/** Broker forward once the dialect found user, broker token and body. */
function forward(ctx, res, user, bToken, body) {
	const type = toInt(body.type);
	if ((type !== 1 && type !== 2) || !present(bToken) || typeof bToken !== 'string') return sendJson(res, 400, BROKER_INVALID);
	const broker = ctx.state.brokerFor(user, bToken);
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
	return sendJson(res, 200, answer);
}

/* ------------------------------------------------------------------------ */
/* Get broker token / create broker                                         */
/* ------------------------------------------------------------------------ */

/** The first invalid field of a get-token or create body, else null. */
function brokerRequestInvalidField(body, { emailRequired }) {
	if (body.type !== undefined && body.type !== null && body.type !== '') {
		const type = toInt(body.type);
		if (type !== 1 && type !== 2) return 'type';
	}
	if (!present(body.bExternalId)) return 'bExternalId';
	if ((emailRequired && !present(body.bEmail)) || badEmail(body.bEmail)) return 'bEmail';
	if (!present(body.bLastName) && !present(body.bCompany)) return 'bLastName';
	if (body.bGender !== undefined && body.bGender !== '' && ![1, 2].includes(toInt(body.bGender))) return 'bGender';
	return null;
}

/**
 * Get Broker Token by bExternalId. `shape` 'v1.1' answers {status, bToken}; 'v1' a list with
 * the broker's data and code. Not found: 404 (since March 2025) or 200 (`brokerTokenNotFound`).
 */
function getBrokerToken(ctx, res, account, body, shape) {
	const field = brokerRequestInvalidField(body, { emailRequired: shape === 'v1.1' });
	if (field) return sendJson(res, 400, fieldError('BrokerAPI: Invalid parameters', field));
	const broker = ctx.state.brokerByExternalId(account.aToken, body.bExternalId);
	if (!broker) return sendJson(res, Number(ctx.config.brokerTokenNotFound) === 200 ? 200 : 404, BROKER_TOKEN_NOT_FOUND);
	if (shape === 'v1.1') return sendJson(res, 200, { status: BROKER_TOKEN_STATUS, bToken: broker.bToken });
	const f = broker.fields;
	return sendJson(res, 200, [{ bToken: broker.bToken, bLastName: f.bLastName ?? '', bEmail: f.bEmail ?? '', bCompany: f.bCompany ?? '', bCode: broker.bCode }]);
}

/** V1.1 Create Broker: the field named on a refusal; an existing bExternalId is refused. */
function createBroker(ctx, res, account, body) {
	const field = brokerRequestInvalidField(body, { emailRequired: true });
	if (field) return sendJson(res, 400, fieldError('BrokerAPI: Invalid parameters', field));
	if (ctx.state.brokerByExternalId(account.aToken, body.bExternalId)) return sendJson(res, 400, BROKER_EXISTS);
	const broker = ctx.state.createBroker(account.aToken, { ...body, type: present(body.type) ? body.type : 2 });
	ctx.recorder.stats.brokersCreated += 1;
	return sendJson(res, 200, { status: BROKER_CREATED_STATUS, bToken: broker.bToken });
}

/* ------------------------------------------------------------------------ */
/* Inquiries                                                                */
/* ------------------------------------------------------------------------ */

/**
 * Answer a search as the object keyed by inquiry ID. `scope` is {account} or {broker};
 * `notFound` (only with iId): how an unknown ID answers — 'empty' `{}`, 'error404', 'error200'.
 */
async function answerInquiries(ctx, res, scope, { iId, lastDays }, notFound = 'empty') {
	const list = scope.broker ? ctx.state.searchBroker(scope.broker, { iId, lastDays }) : ctx.state.search(scope.account.aToken, { iId, lastDays });
	if (iId !== undefined && list.length === 0 && notFound !== 'empty') return sendJson(res, notFound === 'error200' ? 200 : 404, INQUIRY_NOT_FOUND);
	const aToken = scope.broker ? scope.broker.aToken : scope.account.aToken;
	const docToken = ctx.issueDocToken(aToken);
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
/* Agency numbers                                                           */
/* ------------------------------------------------------------------------ */

const AGENCY_INVALID = 'Invalid parameters';

/** The first invalid field of an add/delete body (path like `agencyNumberSets[0].agencyNumbers[1].agencyNumber`), else null. */
function agencyInvalidField(body, { forDelete }) {
	if (!isPlainObject(body) || !Array.isArray(body.agencyNumberSets) || body.agencyNumberSets.length === 0) return 'agencyNumberSets';
	const uniqueIds = new Set();
	for (const [i, set] of body.agencyNumberSets.entries()) {
		const at = `agencyNumberSets[${i}]`;
		if (!isPlainObject(set)) return at;
		if (!['baFinId', 'baFinRegNr', 'insurerId', 'supervisingAuthorityId'].some((k) => present(set[k]))) return `${at}.baFinId|insurerId|supervisingAuthorityId`;
		// No "delete all numbers of an insurer": the vendor documents none.
		if (!Array.isArray(set.agencyNumbers) || set.agencyNumbers.length === 0) return `${at}.agencyNumbers`;
		for (const [j, entry] of set.agencyNumbers.entries()) {
			const e = `${at}.agencyNumbers[${j}]`;
			if (!isPlainObject(entry)) return e;
			if (forDelete) {
				if (!present(entry.agencyNumber) && !present(entry.externalInsurerId)) return `${e}.agencyNumber|externalInsurerId`;
				continue;
			}
			if (!present(entry.agencyNumber) || isPlainObject(entry.agencyNumber) || Array.isArray(entry.agencyNumber)) return `${e}.agencyNumber`;
			if (parseFlag(entry.defaultForTenders) === null) return `${e}.defaultForTenders`;
			for (const k of ['defaultForCalculations', 'active']) if (entry[k] !== undefined && parseFlag(entry[k]) === null) return `${e}.${k}`;
			for (const k of ['matchCode', 'externalInsurerId', 'externalUniqueId', 'collectionType', 'internalComment']) {
				if (entry[k] !== undefined && entry[k] !== null && typeof entry[k] !== 'string' && typeof entry[k] !== 'number') return `${e}.${k}`;
			}
			if (present(entry.externalUniqueId)) {
				if (uniqueIds.has(String(entry.externalUniqueId))) return `${e}.externalUniqueId`;
				uniqueIds.add(String(entry.externalUniqueId));
			}
		}
	}
	return null;
}

function addAgencyNumbers(ctx, res, owner, body) {
	const field = agencyInvalidField(body, { forDelete: false });
	if (field) return sendJson(res, 400, fieldError(AGENCY_INVALID, field));
	const error = ctx.state.addAgencyNumbers(owner, body.agencyNumberSets);
	if (error) return sendJson(res, 400, { error: `Agency numbers: ${error}` });
	return sendJson(res, 200, { status: 'Agency numbers saved.' });
}

function deleteAgencyNumbers(ctx, res, owner, body) {
	const field = agencyInvalidField(body, { forDelete: true });
	if (field) return sendJson(res, 400, fieldError(AGENCY_INVALID, field));
	ctx.state.deleteAgencyNumbers(owner, body.agencyNumberSets);
	return sendJson(res, 200, { status: 'Agency numbers deleted.' });
}

/** Get agency numbers; the answer key and the BaFin spelling follow the switches (the vendor shows both). */
function answerAgencyNumbers(ctx, res, owner) {
	const baFinKey = ctx.config.baFinKey === 'baFinRegNr' ? 'baFinRegNr' : 'baFinId';
	const sets = ctx.state.agencyNumberSets(owner).map(({ baFinId, agencyNumbers, ...rest }) => ({
		...(baFinId !== undefined ? { [baFinKey]: baFinId } : {}),
		...rest,
		agencyNumbers,
	}));
	const key = ctx.config.agencyNumbersKey === 'agencyNumbers' ? 'agencyNumbers' : 'agencyNumberSets';
	return sendJson(res, 200, { [key]: sets });
}

/* ------------------------------------------------------------------------ */
/* Products / professions                                                   */
/* ------------------------------------------------------------------------ */

/** `[{id, name}]` of every profession (the ones the seeded inquiries use). */
function professions() {
	return seed.INDUSTRIES.flatMap((ind) => ind.professions.map(([id, name]) => ({ id, name }))).sort((a, b) => a.id - b.id);
}

/** Products, narrowed to one profession when given; null for an invalid professionId. */
function products(professionId) {
	const id = optionalInt(professionId);
	if (Number.isNaN(id)) return null;
	return seed.CATALOGUE_PRODUCTS.filter((p) => id === undefined || p.professionIds.includes(id)).map((p) => ({ id: p.id, name: p.name }));
}

module.exports = {
	INVALID_PARAMS,
	BROKER_INVALID,
	USER_INVALID,
	ACCOUNT_NOT_FOUND,
	BROKER_NOT_FOUND,
	INQUIRY_NOT_FOUND,
	DIALECT_REFUSED,
	BROKER_TOKEN_NOT_FOUND,
	BROKER_EXISTS,
	BROKER_TOKEN_STATUS,
	BROKER_CREATED_STATUS,
	EMAIL_RE,
	requireUser,
	bearerToken,
	perUser,
	parseFlag,
	badEmail,
	optionalInt,
	forward,
	getBrokerToken,
	createBroker,
	answerInquiries,
	streamObject,
	addAgencyNumbers,
	deleteAgencyNumbers,
	answerAgencyNumbers,
	professions,
	products,
};
