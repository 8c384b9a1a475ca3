import fc from 'fast-check';

import { redactText } from '../../../../../nodes/shared/api/redact';

const TOKEN = '3f9a1c0e5b7d4a2f8e6c1b0a9d8e7f6a5b4c3d2e1f0a9b8c';

describe('security token in URL paths', () => {
	test.each([
		'/api/broker/fwd/',
		'/api/broker/set/',
		'/api/account/get/tokens/',
		'/api/account-ipn/get/',
		'/API/Broker/Fwd/',
		// Every other V1 path with the token in it.
		'/api/broker/get/',
		'/api/ipn/get/',
		'/api/account/get/anums/',
		'/api/account/set/anums/',
		'/api/account/delete/anums/',
		'/api/broker/set/anums/',
	])('%s<token> keeps the endpoint, loses the token', (path) => {
		const text = `Request failed: POST https://app.thinksurance.de${path}${TOKEN} returned 500`;
		const out = redactText(text);
		expect(out).not.toContain(TOKEN);
		expect(out).toContain(`https://app.thinksurance.de${path}[redacted] returned 500`);
	});

	test('a query string or fragment after the token survives', () => {
		expect(redactText(`/api/account-ipn/get/${TOKEN}?x=1`)).toBe('/api/account-ipn/get/[redacted]?x=1');
		expect(redactText(`"/api/broker/fwd/${TOKEN}"`)).toBe('"/api/broker/fwd/[redacted]"');
	});

	test('several URLs in one text are all scrubbed', () => {
		const out = redactText(`a /api/broker/fwd/${TOKEN} b /api/account/get/tokens/${TOKEN.slice(5)} c`);
		expect(out).toBe('a /api/broker/fwd/[redacted] b /api/account/get/tokens/[redacted] c');
	});

	test('V1.1 paths carry no token and stay readable', () => {
		expect(redactText('GET /api/ipn/inquiries?inquiryId=1878887 failed')).toBe('GET /api/ipn/inquiries?inquiryId=1878887 failed');
		expect(redactText('POST /api/ipn/brokers/forward failed')).toBe('POST /api/ipn/brokers/forward failed');
	});

	test('inquiry URLs carry an inquiry ID, not a token, and stay readable', () => {
		expect(redactText('POST /api/ipn/inquiry/1878887 failed')).toBe('POST /api/ipn/inquiry/1878887 failed');
	});
});

describe('V1.1 headers echoed in an answer', () => {
	test.each([
		['{"x-account-token":"atok-1234567","authorization":"Bearer sectok-abcdef"}', '{"x-account-token":"[redacted]","authorization":"Bearer [redacted]"}'],
		['X-Broker-Token: btok-98765 X-Account-Token:atok-1', 'X-Broker-Token: [redacted] X-Account-Token:[redacted]'],
	])('%s', (text, expected) => {
		expect(redactText(text)).toBe(expected);
	});
});

describe('one-time login links', () => {
	test('a full login URL is removed entirely', () => {
		const out = redactText('Login: https://app.thinksurance.de/api/broker/switch/a1b2c3d4e5f6 (valid once)');
		expect(out).toBe('Login: [redacted] (valid once)');
	});

	test('a bare login path is removed too', () => {
		expect(redactText('path /api/broker/switch/a1b2c3/more here')).toBe('path [redacted] here');
	});

	test('a login URL inside JSON', () => {
		const out = redactText('{"url":"https://app.dev.thinksurance.de/api/broker/switch/abcdef123"}');
		expect(out).not.toContain('abcdef123');
		expect(out).not.toContain('/api/broker/switch/');
	});
});

describe('tokens in query strings and JSON', () => {
	test.each([
		['https://files.example/doc/1?docToken=d0c70k3n&x=1', 'https://files.example/doc/1?docToken=[redacted]&x=1'],
		['https://files.example/doc/1?a=1&docToken=d0c70k3n', 'https://files.example/doc/1?a=1&docToken=[redacted]'],
		['?token=abc123&secret=s3cr3t&hash=h4sh', '?token=[redacted]&secret=[redacted]&hash=[redacted]'],
	])('%s', (text, expected) => {
		expect(redactText(text)).toBe(expected);
	});

	test.each([
		['{"token":"t0k3n-value","other":"ok"}', '{"token":"[redacted]","other":"ok"}'],
		['{"hash":"h","secret":"s3cr3t"}', '{"hash":"[redacted]","secret":"[redacted]"}'],
		['{ "securityToken" : "abc", "docToken": "def" }', '{ "securityToken" : "[redacted]", "docToken": "[redacted]" }'],
		['{"Token":"x"}', '{"Token":"[redacted]"}'],
		['{"aToken":"keep"}', '{"aToken":"keep"}'],
	])('%s', (text, expected) => {
		expect(redactText(text)).toBe(expected);
	});

	test.each([
		['Authorization: Bearer t0k3n-value', 'Authorization: Bearer [redacted]'],
		['{"authorization":"Bearer t0k3n-value","accept":"application/json"}', '{"authorization":"Bearer [redacted]","accept":"application/json"}'],
		["headers: { Authorization: 'bearer t0k3n-value' }", "headers: { Authorization: 'bearer [redacted]' }"],
		['authorization=bearer t0k3n-value', 'authorization=bearer [redacted]'],
		['a bearer of bad news', 'a bearer of bad news'],
	])('Bearer header: %s', (text, expected) => {
		expect(redactText(text)).toBe(expected);
	});
});

describe('explicit secrets', () => {
	test('every listed secret is replaced wherever it occurs', () => {
		const out = redactText('hash=abcd1234 in body, and again abcd1234; secret s3cr3t-value', ['abcd1234', 's3cr3t-value']);
		expect(out).not.toContain('abcd1234');
		expect(out).not.toContain('s3cr3t-value');
		expect(out).toContain('[redacted]');
	});

	test('URL-encoded variants are replaced too', () => {
		const secret = 'a+b/c=d e&f';
		const out = redactText(`https://x.example/cb?key=${encodeURIComponent(secret)} and raw ${secret}`, [secret]);
		expect(out).not.toContain(secret);
		expect(out).not.toContain(encodeURIComponent(secret));
	});

	test('a secret containing another is replaced whole', () => {
		const out = redactText('value: token-abcdef-long', ['token-abcdef', 'token-abcdef-long']);
		expect(out).toBe('value: [redacted]');
	});

	test('regex characters in secrets are taken literally', () => {
		expect(redactText('a.*b and aXXb', ['a.*b'])).toBe('[redacted] and aXXb');
	});

	test('empty, undefined and very short values are ignored rather than shredding the text', () => {
		expect(redactText('a b c', ['', undefined, 'a', 'ab', 'abc'])).toBe('a b c');
	});

	test('accepts any iterable', () => {
		expect(redactText('x s3cr3t y', new Set(['s3cr3t']))).toBe('x [redacted] y');
	});

	test('text without secrets is unchanged', () => {
		const text = 'Thinksurance could not forward the broker: BrokerAPI: Invalid parameters';
		expect(redactText(text, ['s3cr3t'])).toBe(text);
	});
});

/* ------------------------------------------------------------------------------------------ */
/* Property-based                                                                              */
/* ------------------------------------------------------------------------------------------ */

const stats = { anyText: 0, secretsListed: 0, urlTokens: 0 };

afterAll(() => {
	// eslint-disable-next-line no-console
	console.log(
		`[property] redactText: ${stats.anyText + stats.secretsListed + stats.urlTokens} inputs tried (${stats.anyText} arbitrary texts, ${stats.secretsListed} texts with listed secrets, ${stats.urlTokens} texts with tokens in endpoint URLs)`,
	);
});

const MARKER = '[redacted]';

/**
 * Secrets as credentials look: at least 4 characters, any printable character and URL-special
 * ones, but no `[`/`]` and not part of the marker itself (a secret "acted" would "survive" only
 * because the marker spells it).
 */
const secretChar = fc.constantFrom(...'abcdefABCDEF0123456789xyzXYZ-_.~+/=%&?# :;"\'<>@!$ü'.split(''));
const secret = fc.string({ unit: secretChar, minLength: 4, maxLength: 24 }).filter((value) => !MARKER.includes(value));

const noise = fc.oneof(
	fc.string({ maxLength: 20 }),
	fc.string({ unit: 'binary', maxLength: 10 }),
	fc.constantFrom('/api/broker/fwd/', '?token=', '&docToken=', '"token":"', '"secret": "', 'https://app.thinksurance.de', ' ', '/', '%', '"'),
);

test('property: redactText never throws on any text and any secrets', () => {
	fc.assert(
		fc.property(fc.string({ unit: 'binary', maxLength: 200 }), fc.array(fc.oneof(fc.string(), fc.constant(undefined)), { maxLength: 4 }), (text, secrets) => {
			stats.anyText++;
			const out = redactText(text, secrets);
			if (typeof out !== 'string') throw new Error('not a string');
		}),
		{ numRuns: 2000 },
	);
});

test('property: no listed secret (nor its URL-encoded form) is left in the output', () => {
	fc.assert(
		fc.property(
			fc.array(secret, { minLength: 1, maxLength: 4 }),
			fc.array(fc.tuple(noise, fc.nat(), fc.boolean()), { maxLength: 8 }),
			(secrets, parts) => {
				stats.secretsListed++;
				// Weave secrets (raw or URL-encoded) between arbitrary noise.
				const text = parts
					.map(([before, index, encoded]) => {
						const value = secrets[index % secrets.length];
						return `${before}${encoded ? encodeURIComponent(value) : value}`;
					})
					.join('');
				const out = redactText(text, secrets);
				for (const value of secrets) {
					if (out.includes(value)) throw new Error(`secret ${JSON.stringify(value)} left in ${JSON.stringify(out)}`);
					const encoded = encodeURIComponent(value);
					if (out.includes(encoded)) throw new Error(`encoded secret ${JSON.stringify(encoded)} left in ${JSON.stringify(out)}`);
				}
			},
		),
		{ numRuns: 2000 },
	);
});

test('property: tokens in endpoint URLs, doc-token links and JSON token fields are gone without being listed', () => {
	const token = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: 16, maxLength: 64 });
	// Noise here must not open a JSON token value of its own ('"token":"' + noise would swallow the next quote).
	const plainNoise = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('/api/broker/fwd/', '?token=', 'https://app.thinksurance.de', '/', '%'));
	const place = fc.constantFrom(
		(t: string) => `https://app.thinksurance.de/api/broker/fwd/${t}`,
		(t: string) => `/api/broker/set/${t}`,
		(t: string) => `POST /api/account/get/tokens/${t} failed`,
		(t: string) => `https://h/api/account-ipn/get/${t}?x=1`,
		(t: string) => `https://app.thinksurance.de/api/broker/switch/${t}`,
		(t: string) => `https://files/doc?docToken=${t}`,
		(t: string) => `{"token":"${t}"}`,
		(t: string) => `{"secret": "${t}"}`,
		(t: string) => `{"Authorization":"Bearer ${t}"}`,
		(t: string) => `authorization: Bearer ${t}`,
	);
	fc.assert(
		fc.property(fc.array(fc.tuple(plainNoise, place, token), { minLength: 1, maxLength: 5 }), fc.string({ maxLength: 10 }), (parts, tail) => {
			stats.urlTokens++;
			const text = parts.map(([before, at, value]) => `${before} ${at(value)} `).join('') + tail;
			const out = redactText(text);
			for (const [, , value] of parts) {
				if (out.includes(value)) throw new Error(`token ${value} left in ${JSON.stringify(out)}`);
			}
		}),
		{ numRuns: 2000 },
	);
});
