/** Reads a streamed answer: a success entry by entry (jsonStream.ts), anything else as text. */
import { collectJson, JsonStreamError, type EntryReader } from './jsonStream';
import { networkFailure, type Answer, type Failure } from './failures';

/** The body read, or the failure a broken or cut-off stream is (like a network error). */
export async function readStreamedBody(
	answer: Answer,
	redact: (text: string) => string,
	reader?: EntryReader,
): Promise<{ failure: Failure } | undefined> {
	const body = answer.body as { [Symbol.asyncIterator]?: unknown } | undefined;
	if (!body || typeof body !== 'object' || typeof body[Symbol.asyncIterator] !== 'function') return undefined;
	const stream = body as AsyncIterable<Buffer | string>;
	const status = answer.statusCode;
	const contentType = String(answer.headers['content-type'] ?? '');
	try {
		if (status >= 200 && status < 300 && !/html/i.test(contentType)) {
			answer.body = await collectJson(stream, reader);
		} else {
			const chunks: Buffer[] = [];
			for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
			answer.body = Buffer.concat(chunks).toString('utf8');
		}
		return undefined;
	} catch (error) {
		return { failure: error instanceof JsonStreamError ? { kind: 'notJson', status, reason: error.message } : networkFailure(error, redact) };
	}
}
