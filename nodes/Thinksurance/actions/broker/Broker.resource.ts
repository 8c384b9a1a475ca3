import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as forward from './forward.operation';
import * as getToken from './getToken.operation';

export { create, forward, getToken };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['broker'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a broker in an account and get its broker token',
				action: 'Create a broker',
			},
			{
				name: 'Forward',
				value: 'forward',
				description:
					'Create or update a broker, optionally with customer and inquiry, and get a one-time login URL; also (de)activates the broker and sets callbacks',
				action: 'Forward a broker',
			},
			{
				name: 'Get Token',
				value: 'getToken',
				description: 'Get a broker\'s token by your own broker ID, optionally creating the broker when there is none',
				action: 'Get a broker token',
			},
		],
		default: 'forward',
	},
	...forward.description,
	...create.description,
	...getToken.description,
];
