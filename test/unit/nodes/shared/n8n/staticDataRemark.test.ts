/**
 * The internal nodes/shared/n8n/staticDataRemark.ts leans on, asserted on the installed
 * n8n-workflow: a Workflow wraps its static data in an ObservableObject that marks it changed
 * (`__dataChanged`) on every write, and a new Workflow built over the same static data (what n8n
 * 2.x's WorkflowRunner does while it creates the execution, before it saves static data and
 * answers a webhook) clears that mark. Fails when either stops being so; then the re-marking
 * may be unnecessary or insufficient: check the trigger's redelivery memory on a real n8n.
 */
import { Workflow, type IDataObject, type INode, type INodeType, type INodeTypes } from 'n8n-workflow';

import { keepMarkedUntilAnswered, type Answer, type MarkableMemory } from '../../../../../nodes/shared/n8n/staticDataRemark';

const nodeType = { description: { properties: [] } } as unknown as INodeType;
const nodeTypes = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) } as unknown as INodeTypes;
const node: INode = { id: 't', name: 'Trigger', type: 'test.trigger', typeVersion: 1, position: [0, 0], parameters: {} };

function workflowOver(staticData: IDataObject): Workflow {
	return new Workflow({ id: 'wf', nodes: [node], connections: {}, active: true, nodeTypes, staticData });
}

const marked = (workflow: Workflow) => Reflect.get(workflow.staticData, '__dataChanged') === true;

describe('n8n-workflow\'s ObservableObject marks and clears static data changes', () => {
	test('a write into a node\'s static data marks the workflow\'s static data changed', () => {
		const workflow = workflowOver({});
		expect(marked(workflow)).toBe(false);

		workflow.getStaticData('node', workflow.getNode('Trigger') as INode).memory = 'a';

		expect(marked(workflow)).toBe(true);
	});

	test('a new Workflow over the same static data (WorkflowRunner) clears the mark; the next write sets it again', () => {
		const first = workflowOver({});
		first.getStaticData('node', first.getNode('Trigger') as INode).memory = 'a';
		expect(marked(first)).toBe(true);

		const second = workflowOver(first.staticData);

		expect(marked(first)).toBe(false);
		expect(marked(second)).toBe(false);
		// The data itself is kept.
		expect(second.getStaticData('node', second.getNode('Trigger') as INode).memory).toBe('a');
		first.getStaticData('node', first.getNode('Trigger') as INode).memory = 'ab';
		expect(marked(second)).toBe(true);
	});
});

describe('keepMarkedUntilAnswered on that behaviour', () => {
	function setUp() {
		const workflow = workflowOver({});
		const data = () => workflow.getStaticData('node', workflow.getNode('Trigger') as INode);
		const forgotten: string[] = [];
		const memory: MarkableMemory = {
			persist: () => (data().memory = String(data().memory ?? '')),
			forget: (key) => forgotten.push(key),
		};
		const answer = { headersSent: false, statusCode: 200 };
		return { workflow, memory, answer, forgotten };
	}
	const tick = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

	test('the mark cleared by a new Workflow is back before n8n answers; after the answer nothing is re-marked', async () => {
		const { workflow, memory, answer } = setUp();
		keepMarkedUntilAnswered(memory, ['k1'], answer as Answer);

		workflowOver(workflow.staticData);
		expect(marked(workflow)).toBe(false);
		await tick();
		expect(marked(workflow)).toBe(true);

		answer.headersSent = true;
		await tick();
		workflowOver(workflow.staticData);
		await tick();
		expect(marked(workflow)).toBe(false);
	});

	test('n8n answered 500 (no execution): the keys are forgotten, so the redelivery runs', async () => {
		const { memory, answer, forgotten } = setUp();
		keepMarkedUntilAnswered(memory, ['k1', 'k2'], answer as Answer);

		Object.assign(answer, { headersSent: true, statusCode: 500 });
		await tick();

		expect(forgotten).toEqual(['k1', 'k2']);
	});
});
