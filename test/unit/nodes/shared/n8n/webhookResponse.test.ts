/**
 * The internal nodes/shared/n8n/webhookResponse.ts leans on: n8n-workflow 2.x's
 * `webhookDescriptionFields` / `fromFunction`, whose field n8n resolves natively (no expression
 * engine) and whose template n8n's expression engine evaluates to the same value. Fails when the
 * installed n8n-workflow drops or changes them; then check the trigger's 204 on a real n8n.
 */
import {
	Workflow,
	fromFunction,
	resolveWebhookDescriptionField,
	webhookDescriptionFields,
	webhookDescriptionIsNativelyResolvable,
	type INode,
	type INodeType,
	type INodeTypes,
	type IWebhookDescription,
} from 'n8n-workflow';

import { ThinksuranceTrigger } from '../../../../../nodes/ThinksuranceTrigger/ThinksuranceTrigger.node';
import { responseCode204 } from '../../../../../nodes/shared/n8n/webhookResponse';

const trigger = new ThinksuranceTrigger();
const nodeTypes: INodeTypes = {
	getByName: () => trigger,
	getByNameAndVersion: () => trigger as INodeType,
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

function workflowWith(parameters: INode['parameters']): { workflow: Workflow; node: INode } {
	const node: INode = { id: 't', name: 'Trigger', type: 'n8n-nodes-thinksurance.thinksuranceTrigger', typeVersion: 1.1, position: [0, 0], parameters };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: true, nodeTypes });
	return { workflow, node: workflow.getNode('Trigger') as INode };
}

describe('n8n-workflow\'s webhook description helpers (webhookResponse.ts)', () => {
	test('webhookDescriptionFields and fromFunction are exported functions', () => {
		expect(typeof webhookDescriptionFields).toBe('function');
		expect(typeof fromFunction).toBe('function');
		expect(typeof resolveWebhookDescriptionField).toBe('function');
	});

	test('responseCode204 declares the field with them: an expression template plus a native resolver', () => {
		const fields = responseCode204();
		expect(typeof fields.responseCode).toBe('string');
		expect(String(fields.responseCode)).toMatch(/^=\{\{/);
		// The resolvers ride under a symbol key n8n's backend reads.
		expect(Object.getOwnPropertySymbols(fields)).toHaveLength(1);
	});

	test('the trigger\'s 204 resolves natively (no expression engine) for static parameters', () => {
		const description = trigger.description.webhooks?.[0] as IWebhookDescription;
		const { node } = workflowWith({ events: ['*'], registration: 'manual' });

		expect(webhookDescriptionIsNativelyResolvable(description)).toBe(true);
		expect(resolveWebhookDescriptionField(node, description, 'responseCode')).toEqual({ resolved: true, value: 204 });
	});

	test('the template n8n\'s expression engine evaluates gives the same 204 (what n8n 1.x and expression parameters use)', () => {
		const description = trigger.description.webhooks?.[0] as IWebhookDescription;
		const { workflow, node } = workflowWith({ events: ['*'], registration: 'manual' });

		expect(workflow.expression.getSimpleParameterValue(node, description.responseCode, 'webhook', {})).toBe(204);
	});
});
