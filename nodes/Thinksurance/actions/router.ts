/**
 * The only item loop. Runs the chosen operation per item, several items at a time where the
 * operation allows it, and keeps output order and pairing identical to the input.
 */
import {
	NodeApiError,
	NodeOperationError,
	sleep,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { observeAnswers } from '../../shared/api';
import { InputError } from '../../shared/domain/input';
import * as account from './account/Account.resource';
import * as agencyNumber from './agencyNumber/AgencyNumber.resource';
import * as broker from './broker/Broker.resource';
import * as document from './document/Document.resource';
import * as inquiry from './inquiry/Inquiry.resource';
import * as product from './product/Product.resource';
import * as profession from './profession/Profession.resource';
import type { OperationModule, ThinksuranceMap, ThinksuranceResource } from './node.type';
import { AdaptiveLimit } from './limiter';
import { batchingOption, type Batching } from './options';

const operations: { [R in ThinksuranceResource]: Record<ThinksuranceMap[R], OperationModule> } = {
	broker: { forward: broker.forward, create: broker.create, getToken: broker.getToken },
	account: { getTokens: account.getTokens },
	inquiry: { search: inquiry.search, get: inquiry.get },
	document: { download: document.download },
	product: { getAll: product.getAll },
	profession: { getAll: profession.getAll },
	agencyNumber: { create: agencyNumber.create, getAll: agencyNumber.getAll, delete: agencyNumber.delete },
};

/**
 * Operations with one request (or one inquiry) per item, which may run side by side: without
 * a Batching option they find the API's pace (limiter.ts).
 */
const PARALLEL_OPERATIONS = new Set([
	'broker.forward',
	'broker.create',
	'broker.getToken',
	'inquiry.get',
	'document.download',
	'agencyNumber.create',
	'agencyNumber.delete',
]);

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as ThinksuranceResource;
	const operation = this.getNodeParameter('operation', 0) as string;
	const module = (operations[resource] as Record<string, OperationModule> | undefined)?.[operation];
	if (!module) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" of resource "${resource}" is not supported.`);
	}
	const parallel = PARALLEL_OPERATIONS.has(`${resource}.${operation}`);
	const batching: Batching | undefined = parallel ? batchingOption.call(this) : { batchSize: 1, batchInterval: 0 };

	const results: INodeExecutionData[][] = new Array<INodeExecutionData[]>(items.length);
	const continueOnFail = this.continueOnFail();

	const runItem = async (itemIndex: number): Promise<void> => {
		try {
			const output = await module.execute.call(this, itemIndex);
			results[itemIndex] = output.map((result) => ({ ...result, pairedItem: { item: itemIndex } }));
		} catch (caught) {
			const error = itemError(this, caught, itemIndex);
			if (!continueOnFail) throw error;
			results[itemIndex] = [{ json: { error: error.message }, pairedItem: { item: itemIndex } }];
		}
	};

	if (!batching) {
		await runAdaptive(this, items.length, runItem);
	} else if (batching.batchInterval > 0) {
		await runInBatches(items.length, batching, runItem);
	} else {
		await runWithLimit(items.length, batching.batchSize, runItem);
	}
	return [results.flat()];
}

/** Lock-step batches with a pause between them, as the HTTP Request node does. */
async function runInBatches(count: number, batching: Batching, runItem: (index: number) => Promise<void>): Promise<void> {
	const failures = new FailureLog();
	for (let start = 0; start < count && !failures.any(); start += batching.batchSize) {
		if (start > 0) await sleep(batching.batchInterval);
		const indexes = Array.from({ length: Math.min(batching.batchSize, count - start) }, (_, offset) => start + offset);
		await Promise.all(indexes.map(async (index) => await runItem(index).catch((error: unknown) => failures.add(index, error))));
	}
	failures.throwFirst();
}

/** Keeps `limit` items in flight; after a failure no new item starts. */
async function runWithLimit(count: number, limit: number, runItem: (index: number) => Promise<void>): Promise<void> {
	const failures = new FailureLog();
	const pacer = new Pacer(limit);
	let next = 0;
	const worker = async (): Promise<void> => {
		while (!failures.any() && next < count) {
			const index = next++;
			await pacer.turn();
			if (failures.any()) break;
			const started = Date.now();
			await runItem(index).catch((error: unknown) => failures.add(index, error));
			pacer.observe(Date.now() - started);
		}
	};
	// Every started request is awaited, so none is left running unobserved.
	await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
	failures.throwFirst();
}

/**
 * As many items in flight as the run's AdaptiveLimit allows, paced like runWithLimit; the API
 * layer reports every exchange made with this context to the limit. After a failure no new
 * item starts.
 */
async function runAdaptive(ctx: IExecuteFunctions, count: number, runItem: (index: number) => Promise<void>): Promise<void> {
	const limit = new AdaptiveLimit();
	const stopObserving = observeAnswers(ctx, (signal) => limit.observe(signal));
	const failures = new FailureLog();
	const pacer = new Pacer(() => limit.current);
	const running = new Set<Promise<void>>();
	try {
		let next = 0;
		while (next < count && !failures.any()) {
			if (running.size >= limit.current) {
				await Promise.race(running);
				continue;
			}
			const holdMs = limit.holdMs();
			if (holdMs > 0) {
				await sleep(holdMs);
				continue;
			}
			await pacer.turn();
			// The limit may have shrunk, or a Retry-After come in, while this start waited.
			if (failures.any() || running.size >= limit.current || limit.holdMs() > 0) continue;
			const index = next++;
			const started = Date.now();
			limit.started();
			const task: Promise<void> = runItem(index)
				.catch((error: unknown) => failures.add(index, error))
				.finally(() => {
					limit.finished();
					pacer.observe(Date.now() - started);
					running.delete(task);
				});
			running.add(task);
		}
		// Every started request is awaited, so none is left running unobserved.
		await Promise.all(running);
	} finally {
		stopObserving();
	}
	failures.throwFirst();
}

/**
 * Spreads the starts of items evenly over one round trip (round trip / limit apart). Started
 * together, `limit` requests come back together and then wait for each other on n8n's single
 * thread (every request costs a few ms of CPU in n8n's HTTP stack): with 10 in flight that
 * added ~20 ms to each 50 ms call. Spaced out, the same limit reaches about the rate the
 * API's latency allows; the pace never goes below limit / round trip.
 */
export class Pacer {
	private roundTripMs?: number;

	private nextStartAt = 0;

	private readonly limit: () => number;

	/** `limit`: fixed, or read at every start (an adaptive limit). */
	constructor(limit: number | (() => number)) {
		this.limit = typeof limit === 'number' ? () => limit : limit;
	}

	async turn(): Promise<void> {
		const limit = this.limit();
		if (limit <= 1 || this.roundTripMs === undefined) return;
		const now = Date.now();
		const startAt = Math.max(now, this.nextStartAt);
		this.nextStartAt = startAt + this.roundTripMs / limit;
		if (startAt > now) await sleep(startAt - now);
	}

	observe(durationMs: number): void {
		if (this.roundTripMs === undefined) {
			this.roundTripMs = durationMs;
			return;
		}
		// One slow outlier (a timeout) must not throttle the fast calls around it for long; the
		// 1 s floor lets the estimate grow from items that failed before sending (0 ms).
		const sample = Math.min(durationMs, Math.max(4 * this.roundTripMs, 1000));
		this.roundTripMs = 0.8 * this.roundTripMs + 0.2 * sample;
	}
}

/** Failed items of a run; the one with the lowest index is reported, as a sequential run would. */
class FailureLog {
	private first?: { index: number; error: unknown };

	add(index: number, error: unknown): void {
		if (!this.first || index < this.first.index) this.first = { index, error };
	}

	any(): boolean {
		return this.first !== undefined;
	}

	throwFirst(): void {
		if (this.first) throw this.first.error;
	}
}

/** Every failure as a node error that names the item; input problems name field and fix. */
function itemError(ctx: IExecuteFunctions, caught: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	const suffix = ` [item ${itemIndex}]`;
	if (caught instanceof InputError) {
		const message = `${caught.message}${caught.hint ? ` ${caught.hint}` : ''}${suffix}`;
		return new NodeOperationError(ctx.getNode(), message, { itemIndex, description: caught.hint });
	}
	if (caught instanceof NodeApiError || caught instanceof NodeOperationError) {
		if (!caught.message.endsWith(suffix)) caught.message += suffix;
		caught.context.itemIndex = itemIndex;
		return caught;
	}
	return new NodeOperationError(ctx.getNode(), caught as Error, { itemIndex, message: `${(caught as Error)?.message ?? 'Unknown error'}${suffix}` });
}
