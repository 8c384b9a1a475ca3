/**
 * Which account an operation acts for: its own account, else the credential's Default Account
 * Token, else the account whose tag (nameTag) is the credential's Account Tag, else the API
 * user's only account. Several accounts and no choice is the user's to fix.
 */
import { thinksuranceApiRequest, thinksuranceCredentials, type ThinksuranceContext } from '../api';
import { InputError, readText } from './input';
import { parseAccounts, type Account } from './responses';

/** One account list per node run, shared by all items (the API user's accounts don't change mid-run). */
const accountsByRun = new WeakMap<object, Promise<Account[]>>();

export async function listAccounts(this: ThinksuranceContext, itemIndex?: number): Promise<Account[]> {
	return parseAccounts(await thinksuranceApiRequest.call(this, 'accountTokens', {}, { itemIndex }));
}

function accountsOfRun(ctx: ThinksuranceContext, itemIndex: number | undefined): Promise<Account[]> {
	let accounts = accountsByRun.get(ctx);
	if (!accounts) {
		accounts = listAccounts.call(ctx, itemIndex);
		accountsByRun.set(ctx, accounts);
		// A failed look-up is not cached, so the next item can try again.
		accounts.catch(() => accountsByRun.delete(ctx));
	}
	return accounts;
}

/**
 * The account token to act for. `field` is the name the user sees for the node's own account
 * field ("Account" in the action node's list, "Account Token" elsewhere).
 */
export async function resolveAccountToken(
	this: ThinksuranceContext,
	value: unknown,
	itemIndex?: number,
	field = 'Account Token',
): Promise<string> {
	const given = readText(value, field);
	if (given !== undefined) return given.trim();
	const credentials = await thinksuranceCredentials(this, itemIndex);
	const fallback = readText(credentials.accountToken, 'Default Account Token');
	if (fallback !== undefined) return fallback.trim();
	const tag = readText(credentials.accountTag, 'Account Tag')?.trim();

	const list = await accountsOfRun(this, itemIndex);
	if (tag) return accountWithTag(list, tag);
	if (list.length === 1) return list[0].aToken;
	if (list.length === 0) {
		throw new InputError(field, 'Your API user has no Thinksurance account.', 'Ask Thinksurance support to assign an account to the API user.');
	}
	const names = list.map((account) => `"${account.name}"`).join(', ');
	throw new InputError(
		field,
		`"${field}" is empty and your API user has ${list.length} accounts: ${names}.`,
		field === 'Account'
			? 'Pick one of them in "Account" (From List), or set a Default Account Token or the Account Tag in the credential.'
			: 'Enter the account token of one of them (Account → Get Tokens lists them), or set a Default Account Token or the Account Tag in the credential.',
	);
}

/** The account whose tag is `tag`: never one whose name merely sounds right (the vendor's warning). */
function accountWithTag(list: Account[], tag: string): string {
	const match = list.find((account) => typeof account.nameTag === 'string' && account.nameTag.trim().toLowerCase() === tag.toLowerCase());
	if (match) return match.aToken;
	const tags = list.map((account) => account.nameTag).filter((seen): seen is string => typeof seen === 'string' && seen !== '');
	throw new InputError(
		'Account Tag',
		tags.length === 0
			? `No account of your API user carries the Account Tag "${tag}": Thinksurance's account list has no tags.`
			: `No account of your API user carries the Account Tag "${tag}". Tags seen: ${tags.map((seen) => `"${seen}"`).join(', ')}.`,
		'Open the Thinksurance credential and correct the Account Tag (your account manager gives it to you), or set a Default Account Token instead.',
	);
}
