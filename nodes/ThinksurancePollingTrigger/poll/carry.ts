/**
 * What polls that emitted nothing learnt, kept in this process until a poll emits and n8n
 * commits the memory with that execution. n8n keeps a silent poll's static-data changes only in
 * some modes (docs/polling.md); without this, the scheduler without durable cursors forgets
 * them: an inquiry first seen while filtered out would later count as new, and the search
 * window would grow from the last emitting poll. Only silent learning is carried, never an
 * emitting poll's state: if n8n drops that execution, the next poll finds the change again.
 */
import type { PollState } from './memory';

const silentStates = new Map<string, PollState>();

/**
 * The memory to continue from: the carried state when it descends from the stored one (same
 * account and activation, not older), else the stored state.
 */
export function continueFrom(key: string, stored: PollState | undefined): PollState | undefined {
	const carried = silentStates.get(key);
	if (!stored || !carried) return stored;
	const sameLine = carried.account === stored.account && carried.activatedAt === stored.activatedAt;
	return sameLine && carried.lastPollAt >= stored.lastPollAt ? carried : stored;
}

/** After a successful poll: carry a silent poll's state, drop it once a poll emitted. */
export function afterPoll(key: string, next: PollState, emitted: boolean): void {
	if (emitted) silentStates.delete(key);
	else silentStates.set(key, next);
}

/** For tests: forget everything carried (as a restart of n8n does). */
export function forgetCarried(): void {
	silentStates.clear();
}
