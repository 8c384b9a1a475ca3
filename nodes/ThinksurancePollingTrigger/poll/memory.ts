/**
 * What the polling trigger remembers between polls (in the node's static data, which n8n
 * saves with the workflow): per inquiry the day of its last change and its fingerprint, in one
 * short string. Inquiries whose last change lies outside the API's three-month window can
 * never come back in an answer as they are, so they are forgotten: the memory stays bounded.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Inquiry } from '../../shared/domain/responses';
import { ABSENT_FIELD_HASH, inquiryFingerprint, type Fingerprint } from './fingerprint';
import { DAY_MS, DEFAULT_WINDOW_DAYS, WINDOW_MARGIN_MS, dayNumber, parseVendorTime } from './window';

export const STATE_VERSION = 1;
/** The API's window plus a margin: older entries are forgotten. */
export const RETAIN_DAYS = DEFAULT_WINDOW_DAYS + 10;
/** An inquiry first seen now but created this long before activation (clock and zone margin) was there already. */
const CREATED_BEFORE_MARGIN_MS = WINDOW_MARGIN_MS;

export interface PollState extends IDataObject {
	v: number;
	/** Hash of base URL and account token: another account starts afresh. */
	account: string;
	/** When the first poll of this activation remembered what existed. */
	activatedAt: number;
	/** Start of the last successful poll (our clock). */
	lastPollAt: number;
	/** Field names in the order of the entries' field hashes; only ever appended to. */
	fields: string[];
	/** Inquiry ID → `<day, base 36>.<whole hash><field hashes>`. */
	seen: IDataObject;
}

export type PollEventType = 'inquiryCreated' | 'inquiryUpdated';

export interface DetectedChange {
	inquiry: Inquiry;
	eventType: PollEventType;
	/** Fields that differ from the last seen version; [] for a new inquiry, null when unknown. */
	changes: string[] | null;
}

export function isPollState(value: unknown): value is PollState {
	const state = value as PollState | undefined;
	return (
		!!state &&
		typeof state === 'object' &&
		state.v === STATE_VERSION &&
		typeof state.account === 'string' &&
		typeof state.activatedAt === 'number' &&
		typeof state.lastPollAt === 'number' &&
		Array.isArray(state.fields) &&
		!!state.seen &&
		typeof state.seen === 'object'
	);
}

export function emptyState(account: string, now: number): PollState {
	return { v: STATE_VERSION, account, activatedAt: now, lastPollAt: now, fields: [], seen: {} };
}

interface Entry {
	day: number;
	whole: string;
	/** Field hashes in `state.fields` order (possibly shorter: fields added later). */
	fieldHashes: string;
}

function decodeEntry(value: unknown): Entry | undefined {
	if (typeof value !== 'string') return undefined;
	const dot = value.indexOf('.');
	if (dot < 1) return undefined;
	const day = parseInt(value.slice(0, dot), 36);
	if (!Number.isFinite(day)) return undefined;
	return { day, whole: value.slice(dot + 1, dot + 9), fieldHashes: value.slice(dot + 9) };
}

function encodeEntry(day: number, fingerprint: Fingerprint, fields: string[]): string {
	let hashes = '';
	for (const name of fields) hashes += fingerprint.fields.get(name) ?? ABSENT_FIELD_HASH;
	return `${day.toString(36)}.${fingerprint.whole}${hashes}`;
}

/** The vendor day of the inquiry's last change, else today. */
function changeDay(inquiry: Inquiry, today: number): number {
	const days = [inquiry.data.iUpdated, inquiry.data.iCreated]
		.map((value) => parseVendorTime(value))
		.filter((ms): ms is number => ms !== undefined)
		.map((ms) => dayNumber(ms));
	return days.length ? Math.min(today, Math.max(...days)) : today;
}

function changedFields(previous: Entry, fingerprint: Fingerprint, fields: string[]): string[] | null {
	const changes: string[] = [];
	fields.forEach((name, index) => {
		const before = previous.fieldHashes.slice(index * 2, index * 2 + 2) || ABSENT_FIELD_HASH;
		const now = fingerprint.fields.get(name) ?? ABSENT_FIELD_HASH;
		if (before !== now) changes.push(name);
	});
	// The whole hash differs but no field hash does (a 12-bit collision): changed, fields unknown.
	return changes.length ? changes : null;
}

function createdBefore(inquiry: Inquiry, activatedAt: number): boolean {
	const created = inquiry.data.iCreated;
	const ms = parseVendorTime(created);
	if (ms === undefined) return false;
	// A bare date only says which day: before only when that whole day ended before activation.
	const isDateOnly = typeof created === 'string' && created.trim().length <= 10;
	const latest = isDateOnly ? ms + DAY_MS : ms;
	return latest < activatedAt - CREATED_BEFORE_MARGIN_MS;
}

/**
 * Compares an answer with the memory. Returns what is new or changed (nothing on a baseline
 * poll, which only remembers) and the next state; `state` itself is left untouched, so a poll
 * that fails later keeps the old one.
 */
export function detectChanges(
	state: PollState,
	inquiries: Inquiry[],
	now: number,
	options: { baseline: boolean },
): { changes: DetectedChange[]; next: PollState } {
	const today = dayNumber(now);
	const fields = [...state.fields];
	const known = new Set(fields);
	const seen: IDataObject = {};
	for (const [id, value] of Object.entries(state.seen)) {
		const entry = decodeEntry(value);
		if (entry && entry.day >= today - RETAIN_DAYS) seen[id] = value;
	}
	const changes: DetectedChange[] = [];
	const updates: Array<[string, number, Fingerprint]> = [];
	for (const inquiry of inquiries) {
		if (inquiry.inquiryId === null) continue;
		const id = String(inquiry.inquiryId);
		const fingerprint = inquiryFingerprint(inquiry);
		for (const name of fingerprint.fields.keys()) {
			if (!known.has(name)) {
				known.add(name);
				fields.push(name);
			}
		}
		const previous = decodeEntry(seen[id]);
		updates.push([id, changeDay(inquiry, today), fingerprint]);
		if (options.baseline) continue;
		if (!previous) {
			changes.push(
				createdBefore(inquiry, state.activatedAt)
					? { inquiry, eventType: 'inquiryUpdated', changes: null }
					: { inquiry, eventType: 'inquiryCreated', changes: [] },
			);
		} else if (previous.whole !== fingerprint.whole) {
			changes.push({ inquiry, eventType: 'inquiryUpdated', changes: changedFields(previous, fingerprint, fields) });
		}
	}
	for (const [id, day, fingerprint] of updates) {
		if (day >= today - RETAIN_DAYS) seen[id] = encodeEntry(day, fingerprint, fields);
		else delete seen[id];
	}
	return {
		changes,
		next: {
			v: STATE_VERSION,
			account: state.account,
			activatedAt: options.baseline ? now : state.activatedAt,
			lastPollAt: now,
			fields,
			seen,
		},
	};
}

/** Bytes the state takes as n8n stores it (JSON). */
export function stateSize(state: PollState): number {
	return Buffer.byteLength(JSON.stringify(state), 'utf8');
}
