import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as search from './search.operation';

export { get, search };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['inquiry'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get one inquiry with customer and documents',
				action: 'Get an inquiry',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Get the inquiries of an account, one item per inquiry',
				action: 'Search inquiries',
			},
		],
		default: 'search',
	},
	...search.description,
	...get.description,
];
