/**
 * The credential, read once per node run (and once per delivery): n8n reads and decrypts it
 * from the database on every call, which cost a fifth of a 500-item run (docs/performance.md).
 * The object is shared by the run's requests, so a token one of them fetched is seen by all.
 */
import { NodeOperationError, type ICredentialDataDecryptedObject } from 'n8n-workflow';

import { forgetReusedCredentials, readCredentialsReusing } from '../n8n/credentialReuse';
import type { ThinksuranceContext } from './context';
import { apiVersionOf, baseUrlFor, isUsableBaseUrl, type ApiVersion } from './hosts';

const credentialsByRun = new WeakMap<object, Promise<ICredentialDataDecryptedObject>>();

export async function thinksuranceCredentials(ctx: ThinksuranceContext, itemIndex?: number): Promise<ICredentialDataDecryptedObject> {
	let credentials = credentialsByRun.get(ctx);
	if (!credentials) {
		credentials = readCredentialsReusing(ctx, itemIndex);
		credentialsByRun.set(ctx, credentials);
		// A failed read is not kept: the next item may try again.
		credentials.catch(() => credentialsByRun.delete(ctx));
	}
	return await credentials;
}

/** After a failure: the next delivery reads the credential anew (wrong secret, rotated token …). */
export function forgetCredentials(ctx: ThinksuranceContext): void {
	forgetReusedCredentials(ctx, credentialsByRun.get(ctx));
}

/** The base URL of a dialect for this credential; a custom URL that is none is the user's to fix. */
export function checkedBaseUrl(
	ctx: ThinksuranceContext,
	credentials: ICredentialDataDecryptedObject,
	version: ApiVersion = apiVersionOf(credentials),
	itemIndex?: number,
): string {
	const baseUrl = baseUrlFor(credentials, version);
	if (!isUsableBaseUrl(baseUrl)) {
		forgetCredentials(ctx);
		throw new NodeOperationError(
			ctx.getNode(),
			'The Thinksurance credential has no valid base URL. Open the credential and enter the Base URL (https://…) or choose Production or Test.',
			{ itemIndex },
		);
	}
	return baseUrl;
}
