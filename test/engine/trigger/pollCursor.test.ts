/**
 * The n8n internal nodes/shared/n8n/pollCursor.ts leans on, checked against the installed n8n-core and
 * n8n-workflow: when one of these fails, n8n changed how it commits a poll's cursor; read
 * docs/polling.md and the file's comment again before changing the test.
 */
import { PollContext, PollTriggerExecutor, commitStagedCursor, runPollInStagingScope } from 'n8n-core';
import { Workflow, type IDataObject, type INode, type IPollFunctions } from 'n8n-workflow';

import { CHECKED_N8N_VERSIONS, commitSetUpPollCursor } from '../../../nodes/shared/n8n/pollCursor';
import { POLLING_TRIGGER_NODE_TYPE, additionalDataFor, newCredentialsHelper, nodeTypes } from '../../support/harness';

const NODE: INode = { id: 'n1', name: 'Poller', type: POLLING_TRIGGER_NODE_TYPE, typeVersion: 1, position: [0, 0], parameters: {} };

function workflow(): Workflow {
	return new Workflow({ id: 'wf', name: 'cursor', nodes: [NODE], connections: {}, active: true, nodeTypes, staticData: {}, settings: {} });
}

/** n8n-core's real PollTriggerExecutor with stand-ins for its logger, tracing and poll runner. */
function executor(poll: (ctx: IPollFunctions) => Promise<unknown>): PollTriggerExecutor {
	const logger = { debug: () => undefined, error: () => undefined, scoped: () => logger };
	const span = { setStatus: () => undefined };
	const tracing = {
		startSpan: async (_options: unknown, run: (s: typeof span) => Promise<unknown>) => await run(span),
		startNewTraceSpan: async (_options: unknown, run: (s: typeof span) => Promise<unknown>) => await run(span),
		pickWorkflowAttributes: () => ({}),
		pickNodeAttributes: () => ({}),
	};
	const triggersAndPollers = { runPollFunction: async (_w: Workflow, _n: INode, ctx: IPollFunctions) => await poll(ctx) };
	const errorReporter = { error: () => undefined };
	const Executor = PollTriggerExecutor as unknown as new (...args: unknown[]) => PollTriggerExecutor;
	return new Executor(logger, triggersAndPollers, tracing, errorReporter);
}

/** A PollContext wired like n8n 2.40.7's TriggerExecutionContextFactory with a cursor: a staged copy per poll. */
function cursorContext(commits: IDataObject[], emits: unknown[]): PollContext {
	const wf = workflow();
	let cursor: IDataObject = {};
	let staged: IDataObject | undefined;
	return new PollContext(
		wf,
		NODE,
		additionalDataFor(newCredentialsHelper()),
		'trigger',
		'activate',
		(data) => emits.push(data),
		(error) => {
			throw error;
		},
		async () => {
			if (staged && JSON.stringify(staged) !== JSON.stringify(cursor)) {
				cursor = JSON.parse(JSON.stringify(staged)) as IDataObject;
				commits.push(cursor);
			}
		},
		async (run) => {
			staged = JSON.parse(JSON.stringify(cursor)) as IDataObject;
			try {
				return await run();
			} finally {
				staged = undefined;
			}
		},
		() => {
			if (!staged) throw new Error('read outside of a poll');
			return staged;
		},
	);
}

describe('n8n internal: the staged poll cursor (checked on n8n ' + CHECKED_N8N_VERSIONS.n8n.join(', ') + ')', () => {
	test('n8n-core exports the staging hooks and PollContext exposes the commit and the staged static data', async () => {
		expect(typeof runPollInStagingScope).toBe('function');
		expect(typeof commitStagedCursor).toBe('function');
		const commits: IDataObject[] = [];
		const ctx = cursorContext(commits, []);
		const commit: IPollFunctions['__commitCursor'] = ctx.__commitCursor;
		expect(typeof commit).toBe('function');
		await runPollInStagingScope(ctx, async () => {
			ctx.getWorkflowStaticData('node').memory = 1;
			await commitStagedCursor(ctx);
		});
		expect(commits).toEqual([{ memory: 1 }]);
	});

	test('the activation poll (testingTrigger) that emits nothing is not committed by n8n: the node must do it', async () => {
		const commits: IDataObject[] = [];
		const ctx = cursorContext(commits, []);
		const silent = async (poller: IPollFunctions) => {
			poller.getWorkflowStaticData('node').memory = 'activation';
			return null;
		};
		await executor(silent).create(workflow(), NODE, ctx, () => true)(true);
		expect(commits).toEqual([]);
		// A scheduled poll's silent result is committed by n8n.
		await executor(silent).create(workflow(), NODE, ctx, () => true)(false);
		expect(commits).toEqual([{ memory: 'activation' }]);
	});

	test('commitSetUpPollCursor commits the activation poll once; a second commit changes nothing', async () => {
		const commits: IDataObject[] = [];
		const ctx = cursorContext(commits, []);
		await executor(async (poller) => {
			poller.getWorkflowStaticData('node').memory = 'activation';
			await commitSetUpPollCursor(poller);
			await commitSetUpPollCursor(poller);
			return null;
		}).create(workflow(), NODE, ctx, () => true)(true);
		expect(commits).toEqual([{ memory: 'activation' }]);
	});

	test('an emitting poll hands its data to __emit and n8n does not commit the cursor on its own', async () => {
		const commits: IDataObject[] = [];
		const emits: unknown[] = [];
		const ctx = cursorContext(commits, emits);
		await executor(async () => [[{ json: {} }]]).create(workflow(), NODE, ctx, () => true)(false);
		expect(emits).toHaveLength(1);
		expect(commits).toEqual([]);
	});

	test('on n8n 1.x (no __commitCursor) committing is a no-op', async () => {
		const ctx = { getNode: () => NODE } as unknown as IPollFunctions;
		await expect(commitSetUpPollCursor(ctx)).resolves.toBeUndefined();
	});
});
