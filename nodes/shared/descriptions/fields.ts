/** Fields the action node and the triggers both show (same names, same texts). */
import type { INodeProperties } from 'n8n-workflow';

import { MAPPING_TYPES } from '../domain/enums';

export const brokerTokenField: INodeProperties = {
	displayName: 'Broker Token',
	name: 'brokerToken',
	type: 'string',
	typeOptions: { password: true },
	default: '',
	required: true,
	description: 'The broker token (bToken) Thinksurance support issued for this broker',
};

export const brokerExternalIdField: INodeProperties = {
	displayName: 'Broker External ID',
	name: 'brokerExternalId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. CRM-B-1',
	description: 'Your own ID of the broker, e.g. the ID in your CRM',
};

export const mappingTypeField: INodeProperties = {
	displayName: 'Mapping Type',
	name: 'mappingType',
	type: 'options',
	options: MAPPING_TYPES,
	default: 1,
	description: 'How Thinksurance matches your broker ID',
};

export const accountTokenField: INodeProperties = {
	displayName: 'Account Token',
	name: 'accountToken',
	type: 'string',
	typeOptions: { password: true },
	default: '',
	description:
		'Account token (aToken). Empty: the credential\'s default account token, or the only account of your API user. Account → Get Tokens lists them.',
};
