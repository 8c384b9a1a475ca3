/**
 * How many items of one run may be in flight when the user set no Batching: found while the
 * run goes, from what the API layer reports about every exchange (shared/api/pace.ts).
 *
 * The idea is TCP Vegas as Netflix's concurrency-limits (VegasLimit) applies it to requests:
 * how many requests queue at the API is read from how much slower answers come than the
 * fastest seen, queued = limit × (1 − fastest / now). The limit grows while nothing queues,
 * holds while a little does and shrinks when more does. Like Linux's TCP Vegas it decides once
 * per round of answers (to requests started after the last change) on the round's fast end
 * (its lower quartile; Linux's tcp_vegas takes the round's minimum): n8n's one thread delays
 * some answers while it handles others, which is no queue at the API, but a queue there slows
 * most answers of the round, and one lucky answer says little.
 * Growth is fast while nothing has queued yet (×1.5 a round, Vegas' "aggressive increase"),
 * then +1 (or +10 %) a round. A latency shrink goes straight to what the latency says the API
 * serves, limit × fastest / now with a quarter of queue allowed (Netflix's Gradient limit),
 * at most by half, and never below LATENCY_MIN. A 429/503 or a timeout halves the limit (TCP's multiplicative decrease),
 * once per round however many answers say it (NewReno), and a Retry-After stops new starts
 * for that long (the retry loop waits it out for the refused items themselves).
 */
import type { AnswerSignal } from '../../shared/api';

/** Where a run starts: the 20 in flight the package always had (bench/RESULTS.md). */
export const START_LIMIT = 20;
/**
 * Never more in flight. 50 is the most a user may set by hand (*Items per Batch* 1–50), and
 * at 50 ms a call already 1,000 requests a second, more than n8n's one thread can send (a few
 * ms of CPU each): above it the node would gain little and only load the API harder.
 */
export const CEILING = 50;
/**
 * Latency alone never takes the limit below 10 (half the old fixed 20): n8n measures latency
 * on its own busy thread, and on a loaded machine its delays look like a queue at the API
 * (measured: a loaded 2-core machine drove a limit without this floor to 1 in flight). The
 * API's own refusals and timeouts still go down to 1.
 */
const LATENCY_MIN = 10;
/** A Retry-After beyond this fails the item in the retry loop anyway (retry.ts). */
const MAX_HOLD_MS = 60_000;

/** Latency / fastest: up to GROW nothing queues; above SHRINK the API is queueing. */
const GROW = 1.15;
const CREEP = 1.3;
const SHRINK = 1.6;
/** Latency allowed over the fastest after a shrink (a little queue keeps the API busy). */
const TOLERANCE = 1.25;

export class AdaptiveLimit {
	private limit: number;

	private readonly fastest = new Map<string, number>();

	private roundOpenedAt: number;

	private ratios: number[] = [];

	private inFlight = 0;

	private peakInFlight = 0;

	private lastCutAt = Number.NEGATIVE_INFINITY;

	private holdUntil = 0;

	private nothingQueuedYet = true;

	constructor(
		private readonly now: () => number = Date.now,
		start = START_LIMIT,
		private readonly ceiling = CEILING,
	) {
		this.limit = Math.min(start, ceiling);
		// The first requests start together and wait for the token: only the answers to
		// requests sent after the first answer (paced) are judged.
		this.roundOpenedAt = Number.POSITIVE_INFINITY;
	}

	/** Items that may be in flight now. */
	get current(): number {
		return Math.max(1, Math.floor(this.limit));
	}

	/** How long no new item may start (a Retry-After). */
	holdMs(): number {
		return Math.max(0, this.holdUntil - this.now());
	}

	started(): void {
		this.inFlight++;
		this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
	}

	finished(): void {
		this.inFlight = Math.max(0, this.inFlight - 1);
	}

	observe(signal: AnswerSignal): void {
		const now = this.now();
		if (signal.load === 'overloaded' || signal.load === 'timeout') {
			if (signal.retryAfterMs !== undefined) this.holdUntil = Math.max(this.holdUntil, now + Math.min(signal.retryAfterMs, MAX_HOLD_MS));
			// Answers to requests sent before the last cut knew nothing of it.
			if (signal.startedAt >= this.lastCutAt) {
				this.lastCutAt = now;
				this.change(this.limit / 2, now);
			}
			return;
		}
		if (signal.load !== 'answered') return;
		const latency = Math.max(1, signal.durationMs);
		if (this.roundOpenedAt === Number.POSITIVE_INFINITY) this.openRound(now);
		const fastest = this.fastest.get(signal.call);
		if (fastest === undefined || latency < fastest) {
			// A new fastest is no sample of queueing (VegasLimit does the same).
			this.fastest.set(signal.call, latency);
			return;
		}
		if (signal.startedAt < this.roundOpenedAt) return;
		this.ratios.push(latency / fastest);
		if (this.ratios.length >= Math.max(5, Math.ceil(this.limit / 2))) this.decide(now);
	}

	private decide(now: number): void {
		const sorted = [...this.ratios].sort((a, b) => a - b);
		const ratio = sorted[Math.floor(sorted.length / 4)];
		if (ratio > SHRINK) {
			const target = Math.max(this.limit / 2, (this.limit * TOLERANCE) / ratio, LATENCY_MIN);
			if (target < this.limit) this.change(target, now);
			else this.openRound(now);
		} else if (this.peakInFlight < 0.75 * this.current) {
			// Growing a limit the run does not use (few items left) would only drift upwards.
			this.openRound(now);
		} else if (ratio <= GROW) {
			this.change(this.limit + (this.nothingQueuedYet ? this.limit / 2 : Math.max(1, this.limit / 10)), now);
		} else {
			this.nothingQueuedYet = false;
			if (ratio <= CREEP) this.change(this.limit + 1, now);
			else this.openRound(now);
		}
	}

	private change(limit: number, now: number): void {
		if (limit < this.limit) this.nothingQueuedYet = false;
		this.limit = Math.min(this.ceiling, Math.max(1, limit));
		this.openRound(now);
	}

	private openRound(now: number): void {
		this.roundOpenedAt = now;
		this.ratios = [];
		this.peakInFlight = this.inFlight;
	}
}
