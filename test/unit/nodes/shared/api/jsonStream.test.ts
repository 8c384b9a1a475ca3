import fc from 'fast-check';

import { collectJson, jsonEntries, JsonStreamError } from '../../../../../nodes/shared/api/jsonStream';

/** Splits bytes at the given cut points, as a network would. */
async function* chunked(text: string, cuts: number[]): AsyncGenerator<Buffer> {
	const bytes = Buffer.from(text, 'utf8');
	const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
	let start = 0;
	for (const point of points) {
		yield bytes.subarray(start, point);
		start = point;
	}
	yield bytes.subarray(start);
}

const stats = { tried: 0 };
afterAll(() => console.log(`[property] jsonEntries: ${stats.tried} answers re-read from random byte chunks`));

describe('jsonEntries', () => {
	test('reads an answer keyed by inquiry ID the same as JSON.parse, however it is chunked', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 })),
				fc.array(fc.nat(), { maxLength: 20 }),
				async (answer, cuts) => {
					stats.tried++;
					const text = JSON.stringify(answer, null, cuts.length % 2 === 0 ? 0 : 2);
					expect(await collectJson(chunked(text, cuts))).toEqual(JSON.parse(text));
				},
			),
			{ numRuns: 1500 },
		);
	});

	test('reads lists, and strings with quotes, braces and multi-byte characters split across chunks', async () => {
		const answer = [{ name: 'Prüfung "A" {x} [y] \\ ü€😀' }, 'ä', 3, null, { nested: [[{}]] }];
		const text = JSON.stringify(answer);
		for (let cut = 0; cut <= Buffer.byteLength(text); cut++) {
			expect(await collectJson(chunked(text, [cut, cut + 1, cut + 3]))).toEqual(answer);
		}
	});

	test('yields one entry per inquiry in order', async () => {
		const entries = [];
		for await (const entry of jsonEntries(chunked('{"1878881": {"data": {"iId": 1878881}}, "1878882": {"data": {}}}', [7, 19]))) {
			entries.push(entry);
		}
		expect(entries).toEqual([
			['1878881', { data: { iId: 1878881 } }],
			['1878882', { data: {} }],
		]);
	});

	test.each([
		['', /empty/],
		['{"a": 1', /ended early/],
		['{"a": 1} x', /after its JSON/],
		['<html><body>502 Bad Gateway</body></html>', /not a JSON object or list/],
		['{"a": tru}', /not valid JSON/],
		['{"a" 1}', /not valid JSON/],
	])('refuses %p with a clear reason', async (text, reason) => {
		await expect(collectJson(chunked(text, [3]))).rejects.toThrow(JsonStreamError);
		await expect(collectJson(chunked(text, [3]))).rejects.toThrow(reason);
	});

	test('empty object and empty list', async () => {
		expect(await collectJson(chunked('{}', []))).toEqual({});
		expect(await collectJson(chunked(' [ ] ', []))).toEqual({});
	});
});

describe('collectJson with an entry reader', () => {
	/** 1,000 entries, one chunk each; counts the chunks read and whether the source was closed. */
	function source() {
		const seen = { chunks: 0, closed: false };
		async function* chunks(): AsyncGenerator<string> {
			try {
				yield '{';
				for (let i = 0; i < 1000; i++) {
					seen.chunks++;
					yield `${i ? ',' : ''}"${i}":{"n":${i}}`;
				}
				yield '}';
			} finally {
				seen.closed = true;
			}
		}
		return { seen, chunks: chunks() };
	}

	test('keeps what the reader returns, drops undefined', async () => {
		const { chunks } = source();
		const result = await collectJson(chunks, { keep: (key, value) => (Number(key) % 250 === 0 ? (value as { n: number }).n : undefined) });
		expect(result).toEqual({ '0': 0, '250': 250, '500': 500, '750': 750 });
	});

	test('stops reading once the reader is full and closes the source', async () => {
		const { seen, chunks } = source();
		const kept: unknown[] = [];
		const result = await collectJson(chunks, {
			keep: (_key, value) => {
				kept.push(value);
				return undefined;
			},
			full: () => kept.length >= 5,
		});
		expect(result).toEqual({});
		expect(kept).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
		expect(seen.chunks).toBeLessThanOrEqual(6);
		expect(seen.closed).toBe(true);
	});
});
