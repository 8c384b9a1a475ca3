/**
 * What Thinksurance posts to the webhook: V2 events (references only) or older callbacks
 * with full inquiry items. Pure code: turns a parsed body into deliveries or a reason to refuse.
 */
import type { IDataObject } from 'n8n-workflow';

import { looksLikeInquiryItem, normaliseId, parseInquiryItem, type Inquiry } from '../../Thinksurance/helpers/responses';

export const LEGACY_EVENT_TYPE = 'ipnCallback';

export interface AffectedInquiry {
	inquiryId: number | string | null;
	referenceType: string;
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
	affected: AffectedInquiry[];
	/** Key for recognising a redelivery, or null when the delivery carries nothing stable. */
	dedupKey: string | null;
}

export type ParseResult = { ok: true; deliveries: Delivery[] } | { ok: false; reason: string };

export const LIMITS = { maxDepth: 32, maxAffected: 1000, maxLegacyInquiries: 1000 };

function isObject(value: unknown): value is IDataObject {
	return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** `InquiryCreated`, `inquiry_created`, `INQUIRY-CREATED` → `inquiryCreated`. */
export function normaliseEventType(value: unknown): string {
	// Only text and numbers name an event; String() of a posted object can throw ({"toString":1}).
	const raw = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
	const words = raw
		.trim()
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.split(/[\s_.\-:/]+/)
		.filter(Boolean)
		.map((word) => word.toLowerCase());
	if (words.length === 0) return 'unknown';
	return words.map((word, index) => (index === 0 ? word : word[0].toUpperCase() + word.slice(1))).join('');
}

function pick(object: IDataObject, camel: string, snake: string): unknown {
	return object[camel] ?? object[snake];
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
	return pick(body, 'eventType', 'event_type') !== undefined || Array.isArray(body.affected);
}

function parseEvent(body: IDataObject): ParseResult {
	const eventType = normaliseEventType(pick(body, 'eventType', 'event_type'));
	const affectedList = body.affected ?? [];
	if (!Array.isArray(affectedList)) return { ok: false, reason: '"affected" must be a list' };
	if (affectedList.length > LIMITS.maxAffected) return { ok: false, reason: `more than ${LIMITS.maxAffected} affected entries` };
	const affected: AffectedInquiry[] = [];
	for (const entry of affectedList) {
		if (!isObject(entry)) return { ok: false, reason: 'an entry of "affected" is not an object' };
		const referenceType = text(pick(entry, 'referenceType', 'reference_type')) ?? 'inquiry';
		let id = normaliseId(pick(entry, 'referenceId', 'reference_id'));
		if (id === null) id = idFromLinks(entry.links);
		affected.push({ inquiryId: id, referenceType, inquiry: null });
	}
	const eventId = text(pick(body, 'eventId', 'event_id'));
	const notificationId = text(pick(body, 'notificationId', 'notification_id'));
	return {
		ok: true,
		deliveries: [
			{
				eventType,
				eventId,
				eventTime: text(pick(body, 'eventTime', 'event_time')),
				notificationId,
				accountReference: text(pick(body, 'accountReference', 'account_reference')),
				brokerReference: text(pick(body, 'brokerReference', 'broker_reference')),
				affected,
				dedupKey: eventId ? `event:${eventId}` : notificationId ? `notification:${notificationId}` : null,
			},
		],
	};
}

/** The inquiry ID at the end of a link such as …/api/ipn/inquiry/1878887. */
function idFromLinks(links: unknown): number | string | null {
	if (!Array.isArray(links)) return null;
	for (const link of links) {
		const href = isObject(link) ? link.href : undefined;
		const match = typeof href === 'string' ? /\/api\/ipn\/(?:inquiry|inq)\/(\d+)/.exec(href) : null;
		if (match) return normaliseId(match[1]);
	}
	return null;
}

function legacyDelivery(inquiry: Inquiry): Delivery {
	const updated = text(inquiry.data.iUpdated) ?? text(inquiry.data.iCreated);
	return {
		eventType: LEGACY_EVENT_TYPE,
		eventId: null,
		eventTime: updated,
		notificationId: null,
		accountReference: null,
		brokerReference: text(inquiry.data.bExternalId),
		affected: [{ inquiryId: inquiry.inquiryId, referenceType: 'inquiry', inquiry }],
		dedupKey: inquiry.inquiryId === null ? null : `ipn:${inquiry.inquiryId}:${updated ?? ''}:${inquiry.sHash ?? ''}`,
	};
}

/** Parses a delivery body (already JSON-decoded). */
export function parseDelivery(body: unknown): ParseResult {
	if (!isObject(body)) {
		return { ok: false, reason: `expected a JSON object, got ${Array.isArray(body) ? 'a list' : typeof body}` };
	}
	if (depthExceeds(body, LIMITS.maxDepth)) return { ok: false, reason: `nested deeper than ${LIMITS.maxDepth} levels` };
	if (isEvent(body)) return parseEvent(body);
	if (looksLikeInquiryItem(body)) {
		const inquiry = parseInquiryItem(body);
		return inquiry ? { ok: true, deliveries: [legacyDelivery(inquiry)] } : { ok: false, reason: 'unreadable inquiry' };
	}
	const entries = Object.entries(body);
	if (entries.length > 0 && entries.length <= LIMITS.maxLegacyInquiries && entries.every(([, value]) => looksLikeInquiryItem(value))) {
		return {
			ok: true,
			deliveries: entries.map(([key, value]) => legacyDelivery(parseInquiryItem(value, key) as Inquiry)),
		};
	}
	return { ok: false, reason: 'the body is neither a Thinksurance V2 event (eventType, affected) nor an inquiry callback' };
}

/** Whether a delivery passes the Events filter (`*` = all; legacy callbacks also via `ipnCallback`). */
export function isSelected(eventType: string, selected: unknown): boolean {
	const list = Array.isArray(selected) ? selected.map(String) : typeof selected === 'string' ? [selected] : ['*'];
	if (list.length === 0 || list.includes('*')) return true;
	return list.includes(eventType);
}
