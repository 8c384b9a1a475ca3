/**
 * Drives the polling trigger as n8n does, in each of the ways n8n runs a poll node (read in
 * n8n 2.40.7 and 1.123.81; docs/polling.md):
 * - `legacy`: n8n 1.x, and 2.x's default poller. One n8n-core PollContext per activation, reused
 *   by every scheduled poll; static data lives in that Workflow and is saved to the "database"
 *   when a poll emits and after the activation poll; a restart builds a new Workflow from what
 *   was saved (activation mode `init`) and polls once at start-up.
 * - `scheduler`: 2.x's durable scheduler without durable cursors. The activation poll as above;
 *   every scheduled poll gets a new Workflow loaded from the database and a new PollContext
 *   (activation mode `update`); its static data is saved only when it emits. No start-up poll.
 * - `durable`: the scheduler with `N8N_POLLER_DURABLE_CURSORS_ENABLED`. The node's static data
 *   is a per-poll copy of a cursor row: committed with the emitted execution, or (scheduled
 *   polls only) on its own when the poll emits nothing; the activation poll's copy is never
 *   committed by n8n. No start-up poll.
 */
import { PollContext } from 'n8n-core';
import {
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type WorkflowActivateMode,
} from 'n8n-workflow';

import { forgetCarried } from '../../nodes/ThinksurancePollingTrigger/poll/carry';
import type { TestCredentialsHelper } from './credentials-helper';
import { CREDENTIAL_REFERENCE, CREDENTIAL_TYPE, POLLING_TRIGGER_NODE_TYPE, additionalDataFor, nodeTypes } from './harness';

export const POLLING_NAME = 'Thinksurance Polling Trigger';
export const POLL_MODES = ['legacy', 'scheduler', 'durable'] as const;
export type PollMode = (typeof POLL_MODES)[number];

const STATIC_KEY = `node:${POLLING_NAME}`;
const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export class PollingDriver {
	/** What n8n would have stored in the workflow's staticData column. */
	saved: IDataObject = {};
	/** The durable mode's poller_state row (undefined: no row yet). */
	cursor: IDataObject | undefined;
	/** Cursor commits: with an execution, or on their own. */
	commits: Array<'withExecution' | 'cursorOnly'> = [];
	/** Makes n8n's cursor-only commit fail (database down). */
	failCursorCommit = false;
	workflow!: Workflow;
	emitted: INodeExecutionData[][] = [];
	private context!: PollContext;
	/** The activation's context (legacy: also every scheduled poll's). */
	private activationContext!: PollContext;

	constructor(
		readonly parameters: IDataObject,
		readonly credentialsHelper: TestCredentialsHelper,
		readonly mode: PollMode = 'legacy',
	) {
		this.activationContext = this.newContext('activate');
	}

	get node(): INode {
		return this.workflow.getNode(POLLING_NAME) as INode;
	}

	/** The node's memory where n8n keeps it between polls (legacy: the running Workflow). */
	get state(): IDataObject {
		if (this.mode === 'durable') return this.cursor ?? {};
		if (this.mode === 'scheduler') return (this.saved[STATIC_KEY] as IDataObject | undefined) ?? {};
		return this.workflow.getStaticData('node', this.node);
	}

	private newWorkflow(): Workflow {
		const node: INode = {
			id: 'poller',
			name: POLLING_NAME,
			type: POLLING_TRIGGER_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: this.parameters as INode['parameters'],
			credentials: { [CREDENTIAL_TYPE]: { ...CREDENTIAL_REFERENCE } },
		};
		return new Workflow({
			id: 'wf-poll',
			name: 'polling test',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: clone(this.saved),
			settings: { executionOrder: 'v1' },
		});
	}

	/** A PollContext wired as n8n 2.40.7's TriggerExecutionContextFactory wires it, for this mode. */
	private newContext(activation: WorkflowActivateMode): PollContext {
		const workflow = this.newWorkflow();
		this.workflow = workflow;
		const node = workflow.getNode(POLLING_NAME) as INode;
		let staged: { snapshot: IDataObject; seed: string } | undefined;
		const takeStaged = (): IDataObject | null => {
			if (!staged || JSON.stringify(staged.snapshot) === staged.seed) return null;
			const cursor = clone(staged.snapshot);
			staged.seed = JSON.stringify(cursor);
			return cursor;
		};
		const saveWorkflow = () => {
			this.saved = clone(workflow.staticData);
		};
		const durable = this.mode === 'durable';
		this.context = new PollContext(
			workflow,
			node,
			additionalDataFor(this.credentialsHelper),
			'trigger',
			activation,
			(data) => {
				const cursor = takeStaged();
				saveWorkflow();
				if (cursor) {
					this.cursor = cursor;
					this.commits.push('withExecution');
				}
				this.emitted.push(data.flat());
			},
			(error) => {
				throw error;
			},
			async () => {
				if (this.failCursorCommit) throw new Error('database is not reachable');
				const cursor = takeStaged();
				if (!cursor) return;
				this.cursor = cursor;
				this.commits.push('cursorOnly');
			},
			async (poll) => {
				if (durable) {
					// getOrCreateCursor: a missing row is created from the workflow's static data.
					this.cursor ??= clone(workflow.getStaticData('node', node));
					staged = { snapshot: clone(this.cursor), seed: JSON.stringify(this.cursor) };
				}
				try {
					return await poll();
				} finally {
					staged = undefined;
				}
			},
			() => {
				if (!durable) return workflow.getStaticData('node', node);
				if (!staged) throw new Error('static data read outside of a poll');
				return staged.snapshot;
			},
		);
		return this.context;
	}

	/** Runs poll() as n8n-core's PollTriggerExecutor (set-up poll) or the scheduler's task handler does. */
	private async run(context: PollContext, setUp: boolean): Promise<INodeExecutionData[] | null> {
		const nodeType = nodeTypes.getByNameAndVersion(POLLING_TRIGGER_NODE_TYPE, 1);
		if (!nodeType.poll) throw new Error('The polling trigger has no poll()');
		const poll = nodeType.poll;
		return await context.__runPoll(async () => {
			const result = await poll.call(context);
			if (result !== null) context.__emit(result);
			// n8n commits a silent poll's cursor only for scheduled polls, not at set-up.
			else if (!setUp) await context.__commitCursor();
			return result ? result.flat() : null;
		});
	}

	/** One scheduled poll; returns what it emitted (null when nothing). Errors are thrown. */
	async poll(): Promise<INodeExecutionData[] | null> {
		if (this.mode === 'legacy') return await this.run(this.activationContext, false);
		return await this.run(this.newContext('update'), false);
	}

	/** "Fetch Test Event" on the same workflow: a manual-mode PollContext, as the editor's test run. */
	async testRun(): Promise<INodeExecutionData[] | null> {
		const nodeType = nodeTypes.getByNameAndVersion(POLLING_TRIGGER_NODE_TYPE, 1);
		const workflow = this.newWorkflow();
		const node = workflow.getNode(POLLING_NAME) as INode;
		const context = new PollContext(workflow, node, additionalDataFor(this.credentialsHelper), 'manual', 'manual');
		const result = await nodeType.poll?.call(context);
		return result ? result.flat() : null;
	}

	/** Activation: n8n runs one poll right away and saves the workflow's static data afterwards. */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<INodeExecutionData[] | null> {
		this.activationContext = this.newContext(activation);
		const result = await this.run(this.activationContext, true);
		this.saved = clone(this.workflow.staticData);
		return result;
	}

	/**
	 * n8n stops (what only this process held is lost) and starts again. n8n's default poller polls
	 * at start-up (activation mode `init`); the scheduler does not (its jobs are still there).
	 */
	async restart(): Promise<INodeExecutionData[] | null> {
		forgetCarried();
		if (this.mode === 'legacy') return await this.activate('init');
		return null;
	}
}
