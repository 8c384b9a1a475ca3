/**
 * Reads a large JSON answer entry by entry while it arrives, so a search over thousands of
 * inquiries never holds the whole answer text in memory: only the entry being read.
 * Top level may be an object (entries are [key, value]) or a list (entries are [index, value]).
 */

export class JsonStreamError extends Error {}

type Mode = 'start' | 'beforeKey' | 'key' | 'afterKey' | 'beforeValue' | 'value' | 'afterValue' | 'end';

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(text) as unknown };
	} catch {
		// Reported by the caller as a JsonStreamError with the stream's context.
		return { ok: false };
	}
}

/** Entry keys are strings for an object and numbers (positions) for a list. */
export type JsonEntry = [string | number, unknown];

export async function* jsonEntries(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<JsonEntry> {
	const decoder = new TextDecoder('utf-8');
	let mode: Mode = 'start';
	let isList = false;
	let index = 0;
	let key = '';
	let keyParts: string[] = [];
	let valueParts: string[] = [];
	let depth = 0; // nesting inside the current value
	let inString = false;
	let escaped = false;

	const finishValue = (): JsonEntry => {
		const text = valueParts.join('');
		valueParts = [];
		const parsed = parseJson(text);
		if (!parsed.ok) throw new JsonStreamError('the answer is not valid JSON');
		return [isList ? index++ : key, parsed.value];
	};

	const feed = function* (text: string): Generator<JsonEntry> {
		let valueStart = -1;
		for (let i = 0; i < text.length; i++) {
			const char = text[i];
			if (mode === 'value') {
				if (inString) {
					if (escaped) escaped = false;
					else if (char === '\\') escaped = true;
					else if (char === '"') inString = false;
					continue;
				}
				if (char === '"') {
					inString = true;
					continue;
				}
				if (char === '{' || char === '[') {
					depth++;
					continue;
				}
				if (char === '}' || char === ']') {
					if (depth > 0) {
						depth--;
						continue;
					}
				}
				if (depth === 0 && (char === ',' || char === '}' || char === ']')) {
					valueParts.push(text.slice(valueStart === -1 ? 0 : valueStart, i));
					valueStart = -1;
					yield finishValue();
					mode = 'afterValue';
					// fall through to handle the separator below
				} else {
					continue;
				}
			}
			if (mode === 'key') {
				if (escaped) escaped = false;
				else if (char === '\\') escaped = true;
				else if (char === '"') {
					keyParts.push(text.slice(valueStart === -1 ? 0 : valueStart, i + 1));
					valueStart = -1;
					const parsedKey = parseJson(keyParts.join(''));
					if (!parsedKey.ok) throw new JsonStreamError('the answer is not valid JSON');
					key = parsedKey.value as string;
					keyParts = [];
					mode = 'afterKey';
				}
				continue;
			}
			if (char === ' ' || char === '\n' || char === '\r' || char === '\t' || char === '\uFEFF') continue;
			switch (mode) {
				case 'start':
					if (char === '{') mode = 'beforeKey';
					else if (char === '[') {
						isList = true;
						mode = 'beforeValue';
					} else throw new JsonStreamError('the answer is not a JSON object or list');
					break;
				case 'beforeKey':
					if (char === '"') {
						mode = 'key';
						valueStart = i;
						escaped = false;
					} else if (char === '}') mode = 'end';
					else throw new JsonStreamError('the answer is not valid JSON');
					break;
				case 'afterKey':
					if (char !== ':') throw new JsonStreamError('the answer is not valid JSON');
					mode = 'beforeValue';
					break;
				case 'beforeValue':
					if (isList && char === ']' && index === 0) {
						mode = 'end';
						break;
					}
					mode = 'value';
					depth = 0;
					inString = false;
					escaped = false;
					valueStart = i;
					i--; // let the value branch see this character
					break;
				case 'afterValue':
					if (char === ',') mode = isList ? 'beforeValue' : 'beforeKey';
					else if (char === (isList ? ']' : '}')) mode = 'end';
					else throw new JsonStreamError('the answer is not valid JSON');
					break;
				case 'end':
					throw new JsonStreamError('the answer has text after its JSON');
			}
		}
		// Keep the unfinished part of a key or value for the next chunk.
		if (valueStart !== -1) {
			if (mode === 'key') keyParts.push(text.slice(valueStart));
			else if (mode === 'value') valueParts.push(text.slice(valueStart));
		} else if (mode === 'value') {
			valueParts.push(text);
		} else if (mode === 'key') {
			keyParts.push(text);
		}
	};

	for await (const chunk of chunks) {
		const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
		yield* feed(text);
	}
	yield* feed(decoder.decode());
	if ((mode as Mode) !== 'end') throw new JsonStreamError((mode as Mode) === 'start' ? 'the answer is empty' : 'the answer ended early (truncated JSON)');
}

/**
 * Decides, entry by entry, what of a streamed answer is kept: `keep` returns the value to store
 * (or undefined to drop the entry, e.g. after moving it elsewhere), and once `full()` is true
 * the rest of the answer is not read at all (the stream is closed).
 */
export interface EntryReader {
	keep(key: string | number, value: unknown): unknown;
	full?(): boolean;
}

const KEEP_ALL: EntryReader = { keep: (_key, value) => value };

/** Collects a streamed answer into the value it spells (object or list), entry by entry. */
export async function collectJson(chunks: AsyncIterable<Buffer | string>, reader: EntryReader = KEEP_ALL): Promise<unknown> {
	let result: Record<string, unknown> | unknown[] | undefined;
	for await (const [key, entry] of jsonEntries(chunks)) {
		const value = reader.keep(key, entry);
		if (typeof key === 'number') {
			result ??= [];
			if (value !== undefined) (result as unknown[]).push(value);
		} else {
			result ??= {};
			// An own property, as JSON.parse makes it: a "__proto__" key must not set the prototype.
			if (value !== undefined) Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
		}
		if (reader.full?.()) break;
	}
	return result ?? {};
}
