/** Reading the API's answers. Tolerant: the documented and the example field names differ. */
import type { IDataObject } from 'n8n-workflow';

export interface Inquiry extends IDataObject {
	inquiryId: number | string | null;
	sHash: string | null;
	data: IDataObject;
	customer: IDataObject;
	docs: IDataObject;
}

export interface Account extends IDataObject {
	name: string;
	aToken: string;
	/** The account's tag, which never changes (V1.1 account list). */
	nameTag?: string;
}

export interface DocumentFile {
	name: string;
	fullName?: string;
	hash?: string;
	fullFilePath: string;
	documentPurpose?: string;
}

function isObject(value: unknown): value is IDataObject {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Numeric IDs as numbers (the API mixes "123" and 123); anything else unchanged. */
export function normaliseId(value: unknown): number | string | null {
	if (typeof value === 'number' && Number.isFinite(value)) return value;
	if (typeof value === 'string' && value.trim() !== '') {
		const trimmed = value.trim();
		return /^\d{1,15}$/.test(trimmed) ? Number(trimmed) : trimmed;
	}
	return null;
}

/** An inquiry item (`{sHash, data, customer, docs}`) with its ID lifted to the top. */
export function parseInquiryItem(raw: unknown, key?: string): Inquiry | undefined {
	if (!isObject(raw)) return undefined;
	const data = isObject(raw.data) ? raw.data : {};
	return {
		// "" counts as missing: the API sends empty values as "" even for numeric fields.
		inquiryId: normaliseId(data.iId) ?? normaliseId(raw.iId) ?? normaliseId(key),
		sHash: typeof raw.sHash === 'string' ? raw.sHash : null,
		data,
		customer: isObject(raw.customer) ? raw.customer : {},
		docs: isObject(raw.docs) ? raw.docs : {},
	};
}

/** Whether a value looks like an inquiry item rather than some other object. */
export function looksLikeInquiryItem(value: unknown): boolean {
	return isObject(value) && (isObject(value.data) || isObject(value.customer) || isObject(value.docs)) && !('affected' in value);
}

/** Search answer: an object keyed by inquiry ID (or, tolerated, a list of items). */
export function parseInquiryCollection(body: unknown): Inquiry[] {
	if (Array.isArray(body)) {
		return body.map((item) => parseInquiryItem(item)).filter((item): item is Inquiry => item !== undefined);
	}
	if (!isObject(body)) return [];
	if (looksLikeInquiryItem(body)) {
		const single = parseInquiryItem(body);
		return single ? [single] : [];
	}
	const inquiries: Inquiry[] = [];
	for (const [key, value] of Object.entries(body)) {
		const inquiry = parseInquiryItem(value, key);
		if (inquiry) inquiries.push(inquiry);
	}
	return inquiries;
}

/** The inquiry status as a number; unknown numbers stay numbers, "" becomes undefined. */
export function inquiryStatus(inquiry: Inquiry): number | undefined {
	const status = inquiry.data.status;
	if (typeof status === 'number') return status;
	if (typeof status === 'string' && /^\d+$/.test(status.trim())) return Number(status);
	return undefined;
}

export function documentToken(inquiry: Inquiry): string | undefined {
	const docToken = inquiry.docs.docToken;
	if (typeof docToken === 'string') return docToken;
	if (isObject(docToken) && typeof docToken.token === 'string') return docToken.token;
	return undefined;
}

export function documentFiles(inquiry: Inquiry): DocumentFile[] {
	const files = inquiry.docs.files;
	const list = Array.isArray(files) ? files : isObject(files) ? Object.values(files) : [];
	return list.filter(isObject).flatMap((file) => {
		const path = file.fullFilePath ?? file.url ?? file.href;
		if (typeof path !== 'string' || path === '') return [];
		return [
			{
				name: String(file.name ?? file.fullName ?? 'document'),
				fullName: typeof file.fullName === 'string' ? file.fullName : undefined,
				hash: typeof file.hash === 'string' ? file.hash : undefined,
				fullFilePath: path,
				documentPurpose: typeof file.documentPurpose === 'string' ? file.documentPurpose : undefined,
			},
		];
	});
}

/** Account Tokens answer: `[{name, aToken, nameTag?}]`, or one such object; tolerated inside `{accounts: […]}` or keyed by name. */
export function parseAccounts(body: unknown): Account[] {
	let list: unknown[] = [];
	if (Array.isArray(body)) list = body;
	else if (isObject(body)) {
		const inner = body.accounts ?? body.data ?? body.tokens;
		if (Array.isArray(inner)) list = inner;
		else if (typeof body.aToken === 'string') list = [body];
		else list = Object.entries(body).map(([name, aToken]) => (typeof aToken === 'string' ? { name, aToken } : aToken));
	}
	return list.filter(isObject).flatMap((entry) => {
		const token = entry.aToken ?? entry.atoken ?? entry.token;
		if (typeof token !== 'string' || token === '') return [];
		// Whatever else the API sends (nameTag …) is kept, after the two the interface fixes.
		const account: Account = { name: String(entry.name ?? entry.accountName ?? ''), aToken: token };
		for (const [key, value] of Object.entries(entry)) if (!(key in account) && !['atoken', 'token', 'accountName'].includes(key)) account[key] = value;
		return [account];
	});
}

export interface ForwardResult extends IDataObject {
	url: string;
	inquiryId?: number | string;
	inquiryHash?: string;
}

export function parseForwardAnswer(body: unknown): ForwardResult | undefined {
	if (!isObject(body) || typeof body.url !== 'string') return undefined;
	const result: ForwardResult = { url: body.url };
	const inquiryId = normaliseId(body.inquiryId ?? body.iId);
	if (inquiryId !== null) result.inquiryId = inquiryId;
	const inquiryHash = body.inquiryHash ?? body.iHash;
	if (typeof inquiryHash === 'string' && inquiryHash !== '') result.inquiryHash = inquiryHash;
	return result;
}

export function parseCreateBrokerAnswer(body: unknown): { status: string; brokerToken: string } | undefined {
	if (!isObject(body)) return undefined;
	const token = body.bToken ?? body.btoken;
	if (typeof token !== 'string' || token === '') return undefined;
	return { status: String(body.status ?? 'success'), brokerToken: token };
}

export interface BrokerTokenAnswer {
	brokerToken: string;
	/** The API's status text; V1 answers without one. */
	status: string | null;
	brokerCode?: string;
	lastName?: string;
	email?: string;
	company?: string;
}

const nonEmptyText = (value: unknown): string | undefined =>
	typeof value === 'string' && value.trim() !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/**
 * Get Broker Token answer: V1.1 `{status, bToken}`, V1 a list of `{bToken, bLastName, bEmail,
 * bCompany, bCode}` (the entry with the external ID, else the first). `null`: the answer names
 * no broker (an empty list); undefined: not a broker token answer at all.
 */
export function parseBrokerTokenAnswer(body: unknown, brokerExternalId: string): BrokerTokenAnswer | null | undefined {
	let entry: unknown = body;
	if (isObject(body) && !('bToken' in body) && Array.isArray(body.data ?? body.brokers)) entry = body.data ?? body.brokers;
	if (Array.isArray(entry)) {
		const brokers = entry.filter(isObject);
		if (brokers.length === 0) return null;
		entry = brokers.find((broker) => String(broker.bExternalId ?? '') === brokerExternalId) ?? brokers[0];
	}
	if (!isObject(entry)) return undefined;
	const token = entry.bToken ?? entry.btoken;
	if (typeof token !== 'string' || token === '') return undefined;
	const statusOf = isObject(body) ? body.status : undefined;
	const answer: BrokerTokenAnswer = { brokerToken: token, status: nonEmptyText(entry.status ?? statusOf) ?? null };
	const extras: Array<[keyof BrokerTokenAnswer, unknown]> = [
		['brokerCode', entry.bCode],
		['lastName', entry.bLastName],
		['email', entry.bEmail],
		['company', entry.bCompany],
	];
	for (const [name, value] of extras) {
		const text = nonEmptyText(value);
		if (text !== undefined) (answer as unknown as IDataObject)[name] = text;
	}
	return answer;
}

export interface CatalogueEntry extends IDataObject {
	id: number | string | null;
	name: string | null;
}

/**
 * Products and professions: `[{id, name}]`; tolerated inside `{products|professions|data: […]}`
 * or as an object keyed by ID. Every other field is passed on as sent.
 */
export function parseCatalogue(body: unknown): CatalogueEntry[] {
	let list: unknown[] = [];
	if (Array.isArray(body)) list = body;
	else if (isObject(body)) {
		const inner = body.products ?? body.professions ?? body.data ?? body.items;
		if (Array.isArray(inner)) list = inner;
		else if ('id' in body && 'name' in body) list = [body];
		else list = Object.entries(body).map(([id, value]) => (isObject(value) ? { id, ...value } : { id, name: value }));
	}
	return list.filter(isObject).map((entry) => {
		const { id, name, ...rest } = entry;
		return { id: normaliseId(id), name: typeof name === 'string' ? name : name === undefined || name === null ? null : String(name), ...rest };
	});
}
