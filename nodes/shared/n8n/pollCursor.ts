/**
 * The one place where the polling trigger leans on an n8n internal: the staged poll cursor of
 * n8n 2.x's durable poller (checked on n8n 2.40.7 with n8n-core 2.40.3, and n8n-core 2.41.1;
 * n8n 1.123.81 has no cursor). docs/polling.md has the full rules per mode.
 *
 * When a poll node has a poll cursor (`N8N_POLLER_DURABLE_CURSORS_ENABLED=true` with the
 * durable scheduler, or a cursor row left from such a run), its node static data is a per-poll
 * copy. n8n commits that copy with the execution the poll emits, or, for a scheduled poll that
 * emits nothing, through `__commitCursor`. The poll n8n runs at activation (n8n-core's
 * `PollTriggerExecutor`, `testingTrigger = true`) is never committed when it emits nothing, so
 * the activation poll's memory ("what exists now") would be dropped and the first scheduled
 * poll would remember again, swallowing every change made in between. We commit that one poll
 * ourselves; without a cursor `__commitCursor` is a no-op (n8n then saves the workflow's
 * static data after activation).
 */
import type { IPollFunctions } from 'n8n-workflow';

/** What n8n 2.x adds to a poll context; absent on n8n 1.x. */
type WithCursorCommit = IPollFunctions & { __commitCursor?: () => Promise<void> };

/** The n8n versions the internal above was read in. */
export const CHECKED_N8N_VERSIONS = { n8n: ['2.40.7', '1.123.81'], n8nCore: ['2.40.3', '2.41.1', '1.122.48'] } as const;

/**
 * Commits what a silent set-up poll (activation, start-up) staged in the poll cursor. Safe to
 * call twice (n8n compares the copy with what it last committed); a no-op without a cursor.
 */
export async function commitSetUpPollCursor(ctx: IPollFunctions): Promise<void> {
	const commit = (ctx as WithCursorCommit).__commitCursor;
	if (typeof commit === 'function') await commit.call(ctx);
}
