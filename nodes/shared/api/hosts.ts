/**
 * Where each dialect lives per environment (thinksurance-api.md, "Hosts"). A custom base URL
 * (on-premise proxy, local stand-in) serves both dialects.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export type ApiVersion = 'v1' | 'v1.1';

export const API_VERSIONS: readonly ApiVersion[] = ['v1.1', 'v1'];

const HOSTS: Record<string, Record<ApiVersion, string>> = {
	production: { v1: 'https://app.thinksurance.de', 'v1.1': 'https://ipn.thinksurance.de' },
	test: { v1: 'https://app.dev.thinksurance.de', 'v1.1': 'https://ipn.dev.thinksurance.de' },
};

/** The credential's dialect; anything but an explicit V1 is the vendor's current V1.1. */
export function apiVersionOf(credentials: ICredentialDataDecryptedObject): ApiVersion {
	return credentials.apiVersion === 'v1' ? 'v1' : 'v1.1';
}

export function otherApiVersion(version: ApiVersion): ApiVersion {
	return version === 'v1' ? 'v1.1' : 'v1';
}

/** The user's words for a dialect, as the credential's API Version field shows it. */
export function apiVersionLabel(version: ApiVersion): string {
	return version === 'v1' ? 'V1 (Outdated)' : 'V1.1';
}

/** Base URL of a dialect in the credential's environment, without trailing slash. */
export function baseUrlFor(credentials: ICredentialDataDecryptedObject, version: ApiVersion = apiVersionOf(credentials)): string {
	const environment = String(credentials.environment ?? 'production');
	const url = environment === 'custom' ? String(credentials.baseUrl ?? '').trim() : (HOSTS[environment] ?? HOSTS.production)[version];
	return url.replace(/\/+$/, '');
}

/** Whether a base URL is one requests can go to (scheme and host). */
export function isUsableBaseUrl(url: string): boolean {
	return /^https?:\/\/[^\s/]+/i.test(url);
}
