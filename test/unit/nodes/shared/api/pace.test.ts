import { failureLoad, observeAnswers, reportAnswer, statusLoad, type AnswerSignal } from '../../../../../nodes/shared/api/pace';

const signal: AnswerSignal = { call: 'brokerForward', startedAt: 1, durationMs: 50, load: 'answered' };

describe('pace: what an exchange says about the API load', () => {
	test.each([
		[200, {}, { load: 'answered' }],
		[204, {}, { load: 'answered' }],
		[404, {}, { load: 'other' }],
		[400, {}, { load: 'other' }],
		[500, {}, { load: 'other' }],
		[429, {}, { load: 'overloaded' }],
		[429, { 'retry-after': '2' }, { load: 'overloaded', retryAfterMs: 2000 }],
		[503, { 'retry-after': '1' }, { load: 'overloaded', retryAfterMs: 1000 }],
		[503, { 'retry-after': 'soon' }, { load: 'overloaded' }],
		[504, {}, { load: 'timeout' }],
	])('HTTP %i %j → %j', (status, headers, expected) => {
		expect(statusLoad(status, headers)).toEqual(expected);
	});

	test('network failures: only a timeout is a load signal', () => {
		expect(failureLoad('timeout')).toBe('timeout');
		expect(failureLoad('connectionReset')).toBe('other');
		expect(failureLoad('unreachable')).toBe('other');
	});

	test('reports reach the observer of that context only, until it stops observing', () => {
		const ctx = {};
		const other = {};
		const seen: AnswerSignal[] = [];
		const stop = observeAnswers(ctx, (s) => seen.push(s));
		reportAnswer(ctx, signal);
		reportAnswer(other, signal);
		stop();
		reportAnswer(ctx, signal);
		expect(seen).toEqual([signal]);
	});

	test('a failing observer never fails the request that reported', () => {
		const ctx = {};
		const stop = observeAnswers(ctx, () => {
			throw new Error('observer broke');
		});
		expect(() => reportAnswer(ctx, signal)).not.toThrow();
		stop();
	});

	test('a context nobody observes (triggers) costs nothing but the lookup', () => {
		expect(() => reportAnswer({}, signal)).not.toThrow();
	});
});
