import type { IDataObject } from 'n8n-workflow';

/** What the transport learnt from one answer (or the lack of one). */
export type FailureKind =
	| 'apiError' // 200 or 4xx with an `error` text
	| 'sessionInvalid' // the API says the security token or API user is not valid
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
 * The API reports an expired or unknown security token (and a deactivated API user) as
 * 400 or 200 with an `error` text; this decides from the text. Broker and account tokens
 * are not the session and must not trigger a refresh.
 */
export function isSessionReason(reason: string): boolean {
	const text = reason.toLowerCase();
	if (/\b(broker|account|document|doc)\s*token\b|\b[ab]token\b/.test(text)) return false;
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

const ACTION_WORDS: Record<string, string> = {
	brokerForward: 'forward the broker',
	brokerCreate: 'create the broker',
	accountTokens: 'list the account tokens',
	inquirySearch: 'search inquiries',
	inquiryGet: 'get the inquiry',
	documentFile: 'download the document',
};

/** The user-facing message and hint for a failure, in the user's words. */
export function describeFailure(
	endpoint: string,
	failure: Failure,
	isWrite: boolean,
	attempts: number,
): { message: string; description: string } {
	const action = ACTION_WORDS[endpoint] ?? 'call Thinksurance';
	const tried = attempts > 1 ? ` after ${attempts} attempts` : '';
	const unknownOutcome = isWrite
		? ' Thinksurance may or may not have applied the change: check the broker in Thinksurance before you run this item again.'
		: '';
	const reason = failure.reason ? `: ${failure.reason}` : '';
	switch (failure.kind) {
		case 'sessionInvalid':
			return {
				message: `Thinksurance rejected the security token while trying to ${action}${reason}`,
				description:
					'A fresh token was requested and the call repeated once, without success. Check that the API user is active and that hash, secret and environment of the Thinksurance credential are right.',
			};
		case 'apiError':
			return {
				message: `Thinksurance could not ${action}${reason}`,
				description: hintForReason(endpoint, failure.reason ?? ''),
			};
		case 'badRequest':
			return {
				message: `Thinksurance rejected the request to ${action} (HTTP 400)${reason}`,
				description: 'Check the values of this item against the field descriptions; the API does not say which field it refused.',
			};
		case 'notFound':
			return {
				message: `Thinksurance could not ${action}: not found (HTTP 404)${reason}${
					endpoint === 'brokerForward' ? ' Check the broker token.' : endpoint === 'inquiryGet' ? ' Check the inquiry ID and the token it is read with.' : ''
				}`,
				description:
					endpoint === 'brokerForward'
						? 'The broker token is unknown to Thinksurance. Use the broker token Thinksurance support gave you for this broker.'
						: endpoint === 'inquiryGet' || endpoint === 'documentFile'
							? 'Check the inquiry ID and that the account or broker token you authenticate with owns that inquiry.'
							: 'Check the tokens and IDs of this item.',
			};
		case 'rateLimited':
			return {
				message: `Thinksurance is limiting requests (HTTP 429) and did not ${action}${tried}`,
				description: 'Lower the batch size or raise the batch interval under Options → Batching, then run again.',
			};
		case 'serverError':
			return {
				message: `Thinksurance had a server error (HTTP ${failure.status}${failure.reason ? `, ${failure.reason}` : ''}) while trying to ${action}${tried}.${unknownOutcome}`,
				description: isWrite
					? 'Broker forward and create are not repeated automatically, because a repeat could apply them twice.'
					: 'This is a problem on the Thinksurance side. Try again later; if it persists, contact Thinksurance support.',
			};
		case 'notJson':
			return {
				message: `Thinksurance answered with something that is not JSON (HTTP ${failure.status ?? '?'}) while trying to ${action}${tried}.${isWrite && (failure.status ?? 0) < 400 ? unknownOutcome : ''}`,
				description:
					'Usually an HTML error page from a proxy or maintenance page. Check the environment / base URL of the credential, then try again later.',
			};
		case 'timeout':
			return {
				message: `Thinksurance did not answer in time while trying to ${action}${tried}.${unknownOutcome}`,
				description: 'Raise the timeout under Options or try again later.',
			};
		case 'connectionReset':
			return {
				message: `The connection to Thinksurance broke while trying to ${action}${tried}.${unknownOutcome}`,
				description: 'A network problem between n8n and Thinksurance. Try again later.',
			};
		case 'redirected':
			return {
				message: `Thinksurance answered with a redirect (HTTP ${failure.status ?? '?'}) instead of an answer while trying to ${action}`,
				description:
					'The Thinksurance API does not redirect; a redirect usually means a wrong base URL (http instead of https, a path too many) or a login page in between. Check the environment / base URL of the credential.',
			};
		case 'unreachable':
			return {
				message: `Thinksurance could not be reached to ${action}${tried} (${failure.reason ?? 'connection refused'})`,
				description: 'Check the environment / base URL of the credential and n8n\'s network or proxy settings.',
			};
		default:
			return {
				message: `Thinksurance answered HTTP ${failure.status ?? '?'} while trying to ${action}${reason}`,
				description: 'Check the credential and the values of this item.',
			};
	}
}

function hintForReason(endpoint: string, reason: string): string {
	const text = reason.toLowerCase();
	if (/invalid param/.test(text)) {
		return 'Thinksurance does not say which field it refused. Check e-mail addresses (bare, no spaces or ";"), dates (YYYY-MM-DD), the broker token and mapping type.';
	}
	if (/account/.test(text)) return 'Check the account token (use Account → Get Tokens to list the ones your API user may use).';
	if (/broker/.test(text)) return 'Check the broker token and the broker external ID.';
	if (/inquir/.test(text)) return 'Check the inquiry ID and the account or broker token.';
	return endpoint === 'inquirySearch'
		? 'Check the account token and the filters.'
		: 'Check the values of this item and the Thinksurance credential.';
}
