/**
 * Pointing a broker's callback at a URL (the Thinksurance Trigger's registration) and switching
 * it off again: a Broker Forward of that broker with the callback fields only.
 */
import { thinksuranceApiRequest, type ThinksuranceContext } from '../api';
import { callbackRegistrationRequest } from './brokerBody';

export interface CallbackTarget {
	brokerToken: string;
	brokerExternalId: string;
	mappingType: number;
	/** The partner's test system has its own pair of callback fields. */
	testSystem: boolean;
}

/** Points the broker's callback at `callbackUrl`, or switches it off with null. */
export async function setBrokerCallback(
	this: ThinksuranceContext,
	target: CallbackTarget,
	callbackUrl: string | null,
	secrets: string[] = [],
): Promise<void> {
	await thinksuranceApiRequest.call(this, 'brokerForward', callbackRegistrationRequest({ ...target, callbackUrl }), { secrets });
}
