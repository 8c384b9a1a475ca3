/**
 * What Thinksurance posts to the webhook: V2 events (references only) or older callbacks
 * with full inquiry items. Pure code: turns a parsed body into deliveries or a reason to refuse.
 * Strict on purpose: a body that is not clearly one of the two shapes starts nothing.
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { EventReference } from '../../shared/domain/events';
import { looksLikeInquiryItem, normaliseId, parseInquiryItem, type Inquiry } from '../../shared/domain/responses';

export const LEGACY_EVENT_TYPE = 'ipnCallback';

/** An inquiry the delivery names; only these are fetched. */
export interface AffectedInquiry {
	inquiryId: number | string;
	/** The inquiry carried in the body (legacy callbacks only); never trusted when fetching is on. */
	inquiry: Inquiry | null;
}

export interface Delivery {
	eventType: string;
	eventId: string | null;
	eventTime: string | null;
	notificationId: string | null;
	accountReference: string | null;
	brokerReference: string | null;
	/** `affected` entries of type `inquiry`, in order, each ID once. */
	inquiries: AffectedInquiry[];
	/** Every other affected entity (contract, customer …), in order; rides along on the items. */
	references: EventReference[];
	/** Key for recognising a redelivery: the eventId, else a fingerprint of the event. */
	dedupKey: string;
}

export type ParseResult = { ok: true; deliveries: Delivery[] } | { ok: false; reason: string };

export const LIMITS = { maxDepth: 32, maxAffected: 1000, maxLegacyInquiries: 1000, maxReferenceIdLength: 64 };

/**
 * Event types Thinksurance documents, normalised: the current PascalCase list and the older
 * snake_case family. Others are delivered too (under All Events); this list feeds the options.
 */
export const KNOWN_EVENT_TYPES = [
	'bookingCreated',
	'contractCreated',
	'inquiryCancelled',
	'inquiryCreated',
	'inquiryOrdered',
	'inquiryProposalCreated',
	'inquiryUpdated',
	'offerSelected',
	'offersCreated',
	'proposalCreated',
	'tenderCancelled',
	'tenderClosed',
	'tenderCreated',
] as const;

function isObject(value: unknown): value is IDataObject {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

function has(object: IDataObject, key: string): boolean {
	return Object.prototype.hasOwnProperty.call(object, key);
}

/** `InquiryCreated`, `inquiry_created`, `INQUIRY-CREATED` → `inquiryCreated`; `""` when no word is left. */
export function normaliseEventType(value: unknown): string {
	// Only text and numbers name an event; String() of a posted object can throw ({"toString":1}).
	const raw = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
	const words = raw
		.trim()
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.split(/[\s_.\-:/]+/)
		.filter(Boolean)
		.map((word) => word.toLowerCase());
	return words.map((word, index) => (index === 0 ? word : word[0].toUpperCase() + word.slice(1))).join('');
}

/** Own property under its camelCase name, else its snake_case name (older senders). */
function pick(object: IDataObject, camel: string, snake: string): unknown {
	if (has(object, camel) && (object[camel] !== null || !has(object, snake))) return object[camel];
	return has(object, snake) ? object[snake] : undefined;
}

function text(value: unknown): string | null {
	if (typeof value === 'string' && value.trim() !== '') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

/** Nesting depth, stopping early once past the limit. */
export function depthExceeds(value: unknown, limit: number, depth = 0): boolean {
	if (depth > limit) return true;
	if (!value || typeof value !== 'object') return false;
	const children = Array.isArray(value) ? value : Object.values(value);
	return children.some((child) => depthExceeds(child, limit, depth + 1));
}

function isEvent(body: IDataObject): boolean {
	return has(body, 'eventType') || has(body, 'event_type') || has(body, 'affected');
}

function describeValue(value: unknown): string {
	if (value === undefined) return 'missing';
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'string') return value.trim() === '' ? 'empty' : 'text';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A reference ID as the vendor defines it: text or an integer, at most 64 characters. */
function readReferenceId(value: unknown): string | null {
	let id: string;
	if (typeof value === 'number' && Number.isSafeInteger(value)) id = String(value);
	else if (typeof value === 'string') id = value.trim();
	else return null;
	return id !== '' && id.length <= LIMITS.maxReferenceIdLength ? id : null;
}

/** Redeliveries repeat the body; without an eventId, what identifies the event is hashed. */
function eventFingerprint(parts: unknown[]): string {
	return `fingerprint:${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 40)}`;
}

function parseEvent(body: IDataObject): ParseResult {
	const rawType = pick(body, 'eventType', 'event_type');
	const eventType = typeof rawType === 'string' ? normaliseEventType(rawType) : '';
	if (eventType === '') return { ok: false, reason: `"eventType" must be non-empty text, but is ${describeValue(rawType)}` };
	const affectedList = body.affected;
	if (!Array.isArray(affectedList) || affectedList.length === 0) {
		return { ok: false, reason: `"affected" must be a non-empty list of references, but is ${describeValue(affectedList)}` };
	}
	if (affectedList.length > LIMITS.maxAffected) return { ok: false, reason: `more than ${LIMITS.maxAffected} affected entries` };
	const inquiries: AffectedInquiry[] = [];
	const references: EventReference[] = [];
	const seen = new Set<string>();
	const fingerprintReferences: string[][] = [];
	for (const [index, entry] of affectedList.entries()) {
		const where = `entry ${index + 1} of "affected"`;
		if (!isObject(entry)) return { ok: false, reason: `${where} must be an object, but is ${describeValue(entry)}` };
		const rawReferenceType = pick(entry, 'referenceType', 'reference_type');
		const referenceType = typeof rawReferenceType === 'string' ? rawReferenceType.trim() : '';
		if (referenceType === '') return { ok: false, reason: `${where} needs a "referenceType" (text), but it is ${describeValue(rawReferenceType)}` };
		const rawReferenceId = pick(entry, 'referenceId', 'reference_id');
		const referenceId = readReferenceId(rawReferenceId);
		if (referenceId === null) {
			return {
				ok: false,
				reason: `${where} needs a "referenceId" (text or an integer, at most ${LIMITS.maxReferenceIdLength} characters), but it is ${describeValue(rawReferenceId)}`,
			};
		}
		fingerprintReferences.push([referenceType, referenceId]);
		// Only inquiries are inquiries: a contract or customer ID is never fetched as one.
		if (referenceType.toLowerCase() === 'inquiry') {
			// Digits become a number, like inquiry IDs elsewhere; referenceId is non-empty, so never null.
			const inquiryId = normaliseId(referenceId) as number | string;
			if (!seen.has(String(inquiryId))) inquiries.push({ inquiryId, inquiry: null });
			seen.add(String(inquiryId));
		} else {
			references.push({ referenceType, referenceId });
		}
	}
	const eventId = text(pick(body, 'eventId', 'event_id'));
	const eventTime = text(pick(body, 'eventTime', 'event_time'));
	const notificationId = text(pick(body, 'notificationId', 'notification_id'));
	// notificationId alone is not enough: the vendor's examples of different events share one.
	const dedupKey = eventId ? `event:${eventId}` : eventFingerprint([eventType, eventTime, notificationId, fingerprintReferences]);
	return {
		ok: true,
		deliveries: [
			{
				eventType,
				eventId,
				eventTime,
				notificationId,
				accountReference: text(pick(body, 'accountReference', 'account_reference')),
				brokerReference: text(pick(body, 'brokerReference', 'broker_reference')),
				inquiries,
				references,
				dedupKey,
			},
		],
	};
}

/** The inquiry ID of a legacy item: `data.iId`, an integer (as a number or digits). */
function legacyInquiryId(item: IDataObject): number | null {
	const data = isObject(item.data) ? item.data : undefined;
	const raw = data?.iId;
	const id = typeof raw === 'string' && /^\d{1,15}$/.test(raw.trim()) ? Number(raw.trim()) : raw;
	return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null;
}

function legacyDelivery(item: IDataObject, inquiryId: number): Delivery {
	// data.iId is the inquiry ID; a key of a keyed callback may differ from it.
	const inquiry = { ...(parseInquiryItem(item) as Inquiry), inquiryId };
	const updated = text(inquiry.data.iUpdated) ?? text(inquiry.data.iCreated);
	return {
		eventType: LEGACY_EVENT_TYPE,
		eventId: null,
		eventTime: updated,
		notificationId: null,
		accountReference: null,
		brokerReference: text(inquiry.data.bExternalId),
		inquiries: [{ inquiryId, inquiry }],
		references: [],
		dedupKey: `ipn:${inquiryId}:${updated ?? ''}:${inquiry.sHash ?? ''}`,
	};
}

function quoteKey(key: string): string {
	return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
}

/** Parses a delivery body (already JSON-decoded). */
export function parseDelivery(body: unknown): ParseResult {
	if (!isObject(body)) {
		return { ok: false, reason: `expected a JSON object, got ${Array.isArray(body) ? 'a list' : typeof body}` };
	}
	if (depthExceeds(body, LIMITS.maxDepth)) return { ok: false, reason: `nested deeper than ${LIMITS.maxDepth} levels` };
	if (isEvent(body)) return parseEvent(body);
	if (looksLikeInquiryItem(body)) {
		const inquiryId = legacyInquiryId(body);
		if (inquiryId === null) {
			return { ok: false, reason: `an inquiry callback needs the inquiry ID as an integer in "data.iId", but it is ${describeValue(isObject(body.data) ? body.data.iId : undefined)}` };
		}
		return { ok: true, deliveries: [legacyDelivery(body, inquiryId)] };
	}
	const entries = Object.entries(body);
	if (entries.length > 0 && entries.length <= LIMITS.maxLegacyInquiries && entries.every(([, value]) => looksLikeInquiryItem(value))) {
		const deliveries: Delivery[] = [];
		for (const [key, value] of entries) {
			const inquiryId = legacyInquiryId(value as IDataObject);
			if (inquiryId === null) {
				return { ok: false, reason: `the inquiry under ${quoteKey(key)} needs its ID as an integer in "data.iId"` };
			}
			deliveries.push(legacyDelivery(value as IDataObject, inquiryId));
		}
		return { ok: true, deliveries };
	}
	return { ok: false, reason: 'the body is neither a Thinksurance V2 event (eventType, affected) nor an inquiry callback' };
}

/** Whether a delivery passes the Events filter (`*` = all; legacy callbacks also via `ipnCallback`). */
export function isSelected(eventType: string, selected: unknown): boolean {
	const list = Array.isArray(selected) ? selected.map(String) : typeof selected === 'string' ? [selected] : ['*'];
	if (list.length === 0 || list.includes('*')) return true;
	return list.includes(eventType);
}
