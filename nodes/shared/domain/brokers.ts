/**
 * A broker's token by your own broker ID (and creating the broker when there is none), and
 * pointing a broker's callback at a URL (the Thinksurance Trigger's registration) and switching
 * it off again: a Broker Forward of that broker with the callback fields only.
 */
import { NodeApiError } from 'n8n-workflow';

import { thinksuranceApiRequest, type ThinksuranceContext } from '../api';
import { callbackRegistrationRequest, type brokerTokenRequest, type createBrokerRequest } from './brokerBody';
import { parseBrokerTokenAnswer, parseCreateBrokerAnswer, type BrokerTokenAnswer } from './responses';

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

/** What a failed call said, for telling "no such broker" apart from other failures. */
function failureOf(error: unknown): { kind?: string; reason?: string } {
	if (!(error instanceof NodeApiError)) return {};
	const { failureKind, apiReason } = error.context ?? {};
	return { kind: typeof failureKind === 'string' ? failureKind : undefined, reason: typeof apiReason === 'string' ? apiReason : undefined };
}

/**
 * Whether Get Broker Token's failure means the broker does not exist: HTTP 404 (since March
 * 2025), or the older 200/400 with an `error` saying so.
 */
export function isNoSuchBroker(error: unknown): boolean {
	const { kind, reason } = failureOf(error);
	// A 404 about the account is the account's problem, not a missing broker.
	if (kind === 'notFound') return !/\baccount\b/i.test(reason ?? '');
	return kind === 'apiError' && /\bno broker\b|broker\b.*\bnot (found|exist)|not existing/i.test(reason ?? '');
}

/** Create Broker's refusal because the external ID exists already (made in the meantime). */
export function isExistingBroker(error: unknown): boolean {
	const { kind, reason } = failureOf(error);
	return (kind === 'apiError' || kind === 'badRequest') && /already exist/i.test(reason ?? '');
}

/** The API's refusal reason of a failed call, if it gave one. */
export function apiReasonOf(error: unknown): string | undefined {
	return failureOf(error).reason;
}

interface CallOptions {
	itemIndex: number;
	timeoutMs?: number;
}

/** The broker's token by your external ID; null when Thinksurance knows no such broker. */
export async function lookUpBrokerToken(
	this: ThinksuranceContext,
	request: ReturnType<typeof brokerTokenRequest>,
	options: CallOptions,
): Promise<BrokerTokenAnswer | null | undefined> {
	const noSuchBroker = Symbol('no such broker');
	const answer = await thinksuranceApiRequest
		.call(this, 'brokerToken', { account: request.account, body: request.body }, options)
		// Every other failure is the API layer's NodeApiError and goes on as it is.
		.catch((error: unknown) => (isNoSuchBroker(error) ? noSuchBroker : Promise.reject(error)));
	return answer === noSuchBroker ? null : parseBrokerTokenAnswer(answer, request.brokerExternalId);
}

/** Creates of this run by account and external ID: items for the same new broker share one. */
const createsByRun = new WeakMap<object, Map<string, Promise<{ status: string; brokerToken: string } | undefined>>>();

/**
 * Creates the broker once per run and account: a second item for the same new broker waits for
 * the first one's create and gets its token (`first: false`). A create Thinksurance refused is
 * forgotten (nothing was made, another item may try); one with an unknown outcome is not, so
 * no second broker can come of it.
 */
export async function createBrokerOnce(
	this: ThinksuranceContext,
	request: ReturnType<typeof createBrokerRequest>,
	options: CallOptions,
): Promise<{ created: { status: string; brokerToken: string } | undefined; first: boolean }> {
	let creates = createsByRun.get(this);
	if (!creates) {
		creates = new Map();
		createsByRun.set(this, creates);
	}
	const key = `${request.account}\u0000${request.brokerExternalId}`;
	const running = creates.get(key);
	if (running) return { created: await running, first: false };
	const create = (async () =>
		parseCreateBrokerAnswer(await thinksuranceApiRequest.call(this, 'brokerCreate', { account: request.account, body: request.body }, options)))();
	creates.set(key, create);
	create.catch((error: unknown) => {
		const kind = failureOf(error).kind;
		if ((kind === 'apiError' || kind === 'badRequest') && creates?.get(key) === create) creates.delete(key);
	});
	return { created: await create, first: true };
}
