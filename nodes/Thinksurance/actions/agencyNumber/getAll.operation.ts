import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { getAgencyNumbers, parseAgencyNumbers } from '../../../shared/domain/agencyNumbers';
import { InputError, readBoolean, readInteger } from '../../../shared/domain/input';
import { itemParameter } from '../../../shared/n8n/jsonPathParameters';
import { updateDisplayOptions } from '../../../shared/descriptions/updateDisplayOptions';
import { resolveItemAccount } from '../actingAs';
import { accountTokenField, accountTokenLocator, forVersions, timeoutField } from '../common.descriptions';
import { unexpectedAnswer } from '../errors';
import type { OperationResult } from '../node.type';
import { timeoutOption } from '../options';

const properties: INodeProperties[] = [
	// The vendor documents only an account-level read.
	forVersions([1], accountTokenField),
	forVersions([1.1], accountTokenLocator),
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		displayOptions: { show: { returnAll: [false] } },
		description: 'Max number of results to return',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [timeoutField(30000, 'How long to wait for Thinksurance to answer')],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['agencyNumber'], operation: ['getAll'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]> {
	let limit: number | undefined;
	if (readBoolean(itemParameter.call(this, 'returnAll', itemIndex, false), 'Return All') !== true) {
		limit = readInteger(itemParameter.call(this, 'limit', itemIndex, 50), 'Limit') ?? 50;
		if (limit < 1) throw new InputError('Limit', '"Limit" must be 1 or more.', 'Turn on "Return All" to get every agency number.');
	}
	const accountToken = await resolveItemAccount.call(this, itemIndex);
	const answer = await getAgencyNumbers.call(this, accountToken, { itemIndex, timeoutMs: timeoutOption.call(this, itemIndex) });
	const numbers = parseAgencyNumbers(answer);
	if (!numbers) throw unexpectedAnswer(this, 'Get Agency Numbers', 'a list of agency numbers', itemIndex);
	return (limit === undefined ? numbers : numbers.slice(0, limit)).map((json) => ({ json }));
}
