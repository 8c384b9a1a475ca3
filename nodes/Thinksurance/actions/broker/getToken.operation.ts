import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { apiVersionOf, thinksuranceCredentials } from '../../../shared/api';
import { brokerTokenRequest, createBrokerRequest } from '../../../shared/domain/brokerBody';
import { createBrokerOnce, isExistingBroker, lookUpBrokerToken } from '../../../shared/domain/brokers';
import { readBoolean } from '../../../shared/domain/input';
import type { BrokerTokenAnswer } from '../../../shared/domain/responses';
import { updateDisplayOptions } from '../../../shared/descriptions/updateDisplayOptions';
import { itemParameter } from '../../../shared/n8n/jsonPathParameters';
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
import { noSuchBroker, namingRefusedBrokerField, unexpectedAnswer } from '../errors';
import type { OperationResult } from '../node.type';
import { timeoutOption } from '../options';

const properties: INodeProperties[] = [
	forVersions([1], accountTokenField),
	forVersions([1.1], accountTokenLocator),
	{
		...brokerExternalIdField,
		description: 'Your own ID of the broker, e.g. the ID in your CRM. Thinksurance looks the broker up by it.',
	},
	mappingTypeField,
	{
		displayName: 'E-Mail',
		name: 'email',
		type: 'string',
		placeholder: 'e.g. name@example.de',
		default: '',
		description:
			'The broker\'s e-mail address: a single bare address, no spaces, no trailing ";". Required with API version V1.1 and with Create If Missing.',
	},
	{
		...brokerFieldsCollection(false),
		description: 'Last Name or Company is required. With Create If Missing, a new broker gets all of these fields.',
	},
	{
		displayName: 'Create If Missing',
		name: 'createIfMissing',
		type: 'boolean',
		default: false,
		description:
			'Whether to create the broker with these fields when Thinksurance has none with this external ID. Items of one run for the same new broker create it once.',
	},
	perItemOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['broker'], operation: ['getToken'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]> {
	const createIfMissing = readBoolean(itemParameter.call(this, 'createIfMissing', itemIndex, false), 'Create If Missing') ?? false;
	const version = apiVersionOf(await thinksuranceCredentials(this, itemIndex));
	const fields = {
		// The account is resolved after the fields are checked: bad input costs no request.
		accountToken: '',
		brokerExternalId: itemParameter.call(this, 'brokerExternalId', itemIndex),
		mappingType: itemParameter.call(this, 'mappingType', itemIndex, 1),
		email: itemParameter.call(this, 'email', itemIndex, ''),
		brokerFields: itemParameter.call(this, 'brokerFields', itemIndex, {}),
	};
	const lookUp = brokerTokenRequest({ ...fields, emailRequired: version === 'v1.1' || createIfMissing });
	const create = createIfMissing ? createBrokerRequest(fields) : undefined;
	const account = await resolveItemAccount.call(this, itemIndex);
	lookUp.account = account;
	if (create) create.account = account;
	const brokerExternalId = lookUp.brokerExternalId;
	const options = { itemIndex, timeoutMs: timeoutOption.call(this, itemIndex) };

	const getToken = async (): Promise<BrokerTokenAnswer | null> => {
		let found: BrokerTokenAnswer | null | undefined;
		try {
			found = await lookUpBrokerToken.call(this, lookUp, options);
		} catch (error) {
			throw namingRefusedBrokerField(error, `get the token of broker "${brokerExternalId}"`);
		}
		if (found === undefined) throw unexpectedAnswer(this, 'Get Broker Token', 'a broker token', itemIndex);
		return found;
	};

	const found = await getToken();
	if (found) return [{ json: output(brokerExternalId, false, found) }];
	if (!create) throw noSuchBroker(this, brokerExternalId, itemIndex);

	let made: Awaited<ReturnType<typeof createBrokerOnce>>;
	try {
		made = await createBrokerOnce.call(this, create, options);
	} catch (error) {
		// Made in the meantime (another run, another workflow): its token is what the item wants.
		if (isExistingBroker(error)) {
			const existing = await getToken();
			if (existing) return [{ json: output(brokerExternalId, false, existing) }];
		}
		throw namingRefusedBrokerField(error, `create broker "${brokerExternalId}"`);
	}
	if (!made.created) throw unexpectedAnswer(this, 'Create Broker', 'a broker token', itemIndex, true);
	return [{ json: output(brokerExternalId, made.first, { brokerToken: made.created.brokerToken, status: made.created.status }) }];
}

function output(brokerExternalId: string, created: boolean, answer: BrokerTokenAnswer): IDataObject {
	const { brokerToken, status, ...extras } = answer;
	return { brokerToken, brokerExternalId, created, status, ...extras };
}
