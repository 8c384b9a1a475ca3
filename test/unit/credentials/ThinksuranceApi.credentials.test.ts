import type { ICredentialDataDecryptedObject, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import {
	SECURITY_TOKEN_PLACEHOLDER,
	ThinksuranceApi,
	thinksuranceBaseUrl,
	tokenExpiry,
} from '../../../credentials/ThinksuranceApi.credentials';

const HASH = 'api-user-hash-0001';
const SECRET = 'api-user-secret-s3cr3t';

describe('thinksuranceBaseUrl', () => {
	test.each<[ICredentialDataDecryptedObject, string]>([
		[{ environment: 'production' }, 'https://app.thinksurance.de'],
		[{ environment: 'test' }, 'https://app.dev.thinksurance.de'],
		[{}, 'https://app.thinksurance.de'],
		[{ environment: 'somethingOld' }, 'https://app.thinksurance.de'],
		[{ environment: 'custom', baseUrl: 'http://localhost:8080' }, 'http://localhost:8080'],
		[{ environment: 'custom', baseUrl: ' https://proxy.example.de/thinksurance/// ' }, 'https://proxy.example.de/thinksurance'],
		[{ environment: 'custom' }, ''],
		[{ environment: 'production', baseUrl: 'http://ignored' }, 'https://app.thinksurance.de'],
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
	const base: ICredentialDataDecryptedObject = { environment: 'test', hash: HASH, secret: SECRET };

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

	test('the credential test calls an endpoint that needs the security token', () => {
		expect(credential.test.request.url).toContain(SECURITY_TOKEN_PLACEHOLDER);
		expect(credential.test.request.method).toBe('POST');
	});
});
