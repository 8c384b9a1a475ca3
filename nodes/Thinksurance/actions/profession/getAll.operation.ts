import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { listProfessions } from '../../../shared/domain/catalogue';
import { updateDisplayOptions } from '../../../shared/descriptions/updateDisplayOptions';
import type { OperationResult } from '../node.type';

const properties: INodeProperties[] = [
	{
		displayName: 'Lists Thinksurance\'s professions, one item per profession with its ID and name: the IDs Broker Forward\'s Profession and Product → Get Many take.',
		name: 'professionsNotice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['profession'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]> {
	const professions = await listProfessions.call(this, { itemIndex });
	return professions.map((profession) => ({ json: { ...profession } }));
}
