/**
 * Inquiries in the user's words: search an account's or a broker's inquiries, fetch one by ID.
 * Used by the action node, both triggers and the inquiry list; which dialect answers is the
 * API layer's business (V1 answers one inquiry as an item, V1.1 as a search keyed by ID).
 */
import type { IDataObject } from 'n8n-workflow';

import { thinksuranceApiRequest, type EntryReader, type ThinksuranceContext } from '../api';
import { InputError, readInteger, requireText } from './input';
import { looksLikeInquiryItem, parseInquiryCollection, parseInquiryItem, type Inquiry } from './responses';

/** Whose inquiries: an account's (aToken) or one broker's (bToken). */
export type InquiryOwner = { accountToken: string; brokerToken?: undefined } | { brokerToken: string; accountToken?: undefined };

export interface InquiryFilter {
	inquiryId?: number | string;
	/** 1 = today and yesterday; none = the API's default (three months). */
	lastDays?: number;
}

function actingFor(owner: InquiryOwner): { account: string } | { broker: string } {
	return owner.brokerToken !== undefined ? { broker: owner.brokerToken } : { account: owner.accountToken };
}

/** Inquiry IDs are numbers; text from expressions is accepted when it is one. */
export function readInquiryId(value: unknown): string {
	const id = requireText(value, 'Inquiry ID').trim();
	if (!/^\d+$/.test(id)) {
		throw new InputError('Inquiry ID', `"Inquiry ID" must be a number but is "${id}".`, 'Use the numeric iId, e.g. 1878887.');
	}
	return id;
}

/** Status filter values: numbers, or numeric text from expressions. */
export function readStatusFilter(value: unknown): Set<number> {
	if (value === undefined || value === null || value === '') return new Set();
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
	return new Set(list.map((status, index) => readInteger(status, `Filters → Status (entry ${index + 1})`) as number));
}

/**
 * Searches inquiries; the answer as the API sends it (an object keyed by inquiry ID). With an
 * entry reader, inquiries are taken while the answer arrives.
 */
export async function searchInquiries(
	this: ThinksuranceContext,
	owner: InquiryOwner,
	filter: InquiryFilter,
	options: { itemIndex?: number; timeoutMs?: number; entryReader?: () => EntryReader } = {},
): Promise<unknown> {
	const params: IDataObject = {};
	if (filter.inquiryId !== undefined && filter.inquiryId !== '' && filter.inquiryId !== 0) params.inquiryId = Number(filter.inquiryId);
	if (filter.lastDays !== undefined) params.lastDays = filter.lastDays;
	return await thinksuranceApiRequest.call(this, 'inquirySearch', { ...actingFor(owner), params }, options);
}

/** One inquiry by ID, read with an account's or a broker's token; undefined when the answer holds none. */
export async function fetchInquiry(
	this: ThinksuranceContext,
	inquiryId: string,
	owner: InquiryOwner,
	options: { itemIndex?: number; timeoutMs?: number } = {},
): Promise<Inquiry | undefined> {
	const answer = await thinksuranceApiRequest.call(
		this,
		'inquiryGet',
		{ ...actingFor(owner), id: inquiryId },
		options,
	);
	// V1 answers the item itself; V1.1 a search keyed by ID. An answer without any inquiry part is no inquiry.
	if (looksLikeInquiryItem(answer)) return parseInquiryItem(answer, inquiryId);
	return parseInquiryCollection(answer).find((inquiry) => String(inquiry.inquiryId) === inquiryId);
}
