import type { INodeProperties } from 'n8n-workflow';

import * as getTokens from './getTokens.operation';

export { getTokens };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{
				name: 'Get Tokens',
				value: 'getTokens',
				description: 'List the accounts of your API user with their account tokens',
				action: 'Get account tokens',
			},
		],
		default: 'getTokens',
	},
	...getTokens.description,
];
