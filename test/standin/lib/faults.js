'use strict';
/**
 * Fault injection. Faults queue up; a request takes the FIRST queued fault
 * whose endpoint matches (or "*") and that still has count left. A fault
 * without count applies to every matching request until cleared. Endpoints are
 * logical calls, the same name in both dialects; `dialect` ('v1' | 'v1.1' |
 * 'common') narrows a fault to one dialect's routes.
 */

const { htmlPage, statusTitle, sendJson, sendHtml, present } = require('./util');

const ENDPOINTS = ['token', 'broker.fwd', 'broker.set', 'broker.token', 'account.tokens', 'inquiry.search', 'inquiry.get', 'anums.set', 'anums.delete', 'anums.get', 'products', 'professions', 'files', 'broker.switch', 'unknown', '*'];
const DIALECTS = ['v1', 'v1.1', 'common'];
const MODES = ['status', 'delay', 'reset', 'html', 'error200', 'badJson', 'expireToken', 'status400', 'status404'];

const INVALID_TOKEN = { error: 'Security token is invalid or expired.' };

class FaultQueue {
	constructor() {
		this.faults = [];
		this.nextId = 1;
	}

	clear() {
		const n = this.faults.length;
		this.faults = [];
		return n;
	}

	/** Validate and enqueue one fault spec. Returns { fault } or { error }. */
	add(spec) {
		if (!spec || typeof spec !== 'object' || Array.isArray(spec)) return { error: 'fault must be an object' };
		const endpoint = spec.endpoint ?? '*';
		if (!ENDPOINTS.includes(endpoint)) return { error: `unknown endpoint "${endpoint}" (one of ${ENDPOINTS.join(', ')})` };
		if (!MODES.includes(spec.mode)) return { error: `unknown mode "${spec.mode}" (one of ${MODES.join(', ')})` };
		if (spec.dialect !== undefined && spec.dialect !== null && !DIALECTS.includes(spec.dialect)) return { error: `unknown dialect "${spec.dialect}" (one of ${DIALECTS.join(', ')})` };
		if (spec.count !== undefined && spec.count !== null && !(Number.isInteger(spec.count) && spec.count > 0)) {
			return { error: 'count must be a positive integer' };
		}
		const fault = {
			id: this.nextId++,
			endpoint,
			dialect: spec.dialect ?? null,
			mode: spec.mode,
			status: spec.status,
			retryAfter: spec.retryAfter,
			body: spec.body,
			contentType: spec.contentType,
			message: spec.message,
			ms: spec.ms,
			remaining: spec.count ?? null, // null = unlimited
			hits: 0,
		};
		this.faults.push(fault);
		return { fault };
	}

	/** Take the fault for this endpoint (decrementing its count), or null. */
	take(endpoint, dialect) {
		const i = this.faults.findIndex((f) => (f.endpoint === endpoint || f.endpoint === '*') && (!f.dialect || f.dialect === dialect));
		if (i < 0) return null;
		const fault = this.faults[i];
		fault.hits += 1;
		if (fault.remaining !== null) {
			fault.remaining -= 1;
			if (fault.remaining <= 0) this.faults.splice(i, 1);
		}
		return fault;
	}

	list() {
		return this.faults.map((f) => ({ ...f }));
	}
}

/**
 * Echo placeholders in a fault's `body` / `message`, for answers that repeat what was sent
 * (as some servers' error pages do): `{{token}}` the presented security token (path or
 * body), `{{path}}` the request path with query, `{{url}}` the full URL, `{{body}}` the raw
 * request body. Text without placeholders is returned unchanged.
 */
function fillEcho(value, echo) {
	if (typeof value === 'string') {
		if (!value.includes('{{')) return value;
		return value.replace(/\{\{(token|path|url|body)\}\}/g, (_, key) => String(echo[key] ?? ''));
	}
	if (Array.isArray(value)) return value.map((v) => fillEcho(v, echo));
	if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillEcho(v, echo)]));
	return value;
}

/**
 * Answer a request according to a fault. Returns true when the request has
 * been answered (or its socket destroyed); false for "delay", after which
 * the normal handler runs.
 * @param {object} ctx { req, res, state, token, rawBody?, baseUrl? }
 */
async function applyFault(spec, { req, res, state, token, rawBody = '', baseUrl = '' }) {
	const echo = { token: token ?? '', path: req.url, url: `${baseUrl}${req.url}`, body: rawBody };
	const fault = { ...spec, body: fillEcho(spec.body, echo), message: fillEcho(spec.message, echo) };
	switch (fault.mode) {
		case 'delay':
			await new Promise((r) => setTimeout(r, Math.max(0, Number(fault.ms) || 1000)));
			return false;
		case 'reset':
			req.socket.destroy();
			return true;
		case 'status': {
			const status = Number(fault.status) || 500;
			const headers = present(fault.retryAfter) ? { 'Retry-After': String(fault.retryAfter) } : {};
			if (typeof fault.body === 'string') sendRaw(res, status, fault.body, headers, fault.contentType);
			else sendJson(res, status, fault.body ?? { error: statusTitle(status) }, headers);
			return true;
		}
		case 'html': {
			const status = Number(fault.status) || 500;
			sendHtml(res, status, htmlPage(status, statusTitle(status), fault.message || 'The server encountered an internal error.'));
			return true;
		}
		case 'error200':
			sendJson(res, 200, { error: fault.message || 'An unexpected error occurred.' });
			return true;
		case 'badJson':
			sendRaw(res, 200, `{"1878880":{"sHash":"bf02dfa7c7bc64c2cfb5","data":{"bToken":"${state.alias('brk-demo-0001')}","iId":18788`, {}, 'application/json');
			return true;
		case 'expireToken':
			// The presented token really expires, so the client must fetch a new one.
			if (token) state.expireSecurityToken(token);
			sendJson(res, 400, INVALID_TOKEN);
			return true;
		case 'status400':
			sendJson(res, 400, fault.body ?? { error: fault.message || 'BrokerAPI: Invalid parameters' });
			return true;
		case 'status404':
			sendJson(res, 404, fault.body ?? { error: fault.message || 'Not found.' });
			return true;
		default:
			return false;
	}
}

function sendRaw(res, status, text, headers = {}, contentType) {
	contentType = contentType || 'text/plain; charset=utf-8';
	if (res.headersSent) return;
	res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text), ...headers });
	res.end(text);
}

module.exports = { FaultQueue, applyFault, ENDPOINTS, MODES, DIALECTS, INVALID_TOKEN };
