/**
 * Errors a user sees: what failed in the user's words, the API's (redacted) reason and what to
 * do. Built from plain objects, so no request (whose URL or headers hold the token) rides along.
 */
import { NodeApiError, type JsonObject, type INode } from 'n8n-workflow';

import { isTransient, type Failure } from './failures';
import { apiVersionLabel, otherApiVersion, type ApiVersion } from './hosts';

/** The dialect a call was made in, and the credential's own (they differ for a call only one dialect has). */
export interface CallDialect {
	version: ApiVersion;
	preferred: ApiVersion;
}

const ACTION_WORDS: Record<string, string> = {
	brokerForward: 'forward the broker',
	brokerCreate: 'create the broker',
	accountTokens: 'list the account tokens',
	inquirySearch: 'search inquiries',
	inquiryGet: 'get the inquiry',
	documentFile: 'download the document',
	brokerToken: 'get the broker token',
	agencyNumbersAdd: 'add the agency numbers',
	agencyNumbersDelete: 'delete the agency numbers',
	agencyNumbersGet: 'list the agency numbers',
	products: 'list the products',
	professions: 'list the professions',
};

/** The user-facing message and hint for a failure, in the user's words. */
export function describeFailure(
	endpoint: string,
	failure: Failure,
	isWrite: boolean,
	attempts: number,
	dialect?: CallDialect,
): { message: string; description: string } {
	const action = ACTION_WORDS[endpoint] ?? 'call Thinksurance';
	const tried = attempts > 1 ? ` after ${attempts} attempts` : '';
	const unknownOutcome = isWrite
		? ' Thinksurance may or may not have applied the change: check the broker in Thinksurance before you run this item again.'
		: '';
	const reason = failure.reason ? `: ${failure.reason}` : '';
	switch (failure.kind) {
		case 'versionRefused': {
			const used = apiVersionLabel(dialect?.version ?? 'v1.1');
			const said = failure.reason ? ` ("${failure.reason.replace(/\.$/, '')}")` : '';
			if (dialect && dialect.version !== dialect.preferred) {
				return {
					message: `Thinksurance could not ${action}: only API Version ${used} has this call, and Thinksurance does not let this API user use it${said}.`,
					description: `Ask Thinksurance support to enable API Version ${used} for your API user.`,
				};
			}
			const other = dialect ? apiVersionLabel(otherApiVersion(dialect.version)) : 'the other version';
			return {
				message: `Thinksurance does not let this API user use API Version ${used}${said}. Open the Thinksurance credential and set API Version to ${other}.`,
				description: `Thinksurance enables each API user for one API version or for both. Set the credential's API Version to ${other}, or ask Thinksurance support to enable ${used} for your API user.`,
			};
		}
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
	if (/\bapi[\s-]?version\b/.test(text)) {
		return 'Your API user may not use this request dialect. Open the Thinksurance credential and switch API Version (V1.1 or V1 (Outdated)).';
	}
	const field = /invalid param\w*:\s*([\w.[\]]+)/i.exec(reason)?.[1];
	if (field) return `Thinksurance refused the field ${field}. Check its value in this item.`;
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

/** The NodeApiError for a failed call; `failureKind` lets callers tell transient failures apart. */
export function apiError(
	node: INode,
	call: string,
	failure: Failure,
	isWrite: boolean,
	attempts: number,
	itemIndex: number | undefined,
	dialect?: CallDialect,
): NodeApiError {
	const { message, description } = describeFailure(call, failure, isWrite, attempts, dialect);
	const httpCode = failure.status === undefined ? undefined : String(failure.status);
	const cause: JsonObject = { message, description, httpCode: httpCode ?? null };
	const error = new NodeApiError(node, cause, { message, description, httpCode, itemIndex });
	error.context.failureKind = failure.kind;
	// Callers tell answers apart by the API's own (redacted) words, e.g. "no broker found".
	if (failure.reason !== undefined) error.context.apiReason = failure.reason;
	return error;
}

/** The security token could not be had: the credential is the user's to check. */
export function tokenError(node: INode, text: string, itemIndex: number | undefined): NodeApiError {
	const message = text.startsWith('Thinksurance') ? text : `Could not get a Thinksurance security token: ${text}`;
	const description =
		'Open the Thinksurance credential and check environment, API version, API user hash and secret. The credential test shows the API\'s own answer.';
	return new NodeApiError(node, { message, description } as JsonObject, { message, description, itemIndex });
}

/** Whether an error from the API layer is worth another try later (server error, timeout …). */
export function isTransientApiError(error: unknown): boolean {
	const kind = (error as NodeApiError | undefined)?.context?.failureKind;
	return typeof kind === 'string' && isTransient({ kind: kind as Failure['kind'] });
}
