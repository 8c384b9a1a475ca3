import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as forward from './forward.operation';

export { create, forward };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['broker'] } },
		options: [
			{
				name: 'Create (Legacy)',
				value: 'create',
				description: 'Create a broker in an account through the legacy endpoint',
				action: 'Create a broker with the legacy endpoint',
			},
			{
				name: 'Forward',
				value: 'forward',
				description:
					'Create or update a broker, optionally with customer and inquiry, and get a one-time login URL; also (de)activates the broker and sets callbacks',
				action: 'Forward a broker',
			},
		],
		default: 'forward',
	},
	...forward.description,
	...create.description,
];
