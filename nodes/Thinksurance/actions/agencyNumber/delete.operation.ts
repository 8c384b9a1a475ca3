import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { agencyNumbersDeleteBody, deleteAgencyNumbers, readAgencyNumbersStatus, readInsurer } from '../../../shared/domain/agencyNumbers';
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
		description:
			'The numbers to delete with this insurer, at least one. There is no "delete all": Thinksurance documents none.',
		options: [
			{
				displayName: 'Agency Number',
				name: 'number',
				values: [
					{
						displayName: 'Agency Number',
						name: 'agencyNumber',
						type: 'string',
						default: '',
						placeholder: 'e.g. ALZ-4711',
						description: 'The number to delete. When set, External Insurer ID is not sent.',
					},
					{
						displayName: 'External Insurer ID',
						name: 'externalInsurerId',
						type: 'string',
						default: '',
						description: 'Instead of an agency number: your CRM\'s insurer reference; deletes the numbers filed with it',
					},
				],
			},
		],
	},
	perItemOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['agencyNumber'], operation: ['delete'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]> {
	const insurer = readInsurer(itemParameter.call(this, 'insurerIdType', itemIndex, 'baFinId'), itemParameter.call(this, 'insurerId', itemIndex, ''));
	const { body, deleted } = agencyNumbersDeleteBody(insurer, itemParameter.call(this, 'agencyNumbers', itemIndex, {}));
	const owner = await readActingToken.call(this, itemIndex);
	const answer = await deleteAgencyNumbers.call(this, owner, body, { itemIndex, timeoutMs: timeoutOption.call(this, itemIndex) });
	return [{ json: { status: readAgencyNumbersStatus(answer), ...insurer, deleted } }];
}
