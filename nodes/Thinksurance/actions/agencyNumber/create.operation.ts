import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { addAgencyNumbers, agencyNumbersAddBody, readAgencyNumbersStatus, readInsurer } from '../../../shared/domain/agencyNumbers';
import { itemParameter } from '../../../shared/n8n/jsonPathParameters';
import { updateDisplayOptions } from '../../../shared/descriptions/updateDisplayOptions';
import { readActingToken } from '../actingAs';
import { perItemOptions } from '../common.descriptions';
import type { OperationResult } from '../node.type';
import { timeoutOption } from '../options';
import { actingFields, insurerFields } from './fields';

const properties: INodeProperties[] = [
	...actingFields,
	...insurerFields,
	{
		displayName: 'Agency Numbers',
		name: 'agencyNumbers',
		type: 'fixedCollection',
		placeholder: 'Add Agency Number',
		typeOptions: { multipleValues: true },
		default: {},
		description: 'The numbers to add with this insurer, at least one',
		options: [
			{
				displayName: 'Agency Number',
				name: 'number',
				values: [
					{
						displayName: 'Active',
						name: 'active',
						type: 'boolean',
						default: true,
						description: 'Whether the number can be used',
					},
					{
						displayName: 'Agency Number',
						name: 'agencyNumber',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. ALZ-4711',
						description: 'The agency number the insurer gave the broker or account',
					},
					{
						displayName: 'Collection Type',
						name: 'collectionType',
						type: 'options',
						options: [
							{ name: 'Insurer Collection', value: 'insurer_collection', description: 'The insurer collects the premium' },
							{ name: 'MGA Collection', value: 'mga_collection', description: 'The MGA (Assekuradeur) collects the premium' },
						],
						default: 'insurer_collection',
						description: 'Who collects the premium. Other values Thinksurance knows can be given with an expression.',
					},
					{
						displayName: 'Default for Calculations',
						name: 'defaultForCalculations',
						type: 'boolean',
						default: false,
						description: 'Whether this number is preselected for calculations with this insurer',
					},
					{
						displayName: 'Default for Tenders',
						name: 'defaultForTenders',
						type: 'boolean',
						default: false,
						description: 'Whether this number is preselected for tenders with this insurer',
					},
					{
						displayName: 'External Insurer ID',
						name: 'externalInsurerId',
						type: 'string',
						default: '',
						description: 'Your CRM\'s reference of the insurer; Thinksurance sends it back',
					},
					{
						displayName: 'External Unique ID',
						name: 'externalUniqueId',
						type: 'string',
						default: '',
						description: 'Your CRM\'s ID of this entry: unique, and never reusable, not even after a delete',
					},
					{
						displayName: 'Internal Comment',
						name: 'internalComment',
						type: 'string',
						default: '',
					},
					{
						displayName: 'Match Code',
						name: 'matchCode',
						type: 'string',
						default: '',
						description: 'The text users see when they pick the number for a booking',
					},
				],
			},
		],
	},
	perItemOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['agencyNumber'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]> {
	// Everything is checked before the request: a bad entry sends nothing.
	const insurer = readInsurer(itemParameter.call(this, 'insurerIdType', itemIndex, 'baFinId'), itemParameter.call(this, 'insurerId', itemIndex, ''));
	const { body, agencyNumbers } = agencyNumbersAddBody(insurer, itemParameter.call(this, 'agencyNumbers', itemIndex, {}));
	const owner = await readActingToken.call(this, itemIndex);
	const answer = await addAgencyNumbers.call(this, owner, body, { itemIndex, timeoutMs: timeoutOption.call(this, itemIndex) });
	return [{ json: { status: readAgencyNumbersStatus(answer), ...insurer, agencyNumbers } }];
}
