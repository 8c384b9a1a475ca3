import type { IDataObject } from 'n8n-workflow';

/** What the transport learnt from one answer (or the lack of one). */
export type FailureKind =
	| 'apiError' // 200 or 4xx with an `error` text
	| 'sessionInvalid' // the API says the security token or API user is not valid
	| 'versionRefused' // the API user may not use this API version (dialect)
	| 'badRequest' // 400 without reason
	| 'notFound' // 404
	| 'rateLimited' // 429
	| 'serverError' // 5xx
	| 'notJson' // an answer that is not the JSON we expect (HTML error page, truncated body)
	| 'timeout'
	| 'connectionReset'
	| 'unreachable' // nothing was sent: refused, DNS
	| 'redirected' // 3xx: API calls do not follow redirects
	| 'httpError'; // any other status

export interface Failure {
	kind: FailureKind;
	status?: number;
	/** The API's own reason, already redacted. */
	reason?: string;
	/** Seconds from a Retry-After header. */
	retryAfterSeconds?: number;
}

export function apiErrorReason(body: unknown): string | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body) || !('error' in body)) return undefined;
	const error = (body as IDataObject).error;
	if (error === null || error === undefined || error === false || error === '') return undefined;
	if (typeof error === 'string') return error;
	if (typeof error === 'object' && typeof (error as IDataObject).message === 'string') {
		return (error as IDataObject).message as string;
	}
	return JSON.stringify(error);
}

/**
 * The API refuses an API user the dialect it is not enabled for with an error that names the
 * version ("API User is not allowed to use this API version.", HTTP 400): not a token problem.
 */
export function isVersionReason(reason: string): boolean {
	return /\bversion\b/i.test(reason) && /\b(not allowed|not permitted|not enabled|not available|not supported|unsupported|refused|denied|forbidden)\b/i.test(reason);
}

/**
 * The API reports an expired or unknown security token (and a deactivated API user) as
 * 400 or 200 with an `error` text; this decides from the text. Broker and account tokens
 * are not the session and must not trigger a refresh.
 */
export function isSessionReason(reason: string): boolean {
	const text = reason.toLowerCase();
	// V1.1 names them as headers: "Invalid X-Broker-Token" is about the broker, not the session.
	if (/\b(broker|account|document|doc)[\s_-]*token\b|\b[ab]token\b/.test(text)) return false;
	// An API user refused for the dialect (V1 or V1.1): a new token would be refused the same way.
	if (/\bapi[\s-]?version\b/.test(text)) return false;
	return (
		/api[\s-]?user/.test(text) ||
		/security[\s-]?token/.test(text) ||
		/\btoken\b.*\b(invalid|expired|not valid|unknown|not found|missing)\b/.test(text) ||
		/\b(invalid|expired|unknown)\b.*\btoken\b/.test(text) ||
		/\b(session|authenti[cz]ation)\b.*\b(invalid|expired|failed)\b/.test(text) ||
		/\bunauthori[sz]ed\b/.test(text)
	);
}

export function parseRetryAfter(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	// delay-seconds; Number('') would be 0.
	if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text);
	// An HTTP-date names its day and month; Date.parse('-1') would be a date in 2001.
	if (!/[a-z]/i.test(text)) return undefined;
	const at = Date.parse(text);
	if (Number.isNaN(at)) return undefined;
	return Math.max(0, (at - Date.now()) / 1000);
}

/** Classifies a network error (no HTTP answer) from its code and message. */
export function networkFailureKind(error: unknown): FailureKind {
	const code = String((error as { code?: unknown })?.code ?? (error as { cause?: { code?: unknown } })?.cause?.code ?? '');
	const message = String((error as { message?: unknown })?.message ?? '').toLowerCase();
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT' || /timeout|timed out/.test(message)) {
		return 'timeout';
	}
	if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH') {
		return 'unreachable';
	}
	return 'connectionReset';
}

/** Whether repeating a read could help. */
export function isTransient(failure: Failure): boolean {
	return ['rateLimited', 'serverError', 'notJson', 'timeout', 'connectionReset', 'unreachable'].includes(failure.kind);
}

/** Whether the request certainly did not reach the API's logic, so even a write may be repeated. */
export function wasNotProcessed(failure: Failure): boolean {
	return failure.kind === 'rateLimited' || (failure.kind === 'unreachable' && failure.reason !== 'ENOTFOUND');
}

/** An HTTP answer as the transport sees it. */
export interface Answer {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

export const NOT_JSON = Symbol('not JSON');

export function parseJsonBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body !== 'string') return body;
	const text = body.trim();
	if (text === '') return {};
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return NOT_JSON;
	}
}

export function statusFailure(status: number, reason: string | undefined, headers: IDataObject): Failure {
	const retryAfterSeconds = parseRetryAfter(headers['retry-after']);
	if (status === 429) return { kind: 'rateLimited', status, reason, retryAfterSeconds };
	if (status >= 500) return { kind: 'serverError', status, reason, retryAfterSeconds };
	if (status === 404) return { kind: 'notFound', status, reason };
	if (status === 400) return reason ? { kind: 'apiError', status, reason } : { kind: 'badRequest', status };
	return { kind: reason ? 'apiError' : 'httpError', status, reason };
}

/**
 * Decides whether an HTTP answer is a success, following the API's error conventions (a 200 is
 * no success while its body has an `error`). Replaces a JSON text body by its parsed value.
 */
export function classifyAnswer(answer: Answer, redact: (text: string) => string): Failure | undefined {
	const body = parseJsonBody(answer.body);
	const status = answer.statusCode;
	if (status >= 300 && status < 400) return { kind: 'redirected', status };
	if (body === NOT_JSON) {
		if (status >= 500) {
			return { kind: 'serverError', status, reason: 'HTML error page', retryAfterSeconds: parseRetryAfter(answer.headers['retry-after']) };
		}
		// A 4xx page (proxy, firewall, unknown route) will not change on a retry.
		if (status >= 400) return statusFailure(status, undefined, answer.headers);
		return { kind: 'notJson', status };
	}
	answer.body = body;
	const reason = apiErrorReason(body);
	const safeReason = reason === undefined ? undefined : redact(reason);
	if (safeReason !== undefined && (status === 200 || (status >= 400 && status < 500)) && isVersionReason(safeReason)) {
		return { kind: 'versionRefused', status, reason: safeReason };
	}
	if (safeReason !== undefined && (status === 200 || status === 400 || status === 401 || status === 403) && isSessionReason(safeReason)) {
		return { kind: 'sessionInvalid', status, reason: safeReason };
	}
	if (status >= 200 && status < 300) {
		return safeReason === undefined ? undefined : { kind: 'apiError', status, reason: safeReason };
	}
	return statusFailure(status, safeReason, answer.headers);
}

/**
 * Whether an answer shows that the API took the security token: a success, or an error of
 * the API's own about something else (account, broker, inquiry, parameters).
 */
export function acceptsToken(failure: Failure | undefined): boolean {
	if (!failure) return true;
	return (failure.kind === 'apiError' || failure.kind === 'notFound') && failure.reason !== undefined;
}

/**
 * Whether a fresh token might help. Besides answers that say so, the API's wording for an
 * expired token is not documented: a bare 400, 401 or 403 without a reason is worth one retry
 * with a new token (a 400 means nothing was processed, so repeating even a write is safe).
 */
export function mayBeSessionProblem(failure: Failure): boolean {
	// A refused version is worth one new token too: the one n8n stored may be another API user's
	// (n8n's credential test stores the token of the data it tested into the saved credential).
	if (failure.kind === 'sessionInvalid' || failure.kind === 'versionRefused') return true;
	const status = failure.status ?? 0;
	return (status === 400 || status === 401 || status === 403) && !failure.reason;
}

/** A path the server does not know: 404 without an API error (tried with the next documented spelling). */
export function isUnknownPath(failure: Failure | undefined): boolean {
	return failure?.kind === 'notFound' && failure.reason === undefined;
}

/** The original error under n8n's wrappers. */
export function innermost(error: unknown): unknown {
	let current = error;
	for (let depth = 0; depth < 5; depth++) {
		const cause = (current as { cause?: unknown })?.cause;
		if (!cause || typeof cause !== 'object') break;
		current = cause;
	}
	return current;
}

/** A network failure (no HTTP answer) as a Failure, its text redacted. */
export function networkFailure(error: unknown, redact: (text: string) => string): Failure {
	const raw = innermost(error) as { code?: unknown; message?: unknown };
	const text = typeof raw?.code === 'string' && raw.code ? raw.code : String(raw?.message ?? 'network error');
	return { kind: networkFailureKind(raw), reason: redact(text) };
}
