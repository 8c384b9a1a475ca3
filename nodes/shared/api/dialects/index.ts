import { otherApiVersion, type ApiVersion } from '../hosts';
import type { Actor, ApiCall, CallSpec, DialectTable } from './types';
import { V1 } from './v1';
import { V1_1 } from './v1_1';

export type { Actor, ApiCall, CallSpec, DialectTable } from './types';

export const DIALECTS: Record<ApiVersion, DialectTable> = { v1: V1, 'v1.1': V1_1 };

/**
 * The spec of a call in the credential's dialect; a call only the other dialect documents is
 * made in that one, on that dialect's host (interface.md, "Package 1.1").
 */
export function callSpec(call: ApiCall, actor: Actor, preferred: ApiVersion): { spec: CallSpec; version: ApiVersion } {
	for (const version of [preferred, otherApiVersion(preferred)]) {
		const spec = DIALECTS[version][call]?.[actor];
		if (spec) return { spec, version };
	}
	throw new Error(`No Thinksurance dialect has the call ${call} for actor ${actor}`);
}
