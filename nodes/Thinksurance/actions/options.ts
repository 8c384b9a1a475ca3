import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readCollection, readInteger } from '../../shared/domain/input';
import { itemParameter } from '../../shared/n8n/jsonPathParameters';

/** The per-request timeout from Options, if set. */
export function timeoutOption(this: IExecuteFunctions, itemIndex: number): number | undefined {
	const options = readCollection(itemParameter.call(this, 'options', itemIndex, {}), 'Options');
	const timeout = readInteger(options.timeout, 'Options → Timeout (Ms)');
	return timeout !== undefined && timeout > 0 ? timeout : undefined;
}

export interface Batching {
	batchSize: number;
	batchInterval: number;
}

/**
 * Default: 20 requests in flight. Bounded (the HTTP Request node with interval 0 starts every
 * item at once), and enough to beat it: at 10, n8n's own cost per request (~4 ms of CPU on
 * one thread) keeps a 50 ms API at ~1.1 × the unbounded flow's time (bench/RESULTS.md).
 */
export const DEFAULT_BATCHING: Batching = { batchSize: 20, batchInterval: 0 };

export function batchingOption(this: IExecuteFunctions): Batching {
	const options = readCollection(this.getNodeParameter('options', 0, {}), 'Options');
	const batch = ((options.batching as IDataObject | undefined)?.batch ?? {}) as IDataObject;
	const size = readInteger(batch.batchSize, 'Options → Batching → Items per Batch') ?? DEFAULT_BATCHING.batchSize;
	const interval = readInteger(batch.batchInterval, 'Options → Batching → Batch Interval (Ms)') ?? DEFAULT_BATCHING.batchInterval;
	return { batchSize: Math.min(Math.max(size, 1), 50), batchInterval: Math.max(interval, 0) };
}
