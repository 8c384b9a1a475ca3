import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteOperation from './delete.operation';
import * as getAll from './getAll.operation';

export { create, deleteOperation as delete, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['agencyNumber'] } },
		options: [
			{
				name: 'Add',
				value: 'create',
				description: 'Add or update agency numbers with one insurer',
				action: 'Add agency numbers',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete named agency numbers with one insurer',
				action: 'Delete agency numbers',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get the agency numbers of an account, one item per number',
				action: 'Get many agency numbers',
			},
		],
		default: 'create',
	},
	...create.description,
	...deleteOperation.description,
	...getAll.description,
];
