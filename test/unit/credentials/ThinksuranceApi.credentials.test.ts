import type { ICredentialDataDecryptedObject, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import {
	SECURITY_TOKEN_PLACEHOLDER,
	ThinksuranceApi,
	thinksuranceBaseUrl,
	tokenExpiry,
} from '../../../credentials/ThinksuranceApi.credentials';
import { clearKnownPaths } from '../../../nodes/shared/api';

const HASH = 'api-user-hash-0001';
const SECRET = 'api-user-secret-s3cr3t';

describe('thinksuranceBaseUrl', () => {
	test.each<[ICredentialDataDecryptedObject, string]>([
		[{ environment: 'production', apiVersion: 'v1' }, 'https://app.thinksurance.de'],
		[{ environment: 'test', apiVersion: 'v1' }, 'https://app.dev.thinksurance.de'],
		[{ environment: 'production' }, 'https://ipn.thinksurance.de'],
		[{ environment: 'production', apiVersion: 'v1.1' }, 'https://ipn.thinksurance.de'],
		[{ environment: 'test', apiVersion: 'v1.1' }, 'https://ipn.dev.thinksurance.de'],
		[{}, 'https://ipn.thinksurance.de'],
		[{ apiVersion: 'v1' }, 'https://app.thinksurance.de'],
		[{ environment: 'somethingOld', apiVersion: 'v1' }, 'https://app.thinksurance.de'],
		[{ environment: 'custom', baseUrl: 'http://localhost:8080' }, 'http://localhost:8080'],
		[{ environment: 'custom', apiVersion: 'v1', baseUrl: 'http://localhost:8080' }, 'http://localhost:8080'],
		[{ environment: 'custom', baseUrl: ' https://proxy.example.de/thinksurance/// ' }, 'https://proxy.example.de/thinksurance'],
		[{ environment: 'custom' }, ''],
		[{ environment: 'production', apiVersion: 'v1', baseUrl: 'http://ignored' }, 'https://app.thinksurance.de'],
	])('%j → %s', (credentials, url) => {
		expect(thinksuranceBaseUrl(credentials)).toBe(url);
	});
});

describe('tokenExpiry', () => {
	// 09:00:00 UTC = 10:00 in Berlin (CET, UTC+1) on 20 March 2025.
	const requestedAt = Date.UTC(2025, 2, 20, 9, 0, 0);
	const fallback = requestedAt + 15 * 60_000;

	test('reads "expired" as German winter time when that lands in the 15-minute window', () => {
		expect(tokenExpiry(requestedAt, '2025-03-20 10:15:00')).toBe(Date.UTC(2025, 2, 20, 9, 15, 0));
	});

	test('reads it as UTC when the API answers in UTC', () => {
		expect(tokenExpiry(requestedAt, '2025-03-20 09:14:30')).toBe(Date.UTC(2025, 2, 20, 9, 14, 30));
	});

	test('reads it as German summer time in summer', () => {
		const summer = Date.UTC(2025, 6, 1, 8, 0, 0); // 10:00 in Berlin (CEST, UTC+2)
		expect(tokenExpiry(summer, '2025-07-01 10:15:00')).toBe(Date.UTC(2025, 6, 1, 8, 15, 0));
		expect(tokenExpiry(summer, '2025-07-01T10:15:00')).toBe(Date.UTC(2025, 6, 1, 8, 15, 0));
	});

	test.each([
		['missing', undefined],
		['a number', 1742462100],
		['garbage', 'soon'],
		['another format', '20.03.2025 10:15'],
		['already past in every zone', '2025-03-20 06:00:00'],
		['too far ahead (would keep a dead token)', '2025-03-20 12:00:00'],
		['less than 2 minutes ahead in the only zone that fits', '2025-03-20 09:01:30'],
	])('falls back to 15 minutes when "expired" is %s', (_, expired) => {
		expect(tokenExpiry(requestedAt, expired)).toBe(fallback);
	});

	test('a 1-hour token read one hour off is not taken as expiring now (issued in the second after the request)', () => {
		// The cause of a flaky fault-matrix cell: the stand-in (UTC, 1-hour tokens) answered 15 ms
		// after a request sent at …:00.990; read as German winter time, "expired" named the
		// issuing second itself, 10 ms after the request, so the next request fetched a new token.
		const at = Date.UTC(2026, 11, 1, 23, 0, 0, 990);
		expect(tokenExpiry(at, '2026-12-02 00:00:01')).toBe(at + 15 * 60_000);
	});
});

describe('authenticate', () => {
	const credential = new ThinksuranceApi();
	const credentials = { securityToken: 'tok/en+1', hash: HASH, secret: SECRET };

	test('fills the URL placeholder with the URL-encoded token', async () => {
		const request: IHttpRequestOptions = { url: `https://x/api/broker/fwd/${SECURITY_TOKEN_PLACEHOLDER}`, method: 'POST', body: { a: 1 } };
		const out = await credential.authenticate(credentials, request);
		expect(out.url).toBe('https://x/api/broker/fwd/tok%2Fen%2B1');
		expect(out.body).toEqual({ a: 1 });
	});

	test('fills a body token placeholder (Get Inquiry) with the raw token', async () => {
		const request: IHttpRequestOptions = { url: 'https://x/api/ipn/inquiry/1', method: 'POST', body: { aToken: 'a', token: SECURITY_TOKEN_PLACEHOLDER } };
		const out = await credential.authenticate(credentials, request);
		expect(out.url).toBe('https://x/api/ipn/inquiry/1');
		expect(out.body).toEqual({ aToken: 'a', token: 'tok/en+1' });
	});

	test('fills the Bearer placeholder of Get Inquiry\'s Authorization header with the raw token, other headers kept', async () => {
		const request: IHttpRequestOptions = {
			url: 'https://x/api/ipn/inquiry/1',
			method: 'POST',
			headers: { Accept: 'application/json', Authorization: `Bearer ${SECURITY_TOKEN_PLACEHOLDER}` },
			body: { aToken: 'a', token: SECURITY_TOKEN_PLACEHOLDER },
		};
		const out = await credential.authenticate(credentials, request);
		expect(out.headers).toEqual({ Accept: 'application/json', Authorization: 'Bearer tok/en+1' });
		expect(out.body).toEqual({ aToken: 'a', token: 'tok/en+1' });
		expect(request.headers?.Authorization).toBe(`Bearer ${SECURITY_TOKEN_PLACEHOLDER}`);
	});

	test('leaves the caller\'s request untouched (it is reused for retries)', async () => {
		const body = { token: SECURITY_TOKEN_PLACEHOLDER };
		const request: IHttpRequestOptions = { url: `https://x/api/account-ipn/get/${SECURITY_TOKEN_PLACEHOLDER}`, method: 'POST', body };
		await credential.authenticate(credentials, request);
		expect(request.url).toContain(SECURITY_TOKEN_PLACEHOLDER);
		expect(body.token).toBe(SECURITY_TOKEN_PLACEHOLDER);
	});

	test('does not touch requests without placeholder (document downloads, other tokens)', async () => {
		const request: IHttpRequestOptions = {
			url: 'https://files/doc?docToken=d',
			method: 'GET',
			headers: { Authorization: 'Bearer someone-elses' },
			body: { token: 'someone-elses' },
		};
		const out = await credential.authenticate(credentials, request);
		expect(out.url).toBe('https://files/doc?docToken=d');
		expect(out.headers).toEqual({ Authorization: 'Bearer someone-elses' });
		expect(out.body).toEqual({ token: 'someone-elses' });
	});
});

describe('preAuthentication', () => {
	const credential = new ThinksuranceApi();
	const base: ICredentialDataDecryptedObject = { environment: 'test', apiVersion: 'v1', hash: HASH, secret: SECRET };

	function helper(answer: () => Promise<unknown>) {
		const httpRequest = jest.fn<Promise<unknown>, [IHttpRequestOptions]>(answer);
		const ctx = { helpers: { httpRequest } } as unknown as IHttpRequestHelper;
		return { ctx, httpRequest };
	}

	async function refusal(ctx: IHttpRequestHelper, credentials = base): Promise<Error> {
		try {
			await credential.preAuthentication.call(ctx, credentials);
		} catch (error) {
			return error as Error;
		}
		throw new Error('expected preAuthentication to fail');
	}

	beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2025, 2, 20, 9, 0, 0) }));
	afterEach(() => jest.useRealTimers());

	test('posts hash and secret to /api/token of the environment and returns token and expiry', async () => {
		const { ctx, httpRequest } = helper(async () => ({ token: 'fresh-token', expired: '2025-03-20 10:15:00' }));
		const result = await credential.preAuthentication.call(ctx, base);
		expect(result).toEqual({ securityToken: 'fresh-token', securityTokenExpiresAt: Date.UTC(2025, 2, 20, 9, 15, 0) });
		expect(httpRequest).toHaveBeenCalledTimes(1);
		const [request] = httpRequest.mock.calls[0];
		expect(request).toMatchObject({
			method: 'POST',
			url: 'https://app.dev.thinksurance.de/api/token',
			body: { hash: HASH, secret: SECRET },
			json: true,
		});
		expect(request.headers).toMatchObject({ Accept: 'application/json', 'Content-Type': 'application/json' });
	});

	test('custom base URL', async () => {
		const { ctx, httpRequest } = helper(async () => ({ token: 't' }));
		await credential.preAuthentication.call(ctx, { ...base, environment: 'custom', baseUrl: 'http://localhost:9/' });
		expect(httpRequest.mock.calls[0][0].url).toBe('http://localhost:9/api/token');
	});

	test('without "expired" the token is kept for the documented 15 minutes', async () => {
		const { ctx } = helper(async () => ({ token: 't' }));
		const result = await credential.preAuthentication.call(ctx, base);
		expect(result.securityTokenExpiresAt).toBe(Date.UTC(2025, 2, 20, 9, 15, 0));
	});

	test('HTTP 200 with an error body fails with the API\'s own message', async () => {
		const { ctx } = helper(async () => ({ error: 'API User is not existing or deactivated.' }));
		const error = await refusal(ctx);
		expect(error.message).toContain('API User is not existing or deactivated.');
		expect(error.message).toMatch(/Check hash, secret and environment/);
	});

	test('HTTP 400/404 with an error body fails with the API\'s own message', async () => {
		const { ctx } = helper(async () => {
			throw Object.assign(new Error(`Request failed: POST https://app.dev.thinksurance.de/api/token {"hash":"${HASH}","secret":"${SECRET}"}`), {
				response: { status: 400, data: { error: 'Invalid credentials' } },
			});
		});
		const error = await refusal(ctx);
		expect(error.message).toContain('Invalid credentials');
		expect(error.message).not.toContain(SECRET);
		expect(error.message).not.toContain(HASH);
	});

	test('an error object with a message is read too', async () => {
		const { ctx } = helper(async () => ({ error: { message: 'User locked' } }));
		expect((await refusal(ctx)).message).toContain('User locked');
	});

	test('HTTP error without body names the status; no answer says so', async () => {
		const status = helper(async () => {
			throw Object.assign(new Error('x'), { response: { status: 503, data: '<html>' } });
		});
		expect((await refusal(status.ctx)).message).toContain('HTTP 503');
		const none = helper(async () => {
			throw Object.assign(new Error(`connect ECONNREFUSED secret=${SECRET}`), { code: 'ECONNREFUSED' });
		});
		const error = await refusal(none.ctx);
		expect(error.message).toContain('no answer');
		expect(error.message).not.toContain(SECRET);
	});

	test.each([{}, { token: '' }, { token: 5 }, null, 'ok'])('an answer without a token (%j) fails clearly', async (answer) => {
		const { ctx } = helper(async () => answer);
		expect((await refusal(ctx)).message).toMatch(/without a token/);
	});
});

describe('credential description', () => {
	const credential = new ThinksuranceApi();

	test('hidden token fields: expirable, kept secret', () => {
		const token = credential.properties.find((property) => property.name === 'securityToken');
		expect(token?.type).toBe('hidden');
		expect(token?.typeOptions).toMatchObject({ expirable: true, password: true });
	});

	test('the credential test calls the account list of the chosen dialect, which needs the security token', () => {
		// V1: the token in the path (POST); V1.1: GET /api/ipn/account/tokens with the Bearer header.
		expect(credential.test.request.url).toContain(`/api/account/get/tokens/${SECURITY_TOKEN_PLACEHOLDER}`);
		expect(credential.test.request.url).toContain('/api/ipn/account/tokens');
		expect(credential.test.request.method).toContain('"v1" ? "POST" : "GET"');
		expect(credential.test.request.headers).toMatchObject({ Authorization: `Bearer ${SECURITY_TOKEN_PLACEHOLDER}` });
	});

	test('API Version: V1.1 is the default, V1 the outdated choice; Account Tag is optional', () => {
		const apiVersion = credential.properties.find((property) => property.name === 'apiVersion');
		expect(apiVersion?.default).toBe('v1.1');
		expect(apiVersion?.options?.map((option) => (option as { value: string }).value)).toEqual(['v1.1', 'v1']);
		const accountTag = credential.properties.find((property) => property.name === 'accountTag');
		expect(accountTag).toMatchObject({ type: 'string', default: '' });
	});
});

describe('preAuthentication in V1.1', () => {
	const credential = new ThinksuranceApi();
	// The token path that answered is remembered per host; each test starts without.
	beforeEach(() => clearKnownPaths());
	const v11: ICredentialDataDecryptedObject = { environment: 'test', apiVersion: 'v1.1', hash: HASH, secret: SECRET };
	const notFound = () => Object.assign(new Error('404'), { response: { status: 404, data: '<html>Not Found</html>' } });
	const refused = () => Object.assign(new Error('400'), { response: { status: 400, data: { error: 'API User is not existing or deactivated.' } } });

	function routed(routes: Record<string, () => unknown>) {
		const httpRequest = jest.fn(async (request: IHttpRequestOptions) => {
			const route = routes[request.url];
			if (!route) throw notFound();
			const answer = route();
			if (answer instanceof Error) throw answer;
			return answer;
		});
		return { ctx: { helpers: { httpRequest } } as unknown as IHttpRequestHelper, httpRequest };
	}

	async function refusal(ctx: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<Error> {
		try {
			await credential.preAuthentication.call(ctx, credentials);
		} catch (error) {
			return error as Error;
		}
		throw new Error('expected preAuthentication to fail');
	}

	test('asks /api/token on the V1.1 host of the environment, one request', async () => {
		const { ctx, httpRequest } = routed({ 'https://ipn.dev.thinksurance.de/api/token': () => ({ token: 'v11-token' }) });
		expect((await credential.preAuthentication.call(ctx, v11)).securityToken).toBe('v11-token');
		expect(httpRequest).toHaveBeenCalledTimes(1);
	});

	test('falls back to /api/ipn/tokens where /api/token is not found', async () => {
		const { ctx, httpRequest } = routed({ 'https://ipn.dev.thinksurance.de/api/ipn/tokens': () => ({ token: 'ipn-token' }) });
		expect((await credential.preAuthentication.call(ctx, v11)).securityToken).toBe('ipn-token');
		expect(httpRequest.mock.calls.map(([request]) => request.url)).toEqual([
			'https://ipn.dev.thinksurance.de/api/token',
			'https://ipn.dev.thinksurance.de/api/ipn/tokens',
		]);
	});

	test('the path that answered is asked first at the next refresh', async () => {
		const { ctx, httpRequest } = routed({ 'https://ipn.dev.thinksurance.de/api/ipn/tokens': () => ({ token: 'ipn-token' }) });
		await credential.preAuthentication.call(ctx, v11);
		await credential.preAuthentication.call(ctx, v11);
		expect(httpRequest.mock.calls.map(([request]) => request.url)).toEqual([
			'https://ipn.dev.thinksurance.de/api/token',
			'https://ipn.dev.thinksurance.de/api/ipn/tokens',
			'https://ipn.dev.thinksurance.de/api/ipn/tokens',
		]);
	});

	test('a refusal with an API error is final for that host: no fallback path', async () => {
		const { ctx, httpRequest } = routed({ 'https://ipn.dev.thinksurance.de/api/token': refused, 'https://app.dev.thinksurance.de/api/token': refused });
		const error = await refusal(ctx, v11);
		expect(error.message).toContain('API User is not existing or deactivated.');
		expect(httpRequest.mock.calls.map(([request]) => request.url)).not.toContain('https://ipn.dev.thinksurance.de/api/ipn/tokens');
	});

	test('refused in V1.1 but accepted in V1: the message says so and names the setting', async () => {
		const { ctx } = routed({ 'https://ipn.dev.thinksurance.de/api/token': refused, 'https://app.dev.thinksurance.de/api/token': () => ({ token: 'v1-token' }) });
		const error = await refusal(ctx, v11);
		expect(error.message).toMatch(/refused the API user with API Version V1\.1 .*accepts it with V1 \(Outdated\).*set API Version to V1 \(Outdated\)/);
		expect(error.message).not.toContain(SECRET);
	});

	test('refused in V1 but accepted in V1.1: the message names V1.1', async () => {
		const { ctx } = routed({ 'https://app.dev.thinksurance.de/api/token': refused, 'https://ipn.dev.thinksurance.de/api/token': () => ({ token: 't' }) });
		const error = await refusal(ctx, { ...v11, apiVersion: 'v1' });
		expect(error.message).toMatch(/set API Version to V1\.1/);
	});

	test('a custom base URL serves both dialects: a refusal is not probed again', async () => {
		const { ctx, httpRequest } = routed({ 'http://localhost:9/api/token': refused });
		const error = await refusal(ctx, { ...v11, environment: 'custom', baseUrl: 'http://localhost:9' });
		expect(error.message).toMatch(/Check hash, secret and environment/);
		expect(httpRequest).toHaveBeenCalledTimes(1);
	});
});

