/**
 * The simplified inquiry of typeVersion 1.1 (interface.md): the fields a person or an AI agent
 * reads, with readable status, premium in euros and `null` for the API's empty strings.
 */
import type { IDataObject } from 'n8n-workflow';

import { inquiryStatus, normaliseId, type Inquiry } from './responses';

/** Readable names of the statuses seen in the API; other numbers have no name (null). */
export const STATUS_NAMES: Readonly<Record<number, string>> = {
	2: 'tendering (lead)',
	3: 'tendering',
	4: 'calculated',
	6: 'ordered',
	15: 'proposal created',
};

export interface SimplifiedInquiry extends IDataObject {
	inquiryId: number | string | null;
	status: number | null;
	statusName: string | null;
	productName: string | null;
	professionName: string | null;
	industryName: string | null;
	brokerExternalId: string | null;
	customerExternalId: string | null;
	customerName: string | null;
	customerCompany: string | null;
	customerEmail: string | null;
	insuranceCompanyName: string | null;
	premiumYearlyEur: number | null;
	coverage: number | string | null;
	deductible: number | string | null;
	contractStartDate: string | null;
	created: string | null;
	updated: string | null;
	documentCount: number;
}

export function statusName(status: number | null | undefined): string | null {
	return status === null || status === undefined ? null : (STATUS_NAMES[status] ?? null);
}

function isObject(value: unknown): value is IDataObject {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** The first of `names` that holds a real value; "" and missing are null. */
function pick(source: IDataObject, ...names: string[]): unknown {
	for (const name of names) {
		const value = source[name];
		if (value === undefined || value === null) continue;
		if (typeof value === 'string' && value.trim() === '') continue;
		return value;
	}
	return null;
}

function text(source: IDataObject, ...names: string[]): string | null {
	const value = pick(source, ...names);
	if (value === null) return null;
	return typeof value === 'string' ? value.trim() : typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
}

/** Numbers as numbers (also numeric text); other text unchanged (e.g. "unbegrenzt"). */
function amount(source: IDataObject, ...names: string[]): number | string | null {
	const value = pick(source, ...names);
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value === 'string') {
		const trimmed = value.trim();
		return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : trimmed;
	}
	return null;
}

/** The API sends the yearly premium in cents. */
function euros(source: IDataObject, ...names: string[]): number | null {
	const cents = amount(source, ...names);
	return typeof cents === 'number' ? Math.round(cents) / 100 : null;
}

export function customerName(customer: IDataObject): string | null {
	const name = [text(customer, 'cFirstName', 'firstName'), text(customer, 'cLastName', 'lastName')].filter((part) => part !== null).join(' ');
	return name === '' ? null : name;
}

export function documentCount(inquiry: Inquiry): number {
	const files = inquiry.docs.files;
	const list = Array.isArray(files) ? files : isObject(files) ? Object.values(files) : [];
	return list.filter(isObject).length;
}

export function simplifyInquiry(inquiry: Inquiry): SimplifiedInquiry {
	const { data, customer } = inquiry;
	const status = inquiryStatus(inquiry) ?? null;
	const brokerExternalId = normaliseId(pick(data, 'bExternalId'));
	const customerExternalId = normaliseId(pick(customer, 'cExternalId'));
	return {
		inquiryId: inquiry.inquiryId,
		status,
		statusName: statusName(status),
		productName: text(data, 'productName'),
		professionName: text(data, 'professionName'),
		industryName: text(data, 'industryName'),
		// External IDs are the partner's own text, even when they look like numbers.
		brokerExternalId: brokerExternalId === null ? null : String(brokerExternalId),
		customerExternalId: customerExternalId === null ? null : String(customerExternalId),
		customerName: customerName(customer),
		customerCompany: text(customer, 'cCompany', 'company'),
		customerEmail: text(customer, 'cEmail', 'email'),
		insuranceCompanyName: text(data, 'insuranceCompanyName'),
		premiumYearlyEur: euros(data, 'premiumYearly'),
		coverage: amount(data, 'coverage'),
		deductible: amount(data, 'deductible'),
		contractStartDate: text(data, 'contractStartDate'),
		created: text(data, 'iCreated', 'created'),
		updated: text(data, 'iUpdated', 'updated'),
		documentCount: documentCount(inquiry),
	};
}
