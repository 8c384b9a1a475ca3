/**
 * Runs a node's list-search method as the editor does: n8n-core's LoadOptionsContext for the
 * node with the parameters the editor sends, the real credential through the test helper.
 */
import { LoadOptionsContext } from 'n8n-core';
import { Workflow, type IDataObject, type INode, type INodeListSearchResult, type INodeParameters, type INodePropertyOptions } from 'n8n-workflow';

import { Thinksurance } from '../../nodes/Thinksurance/Thinksurance.node';
import { ACTION_NODE_TYPE, CREDENTIAL_REFERENCE, CREDENTIAL_TYPE, additionalDataFor, nodeTypes } from './harness';
import type { TestCredentialsHelper } from './credentials-helper';

export type ListMethod = keyof Thinksurance['methods']['listSearch'];

export async function listSearch(
	method: ListMethod,
	options: { credentialsHelper: TestCredentialsHelper; parameters: IDataObject; filter?: string; paginationToken?: string; version?: number },
): Promise<INodeListSearchResult> {
	const node: INode = {
		id: 'node-1',
		name: 'Thinksurance',
		type: ACTION_NODE_TYPE,
		typeVersion: options.version ?? 1.1,
		position: [0, 0],
		parameters: options.parameters as INodeParameters,
		credentials: { [CREDENTIAL_TYPE]: { ...CREDENTIAL_REFERENCE } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = additionalDataFor(options.credentialsHelper);
	additionalData.currentNodeParameters = options.parameters as INodeParameters;
	const path = method === 'searchAccounts' ? 'parameters.accountToken' : 'parameters.inquiryId';
	const context = new LoadOptionsContext(workflow, node, additionalData, path);
	const methods = new Thinksurance().methods.listSearch;
	return await methods[method].call(context, options.filter, options.paginationToken);
}

export type OptionsMethod = keyof Thinksurance['methods']['loadOptions'];

/** Runs a node's loadOptions method as the editor does for the parameter at `path`. */
export async function loadOptions(
	method: OptionsMethod,
	options: { credentialsHelper: TestCredentialsHelper; parameters: IDataObject; path: string; version?: number },
): Promise<INodePropertyOptions[]> {
	const node: INode = {
		id: 'node-1',
		name: 'Thinksurance',
		type: ACTION_NODE_TYPE,
		typeVersion: options.version ?? 1.1,
		position: [0, 0],
		parameters: options.parameters as INodeParameters,
		credentials: { [CREDENTIAL_TYPE]: { ...CREDENTIAL_REFERENCE } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = additionalDataFor(options.credentialsHelper);
	additionalData.currentNodeParameters = options.parameters as INodeParameters;
	const context = new LoadOptionsContext(workflow, node, additionalData, options.path);
	return await new Thinksurance().methods.loadOptions[method].call(context);
}
