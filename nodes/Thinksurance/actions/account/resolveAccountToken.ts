import { InputError, readText } from '../../helpers/input';
import { parseAccounts, type Account } from '../../helpers/responses';
import { thinksuranceApiRequest, thinksuranceCredentials, type ThinksuranceContext } from '../../transport';

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
	const given = readText(value, 'Account Token');
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
		throw new InputError('Account Token', 'Your API user has no Thinksurance account.', 'Ask Thinksurance support to assign an account to the API user.');
	}
	const names = list.map((account) => `"${account.name}"`).join(', ');
	throw new InputError(
		'Account Token',
		`"Account Token" is empty and your API user has ${list.length} accounts: ${names}.`,
		'Enter the account token of one of them (Account → Get Tokens lists them), or set a Default Account Token in the credential.',
	);
}
