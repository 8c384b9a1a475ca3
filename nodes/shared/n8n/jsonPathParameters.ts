/**
 * Per-item parameter reading. Field mappings such as `={{ $json.email }}` are read straight
 * from the item: n8n 2.x runs every expression in an isolated VM (≈ 1 ms each), which made
 * up a third of a 500-item Broker Forward (bench/RESULTS.md, CPU profile). Anything beyond a
 * plain property path of the current item, and every value that is not a string, number or
 * boolean, still goes through n8n's own evaluation, so results and errors stay n8n's.
 *
 * Leans on n8n's expression semantics (a plain `$json` path gives the item's own value) and on
 * `getNodeParameter(…, { rawExpressions: true })`: checked on n8n 2.40.7 (n8n-workflow 2.40.1)
 * and n8n 1.123.81 (n8n-workflow 1.120.31) with test/n8n, in process on n8n-workflow 2.41.0.
 * test/unit/nodes/shared/n8n/jsonPathParameters.test.ts compares the fast path with n8n's own
 * evaluation, test/engine/broker/forward.mappings.property.test.ts does so through the engine.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/** `={{ $json.a.b }}`, `={{ $json["a b"] }}`, `={{ $json['a'].b }}`: nothing else. */
const PLAIN_JSON_PATH = /^=\{\{\s*\$json((?:\s*\.\s*[A-Za-z_$][\w$]*|\s*\[\s*(?:'[^'\\\n]*'|"[^"\\\n]*")\s*\])+)\s*\}\}$/;
const PATH_STEP = /\.\s*([A-Za-z_$][\w$]*)|\[\s*(?:'([^'\\\n]*)'|"([^"\\\n]*)")\s*\]/g;
/** Names n8n's expression sandbox refuses or treats specially; those go to n8n. */
const GUARDED_KEYS = new Set(['__proto__', 'prototype', 'constructor', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);

type Found = { value: string | number | boolean };

/** The value a plain `$json` path expression names in `json`, or undefined when n8n must decide. */
export function readPlainJsonPath(expression: string, json: IDataObject): Found | undefined {
	const match = PLAIN_JSON_PATH.exec(expression);
	if (!match) return undefined;
	let current: unknown = json;
	for (const step of match[1].matchAll(PATH_STEP)) {
		const key = step[1] ?? step[2] ?? step[3];
		if (GUARDED_KEYS.has(key) || !isPlainObject(current) || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
		current = current[key];
	}
	if (typeof current === 'string' || typeof current === 'boolean') return { value: current };
	if (typeof current === 'number' && Number.isFinite(current)) return { value: current };
	return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
	const prototype: unknown = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

function containsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(containsExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(containsExpression);
	return false;
}

const NOT_PLAIN = Symbol('not a plain $json path');

/** `value` with every expression replaced by what it names in `json`, or NOT_PLAIN. */
function resolvePlain(value: unknown, json: IDataObject): unknown {
	if (typeof value === 'string') return value.startsWith('=') ? (readPlainJsonPath(value, json)?.value ?? NOT_PLAIN) : value;
	if (Array.isArray(value)) {
		const entries = value.map((entry) => resolvePlain(entry, json));
		return entries.includes(NOT_PLAIN) ? NOT_PLAIN : entries;
	}
	if (value !== null && typeof value === 'object') {
		const entries = Object.entries(value).map(([key, entry]) => [key, resolvePlain(entry, json)] as const);
		return entries.some(([, entry]) => entry === NOT_PLAIN) ? NOT_PLAIN : Object.fromEntries(entries);
	}
	return value;
}

/**
 * The parameter `name` of item `itemIndex`, as `getNodeParameter` gives it. When every
 * expression inside it is a plain `$json` path, the values are read from the item; in any
 * other case the whole parameter is n8n's (so `$parameter`, `$('Node')`, functions and error
 * messages behave exactly as n8n defines them).
 */
export function itemParameter(this: IExecuteFunctions, name: string, itemIndex: number, fallback?: unknown): unknown {
	const raw: unknown = this.getNodeParameter(name, itemIndex, fallback, { rawExpressions: true });
	if (containsExpression(raw)) {
		const resolved = resolvePlain(raw, this.getInputData()[itemIndex]?.json ?? {});
		if (resolved !== NOT_PLAIN) return resolved;
	}
	return this.getNodeParameter(name, itemIndex, fallback);
}

/** Whether a parameter value is a resource locator (`{__rl: true, mode, value}`, typeVersion 1.1). */
export function isLocatorValue(value: unknown): value is { __rl: true; mode?: unknown; value: unknown } {
	return value !== null && typeof value === 'object' && !Array.isArray(value) && (value as { __rl?: unknown }).__rl === true;
}

/**
 * A parameter that is a plain value in typeVersion 1 and a resource locator in 1.1: its value
 * either way (our locator modes are list and id, so n8n's extractValue would return the same).
 */
export function itemLocatorValue(this: IExecuteFunctions, name: string, itemIndex: number): unknown {
	const value = itemParameter.call(this, name, itemIndex, '');
	return isLocatorValue(value) ? value.value : value;
}
