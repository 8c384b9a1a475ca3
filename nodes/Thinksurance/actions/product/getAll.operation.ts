import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { listProducts } from '../../../shared/domain/catalogue';
import { readInteger } from '../../../shared/domain/input';
import { updateDisplayOptions } from '../../../shared/descriptions/updateDisplayOptions';
import { itemParameter } from '../../../shared/n8n/jsonPathParameters';
import type { OperationResult } from '../node.type';

const properties: INodeProperties[] = [
	{
		displayName: 'Profession ID',
		name: 'professionId',
		type: 'number',
		default: 0,
		description: 'Only the products of this profession (Profession → Get Many lists them). 0: all products.',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['product'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]> {
	const professionId = readInteger(itemParameter.call(this, 'professionId', itemIndex, 0), 'Profession ID');
	// No profession has the ID 0: it is the field's "none".
	const products = await listProducts.call(this, professionId === 0 ? undefined : professionId, { itemIndex });
	return products.map((product) => ({ json: { ...product } }));
}
