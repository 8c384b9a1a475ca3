/**
 * Secret canary, engine layer (issue 6): every operation and the trigger through n8n-core's
 * engine, with a credential and tokens that are recognisable canaries (`cnry<TAG><hex>`, as
 * the stand-in's canary mode makes them) and nock answers that carry canary document and
 * security tokens, including failure answers that echo the request back (an error body or
 * HTML page with the URL, the body, the token). Nothing may show a canary where it does not
 * belong: output items (JSON and binary metadata), every error's message, description,
 * context, cause and stack (JSON-serialised and `util.inspect`ed), webhook answers, and
 * what the nodes log. Allowed (interface.md): account and broker tokens in outputs; the
 * document token inside `docs` of Inquiry → Search / Get and the trigger's `inquiry`; the
 * login link as Broker → Forward's `url`. The e2e twin is test/n8n/canary.e2e.test.js.
 * Runs for both dialects; the requests are checked too: hash and secret only in the token call,
 * document tokens only to the file links, and in V1.1 the security token only in the
 * Authorization header (no URL, body or other header).
 */
import { Logger } from '@n8n/backend-common';
import { randomBytes } from 'crypto';
import { HookContext } from 'n8n-core';
import { LoggerProxy, type IDataObject, type IHttpRequestHelper, type INodeExecutionData } from 'n8n-workflow';
import { inspect } from 'util';

import { ThinksuranceApi } from '../../credentials/ThinksuranceApi.credentials';
import { ApiMock, BASE_URL, apiDateTime, apiFixture, stringifyDeep, useApiHygiene } from '../support/api-mock';
import { BOTH_DIALECTS, DialectMock, dialectCredential, type Asked, type Dialect } from '../support/dialects';
import { additionalDataFor, loadWorkflow, newCredentialsHelper, nodeError, runWorkflow, type RunResult } from '../support/harness';
import { deliver, nodeStaticData, runHook, triggerWorkflow, WEBHOOK_URL } from '../support/trigger';

useApiHygiene();

/* ------------------------------------------------------------------------ */
/* Canaries                                                                  */
/* ------------------------------------------------------------------------ */

const canary = (tag: string, hexLength: number) => `cnry${tag}${randomBytes(16).toString('hex').slice(0, hexLength)}`;
const C = {
	hash: canary('HASH', 24),
	secret: canary('SCRT', 24),
	securityToken: canary('STOK', 32),
	securityToken2: canary('STOK', 32),
	docToken: canary('DTOK', 32),
	docToken2: canary('DTOK', 32),
	accountToken: canary('ATOK', 16),
	accountToken2: canary('ATOK', 16),
	brokerToken: canary('BTOK', 16),
	newBrokerToken: canary('BTOK', 16),
	loginLink: canary('LINK', 32),
};
const PATTERN = /cnry(HASH|SCRT|STOK|DTOK|ATOK|BTOK|LINK)[0-9a-f]{8,}/g;
const FILES_HOST = 'https://files.thinksurance.test';
const KEY = 'c3'.repeat(24);

type Operation = 'tokens' | 'inquiry' | 'download' | 'forward' | 'create' | 'getToken' | 'agencyNumber' | 'trigger';
interface Finding {
	place: string;
	tag: string;
	where: string;
	context: string;
}

/* ------------------------------------------------------------------------ */
/* Scanner                                                                   */
/* ------------------------------------------------------------------------ */

/** Log records of this test file: n8n-core's Logger and the LoggerProxy, captured instead of printed. */
const logRecords: string[] = [];
const capture =
	(level: string) =>
	(message: unknown, metadata: unknown = {}): void => {
		logRecords.push(`${level} ${String(message)} ${stringifyDeep(metadata)}`);
	};
beforeAll(() => {
	for (const level of ['error', 'warn', 'info', 'debug'] as const) jest.spyOn(Logger.prototype, level).mockImplementation(capture(level));
	LoggerProxy.init({ error: capture('error'), warn: capture('warn'), info: capture('info'), debug: capture('debug') } as never);
});
afterAll(() => jest.restoreAllMocks());

class Scan {
	readonly findings: Finding[] = [];

	/** Canaries shown at a by-design position, per tag. */
	readonly byDesign: Record<string, number> = {};

	text(place: string, text: string, where: string, allowedTags: string[] = []): void {
		for (const match of text.matchAll(PATTERN)) {
			if (allowedTags.includes(match[1])) continue;
			const at = match.index ?? 0;
			this.findings.push({ place, tag: match[1], where, context: text.slice(Math.max(0, at - 60), at + match[0].length + 20) });
		}
	}

	private designed(value: unknown, tag: string): void {
		for (const match of String(value).matchAll(PATTERN)) {
			if (match[1] === tag) this.byDesign[tag] = (this.byDesign[tag] ?? 0) + 1;
			else this.text('output', match[0], 'inside a by-design field');
		}
	}

	/** One output item: by-design fields taken out, error texts scanned as errors, the rest as output. */
	item(item: INodeExecutionData, operation: Operation, where: string): void {
		const json = JSON.parse(JSON.stringify(item.json ?? {})) as IDataObject;
		for (const key of ['error', 'fetchError', 'documentError']) {
			if (typeof json[key] === 'string') {
				this.text('error', json[key] as string, `${where} json.${key}`);
				delete json[key];
			}
		}
		if (operation === 'forward' && typeof json.url === 'string') {
			this.designed(json.url, 'LINK');
			json.url = '[by design]';
		}
		const docs = (operation === 'inquiry' ? json.docs : operation === 'trigger' ? (json.inquiry as IDataObject | null)?.docs : undefined) as IDataObject | undefined;
		if (docs && typeof docs === 'object') {
			if (docs.docToken !== undefined) {
				this.designed(JSON.stringify(docs.docToken), 'DTOK');
				docs.docToken = '[by design]';
			}
			for (const file of (Array.isArray(docs.files) ? docs.files : []) as IDataObject[]) {
				if (typeof file.fullFilePath !== 'string') continue;
				this.designed(file.fullFilePath, 'DTOK');
				file.fullFilePath = '[by design]';
			}
		}
		const binary: IDataObject = {};
		for (const [key, value] of Object.entries(item.binary ?? {})) {
			const { data, ...meta } = value;
			void data;
			binary[key] = meta as IDataObject;
		}
		this.text('output', JSON.stringify({ json, binary }), where, ['ATOK', 'BTOK']);
	}

	/** An error as serialised (all own and non-enumerable parts) and as `util.inspect` prints it, without the node definition. */
	error(error: unknown, where: string): void {
		if (!error) return;
		this.text('error', stringifyDeep(error), `${where} (JSON)`);
		const holder = error as { node?: unknown; workflow?: unknown };
		const saved = { node: holder.node, workflow: holder.workflow };
		holder.node = undefined;
		holder.workflow = undefined;
		try {
			this.text('error', inspect(error, { depth: 12, showHidden: true, breakLength: Infinity }), `${where} (inspect)`);
		} finally {
			holder.node = saved.node;
			holder.workflow = saved.workflow;
		}
	}

	run(result: RunResult, operation: Operation): void {
		for (const [name, node] of Object.entries(result.nodes)) {
			if (name === 'Items') continue;
			node.outputs.forEach((output) => output.forEach((item, index) => this.item(item, operation, `${name} item ${index}`)));
			this.error(node.error, `${name} error`);
		}
		this.error(result.error, 'workflow error');
	}

	logs(): void {
		// n8n logs a failed node with its definition; stringifyDeep leaves the `node` (configuration) out.
		logRecords.forEach((record, index) => this.text('log', record, `log record ${index}`));
		logRecords.length = 0;
	}
}

let scan: Scan;
beforeEach(() => {
	scan = new Scan();
	logRecords.length = 0;
});
afterEach(() => {
	scan.logs();
	expect(scan.findings).toEqual([]);
});

/* ------------------------------------------------------------------------ */
/* Requests                                                                  */
/* ------------------------------------------------------------------------ */

/** Every mock of the running test, checked after it: where canaries travelled in the requests. */
let mocks: ApiMock[] = [];
let dialect: Dialect = 'v1';
beforeEach(() => {
	mocks = [];
});
afterEach(() => {
	const files = mocks.filter((mock) => mock.baseUrl === FILES_HOST).flatMap((mock) => mock.calls);
	const api = mocks.filter((mock) => mock.baseUrl !== FILES_HOST).flatMap((mock) => mock.calls);
	const requests: Finding[] = [];
	const seen = (where: string, text: string, tags: string[]) => {
		for (const match of text.matchAll(PATTERN)) if (tags.includes(match[1])) requests.push({ place: 'request', tag: match[1], where, context: text.slice(0, 160) });
	};
	for (const call of api) {
		const isTokenCall = call.path === '/api/token' || call.path === '/api/ipn/tokens';
		// The known exception: Get agency numbers exists only in V1, so V1.1 makes it there (token in path and body).
		const tokenWhereV1 = dialect === 'v1' || call.path.startsWith('/api/account/get/anums/');
		// Hash and secret only in the token call's body; document tokens never to the API.
		seen(`${call.method} ${call.path} (URL)`, call.path, tokenWhereV1 ? ['HASH', 'SCRT', 'DTOK'] : ['HASH', 'SCRT', 'STOK', 'DTOK']);
		seen(`${call.method} ${call.path} (body)`, JSON.stringify(call.body ?? ''), isTokenCall ? ['DTOK', 'STOK'] : tokenWhereV1 ? ['HASH', 'SCRT', 'DTOK'] : ['HASH', 'SCRT', 'STOK', 'DTOK']);
		const { authorization, ...otherHeaders } = call.headers;
		// V1.1: the security token only in the Authorization header (V1 Get Inquiry sends it there too).
		seen(`${call.method} ${call.path} (headers)`, JSON.stringify(otherHeaders), ['HASH', 'SCRT', 'STOK', 'DTOK']);
		seen(`${call.method} ${call.path} (authorization)`, String(authorization ?? ''), ['HASH', 'SCRT', 'DTOK']);
	}
	// The file links get their document token, nothing else.
	for (const call of files) seen(`file ${call.path}`, JSON.stringify(call), ['HASH', 'SCRT', 'STOK', 'ATOK', 'BTOK']);
	expect(requests).toEqual([]);
});

/* ------------------------------------------------------------------------ */
/* Answers                                                                   */
/* ------------------------------------------------------------------------ */

/** The token endpoint, only for the canary hash and secret, handing out `tokens` in turn. */
function api(tokens: string[] = [C.securityToken]): DialectMock {
	const mock = new DialectMock(dialect);
	mocks.push(mock.api);
	let next = 0;
	mock.api.scope
		.post('/api/token', { hash: C.hash, secret: C.secret })
		.times(tokens.length)
		.reply(200, () => ({ token: tokens[next++], expired: apiDateTime(Date.now() + 15 * 60_000) }));
	return mock;
}

/** A mock without the token endpoint (the token requests themselves are under test). */
function bareApi(): ApiMock {
	const mock = new ApiMock();
	mocks.push(mock);
	return mock;
}

/** An inquiry item whose document token and links are canaries, as the API sends it. */
function inquiry(id: string | undefined, docToken = C.docToken): IDataObject {
	const item = apiFixture<IDataObject & { data: IDataObject; docs: { docToken: IDataObject; files: IDataObject[] } }>(`inquiry-${String(id)}`);
	item.data.bToken = C.brokerToken;
	item.docs.docToken.token = docToken;
	for (const file of item.docs.files) file.fullFilePath = `${String(file.fullFilePath)}?docToken=${docToken}`;
	return item;
}

/** An answer text that echoes the whole request: URL, body and headers (Bearer, X- headers). */
const echo = (asked: Asked) => `${BASE_URL}${asked.uri} ${JSON.stringify(asked.raw ?? {})} ${JSON.stringify(asked.headers)}`;
const html = (status: number, text: string) => ({
	status,
	body: `<html><head><title>${status}</title></head><body><h1>Error</h1><pre>${text}</pre></body></html>`,
	headers: { 'Content-Type': 'text/html', 'Retry-After': '0' },
});

/** The files host; `answer` may replace the file for a request. */
function filesHost(times: number, answer?: (path: string, index: number) => [number, string, Record<string, string>] | undefined): ApiMock {
	const files = new ApiMock(FILES_HOST);
	mocks.push(files);
	let index = 0;
	files.scope
		.get(/^\/files\//)
		.times(times)
		.reply((uri: string) => answer?.(uri, index++) ?? [200, '%PDF-1.4 canary', { 'Content-Type': 'application/pdf' }]);
	return files;
}

const credential = (extra: IDataObject = {}) =>
	newCredentialsHelper(dialectCredential(dialect, { hash: C.hash, secret: C.secret, accountToken: C.accountToken, ...(extra as Record<string, string>) }));

async function run(workflow: string, operation: Operation, options: { items?: IDataObject[]; parameters?: IDataObject; continueOnFail?: boolean } = {}): Promise<RunResult> {
	const result = await runWorkflow(loadWorkflow(workflow), {
		credentialsHelper: credential(),
		items: options.items,
		parameters: options.parameters,
		nodeSettings: options.continueOnFail ? { continueOnFail: true, onError: 'continueRegularOutput' } : undefined,
	});
	scan.run(result, operation);
	return result;
}

/*
 * Both dialects. Known exception (documented, checked below): Agency Number → Get Many exists only
 * in V1, so a V1.1 credential makes that one call in V1, with the token in its path and body
 * (interface.md, "Package 1.1").
 */
describe.each(BOTH_DIALECTS)('API %s', (current) => {
	beforeEach(() => {
		dialect = current;
	});

	/* ---------------------------------------------------------------------- */
	/* Success paths                                                           */
	/* ---------------------------------------------------------------------- */

	describe('canaries on success paths', () => {
		test('Account → Get Tokens: the canary hash/secret get a canary token; aTokens are output by design', async () => {
			const mock = api().on('accountTokens', 1, () => ({ body: [{ name: 'Demo', aToken: C.accountToken }, { name: 'Zweit', aToken: C.accountToken2 }] }));

			const result = await run('account/getTokens.workflow.json', 'tokens', { items: [{ run: 1 }] });

			expect(result.node().items.map((item) => item.json.aToken)).toEqual([C.accountToken, C.accountToken2]);
			expect(mock.tokenCalls[0].body).toEqual({ hash: C.hash, secret: C.secret });
			expect(mock.askedFor('accountTokens').map((asked) => asked.token)).toEqual([C.securityToken]);
		});

		test('Inquiry → Search (after a malformed answer that carries canaries): docs keep their document token by design', async () => {
			const answer = { '1878881': inquiry('1878881') };
			const mock = api().on('inquirySearch', 2, (_asked, index) =>
				index === 0
					? { body: `{"1878881":{"data":{"bToken":"${C.brokerToken}"},"docs":{"docToken":{"token":"${C.docToken}"`, headers: { 'Content-Type': 'application/json' } }
					: { body: answer },
			);

			const result = await run('inquiry/search.workflow.json', 'inquiry', { items: [{ aToken: C.accountToken }], parameters: { filters: {} } });

			expect(result.status).toBe('success');
			expect(result.node().items).toHaveLength(1);
			expect(scan.byDesign.DTOK).toBeGreaterThan(1);
			expect(mock.askedFor('inquirySearch').map((asked) => asked.account)).toEqual([C.accountToken, C.accountToken]);
		});

		test('Inquiry → Get as account and as broker', async () => {
			const mock = api().on('inquiryGet', 2, (asked) => ({ body: inquiry(asked.id) }));

			const result = await run('inquiry/get.workflow.json', 'inquiry', {
				items: [{ inquiryId: 1878881, as: 'account' }, { inquiryId: 1878882, as: 'broker' }],
				parameters: { authenticateAs: '={{ $json.as }}', accountToken: C.accountToken, brokerToken: C.brokerToken },
			});

			expect(result.node().items.map((item) => item.json.inquiryId)).toEqual([1878881, 1878882]);
			expect(mock.askedFor('inquiryGet').map(({ account, broker, token }) => ({ account, broker, token }))).toEqual(
				expect.arrayContaining([
					{ account: C.accountToken, broker: undefined, token: C.securityToken },
					{ account: undefined, broker: C.brokerToken, token: C.securityToken },
				]),
			);
		});

		test('Document → Download: the document token goes to the file links only, never into the file items', async () => {
			api().on('inquiryGet', 1, () => ({ body: inquiry('1878881') }));
			const files = filesHost(3);

			const result = await run('document/download.workflow.json', 'download', { items: [{ inquiryId: 1878881 }] });

			expect(result.node().items).toHaveLength(3);
			expect(files.calls.every((call) => call.path.endsWith(`?docToken=${C.docToken}`))).toBe(true);
			expect(scan.byDesign.DTOK).toBeUndefined();
		});

		test('Broker → Forward with callback fields: the login link is the output by design', async () => {
			const mock = api().on('brokerForward', 1, () => ({ body: { url: `https://app.thinksurance.de/api/broker/switch/${C.loginLink}`, inquiryId: 1878890, inquiryHash: 'abc123' } }));

			const result = await run('broker/forward.workflow.json', 'forward', {
				items: [{ brokerToken: C.brokerToken, brokerId: 'CRM-B-1', active: true, email: 'anna@makler.de', customerId: 'C-100', customerLastName: 'Kunde', customerEmail: 'kunde1@example.de' }],
				parameters: { callbackFields: { callbackUrl: 'https://crm.example.de/cb', testCallbackUrl: 'https://crm-test.example.de/cb' } },
			});

			expect(result.status).toBe('success');
			expect(scan.byDesign.LINK).toBe(1);
			const [asked] = mock.askedFor('brokerForward');
			expect(asked.broker).toBe(C.brokerToken);
			expect(asked.body).toMatchObject({ fullCallback: 0, mvpFullCallback: 0 });
		});

		test('Broker → Get Token, none exists: the created broker token is the output', async () => {
			const mock = api()
				.on('brokerToken', 1, () => ({ status: 404, body: { error: 'Broker Api: no broker found for the provided request.' } }))
				.on('brokerCreate', 1, () => ({ body: { status: 'created', bToken: C.newBrokerToken } }));

			const result = await run('broker/getToken.workflow.json', 'getToken', { items: [{ brokerId: 'CRM-N-1', lastName: 'Neumann', email: 'neu@makler.de' }], parameters: { accountToken: C.accountToken } });

			expect(result.node().items[0].json).toMatchObject({ brokerToken: C.newBrokerToken, created: true });
			expect(mock.askedFor('brokerToken').map((asked) => asked.account)).toEqual([C.accountToken]);
		});

		test('Agency Number → Get Many: the V1 call in both dialects (the known exception), account tokens only where by design', async () => {
			const mock = api().on('agencyNumbersGet', 1, () => ({ body: { agencyNumbers: [{ baFinId: '5312', agencyNumbers: [{ agencyNumber: 'ALZ-1' }] }] } }));

			const result = await run('agencyNumber/create.workflow.json', 'agencyNumber', {
				items: [{ n: 1 }],
				parameters: { operation: 'getAll', accountToken: { __rl: true, mode: 'id', value: C.accountToken } },
			});

			expect(result.node().items.map((item) => item.json.agencyNumber)).toEqual(['ALZ-1']);
			expect(mock.apiCalls.map((call) => call.path)).toEqual([`/api/account/get/anums/${C.securityToken}`]);
		});

		test('Broker → Create: the new broker token is the output', async () => {
			api().on('brokerCreate', 1, () => ({ body: { status: 'success', bToken: C.newBrokerToken } }));

			const result = await run('broker/create.workflow.json', 'create', { items: [{ brokerId: 'CRM-N-1', lastName: 'Neumann', email: 'neu@makler.de' }] });

			expect(result.node().items[0].json.brokerToken).toBe(C.newBrokerToken);
		});
	});

	/* ---------------------------------------------------------------------- */
	/* Failure paths                                                           */
	/* ---------------------------------------------------------------------- */

	describe('canaries on failure paths, with answers that echo the request', () => {
		test.each([false, true])('Inquiry → Get, 404 echoing URL, body and headers (continueOnFail %s)', async (continueOnFail) => {
			// Without continueOnFail the first failed item stops the node.
			api().on('inquiryGet', continueOnFail ? 2 : 1, (asked) => ({ status: 404, body: { error: `Inquiry not found: ${echo(asked)}` } }));

			const result = await run('inquiry/get.workflow.json', 'inquiry', {
				items: [{ inquiryId: 1878881 }, { inquiryId: 999 }],
				parameters: { accountToken: C.accountToken, options: { batching: { batch: { batchSize: 1 } } } },
				continueOnFail,
			});

			if (continueOnFail) expect(result.node().items.map((item) => typeof item.json.error)).toEqual(['string', 'string']);
			else expect(nodeError(result).message).toMatch(/not found \(HTTP 404\)/);
		});

		test('Inquiry → Search, 200 + error echoing the request (security token, account token)', async () => {
			api().on('inquirySearch', 1, (asked) => ({ body: { error: `Account not found for ${echo(asked)}` } }));

			const result = await run('inquiry/search.workflow.json', 'inquiry', { items: [{ aToken: C.accountToken2 }] });

			expect(nodeError(result).message).toMatch(/could not search inquiries: Account not found for/);
		});

		test('Account → Get Tokens, HTML 500 pages echoing the request on every attempt', async () => {
			api().on('accountTokens', 4, (asked) => html(500, `Fatal error at ${echo(asked)}`));

			const result = await run('account/getTokens.workflow.json', 'tokens', { items: [{ run: 1 }] });

			expect(nodeError(result).message).toMatch(/server error \(HTTP 500, HTML error page\).*after 4 attempts/);
		});

		test('Broker → Forward, HTML 500 and malformed JSON echoing the request (a write: not repeated)', async () => {
			api().on('brokerForward', 2, (asked, index) =>
				index === 0
					? html(500, echo(asked))
					: { body: `{"url":"https://app.thinksurance.de/api/broker/switch/${C.loginLink}","bToken":"${C.brokerToken}"`, headers: { 'Content-Type': 'application/json' } },
			);

			const result = await run('broker/forward.workflow.json', 'forward', {
				items: [
					{ brokerToken: C.brokerToken, brokerId: 'CRM-B-1', active: true, email: 'a@makler.de' },
					{ brokerToken: C.brokerToken, brokerId: 'CRM-B-2', active: true, email: 'b@makler.de' },
				],
				parameters: { customerFields: {}, inquiryFields: {}, options: { batching: { batch: { batchSize: 1 } } } },
				continueOnFail: true,
			});

			const errors = result.node().items.map((item) => String(item.json.error));
			expect(errors[0]).toMatch(/HTTP 500, HTML error page/);
			expect(errors[1]).toMatch(/not JSON/);
		});

		test('Agency Number → Add, 400 echoing the request (account token, security token)', async () => {
			api().on('agencyNumbersAdd', 1, (asked) => ({ status: 400, body: { error: `Agency numbers: externalUniqueId U-1 already exists. ${echo(asked)}` } }));

			const result = await run('agencyNumber/create.workflow.json', 'agencyNumber', {
				items: [{ bafin: '5312', number: 'ALZ-1', uid: 'U-1' }],
				parameters: { accountToken: { __rl: true, mode: 'id', value: C.accountToken } },
			});

			expect(nodeError(result).message).toMatch(/already exists/);
		});

		test('Broker → Create, 400 echoing the request (account token)', async () => {
			api().on('brokerCreate', 1, (asked) => ({ status: 400, body: { error: `BrokerAPI: Invalid parameters ${echo(asked)}` } }));

			const result = await run('broker/create.workflow.json', 'create', { items: [{ brokerId: 'CRM-N-1', lastName: 'Neumann', email: 'neu@makler.de' }] });

			expect(nodeError(result).message).toMatch(/Invalid parameters/);
		});

		test('expired security token named in the answer: one new token, the call repeated; neither token shows', async () => {
			const mock = api([C.securityToken, C.securityToken2]).on('accountTokens', 2, (asked) =>
				asked.token === C.securityToken
					? { status: 400, body: { error: `Security token ${C.securityToken} is invalid or expired.` } }
					: { body: [{ name: 'Demo', aToken: C.accountToken }] },
			);

			const result = await run('account/getTokens.workflow.json', 'tokens', { items: [{ run: 1 }] });

			expect(result.status).toBe('success');
			expect(mock.tokenCalls).toHaveLength(2);
		});

		test('a token refused again after the refresh fails with the reason, the token redacted', async () => {
			api([C.securityToken, C.securityToken2]).on('accountTokens', 2, (asked) => ({ status: 400, body: { error: `Security token ${String(asked.token)} is invalid or expired.` } }));

			const result = await run('account/getTokens.workflow.json', 'tokens', { items: [{ run: 1 }] });

			expect(nodeError(result).message).toMatch(/rejected the security token.*Security token \[redacted\] is invalid/);
		});

		test.each([
			['200 + error', { status: 200 }],
			['400 + error', { status: 400 }],
		])('token request answered %s echoing hash and secret: the run fails without them', async (_label, { status }) => {
			const mock = bareApi();
			mock.on('POST', '/api/token', 1, (body) => ({ status, body: { error: `API User ${JSON.stringify(body)} is not existing or deactivated.` } }));

			const result = await run('account/getTokens.workflow.json', 'tokens', { items: [{ run: 1 }] });

			expect(nodeError(result).message).toMatch(/refused the API user/);
			expect(mock.calls[0].body).toEqual({ hash: C.hash, secret: C.secret });
		});

		test('Document → Download: refused (403 page), 200 + JSON error and 404 page, each echoing the link with its document token', async () => {
			api().on('inquiryGet', 3, () => ({ body: inquiry('1878881') }));
			filesHost(3, (uri, index) => {
				const text = `${FILES_HOST}${uri}`;
				if (index === 0) return [403, `<html><body>Forbidden: ${text}</body></html>`, { 'Content-Type': 'text/html' }];
				if (index === 1) return [200, JSON.stringify({ error: `Document token expired: ${text}` }), { 'Content-Type': 'application/json' }];
				return [404, `<html><body>No such file: ${text}</body></html>`, { 'Content-Type': 'text/html' }];
			});

			const result = await run('document/download.workflow.json', 'download', {
				items: [{ inquiryId: 1878881 }, { inquiryId: 1878881 }, { inquiryId: 1878881 }],
				parameters: { purposes: ['consultationDocument'], options: { batching: { batch: { batchSize: 1 } } } },
				continueOnFail: true,
			});

			const errors = result.node().items.map((item) => String(item.json.error));
			expect(errors[0]).toMatch(/document link was refused/);
			expect(errors[1]).toMatch(/could not download the document: Document token expired: /);
			expect(errors[2]).toMatch(/not found \(HTTP 404\)/);
		});
	});

	/* ---------------------------------------------------------------------- */
	/* Trigger                                                                 */
	/* ---------------------------------------------------------------------- */

	describe('canaries through the trigger', () => {
		const parameters = {
			events: ['*'],
			registration: 'brokerCallback',
			brokerToken: C.brokerToken,
			brokerExternalId: 'CRM-B-1',
			mappingType: 1,
			fetchInquiry: true,
			accountToken: '',
			downloadDocuments: true,
			binaryPropertyName: 'data',
		};
		const event = (eventId: string) => ({
			...apiFixture<IDataObject>('event-inquiry-created'),
			eventId,
			accountReference: C.accountToken,
			brokerReference: C.brokerToken,
		});

		function registered() {
			const setup = triggerWorkflow(parameters, credential());
			nodeStaticData(setup).registration = { webhookUrl: WEBHOOK_URL, key: KEY, brokerToken: C.brokerToken, brokerExternalId: 'CRM-B-1', mappingType: 1, testSystem: false };
			return setup;
		}

		function outcome(result: Awaited<ReturnType<typeof deliver>>, where: string) {
			for (const [index, item] of (result.result.workflowData?.[0] ?? []).entries()) scan.item(item, 'trigger', `${where} item ${index}`);
			scan.text('webhook answer', JSON.stringify(result.response.body ?? ''), where);
		}

		test('activation and deactivation: the broker callback registered through Forward, answers echoing it', async () => {
			const mock = api().on('brokerForward', 2, (asked, index) =>
				index === 0 ? { body: { url: `https://app.thinksurance.de/api/broker/switch/${C.loginLink}` } } : { body: { url: echo(asked) } },
			);
			const setup = triggerWorkflow(parameters, credential());

			expect(await runHook(setup, 'create')).toBe(true);
			expect(await runHook(setup, 'delete')).toBe(true);

			expect(mock.askedFor('brokerForward').map((asked) => asked.broker)).toEqual([C.brokerToken, C.brokerToken]);
		});

		test('an event is emitted with the fetched inquiry (docs by design) and its documents; references are the API\'s', async () => {
			api().on('inquiryGet', 1, () => ({ body: inquiry('1878881') }));
			const files = filesHost(3);

			const result = await deliver(registered(), { body: event('evt-canary-1'), query: { key: KEY } });
			outcome(result, 'event');

			expect(result.response.statusCode).toBe(204);
			const item = result.result.workflowData?.[0][0];
			expect(item?.json).toMatchObject({ accountReference: C.accountToken, brokerReference: C.brokerToken });
			expect(Object.keys(item?.binary ?? {})).toEqual(['data', 'data_1', 'data_2']);
			expect(files.calls.every((call) => call.path.endsWith(`?docToken=${C.docToken}`))).toBe(true);
		});

		test('fetch failures echoing the request: a 404 becomes fetchError, repeated 503 pages a 503 answer; a document failure becomes documentError', async () => {
			const mock = api();
			mock.on('inquiryGet', 1, (asked) => ({ status: 404, body: { error: `Inquiry not found: ${echo(asked)}` } }));
			const setup = registered();
			outcome(await deliver(setup, { body: event('evt-canary-2'), query: { key: KEY } }), 'fetch 404');

			mock.on('inquiryGet', 4, (asked) => html(503, echo(asked)));
			const busy = await deliver(setup, { body: event('evt-canary-3'), query: { key: KEY } });
			outcome(busy, 'fetch 503');
			expect(busy.response.statusCode).toBe(503);

			mock.on('inquiryGet', 1, () => ({ body: inquiry('1878881', C.docToken2) }));
			filesHost(1, (uri) => [200, JSON.stringify({ error: `Expired: ${FILES_HOST}${uri}` }), { 'Content-Type': 'application/json' }]);
			const docs = await deliver(setup, { body: event('evt-canary-4'), query: { key: KEY } });
			outcome(docs, 'document failure');
			expect(docs.result.workflowData?.[0][0].json.documentError).toMatch(/Expired: /);
		});

		test('wrong key (401) and malformed body (400): the answers name no canary', async () => {
			const setup = registered();
			outcome(await deliver(setup, { body: event('evt-canary-5'), query: { key: '0'.repeat(48) } }), 'wrong key');
			outcome(await deliver(setup, { body: `{"accountReference":"${C.accountToken}","brokerReference":"${C.brokerToken}",`, query: { key: KEY } }), 'malformed');
			outcome(await deliver(setup, { body: { aToken: C.accountToken, bToken: C.brokerToken, token: C.securityToken }, query: { key: KEY } }), 'foreign');
		});
	});

	/* ---------------------------------------------------------------------- */
	/* The credential test path                                                */
	/* ---------------------------------------------------------------------- */

	describe('the credential\'s own token request (what n8n\'s credential test shows)', () => {
		/**
		 * n8n's credential test shows preAuthentication's error message and logs it: the token
		 * endpoint's text is redacted there, since an answer may echo the request.
		 */
		test.each([
			['200 + error', 200],
			['400 + error', 400],
		])('token answer %s echoing the request: the error names neither hash nor secret', async (_label, status) => {
			bareApi().on('POST', '/api/token', 1, (body) => ({ status, body: { error: `API User ${JSON.stringify(body)} is not existing or deactivated.` } }));
			const setup = triggerWorkflow({}, credential());
			const context = new HookContext(setup.workflow, setup.node, additionalDataFor(setup.credentialsHelper), 'manual', 'manual');

			const error = await new ThinksuranceApi()
				.preAuthentication.call(context as unknown as IHttpRequestHelper, dialectCredential(dialect, { hash: C.hash, secret: C.secret }))
				.then(() => undefined, (caught: unknown) => caught);

			expect(error).toBeInstanceOf(Error);
			scan.error(error, 'preAuthentication error');
			const found = scan.findings.splice(0).map((finding) => finding.tag);
			expect(found).toEqual([]);
		});

		test('an HTML 500 on the token request says HTTP 500 and names neither', async () => {
			bareApi().on('POST', '/api/token', 1, (body) => html(500, JSON.stringify(body)));
			const setup = triggerWorkflow({}, credential());
			const context = new HookContext(setup.workflow, setup.node, additionalDataFor(setup.credentialsHelper), 'manual', 'manual');

			const error = await new ThinksuranceApi()
				.preAuthentication.call(context as unknown as IHttpRequestHelper, dialectCredential(dialect, { hash: C.hash, secret: C.secret }))
				.then(() => undefined, (caught: unknown) => caught);

			expect(String((error as Error).message)).toMatch(/HTTP 500/);
			scan.error(error, 'preAuthentication error');
		});
	});
});
