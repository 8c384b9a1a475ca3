import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readCollection, readInteger } from '../../shared/domain/input';
import { itemParameter } from '../../shared/n8n/jsonPathParameters';
import { START_LIMIT } from './limiter';

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
 * The user's Batching, a hard limit; undefined when the option is not set: the router then
 * finds the pace at run time (limiter.ts), starting at 20 in flight.
 */
export function batchingOption(this: IExecuteFunctions): Batching | undefined {
	const options = readCollection(this.getNodeParameter('options', 0, {}), 'Options');
	if (options.batching === undefined || options.batching === null) return undefined;
	const batch = ((options.batching as IDataObject).batch ?? {}) as IDataObject;
	const size = readInteger(batch.batchSize, 'Options → Batching → Items per Batch') ?? START_LIMIT;
	const interval = readInteger(batch.batchInterval, 'Options → Batching → Batch Interval (Ms)') ?? 0;
	return { batchSize: Math.min(Math.max(size, 1), 50), batchInterval: Math.max(interval, 0) };
}
