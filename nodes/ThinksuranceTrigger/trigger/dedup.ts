/**
 * Memory of recently emitted deliveries, so Thinksurance's redeliveries start nothing.
 *
 * Two layers: this process's memory (catches a redelivery that arrives while the first is still
 * running, and keeps every key this process emitted or read), and the node's static data, which
 * n8n stores in its database (survives restarts). n8n loads static data for every delivery and
 * saves it whole afterwards, last writer wins; so every write here is the whole process memory,
 * never just this delivery's key: concurrent deliveries in one process cannot erase each other.
 *
 * n8n reads and writes that static data on every delivery, so it is kept small: a fixed-width
 * digest per key, all in one string (2,000 keys: 24 KB instead of about 90 KB of event IDs).
 */
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

export const STATIC_KEY = 'deliveryDigests';
/** Where version 1.0.0 kept the plain keys; read once, then replaced by STATIC_KEY. */
export const LEGACY_STATIC_KEY = 'recentDeliveries';
export const DEFAULT_CAPACITY = 2000;
/** 12 base64url characters = 72 bits: a false "seen before" among 2,000 keys is about 1 in 10^18. */
export const DIGEST_LENGTH = 12;
const DIGESTS = new RegExp(`^(?:[A-Za-z0-9_-]{${DIGEST_LENGTH}})*$`);

export function digestOf(key: string): string {
	return createHash('sha256').update(key).digest('base64url').slice(0, DIGEST_LENGTH);
}

type State = 'inFlight' | 'done';

interface ScopeMemory {
	/** Digests in insertion order (oldest first), for eviction. */
	keys: Map<string, State>;
	/** The `done` digests as static data stores them; rebuilt only after a change. */
	stored?: string;
	/** The last stored string read: the same again needs no parsing. */
	lastRead?: string;
	/** Forgotten after n8n started no execution: an older stored copy must not bring them back. */
	forgotten: Set<string>;
}

/** Per workflow node in this process. */
const processMemory = new Map<string, ScopeMemory>();

export class RecentDeliveries {
	private readonly memory: ScopeMemory;

	constructor(
		private readonly staticData: IDataObject,
		scope: string,
		private readonly capacity = DEFAULT_CAPACITY,
	) {
		let memory = processMemory.get(scope);
		if (!memory) {
			memory = { keys: new Map(), forgotten: new Set() };
			processMemory.set(scope, memory);
		}
		this.memory = memory;
		// What other deliveries (also other processes, or before a restart) saved is known from now on.
		const stored = this.staticData[STATIC_KEY];
		if (typeof stored === 'string' && stored !== memory.lastRead && stored !== memory.stored && DIGESTS.test(stored)) {
			for (let at = 0; at < stored.length; at += DIGEST_LENGTH) this.learn(stored.slice(at, at + DIGEST_LENGTH));
			memory.lastRead = stored;
		}
		const legacy = this.staticData[LEGACY_STATIC_KEY];
		if (Array.isArray(legacy)) for (const key of legacy) if (typeof key === 'string') this.learn(digestOf(key));
	}

	private learn(digest: string): void {
		if (!this.memory.keys.has(digest) && !this.memory.forgotten.has(digest)) this.set(digest, 'done');
	}

	private set(digest: string, state: State): void {
		const keys = this.memory.keys;
		// The stored string lists `done` digests only: a claim in flight leaves it as it is.
		if (state === 'done' || keys.get(digest) === 'done') this.memory.stored = undefined;
		keys.delete(digest);
		keys.set(digest, state);
		while (keys.size > this.capacity) {
			const oldest = keys.keys().next().value as string;
			if (keys.get(oldest) === 'done') this.memory.stored = undefined;
			keys.delete(oldest);
		}
	}

	/** Claims a key; false when it was emitted before or is being handled right now. */
	claim(key: string): boolean {
		const digest = digestOf(key);
		if (this.memory.keys.has(digest)) return false;
		this.memory.forgotten.delete(digest);
		this.set(digest, 'inFlight');
		return true;
	}

	/** Gives a claim back after a failure, so the redelivery is handled. */
	release(key: string): void {
		const digest = digestOf(key);
		if (this.memory.keys.get(digest) === 'inFlight') this.memory.keys.delete(digest);
	}

	/** Forgets an emitted key: n8n could not start its execution, so the redelivery must run. */
	forget(key: string): void {
		const digest = digestOf(key);
		if (!this.memory.keys.delete(digest)) return;
		this.memory.stored = undefined;
		const forgotten = this.memory.forgotten;
		forgotten.add(digest);
		if (forgotten.size > this.capacity) forgotten.delete(forgotten.values().next().value as string);
	}

	/** Remembers an emitted delivery and writes the memory into static data. */
	remember(key: string): void {
		this.set(digestOf(key), 'done');
		this.persist();
	}

	/**
	 * Writes every emitted key this process knows (newest `capacity`) into static data. Each write
	 * also tells n8n that static data changed (its save skips unchanged data); claims in flight are
	 * never written, so a crash cannot swallow their redelivery.
	 */
	persist(): void {
		if (this.memory.stored === undefined) {
			let stored = '';
			for (const [digest, state] of this.memory.keys) if (state === 'done') stored += digest;
			this.memory.stored = stored;
		}
		this.staticData[STATIC_KEY] = this.memory.stored;
		if (LEGACY_STATIC_KEY in this.staticData) delete this.staticData[LEGACY_STATIC_KEY];
	}
}

/** For tests: forget the process memory. */
export function clearProcessMemory(): void {
	processMemory.clear();
}
