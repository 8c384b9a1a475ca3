/**
 * The one retry loop, for JSON calls and file downloads alike: transient failures (429, 5xx,
 * timeouts, broken connections) are repeated with backoff or as Retry-After asks, a write only
 * when it certainly was not processed.
 */
import { sleep } from 'n8n-workflow';

import { isTransient, wasNotProcessed, type Failure } from './failures';

/** Attempts for reads (and for writes that certainly were not processed). */
export const MAX_ATTEMPTS = 4;
const BACKOFF_MS = [500, 1_500, 4_000];
/** A Retry-After longer than this fails the item instead of blocking the workflow. */
const MAX_RETRY_AFTER_MS = 60_000;

export type Attempt<T> = { value: T } | { failure: Failure };

/** Milliseconds to wait before the next attempt, or undefined when waiting is pointless. */
export function retryDelay(attempt: number, failure: Failure): number | undefined {
	if (failure.retryAfterSeconds !== undefined) {
		const ms = failure.retryAfterSeconds * 1000;
		return ms > MAX_RETRY_AFTER_MS ? undefined : Math.max(ms, 100);
	}
	return BACKOFF_MS[Math.min(attempt - 1, BACKOFF_MS.length - 1)];
}

/** Runs `once` until it succeeds or a failure is final; the final one comes back with the attempts made. */
export async function withRetries<T>(
	write: boolean,
	once: (attempt: number) => Promise<Attempt<T>>,
): Promise<{ value: T } | { failure: Failure; attempts: number }> {
	for (let attempt = 1; ; attempt++) {
		const outcome = await once(attempt);
		if ('value' in outcome) return outcome;
		const { failure } = outcome;
		const mayRepeat = !write || wasNotProcessed(failure);
		const waitMs = isTransient(failure) && mayRepeat && attempt < MAX_ATTEMPTS ? retryDelay(attempt, failure) : undefined;
		if (waitMs === undefined) return { failure, attempts: attempt };
		await sleep(waitMs);
	}
}
