import type { IDataObject } from 'n8n-workflow';

import {
	DEFAULT_CAPACITY,
	DIGEST_LENGTH,
	LEGACY_STATIC_KEY,
	RecentDeliveries,
	STATIC_KEY,
	clearProcessMemory,
	digestOf,
} from '../../../../../nodes/ThinksuranceTrigger/trigger/dedup';

afterEach(() => clearProcessMemory());

/** What n8n does with static data between executions: stores it as JSON in the database. */
const throughDatabase = (staticData: IDataObject): IDataObject => JSON.parse(JSON.stringify(staticData)) as IDataObject;
/** The stored form of these keys, oldest first. */
const digests = (...keys: string[]): string => keys.map(digestOf).join('');

describe('RecentDeliveries', () => {
	test('a new delivery is claimed once; a redelivery while it runs is refused', () => {
		const memory = new RecentDeliveries({}, 'wf:Trigger');
		expect(memory.claim('event:1')).toBe(true);
		expect(memory.claim('event:1')).toBe(false);
		expect(memory.claim('event:2')).toBe(true);
	});

	test('a redelivery after the delivery was emitted is refused', () => {
		const memory = new RecentDeliveries({}, 'wf:Trigger');
		memory.claim('event:1');
		memory.remember('event:1');
		expect(memory.claim('event:1')).toBe(false);
	});

	test('release gives a failed claim back, so the redelivery is handled', () => {
		const memory = new RecentDeliveries({}, 'wf:Trigger');
		memory.claim('event:1');
		memory.release('event:1');
		expect(memory.claim('event:1')).toBe(true);
	});

	test('release does not forget an emitted delivery', () => {
		const memory = new RecentDeliveries({}, 'wf:Trigger');
		memory.claim('event:1');
		memory.remember('event:1');
		memory.release('event:1');
		expect(memory.claim('event:1')).toBe(false);
	});

	test('a concurrent second webhook call (new instance, same workflow) sees the claim in flight', () => {
		const staticData: IDataObject = {};
		const first = new RecentDeliveries(staticData, 'wf:Trigger');
		const second = new RecentDeliveries({ ...staticData }, 'wf:Trigger');
		expect(first.claim('event:1')).toBe(true);
		expect(second.claim('event:1')).toBe(false);
	});

	test('static data holds one string: a fixed-width digest per key, oldest first', () => {
		const staticData: IDataObject = {};
		const memory = new RecentDeliveries(staticData, 'wf:Trigger');
		const keys = ['event:1', 'notification:n', 'ipn:5:2025-03-20 10:15:00:hash'];
		for (const key of keys) {
			memory.claim(key);
			memory.remember(key);
		}
		expect(staticData[STATIC_KEY]).toBe(digests(...keys));
		expect(staticData[STATIC_KEY]).toMatch(new RegExp(`^[A-Za-z0-9_-]{${3 * DIGEST_LENGTH}}$`));
		expect(new Set(keys.map(digestOf)).size).toBe(3);
		expect(throughDatabase(staticData)).toEqual(staticData);
	});

	test('static data written by version 1.0.0 (the plain keys) is still refused after the upgrade, and replaced by digests on the next write', () => {
		const staticData: IDataObject = { [LEGACY_STATIC_KEY]: ['event:old-1', 'event:old-2'], registration: { key: 'k' } };
		const memory = new RecentDeliveries(throughDatabase(staticData), 'wf:Trigger');
		expect(memory.claim('event:old-1')).toBe(false);
		expect(memory.claim('event:old-2')).toBe(false);

		const loaded = throughDatabase(staticData);
		const next = new RecentDeliveries(loaded, 'wf:Trigger');
		expect(next.claim('event:new')).toBe(true);
		next.remember('event:new');
		expect(loaded).toEqual({ [STATIC_KEY]: digests('event:old-1', 'event:old-2', 'event:new'), registration: { key: 'k' } });

		clearProcessMemory();
		const restarted = new RecentDeliveries(throughDatabase(loaded), 'wf:Trigger');
		for (const key of ['event:old-1', 'event:old-2', 'event:new']) expect(restarted.claim(key)).toBe(false);
	});

	test('claims in flight are not written to static data (a crash must not swallow the redelivery)', () => {
		const staticData: IDataObject = {};
		new RecentDeliveries(staticData, 'wf:Trigger').claim('event:1');
		expect(staticData[STATIC_KEY]).toBeUndefined();
	});

	test('after a restart (empty process memory) the stored ID is still refused', () => {
		const staticData: IDataObject = {};
		const before = new RecentDeliveries(staticData, 'wf:Trigger');
		before.claim('event:1');
		before.remember('event:1');

		clearProcessMemory();
		const after = new RecentDeliveries(throughDatabase(staticData), 'wf:Trigger');
		expect(after.claim('event:1')).toBe(false);
		expect(after.claim('event:2')).toBe(true);
	});

	test('remembering the same key twice keeps one entry, moved to the end', () => {
		const staticData: IDataObject = {};
		const memory = new RecentDeliveries(staticData, 'wf:Trigger');
		memory.remember('a');
		memory.remember('b');
		memory.remember('a');
		expect(staticData[STATIC_KEY]).toBe(digests('b', 'a'));
	});

	test('capacity bounds both memories; the oldest are forgotten first', () => {
		const staticData: IDataObject = {};
		const memory = new RecentDeliveries(staticData, 'wf:Trigger', 3);
		for (const key of ['k1', 'k2', 'k3', 'k4', 'k5']) {
			expect(memory.claim(key)).toBe(true);
			memory.remember(key);
		}
		expect(staticData[STATIC_KEY]).toBe(digests('k3', 'k4', 'k5'));
		expect(memory.claim('k5')).toBe(false);
		expect(memory.claim('k3')).toBe(false);
		// Forgotten by both memories: a very late redelivery would run again, by design.
		expect(memory.claim('k1')).toBe(true);
	});

	test('what is written follows every change of the emitted keys, also an eviction by a claim in flight', () => {
		const staticData: IDataObject = {};
		const memory = new RecentDeliveries(staticData, 'wf:Trigger', 3);
		for (const key of ['k1', 'k2', 'k3']) memory.remember(key);
		expect(memory.claim('k4')).toBe(true);
		memory.persist();
		expect(staticData[STATIC_KEY]).toBe(digests('k2', 'k3'));
		memory.release('k4');
		memory.forget('k2');
		memory.persist();
		expect(staticData[STATIC_KEY]).toBe(digests('k3'));
		memory.remember('k4');
		expect(staticData[STATIC_KEY]).toBe(digests('k3', 'k4'));
	});

	test('the default capacity keeps static data small', () => {
		expect(DEFAULT_CAPACITY).toBeGreaterThanOrEqual(100);
		const staticData: IDataObject = {};
		const memory = new RecentDeliveries(staticData, 'wf:Trigger');
		for (let i = 0; i < DEFAULT_CAPACITY + 50; i++) memory.remember(`event:${i}`);
		const stored = staticData[STATIC_KEY] as string;
		expect(stored).toHaveLength(DEFAULT_CAPACITY * DIGEST_LENGTH);
		expect(stored.slice(0, DIGEST_LENGTH)).toBe(digestOf('event:50'));
		// 2,000 event IDs as plain keys (`event:<uuid>`) would be about 90 KB.
		expect(JSON.stringify(staticData).length).toBeLessThan(25_000);
	});

	test('damaged static data is tolerated and replaced by a clean string', () => {
		for (const damaged of ['garbage', '!'.repeat(DIGEST_LENGTH), ['event:1'], 42]) {
			clearProcessMemory();
			const staticData: IDataObject = { [STATIC_KEY]: damaged, other: 'kept' };
			const memory = new RecentDeliveries(staticData, 'wf:Trigger');
			expect(memory.claim('event:1')).toBe(true);
			memory.remember('event:1');
			expect(staticData).toEqual({ [STATIC_KEY]: digests('event:1'), other: 'kept' });
		}

		clearProcessMemory();
		const mixed: IDataObject = { [LEGACY_STATIC_KEY]: ['event:1', 5, null, { a: 1 }] };
		const again = new RecentDeliveries(mixed, 'wf:Trigger');
		expect(again.claim('event:1')).toBe(false);
		again.remember('event:2');
		expect(mixed).toEqual({ [STATIC_KEY]: digests('event:1', 'event:2') });
	});

	test('10 deliveries in flight, each on its own copy of static data saved whole in any order: the last save holds all 10', () => {
		const database: { staticData: IDataObject } = { staticData: {} };
		// n8n loads static data for every delivery before any of them is saved.
		const loaded = Array.from({ length: 10 }, () => throughDatabase(database.staticData));
		const memories = loaded.map((staticData) => new RecentDeliveries(staticData, 'wf:Trigger'));
		memories.forEach((memory, i) => expect(memory.claim(`event:${i}`)).toBe(true));
		memories.forEach((memory, i) => memory.remember(`event:${i}`));
		// Saved in reverse order of remembering, each just before its answer (after its own write).
		for (const i of [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]) {
			memories[i].persist();
			database.staticData = throughDatabase(loaded[i]);
		}
		clearProcessMemory();
		const restarted = new RecentDeliveries(throughDatabase(database.staticData), 'wf:Trigger');
		for (let i = 0; i < 10; i++) expect(restarted.claim(`event:${i}`)).toBe(false);
	});

	test('keys another process saved are kept when this process saves next', () => {
		const mine: IDataObject = {};
		const memory = new RecentDeliveries(mine, 'wf:Trigger');
		memory.remember('event:mine');
		// A later delivery loads what the other process saved meanwhile.
		const loaded: IDataObject = { [STATIC_KEY]: digests('event:theirs') };
		new RecentDeliveries(loaded, 'wf:Trigger').persist();
		expect(loaded[STATIC_KEY]).toBe(digests('event:mine', 'event:theirs'));
	});

	test('forget drops an emitted key (n8n could not start the execution)', () => {
		const memory = new RecentDeliveries({}, 'wf:Trigger');
		memory.claim('event:1');
		memory.remember('event:1');
		memory.forget('event:1');
		expect(memory.claim('event:1')).toBe(true);
	});

	test('a forgotten key stays forgotten although an older copy of static data (saved before) still lists it', () => {
		const memory = new RecentDeliveries({}, 'wf:Trigger');
		memory.claim('event:1');
		memory.remember('event:1');
		memory.remember('event:2');
		// Saved by another delivery's answer while event:1 still counted as emitted.
		const saved = throughDatabase({ [STATIC_KEY]: digests('event:1', 'event:2') });
		memory.forget('event:1');

		const next = new RecentDeliveries(saved, 'wf:Trigger');
		expect(next.claim('event:1')).toBe(true);
		expect(next.claim('event:2')).toBe(false);
		next.remember('event:1');
		expect(new RecentDeliveries(throughDatabase(saved), 'wf:Trigger').claim('event:1')).toBe(false);
	});

	test('scopes (workflow + node) do not share their process memory', () => {
		const a = new RecentDeliveries({}, 'wf1:Trigger');
		const b = new RecentDeliveries({}, 'wf2:Trigger');
		expect(a.claim('event:1')).toBe(true);
		expect(b.claim('event:1')).toBe(true);
	});
});
