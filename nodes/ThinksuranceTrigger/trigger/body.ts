/**
 * Reading the delivery. typeVersion 1 asks n8n not to parse the body (the hidden `options`
 * parameter), so a malformed or oversized body gets our 400, not n8n's 422; for typeVersion 1.1
 * n8n has read it already and keeps the raw bytes, which are parsed here the same way.
 */

export const MAX_BODY_BYTES = 1024 * 1024;

export type BodyResult = { ok: true; body: unknown } | { ok: false; reason: string };

type ByteStream = AsyncIterable<Buffer | string>;

interface RequestLike {
	body?: unknown;
	rawBody?: Buffer;
	readable?: boolean;
	readableEnded?: boolean;
}

async function readStream(stream: ByteStream, limit: number): Promise<Buffer | undefined> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
		size += buffer.length;
		// Keep draining so the socket stays usable for the answer, but stop collecting.
		if (size <= limit) chunks.push(buffer);
	}
	return size > limit ? undefined : Buffer.concat(chunks);
}

export function parseJsonText(text: string): BodyResult {
	const trimmed = text.replace(/^\uFEFF/, '').trim();
	if (trimmed === '') return { ok: false, reason: 'the body is empty' };
	try {
		return { ok: true, body: JSON.parse(trimmed) as unknown };
	} catch {
		return { ok: false, reason: 'the body is not valid JSON' };
	}
}

/** The delivery's JSON body, from the raw stream, n8n's raw copy, or n8n's parsed body. */
export async function readDeliveryBody(request: RequestLike & ByteStream, limit = MAX_BODY_BYTES): Promise<BodyResult> {
	let raw = request.rawBody;
	if (!raw && request.readable && !request.readableEnded) {
		raw = await readStream(request, limit);
		if (raw === undefined) return { ok: false, reason: `the body is larger than ${limit} bytes` };
	}
	if (raw) {
		if (raw.length > limit) return { ok: false, reason: `the body is larger than ${limit} bytes` };
		return parseJsonText(raw.toString('utf8'));
	}
	const body = request.body;
	if (typeof body === 'string') return parseJsonText(body);
	if (Buffer.isBuffer(body)) return parseJsonText(body.toString('utf8'));
	if (body && typeof body === 'object' && Object.keys(body).length > 0) return { ok: true, body };
	return { ok: false, reason: 'the body is empty' };
}
