'use strict';
/**
 * Request log and counters for the control API.
 *
 * Each API request gets one record, pushed when it arrives (so the log is in
 * arrival order) and completed when the answer is finished or the socket
 * closes. Two views exist: the redacted one (security token in the path
 * replaced by "{token}", docToken query value by "{docToken}", body.secret by
 * "***", body.token by "{token}", the V1.1 headers Authorization, X-Account-Token
 * and X-Broker-Token by placeholders) and the raw one (?raw=1).
 *
 * Stats count per logical endpoint (the same name in both dialects), per route
 * naming its dialect (`v1.1 GET /api/ipn/inquiries`) and per dialect, and keep an
 * in-flight trace (one sample when a request starts and one when it ends).
 */

const LOG_LIMIT_DEFAULT = 10000;
const MAX_LOGGED_TEXT = 4000;

const TRACE_LIMIT_DEFAULT = 20000;

/** V1 paths that end with the security token (longer alternatives first: broker/set/anums before broker/set). */
const TOKEN_PATH = /^(\/api\/(?:broker\/fwd|broker\/set\/anums|broker\/set|broker\/get|account\/get\/tokens|account\/set\/anums|account\/delete\/anums|account\/get\/anums|account-ipn\/get|ipn\/get)\/)([^/?#]+)(.*)$/;
/** Headers that carry a credential or an identity in V1.1, with their redacted form. */
const REDACTED_HEADERS = { authorization: 'Bearer {token}', 'x-account-token': '{aToken}', 'x-broker-token': '{bToken}' };

class Recorder {
	constructor({ logLimit = LOG_LIMIT_DEFAULT, traceLimit = TRACE_LIMIT_DEFAULT, capacity = () => 0 } = {}) {
		this.logLimit = logLimit;
		this.traceLimit = traceLimit;
		this.capacity = capacity;
		this.records = [];
		this.resetStats();
	}

	resetStats() {
		// In-flight requests stay in flight across a reset: their end must not drive the count negative.
		const inFlight = this.stats ? this.stats.inFlight : 0;
		this.stats = {
			tokenRequests: 0,
			requestsByEndpoint: {},
			requestsByRoute: {},
			requestsByDialect: {},
			total: 0,
			maxInFlight: 0,
			inFlight,
			capacity503: 0,
			brokersCreated: 0,
		};
		this.traceStart = Date.now();
		this.trace = [];
	}

	/** One in-flight sample: ms since the stats were reset, requests in flight, capacity then. */
	sample() {
		this.trace.push({ t: Date.now() - this.traceStart, inFlight: this.stats.inFlight, capacity: Number(this.capacity()) || 0 });
		// Drop the oldest tenth at once so a long run costs no splice per request.
		if (this.trace.length > this.traceLimit) this.trace.splice(0, Math.max(1, Math.ceil(this.traceLimit / 10)));
	}

	clearLog() {
		this.records.length = 0; // in place: handles keep a live reference
	}

	/**
	 * Start tracking an API request; returns the record to complete later. `route` is
	 * matchRoute's answer ({endpoint, dialect, routeKey}) or, as before, an endpoint name.
	 */
	begin(req, route) {
		const { endpoint, dialect = 'unknown', routeKey = endpoint } = typeof route === 'string' ? { endpoint: route } : route;
		const s = this.stats;
		s.total += 1;
		s.inFlight += 1;
		if (s.inFlight > s.maxInFlight) s.maxInFlight = s.inFlight;
		s.requestsByEndpoint[endpoint] = (s.requestsByEndpoint[endpoint] || 0) + 1;
		s.requestsByRoute[routeKey] = (s.requestsByRoute[routeKey] || 0) + 1;
		s.requestsByDialect[dialect] = (s.requestsByDialect[dialect] || 0) + 1;
		if (endpoint === 'token') s.tokenRequests += 1;
		this.sample();
		const headers = {};
		for (const name of Object.keys(REDACTED_HEADERS)) if (req.headers[name] !== undefined) headers[name] = req.headers[name];
		const record = {
			time: new Date().toISOString(),
			method: req.method,
			rawPath: req.url,
			endpoint,
			dialect,
			route: routeKey,
			headers,
			rawBody: undefined,
			inFlightAtStart: s.inFlight,
			contentType: req.headers['content-type'] || null,
			accept: req.headers.accept || null,
			status: null,
			durationMs: null,
			fault: null,
			started: process.hrtime.bigint(),
			done: false,
		};
		this.records.push(record);
		if (this.records.length > this.logLimit) this.records.splice(0, this.records.length - this.logLimit);
		return record;
	}

	/** Attach the request body: the parsed value, or the raw text if unparsable. */
	setBody(record, value) {
		record.rawBody = typeof value === 'string' && value.length > MAX_LOGGED_TEXT ? `${value.slice(0, MAX_LOGGED_TEXT)}…` : value;
	}

	/** Complete a record once (finish or close). status 0 = socket destroyed without answer. */
	end(record, status) {
		if (record.done) return;
		record.done = true;
		this.stats.inFlight = Math.max(0, this.stats.inFlight - 1);
		this.sample();
		record.status = status;
		record.durationMs = Math.round(Number(process.hrtime.bigint() - record.started) / 1e4) / 100;
	}

	/** JSON view of the log; raw=true keeps tokens and secrets. */
	view(raw = false) {
		return this.records.map((r) => {
			const { path, tokenInPath } = redactPath(r.rawPath);
			return {
				time: r.time,
				method: r.method,
				path: raw ? r.rawPath : path,
				tokenInPath,
				endpoint: r.endpoint,
				dialect: r.dialect,
				route: r.route,
				headers: raw ? { ...r.headers } : redactHeaders(r.headers),
				body: raw ? r.rawBody : redactBody(r.rawBody),
				status: r.status,
				durationMs: r.durationMs,
				contentType: r.contentType,
				accept: r.accept,
				fault: r.fault,
			};
		});
	}

	/** A copy of the counters; `inFlightTrace` is copied only when read (it can be long). */
	statsView() {
		const { inFlight, ...rest } = this.stats;
		const view = {
			...rest,
			requestsByEndpoint: { ...rest.requestsByEndpoint },
			requestsByRoute: { ...rest.requestsByRoute },
			requestsByDialect: { ...rest.requestsByDialect },
			inFlight,
			capacity: Number(this.capacity()) || 0,
			traceStartedAt: new Date(this.traceStart).toISOString(),
		};
		const trace = this.trace;
		Object.defineProperty(view, 'inFlightTrace', { enumerable: true, get: () => trace.map((x) => ({ ...x })) });
		return view;
	}
}

/** Replace the security token path segment and a docToken query value. */
function redactPath(rawPath) {
	let path = rawPath;
	let tokenInPath = false;
	const m = TOKEN_PATH.exec(rawPath);
	if (m && m[2]) {
		tokenInPath = true;
		path = `${m[1]}{token}${m[3]}`;
	}
	path = path.replace(/([?&]docToken=)[^&#]*/g, '$1{docToken}');
	return { path, tokenInPath };
}

function redactBody(body) {
	if (body && typeof body === 'object' && !Array.isArray(body) && ('secret' in body || 'token' in body)) {
		const copy = { ...body };
		if ('secret' in copy) copy.secret = '***';
		if ('token' in copy) copy.token = '{token}';
		return copy;
	}
	return body;
}

function redactHeaders(headers = {}) {
	return Object.fromEntries(Object.keys(headers).map((name) => [name, REDACTED_HEADERS[name]]));
}

module.exports = { Recorder, redactPath, redactBody, redactHeaders };
