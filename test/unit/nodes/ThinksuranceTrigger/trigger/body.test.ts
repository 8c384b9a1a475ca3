import { MAX_BODY_BYTES, parseJsonText, readDeliveryBody } from '../../../../../nodes/ThinksuranceTrigger/trigger/body';

type FakeRequest = Parameters<typeof readDeliveryBody>[0] & { consumed: number; total: number };

/** An incoming request as a stream of chunks, like Node's IncomingMessage. */
function streamRequest(chunks: Array<Buffer | string>, extra: Partial<{ body: unknown; rawBody: Buffer; readableEnded: boolean }> = {}): FakeRequest {
	const request = {
		readable: true,
		readableEnded: false,
		consumed: 0,
		total: chunks.length,
		...extra,
		async *[Symbol.asyncIterator]() {
			for (const chunk of chunks) {
				request.consumed++;
				yield chunk;
			}
		},
	};
	return request as FakeRequest;
}

/** A request n8n already read: no stream left, maybe a raw copy or a parsed body. */
function readRequest(extra: Partial<{ body: unknown; rawBody: Buffer }>): FakeRequest {
	return streamRequest([], { ...extra, readableEnded: true });
}

describe('readDeliveryBody from the raw stream', () => {
	test('valid JSON, in several chunks, with a UTF-8 character split across them', async () => {
		const text = JSON.stringify({ eventType: 'InquiryCreated', brokerReference: 'Müller' });
		const bytes = Buffer.from(text, 'utf8');
		const cut = bytes.indexOf(Buffer.from('ü', 'utf8')) + 1;
		const result = await readDeliveryBody(streamRequest([bytes.subarray(0, cut), bytes.subarray(cut)]));
		expect(result).toEqual({ ok: true, body: { eventType: 'InquiryCreated', brokerReference: 'Müller' } });
	});

	test('string chunks and a byte-order mark', async () => {
		expect(await readDeliveryBody(streamRequest(['\uFEFF{"a":', '1}']))).toEqual({ ok: true, body: { a: 1 } });
	});

	test('invalid JSON is refused with a reason', async () => {
		expect(await readDeliveryBody(streamRequest(['{"a":']))).toEqual({ ok: false, reason: 'the body is not valid JSON' });
		expect(await readDeliveryBody(streamRequest(['eventType=InquiryCreated']))).toEqual({ ok: false, reason: 'the body is not valid JSON' });
	});

	test('an empty body is refused', async () => {
		expect(await readDeliveryBody(streamRequest([]))).toEqual({ ok: false, reason: 'the body is empty' });
		expect(await readDeliveryBody(streamRequest(['  \n ']))).toEqual({ ok: false, reason: 'the body is empty' });
	});

	test('more than 1 MiB is refused without crashing, and the stream is drained', async () => {
		expect(MAX_BODY_BYTES).toBe(1024 * 1024);
		const chunk = Buffer.alloc(64 * 1024, 0x20);
		const request = streamRequest([Buffer.from('{"a":"'), ...Array.from({ length: 17 }, () => chunk), Buffer.from('"}')]);
		const result = await readDeliveryBody(request);
		expect(result).toEqual({ ok: false, reason: `the body is larger than ${MAX_BODY_BYTES} bytes` });
		expect(request.consumed).toBe(request.total);
	});

	test('exactly at the limit is still read', async () => {
		const filler = 'x'.repeat(MAX_BODY_BYTES - '{"a":""}'.length);
		const result = await readDeliveryBody(streamRequest(['{"a":"', filler, '"}']));
		expect(result.ok).toBe(true);
	});

	test('a smaller limit can be given', async () => {
		expect(await readDeliveryBody(streamRequest(['{"a":"0123456789"}']), 10)).toEqual({ ok: false, reason: 'the body is larger than 10 bytes' });
	});

	test('JSON that is not an object is still returned; parseDelivery decides', async () => {
		expect(await readDeliveryBody(streamRequest(['[1,2]']))).toEqual({ ok: true, body: [1, 2] });
		expect(await readDeliveryBody(streamRequest(['"text"']))).toEqual({ ok: true, body: 'text' });
	});
});

describe('readDeliveryBody when n8n already read the request', () => {
	test('rawBody is preferred over a parsed body', async () => {
		const request = readRequest({ rawBody: Buffer.from('{"from":"raw"}'), body: { from: 'parsed' } });
		expect(await readDeliveryBody(request)).toEqual({ ok: true, body: { from: 'raw' } });
	});

	test('rawBody is preferred even while the stream looks readable', async () => {
		const request = streamRequest(['{"from":"stream"}'], { rawBody: Buffer.from('{"from":"raw"}') });
		expect(await readDeliveryBody(request)).toEqual({ ok: true, body: { from: 'raw' } });
		expect(request.consumed).toBe(0);
	});

	test('an invalid or oversized rawBody is refused', async () => {
		expect(await readDeliveryBody(readRequest({ rawBody: Buffer.from('<html>') }))).toEqual({ ok: false, reason: 'the body is not valid JSON' });
		const big = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);
		expect(await readDeliveryBody(readRequest({ rawBody: big }))).toEqual({ ok: false, reason: `the body is larger than ${MAX_BODY_BYTES} bytes` });
	});

	test('a parsed body object is used as is', async () => {
		const body = { eventType: 'InquiryCreated', affected: [] };
		expect(await readDeliveryBody(readRequest({ body }))).toEqual({ ok: true, body });
	});

	test('a body given as text or Buffer is parsed', async () => {
		expect(await readDeliveryBody(readRequest({ body: '{"a":1}' }))).toEqual({ ok: true, body: { a: 1 } });
		expect(await readDeliveryBody(readRequest({ body: Buffer.from('{"a":2}') }))).toEqual({ ok: true, body: { a: 2 } });
		expect(await readDeliveryBody(readRequest({ body: 'nope' }))).toEqual({ ok: false, reason: 'the body is not valid JSON' });
	});

	test.each([undefined, null, {}, ''])('no usable body (%p) is refused as empty', async (body) => {
		expect(await readDeliveryBody(readRequest({ body }))).toEqual({ ok: false, reason: 'the body is empty' });
	});
});

describe('parseJsonText', () => {
	test.each([
		['{"a":1}', { ok: true, body: { a: 1 } }],
		['\uFEFF {"a":1} ', { ok: true, body: { a: 1 } }],
		['null', { ok: true, body: null }],
		['', { ok: false, reason: 'the body is empty' }],
		['{', { ok: false, reason: 'the body is not valid JSON' }],
	])('%p', (text, expected) => {
		expect(parseJsonText(text)).toEqual(expected);
	});
});
