/**
 * Content fingerprints of an inquiry. `iUpdated` is only a date and some values differ on every
 * answer without a real change: the document token and its expiry, links that carry it, and
 * `sHash`. Those never count. What is left is hashed per field (to name what changed) and
 * as a whole (to decide reliably whether anything changed).
 */
import { createHash } from 'crypto';

import type { IDataObject } from 'n8n-workflow';

import { documentToken, type Inquiry } from '../../shared/domain/responses';

/** Data fields that are no content: the change date itself and the ID (the memory's key). */
const IGNORED_DATA_FIELDS = new Set(['iUpdated', 'iId']);
/** The name under which a change of the inquiry's file list is reported. */
export const DOCUMENTS_FIELD = 'docs';
/** URL query parameters that carry access tokens. */
const TOKEN_PARAMETER = /^(?:doc)?token$|^access[_-]?token$|^t(?:oken)?$/i;

export interface Fingerprint {
	/** 48-bit hash of all content, 8 characters. */
	whole: string;
	/** Field name → 12-bit hash of its value, 2 characters. */
	fields: Map<string, string>;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The hash a field gets when the inquiry does not have it. */
export const ABSENT_FIELD_HASH = fieldHash(undefined);

export function inquiryFingerprint(inquiry: Inquiry): Fingerprint {
	const token = documentToken(inquiry);
	const fields = new Map<string, string>();
	const parts: string[] = [];
	const add = (name: string, value: unknown) => {
		const text = canonical(scrub(value, token));
		fields.set(name, fieldHash(text));
		parts.push(`${JSON.stringify(name)}:${text}`);
	};
	for (const key of Object.keys(inquiry.data).sort()) {
		if (!IGNORED_DATA_FIELDS.has(key)) add(key, inquiry.data[key]);
	}
	for (const key of Object.keys(inquiry.customer).sort()) {
		// Customer fields are c-prefixed; a clash with a data field name is reported as customer.<name>.
		add(fields.has(key) ? `customer.${key}` : key, inquiry.customer[key]);
	}
	add(DOCUMENTS_FIELD, documentsContent(inquiry.docs));
	const whole = createHash('sha1').update(parts.join(',')).digest().subarray(0, 6).toString('base64url');
	return { whole, fields };
}

/** The files, without the document token and the links' token parameters. */
function documentsContent(docs: IDataObject): unknown {
	const rest: IDataObject = {};
	for (const [key, value] of Object.entries(docs)) if (key !== 'docToken') rest[key] = value;
	return rest;
}

/** Removes the document token wherever it appears, and token query parameters of URLs. */
function scrub(value: unknown, token: string | undefined): unknown {
	if (typeof value === 'string') return scrubText(value, token);
	if (Array.isArray(value)) return value.map((entry) => scrub(entry, token));
	if (value && typeof value === 'object') {
		const result: IDataObject = {};
		for (const [key, entry] of Object.entries(value as IDataObject)) result[key] = scrub(entry, token) as IDataObject[string];
		return result;
	}
	return value;
}

function scrubText(text: string, token: string | undefined): string {
	let result = token && token.length >= 6 ? text.split(token).join('') : text;
	if (result.includes('?') && /^https?:\/\//i.test(result)) {
		try {
			const url = new URL(result);
			for (const name of [...url.searchParams.keys()]) if (TOKEN_PARAMETER.test(name)) url.searchParams.delete(name);
			result = url.toString();
		} catch {
			// Not a parseable URL: the token itself is already gone, keep the rest as it is.
		}
	}
	return result;
}

/** JSON with sorted keys, so key order in the answer never counts as a change. */
export function canonical(value: unknown): string {
	if (value === undefined) return 'undefined';
	if (value === null || typeof value !== 'object') return JSON.stringify(value);
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	const entries = Object.keys(value as IDataObject)
		.sort()
		.map((key) => `${JSON.stringify(key)}:${canonical((value as IDataObject)[key])}`);
	return `{${entries.join(',')}}`;
}

/** FNV-1a folded to 12 bits: cheap, and enough to tell which of ~50 fields changed. */
function fieldHash(text: string | undefined): string {
	const input = text ?? '\u0000absent';
	let hash = 0x811c9dc5;
	for (let index = 0; index < input.length; index++) {
		hash ^= input.charCodeAt(index);
		hash = Math.imul(hash, 0x01000193) >>> 0;
	}
	const folded = (hash ^ (hash >>> 12) ^ (hash >>> 24)) & 0xfff;
	return ALPHABET[folded >> 6] + ALPHABET[folded & 63];
}
