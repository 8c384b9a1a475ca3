/** Fields Add and Delete share: who acts, and the insurer the numbers belong to. */
import type { INodeProperties } from 'n8n-workflow';

import { authenticateAsField } from '../actingAs';
import { accountTokenField, accountTokenLocator, brokerTokenField, forVersions } from '../common.descriptions';

export const actingFields: INodeProperties[] = [
	authenticateAsField('The numbers of one broker, sent with that broker\'s token (bToken)'),
	forVersions([1], { ...accountTokenField, displayOptions: { show: { authenticateAs: ['account'] } } }),
	forVersions([1.1], { ...accountTokenLocator, displayOptions: { show: { authenticateAs: ['account'] } } }),
	{ ...brokerTokenField, displayOptions: { show: { authenticateAs: ['broker'] } } },
];

export const insurerFields: INodeProperties[] = [
	{
		displayName: 'Insurer ID Type',
		name: 'insurerIdType',
		type: 'options',
		options: [
			{ name: 'BaFin ID', value: 'baFinId', description: 'The insurer\'s BaFin registration number' },
			{ name: 'Insurer ID', value: 'insurerId', description: 'Thinksurance\'s ID of the insurer' },
			{
				name: 'Supervising Authority ID',
				value: 'supervisingAuthorityId',
				description: 'The BaFin ID, or for an MGA its ID in the broker register (Vermittlerregister)',
			},
		],
		default: 'baFinId',
		description: 'How the insurer is identified',
	},
	{
		displayName: 'Insurer ID',
		name: 'insurerId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 5312',
		description: 'The insurer the agency numbers belong to, in the kind chosen under Insurer ID Type',
	},
];
