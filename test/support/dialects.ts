/**
 * Both request dialects for engine tests: where each one sends a call (V1: token in the path,
 * account/broker in the body; V1.1: Bearer header, X-Account-Token / X-Broker-Token, GET with a
 * query), and a mock whose responders see what a request asked for in the user's words, so one
 * test body serves both dialects. Paths and shapes as in ../shared/thinksurance-api.md.
 */
import { ApiMock, BASE_URL, SECURITY_TOKEN, credentialData, type Answer, type RecordedCall } from './api-mock';

import type { Actor, ApiCall } from '../../nodes/shared/api/dialects';
import type { ApiVersion } from '../../nodes/shared/api/hosts';

// The package's own names for dialects, calls and actors: a call added there is known here too.
export type Dialect = ApiVersion;
export const BOTH_DIALECTS: Dialect[] = ['v1', 'v1.1'];

export type DialectCall = ApiCall;
export type DialectActor = Actor;

interface Route {
	method: 'POST' | 'GET' | 'DELETE';
	path: RegExp;
}

const post = (path: string): Route => ({ method: 'POST', path: new RegExp(`^${path.replace('{token}', '[^/?]+').replace('{id}', '\\d+')}$`) });
const get = (path: string): Route => ({ method: 'GET', path: new RegExp(`^${path}$`) });
const del = (path: string): Route => ({ method: 'DELETE', path: new RegExp(`^${path}$`) });

export const ROUTES: Record<Dialect, Record<DialectCall, Partial<Record<DialectActor, Route>>>> = {
	v1: {
		accountTokens: { none: post('/api/account/get/tokens/{token}') },
		brokerToken: { account: post('/api/broker/get/{token}') },
		brokerCreate: { account: post('/api/broker/set/{token}') },
		brokerForward: { broker: post('/api/broker/fwd/{token}') },
		inquirySearch: { account: post('/api/account-ipn/get/{token}'), broker: post('/api/ipn/get/{token}') },
		inquiryGet: { account: post('/api/ipn/inquiry/{id}'), broker: post('/api/ipn/inquiry/{id}') },
		agencyNumbersAdd: { account: post('/api/account/set/anums/{token}'), broker: post('/api/broker/set/anums/{token}') },
		agencyNumbersDelete: { account: post('/api/account/delete/anums/{token}') },
		agencyNumbersGet: { account: post('/api/account/get/anums/{token}') },
		products: { none: post('/api/products') },
		professions: { none: post('/api/professions') },
	},
	'v1.1': {
		accountTokens: { none: get('/api/ipn/account/tokens') },
		brokerCreate: { account: post('/api/ipn/brokers') },
		brokerForward: { broker: post('/api/ipn/brokers/forward') },
		inquirySearch: { account: get('/api/ipn/inquiries'), broker: get('/api/ipn/inquiries') },
		inquiryGet: { account: get('/api/ipn/inquiries'), broker: get('/api/ipn/inquiries') },
		brokerToken: { account: post('/api/ipn/brokers/tokens') },
		agencyNumbersAdd: { account: post('/api/ipn/agency-numbers'), broker: post('/api/ipn/agency-numbers') },
		agencyNumbersDelete: { account: del('/api/ipn/agency-numbers'), broker: del('/api/ipn/agency-numbers') },
		// Only V1 publishes this read: a V1.1 credential makes the V1 call (the known exception).
		agencyNumbersGet: { account: post('/api/account/get/anums/{token}') },
		products: { none: get('/api/ipn/products') },
		professions: { none: get('/api/ipn/professions') },
	},
};

/** The dialect a call is made in with a credential of `dialect` (a call only V1 has is made in V1). */
function madeIn(dialect: Dialect, call: DialectCall): Dialect {
	return call === 'agencyNumbersGet' ? 'v1' : dialect;
}

/** What a request asked for, whichever dialect carried it. */
export interface Asked {
	account?: string;
	broker?: string;
	/** The security token it was sent with (path, body `token` or Bearer header). */
	token?: string;
	/** The inquiry ID of Get Inquiry (V1 path, V1.1 query `inquiryId`). */
	id?: string;
	/** Parameters (`lastDays`, `inquiryId` …) with the V1 spelling `iId` read as `inquiryId`; numeric text as numbers. */
	params: Record<string, unknown>;
	/** The JSON body without the account, broker and security token. */
	body: Record<string, unknown>;
	/** The request as sent: path with query, parsed body, headers (for answers that echo it). */
	uri: string;
	raw: unknown;
	headers: Record<string, unknown>;
}

export type DialectResponder = (asked: Asked, index: number) => Answer | string;

function numeric(value: unknown): unknown {
	return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
}

/** Reads a recorded or intercepted request in the user's words. */
export function asked(dialect: Dialect, call: DialectCall, uri: string, rawBody: unknown, headers: Record<string, unknown>): Asked {
	const [path, search = ''] = uri.split('?');
	const body = { ...((rawBody && typeof rawBody === 'object' ? rawBody : {}) as Record<string, unknown>) };
	const params: Record<string, unknown> = {};
	const result: Asked = { params, body, uri, raw: rawBody, headers };
	if (madeIn(dialect, call) === 'v1') {
		result.account = body.aToken as string | undefined;
		result.broker = body.bToken as string | undefined;
		result.token = typeof body.token === 'string' ? body.token : /\/ipn\/inquiry\/|\/api\/(products|professions)$/.test(path) ? undefined : decodeURIComponent(path.split('/').pop() ?? '');
		if (call === 'inquiryGet') result.id = path.split('/').pop();
		delete body.aToken;
		delete body.bToken;
		delete body.token;
		if (call === 'inquirySearch' || call === 'products') {
			for (const [name, value] of Object.entries(body)) params[name === 'iId' ? 'inquiryId' : name] = numeric(value);
			for (const name of Object.keys(body)) delete body[name];
		}
	} else {
		result.account = headers['x-account-token'] as string | undefined;
		result.broker = headers['x-broker-token'] as string | undefined;
		const bearer = /^Bearer (.+)$/.exec(String(headers.authorization ?? ''));
		result.token = bearer?.[1];
		for (const [name, value] of new URLSearchParams(search)) params[name] = numeric(value);
		if (call === 'inquiryGet') {
			result.id = params.inquiryId === undefined ? undefined : String(params.inquiryId);
			delete params.inquiryId;
		}
	}
	return result;
}

/** Whether an answer body is one inquiry item (V1 Get Inquiry's shape). */
function isInquiryItem(body: unknown): body is Record<string, unknown> {
	return !!body && typeof body === 'object' && !Array.isArray(body) && ('data' in body || 'customer' in body || 'docs' in body);
}

/**
 * A mock that answers each call in its dialect. Responders give the V1 shape of an answer;
 * for V1.1 Get Inquiry an inquiry item is sent keyed by its ID, as the V1.1 search answers.
 */
export class DialectMock {
	readonly api: ApiMock;

	constructor(
		readonly dialect: Dialect,
		baseUrl = BASE_URL,
	) {
		this.api = new ApiMock(baseUrl);
	}

	/** The dialect's token call (V1.1: /api/token on its host, as V1). */
	token(token = SECURITY_TOKEN, times = 1): this {
		this.api.token(token, times);
		return this;
	}

	on(call: DialectCall, times: number, respond: DialectResponder | string, actor?: DialectActor): this {
		const routes = ROUTES[this.dialect][call];
		const route = (actor ? routes[actor] : Object.values(routes)[0]) as Route;
		const decide: DialectResponder = typeof respond === 'string' ? () => respond : respond;
		this.api.on(route.method, route.path, times, (body, uri, index, headers) => {
			const request = asked(this.dialect, call, uri, body, headers ?? {});
			const answer = decide(request, index);
			if (typeof answer === 'string' || this.dialect === 'v1' || call !== 'inquiryGet' || !isInquiryItem(answer.body) || (answer.status ?? 200) !== 200) return answer;
			return { ...answer, body: { [request.id ?? '']: answer.body } };
		});
		return this;
	}

	get calls(): RecordedCall[] {
		return this.api.calls;
	}

	/** What the recorded requests of `call` asked for, in the user's words. */
	askedFor(call: DialectCall): Asked[] {
		const routes = Object.values(ROUTES[this.dialect][call]) as Route[];
		return this.api.apiCalls
			.filter((recorded) => routes.some((route) => route.method === recorded.method && route.path.test(recorded.path.split('?')[0])))
			.map((recorded) => asked(this.dialect, call, recorded.path, recorded.body, recorded.headers));
	}

	get apiCalls(): RecordedCall[] {
		return this.api.apiCalls;
	}

	get tokenCalls(): RecordedCall[] {
		return this.api.tokenCalls;
	}

	/** Every request as `METHOD path`, the security token in a path shown as `{token}`. */
	requests(securityTokens: string[] = [SECURITY_TOKEN]): string[] {
		return this.api.calls.map((call) => requestLine(call, securityTokens));
	}
}

export function requestLine(call: RecordedCall, securityTokens: string[] = [SECURITY_TOKEN]): string {
	let path = call.path;
	for (const token of securityTokens) path = path.split(encodeURIComponent(token)).join('{token}');
	return `${call.method} ${path}`;
}

/** A credential of `dialect` (custom base URL, the test hash and secret). */
export function dialectCredential(dialect: Dialect, overrides: Record<string, string | number> = {}): Record<string, string | number> {
	return credentialData({ apiVersion: dialect, ...overrides });
}
