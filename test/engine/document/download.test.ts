/**
 * Document → Download through n8n's engine: Get Inquiry, then GET each file's fullFilePath
 * with the document token, as binary data with file name and MIME type.
 */
import {
	ACCOUNT_TOKEN,
	API_HASH,
	API_SECRET,
	ApiMock,
	DOC_TOKEN,
	SECURITY_TOKEN,
	apiFixture,
	credentialData,
	expectNoSecrets,
	useApiHygiene,
} from '../../support/api-mock';
import { comparable, expectedOutput, loadWorkflow, newCredentialsHelper, nodeError, runWorkflow, type RunOptions } from '../../support/harness';

useApiHygiene();

const fixture = loadWorkflow('document/download.workflow.json');
const FILES_HOST = 'https://files.thinksurance.test';
const INQUIRY = /^\/api\/ipn\/inquiry\/\d+$/;
const SECRETS = [SECURITY_TOKEN, API_SECRET, API_HASH, DOC_TOKEN, 'doctok-second-1a2b'];

type FileAnswer = { content: string; contentType: string };
const FILES = apiFixture<Record<string, FileAnswer>>('document-files');

const inquiryAnswer = (_body: unknown, uri: string) => ({ body: apiFixture(`inquiry-${uri.split('/').pop()}`) });

/** The files host: answers each document path with its fixture bytes. */
function filesHost(times: number, override?: (path: string, index: number) => { status: number; body: string; headers?: Record<string, string> } | undefined) {
	const files = new ApiMock(FILES_HOST);
	let index = 0;
	files.scope
		.get(/^\/files\//)
		.times(times)
		.reply((uri: string) => {
			const path = uri.split('?')[0];
			const special = override?.(path, index++);
			if (special) return [special.status, special.body, special.headers ?? { 'Content-Type': 'text/html' }];
			const file = FILES[path];
			if (!file) return [404, '<html>not found</html>', { 'Content-Type': 'text/html' }];
			return [200, Buffer.from(file.content, 'utf8'), { 'Content-Type': file.contentType }];
		});
	return files;
}

function run(options: Partial<RunOptions> = {}) {
	return runWorkflow(fixture, { credentialsHelper: newCredentialsHelper(credentialData()), ...options });
}

describe('document/download', () => {
	test('all files of two inquiries: fixture output with binary data, file name and MIME type, paired with their item', async () => {
		const api = new ApiMock().token().on('POST', INQUIRY, 2, inquiryAnswer);
		const files = filesHost(4);

		const result = await run();

		expect(result.status).toBe('success');
		expect(comparable(result.node().items)).toEqual(expectedOutput(fixture));
		expect(api.apiCalls.map((call) => call.body)).toEqual([
			{ aToken: ACCOUNT_TOKEN, token: SECURITY_TOKEN },
			{ aToken: ACCOUNT_TOKEN, token: SECURITY_TOKEN },
		]);
		expect(api.tokenCalls).toHaveLength(1);
		// Each fullFilePath with the inquiry's document token; an existing query string is kept.
		expect(files.calls.map((call) => `${call.method} ${call.path}`).sort()).toEqual([
			`GET /files/1878881/h1a/Beratungsprotokoll.pdf?docToken=${DOC_TOKEN}`,
			`GET /files/1878881/h2b/AVB.pdf?docToken=${DOC_TOKEN}`,
			`GET /files/1878881/h3c/notiz.txt?docToken=${DOC_TOKEN}`,
			'GET /files/1878882/h4d/Angebot.pdf?v=2&docToken=doctok-second-1a2b',
		]);
		// The security token is for the API, never sent to the file links.
		expect(JSON.stringify(files.calls)).not.toContain(SECURITY_TOKEN);
	});

	test('Purposes filter downloads only matching documents; Put Output File in Field names the binary property', async () => {
		new ApiMock().token().on('POST', INQUIRY, 2, inquiryAnswer);
		const files = filesHost(2);

		const result = await run({ parameters: { purposes: ['insurer_docs', 'orderDocument'], binaryPropertyName: 'file' } });

		expect(result.status).toBe('success');
		expect(
			result.node().items.map((item) => ({
				pairedItem: item.pairedItem,
				purpose: item.json.documentPurpose,
				binaryKeys: Object.keys(item.binary ?? {}),
				fileName: item.binary?.file?.fileName,
				mimeType: item.binary?.file?.mimeType,
			})),
		).toEqual([
			{ pairedItem: { item: 0 }, purpose: 'insurer_docs', binaryKeys: ['file'], fileName: 'AVB_Allianz.pdf', mimeType: 'application/pdf' },
			{ pairedItem: { item: 1 }, purpose: 'orderDocument', binaryKeys: ['file'], fileName: 'Angebot_1878882.pdf', mimeType: 'application/pdf' },
		]);
		expect(files.calls).toHaveLength(2);
	});

	test('a link that already carries its document token is fetched as is, without a second docToken', async () => {
		const inquiry = apiFixture<{ docs: { files: Array<{ fullFilePath: string }> } }>('inquiry-1878882');
		inquiry.docs.files[0].fullFilePath = `${FILES_HOST}/files/1878882/h4d/Angebot.pdf?docToken=doctok-second-1a2b`;
		new ApiMock().token().on('POST', INQUIRY, 1, () => ({ body: inquiry }));
		const files = filesHost(1);

		const result = await run({ items: [{ inquiryId: 1878882 }] });

		expect(result.status).toBe('success');
		expect(files.calls.map((call) => call.path)).toEqual(['/files/1878882/h4d/Angebot.pdf?docToken=doctok-second-1a2b']);
	});

	test('a refused document link (403 HTML) fails the item without showing the document token', async () => {
		new ApiMock().token().on('POST', INQUIRY, 1, inquiryAnswer);
		filesHost(1, () => ({ status: 403, body: '<html><body>Forbidden: docToken expired</body></html>' }));

		const result = await run({ items: [{ inquiryId: 1878881 }, { inquiryId: 1878881 }], parameters: { options: { batching: { batch: { batchSize: 1 } } } } });

		const error = nodeError(result);
		expect(error.message).toBe('Thinksurance could not download the document: the document link was refused or its document token has expired [item 0]');
		expectNoSecrets(result, SECRETS);
	});

	test('a file link answering 503 is retried, then the download succeeds', async () => {
		new ApiMock().token().on('POST', INQUIRY, 1, inquiryAnswer);
		const files = filesHost(2, (_path, index) => (index === 0 ? { status: 503, body: 'busy', headers: { 'Retry-After': '0' } } : undefined));

		const result = await run({ items: [{ inquiryId: 1878881 }], parameters: { purposes: ['consultationDocument'] } });

		expect(result.status).toBe('success');
		expect(result.node().items).toHaveLength(1);
		expect(result.node().items[0].binary?.data?.fileName).toBe('Beratungsprotokoll_1878881.pdf');
		expect(files.calls).toHaveLength(2);
	});

	test('a binary field name with a dot is refused before any request', async () => {
		const result = await run({ parameters: { binaryPropertyName: 'my.file' } });

		const error = nodeError(result);
		expect(error.message).toBe('"Put Output File in Field" must be a plain field name without spaces or dots. Example: data [item 0]');
	});
});
