import { InputError, readText } from './input';
import { parseAccounts, type Account } from './responses';
import { thinksuranceApiRequest, thinksuranceCredentials, type ThinksuranceContext } from '../api/request';

/** One account list per node run, shared by all items (the API user's accounts don't change mid-run). */
const accountsByRun = new WeakMap<object, Promise<Account[]>>();

export async function listAccounts(this: ThinksuranceContext, itemIndex?: number): Promise<Account[]> {
	const body = await thinksuranceApiRequest.call(this, 'accountTokens', undefined, { itemIndex });
	return parseAccounts(body);
}

/**
 * The account to act for: the parameter, else the credential's default, else the API
 * user's only account. Several accounts and no choice is the user's to fix.
 */
export async function resolveAccountToken(this: ThinksuranceContext, value: unknown, itemIndex?: number): Promise<string> {
	// The action node's typeVersion 1.1 calls the field "Account" (a list); elsewhere it is "Account Token".
	const node = this.getNode();
	const isList = node.type.endsWith('.thinksurance') && node.typeVersion >= 1.1;
	const field = isList ? 'Account' : 'Account Token';
	const given = readText(value, field);
	if (given !== undefined) return given.trim();
	const credentials = await thinksuranceCredentials(this, itemIndex);
	const fallback = readText(credentials.accountToken, 'Default Account Token');
	if (fallback !== undefined) return fallback.trim();

	let accounts = accountsByRun.get(this);
	if (!accounts) {
		accounts = listAccounts.call(this, itemIndex);
		accountsByRun.set(this, accounts);
		// A failed look-up is not cached, so the next item can try again.
		accounts.catch(() => accountsByRun.delete(this));
	}
	const list = await accounts;
	if (list.length === 1) return list[0].aToken;
	if (list.length === 0) {
		throw new InputError(field, 'Your API user has no Thinksurance account.', 'Ask Thinksurance support to assign an account to the API user.');
	}
	const names = list.map((account) => `"${account.name}"`).join(', ');
	throw new InputError(
		field,
		`"${field}" is empty and your API user has ${list.length} accounts: ${names}.`,
		isList
			? 'Pick one of them in "Account" (From List), or set a Default Account Token in the credential.'
			: 'Enter the account token of one of them (Account → Get Tokens lists them), or set a Default Account Token in the credential.',
	);
}
