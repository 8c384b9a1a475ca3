'use strict';
/**
 * V2 notification sender: POSTs an event (or a legacy inquiry item) to a
 * partner URL, retrying failed deliveries like the real service.
 */

const http = require('node:http');
const https = require('node:https');
const crypto = require('node:crypto');
const { formatIsoWithOffset, isLoopbackHost, sleep } = require('./util');

const DEFAULT_RETRIES = 3;
const DEFAULT_BACKOFF_MS = 100;
const DEFAULT_TIMEOUT_MS = 5000;
const HISTORY_LIMIT = 1000;

/** "InquiryUpdated" → "inquiry_updated". */
function snakeCase(name) {
	return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The V2 event, shaped exactly like the document's example. */
function buildEvent({ inquiry, eventType, eventId, baseUrl }) {
	const id = String(inquiry.iId);
	return {
		eventType,
		eventTime: formatIsoWithOffset(Date.now()),
		eventId,
		notificationId: crypto.randomUUID(),
		accountReference: inquiry.aToken,
		brokerReference: inquiry.bToken,
		translations: {},
		affected: [
			{
				referenceType: 'inquiry',
				referenceId: id,
				links: [{ contentType: 'application/json', href: `${baseUrl}/api/ipn/inquiry/${id}` }],
			},
		],
	};
}

/** Callback URLs registered (fullCallback / mvpFullCallback 0) on the inquiry's broker. */
function brokerTargets(broker) {
	if (!broker) return [];
	const urls = [];
	if (broker.fullCallback === 0 && broker.callbackUrl) urls.push(broker.callbackUrl);
	if (broker.mvpFullCallback === 0 && broker.mvpCallbackUrl && !urls.includes(broker.mvpCallbackUrl)) urls.push(broker.mvpCallbackUrl);
	return urls;
}

/** Check a target URL; returns an error string or null. */
function checkTarget(url, allowRemote) {
	let u;
	try {
		u = new URL(url);
	} catch {
		return `invalid url: ${url}`;
	}
	if (u.protocol !== 'http:' && u.protocol !== 'https:') return `unsupported protocol: ${u.protocol}`;
	if (!allowRemote && !isLoopbackHost(u.hostname)) return `refusing non-loopback target ${u.hostname} (start with allowRemoteNotify: true)`;
	return null;
}

/** One HTTP POST. Resolves { status, error? }; status 0 on connection errors/timeouts. */
function postOnce(url, payload, { timeoutMs, headers }) {
	return new Promise((resolve) => {
		const u = new URL(url);
		const lib = u.protocol === 'https:' ? https : http;
		const body = Buffer.from(JSON.stringify(payload));
		const req = lib.request(
			u,
			{
				method: 'POST',
				headers: {
					'Content-Type': 'application/json',
					'Content-Length': body.length,
					'User-Agent': 'thinksurance-standin-notifier/1.0',
					...headers,
				},
				timeout: timeoutMs,
				rejectUnauthorized: false,
			},
			(res) => {
				res.resume(); // drain
				res.on('end', () => resolve({ status: res.statusCode }));
				res.on('error', (e) => resolve({ status: res.statusCode, error: e.message }));
			},
		);
		req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
		req.on('error', (e) => resolve({ status: 0, error: e.message }));
		req.end(body);
	});
}

class Notifier {
	/** @param {() => {state, baseUrl, config, issueDocToken}} getCtx */
	constructor(getCtx) {
		this.getCtx = getCtx;
		this.history = [];
	}

	clear() {
		this.history.length = 0;
	}

	record(entry) {
		this.history.push(entry);
		if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
	}

	/**
	 * Deliver one payload to one URL with retries. Returns every attempt.
	 * Retries on non-2xx answers and connection errors, up to `retries` times.
	 */
	async deliver(url, payload, { eventId, retries, backoffMs, timeoutMs, headers }) {
		const attempts = [];
		for (let attempt = 1; attempt <= retries + 1; attempt++) {
			const started = process.hrtime.bigint();
			const { status, error } = await postOnce(url, payload, { timeoutMs, headers });
			const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
			const ok = status >= 200 && status < 300;
			const entry = { url, status, durationMs, eventId, attempt, ok };
			if (error) entry.error = error;
			attempts.push(entry);
			this.record({ time: new Date().toISOString(), ...entry, payload });
			if (ok) break;
			if (attempt <= retries) await sleep(backoffMs);
		}
		return attempts;
	}

	/**
	 * POST /__control/notify. Returns { status, body } for the control API.
	 * body: { inquiryId, eventType, url, eventId, legacy, count, retries, backoffMs, timeoutMs, headers, snake }
	 */
	async notify(spec = {}) {
		const { state, baseUrl, config, issueDocToken } = this.getCtx();
		const inquiry = state.inquiries.get(Number(spec.inquiryId));
		if (!inquiry) return { status: 404, body: { error: `inquiry ${spec.inquiryId} not found` } };
		let urls;
		if (spec.url !== undefined) urls = Array.isArray(spec.url) ? spec.url : [spec.url];
		else urls = brokerTargets(state.brokers.get(inquiry.bToken));
		if (!urls.length) return { status: 400, body: { error: `no url given and broker ${inquiry.bToken} has no callbackUrl registered with fullCallback 0` } };
		for (const url of urls) {
			const problem = typeof url === 'string' ? checkTarget(url, config.allowRemoteNotify) : 'url must be a string';
			if (problem) return { status: 400, body: { error: problem } };
		}
		let eventType = typeof spec.eventType === 'string' && spec.eventType ? spec.eventType : 'InquiryUpdated';
		if (spec.snake) eventType = snakeCase(eventType);
		const eventId = typeof spec.eventId === 'string' && spec.eventId ? spec.eventId : crypto.randomUUID();
		const count = Number.isInteger(spec.count) && spec.count > 0 ? Math.min(spec.count, 100) : 1;
		const options = {
			eventId,
			retries: Number.isInteger(spec.retries) && spec.retries >= 0 ? spec.retries : DEFAULT_RETRIES,
			backoffMs: Number.isFinite(spec.backoffMs) ? spec.backoffMs : DEFAULT_BACKOFF_MS,
			timeoutMs: Number.isFinite(spec.timeoutMs) ? spec.timeoutMs : DEFAULT_TIMEOUT_MS,
			headers: spec.headers && typeof spec.headers === 'object' ? spec.headers : {},
		};
		const deliveries = [];
		for (let i = 0; i < count; i++) {
			for (const url of urls) {
				const payload = spec.legacy ? legacyPayload(spec.legacy, inquiry, state, baseUrl, issueDocToken) : buildEvent({ inquiry, eventType, eventId, baseUrl });
				deliveries.push(...(await this.deliver(url, payload, options)));
			}
		}
		return { status: 200, body: { deliveries } };
	}

	/** autoNotify: fire-and-forget event to the broker's registered callbacks. */
	auto(inquiry, eventType) {
		const { state, baseUrl, config } = this.getCtx();
		const urls = brokerTargets(state.brokers.get(inquiry.bToken)).filter((u) => !checkTarget(u, config.allowRemoteNotify));
		const eventId = crypto.randomUUID();
		for (const url of urls) {
			const payload = buildEvent({ inquiry, eventType, eventId, baseUrl });
			this.deliver(url, payload, { eventId, retries: DEFAULT_RETRIES, backoffMs: DEFAULT_BACKOFF_MS, timeoutMs: DEFAULT_TIMEOUT_MS, headers: {} }).catch(() => {});
		}
		return urls.length;
	}
}

/** Older callbacks: the full item keyed by inquiry ID (legacy: "item" → bare item). */
function legacyPayload(mode, inquiry, state, baseUrl, issueDocToken) {
	const item = state.renderInquiry(inquiry, baseUrl, issueDocToken(inquiry.aToken));
	return mode === 'item' ? item : { [String(inquiry.iId)]: item };
}

module.exports = { Notifier, buildEvent, brokerTargets, snakeCase };
