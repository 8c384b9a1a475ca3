/**
 * The harness checks itself: a test layer that silently passes is worse than none.
 */
import { NodeApiError } from 'n8n-workflow';

import { ThinksuranceApi } from '../../credentials/ThinksuranceApi.credentials';
import { ApiMock, SECURITY_TOKEN, credentialData, expectNoSecrets, stringifyDeep, useApiHygiene } from '../support/api-mock';
import { ITEMS_NODE_TYPE, newCredentialsHelper, runWorkflow, type WorkflowFixture } from '../support/harness';

useApiHygiene();

const node = { id: 'n', name: 'Thinksurance', type: 'n8n-nodes-thinksurance.thinksurance', typeVersion: 1, position: [0, 0] as [number, number] };

describe('engine harness', () => {
	test('keeps pairedItem as the engine produced it, for every item of the source node', async () => {
		const workflow: WorkflowFixture = {
			nodes: [{ id: 'i', name: 'Items', type: ITEMS_NODE_TYPE, typeVersion: 1, position: [0, 0], parameters: {} }],
			connections: {},
		};

		const result = await runWorkflow(workflow, { credentialsHelper: newCredentialsHelper(), items: [{ a: 1 }, { a: 2 }], nodeName: 'Items' });

		expect(result.node().items).toEqual([
			{ json: { a: 1 }, pairedItem: { item: 0 } },
			{ json: { a: 2 }, pairedItem: { item: 0 } },
		]);
	});

	test('expectNoSecrets looks into message, description, cause and context of errors', () => {
		const error = new NodeApiError(
			{ ...node, parameters: {} },
			{ message: 'outer', cause: { deeper: `url /api/broker/fwd/${SECURITY_TOKEN}` } },
			{ message: 'plain message', description: 'plain description' },
		);
		expect(stringifyDeep(error)).toContain(SECURITY_TOKEN);
		expect(() => expectNoSecrets({ nodes: { Thinksurance: { items: [], outputs: [], error } } }, [SECURITY_TOKEN])).toThrow();

		const described = new NodeApiError({ ...node, parameters: {} }, { message: 'x' }, { message: 'm', description: `token ${SECURITY_TOKEN}` });
		expect(() => expectNoSecrets(described, [SECURITY_TOKEN])).toThrow();
		const withContext = new NodeApiError({ ...node, parameters: {} }, { message: 'x' }, { message: 'm' });
		withContext.context.url = `https://x/${encodeURIComponent(SECURITY_TOKEN)}`;
		expect(() => expectNoSecrets(withContext, [SECURITY_TOKEN])).toThrow();
	});

	test('the credentials helper mimics n8n: preAuthentication only when the token is empty or expired', async () => {
		new ApiMock().token(SECURITY_TOKEN, 2);
		const helper = newCredentialsHelper(credentialData());
		const type = 'thinksuranceApi';
		const helpers = { helpers: { httpRequest: await httpRequestHelper() } };
		const nodeWithCredential = { ...node, parameters: {}, credentials: { [type]: { id: '1', name: 'c' } } };

		const filled = { ...credentialData(), securityToken: 'already-there' };
		expect(await helper.preAuthentication(helpers, filled, type, nodeWithCredential, false)).toBeUndefined();
		expect(helper.preAuthenticationRuns).toBe(0);

		const empty = { ...credentialData(), securityToken: '' };
		const output = await helper.preAuthentication(helpers, empty, type, nodeWithCredential, false);
		expect(output).toBe(empty);
		expect(empty.securityToken).toBe(SECURITY_TOKEN);
		expect(helper.storedData(type)?.securityToken).toBe(SECURITY_TOKEN);

		await helper.preAuthentication(helpers, { ...filled }, type, nodeWithCredential, true);
		expect(helper.preAuthenticationRuns).toBe(2);
		// Defaults of the credential's fields are filled in, like the n8n UI saves them.
		expect(await helper.getDecrypted({} as never, { id: '1', name: 'c' }, type)).toMatchObject({ environment: 'custom', securityToken: SECURITY_TOKEN });
		expect(newCredentialsHelper({ hash: 'h' }).getCredentialsProperties(type)).toEqual(new ThinksuranceApi().properties);
	});
});

/** n8n-core's own httpRequest helper, as preAuthentication gets it. */
async function httpRequestHelper() {
	const { getRequestHelperFunctions } = await import('n8n-core/dist/execution-engine/node-execution-context/utils/request-helper-functions');
	const helpers = getRequestHelperFunctions({} as never, { ...node, parameters: {} } as never, {} as never);
	return helpers.httpRequest;
}
