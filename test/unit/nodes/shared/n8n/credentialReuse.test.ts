/**
 * The internal nodes/shared/n8n/credentialReuse.ts leans on, asserted on the installed n8n-core:
 * its WebhookContext reads the credential anew (credentials helper → database, decryption) on
 * every getCredentials, nothing caches it; only the webhook context has getRequestObject (how
 * the reuse tells a webhook call from others), and its getMode() says 'manual' for test URLs.
 * Fails when n8n-core changes that path; then check whether the reuse is still needed or right.
 */
import '../../../../support/engine-env';

import { ExecuteContext, HookContext, PollContext, WebhookContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, IRunExecutionData, IWebhookData, WorkflowExecuteMode } from 'n8n-workflow';

import { clearReusedCredentials, readCredentialsReusing } from '../../../../../nodes/shared/n8n/credentialReuse';
import { CREDENTIAL_TYPE, additionalDataFor, newCredentialsHelper } from '../../../../support/harness';
import { triggerWorkflow } from '../../../../support/trigger';

const DATA = { environment: 'custom', baseUrl: 'https://api.thinksurance.test', apiVersion: 'v1.1', hash: 'h-0000', secret: 's-0000', accountToken: '' };

function setUp() {
	const credentialsHelper = newCredentialsHelper(DATA);
	const reads = jest.spyOn(credentialsHelper, 'getDecrypted');
	const setup = triggerWorkflow({ registration: 'manual' }, credentialsHelper);
	const webhookData = { httpMethod: 'POST', node: setup.node.name, path: 'x/webhook', webhookDescription: { name: 'default', httpMethod: 'POST', path: 'webhook' }, workflowId: setup.workflow.id } as unknown as IWebhookData;
	const webhook = (mode: WorkflowExecuteMode) => {
		const additionalData = additionalDataFor(credentialsHelper);
		additionalData.httpRequest = { headers: {}, query: {}, body: {} } as never;
		return new WebhookContext(setup.workflow, setup.node, additionalData, mode, webhookData, [], null);
	};
	return { setup, reads, webhook, credentialsHelper };
}

afterEach(() => clearReusedCredentials());

describe('n8n-core\'s webhook context reads the credential anew on every call', () => {
	test('two getCredentials in one webhook call: two reads through the credentials helper', async () => {
		const { reads, webhook } = setUp();
		const context = webhook('webhook');

		const first = await context.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE);
		const second = await context.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE);

		expect(first).toMatchObject({ hash: 'h-0000' });
		expect(second).not.toBe(first);
		expect(reads).toHaveBeenCalledTimes(2);
	});

	test('only the webhook context has getRequestObject; getMode() is the mode n8n ran it in', () => {
		const { setup, webhook, credentialsHelper } = setUp();
		const additionalData = additionalDataFor(credentialsHelper);
		const runExecutionData = { resultData: { runData: {} } } as unknown as IRunExecutionData;

		expect('getRequestObject' in webhook('webhook')).toBe(true);
		expect(webhook('manual').getMode()).toBe('manual');
		expect(webhook('webhook').getMode()).toBe('webhook');
		expect('getRequestObject' in new HookContext(setup.workflow, setup.node, additionalData, 'trigger', 'activate')).toBe(false);
		expect('getRequestObject' in new PollContext(setup.workflow, setup.node, additionalData, 'trigger', 'activate')).toBe(false);
		const execute = new ExecuteContext(setup.workflow, setup.node, additionalData, 'manual', runExecutionData, 0, [], {}, { node: setup.node, data: { main: [[]] }, source: null }, []);
		expect('getRequestObject' in execute).toBe(false);
	});
});

describe('readCredentialsReusing on that path', () => {
	test('production webhook calls of one workflow share one read; test URLs (manual) read every time', async () => {
		const { reads, webhook } = setUp();

		await readCredentialsReusing(webhook('webhook'), undefined);
		await readCredentialsReusing(webhook('webhook'), undefined);
		expect(reads).toHaveBeenCalledTimes(1);

		await readCredentialsReusing(webhook('manual'), undefined);
		await readCredentialsReusing(webhook('manual'), undefined);
		expect(reads).toHaveBeenCalledTimes(3);
	});
});
