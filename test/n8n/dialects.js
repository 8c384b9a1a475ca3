'use strict';
/**
 * The two request dialects in the real-n8n suites: one credential per dialect in the same n8n,
 * the same workflows run with each, and what the stand-in saw read the same way for both
 * (V1: account/broker and parameters in the body, V1.1: X- headers and the query).
 */
const assert = require('node:assert/strict');

const { CREDENTIAL_ID, CREDENTIAL_NAME, credential } = require('../../scripts/lib/workflows');

/** V1.1 first: it is what a new credential gets. */
const DIALECTS = [
	{ version: 'v1.1', label: 'V1.1', credentialId: CREDENTIAL_ID, credentialName: CREDENTIAL_NAME },
	{ version: 'v1', label: 'V1', credentialId: 'v1StandinCred001', credentialName: `${CREDENTIAL_NAME} (V1)` },
];

/** The ID of a credential or workflow for a dialect: V1.1 keeps `base` ("ts…"), V1 starts with "v1" instead. */
const dialectId = (base, dialect) => (dialect.version === 'v1.1' ? base : `v1${base.slice(2)}`);

/** The same credential for each dialect (the V1.1 one keeps the given ID). */
function dialectCredentials(baseUrl, options = {}) {
	return DIALECTS.map((dialect) =>
		credential(baseUrl, {
			...options,
			apiVersion: dialect.version,
			id: dialectId(options.id ?? CREDENTIAL_ID, dialect),
			name: dialect.version === 'v1.1' ? (options.name ?? CREDENTIAL_NAME) : `${options.name ?? CREDENTIAL_NAME} (V1)`,
		}),
	);
}

/** What one raw stand-in log entry sent, in either dialect. */
function sent(entry) {
	const body = entry.body && typeof entry.body === 'object' && !Array.isArray(entry.body) ? entry.body : {};
	const query = Object.fromEntries(new URL(entry.path, 'http://standin').searchParams);
	const headers = entry.headers ?? {};
	const inquiryPath = /^\/api\/ipn\/(?:inquiry|inq)\/(\d+)/.exec(entry.path);
	return {
		account: headers['x-account-token'] ?? body.aToken,
		broker: headers['x-broker-token'] ?? body.bToken,
		lastDays: query.lastDays !== undefined ? Number(query.lastDays) : body.lastDays,
		inquiryId: inquiryPath ? Number(inquiryPath[1]) : query.inquiryId !== undefined ? Number(query.inquiryId) : body.iId,
		body,
	};
}

/** Counts requests per dialect and route while runs go on, and checks each run spoke its dialect. */
class DialectRequests {
	constructor(standin) {
		this.standin = standin;
		this.byDialect = {}; // credential dialect → { dialect of the request → n }
		this.byRoute = {}; // credential dialect → { route → n }
	}

	/** Runs `fn` as `dialect`'s work; returns its result. Every API request in it must be that dialect's. */
	async during(dialect, fn, { allowOther = [] } = {}) {
		const from = this.standin.rawLog.length;
		const result = await fn();
		// Answers may still be logging: wait until nothing is in flight.
		for (let i = 0; i < 50 && this.standin.stats.inFlight > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
		const entries = this.standin.rawLog.slice(from);
		const dialects = (this.byDialect[dialect.version] ??= {});
		const routes = (this.byRoute[dialect.version] ??= {});
		for (const entry of entries) {
			dialects[entry.dialect] = (dialects[entry.dialect] ?? 0) + 1;
			routes[entry.route] = (routes[entry.route] ?? 0) + 1;
		}
		const foreign = entries.filter((entry) => !['common', dialect.version].includes(entry.dialect) && !allowOther.includes(entry.endpoint));
		assert.deepEqual(foreign.map((entry) => entry.route), [], `the ${dialect.label} credential made only ${dialect.label} requests`);
		return result;
	}

	/** Asserts each dialect's credential made requests of its own dialect, and prints them. */
	report(title) {
		const lines = [`${title}: requests per credential dialect`];
		for (const dialect of DIALECTS) {
			const counts = this.byDialect[dialect.version] ?? {};
			lines.push(`  ${dialect.label} credential: ${Object.entries(counts).map(([d, n]) => `${d} ${n}`).join(', ') || 'none'}`);
			for (const [route, n] of Object.entries(this.byRoute[dialect.version] ?? {}).sort()) lines.push(`    ${String(n).padStart(4)}  ${route}`);
		}
		console.log(lines.join('\n'));
		return lines.join('\n');
	}
}

/** Replaces the item's document token and its expiry (every answer issues a new one) wherever they appear. */
function withoutDocToken(json) {
	const docs = json?.docs ?? json?.inquiry?.docs;
	const token = typeof docs?.docToken === 'string' ? docs.docToken : docs?.docToken?.token;
	const text = JSON.stringify(json);
	const copy = JSON.parse(token ? text.split(token).join('<docToken>') : text);
	const copyDocs = copy?.docs ?? copy?.inquiry?.docs;
	if (copyDocs?.docToken && typeof copyDocs.docToken === 'object' && 'expired' in copyDocs.docToken) copyDocs.docToken.expired = '<expiry>';
	return copy;
}

/**
 * Output items of the same workflow under both credentials, item by item: JSON (after `normalize`),
 * binary metadata, pairedItem.
 */
function assertSameItems(v11Items, v1Items, { normalize = (json) => json, what = 'output' } = {}) {
	const view = (items) =>
		(items ?? []).map((item) => ({
			json: normalize(withoutDocToken(item.json)),
			binary: Object.fromEntries(Object.entries(item.binary ?? {}).map(([key, { fileName, mimeType, fileSize, fileExtension }]) => [key, { fileName, mimeType, fileSize, fileExtension }])),
			pairedItem: item.pairedItem,
		}));
	const a = view(v11Items);
	const b = view(v1Items);
	assert.equal(a.length, b.length, `${what}: as many items with V1.1 as with V1`);
	for (let index = 0; index < a.length; index++) assert.deepEqual(a[index], b[index], `${what}: item ${index} is the same with V1.1 and V1`);
	return a.length;
}

module.exports = { DIALECTS, DialectRequests, assertSameItems, dialectCredentials, dialectId, sent, withoutDocToken };
