/**
 * Runs workflows through n8n-core's real engine, in process: a real `Workflow`
 * (n8n-workflow), `WorkflowExecute(additionalData, 'manual').run(...)` (n8n-core), the
 * package's node classes compiled from TypeScript, a test-only source node that emits the
 * items a test gives, and a credentials helper that runs the real credential class.
 * Outputs keep `pairedItem`: comparing without it would hide the bugs it exists to catch.
 */
import { readFileSync } from 'fs';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
	type ExecutionError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type INodeTypes,
	type IPinData,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { join } from 'path';

import { ThinksuranceApi } from '../../credentials/ThinksuranceApi.credentials';
import { Thinksurance } from '../../nodes/Thinksurance/Thinksurance.node';
import { ThinksurancePollingTrigger } from '../../nodes/ThinksurancePollingTrigger/ThinksurancePollingTrigger.node';
import { ThinksuranceTrigger } from '../../nodes/ThinksuranceTrigger/ThinksuranceTrigger.node';
import { TestCredentialsHelper } from './credentials-helper';

export const PACKAGE = 'n8n-nodes-thinksurance';
export const ACTION_NODE_TYPE = `${PACKAGE}.thinksurance`;
export const TRIGGER_NODE_TYPE = `${PACKAGE}.thinksuranceTrigger`;
export const POLLING_TRIGGER_NODE_TYPE = `${PACKAGE}.thinksurancePollingTrigger`;
export const ITEMS_NODE_TYPE = 'test.items';
export const CREDENTIAL_TYPE = 'thinksuranceApi';
export const CREDENTIAL_REFERENCE = { id: 'cred-1', name: 'Thinksurance test' };

/** Test-only source node: emits the items of its `items` parameter (a JSON list of json objects). */
export class ItemsSource implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Items',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'Emits the items a test gives',
		defaults: { name: 'Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0, '[]');
		const list = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [list.map((json) => ({ json, pairedItem: { item: 0 } }))];
	}
}

export class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType> = {
		[ACTION_NODE_TYPE]: new Thinksurance(),
		[TRIGGER_NODE_TYPE]: new ThinksuranceTrigger(),
		[POLLING_TRIGGER_NODE_TYPE]: new ThinksurancePollingTrigger(),
		[ITEMS_NODE_TYPE]: new ItemsSource(),
	};

	getByName(type: string): INodeType | IVersionedNodeType {
		const nodeType = this.types[type];
		if (!nodeType) throw new Error(`Unknown node type in test: ${type}`);
		return nodeType;
	}

	getByNameAndVersion(type: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(type), version);
	}

	getKnownTypes() {
		return {};
	}
}

export const nodeTypes = new TestNodeTypes();

export function newCredentialsHelper(data?: ICredentialDataDecryptedObject): TestCredentialsHelper {
	const helper = new TestCredentialsHelper({ [CREDENTIAL_TYPE]: new ThinksuranceApi() });
	if (data) helper.setCredentials(CREDENTIAL_TYPE, data);
	return helper;
}

/** URLs as a running n8n instance would have them; some node contexts read them. */
export const INSTANCE = {
	instanceBaseUrl: 'http://localhost:5678/',
	restApiUrl: 'http://localhost:5678/rest',
	webhookBaseUrl: 'http://localhost:5678/webhook',
	webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
	webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
	formBaseUrl: 'http://localhost:5678/form',
	formTestBaseUrl: 'http://localhost:5678/form-test',
	formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
	mcpBaseUrl: 'http://localhost:5678/mcp',
	mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
};

let executionCounter = 0;

export function additionalDataFor(
	credentialsHelper: TestCredentialsHelper,
	hooks?: ExecutionLifecycleHooks,
	executionId = String(++executionCounter),
): IWorkflowExecuteAdditionalData {
	const unexpected = (what: string) => async () => {
		throw new Error(`Engine test: ${what} is not available`);
	};
	return {
		...INSTANCE,
		credentialsHelper,
		hooks,
		executionId,
		currentNodeExecutionIndex: 0,
		variables: {},
		userId: 'test-user',
		executeWorkflow: unexpected('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => undefined,
		startRunnerTask: unexpected('startRunnerTask'),
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** A workflow fixture: nodes and connections, plus the expected output under `pinData`. */
export interface WorkflowFixture extends Pick<IWorkflowBase, 'nodes' | 'connections'> {
	name?: string;
	settings?: IWorkflowBase['settings'];
	/** Expected output per node name; never handed to the engine (it would pin the node). */
	pinData?: IPinData;
}

export function loadWorkflow(relativePath: string): WorkflowFixture {
	const file = join(__dirname, '..', 'engine', 'workflows', relativePath);
	return JSON.parse(readFileSync(file, 'utf8')) as WorkflowFixture;
}

export interface NodeResult {
	/** Output items of the first output, as the engine produced them (pairedItem kept). */
	items: INodeExecutionData[];
	/** Every output of the node. */
	outputs: INodeExecutionData[][];
	error?: ExecutionError;
}

export interface RunResult {
	run: IRun;
	status: IRun['status'];
	/** The workflow-level error, if the run failed. */
	error?: ExecutionError;
	nodes: Record<string, NodeResult>;
	/** Shortcut to the result of the node under test. */
	node(name?: string): NodeResult;
}

export interface RunOptions {
	credentialsHelper: TestCredentialsHelper;
	/** Replaces the `items` parameter of the source node. */
	items?: IDataObject[];
	/** Merged into the parameters of the node under test. */
	parameters?: IDataObject;
	/** Replaces the parameters of the node under test. */
	replaceParameters?: IDataObject;
	/** Node settings of the node under test, e.g. `{ continueOnFail: true }`. */
	nodeSettings?: Partial<INode>;
	/** Name of the node under test (default "Thinksurance"). */
	nodeName?: string;
}

export const NODE_UNDER_TEST = 'Thinksurance';
export const SOURCE_NODE = 'Items';

/** Runs a workflow fixture with WorkflowExecute and collects each node's output and error. */
export async function runWorkflow(fixture: WorkflowFixture, options: RunOptions): Promise<RunResult> {
	const nodeName = options.nodeName ?? NODE_UNDER_TEST;
	const nodes: INode[] = JSON.parse(JSON.stringify(fixture.nodes)) as INode[];
	for (const node of nodes) {
		if (node.type === ITEMS_NODE_TYPE && options.items) node.parameters = { items: JSON.stringify(options.items) };
		if (node.name === nodeName) {
			if (options.replaceParameters) node.parameters = { ...(options.replaceParameters as INode['parameters']) };
			if (options.parameters) node.parameters = { ...node.parameters, ...(options.parameters as INode['parameters']) };
			Object.assign(node, options.nodeSettings ?? {});
		}
		if (node.credentials === undefined && node.type !== ITEMS_NODE_TYPE) {
			node.credentials = { [CREDENTIAL_TYPE]: { ...CREDENTIAL_REFERENCE } };
		}
	}
	const workflowData: IWorkflowBase = {
		id: 'engine-test',
		name: fixture.name ?? 'engine test',
		active: false,
		isArchived: false,
		nodes,
		connections: fixture.connections,
		settings: { executionOrder: 'v1', ...(fixture.settings ?? {}) },
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as unknown as IWorkflowBase;

	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections: workflowData.connections,
		active: false,
		nodeTypes,
		staticData: {},
		settings: workflowData.settings,
	});

	const executionId = String(++executionCounter);
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	let resolveFinished: (run: IRun) => void = () => undefined;
	const finished = new Promise<IRun>((resolve) => (resolveFinished = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolveFinished(fullRunData));
	const additionalData = additionalDataFor(options.credentialsHelper, hooks, executionId);

	const startNode = nodes.find((node) => node.type === ITEMS_NODE_TYPE) ?? nodes[0];
	const workflowExecute = new WorkflowExecute(additionalData, 'manual');
	const returned = await workflowExecute.run({ workflow, startNode: workflow.getNode(startNode.name) ?? undefined });
	// The hook's copy is what n8n would store; it is the same run as the returned one.
	const run = await finished;
	void returned;

	const results: Record<string, NodeResult> = {};
	for (const [name, taskData] of Object.entries(run.data.resultData.runData)) {
		const task = taskData[taskData.length - 1];
		const outputs = (task?.data?.main ?? []).map((output) => output ?? []);
		results[name] = { items: outputs[0] ?? [], outputs, error: task?.error };
	}
	return {
		run,
		status: run.status,
		error: run.data.resultData.error,
		nodes: results,
		node(name = nodeName) {
			const result = results[name];
			if (!result) throw new Error(`Node "${name}" did not run. Workflow error: ${run.data.resultData.error?.message}`);
			return result;
		},
	};
}

/** The expected output of a node in a fixture (`pinData`), for a toEqual comparison. */
export function expectedOutput(fixture: WorkflowFixture, nodeName = NODE_UNDER_TEST): INodeExecutionData[] {
	const expected = fixture.pinData?.[nodeName];
	if (!expected) throw new Error(`Fixture has no expected output (pinData) for "${nodeName}"`);
	return expected as INodeExecutionData[];
}

/** Output items reduced to what tests compare: json, binary (when present) and pairedItem. */
export function comparable(items: INodeExecutionData[]): Array<Pick<INodeExecutionData, 'json' | 'pairedItem' | 'binary'>> {
	return items.map((item) => ({
		json: item.json,
		pairedItem: item.pairedItem,
		...(item.binary && Object.keys(item.binary).length > 0 ? { binary: item.binary } : {}),
	}));
}

/** The error the node under test failed with (the run must have failed). */
export function nodeError(
	result: RunResult,
	nodeName = NODE_UNDER_TEST,
): ExecutionError & { description?: string | null; context?: IDataObject; httpCode?: string | null } {
	const error = result.node(nodeName).error;
	if (!error) {
		throw new Error(`Expected "${nodeName}" to fail, but it returned ${JSON.stringify(comparable(result.node(nodeName).items))}`);
	}
	return error as ExecutionError & { description?: string | null; context?: IDataObject; httpCode?: string | null };
}
