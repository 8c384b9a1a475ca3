'use strict';
/**
 * Request log and counters for the control API.
 *
 * Each API request gets one record, pushed when it arrives (so the log is in
 * arrival order) and completed when the answer is finished or the socket
 * closes. Two views exist: the redacted one (security token in the path
 * replaced by "{token}", docToken query value by "{docToken}", body.secret by
 * "***") and the raw one (?raw=1).
 */

const LOG_LIMIT_DEFAULT = 10000;
const MAX_LOGGED_TEXT = 4000;

/** Endpoints whose path ends with the security token. */
const TOKEN_PATH = /^(\/api\/(?:broker\/fwd|broker\/set|account\/get\/tokens|account-ipn\/get)\/)([^/?#]+)(.*)$/;

class Recorder {
	constructor({ logLimit = LOG_LIMIT_DEFAULT } = {}) {
		this.logLimit = logLimit;
		this.records = [];
		this.resetStats();
	}

	resetStats() {
		this.stats = { tokenRequests: 0, requestsByEndpoint: {}, total: 0, maxInFlight: 0, inFlight: 0 };
	}

	clearLog() {
		this.records.length = 0; // in place: handles keep a live reference
	}

	/** Start tracking an API request; returns the record to complete later. */
	begin(req, endpoint) {
		const s = this.stats;
		s.total += 1;
		s.inFlight += 1;
		if (s.inFlight > s.maxInFlight) s.maxInFlight = s.inFlight;
		s.requestsByEndpoint[endpoint] = (s.requestsByEndpoint[endpoint] || 0) + 1;
		if (endpoint === 'token') s.tokenRequests += 1;
		const record = {
			time: new Date().toISOString(),
			method: req.method,
			rawPath: req.url,
			endpoint,
			rawBody: undefined,
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
		this.stats.inFlight -= 1;
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
				body: raw ? r.rawBody : redactBody(r.rawBody),
				status: r.status,
				durationMs: r.durationMs,
				contentType: r.contentType,
				accept: r.accept,
				fault: r.fault,
			};
		});
	}

	statsView() {
		const { inFlight, ...rest } = this.stats;
		return { ...rest, requestsByEndpoint: { ...rest.requestsByEndpoint }, inFlight };
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
	if (body && typeof body === 'object' && !Array.isArray(body) && 'secret' in body) {
		return { ...body, secret: '***' };
	}
	return body;
}

module.exports = { Recorder, redactPath, redactBody };
