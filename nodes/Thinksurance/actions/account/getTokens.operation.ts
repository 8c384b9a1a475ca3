import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../shared/descriptions/updateDisplayOptions';
import type { OperationResult } from '../node.type';
import { listAccounts } from '../../../shared/domain/accounts';

const properties: INodeProperties[] = [
	{
		displayName: 'Lists the accounts your API user may act for, one item per account with its name and account token (aToken).',
		name: 'getTokensNotice',
		type: 'notice',
		default: '',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['account'], operation: ['getTokens'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]> {
	const accounts = await listAccounts.call(this, itemIndex);
	// name and aToken as in 1.0; nameTag and whatever else the API sends follow.
	return accounts.map((account) => ({ json: { ...account } }));
}
