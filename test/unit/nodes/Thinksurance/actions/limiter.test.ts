import { AdaptiveLimit, CEILING, START_LIMIT } from '../../../../../nodes/Thinksurance/actions/limiter';
import type { AnswerSignal } from '../../../../../nodes/shared/api';

/** A limiter on a fake clock, and rounds of answers as a run would produce them. */
function setup(start = START_LIMIT) {
	let now = 1_000_000;
	const limit = new AdaptiveLimit(() => now, start);
	const answer = (signal: Partial<AnswerSignal>): void =>
		limit.observe({ call: 'brokerForward', startedAt: now, durationMs: 50, load: 'answered', ...signal });
	/** `inFlight` items (default: the whole limit) start now and answer after `latencyMs` each. */
	const round = (latencyMs: number, inFlight = limit.current, call = 'brokerForward'): void => {
		const startedAt = now;
		for (let i = 0; i < inFlight; i++) limit.started();
		now += latencyMs;
		for (let i = 0; i < inFlight; i++) {
			limit.observe({ call, startedAt, durationMs: latencyMs, load: 'answered' });
			limit.finished();
		}
	};
	const advance = (ms: number): void => {
		now += ms;
	};
	return { limit, answer, round, advance, at: () => now };
}

describe('AdaptiveLimit', () => {
	test('starts where the package always started: 20 in flight, no hold', () => {
		const { limit } = setup();
		expect(limit.current).toBe(20);
		expect(limit.holdMs()).toBe(0);
	});

	test('grows while answers stay as fast as the fastest seen, and never above the ceiling', () => {
		const { limit, round } = setup();
		// The first answers only set the fastest (they started together and waited for the token).
		round(50);
		expect(limit.current).toBe(20);
		round(50);
		expect(limit.current).toBeGreaterThan(20);
		const seen: number[] = [];
		for (let i = 0; i < 30; i++) {
			round(50);
			seen.push(limit.current);
		}
		expect(Math.max(...seen)).toBe(CEILING);
		expect(seen.every((value, index) => index === 0 || value >= seen[index - 1])).toBe(true);
	});

	test('does not grow a limit the run does not use', () => {
		const { limit, round } = setup();
		round(50, 20);
		round(50, 20);
		const before = limit.current;
		for (let i = 0; i < 5; i++) round(50, 5);
		expect(limit.current).toBe(before);
	});

	test('holds while a little queue builds up, shrinks as soon as latency climbs', () => {
		const { limit, round } = setup();
		round(50);
		round(50);
		round(50);
		const grown = limit.current;
		round(70);
		expect(limit.current).toBeLessThanOrEqual(grown + 1);
		round(120);
		// 2.4 × the fastest: towards limit × 1.25 / 2.4, at most halved.
		expect(limit.current).toBeLessThan(grown);
		expect(limit.current).toBeGreaterThanOrEqual(Math.floor(grown / 2));
	});

	test('latency alone never takes it below 10 (a busy n8n looks slow); refusals do', () => {
		const { limit, round, answer, advance } = setup();
		round(50);
		for (let i = 0; i < 20; i++) round(300);
		expect(limit.current).toBe(10);
		advance(1);
		answer({ load: 'overloaded' });
		expect(limit.current).toBe(5);
	});

	test('a capacity model (latency grows with in flight beyond 30) settles between 24 and the ceiling, well below the 60 where it would refuse', () => {
		const { limit, round } = setup();
		const seen: number[] = [];
		for (let i = 0; i < 60; i++) {
			round(50 * Math.max(1, limit.current / 30));
			seen.push(limit.current);
		}
		const settled = seen.slice(20);
		expect(Math.min(...settled)).toBeGreaterThanOrEqual(24);
		expect(Math.max(...settled)).toBeLessThanOrEqual(50);
	});

	test.each([
		['503', { load: 'overloaded' as const }],
		['429', { load: 'overloaded' as const }],
		['a timeout', { load: 'timeout' as const }],
	])('%s halves the limit, once for all answers to requests sent before the cut', (_label, signal) => {
		const { limit, answer, advance } = setup();
		const sentAt = 1_000_000;
		advance(5);
		answer({ ...signal, startedAt: sentAt, durationMs: 5 });
		expect(limit.current).toBe(10);
		answer({ ...signal, startedAt: sentAt, durationMs: 6 });
		answer({ ...signal, startedAt: sentAt + 1, durationMs: 6 });
		expect(limit.current).toBe(10);
		// A request sent after the cut that is refused again: the next cut.
		advance(10);
		answer({ ...signal, startedAt: sentAt + 10, durationMs: 1 });
		expect(limit.current).toBe(5);
	});

	test('never below one in flight', () => {
		const { limit, answer, advance } = setup(2);
		for (let i = 0; i < 5; i++) {
			advance(10);
			answer({ load: 'overloaded', startedAt: Number.MAX_SAFE_INTEGER });
		}
		expect(limit.current).toBe(1);
	});

	test('Retry-After stops new starts for that long (at most 60 s); without one there is no pause', () => {
		const { limit, answer, advance } = setup();
		answer({ load: 'overloaded' });
		expect(limit.holdMs()).toBe(0);
		answer({ load: 'overloaded', retryAfterMs: 1000 });
		expect(limit.holdMs()).toBe(1000);
		advance(400);
		expect(limit.holdMs()).toBe(600);
		advance(600);
		expect(limit.holdMs()).toBe(0);
		answer({ load: 'overloaded', retryAfterMs: 3_600_000 });
		expect(limit.holdMs()).toBe(60_000);
	});

	test('answers that say nothing about load (4xx, refused connections) change nothing', () => {
		const { limit, answer } = setup();
		for (let i = 0; i < 40; i++) answer({ load: 'other', durationMs: 1 + i * 10 });
		expect(limit.current).toBe(20);
		expect(limit.holdMs()).toBe(0);
	});

	test('latencies are compared per call: a slower call in the same run is no queue', () => {
		const { limit, round } = setup();
		round(50, 20, 'inquiryGet');
		round(400, 20, 'documentFile');
		const before = limit.current;
		for (let i = 0; i < 4; i++) {
			round(400, limit.current, 'documentFile');
			round(50, limit.current, 'inquiryGet');
		}
		expect(limit.current).toBeGreaterThan(before);
	});

	test('a limit started above the ceiling is capped', () => {
		expect(new AdaptiveLimit(() => 0, 500).current).toBe(CEILING);
	});
});
