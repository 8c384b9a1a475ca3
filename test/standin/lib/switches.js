'use strict';
/**
 * Runtime switches for the points where the vendor's documentation shows more than one
 * behaviour (thinksurance-api.md), and the capacity model. Each is an option of
 * startStandin, a key of `configure()` and of `POST /__control/config`; a reset restores
 * the start value. Per-user switches take a value for all users, or an object keyed by
 * the seeded user id (`demo`, `single`, `v1-only`, `v11-only`), a hash, or `'*'`.
 */

const { isPlainObject } = require('./util');

const SWITCH_DEFAULTS = {
	/** Requests in flight answered at base latency; beyond: latency × inFlight / capacity; beyond 2 × capacity: 503. 0 = unlimited. */
	capacity: 0,
	/** Per user: which dialects it may call, e.g. `{demo: ['v1']}`; null = the seeded lists. */
	userDialects: null,
	/** Per user: V1.1 account list shape: list | listWithoutTag | object | objectTokenOnly. */
	accountTokensShape: 'list',
	/** Per user: the same for V1's account tokens (its schema: a list without nameTag). */
	v1AccountTokensShape: 'listWithoutTag',
	/** HTTP status of "no such broker" (Get Broker Token): 404 since March 2025, 200 + error before. */
	brokerTokenNotFound: 404,
	/** V1.1 `?inquiryId=` that names no inquiry: empty (`{}`) | error404 | error200. */
	inquiryIdNotFound: 'empty',
	/** `POST /api/token` answers 404 without an API error: false | 'html' (true) | 'empty'. */
	tokenPathNotFound: false,
	/** Get Agency Numbers' answer key: agencyNumberSets (the table) | agencyNumbers (the example). */
	agencyNumbersKey: 'agencyNumberSets',
	/** BaFin ID in Get Agency Numbers: baFinId | baFinRegNr (V1 pages). */
	baFinKey: 'baFinId',
	/** Serve the unpublished draft `GET /api/ipn/agency-numbers` (default: 404 HTML). */
	agencyNumbersGetV11: false,
};

const DIALECTS = ['v1', 'v1.1'];
const oneOf = (values) => (v) => (values.includes(v) ? null : `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
const perUser = (check) => (v) => {
	if (!isPlainObject(v)) return check(v);
	for (const [k, x] of Object.entries(v)) {
		const error = check(x);
		if (error) return `${k}: ${error}`;
	}
	return null;
};

/** Validators: null when the value is fine, else the reason. */
const SWITCH_CHECKS = {
	capacity: (v) => (v === null || (typeof v === 'number' && Number.isFinite(v) && v >= 0) ? null : 'must be a non-negative number (0 or null = unlimited)'),
	userDialects: (v) => {
		if (v === null) return null;
		if (!isPlainObject(v)) return "must be null or an object like {demo: ['v1']}";
		for (const [k, list] of Object.entries(v)) {
			if (!Array.isArray(list) || !list.every((d) => DIALECTS.includes(d))) return `${k}: must be a list of "v1", "v1.1"`;
		}
		return null;
	},
	accountTokensShape: perUser(oneOf(['list', 'listWithoutTag', 'object', 'objectTokenOnly'])),
	v1AccountTokensShape: perUser(oneOf(['list', 'listWithoutTag', 'object', 'objectTokenOnly'])),
	brokerTokenNotFound: oneOf([404, 200]),
	inquiryIdNotFound: oneOf(['empty', 'error404', 'error200']),
	tokenPathNotFound: oneOf([false, true, 'html', 'empty']),
	agencyNumbersKey: oneOf(['agencyNumberSets', 'agencyNumbers']),
	baFinKey: oneOf(['baFinId', 'baFinRegNr']),
	agencyNumbersGetV11: oneOf([false, true]),
};

/**
 * The capacity model for one arriving request; `inFlight` includes it. Up to N: the base
 * latency; up to 2N: the latency grows with the queue (× inFlight / N); beyond: 503.
 */
function capacityDecision(config, inFlight) {
	const base = Number(config.latencyMs) || 0;
	const n = Number(config.capacity) || 0;
	if (n <= 0 || inFlight <= n) return { reject: false, latencyMs: base };
	if (inFlight > 2 * n) return { reject: true, latencyMs: 0 };
	return { reject: false, latencyMs: (base * inFlight) / n };
}

module.exports = { SWITCH_DEFAULTS, SWITCH_CHECKS, capacityDecision };
