/**
 * The broker-callback registrations this process made, beside the node's static data. n8n saves
 * the static data create() wrote only after activation finishes, and a delivery in between loads
 * the older copy and saves it whole afterwards (last writer wins): the registration, with the key
 * that guards the webhook, would be gone. Seen in the real-n8n suite on n8n 2.40.7 when a
 * notification arrived right after the callback was registered. A delivery that finds no
 * registration in static data takes this process's copy and writes it back.
 */
import type { IDataObject } from 'n8n-workflow';

const registrations = new Map<string, IDataObject>();

export function rememberRegistration(scope: string, registration: IDataObject): void {
	registrations.set(scope, registration);
}

export function forgetRegistration(scope: string): void {
	registrations.delete(scope);
}

/** The registration of `scope`: static data's, else this process's copy (written back into static data). */
export function currentRegistration(scope: string, staticData: IDataObject): IDataObject | undefined {
	const stored = staticData.registration as IDataObject | undefined;
	if (stored) return stored;
	const remembered = registrations.get(scope);
	if (remembered) staticData.registration = remembered;
	return remembered;
}

/** For tests: forget every registration of this process. */
export function clearRegistrations(): void {
	registrations.clear();
}
