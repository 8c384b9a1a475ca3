/**
 * The only code that talks to Thinksurance. It owns endpoint URLs, the security token
 * (through the credential), the API's error styles, retries and redaction: callers get
 * parsed data or a NodeApiError that is safe to show.
 */
import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type IN8nHttpFullResponse,
	type IPollFunctions,
	type IWebhookFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { SECURITY_TOKEN_PLACEHOLDER, thinksuranceBaseUrl } from '../../../credentials/ThinksuranceApi.credentials';
import { collectJson, JsonStreamError, type EntryReader } from './jsonStream';
import {
	apiErrorReason,
	describeFailure,
	isSessionReason,
	isTransient,
	networkFailureKind,
	parseRetryAfter,
	wasNotProcessed,
	type Failure,
} from './failures';
import { redactText } from './redact';
import { sessionFor, type TokenSession, type Turn } from './session';

export { redactText } from './redact';
export { clearSessions } from './session';

export type ThinksuranceContext = IExecuteFunctions | IHookFunctions | ILoadOptionsFunctions | IPollFunctions | IWebhookFunctions;

export const CREDENTIAL_TYPE = 'thinksuranceApi';

export type Endpoint = 'brokerForward' | 'brokerCreate' | 'accountTokens' | 'inquirySearch' | 'inquiryGet';

interface EndpointSpec {
	path: (id?: string) => string;
	/** Writes are never repeated once Thinksurance may have processed them. */
	write: boolean;
	timeoutMs: number;
	/**
	 * Get Inquiry takes the security token in the body instead of the path; one version of the
	 * vendor's page asks for it as `Authorization: Bearer` instead, so it goes both ways.
	 */
	tokenInBody?: boolean;
	/** Large answers are parsed while they arrive instead of as one text. */
	streamed?: boolean;
}

const ENDPOINTS: Record<Endpoint, EndpointSpec> = {
	brokerForward: { path: () => `/api/broker/fwd/${SECURITY_TOKEN_PLACEHOLDER}`, write: true, timeoutMs: 60_000 },
	brokerCreate: { path: () => `/api/broker/set/${SECURITY_TOKEN_PLACEHOLDER}`, write: true, timeoutMs: 60_000 },
	accountTokens: { path: () => `/api/account/get/tokens/${SECURITY_TOKEN_PLACEHOLDER}`, write: false, timeoutMs: 30_000 },
	// Accounts with thousands of inquiries answer slowly.
	inquirySearch: {
		path: () => `/api/account-ipn/get/${SECURITY_TOKEN_PLACEHOLDER}`,
		write: false,
		timeoutMs: 300_000,
		streamed: true,
	},
	inquiryGet: {
		path: (id) => `/api/ipn/inquiry/${encodeURIComponent(id ?? '')}`,
		write: false,
		timeoutMs: 30_000,
		tokenInBody: true,
	},
};

/** Attempts for reads (and for writes that certainly were not processed). */
const MAX_ATTEMPTS = 4;
const BACKOFF_MS = [500, 1_500, 4_000];
/** A Retry-After longer than this fails the item instead of blocking the workflow. */
const MAX_RETRY_AFTER_MS = 60_000;

export interface ApiRequestOptions {
	itemIndex?: number;
	/** Path parameter, e.g. the inquiry ID of Get Inquiry. */
	id?: string;
	/** Overrides the endpoint's timeout. */
	timeoutMs?: number;
	/** Values to scrub from errors besides the credential's own secrets. */
	secrets?: Array<string | undefined>;
	/**
	 * Streamed endpoints: what to keep of each top-level entry while the answer arrives (a new
	 * reader per attempt, so a retried request starts from scratch). Default: everything.
	 */
	entryReader?: () => EntryReader;
}

interface Answer {
	statusCode: number;
	headers: IDataObject;
	body: unknown;
}

/** One exchange, the token it was sent with, and the turn when this request went first. */
type Sent = ({ answer: Answer } | { failure: Failure }) & { token: string; turn?: Turn };

/** Calls one Thinksurance endpoint and returns its parsed JSON answer. */
export async function thinksuranceApiRequest(
	this: ThinksuranceContext,
	endpoint: Endpoint,
	body: IDataObject | undefined,
	options: ApiRequestOptions = {},
): Promise<unknown> {
	const spec = ENDPOINTS[endpoint];
	const credentials = await thinksuranceCredentials(this, options.itemIndex);
	const baseUrl = checkedBaseUrl(this, credentials, options.itemIndex);
	const session = sessionFor(baseUrl, String(credentials.hash ?? ''), String(credentials.secret ?? ''));
	const secrets = () => [
		String(credentials.hash ?? ''),
		String(credentials.secret ?? ''),
		String(credentials.securityToken ?? ''),
		String(credentials.accountToken ?? ''),
		session.token,
		...(options.secrets ?? []),
	];
	const request: IHttpRequestOptions = {
		method: 'POST',
		url: `${baseUrl}${spec.path(options.id)}`,
		headers: {
			Accept: 'application/json',
			'Content-Type': 'application/json',
			...(spec.tokenInBody ? { Authorization: `Bearer ${SECURITY_TOKEN_PLACEHOLDER}` } : {}),
		},
		body: spec.tokenInBody ? { ...(body ?? {}), token: SECURITY_TOKEN_PLACEHOLDER } : (body ?? {}),
		timeout: options.timeoutMs ?? spec.timeoutMs,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// A redirected POST would arrive as a GET without body; report it instead (also saves n8n's redirect layer per call).
		disableFollowRedirect: true,
		...(spec.streamed ? { encoding: 'stream' as const } : {}),
	};

	let sessionRenewed = false;
	// Set while this request goes first (see sendWithSession); released in every outcome.
	let turn: Turn | undefined;
	try {
		for (let attempt = 1; ; attempt++) {
			const sent = await sendWithSession(this, credentials, session, request, secrets, options.itemIndex, turn);
			turn = sent.turn;
			if ('answer' in sent) await readStreamedBody(sent, secrets, options.entryReader?.());
			const failure = 'failure' in sent ? sent.failure : classifyAnswer(sent.answer, secrets);
			if (acceptsToken(failure)) session.confirm(sent.token);
			if (!failure) return (sent as { answer: Answer }).answer.body;

			this.logger.debug('Thinksurance request failed', { endpoint, attempt, kind: failure.kind, status: failure.status });
			if (mayBeSessionProblem(failure) && !sessionRenewed) {
				// Expired or revoked token: get a new one once and repeat the call once (a refused
				// call was not processed, so this holds for writes too). A turn is kept: the
				// others wait for the new token's first answer too.
				session.invalidate(sent.token);
				sessionRenewed = true;
				attempt--;
				continue;
			}
			// This answer says no more about the token: the waiting requests go on their own.
			turn?.release();
			turn = undefined;
			const mayRepeat = !spec.write || wasNotProcessed(failure);
			if (isTransient(failure) && mayRepeat && attempt < MAX_ATTEMPTS) {
				const waitMs = retryDelay(attempt, failure);
				if (waitMs !== undefined) {
					await sleep(waitMs);
					continue;
				}
			}
			throw apiError(this, endpoint, failure, spec.write, attempt, options.itemIndex);
		}
	} finally {
		turn?.release();
	}
}

/**
 * Whether an answer shows that the API took the security token: a success, or an error of
 * the API's own about something else (account, broker, inquiry, parameters).
 */
function acceptsToken(failure: Failure | undefined): boolean {
	if (!failure) return true;
	return (failure.kind === 'apiError' || failure.kind === 'notFound') && failure.reason !== undefined;
}

/** Downloads a document link; the document token grants access, not the security token. */
export async function downloadDocumentFile(
	this: ThinksuranceContext,
	fileUrl: string,
	documentToken: string | undefined,
	options: ApiRequestOptions = {},
): Promise<{ data: Buffer; contentType?: string; fileName?: string }> {
	const secrets = () => [documentToken, ...(options.secrets ?? [])];
	const url = withDocumentToken(fileUrl, documentToken);
	for (let attempt = 1; ; attempt++) {
		let failure: Failure | undefined;
		let response: IN8nHttpFullResponse | undefined;
		try {
			response = (await this.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'arraybuffer',
				timeout: options.timeoutMs ?? 120_000,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as IN8nHttpFullResponse;
		} catch (error) {
			failure = { kind: networkFailureKind(error), reason: networkReason(error, secrets()) };
		}
		if (response) {
			const status = response.statusCode;
			const headers = response.headers ?? {};
			if (status >= 200 && status < 300) {
				const data = Buffer.from(response.body as ArrayBuffer);
				const contentType = typeof headers['content-type'] === 'string' ? headers['content-type'] : undefined;
				// The API's error convention holds for file links too: 200 + JSON {"error": …} is no file.
				const reason = contentType !== undefined && /\bjson\b/i.test(contentType) ? apiErrorReason(parseJsonBody(data)) : undefined;
				if (reason === undefined) {
					return { data, contentType, fileName: fileNameFromDisposition(headers['content-disposition']) };
				}
				failure = { kind: 'apiError', status, reason: redactText(reason, secrets()) };
			} else {
				failure = statusFailure(status, undefined, headers);
				if (status === 401 || status === 403) {
					failure = { kind: 'apiError', status, reason: 'the document link was refused or its document token has expired' };
				}
			}
		}
		if (failure && isTransient(failure) && attempt < MAX_ATTEMPTS) {
			const waitMs = retryDelay(attempt, failure);
			if (waitMs !== undefined) {
				await sleep(waitMs);
				continue;
			}
		}
		throw apiError(this, 'documentFile', failure ?? { kind: 'httpError' }, false, attempt, options.itemIndex);
	}
}

/**
 * The credential, read once per node run (and once per delivery): n8n reads and decrypts it
 * from the database on every call, which cost a fifth of a 500-item run (see bench/RESULTS.md).
 * The object is shared by the run's requests, so a token one of them fetched is seen by all.
 */
const credentialsByRun = new WeakMap<object, Promise<ICredentialDataDecryptedObject>>();

/**
 * How long a production webhook call reuses what an earlier call of the same workflow read
 * for the same credential ID. In a webhook call n8n reads the credential from the database,
 * decrypts it and builds an expression sandbox for it every time; a stream of deliveries would
 * pay that per delivery. A changed credential is therefore used at the latest this long after
 * it was saved; any failed request drops the reused copy at once, so a refused (wrong or
 * rotated) secret is not reused by the next delivery. Test URLs (manual mode) always read anew.
 */
export const CREDENTIAL_REUSE_MS = 30_000;

const reusedCredentials = new Map<string, { data: Promise<ICredentialDataDecryptedObject>; expiresAt: number }>();

/** The reuse key of a production webhook call: workflow and credential ID (no data, no secret). */
function reuseKey(ctx: ThinksuranceContext): string | undefined {
	if (!('getRequestObject' in ctx) || ctx.getMode() === 'manual') return undefined;
	const credentialId = ctx.getNode().credentials?.[CREDENTIAL_TYPE]?.id;
	const workflowId = ctx.getWorkflow().id;
	return credentialId && workflowId ? `${workflowId}\u0000${credentialId}` : undefined;
}

function readCredentials(ctx: ThinksuranceContext, itemIndex: number | undefined): Promise<ICredentialDataDecryptedObject> {
	const key = reuseKey(ctx);
	const now = Date.now();
	const reused = key === undefined ? undefined : reusedCredentials.get(key);
	if (reused && reused.expiresAt > now) return reused.data;
	const data = ctx.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE, itemIndex).then((read) => ({ ...read }));
	if (key !== undefined) {
		const entry = { data, expiresAt: now + CREDENTIAL_REUSE_MS };
		reusedCredentials.set(key, entry);
		// A failed read is not kept: the next delivery tries again.
		data.catch(() => {
			if (reusedCredentials.get(key) === entry) reusedCredentials.delete(key);
		});
	}
	return data;
}

/** Drops the reused credential this call used (not a newer one another call has read since). */
function forgetReusedCredentials(ctx: ThinksuranceContext): void {
	const key = reuseKey(ctx);
	const used = credentialsByRun.get(ctx);
	if (key !== undefined && used !== undefined && reusedCredentials.get(key)?.data === used) reusedCredentials.delete(key);
}

/** For tests: forget every reused credential. */
export function clearReusedCredentials(): void {
	reusedCredentials.clear();
}

export async function thinksuranceCredentials(ctx: ThinksuranceContext, itemIndex?: number): Promise<ICredentialDataDecryptedObject> {
	let credentials = credentialsByRun.get(ctx);
	if (!credentials) {
		credentials = readCredentials(ctx, itemIndex);
		credentialsByRun.set(ctx, credentials);
		// A failed read is not kept: the next item may try again.
		credentials.catch(() => credentialsByRun.delete(ctx));
	}
	return await credentials;
}

function checkedBaseUrl(ctx: ThinksuranceContext, credentials: ICredentialDataDecryptedObject, itemIndex?: number): string {
	const baseUrl = thinksuranceBaseUrl(credentials);
	if (!/^https?:\/\/[^\s/]+/i.test(baseUrl)) {
		forgetReusedCredentials(ctx);
		throw new NodeOperationError(
			ctx.getNode(),
			'The Thinksurance credential has no valid base URL. Open the credential and enter the Base URL (https://…) or choose Production or Test.',
			{ itemIndex },
		);
	}
	return baseUrl;
}

/**
 * Sends with the shared token. A token an answer has accepted in this process is used by
 * every request at once. Otherwise (a token stored by n8n that may have been revoked, one
 * fetched just now, or none) one request goes first and the others wait for its answer:
 * a refused token then costs one request, not one per item in flight. The request that
 * goes first gets `turn` back and keeps it until its answer is judged; without a usable
 * token it is also the one that lets n8n fetch a new one (the credential's
 * preAuthentication, which n8n saves to its database).
 */
async function sendWithSession(
	ctx: ThinksuranceContext,
	credentials: ICredentialDataDecryptedObject,
	session: TokenSession,
	request: IHttpRequestOptions,
	secrets: () => Array<string | undefined>,
	itemIndex: number | undefined,
	turn: Turn | undefined,
): Promise<Sent> {
	// A request that waited for a first one does not queue up again for the same token:
	// when that answer said nothing about the token (5xx, timeout), all go at once.
	let waited = false;
	let storedRead = false;
	let handedOver = false;
	try {
		for (;;) {
			session.adopt(credentials.securityToken, credentials.securityTokenExpiresAt);
			if (session.usable() && (turn || session.confirmed() || waited)) {
				const token = session.token;
				const sent = await send(ctx, { ...credentials, securityToken: token }, request, secrets);
				// With a token in hand n8n does not ask for another, so this cannot happen; be safe anyway.
				if ('tokenFailure' in sent) throw tokenError(ctx, sent.tokenFailure, secrets, itemIndex);
				handedOver = true;
				return { ...sent, token, turn };
			}
			if (!turn) {
				if (session.busy()) {
					const outcome = await session.wait();
					if (outcome.error) throw tokenError(ctx, outcome.error, secrets, itemIndex);
					waited = true;
				} else {
					turn = session.takeTurn();
				}
				continue;
			}
			if (!storedRead) {
				// Another process (queue mode) may have stored a newer token: try that before asking for one.
				storedRead = true;
				if (await adoptStoredToken(ctx, credentials, session, itemIndex)) continue;
			}
			const data: ICredentialDataDecryptedObject = { ...credentials, securityToken: '' };
			const sent = await send(ctx, data, request, secrets);
			if ('tokenFailure' in sent) {
				// The waiting requests fail with the same answer instead of asking again each.
				turn.release({ error: sent.tokenFailure });
				throw tokenError(ctx, sent.tokenFailure, secrets, itemIndex);
			}
			const token = String(data.securityToken ?? '');
			if (token) {
				const expiresAt = Number(data.securityTokenExpiresAt);
				session.set(token, expiresAt);
				credentials.securityToken = token;
				credentials.securityTokenExpiresAt = expiresAt;
			}
			handedOver = true;
			return { ...sent, token, turn };
		}
	} finally {
		// Never leave the others waiting for a request that failed before its answer was judged.
		if (!handedOver) turn?.release();
	}
}

/** Reads n8n's stored copy of the credential; true when it holds a usable token we may try. */
async function adoptStoredToken(
	ctx: ThinksuranceContext,
	credentials: ICredentialDataDecryptedObject,
	session: TokenSession,
	itemIndex: number | undefined,
): Promise<boolean> {
	let stored: ICredentialDataDecryptedObject;
	try {
		stored = await ctx.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE, itemIndex);
	} catch {
		// Only a shortcut: without the stored copy a new token is fetched as usual.
		return false;
	}
	session.adopt(stored.securityToken, stored.securityTokenExpiresAt);
	if (!session.usable()) return false;
	credentials.securityToken = session.token;
	credentials.securityTokenExpiresAt = session.expiresAt;
	return true;
}

/** One HTTP exchange. Network failures come back as a Failure; a failed token request throws. */
async function send(
	ctx: ThinksuranceContext,
	data: ICredentialDataDecryptedObject,
	request: IHttpRequestOptions,
	secrets: () => Array<string | undefined>,
): Promise<{ answer: Answer } | { failure: Failure } | { tokenFailure: Error }> {
	const node = ctx.getNode();
	const reference = node.credentials?.[CREDENTIAL_TYPE];
	const tokenBefore = data.securityToken;
	try {
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, { ...request }, {
			credentialsDecrypted: {
				id: reference?.id ?? '',
				name: reference?.name ?? '',
				type: CREDENTIAL_TYPE,
				data,
			},
		})) as IN8nHttpFullResponse;
		return {
			answer: { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body },
		};
	} catch (error) {
		// n8n fetches the token before sending: without one, the failure was the token request.
		if (tokenBefore === '' && !data.securityToken) return { tokenFailure: error as Error };
		return { failure: { kind: networkFailureKind(innermost(error)), reason: networkReason(error, secrets()) } };
	}
}

/**
 * Reads a streamed body: a success entry by entry (see jsonEntries), anything else as text.
 * A broken or cut-off stream becomes a failure of the answer, like a network error.
 */
async function readStreamedBody(sent: Sent, secrets: () => Array<string | undefined>, reader?: EntryReader): Promise<void> {
	if (!('answer' in sent)) return;
	const body = sent.answer.body as { [Symbol.asyncIterator]?: unknown } | undefined;
	if (!body || typeof body !== 'object' || typeof body[Symbol.asyncIterator] !== 'function') return;
	const stream = body as AsyncIterable<Buffer | string>;
	const status = sent.answer.statusCode;
	const contentType = String(sent.answer.headers['content-type'] ?? '');
	try {
		if (status >= 200 && status < 300 && !/html/i.test(contentType)) {
			sent.answer.body = await collectJson(stream, reader);
		} else {
			const chunks: Buffer[] = [];
			for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
			sent.answer.body = Buffer.concat(chunks).toString('utf8');
		}
	} catch (error) {
		const failure: Failure =
			error instanceof JsonStreamError
				? { kind: 'notJson', status, reason: error.message }
				: { kind: networkFailureKind(error), reason: networkReason(error, secrets()) };
		Object.assign(sent, { failure });
		delete (sent as { answer?: Answer }).answer;
	}
}

/** Decides whether an HTTP answer is a success, following the API's error conventions. */
function classifyAnswer(answer: Answer, secrets: () => Array<string | undefined>): Failure | undefined {
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
	const safeReason = reason === undefined ? undefined : redactText(reason, secrets());
	if (safeReason !== undefined && (status === 200 || status === 400 || status === 401 || status === 403) && isSessionReason(safeReason)) {
		return { kind: 'sessionInvalid', status, reason: safeReason };
	}
	if (status >= 200 && status < 300) {
		return safeReason === undefined ? undefined : { kind: 'apiError', status, reason: safeReason };
	}
	return statusFailure(status, safeReason, answer.headers);
}

/**
 * Whether a fresh token might help. Besides answers that say so, the API's wording for an
 * expired token is not documented: a bare 400, 401 or 403 without a reason is worth one retry
 * with a new token (a 400 means nothing was processed, so repeating even a write is safe).
 */
function mayBeSessionProblem(failure: Failure): boolean {
	if (failure.kind === 'sessionInvalid') return true;
	const status = failure.status ?? 0;
	return (status === 400 || status === 401 || status === 403) && !failure.reason;
}

function statusFailure(status: number, reason: string | undefined, headers: IDataObject): Failure {
	const retryAfterSeconds = parseRetryAfter(headers['retry-after']);
	if (status === 429) return { kind: 'rateLimited', status, reason, retryAfterSeconds };
	if (status >= 500) return { kind: 'serverError', status, reason, retryAfterSeconds };
	if (status === 404) return { kind: 'notFound', status, reason };
	if (status === 400) return reason ? { kind: 'apiError', status, reason } : { kind: 'badRequest', status };
	return { kind: reason ? 'apiError' : 'httpError', status, reason };
}

const NOT_JSON = Symbol('not JSON');

function parseJsonBody(body: unknown): unknown {
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

/** Milliseconds to wait before the next attempt, or undefined when waiting is pointless. */
function retryDelay(attempt: number, failure: Failure): number | undefined {
	if (failure.retryAfterSeconds !== undefined) {
		const ms = failure.retryAfterSeconds * 1000;
		return ms > MAX_RETRY_AFTER_MS ? undefined : Math.max(ms, 100);
	}
	return BACKOFF_MS[Math.min(attempt - 1, BACKOFF_MS.length - 1)];
}

function apiError(
	ctx: ThinksuranceContext,
	endpoint: string,
	failure: Failure,
	isWrite: boolean,
	attempts: number,
	itemIndex: number | undefined,
): NodeApiError {
	// Whatever failed (the API user refused, a wrong base URL …), the next delivery reads the credential anew.
	forgetReusedCredentials(ctx);
	const { message, description } = describeFailure(endpoint, failure, isWrite, attempts);
	const httpCode = failure.status === undefined ? undefined : String(failure.status);
	// Built from a plain object so no request URL (which holds the token) rides along as cause.
	const cause: JsonObject = { message, description, httpCode: httpCode ?? null };
	const error = new NodeApiError(ctx.getNode(), cause, { message, description, httpCode, itemIndex });
	error.context.failureKind = failure.kind;
	return error;
}

/** Whether an error from this module is worth another try later (server error, timeout …). */
export function isTransientApiError(error: unknown): boolean {
	const kind = (error as NodeApiError | undefined)?.context?.failureKind;
	return typeof kind === 'string' && isTransient({ kind: kind as Failure['kind'] });
}

function tokenError(
	ctx: ThinksuranceContext,
	error: Error,
	secrets: () => Array<string | undefined>,
	itemIndex: number | undefined,
): NodeApiError {
	forgetReusedCredentials(ctx);
	const raw = innermost(error);
	const text = redactText(String((raw as Error)?.message ?? error.message ?? 'unknown error'), secrets());
	const message = text.startsWith('Thinksurance') ? text : `Could not get a Thinksurance security token: ${text}`;
	const description =
		'Open the Thinksurance credential and check environment, API user hash and secret. The credential test shows the API\'s own answer.';
	return new NodeApiError(ctx.getNode(), { message, description } as JsonObject, { message, description, itemIndex });
}

/** The original error under n8n's wrappers. */
function innermost(error: unknown): unknown {
	let current = error;
	for (let depth = 0; depth < 5; depth++) {
		const cause = (current as { cause?: unknown })?.cause;
		if (!cause || typeof cause !== 'object') break;
		current = cause;
	}
	return current;
}

function networkReason(error: unknown, secrets: Array<string | undefined>): string {
	const raw = innermost(error) as { code?: unknown; message?: unknown };
	const text = typeof raw?.code === 'string' && raw.code ? raw.code : String(raw?.message ?? 'network error');
	return redactText(text, secrets);
}

function withDocumentToken(fileUrl: string, documentToken: string | undefined): string {
	if (!documentToken || fileUrl.includes(documentToken)) return fileUrl;
	const separator = fileUrl.includes('?') ? '&' : '?';
	return `${fileUrl}${separator}docToken=${encodeURIComponent(documentToken)}`;
}

function fileNameFromDisposition(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(value);
	if (star) {
		try {
			return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
		} catch {
			// Malformed percent-encoding: fall back to the plain filename parameter.
		}
	}
	const plain = /filename\s*=\s*("?)([^";]+)\1/i.exec(value);
	return plain ? plain[2].trim() : undefined;
}
