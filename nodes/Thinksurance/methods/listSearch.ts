/**
 * The "From List" modes of typeVersion 1.1's resource locators: the API user's accounts, and the
 * recent inquiries of the chosen account.
 *
 * Inquiries: the search API has no paging and answers its whole window at once (an account with
 * 5,000 inquiries: ~9.6 MB for three months). So the first page asks only for the last 7 days,
 * filtering or scrolling past it reads the full window once, each answer is parsed while it
 * arrives keeping only the few fields a list line needs, and the compact lists are kept for a
 * minute per credential and account, so typing and scrolling reuse them instead of asking again.
 */
import { createHash } from 'crypto';
import {
	NodeApiError,
	NodeOperationError,
	type ILoadOptionsFunctions,
	type INodeListSearchItems,
	type INodeListSearchResult,
} from 'n8n-workflow';

import { resolveAccountToken, listAccounts } from '../../shared/domain/accounts';
import { InputError } from '../../shared/domain/input';
import { isLocatorValue } from '../../shared/n8n/jsonPathParameters';
import { looksLikeInquiryItem, parseInquiryCollection, parseInquiryItem, type Inquiry } from '../../shared/domain/responses';
import { customerName, simplifyInquiry } from '../../shared/domain/simplify';
import { baseUrlFor, thinksuranceCredentials, type EntryReader } from '../../shared/api';
import { searchInquiries as searchInquiriesOf, type InquiryFilter } from '../../shared/domain/inquiries';

/** Results per page of the inquiry list. */
export const PAGE_SIZE = 50;
/** The small first window: inquiries created or updated today and in the last 7 days. */
export const FIRST_WINDOW_DAYS = 7;
/** How long a fetched list is reused (typing, scrolling, reopening the list). */
export const LIST_CACHE_MS = 60_000;
const CACHE_ENTRIES = 20;

/** What one line of the inquiry list needs, nothing more. */
export interface InquiryListEntry {
	id: string;
	customer: string | null;
	company: string | null;
	product: string | null;
	status: string | null;
	updated: string;
	/** Lower-case text without accents that the filter is matched against. */
	haystack: string;
}

/** Lower case, accents removed: "Müller" is found by "muller" and "müller". */
export function searchText(value: string): string {
	return value
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase();
}

export function listEntry(inquiry: Inquiry): InquiryListEntry | undefined {
	if (inquiry.inquiryId === null) return undefined;
	const item = simplifyInquiry(inquiry);
	const id = String(inquiry.inquiryId);
	const customer = customerName(inquiry.customer);
	const status = item.statusName ?? (item.status === null ? null : `status ${item.status}`);
	return {
		id,
		customer,
		company: item.customerCompany,
		product: item.productName,
		status,
		updated: item.updated ?? item.created ?? '',
		haystack: searchText([id, customer, item.customerCompany, item.productName].filter(Boolean).join(' ')),
	};
}

/** e.g. `1878887 · Cafe Müller GmbH · Cyberversicherung · ordered` */
export function inquiryListName(entry: InquiryListEntry): string {
	return [entry.id, entry.company ?? entry.customer ?? 'no customer', entry.product ?? 'no product', entry.status ?? 'no status'].join(' · ');
}

/** Most recently updated first; the API's dates ("YYYY-MM-DD hh:mm:ss") sort as text. */
function newestFirst(a: InquiryListEntry, b: InquiryListEntry): number {
	if (a.updated !== b.updated) return a.updated < b.updated ? 1 : -1;
	return Number(b.id) - Number(a.id);
}

function compactReader(entries: InquiryListEntry[]): EntryReader {
	return {
		keep(key, value) {
			if (!looksLikeInquiryItem(value)) return value;
			const inquiry = parseInquiryItem(value, typeof key === 'string' ? key : undefined);
			const entry = inquiry && listEntry(inquiry);
			if (entry) entries.push(entry);
			return undefined;
		},
	};
}

interface CachedList {
	expiresAt: number;
	entries: Promise<InquiryListEntry[]>;
}

const listCache = new Map<string, CachedList>();

/** Forgets every cached inquiry list (tests). */
export function clearInquiryListCache(): void {
	listCache.clear();
}

function cacheKey(parts: Array<string | number | undefined>): string {
	return createHash('sha256').update(parts.map((part) => String(part ?? '')).join('\u0000')).digest('hex');
}

/** The compact inquiry list of one account and window (days; undefined = the API's three months). */
async function inquiryList(this: ILoadOptionsFunctions, accountToken: string, lastDays: number | undefined): Promise<InquiryListEntry[]> {
	const credentials = await thinksuranceCredentials(this);
	const key = cacheKey([baseUrlFor(credentials), String(credentials.hash ?? ''), String(credentials.secret ?? ''), accountToken, lastDays]);
	const now = Date.now();
	const cached = listCache.get(key);
	if (cached && cached.expiresAt > now) return await cached.entries;

	const entries = (async () => {
		const found = await searchListEntries.call(this, accountToken, lastDays ? { lastDays } : {});
		return found.sort(newestFirst);
	})();
	listCache.delete(key);
	listCache.set(key, { expiresAt: now + LIST_CACHE_MS, entries });
	while (listCache.size > CACHE_ENTRIES) listCache.delete(listCache.keys().next().value as string);
	// A failed fetch is not kept: the next look (or the user's retry) asks again.
	entries.catch(() => {
		if (listCache.get(key)?.entries === entries) listCache.delete(key);
	});
	return await entries;
}

/** The account chosen in the node (locator or text); empty = credential default or only account. */
async function chosenAccount(this: ILoadOptionsFunctions): Promise<string> {
	let value: unknown;
	try {
		value = this.getCurrentNodeParameter('accountToken', { extractValue: true });
	} catch {
		// No account parameter in this operation (Get as broker): use the default account.
		value = '';
	}
	if (isLocatorValue(value)) value = value.value;
	if (typeof value === 'string' && value.startsWith('=')) {
		throw new NodeOperationError(this.getNode(), 'The inquiry list needs a fixed account, not an expression.', {
			description: 'Pick the account from the list or enter its token, or choose the inquiry "By ID".',
		});
	}
	try {
		return await resolveAccountToken.call(this, value);
	} catch (error) {
		throw listError(this, error);
	}
}

/** Input problems as the node error the list shows; the transport's errors are already safe to show. */
function listError(ctx: ILoadOptionsFunctions, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof InputError) return new NodeOperationError(ctx.getNode(), `${error.message}${error.hint ? ` ${error.hint}` : ''}`, { description: error.hint });
	return new NodeOperationError(ctx.getNode(), error as Error);
}

interface PageCursor {
	/** Reading the full window (true) or the first small one (false). */
	full: boolean;
	offset: number;
}

function readCursor(token: string | undefined): PageCursor {
	const match = /^(w|f):(\d+)$/.exec(token ?? '');
	return match ? { full: match[1] === 'f', offset: Number(match[2]) } : { full: false, offset: 0 };
}

/** Accounts of the API user, by name. */
export async function searchAccounts(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
	const accounts = await listAccounts.call(this);
	const needle = searchText(filter?.trim() ?? '');
	const results: INodeListSearchItems[] = accounts
		.map((account) => ({ name: account.name || 'Unnamed account', value: account.aToken }))
		.filter((account) => needle === '' || searchText(account.name).includes(needle))
		.sort((a, b) => a.name.localeCompare(b.name));
	return { results };
}

/**
 * Recent inquiries of the chosen account, newest first, matched against ID, customer, company
 * and product. Without a filter the first page comes from the last 7 days; later pages and every
 * filtered look read the API's full window (three months). A number also finds an older inquiry
 * by its exact ID.
 */
export async function searchInquiries(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const accountToken = await chosenAccount.call(this);
	const needle = searchText(filter?.trim() ?? '');
	const cursor = readCursor(paginationToken);
	const matches = (entries: InquiryListEntry[]) => (needle === '' ? entries : entries.filter((entry) => entry.haystack.includes(needle)));

	let page: InquiryListEntry[] = [];
	let next: string | undefined;
	if (!cursor.full && needle === '') {
		const recent = await inquiryList.call(this, accountToken, FIRST_WINDOW_DAYS);
		if (recent.length > cursor.offset + PAGE_SIZE) {
			page = recent.slice(cursor.offset, cursor.offset + PAGE_SIZE);
			// The full window, newest first, starts with the same inquiries: go on there.
			next = `f:${cursor.offset + PAGE_SIZE}`;
		} else {
			cursor.full = true;
		}
	} else {
		cursor.full = true;
	}
	if (cursor.full) {
		const all = matches(await inquiryList.call(this, accountToken, undefined));
		page = all.slice(cursor.offset, cursor.offset + PAGE_SIZE);
		next = all.length > cursor.offset + PAGE_SIZE ? `f:${cursor.offset + PAGE_SIZE}` : undefined;
		if (cursor.offset === 0 && /^\d+$/.test(needle) && !all.some((entry) => entry.id === needle)) {
			const older = await inquiryById.call(this, accountToken, needle);
			if (older) page = [older, ...page].slice(0, PAGE_SIZE);
		}
	}
	return {
		results: page.map((entry) => ({ name: inquiryListName(entry), value: entry.id })),
		...(next ? { paginationToken: next } : {}),
	};
}

/** One inquiry by its exact ID (outside the window too); none when the account has no such inquiry. */
async function inquiryById(this: ILoadOptionsFunctions, accountToken: string, inquiryId: string): Promise<InquiryListEntry | undefined> {
	const found = await searchListEntries.call(this, accountToken, { inquiryId });
	return found.find((entry) => entry.id === inquiryId);
}

/** Inquiry Search keeping only the list fields of each inquiry, read while the answer streams in. */
async function searchListEntries(this: ILoadOptionsFunctions, accountToken: string, filter: InquiryFilter): Promise<InquiryListEntry[]> {
	const found: InquiryListEntry[] = [];
	const answer = await searchInquiriesOf.call(this, { accountToken }, filter, {
		entryReader: () => {
			// A retry reads the answer again from the start.
			found.length = 0;
			return compactReader(found);
		},
	});
	// What the reader left (a list answer, a single item at the top level).
	for (const inquiry of parseInquiryCollection(answer)) {
		const entry = listEntry(inquiry);
		if (entry) found.push(entry);
	}
	return found;
}
