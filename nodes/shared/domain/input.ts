/**
 * Reading parameter values that may come from expressions, so may have any type.
 * Everything here is pure: a problem is an InputError naming the field and the fix;
 * the router turns it into a NodeOperationError for the item.
 */
import type { IDataObject } from 'n8n-workflow';

export class InputError extends Error {
	constructor(
		/** The field as the user sees it, e.g. `Customer Fields → E-Mail`. */
		readonly field: string,
		message: string,
		readonly hint?: string,
	) {
		super(message);
		this.name = 'InputError';
	}
}

function shown(value: unknown): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function typeName(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function isEmpty(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Text field: numbers and booleans become text; lists and objects are refused. */
export function readText(value: unknown, field: string): string | undefined {
	if (isEmpty(value)) return undefined;
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	throw new InputError(field, `"${field}" must be text but is ${typeName(value)}.`, 'Map a single text value, not a list or object.');
}

export function requireText(value: unknown, field: string): string {
	const text = readText(value, field);
	if (text === undefined) throw new InputError(field, `"${field}" is required.`, `Enter a value for "${field}".`);
	return text;
}

/** Whole number: numeric text such as "4" is accepted, since expressions often give text. */
export function readInteger(value: unknown, field: string, allowed?: readonly number[]): number | undefined {
	if (isEmpty(value)) return undefined;
	const number = typeof value === 'string' ? Number(value.trim()) : value;
	if (typeof number !== 'number' || !Number.isInteger(number)) {
		throw new InputError(field, `"${field}" must be a whole number but is ${typeof value === 'string' ? `"${shown(value)}"` : typeName(value)}.`);
	}
	if (allowed && !allowed.includes(number)) {
		throw new InputError(field, `"${field}" must be one of ${allowed.join(', ')} but is ${number}.`, 'Choose a value from the list.');
	}
	return number;
}

export function readBoolean(value: unknown, field: string): boolean | undefined {
	if (isEmpty(value)) return undefined;
	if (typeof value === 'boolean') return value;
	if (value === 1 || value === 0) return value === 1;
	if (typeof value === 'string') {
		const text = value.trim().toLowerCase();
		if (['true', '1', 'yes'].includes(text)) return true;
		if (['false', '0', 'no'].includes(text)) return false;
	}
	throw new InputError(field, `"${field}" must be true or false but is ${typeof value === 'string' ? `"${shown(value)}"` : typeName(value)}.`);
}

const EMAIL = /^[^\s@;,<>()[\]"]+@[^\s@;,<>()[\]"]+\.[^\s@;,<>()[\]"]{2,}$/;

/** The API wants bare, well-formed addresses: no spaces, no trailing `;`, no display name. */
export function readEmail(value: unknown, field: string): string | undefined {
	const text = readText(value, field);
	if (text === undefined) return undefined;
	if (EMAIL.test(text)) return text;
	const problems: string[] = [];
	if (/\s/.test(text)) problems.push('remove the spaces');
	if (/[;,]\s*$/.test(text.trim())) problems.push('remove the trailing ";"');
	else if (/[;,]/.test(text)) problems.push('give a single address, without ";" or ","');
	if (/[<>]/.test(text)) problems.push('give the bare address without a display name or <>');
	if (!text.includes('@')) problems.push('add the "@" and domain');
	const hint = problems.length > 0 ? `${problems.join(', ')}.` : 'Use the form name@example.de.';
	throw new InputError(field, `"${field}" is not a bare e-mail address: "${shown(text)}". ${hint[0].toUpperCase()}${hint.slice(1)}`);
}

/** A calendar date as YYYY-MM-DD; ISO date-times from date pickers are cut to their date. */
export function readDate(value: unknown, field: string): string | undefined {
	if (isEmpty(value)) return undefined;
	let text: string | undefined;
	if (typeof value === 'string') text = value.trim();
	else if (value instanceof Date && !Number.isNaN(value.getTime())) text = value.toISOString();
	else if (value && typeof value === 'object' && typeof (value as { toISODate?: unknown }).toISODate === 'function') {
		text = String((value as { toISODate: () => string }).toISODate());
	}
	const match = text === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
	if (match) {
		const [, y, m, d] = match;
		const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
		if (date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d)) {
			return `${y}-${m}-${d}`;
		}
	}
	throw new InputError(
		field,
		`"${field}" must be a date in the form YYYY-MM-DD but is ${text === undefined ? typeName(value) : `"${shown(text)}"`}.`,
		'Example: 1980-04-23. In an expression use e.g. {{ $json.birthday.toDateTime().toFormat("yyyy-MM-dd") }}.',
	);
}

export function readUrl(value: unknown, field: string): string | undefined {
	const text = readText(value, field);
	if (text === undefined) return undefined;
	let parsed: URL | undefined;
	try {
		parsed = new URL(text.trim());
	} catch {
		parsed = undefined;
	}
	if (!parsed || !['http:', 'https:'].includes(parsed.protocol)) {
		throw new InputError(field, `"${field}" must be a full http(s) URL but is "${shown(text)}".`, 'Example: https://crm.example.de/thinksurance/callback');
	}
	return text.trim();
}

/** An object given as JSON text or as an object (from an expression). */
export function readJsonObject(value: unknown, field: string): IDataObject | undefined {
	if (isEmpty(value)) return undefined;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		let problem: string | undefined;
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			problem = (error as Error).message;
		}
		if (problem !== undefined) {
			throw new InputError(field, `"${field}" is not valid JSON: ${problem}.`, 'Check quotes and brackets, or map an object with an expression.');
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new InputError(field, `"${field}" must be a JSON object but is ${typeName(parsed)}.`);
	}
	return parsed as IDataObject;
}

/** A collection parameter: must be an object (expressions can make it anything). */
export function readCollection(value: unknown, field: string): IDataObject {
	if (value === undefined || value === null || value === '') return {};
	if (typeof value !== 'object' || Array.isArray(value)) {
		throw new InputError(field, `"${field}" must be a set of fields but is ${typeName(value)}.`);
	}
	return value as IDataObject;
}

/** Removes keys whose value is undefined, so they are not sent. */
export function compact<T extends IDataObject>(object: T): T {
	for (const key of Object.keys(object)) {
		if (object[key] === undefined) delete object[key];
	}
	return object;
}
