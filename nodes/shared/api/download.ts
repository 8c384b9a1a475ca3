/**
 * Downloads a document link of an inquiry. The document token grants access, not the security
 * token, so this is a plain request; failures and retries follow the same rules as API calls.
 */
import type { IN8nHttpFullResponse } from 'n8n-workflow';

import type { ThinksuranceContext } from './context';
import { forgetCredentials } from './credentials';
import { apiError } from './errors';
import { apiErrorReason, networkFailure, parseJsonBody, statusFailure, type Failure } from './failures';
import { failureLoad, reportAnswer, statusLoad } from './pace';
import { redactText } from './redact';
import { withRetries } from './retry';

export interface DownloadedFile {
	data: Buffer;
	contentType?: string;
	fileName?: string;
}

export async function downloadDocumentFile(
	this: ThinksuranceContext,
	fileUrl: string,
	documentToken: string | undefined,
	options: { itemIndex?: number; timeoutMs?: number; secrets?: Array<string | undefined> } = {},
): Promise<DownloadedFile> {
	const redact = (text: string) => redactText(text, [documentToken, ...(options.secrets ?? [])]);
	const url = withDocumentToken(fileUrl, documentToken);
	const outcome = await withRetries<DownloadedFile>(false, async () => {
		let response: IN8nHttpFullResponse;
		const startedAt = Date.now();
		try {
			response = (await this.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'arraybuffer',
				timeout: options.timeoutMs ?? 120_000,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as IN8nHttpFullResponse;
		} catch (error) {
			const failure = networkFailure(error, redact);
			reportAnswer(this, { call: 'documentFile', startedAt, durationMs: Date.now() - startedAt, load: failureLoad(failure.kind) });
			return { failure };
		}
		const status = response.statusCode;
		const headers = response.headers ?? {};
		reportAnswer(this, { call: 'documentFile', startedAt, durationMs: Date.now() - startedAt, ...statusLoad(status, headers) });
		if (status === 401 || status === 403) {
			return { failure: { kind: 'apiError', status, reason: 'the document link was refused or its document token has expired' } };
		}
		if (status < 200 || status >= 300) return { failure: statusFailure(status, undefined, headers) };
		const data = Buffer.from(response.body as ArrayBuffer);
		const contentType = typeof headers['content-type'] === 'string' ? headers['content-type'] : undefined;
		// The API's error convention holds for file links too: 200 + JSON {"error": …} is no file.
		const reason = contentType !== undefined && /\bjson\b/i.test(contentType) ? apiErrorReason(parseJsonBody(data)) : undefined;
		if (reason !== undefined) return { failure: { kind: 'apiError', status, reason: redact(reason) } satisfies Failure };
		return { value: { data, contentType, fileName: fileNameFromDisposition(headers['content-disposition']) } };
	});
	if ('value' in outcome) return outcome.value;
	forgetCredentials(this);
	throw apiError(this.getNode(), 'documentFile', outcome.failure, false, outcome.attempts, options.itemIndex);
}

function withDocumentToken(fileUrl: string, documentToken: string | undefined): string {
	if (!documentToken || fileUrl.includes(documentToken)) return fileUrl;
	const separator = fileUrl.includes('?') ? '&' : '?';
	return `${fileUrl}${separator}docToken=${encodeURIComponent(documentToken)}`;
}

function fileNameFromDisposition(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(value);
	if (star) {
		try {
			return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
		} catch {
			// Malformed percent-encoding: fall back to the plain filename parameter.
		}
	}
	const plain = /filename\s*=\s*("?)([^";]+)\1/i.exec(value);
	return plain ? plain[2].trim() : undefined;
}
