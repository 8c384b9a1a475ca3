import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { createBrokerRequest } from '../../../shared/domain/brokerBody';
import { parseCreateBrokerAnswer } from '../../../shared/domain/responses';
import { itemParameter } from '../../../shared/n8n/jsonPathParameters';
import { updateDisplayOptions } from '../../../shared/descriptions/updateDisplayOptions';
import { thinksuranceApiRequest } from '../../../shared/api';
import { resolveItemAccount } from '../actingAs';
import {
	accountTokenField,
	accountTokenLocator,
	brokerExternalIdField,
	brokerFieldsCollection,
	forVersions,
	mappingTypeField,
	perItemOptions,
} from '../common.descriptions';
import { namingRefusedBrokerField, unexpectedAnswer } from '../errors';
import type { OperationResult } from '../node.type';
import { timeoutOption } from '../options';

const properties: INodeProperties[] = [
	{
		displayName:
			'Creates a new broker; fails if the external ID exists already. To get the token of a broker that may exist, use Get Token with Create If Missing.',
		name: 'legacyNotice',
		type: 'notice',
		default: '',
	},
	forVersions([1], accountTokenField),
	forVersions([1.1], accountTokenLocator),
	brokerExternalIdField,
	mappingTypeField,
	{
		displayName: 'E-Mail',
		name: 'email',
		type: 'string',
		placeholder: 'e.g. name@example.de',
		default: '',
		required: true,
		description: 'The broker\'s e-mail address: a single bare address, no spaces, no trailing ";"',
	},
	brokerFieldsCollection(false),
	perItemOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['broker'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]> {
	const accountToken = await resolveItemAccount.call(this, itemIndex);
	const request = createBrokerRequest({
		accountToken,
		brokerExternalId: itemParameter.call(this, 'brokerExternalId', itemIndex),
		mappingType: itemParameter.call(this, 'mappingType', itemIndex, 1),
		email: itemParameter.call(this, 'email', itemIndex),
		brokerFields: itemParameter.call(this, 'brokerFields', itemIndex, {}),
	});
	const answer = await thinksuranceApiRequest
		.call(this, 'brokerCreate', request, { itemIndex, timeoutMs: timeoutOption.call(this, itemIndex) })
		.catch((error: unknown) => Promise.reject(namingRefusedBrokerField(error, `create broker "${request.brokerExternalId}"`)));
	const result = parseCreateBrokerAnswer(answer);
	if (!result) throw unexpectedAnswer(this, 'Create Broker', 'a broker token', itemIndex, true);
	return [{ json: { ...result, brokerExternalId: request.brokerExternalId } }];
}
