/**
 * The one function that calls Thinksurance's JSON API. An operation names a call ("search the
 * inquiries of account X") and gets parsed data or a NodeApiError that is safe to show; which
 * dialect answered, where the token went and how often it was tried stay in here.
 */
import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { checkedBaseUrl, forgetCredentials, thinksuranceCredentials } from './credentials';
import type { ThinksuranceContext } from './context';
import { callSpec, type Actor, type ApiCall, type CallSpec } from './dialects';
import { apiError, tokenError } from './errors';
import { acceptsToken, classifyAnswer, isUnknownPath, mayBeSessionProblem, networkFailure, type Failure } from './failures';
import { apiVersionOf } from './hosts';
import type { EntryReader } from './jsonStream';
import { redactText } from './redact';
import { withRetries } from './retry';
import { clearKnownTokenPaths, SECURITY_TOKEN_PLACEHOLDER } from './securityToken';
import { sessionFor, type Turn } from './session';
import { readStreamedBody } from './stream';
import { sendWithSession, TokenFailure, type Sent } from './authorizedSend';

/** What a call is about, in the user's words; the dialect table decides where each part goes. */
export interface ApiRequest {
	/** The account token (aToken) the call acts for. */
	account?: string;
	/** The broker token (bToken) the call acts for. */
	broker?: string;
	/** Parameters (`inquiryId`, `lastDays`, `professionId` …): body fields or query, as the dialect says. */
	params?: IDataObject;
	/** The JSON body the domain layer built. */
	body?: IDataObject;
	/** Path parameter, e.g. the inquiry ID of V1 Get Inquiry. */
	id?: string;
}

export interface ApiRequestOptions {
	itemIndex?: number;
	/** Overrides the call's timeout. */
	timeoutMs?: number;
	/** Values to scrub from errors besides the credential's own secrets and the request's tokens. */
	secrets?: Array<string | undefined>;
	/**
	 * Streamed calls: what to keep of each top-level entry while the answer arrives (a new
	 * reader per attempt, so a retried request starts from scratch). Default: everything.
	 */
	entryReader?: () => EntryReader;
}

/** The path that answered last time, per base URL and call (for calls with alternate spellings). */
const knownPaths = new Map<string, string>();

/** For tests: forget which path (and token path) answered. */
export function clearKnownPaths(): void {
	knownPaths.clear();
	clearKnownTokenPaths();
}

export async function thinksuranceApiRequest(
	this: ThinksuranceContext,
	call: ApiCall,
	request: ApiRequest = {},
	options: ApiRequestOptions = {},
): Promise<unknown> {
	const credentials = await thinksuranceCredentials(this, options.itemIndex);
	const preferred = apiVersionOf(credentials);
	const actor: Actor = request.account !== undefined ? 'account' : request.broker !== undefined ? 'broker' : 'none';
	const { spec, version } = callSpec(call, actor, preferred);
	// The token comes from the credential's dialect host; a call only the other dialect has goes to that one's host.
	const tokenBaseUrl = checkedBaseUrl(this, credentials, preferred, options.itemIndex);
	const baseUrl = version === preferred ? tokenBaseUrl : checkedBaseUrl(this, credentials, version, options.itemIndex);
	const session = sessionFor(tokenBaseUrl, String(credentials.hash ?? ''), String(credentials.secret ?? ''));
	const redact = (text: string) =>
		redactText(text, [
			String(credentials.hash ?? ''),
			String(credentials.secret ?? ''),
			String(credentials.securityToken ?? ''),
			String(credentials.accountToken ?? ''),
			session.token,
			request.account,
			request.broker,
			...(options.secrets ?? []),
		]);
	const pathKey = `${baseUrl}\u0000${call}`;
	const known = knownPaths.get(pathKey);
	// The spelling that answered last goes first; the others stay in reserve should it disappear.
	const documented = [spec.path, ...(spec.alternatePaths ?? [])];
	const paths = known && documented.includes(known) ? [known, ...documented.filter((path) => path !== known)] : documented;
	let pathIndex = 0;
	const timeoutMs = options.timeoutMs ?? spec.timeoutMs;

	let tokenFailure: TokenFailure | undefined;
	let sessionRenewed = false;
	// Set while this request goes first (see sendWithSession); released in every outcome.
	let turn: Turn | undefined;
	const once = async (attempt: number): Promise<{ value: unknown } | { failure: Failure }> => {
		for (;;) {
			const httpRequest = buildHttpRequest(spec, baseUrl, paths[pathIndex], request, timeoutMs);
			let sent: Sent;
			try {
				sent = await sendWithSession(this, credentials, session, httpRequest, redact, options.itemIndex, turn, call);
			} catch (error) {
				if (!(error instanceof TokenFailure)) throw apiError(this.getNode(), call, networkFailure(error, redact), spec.write, attempt, options.itemIndex);
				// No token: nothing was sent, and repeating will not help.
				tokenFailure = error;
				return { failure: { kind: 'sessionInvalid' } };
			}
			turn = sent.turn;
			let failure = 'failure' in sent ? sent.failure : undefined;
			if ('answer' in sent) {
				failure = (await readStreamedBody(sent.answer, redact, options.entryReader?.()))?.failure ?? classifyAnswer(sent.answer, redact);
			}
			if (acceptsToken(failure)) session.confirm(sent.token);
			if (!failure && 'answer' in sent) {
				if (paths.length > 1) knownPaths.set(pathKey, paths[pathIndex]);
				return { value: sent.answer.body };
			}
			const found = failure as Failure;
			this.logger.debug('Thinksurance request failed', { call, version, attempt, kind: found.kind, status: found.status });
			if (mayBeSessionProblem(found) && !sessionRenewed) {
				// Expired or revoked token: get a new one once and repeat the call once (a refused
				// call was not processed, so this holds for writes too). A turn is kept: the
				// others wait for the new token's first answer too.
				session.invalidate(sent.token);
				sessionRenewed = true;
				continue;
			}
			if (isUnknownPath(found) && pathIndex < paths.length - 1) {
				// The vendor documents another spelling of this path; nothing was processed.
				pathIndex++;
				continue;
			}
			// This answer says no more about the token: the waiting requests go on their own.
			turn?.release();
			turn = undefined;
			return { failure: found };
		}
	};

	try {
		const outcome = await withRetries(spec.write, once);
		if ('value' in outcome) return outcome.value;
		forgetCredentials(this);
		if (tokenFailure) {
			const original = tokenFailure.original as { message?: unknown } | undefined;
			throw tokenError(this.getNode(), redact(String(original?.message ?? 'unknown error')), options.itemIndex);
		}
		throw apiError(this.getNode(), call, outcome.failure, spec.write, outcome.attempts, options.itemIndex, { version, preferred });
	} finally {
		turn?.release();
	}
}

/** The HTTP request a call's spec describes; the credential's `authenticate` fills in the token. */
export function buildHttpRequest(spec: CallSpec, baseUrl: string, path: string, request: ApiRequest, timeoutMs: number): IHttpRequestOptions {
	const params: IDataObject = {};
	if (spec.idParam && request.id !== undefined) params[spec.idParam] = request.id;
	for (const [name, value] of Object.entries(request.params ?? {})) {
		if (value !== undefined && value !== null && value !== '') params[spec.names?.[name] ?? name] = value;
	}
	const headers: IDataObject = { Accept: 'application/json' };
	const body: IDataObject | undefined = spec.method === 'GET' ? undefined : renameKeys({ ...(request.body ?? {}) }, spec.bodyNames);
	const qs: IDataObject = {};
	Object.assign(spec.paramsIn === 'query' ? qs : (body ?? qs), params);

	const actorToken = request.account ?? request.broker;
	if (actorToken !== undefined) {
		const isAccount = request.account !== undefined;
		if (spec.actorIn === 'header') headers[isAccount ? 'X-Account-Token' : 'X-Broker-Token'] = actorToken;
		else if (body) body[isAccount ? 'aToken' : 'bToken'] = actorToken;
	}
	if (spec.tokenIn?.includes('bearer')) headers.Authorization = `Bearer ${SECURITY_TOKEN_PLACEHOLDER}`;
	if (spec.tokenIn?.includes('body') && body) body.token = SECURITY_TOKEN_PLACEHOLDER;
	if (body) headers['Content-Type'] = 'application/json';

	return {
		method: spec.method,
		url: `${baseUrl}${path.replace('{token}', SECURITY_TOKEN_PLACEHOLDER).replace('{id}', encodeURIComponent(request.id ?? ''))}`,
		headers,
		...(body ? { body } : {}),
		...(Object.keys(qs).length > 0 ? { qs } : {}),
		timeout: timeoutMs,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirected POST would arrive as a GET without body; report it instead (also saves n8n's redirect layer per call).
		disableFollowRedirect: true,
		...(spec.streamed ? { encoding: 'stream' as const } : {}),
	};
}

/** A copy of `value` with the keys `names` lists renamed at any depth; without names, `value` itself. */
export function renameKeys<T>(value: T, names: Record<string, string> | undefined): T {
	if (!names || value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) return value.map((entry: unknown) => renameKeys(entry, names)) as T;
	const renamed: Record<string, unknown> = {};
	for (const [key, entry] of Object.entries(value)) renamed[names[key] ?? key] = renameKeys(entry, names);
	return renamed as T;
}
