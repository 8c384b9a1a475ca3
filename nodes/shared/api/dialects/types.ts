/**
 * A dialect described as data: for every named call, per actor (nobody, an account, a broker),
 * the method and path, where the security token, the account or broker token and the call's
 * parameters go. Operations name a call; only the request builder reads these tables.
 */
export type ApiCall =
	| 'accountTokens'
	| 'brokerToken'
	| 'brokerCreate'
	| 'brokerForward'
	| 'inquirySearch'
	| 'inquiryGet'
	| 'agencyNumbersAdd'
	| 'agencyNumbersDelete'
	| 'agencyNumbersGet'
	| 'products'
	| 'professions';

/** Who a call acts for: nobody in particular, an account (aToken) or a broker (bToken). */
export type Actor = 'none' | 'account' | 'broker';

export interface CallSpec {
	method: 'GET' | 'POST' | 'DELETE';
	/** `{token}` is the security token's place in a V1 path, `{id}` the call's ID. */
	path: string;
	/** Tried in order when the path before is not found (HTTP 404 without an API error). */
	alternatePaths?: string[];
	/** Where the security token goes besides a `{token}` path: the `token` body field, a Bearer header. */
	tokenIn?: Array<'body' | 'bearer'>;
	/** Where the account or broker token goes: `aToken`/`bToken` in the body, or `X-Account-Token`/`X-Broker-Token`. */
	actorIn?: 'body' | 'header';
	/** Where the call's parameters go. */
	paramsIn: 'body' | 'query';
	/** The parameter that carries the call's ID where the path has no `{id}`. */
	idParam?: string;
	/** Parameters this dialect spells differently (`inquiryId` → `iId`). */
	names?: Record<string, string>;
	/** Keys of the domain's body this dialect spells differently, at any depth (`baFinId` → `baFinRegNr`). */
	bodyNames?: Record<string, string>;
	/** Writes are never repeated once Thinksurance may have processed them. */
	write: boolean;
	timeoutMs: number;
	/** Large answers are parsed while they arrive. */
	streamed?: boolean;
}

export type DialectTable = { [C in ApiCall]?: Partial<Record<Actor, CallSpec>> };
