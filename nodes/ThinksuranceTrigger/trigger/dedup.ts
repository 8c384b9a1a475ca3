/**
 * Memory of recently emitted deliveries, so Thinksurance's redeliveries start nothing.
 * Kept in the node's static data (survives restarts, n8n saves it after each webhook call)
 * and in this process (catches a redelivery that arrives while the first is still running).
 */
import type { IDataObject } from 'n8n-workflow';

export const STATIC_KEY = 'recentDeliveries';
export const DEFAULT_CAPACITY = 2000;

/** Keys of deliveries seen per workflow node in this process; insertion-ordered for eviction. */
const processMemory = new Map<string, Map<string, 'inFlight' | 'done'>>();

export class RecentDeliveries {
	private readonly local: Map<string, 'inFlight' | 'done'>;

	constructor(
		private readonly staticData: IDataObject,
		scope: string,
		private readonly capacity = DEFAULT_CAPACITY,
	) {
		let local = processMemory.get(scope);
		if (!local) {
			local = new Map();
			processMemory.set(scope, local);
		}
		this.local = local;
	}

	private stored(): string[] {
		const list = this.staticData[STATIC_KEY];
		return Array.isArray(list) ? list.filter((entry): entry is string => typeof entry === 'string') : [];
	}

	/** Claims a key; false when it was emitted before or is being handled right now. */
	claim(key: string): boolean {
		if (this.local.has(key) || this.stored().includes(key)) return false;
		this.local.set(key, 'inFlight');
		return true;
	}

	/** Gives a claim back after a failure, so the redelivery is handled. */
	release(key: string): void {
		if (this.local.get(key) === 'inFlight') this.local.delete(key);
	}

	/** Remembers an emitted delivery in both memories, dropping the oldest beyond capacity. */
	remember(key: string): void {
		this.local.delete(key);
		this.local.set(key, 'done');
		while (this.local.size > this.capacity) this.local.delete(this.local.keys().next().value as string);
		const list = this.stored().filter((entry) => entry !== key);
		list.push(key);
		this.staticData[STATIC_KEY] = list.slice(-this.capacity);
	}
}

/** For tests: forget the process memory. */
export function clearProcessMemory(): void {
	processMemory.clear();
}
