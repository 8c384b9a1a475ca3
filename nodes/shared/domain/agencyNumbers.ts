/**
 * Agency numbers — a broker's or an account's numbers with each insurer — in the user's words:
 * the bodies of Add and Delete (checked before anything is sent) and the items of Get Many.
 * Bodies use V1.1's key names; the V1 table renames what V1 spells differently.
 */
import type { IDataObject } from 'n8n-workflow';

import { thinksuranceApiRequest, type ThinksuranceContext } from '../api';
import { InputError, isEmpty, readBoolean, readText, requireText } from './input';

export const INSURER_ID_TYPES = ['baFinId', 'insurerId', 'supervisingAuthorityId'] as const;
export type InsurerIdType = (typeof INSURER_ID_TYPES)[number];

export const COLLECTION_TYPES = ['insurer_collection', 'mga_collection'] as const;

/** Whose numbers: an account's (aToken) or one broker's (bToken). */
export type AgencyNumberOwner = { accountToken: string; brokerToken?: undefined } | { brokerToken: string; accountToken?: undefined };

export interface Insurer {
	insurerIdType: InsurerIdType;
	insurerId: string;
}

/**
 * One agency number of Get Many: `agencyNumber`, `matchCode`, `externalInsurerId`,
 * `externalUniqueId`, `defaultForTenders`, `defaultForCalculations`, `collectionType`,
 * `internalComment`, `active` and its set's `baFinId`, `insurerId`, `supervisingAuthorityId`; absent = null.
 */
export type AgencyNumberItem = IDataObject;

const NUMBER_FIELDS = [
	'agencyNumber',
	'matchCode',
	'externalInsurerId',
	'externalUniqueId',
	'defaultForTenders',
	'defaultForCalculations',
	'collectionType',
	'internalComment',
	'active',
] as const;

const ENTRIES = 'Agency Numbers';

/** The insurer a set is for; every set needs one ID (which one the user picks). */
export function readInsurer(type: unknown, id: unknown): Insurer {
	const insurerIdType = readText(type, 'Insurer ID Type') ?? 'baFinId';
	if (!(INSURER_ID_TYPES as readonly string[]).includes(insurerIdType)) {
		throw new InputError(
			'Insurer ID Type',
			`"Insurer ID Type" must be one of ${INSURER_ID_TYPES.join(', ')} but is "${insurerIdType}".`,
			'Choose a value from the list.',
		);
	}
	const insurerId = readText(id, 'Insurer ID')?.trim();
	if (!insurerId) {
		throw new InputError(
			'Insurer ID',
			'"Insurer ID" is required: Thinksurance files agency numbers by insurer.',
			'Enter the insurer\'s BaFin ID, Thinksurance insurer ID or supervising authority ID, as chosen under "Insurer ID Type".',
		);
	}
	return { insurerIdType: insurerIdType as InsurerIdType, insurerId };
}

/** The entries of the fixed collection `agencyNumbers.number[]`; expressions may give one object. */
function readEntries(value: unknown): IDataObject[] {
	if (isEmpty(value)) return [];
	if (typeof value !== 'object' || Array.isArray(value)) {
		throw new InputError(ENTRIES, `"${ENTRIES}" must be a set of entries.`, 'Add the numbers with "Add Agency Number", or map them one field at a time.');
	}
	const entries = (value as IDataObject).number;
	if (isEmpty(entries)) return [];
	const list = Array.isArray(entries) ? entries : [entries];
	return list.map((entry, index) => {
		if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
			throw new InputError(`${ENTRIES} (entry ${index + 1})`, `"${ENTRIES}" entry ${index + 1} must be a set of fields.`);
		}
		return entry as IDataObject;
	});
}

const field = (name: string, index: number) => `${ENTRIES} → ${name} (entry ${index + 1})`;

function noEntries(action: string): InputError {
	return new InputError(ENTRIES, `"${ENTRIES}" is empty: add at least one agency number to ${action}.`, 'Click "Add Agency Number".');
}

/** Add: one set for the chosen insurer; the numbers as entered, with the defaults the UI shows. */
export function agencyNumbersAddBody(insurer: Insurer, value: unknown): { body: IDataObject; agencyNumbers: string[] } {
	const entries = readEntries(value);
	if (entries.length === 0) throw noEntries('add');
	const uniqueIds = new Map<string, number>();
	const numbers = entries.map((entry, index) => {
		const number: IDataObject = {
			agencyNumber: requireText(entry.agencyNumber, field('Agency Number', index)).trim(),
		};
		for (const [key, name] of [
			['matchCode', 'Match Code'],
			['externalInsurerId', 'External Insurer ID'],
			['externalUniqueId', 'External Unique ID'],
		] as const) {
			const text = readText(entry[key], field(name, index))?.trim();
			if (text) number[key] = text;
		}
		// The vendor marks defaultForTenders as required: the booleans are always sent.
		number.defaultForTenders = readBoolean(entry.defaultForTenders, field('Default for Tenders', index)) ?? false;
		number.defaultForCalculations = readBoolean(entry.defaultForCalculations, field('Default for Calculations', index)) ?? false;
		const collectionType = readText(entry.collectionType, field('Collection Type', index))?.trim();
		if (collectionType) number.collectionType = collectionType;
		const comment = readText(entry.internalComment, field('Internal Comment', index));
		if (comment !== undefined && comment.trim() !== '') number.internalComment = comment;
		number.active = readBoolean(entry.active, field('Active', index)) ?? true;

		// An externalUniqueId is never reusable: twice in one request would be refused or lose an entry.
		const uniqueId = number.externalUniqueId as string | undefined;
		if (uniqueId !== undefined) {
			const first = uniqueIds.get(uniqueId);
			if (first !== undefined) {
				throw new InputError(
					field('External Unique ID', index),
					`"${field('External Unique ID', index)}" is "${uniqueId}", the same as entry ${first + 1}.`,
					'Each entry needs its own External Unique ID (your CRM\'s ID of the entry), or none.',
				);
			}
			uniqueIds.set(uniqueId, index);
		}
		return number;
	});
	return {
		body: { agencyNumberSets: [{ [insurer.insurerIdType]: insurer.insurerId, agencyNumbers: numbers }] },
		agencyNumbers: numbers.map((number) => number.agencyNumber as string),
	};
}

/**
 * Delete: the named numbers of the chosen insurer, each by agency number or by the CRM's insurer
 * reference. Never a set without numbers: whether that deletes all of the insurer's numbers is
 * not documented.
 */
export function agencyNumbersDeleteBody(insurer: Insurer, value: unknown): { body: IDataObject; deleted: string[] } {
	const entries = readEntries(value);
	if (entries.length === 0) throw noEntries('delete');
	const numbers = entries.map((entry, index): IDataObject => {
		const agencyNumber = readText(entry.agencyNumber, field('Agency Number', index))?.trim();
		// The agency number names one entry exactly, so it wins when both are set.
		if (agencyNumber) return { agencyNumber };
		const externalInsurerId = readText(entry.externalInsurerId, field('External Insurer ID', index))?.trim();
		if (externalInsurerId) return { externalInsurerId };
		throw new InputError(
			field('Agency Number', index),
			`"${ENTRIES}" entry ${index + 1} names no agency number: set "Agency Number" or "External Insurer ID".`,
			'Remove the empty entry, or fill in one of the two fields.',
		);
	});
	return {
		body: { agencyNumberSets: [{ [insurer.insurerIdType]: insurer.insurerId, agencyNumbers: numbers }] },
		deleted: numbers.map((number) => String(number.agencyNumber ?? number.externalInsurerId)),
	};
}

/** The API's status text of an Add or Delete, or null. */
export function readAgencyNumbersStatus(answer: unknown): string | null {
	const status = answer && typeof answer === 'object' && !Array.isArray(answer) ? (answer as IDataObject).status : undefined;
	return typeof status === 'string' || typeof status === 'number' ? String(status) : null;
}

const isObject = (value: unknown): value is IDataObject => !!value && typeof value === 'object' && !Array.isArray(value);
const orNull = (value: unknown): IDataObject[string] => (value === undefined || value === '' ? null : (value as IDataObject[string]));

function numberItem(number: IDataObject, set: IDataObject): AgencyNumberItem {
	const item: AgencyNumberItem = {};
	for (const key of NUMBER_FIELDS) item[key] = orNull(number[key]);
	// V1 pages spell the BaFin ID baFinRegNr, V1.1 baFinId.
	item.baFinId = orNull(set.baFinId ?? set.baFinRegNr);
	item.insurerId = orNull(set.insurerId);
	item.supervisingAuthorityId = orNull(set.supervisingAuthorityId);
	return item;
}

/**
 * The agency numbers of an answer, one item each. The vendor's table says `agencyNumberSets`,
 * its example `agencyNumbers`; both hold sets of `{<insurer ID>, agencyNumbers: [...]}`. A list
 * entry that is a number itself (no inner list) is taken as one. Undefined: no such answer.
 */
export function parseAgencyNumbers(answer: unknown): AgencyNumberItem[] | undefined {
	let sets: unknown;
	if (Array.isArray(answer)) sets = answer;
	else if (isObject(answer)) sets = answer.agencyNumberSets ?? answer.agencyNumbers;
	if (isObject(sets)) sets = [sets];
	if (!Array.isArray(sets)) return undefined;
	const items: AgencyNumberItem[] = [];
	for (const set of sets) {
		if (!isObject(set)) continue;
		if (Array.isArray(set.agencyNumbers)) {
			for (const number of set.agencyNumbers) if (isObject(number)) items.push(numberItem(number, set));
		} else if (set.agencyNumber !== undefined) {
			items.push(numberItem(set, set));
		}
	}
	return items;
}

function actingFor(owner: AgencyNumberOwner): { account: string } | { broker: string } {
	return owner.brokerToken !== undefined ? { broker: owner.brokerToken } : { account: owner.accountToken };
}

type CallOptions = { itemIndex?: number; timeoutMs?: number };

export async function addAgencyNumbers(this: ThinksuranceContext, owner: AgencyNumberOwner, body: IDataObject, options: CallOptions = {}): Promise<unknown> {
	return await thinksuranceApiRequest.call(this, 'agencyNumbersAdd', { ...actingFor(owner), body }, options);
}

export async function deleteAgencyNumbers(this: ThinksuranceContext, owner: AgencyNumberOwner, body: IDataObject, options: CallOptions = {}): Promise<unknown> {
	return await thinksuranceApiRequest.call(this, 'agencyNumbersDelete', { ...actingFor(owner), body }, options);
}

/** Get Many: the vendor documents only an account-level read (V1, also for V1.1 credentials). */
export async function getAgencyNumbers(this: ThinksuranceContext, accountToken: string, options: CallOptions = {}): Promise<unknown> {
	return await thinksuranceApiRequest.call(this, 'agencyNumbersGet', { account: accountToken }, options);
}
