/**
 * Leans on an n8n internal (checked on n8n 2.40.7 (n8n-workflow 2.40.1) and n8n 1.123.81
 * (n8n-workflow 1.120.31) with test/n8n, in process on n8n-workflow 2.41.0): on the deferred-answer path of a webhook, n8n 2.x saves a trigger's static data
 * right before its answer, but only when the data is marked changed, and creating the execution
 * clears that mark. test/unit/nodes/shared/n8n/staticDataRemark.test.ts fails when
 * n8n-workflow's ObservableObject stops resetting the mark the way this relies on.
 */
import { sleep } from 'n8n-workflow';

/** What the hand-over needs of the trigger's redelivery memory. */
export interface MarkableMemory {
	/** Writes the whole memory into static data again (which marks it changed). */
	persist(): void;
	/** Forgets a key: n8n started no execution for it. */
	forget(key: string): void;
}

/** The part of n8n's HTTP response the hand-over watches. */
export interface Answer {
	readonly headersSent: boolean;
	readonly statusCode: number;
}

/** How long an accepted delivery is watched at most for n8n's answer. */
export const HAND_OVER_LIMIT_MS = 60_000;

interface HandOver {
	memory: MarkableMemory;
	keys: string[];
	answer: Answer;
	since: number;
}

const handOvers = new Set<HandOver>();
let watching = false;

/**
 * For a delivery handed to n8n (n8n answers it): n8n 2.x saves static data right before its
 * deferred answer, but only when marked changed, and creating the execution clears that mark
 * (`WorkflowRunner` wraps the same static data in a new Workflow; n8n-workflow's ObservableObject
 * resets the mark). So the memory marks static data again every millisecond until the answer is
 * out, and n8n's save stores it. n8n 1.x has answered (and saved) already: the first look ends it.
 * An answer of 500 means n8n started nothing: the keys are forgotten, so the redelivery runs.
 * One watcher per process, whatever the number of deliveries in flight.
 */
export function keepMarkedUntilAnswered(memory: MarkableMemory, keys: string[], answer: Answer): void {
	handOvers.add({ memory, keys, answer, since: Date.now() });
	if (!watching) void watch();
}

async function watch(): Promise<void> {
	watching = true;
	try {
		while (handOvers.size > 0) {
			await sleep(1);
			const now = Date.now();
			for (const handOver of handOvers) {
				if (handOver.answer.headersSent) {
					handOvers.delete(handOver);
					if (handOver.answer.statusCode >= 500) for (const key of handOver.keys) handOver.memory.forget(key);
				} else if (now - handOver.since > HAND_OVER_LIMIT_MS) {
					handOvers.delete(handOver);
				} else {
					handOver.memory.persist();
				}
			}
		}
	} finally {
		watching = false;
	}
}
