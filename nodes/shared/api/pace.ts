/**
 * What each HTTP exchange says about the API's load, for whoever paces a run's requests (the
 * action node's router). The API layer only reports; it never waits or limits here. A context
 * nobody watches (triggers, list searches) costs one WeakMap lookup per request.
 */
import { parseRetryAfter, type FailureKind } from './failures';

export interface AnswerSignal {
	/** The call (`brokerForward`, `documentFile` …): latencies are compared per call. */
	call: string;
	/** When the request was sent (ms since the epoch). */
	startedAt: number;
	/** Sending to the whole answer (or the failure), in ms. */
	durationMs: number;
	/**
	 * `answered`: a 2xx answer, its time a latency sample; `overloaded`: 429 or 503, the API
	 * asks to slow down; `timeout`: no answer in time (or 504); `other`: says nothing about load.
	 */
	load: 'answered' | 'overloaded' | 'timeout' | 'other';
	/** From a Retry-After header of a 429/503. */
	retryAfterMs?: number;
}

export type AnswerObserver = (signal: AnswerSignal) => void;

const observers = new WeakMap<object, AnswerObserver>();

/** Reports every exchange made with `ctx` to `observer` until the returned function is called. */
export function observeAnswers(ctx: object, observer: AnswerObserver): () => void {
	observers.set(ctx, observer);
	return () => {
		if (observers.get(ctx) === observer) observers.delete(ctx);
	};
}

/** Called by the transport after every exchange; an observer's error never fails a request. */
export function reportAnswer(ctx: object, signal: AnswerSignal): void {
	const observer = observers.get(ctx);
	if (!observer) return;
	try {
		observer(signal);
	} catch {
		// Pacing is advice: a request's outcome does not depend on it.
	}
}

/** The load an HTTP status says. */
export function statusLoad(status: number, headers: Record<string, unknown>): Pick<AnswerSignal, 'load' | 'retryAfterMs'> {
	if (status === 429 || status === 503) {
		const seconds = parseRetryAfter(headers['retry-after']);
		return { load: 'overloaded', ...(seconds !== undefined ? { retryAfterMs: seconds * 1000 } : {}) };
	}
	if (status === 504) return { load: 'timeout' };
	return { load: status >= 200 && status < 300 ? 'answered' : 'other' };
}

/** The load a network failure says. */
export function failureLoad(kind: FailureKind): AnswerSignal['load'] {
	return kind === 'timeout' ? 'timeout' : 'other';
}
