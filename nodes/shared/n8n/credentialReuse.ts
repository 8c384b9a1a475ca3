/**
 * Leans on an n8n internal: in a webhook call n8n 2.x reads the credential from the database,
 * decrypts it and builds a throw-away workflow with an expression sandbox for every
 * `getCredentials` (checked on n8n 2.40.7 (n8n-core 2.40.3) and n8n 1.123.81 (n8n-core 1.122.48)
 * with test/n8n, in process on n8n-core 2.41.1; test/unit/nodes/shared/n8n/credentialReuse.test.ts
 * fails when n8n-core's webhook context stops reading anew on every call or its shape changes). A stream of deliveries would pay that per delivery, so a
 * production webhook call reuses what an earlier call of the same workflow read for the same
 * credential ID, for CREDENTIAL_REUSE_MS. Any failed request drops the reused copy at once, so
 * a refused (wrong or rotated) secret is not reused by the next delivery. Test URLs (manual
 * mode) always read anew.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { CREDENTIAL_TYPE, type ThinksuranceContext } from '../api/context';

export const CREDENTIAL_REUSE_MS = 30_000;

const reusedCredentials = new Map<string, { data: Promise<ICredentialDataDecryptedObject>; expiresAt: number }>();

/** The reuse key of a production webhook call: workflow and credential ID (no data, no secret). */
function reuseKey(ctx: ThinksuranceContext): string | undefined {
	if (!('getRequestObject' in ctx) || ctx.getMode() === 'manual') return undefined;
	const credentialId = ctx.getNode().credentials?.[CREDENTIAL_TYPE]?.id;
	const workflowId = ctx.getWorkflow().id;
	return credentialId && workflowId ? `${workflowId}\u0000${credentialId}` : undefined;
}

/** The credential of this call: reused in production webhook calls, read anew everywhere else. */
export function readCredentialsReusing(ctx: ThinksuranceContext, itemIndex: number | undefined): Promise<ICredentialDataDecryptedObject> {
	const key = reuseKey(ctx);
	const now = Date.now();
	const reused = key === undefined ? undefined : reusedCredentials.get(key);
	if (reused && reused.expiresAt > now) return reused.data;
	const data = ctx.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE, itemIndex).then((read) => ({ ...read }));
	if (key !== undefined) {
		const entry = { data, expiresAt: now + CREDENTIAL_REUSE_MS };
		reusedCredentials.set(key, entry);
		// A failed read is not kept: the next delivery tries again.
		data.catch(() => {
			if (reusedCredentials.get(key) === entry) reusedCredentials.delete(key);
		});
	}
	return data;
}

/** Drops the reused credential `used` (not a newer one another call has read since). */
export function forgetReusedCredentials(ctx: ThinksuranceContext, used: Promise<ICredentialDataDecryptedObject> | undefined): void {
	const key = reuseKey(ctx);
	if (key !== undefined && used !== undefined && reusedCredentials.get(key)?.data === used) reusedCredentials.delete(key);
}

/** For tests: forget every reused credential. */
export function clearReusedCredentials(): void {
	reusedCredentials.clear();
}
