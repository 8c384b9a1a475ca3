/**
 * nock helpers for the Thinksurance API: one scope per host that records every request
 * (method, path, parsed JSON body), the token endpoint, and the per-test hygiene
 * (no real network, every declared answer consumed, no token cached across tests).
 */
import { readFileSync } from 'fs';
import nock from 'nock';
import { join } from 'path';

import { clearKnownPaths, clearReusedCredentials, clearSessions } from '../../nodes/shared/api';
import { clearProcessMemory } from '../../nodes/ThinksuranceTrigger/trigger/dedup';
import { clearRegistrations } from '../../nodes/ThinksuranceTrigger/trigger/registrations';

export const BASE_URL = 'https://api.thinksurance.test';
export const PRODUCTION_URL = 'https://app.thinksurance.de';

/** Credential values that must never show up in what a user sees. */
export const API_HASH = 'apiuserhash-5c1f0e77a2';
export const API_SECRET = 'apiuser-secret-Q9x!7mZ';
export const SECURITY_TOKEN = 'sectok-4b7e2d9a1f0c8e3b6a5d';
export const SECOND_SECURITY_TOKEN = 'sectok-second-77aa11bb22cc';
export const ACCOUNT_TOKEN = 'atok-acc-1234567890';
export const BROKER_TOKEN = 'btok-broker-abcdef12';
export const DOC_TOKEN = 'doctok-9f8e7d6c5b';

export const TOKEN_INVALID = 'Security token is invalid or expired.';
export const API_USER_INVALID = 'API User is not existing or deactivated.';

export function credentialData(overrides: Record<string, string | number> = {}): Record<string, string | number> {
	// The 1.0 suites speak V1; V1.1 suites pass apiVersion: 'v1.1'.
	return { environment: 'custom', baseUrl: BASE_URL, apiVersion: 'v1', hash: API_HASH, secret: API_SECRET, accountToken: '', ...overrides };
}

export interface RecordedCall {
	method: string;
	path: string;
	body: unknown;
	headers: Record<string, unknown>;
}

function parseBody(body: unknown): unknown {
	if (Buffer.isBuffer(body)) body = body.toString('utf8');
	if (typeof body !== 'string' || body === '') return body === '' ? undefined : body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}

/** "YYYY-MM-DD hh:mm:ss" in UTC, as the token endpoint formats `expired`. */
export function apiDateTime(at: number): string {
	return new Date(at).toISOString().slice(0, 19).replace('T', ' ');
}

export interface Answer {
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	/** Answer only after this many milliseconds (the request counts as in flight meanwhile). */
	delayMs?: number;
}

/**
 * Decides an answer from the parsed request body (and, for V1.1, its headers: the account or
 * broker travels as X-Account-Token / X-Broker-Token); a string names an answer in errors.json.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Responder = (body: any, uri: string, index: number, headers?: Record<string, unknown>) => Answer | string;

export class ApiMock {
	readonly scope: nock.Scope;

	readonly calls: RecordedCall[] = [];

	constructor(readonly baseUrl = BASE_URL) {
		this.scope = nock(baseUrl);
		this.scope.on('request', (req: { method?: string; path?: string; headers?: Record<string, unknown>; getHeaders?: () => Record<string, unknown> }, _interceptor: unknown, body: unknown) => {
			this.calls.push({
				method: String(req.method ?? ''),
				path: String(req.path ?? ''),
				body: parseBody(body),
				headers: req.headers ?? req.getHeaders?.() ?? {},
			});
		});
	}

	/**
	 * The token endpoint, answering `times` times with `token` (checks hash and secret); `path`
	 * `/api/ipn/tokens` is V1.1's fallback.
	 */
	token(token = SECURITY_TOKEN, times = 1, path = '/api/token'): this {
		this.scope
			.post(path, { hash: API_HASH, secret: API_SECRET })
			.times(times)
			.reply(200, { token, expired: apiDateTime(Date.now() + 15 * 60_000) });
		return this;
	}

	/**
	 * Answers `times` requests to `path` with what `respond` decides from the parsed request
	 * body (an error fixture name, or status/body/headers, optionally delayed). Lets parallel
	 * requests get the answer meant for their item, whatever order they arrive in.
	 */
	on(method: 'POST' | 'GET' | 'DELETE', path: string | RegExp, times: number, respond: Responder | string): this {
		let index = 0;
		const decide: Responder = typeof respond === 'string' ? () => respond : respond;
		const interceptor = this.scope.intercept(path, method);
		// V1.1 reads carry a query: a path without one matches any query (the responder sees the whole URI).
		const namesQuery = typeof path === 'string' ? path.includes('?') : path.source.includes('\\?');
		if (method !== 'POST' && !namesQuery) interceptor.query(true);
		interceptor
			.times(times)
			.reply(function (this: nock.ReplyFnContext, uri: string, requestBody: unknown, callback: (error: Error | null, result: [number, string, Record<string, string>]) => void) {
				const decided = decide(parseBody(requestBody), uri, index++, this.req.headers);
				const answer: Answer = typeof decided === 'string' ? errorAnswer(decided) : decided;
				const body = answer.body === undefined ? {} : answer.body;
				const result: [number, string, Record<string, string>] = [
					answer.status ?? 200,
					typeof body === 'string' ? body : JSON.stringify(body),
					answer.headers ?? { 'Content-Type': 'application/json' },
				];
				if (answer.delayMs) setTimeout(() => callback(null, result), answer.delayMs);
				else callback(null, result);
			});
		return this;
	}

	/** Calls whose path starts with `prefix` (query strings included in the path). */
	callsTo(prefix: string): RecordedCall[] {
		return this.calls.filter((call) => call.path.startsWith(prefix));
	}

	/** Token requests, on either path (V1.1 falls back to /api/ipn/tokens). */
	get tokenCalls(): RecordedCall[] {
		return this.calls.filter(isTokenCall);
	}

	/** Every call except the token requests. */
	get apiCalls(): RecordedCall[] {
		return this.calls.filter((call) => !isTokenCall(call));
	}
}

function isTokenCall(call: RecordedCall): boolean {
	return call.path.startsWith('/api/token') || call.path.startsWith('/api/ipn/tokens');
}

/** beforeEach/afterEach for every engine test file. */
export function useApiHygiene(): void {
	beforeEach(() => {
		nock.cleanAll();
		nock.disableNetConnect();
		clearSessions();
		clearKnownPaths();
		clearReusedCredentials();
		clearProcessMemory();
		clearRegistrations();
	});
	afterEach(() => {
		const pending = nock.pendingMocks();
		const done = nock.isDone();
		nock.cleanAll();
		// Every declared answer must have been asked for: a missing request is a bug too.
		expect(pending).toEqual([]);
		expect(done).toBe(true);
	});
	afterAll(() => {
		nock.enableNetConnect();
	});
}

/**
 * Asserts that no secret shows up anywhere a user could see it: the output items of the
 * nodes under test, their errors (message, description, cause, context, stack …) and the
 * workflow error. Pass a RunResult, or any value to check as a whole.
 */
export function expectNoSecrets(subject: unknown, secrets: string[]): void {
	const text = stringifyDeep(visiblePart(subject));
	for (const secret of secrets) {
		expect({ secret, found: text.includes(secret) || text.includes(encodeURIComponent(secret)) }).toEqual({ secret, found: false });
	}
}

/**
 * What a run shows a user. The source node's items (test input) and the `node` definition
 * errors carry (the user's own parameters, e.g. an account token typed into the node) are
 * configuration, not output.
 */
function visiblePart(subject: unknown): unknown {
	const result = subject as {
		nodes?: Record<string, { items: unknown; outputs: unknown; error?: unknown }>;
		error?: unknown;
	};
	if (!result || typeof result !== 'object' || !result.nodes) return subject;
	const nodes = Object.entries(result.nodes)
		.filter(([name]) => name !== 'Items')
		.map(([name, node]) => ({ name, outputs: node.outputs, error: node.error }));
	return { nodes, error: result.error };
}

/** JSON text of a value including the non-enumerable parts of errors (message, stack, cause …). */
export function stringifyDeep(value: unknown): string {
	const seen = new WeakSet<object>();
	const expand = (current: unknown, depth: number): unknown => {
		if (depth > 12) return '[deep]';
		if (typeof current === 'bigint' || typeof current === 'symbol' || typeof current === 'function') return String(current);
		if (!current || typeof current !== 'object') return current;
		if (Buffer.isBuffer(current)) return current.toString('utf8');
		if (seen.has(current)) return '[circular]';
		seen.add(current);
		if (Array.isArray(current)) return current.map((entry) => expand(entry, depth + 1));
		const result: Record<string, unknown> = {};
		const names = new Set<string>([...Object.keys(current), ...Object.getOwnPropertyNames(current)]);
		if (current instanceof Error) for (const name of ['message', 'description', 'cause', 'context', 'stack', 'messages']) names.add(name);
		for (const name of names) {
			// Errors carry the node definition and sometimes the workflow: configuration, not output.
			if (name === 'workflow' || name === 'node') continue;
			try {
				result[name] = expand((current as Record<string, unknown>)[name], depth + 1);
			} catch {
				result[name] = '[unreadable]';
			}
		}
		return result;
	};
	return JSON.stringify(expand(value, 0));
}

const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'thinksurance');

/** An API answer from test/fixtures/thinksurance/<name>.json, freshly parsed (safe to change). */
export function apiFixture<T = object>(name: string): T {
	return JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.json`), 'utf8')) as T;
}

export interface ErrorAnswer {
	status: number;
	body: string | Record<string, unknown>;
	headers?: Record<string, string>;
}

/** A failure answer from test/fixtures/thinksurance/errors.json. */
export function errorAnswer(name: string): ErrorAnswer {
	const answers = apiFixture<Record<string, ErrorAnswer>>('errors');
	const answer = answers[name];
	if (!answer) throw new Error(`No error answer "${name}" in errors.json`);
	return answer;
}

/** Lets an interceptor answer with an error fixture. */
export function replyError(interceptor: nock.Interceptor, name: string): nock.Scope {
	const { status, body, headers } = errorAnswer(name);
	return interceptor.reply(status, body, headers ?? { 'Content-Type': 'application/json' });
}
