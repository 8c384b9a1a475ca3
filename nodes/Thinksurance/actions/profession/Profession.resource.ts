import type { INodeProperties } from 'n8n-workflow';

import * as getAll from './getAll.operation';

export { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['profession'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List Thinksurance\'s professions',
				action: 'Get many professions',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
