/**
 * Trigger typeVersion 1.1 beside 1: what n8n itself does differently per version before the
 * node runs (read in n8n 2.40.7's webhook-helpers and webhook-execution-context, with the same
 * n8n-workflow functions), and that deliveries give the same items either way.
 */
import { resolveWebhookDescriptionField, webhookDescriptionIsNativelyResolvable, type IDataObject, type IWebhookDescription } from 'n8n-workflow';

import { ACCOUNT_TOKEN, ApiMock, apiFixture, credentialData, useApiHygiene } from '../../support/api-mock';
import { ThinksuranceTrigger } from '../../../nodes/ThinksuranceTrigger/ThinksuranceTrigger.node';
import { newCredentialsHelper } from '../../support/harness';
import { deliver, triggerWorkflow } from '../../support/trigger';

useApiHygiene();

const INQUIRY = /^\/api\/ipn\/inquiry\/\d+$/;
const MANUAL = { events: ['*'], registration: 'manual', fetchInquiry: true, accountToken: ACCOUNT_TOKEN };
const description = new ThinksuranceTrigger().description;
const webhook = description.webhooks?.[0] as IWebhookDescription;

const setup = (typeVersion: number, parameters: IDataObject = MANUAL) =>
	triggerWorkflow(parameters, newCredentialsHelper(credentialData()), true, typeVersion);

describe('trigger typeVersion 1.1', () => {
	test('new nodes get 1.1; saved typeVersion 1 nodes keep working', () => {
		expect(description.version).toEqual([1, 1.1]);
		expect(description.defaultVersion).toBe(1.1);
	});

	test('typeVersion 1 keeps asking n8n for the raw body (n8n evaluates options.binaryData for it); 1.1 has no such parameter', () => {
		expect(setup(1).node.parameters.options).toEqual({ binaryData: true });
		expect(setup(1.1).node.parameters.options).toBeUndefined();
	});

	test('n8n 2.x resolves the 204 without its expression engine, for both versions, while the parameters are static', () => {
		for (const version of [1, 1.1]) {
			expect(resolveWebhookDescriptionField(setup(version).node, webhook, 'responseCode')).toEqual({ resolved: true, value: 204 });
		}
		expect(webhookDescriptionIsNativelyResolvable(webhook)).toBe(true);
	});

	test('with an expression among the parameters n8n falls back to the expression, which gives 204 as well', () => {
		const trigger = setup(1.1, { ...MANUAL, accountToken: `={{ "${ACCOUNT_TOKEN}" }}` });
		expect(resolveWebhookDescriptionField(trigger.node, webhook, 'responseCode')).toEqual({ resolved: false });
		expect(trigger.workflow.expression.getSimpleParameterValue(trigger.node, webhook.responseCode, 'webhook', {})).toBe(204);
	});

	test('a delivery n8n has read already (1.1: raw bytes kept beside the parsed body) gives the item a raw delivery gives to 1', async () => {
		new ApiMock().token().on('POST', INQUIRY, 2, (_body: unknown, uri: string) => ({ body: apiFixture(`inquiry-${uri.split('/').pop()}`) }));
		const body = apiFixture('event-inquiry-created');

		const v1 = await deliver(setup(1), { body, as: 'stream' });
		const v11 = await deliver(setup(1.1), { body: { ...(body as object), eventId: 'evt-v11-0001' }, as: 'rawBody' });

		expect([v1.response.statusCode, v11.response.statusCode]).toEqual([204, 204]);
		const fromV1 = { ...v1.result.workflowData?.[0][0].json };
		const fromV11 = { ...v11.result.workflowData?.[0][0].json };
		expect([fromV1.eventId, fromV11.eventId]).toEqual(['evt-7d1f0c2a-0001', 'evt-v11-0001']);
		expect({ ...fromV11, eventId: null }).toEqual({ ...fromV1, eventId: null });
		expect(fromV11).toMatchObject({ eventType: 'inquiryCreated', inquiryId: 1878881 });
	});

	test('a body that is JSON but no notification still gets this node\'s 400 with 1.1', async () => {
		const { response, result } = await deliver(setup(1.1), { body: { hello: 'world' }, as: 'rawBody' });
		expect(response.statusCode).toBe(400);
		expect(response.body).toEqual({ error: expect.stringMatching(/^Not a Thinksurance notification: /) });
		expect(result).toEqual({ noWebhookResponse: true });
	});
});
