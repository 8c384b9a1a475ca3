'use strict';
/** Small shared helpers: time formatting, random tokens, HTTP plumbing. */

const crypto = require('node:crypto');

const MAX_BODY_BYTES = 1024 * 1024;

function pad2(n) {
	return String(n).padStart(2, '0');
}

/** `YYYY-MM-DD hh:mm:ss` in the server's local time (the vendor's format). */
function formatLocalDateTime(ms) {
	const d = new Date(ms);
	return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** ISO 8601 with the local UTC offset, e.g. `2025-03-20T10:15:00+01:00`. */
function formatIsoWithOffset(ms) {
	const d = new Date(ms);
	const offsetMin = -d.getTimezoneOffset();
	const sign = offsetMin >= 0 ? '+' : '-';
	const abs = Math.abs(offsetMin);
	return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** Random lowercase hex string of `len` characters (crypto-strength). */
function randomHex(len = 40) {
	return crypto.randomBytes(Math.ceil(len / 2)).toString('hex').slice(0, len);
}

function sleep(ms) {
	return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** The generic HTML error page the real service sometimes returns. */
function htmlPage(status, title, text = '') {
	const body = text ? `<p>${escapeHtml(text)}</p>` : '';
	return `<html><body><h1>${status} ${escapeHtml(title)}</h1>${body}</body></html>`;
}

function escapeHtml(s) {
	return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

const STATUS_TITLES = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

function statusTitle(status) {
	return STATUS_TITLES[status] || 'Error';
}

function sendJson(res, status, value, headers = {}) {
	if (res.headersSent || res.destroyed) return;
	const body = JSON.stringify(value);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(body),
		...headers,
	});
	res.end(body);
}

function sendHtml(res, status, html, headers = {}) {
	if (res.headersSent || res.destroyed) return;
	res.writeHead(status, {
		'Content-Type': 'text/html; charset=utf-8',
		'Content-Length': Buffer.byteLength(html),
		...headers,
	});
	res.end(html);
}

/** The catch-all answer: `<html><body><h1>404 Not Found</h1></body></html>`. */
function sendNotFoundHtml(res) {
	sendHtml(res, 404, '<html><body><h1>404 Not Found</h1></body></html>');
}

/**
 * Read the request body as text (max 1 MiB). Resolves `{ text, tooLarge }`;
 * never rejects (client aborts resolve with what was read).
 */
function readBody(req) {
	return new Promise((resolve) => {
		const chunks = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size > MAX_BODY_BYTES) tooLarge = true;
			else chunks.push(chunk);
		});
		const done = () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge });
		req.on('end', done);
		req.on('error', done);
		req.on('close', done);
	});
}

/**
 * Parse a JSON body. Empty body → `{ ok: true, value: undefined }`.
 * Malformed → `{ ok: false }`.
 */
function parseJson(text) {
	if (!text || !text.trim()) return { ok: true, value: undefined };
	try {
		return { ok: true, value: JSON.parse(text) };
	} catch {
		return { ok: false };
	}
}

function isPlainObject(v) {
	return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Non-empty after trimming (strings) or any non-null non-string value. */
function present(v) {
	if (v === undefined || v === null) return false;
	if (typeof v === 'string') return v.trim() !== '';
	return true;
}

/** Integer-ish value (number or numeric string) → number, else NaN. */
function toInt(v) {
	if (typeof v === 'number' && Number.isInteger(v)) return v;
	if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
	return NaN;
}

/** Hosts the notifier may POST to unless `allowRemoteNotify` is set. */
function isLoopbackHost(hostname) {
	const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h.endsWith('.localhost');
}

module.exports = {
	formatLocalDateTime,
	formatIsoWithOffset,
	randomHex,
	sleep,
	htmlPage,
	statusTitle,
	sendJson,
	sendHtml,
	sendNotFoundHtml,
	readBody,
	parseJson,
	isPlainObject,
	present,
	toInt,
	isLoopbackHost,
};
