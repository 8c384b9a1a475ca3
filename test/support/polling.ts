/**
 * Drives the polling trigger as n8n does (both lines): one n8n-core PollContext per activation,
 * reused by every scheduled poll; static data saved to the "database" only when a poll emits
 * and after the activation poll (n8n's __emit and activation save it; a poll that returns null
 * saves nothing); a restart builds a new Workflow from what was saved, activation mode `init`.
 */
import { PollContext } from 'n8n-core';
import {
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type WorkflowActivateMode,
} from 'n8n-workflow';

import type { TestCredentialsHelper } from './credentials-helper';
import { CREDENTIAL_REFERENCE, CREDENTIAL_TYPE, POLLING_TRIGGER_NODE_TYPE, additionalDataFor, nodeTypes } from './harness';

export const POLLING_NAME = 'Thinksurance Polling Trigger';

export class PollingDriver {
	/** What n8n would have stored in the workflow's staticData column. */
	saved: IDataObject = {};
	workflow!: Workflow;
	emitted: INodeExecutionData[][] = [];
	private context!: PollContext;

	constructor(
		readonly parameters: IDataObject,
		readonly credentialsHelper: TestCredentialsHelper,
	) {
		this.load('activate');
	}

	get node(): INode {
		return this.workflow.getNode(POLLING_NAME) as INode;
	}

	/** The node's static data as the running workflow holds it. */
	get state(): IDataObject {
		return this.workflow.getStaticData('node', this.node);
	}

	private load(activation: WorkflowActivateMode): void {
		const node: INode = {
			id: 'poller',
			name: POLLING_NAME,
			type: POLLING_TRIGGER_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: this.parameters as INode['parameters'],
			credentials: { [CREDENTIAL_TYPE]: { ...CREDENTIAL_REFERENCE } },
		};
		this.workflow = new Workflow({
			id: 'wf-poll',
			name: 'polling test',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: JSON.parse(JSON.stringify(this.saved)) as IDataObject,
			settings: { executionOrder: 'v1' },
		});
		this.context = new PollContext(
			this.workflow,
			this.workflow.getNode(POLLING_NAME) as INode,
			additionalDataFor(this.credentialsHelper),
			'trigger',
			activation,
			(data) => {
				this.emitted.push(data.flat());
				this.save();
			},
			(error) => {
				throw error;
			},
		);
	}

	private save(): void {
		this.saved = JSON.parse(JSON.stringify(this.workflow.staticData)) as IDataObject;
	}

	/** One poll; returns what it emitted (null when nothing). Errors are thrown, as at activation. */
	async poll(): Promise<INodeExecutionData[] | null> {
		const nodeType = nodeTypes.getByNameAndVersion(POLLING_TRIGGER_NODE_TYPE, 1);
		if (!nodeType.poll) throw new Error('The polling trigger has no poll()');
		const result = await nodeType.poll.call(this.context);
		if (result !== null) this.context.__emit(result);
		return result ? result.flat() : null;
	}

	/** "Fetch Test Event" on the same workflow: a manual-mode PollContext, as the editor's test run. */
	async testRun(): Promise<INodeExecutionData[] | null> {
		const nodeType = nodeTypes.getByNameAndVersion(POLLING_TRIGGER_NODE_TYPE, 1);
		const context = new PollContext(this.workflow, this.node, additionalDataFor(this.credentialsHelper), 'manual', 'manual');
		const result = await nodeType.poll?.call(context);
		return result ? result.flat() : null;
	}

	/** Activation: n8n runs one poll right away and saves the static data afterwards. */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<INodeExecutionData[] | null> {
		this.load(activation);
		const result = await this.poll();
		this.save();
		return result;
	}

	/** n8n stops (unsaved in-memory state is lost) and starts again: activation mode init. */
	async restart(): Promise<INodeExecutionData[] | null> {
		return await this.activate('init');
	}
}
