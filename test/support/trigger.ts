/**
 * Drives the trigger node as n8n does, with n8n-core's own contexts: `HookContext` for
 * webhookMethods (checkExists / create / delete on activation and deactivation) and
 * `WebhookContext` for `webhook()`, with a fake express request (a readable stream, so the
 * raw body is read as n8n hands it over with `options.binaryData`) and a recording response.
 */
import { HookContext, WebhookContext } from 'n8n-core';
import {
	Workflow,
	type IDataObject,
	type INode,
	type IWebhookData,
	type IWebhookResponseData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';
import { Readable } from 'stream';

import type { TestCredentialsHelper } from './credentials-helper';
import { CREDENTIAL_REFERENCE, CREDENTIAL_TYPE, INSTANCE, TRIGGER_NODE_TYPE, additionalDataFor, nodeTypes } from './harness';

export const TRIGGER_NAME = 'Thinksurance Trigger';
export const WEBHOOK_ID = '6f1c2a57-8c1e-4d3b-9a57-0b2f8f6c1d11';
export const WEBHOOK_URL = `${INSTANCE.webhookBaseUrl}/${WEBHOOK_ID}/webhook`;

export interface TriggerSetup {
	workflow: Workflow;
	node: INode;
	credentialsHelper: TestCredentialsHelper;
}

/** A workflow holding only the trigger node; its static data lives as long as the workflow. */
export function triggerWorkflow(parameters: IDataObject, credentialsHelper: TestCredentialsHelper, active = true, typeVersion = 1): TriggerSetup {
	const node: INode = {
		id: 'trigger',
		name: TRIGGER_NAME,
		type: TRIGGER_NODE_TYPE,
		typeVersion,
		position: [0, 0],
		webhookId: WEBHOOK_ID,
		parameters: parameters as INode['parameters'],
		credentials: { [CREDENTIAL_TYPE]: { ...CREDENTIAL_REFERENCE } },
	};
	const workflow = new Workflow({
		id: 'wf-trigger',
		name: 'trigger test',
		nodes: [node],
		connections: {},
		active,
		nodeTypes,
		staticData: {},
		settings: { executionOrder: 'v1' },
	});
	return { workflow, node: workflow.getNode(TRIGGER_NAME) as INode, credentialsHelper };
}

export function nodeStaticData(setup: TriggerSetup): IDataObject {
	return setup.workflow.getStaticData('node', setup.node);
}

type HookName = 'checkExists' | 'create' | 'delete';

/** Runs one webhook method the way n8n's ActiveWorkflowManager does on (de)activation. */
export async function runHook(setup: TriggerSetup, name: HookName, mode: WorkflowExecuteMode = 'trigger'): Promise<boolean> {
	const nodeType = nodeTypes.getByNameAndVersion(TRIGGER_NODE_TYPE, 1);
	const method = nodeType.webhookMethods?.default?.[name];
	if (!method) throw new Error(`The trigger has no webhookMethods.default.${name}`);
	const context = new HookContext(
		setup.workflow,
		setup.node,
		additionalDataFor(setup.credentialsHelper),
		mode,
		'activate',
		webhookData(setup),
	);
	return await method.call(context);
}

function webhookData(setup: TriggerSetup): IWebhookData {
	return {
		httpMethod: 'POST',
		node: setup.node.name,
		path: `${WEBHOOK_ID}/webhook`,
		webhookDescription: { name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		workflowId: setup.workflow.id,
		workflowExecuteAdditionalData: additionalDataFor(setup.credentialsHelper),
		webhookId: WEBHOOK_ID,
	} as IWebhookData;
}

export interface RecordedResponse {
	statusCode?: number;
	body?: unknown;
	ended: boolean;
	/** How many times the node answered (must be exactly once). */
	answers: number;
}

export interface Delivery {
	/** Raw body text, or an object sent as JSON. */
	body: string | object;
	query?: IDataObject;
	headers?: IDataObject;
	/**
	 * How n8n hands the body over: an unread stream (n8n left it unparsed, the default here),
	 * a `rawBody` Buffer next to a consumed stream, or only n8n's parsed `body`.
	 */
	as?: 'stream' | 'rawBody' | 'parsed';
	/** n8n could not create the execution (e.g. its database failed) and answers 500 itself. */
	executionFails?: boolean;
}

export interface WebhookOutcome {
	result: IWebhookResponseData;
	response: RecordedResponse;
	/** Who answered: the node itself (`noWebhookResponse`), or n8n after creating the execution. */
	answeredBy: 'node' | 'n8n';
	/** Whether static data was marked changed when n8n would save it (right before n8n's answer). */
	staticDataSaved: boolean;
}

/** n8n's database work between the webhook call and its deferred answer (creating the execution). */
const EXECUTION_CREATED_MS = 5;

/** Posts one delivery to the trigger's `webhook()` through n8n-core's WebhookContext. */
export async function deliver(setup: TriggerSetup, delivery: Delivery, mode: WorkflowExecuteMode = 'webhook'): Promise<WebhookOutcome> {
	const raw = Buffer.from(typeof delivery.body === 'string' ? delivery.body : JSON.stringify(delivery.body), 'utf8');
	const as = delivery.as ?? 'stream';
	const stream = Readable.from(as === 'stream' ? [raw] : []);
	if (as !== 'stream') {
		// A consumed stream, as after n8n's own body parser ran.
		stream.resume();
		await new Promise((resolve) => stream.on('end', resolve));
	}
	const request = Object.assign(stream, {
		method: 'POST',
		url: `/webhook/${WEBHOOK_ID}/webhook`,
		headers: { 'content-type': 'application/json', 'content-length': String(raw.length), ...(delivery.headers ?? {}) },
		query: delivery.query ?? {},
		params: {},
		// n8n leaves the body unparsed for nodes that ask for binaryData.
		body: as === 'parsed' ? (JSON.parse(raw.toString('utf8')) as unknown) : {},
		...(as === 'rawBody' ? { rawBody: raw } : {}),
	});
	const response: RecordedResponse = { ended: false, answers: 0 };
	const fakeResponse = {
		status(code: number) {
			response.statusCode = code;
			return fakeResponse;
		},
		json(body: unknown) {
			response.body = body;
			response.ended = true;
			response.answers++;
			return fakeResponse;
		},
		send(body: unknown) {
			response.body = body;
			response.ended = true;
			response.answers++;
			return fakeResponse;
		},
		end() {
			response.ended = true;
			response.answers++;
			return fakeResponse;
		},
		setHeader: () => fakeResponse,
		get headersSent() {
			return response.answers > 0;
		},
		get statusCode() {
			return response.statusCode ?? 200;
		},
	};
	const additionalData = additionalDataFor(setup.credentialsHelper);
	additionalData.httpRequest = request as never;
	additionalData.httpResponse = fakeResponse as never;
	const staticData = setup.workflow.staticData as IDataObject;
	// As loaded from the database: nothing changed yet.
	staticData.__dataChanged = false;
	const marked = (): boolean => Reflect.get(staticData, '__dataChanged') === true;
	const context = new WebhookContext(setup.workflow, setup.node, additionalData, mode, webhookData(setup), [], null);
	const nodeType = nodeTypes.getByNameAndVersion(TRIGGER_NODE_TYPE, 1);
	if (!nodeType.webhook) throw new Error('The trigger has no webhook()');
	const result = await nodeType.webhook.call(context);
	if (result.noWebhookResponse) {
		// n8n saves static data, then leaves the answer to the node (which must have given it).
		return { result, response, answeredBy: 'node', staticDataSaved: marked() };
	}
	// n8n 2.x, `onReceived`: WorkflowRunner wraps the same static data in a new Workflow (which
	// clears its changed mark), creates the execution, then saves static data if marked and answers
	// with the webhook description's responseCode and responseData.
	new Workflow({ id: setup.workflow.id, name: setup.workflow.name, nodes: [setup.node], connections: {}, active: true, nodeTypes, staticData, settings: setup.workflow.settings });
	await new Promise((resolve) => setTimeout(resolve, EXECUTION_CREATED_MS));
	const staticDataSaved = marked();
	const description = nodeType.description.webhooks?.[0];
	const code = setup.workflow.expression.getSimpleParameterValue(setup.node, description?.responseCode, mode, {});
	if (typeof code !== 'number') throw new Error(`n8n needs a numeric responseCode, got ${JSON.stringify(code)}`);
	if (description?.responseData !== 'noData') throw new Error(`expected responseData noData, got ${String(description?.responseData)}`);
	if (delivery.executionFails) {
		// n8n rejects without saving static data.
		fakeResponse.status(500).json({ message: 'Error in workflow' });
		return { result, response, answeredBy: 'n8n', staticDataSaved: false };
	}
	fakeResponse.status(code).end();
	return { result, response, answeredBy: 'n8n', staticDataSaved };
}
