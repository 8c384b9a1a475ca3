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

/** German names Thinksurance puts in `translations.eventType` (the vendor's example: de_DE). */
const GERMAN_NAMES = {
	InquiryCreated: 'Anfrage erstellt',
	InquiryUpdated: 'Anfrage aktualisiert',
	InquiryProposalCreated: 'Angebot erstellt',
	InquiryOrdered: 'Deckungsauftrag erstellt',
};

/** Where an inquiry link points: the vendor's examples use several hosts and path styles. */
function inquiryHref(linkStyle, baseUrl, id) {
	switch (linkStyle) {
		case 'noApi':
			return `${baseUrl}/ipn/inquiry/${id}`;
		case 'ipn':
			return `https://ipn.thinksurance.de/api/ipn/inquiry/${id}`;
		case 'app':
			return `https://app.thinksurance.de/ipn/inquiry/${id}`;
		default:
			return `${baseUrl}/api/ipn/inquiry/${id}`;
	}
}

/** A stable contract UUID per inquiry, so a resend names the same contract. */
function contractId(inquiryId) {
	const hex = crypto.createHash('sha256').update(`contract:${inquiryId}`).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** An entry of `affected`, with a rest. link like the vendor's contract and customer entries. */
function referenceEntry(referenceType, referenceId, href) {
	return {
		referenceType,
		referenceId: String(referenceId),
		links: [{ contentType: 'application/json', href: href ?? `https://rest.thinksurance.de/api/public/v2/notifications/47/${referenceType}s/${referenceId}` }],
	};
}

/**
 * `references: true` → the vendor's ordered-inquiry example: the inquiry's contract and customer
 * after the inquiry; an array → those entries ({referenceType, referenceId, href?}).
 */
function otherReferences(references, inquiry) {
	if (references === true) return [referenceEntry('contract', contractId(inquiry.iId)), referenceEntry('customer', inquiry.customer?.cId ?? inquiry.iId)];
	if (!Array.isArray(references)) return [];
	return references.map((entry) => referenceEntry(String(entry.referenceType), entry.referenceId, entry.href));
}

/**
 * The V2 event, shaped like the vendor's examples. `eventId: ""` is sent as is (one vendor
 * example does), `notificationId` may be fixed (the vendor's examples of different events share
 * one), `withoutInquiry` leaves the inquiry out of `affected` (then `references` name the event).
 */
function buildEvent({ inquiry, eventType, eventId, baseUrl, notificationId, references, withoutInquiry, linkStyle }) {
	const id = String(inquiry.iId);
	const affected = withoutInquiry ? [] : [referenceEntry('inquiry', id, inquiryHref(linkStyle, baseUrl, id))];
	affected.push(...otherReferences(references, inquiry));
	const german = GERMAN_NAMES[eventType];
	return {
		eventType,
		eventTime: formatIsoWithOffset(Date.now()),
		eventId,
		notificationId: notificationId ?? crypto.randomUUID(),
		accountReference: inquiry.aToken,
		brokerReference: inquiry.bToken,
		translations: german ? { eventType: { de_DE: german } } : {},
		affected,
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
	 * body: { inquiryId, eventType, url, eventId, notificationId, references, withoutInquiry, linkStyle,
	 *         legacy, payload, count, retries, backoffMs, timeoutMs, headers, snake }
	 * A redelivery repeats the same body: `count` sends one payload `count` times.
	 */
	async notify(spec = {}) {
		const { state, baseUrl, config, issueDocToken } = this.getCtx();
		const literal = spec.payload !== undefined;
		const inquiry = state.inquiries.get(Number(spec.inquiryId));
		if (!inquiry && !literal) return { status: 404, body: { error: `inquiry ${spec.inquiryId} not found` } };
		let urls;
		if (spec.url !== undefined) urls = Array.isArray(spec.url) ? spec.url : [spec.url];
		else urls = inquiry ? brokerTargets(state.brokers.get(inquiry.bToken)) : [];
		if (!urls.length) return { status: 400, body: { error: inquiry ? `no url given and broker ${inquiry.bToken} has no callbackUrl registered with fullCallback 0` : 'payload needs a url' } };
		for (const url of urls) {
			const problem = typeof url === 'string' ? checkTarget(url, config.allowRemoteNotify) : 'url must be a string';
			if (problem) return { status: 400, body: { error: problem } };
		}
		if (spec.withoutInquiry && !(spec.references === true || (Array.isArray(spec.references) && spec.references.length))) {
			return { status: 400, body: { error: 'withoutInquiry needs references' } };
		}
		let eventType = typeof spec.eventType === 'string' && spec.eventType ? spec.eventType : 'InquiryUpdated';
		if (spec.snake) eventType = snakeCase(eventType);
		const eventId = literal && typeof spec.payload?.eventId === 'string' ? spec.payload.eventId : typeof spec.eventId === 'string' ? spec.eventId : crypto.randomUUID();
		const count = Number.isInteger(spec.count) && spec.count > 0 ? Math.min(spec.count, 100) : 1;
		const options = {
			eventId,
			retries: Number.isInteger(spec.retries) && spec.retries >= 0 ? spec.retries : DEFAULT_RETRIES,
			backoffMs: Number.isFinite(spec.backoffMs) ? spec.backoffMs : DEFAULT_BACKOFF_MS,
			timeoutMs: Number.isFinite(spec.timeoutMs) ? spec.timeoutMs : DEFAULT_TIMEOUT_MS,
			headers: spec.headers && typeof spec.headers === 'object' ? spec.headers : {},
		};
		let payload;
		if (literal) payload = spec.payload;
		else if (spec.legacy) payload = legacyPayload(spec.legacy, inquiry, state, baseUrl, issueDocToken);
		else {
			const notificationId = typeof spec.notificationId === 'string' ? spec.notificationId : undefined;
			payload = buildEvent({ inquiry, eventType, eventId, baseUrl, notificationId, references: spec.references, withoutInquiry: !!spec.withoutInquiry, linkStyle: spec.linkStyle });
		}
		const deliveries = [];
		for (let i = 0; i < count; i++) {
			for (const url of urls) deliveries.push(...(await this.deliver(url, payload, options)));
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

module.exports = { Notifier, buildEvent, brokerTargets, contractId, snakeCase };
