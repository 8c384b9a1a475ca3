'use strict';
/**
 * Control API under /__control/ (JSON, never delayed, never logged):
 *
 *   GET    /__control/health            → { ok, url, inquiries, brokers }
 *   GET    /__control/log[?raw=1]       → request records (redacted unless raw)
 *   DELETE /__control/log               → clear the log
 *   GET    /__control/stats             → { tokenRequests, requestsByEndpoint, requestsByRoute, requestsByDialect, total, maxInFlight, inFlight, capacity, capacity503, brokersCreated, traceStartedAt, inFlightTrace }
 *   DELETE /__control/stats             → zero the counters
 *   POST   /__control/reset             → seed state, log, stats, faults, config, notifications
 *   GET    /__control/faults            → queued faults
 *   POST   /__control/faults            → add one fault (or an array)
 *   DELETE /__control/faults            → clear faults
 *   GET    /__control/config            → current settings
 *   POST   /__control/config            → { latencyMs, tokenTtlSeconds, docTokenTtlSeconds, largeAccount, autoNotify, allowRemoteNotify, <switches of lib/switches.js> }
 *   GET    /__control/capacity          → { capacity, latencyMs, inFlight, maxInFlight, capacity503, inFlightTrace }
 *   POST   /__control/capacity          → { capacity } (0 or null = unlimited), same answer
 *   GET    /__control/agency-numbers    → { "<account:aToken | broker:bToken>": sets } as stored
 *   POST   /__control/expire-tokens     → { docTokens?: bool } invalidate security (and doc) tokens
 *   POST   /__control/notify            → send a V2 event / legacy item to a URL
 *   GET    /__control/notifications     → every delivery attempt made so far
 *   GET    /__control/brokers           → broker state incl. callback registration
 *   POST   /__control/inquiry           → { inquiryId, status?, data?, customer?, eventType? } update an inquiry
 *   POST   /__control/inquiry/create    → { bToken?, aToken?, status?, data?, customer? } a new inquiry (iCreated = iUpdated = now)
 *   GET    /__control/canaries          → canary mode: { pattern, hash, secret, aliases, byKind: { <kind>: [values] } }; else 404
 */

const { sendJson, isPlainObject } = require('./util');
const { SWITCH_CHECKS } = require('./switches');

async function handleControl(ctx, { req, res, url, body }) {
	const route = `${req.method} ${url.pathname.replace(/\/+$/, '')}`;
	switch (route) {
		case 'GET /__control/health':
			return sendJson(res, 200, { ok: true, url: ctx.baseUrl, inquiries: ctx.state.inquiries.size, brokers: ctx.state.brokers.size });
		case 'GET /__control/log': {
			const raw = ['1', 'true'].includes(url.searchParams.get('raw'));
			return sendJson(res, 200, ctx.recorder.view(raw));
		}
		case 'DELETE /__control/log':
			ctx.recorder.clearLog();
			return sendJson(res, 200, { ok: true });
		case 'GET /__control/stats':
			return sendJson(res, 200, ctx.recorder.statsView());
		case 'DELETE /__control/stats':
			ctx.recorder.resetStats();
			return sendJson(res, 200, { ok: true });
		case 'POST /__control/reset':
			ctx.reset();
			return sendJson(res, 200, { ok: true, inquiries: ctx.state.inquiries.size });
		case 'GET /__control/faults':
			return sendJson(res, 200, ctx.faults.list());
		case 'POST /__control/faults':
			return addFaults(ctx, res, body);
		case 'DELETE /__control/faults':
			return sendJson(res, 200, { ok: true, cleared: ctx.faults.clear() });
		case 'GET /__control/config':
			return sendJson(res, 200, ctx.config);
		case 'POST /__control/config':
			return setConfig(ctx, res, body);
		case 'POST /__control/expire-tokens': {
			const expired = ctx.state.expireAllSecurityTokens();
			const docTokens = isPlainObject(body) && body.docTokens ? ctx.state.expireAllDocTokens() : 0;
			return sendJson(res, 200, { ok: true, expired, docTokens });
		}
		case 'POST /__control/notify': {
			if (!isPlainObject(body)) return sendJson(res, 400, { error: 'body must be an object with inquiryId' });
			const result = await ctx.notifier.notify(body);
			return sendJson(res, result.status, result.body);
		}
		case 'GET /__control/notifications':
			return sendJson(res, 200, ctx.notifier.history);
		case 'DELETE /__control/notifications':
			ctx.notifier.clear();
			return sendJson(res, 200, { ok: true });
		case 'GET /__control/capacity':
			return sendJson(res, 200, capacityView(ctx));
		case 'POST /__control/capacity': {
			const error = isPlainObject(body) ? SWITCH_CHECKS.capacity(body.capacity) : 'body must be {capacity}';
			if (error) return sendJson(res, 400, { error: `capacity ${error}` });
			ctx.configure({ capacity: body.capacity });
			return sendJson(res, 200, capacityView(ctx));
		}
		case 'GET /__control/agency-numbers':
			return sendJson(res, 200, Object.fromEntries([...ctx.state.agencyNumbers.keys()].map((owner) => [owner, ctx.state.agencyNumberSets(owner)])));
		case 'GET /__control/brokers':
			return sendJson(res, 200, ctx.state.brokersSnapshot());
		case 'POST /__control/inquiry':
			return updateInquiry(ctx, res, body);
		case 'POST /__control/inquiry/create':
			return createInquiry(ctx, res, body);
		case 'GET /__control/canaries':
			return ctx.canary ? sendJson(res, 200, ctx.canary.toJSON()) : sendJson(res, 404, { error: 'not in canary mode (start with canary: true / --canary)' });
		default:
			return sendJson(res, 404, { error: `unknown control call ${route}` });
	}
}

function addFaults(ctx, res, body) {
	const specs = Array.isArray(body) ? body : [body];
	const added = [];
	for (const spec of specs) {
		const { fault, error } = ctx.faults.add(spec);
		if (error) return sendJson(res, 400, { error, added });
		added.push(fault);
	}
	return sendJson(res, 200, Array.isArray(body) ? { added, queued: ctx.faults.list() } : { ...added[0], queued: ctx.faults.list() });
}

/** Apply runtime settings; unknown keys are rejected so typos surface. */
function setConfig(ctx, res, body) {
	if (!isPlainObject(body)) return sendJson(res, 400, { error: 'body must be an object' });
	const numeric = ['latencyMs', 'tokenTtlSeconds', 'docTokenTtlSeconds', 'largeAccount'];
	const flags = ['autoNotify', 'allowRemoteNotify'];
	for (const [k, v] of Object.entries(body)) {
		if (SWITCH_CHECKS[k]) {
			const error = SWITCH_CHECKS[k](v);
			if (error) return sendJson(res, 400, { error: `${k} ${error}` });
		} else if (numeric.includes(k)) {
			if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0) && !(k === 'docTokenTtlSeconds' && v === null)) {
				return sendJson(res, 400, { error: `${k} must be a non-negative number` });
			}
		} else if (flags.includes(k)) {
			if (typeof v !== 'boolean') return sendJson(res, 400, { error: `${k} must be a boolean` });
		} else {
			return sendJson(res, 400, { error: `unknown config key ${k}` });
		}
	}
	ctx.configure(body);
	return sendJson(res, 200, ctx.config);
}

/** The capacity model's settings and what it did so far. */
function capacityView(ctx) {
	const s = ctx.recorder.statsView();
	return { capacity: Number(ctx.config.capacity) || 0, latencyMs: ctx.config.latencyMs, inFlight: s.inFlight, maxInFlight: s.maxInFlight, capacity503: s.capacity503, traceStartedAt: s.traceStartedAt, inFlightTrace: s.inFlightTrace };
}

/** Change an inquiry (bumps iUpdated); with autoNotify, notifies its broker's callbacks. */
function updateInquiry(ctx, res, body) {
	if (!isPlainObject(body)) return sendJson(res, 400, { error: 'body must be an object with inquiryId' });
	const inq = ctx.state.updateInquiry(Number(body.inquiryId), body);
	if (!inq) return sendJson(res, 404, { error: `inquiry ${body.inquiryId} not found` });
	let notified = 0;
	if (ctx.config.autoNotify) {
		const byStatus = { 6: 'InquiryOrdered', 15: 'InquiryProposalCreated' };
		notified = ctx.notifier.auto(inq, body.eventType || byStatus[inq.data.status] || 'InquiryUpdated');
	}
	const item = ctx.state.renderInquiry(inq, ctx.baseUrl, ctx.issueDocToken(inq.aToken));
	return sendJson(res, 200, { item, notified });
}

/** A new inquiry of a broker (default: the account's first broker), as a broker's work in Thinksurance creates one. */
function createInquiry(ctx, res, body) {
	const spec = isPlainObject(body) ? body : {};
	const brokers = [...ctx.state.brokers.values()];
	const broker = spec.bToken
		? ctx.state.brokers.get(spec.bToken)
		: brokers.find((b) => b.aToken === (spec.aToken || 'acc-demo-0001'));
	if (!broker) return sendJson(res, 404, { error: 'broker not found' });
	const customer = ctx.state.upsertCustomer(broker.aToken, {
		cExternalId: `C-NEW-${ctx.state.nextInquiryId}`,
		cLastName: 'Neukunde',
		cEmail: 'neukunde@example.de',
		...(isPlainObject(spec.customer) ? spec.customer : {}),
	});
	const created = ctx.state.createInquiry(broker, customer, { productId: 101, professionId: 1001 });
	const inq = ctx.state.updateInquiry(created.iId, { status: spec.status, data: spec.data, iUpdated: undefined }, created.createdAt);
	const item = ctx.state.renderInquiry(inq, ctx.baseUrl, ctx.issueDocToken(inq.aToken));
	return sendJson(res, 200, { inquiryId: inq.iId, item });
}

module.exports = { handleControl };
