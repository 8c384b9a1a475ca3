/**
 * The only code that talks HTTP to Thinksurance, split by concern:
 * - request.ts: named calls → HTTP requests (dialects/ says how), the one entry for JSON calls
 * - download.ts: document links; retry.ts: the one retry loop both use
 * - securityToken.ts, session.ts, authorizedSend.ts: getting, sharing and placing the token
 * - credentials.ts, hosts.ts: the credential per run, the base URL per dialect
 * - pace.ts: what each exchange says about the API's load, for the router's limiter
 * - failures.ts (classification), errors.ts (what the user sees), redact.ts, stream.ts, jsonStream.ts
 */
export { CREDENTIAL_TYPE, type ThinksuranceContext } from './context';
export { thinksuranceCredentials } from './credentials';
export { downloadDocumentFile, type DownloadedFile } from './download';
export { isTransientApiError } from './errors';
export { apiVersionOf, baseUrlFor, type ApiVersion } from './hosts';
export type { EntryReader } from './jsonStream';
export { observeAnswers, type AnswerObserver, type AnswerSignal } from './pace';
export { redactText } from './redact';
export { clearKnownPaths, thinksuranceApiRequest, type ApiRequest, type ApiRequestOptions } from './request';
export { clearSessions } from './session';
export { clearReusedCredentials, CREDENTIAL_REUSE_MS } from '../n8n/credentialReuse';
