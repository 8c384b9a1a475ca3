import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['product'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List Thinksurance\'s products, optionally those of one profession',
				action: 'Get many products',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
