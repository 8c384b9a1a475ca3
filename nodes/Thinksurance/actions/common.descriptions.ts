/** Fields several operations share. */
import type { INodeProperties } from 'n8n-workflow';

import { SALUTATIONS } from '../../shared/domain/enums';

export { accountTokenField, brokerExternalIdField, brokerTokenField, mappingTypeField } from '../../shared/descriptions/fields';

/** Shows a field only in the given typeVersions of the action node. */
export function forVersions(versions: number[], property: INodeProperties): INodeProperties {
	return { ...property, displayOptions: { ...property.displayOptions, show: { ...property.displayOptions?.show, '@version': versions } } };
}

/** typeVersion 1.1: the account picked from the API user's accounts, or a pasted token. */
export const accountTokenLocator: INodeProperties = {
	displayName: 'Account',
	name: 'accountToken',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	description:
		'The Thinksurance account to act for. Empty: the credential\'s default account token, or the only account of your API user.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an account...',
			typeOptions: { searchListMethod: 'searchAccounts', searchable: true },
		},
		{
			displayName: 'By Token',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 5f3c9a0e1b2d4c6e',
			hint: 'The account token (aToken); Account → Get Tokens lists them',
		},
	],
};

/** typeVersion 1.1: an inquiry picked from the chosen account's recent inquiries, or its ID. */
export const inquiryIdLocator: INodeProperties = {
	displayName: 'Inquiry',
	name: 'inquiryId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The Thinksurance inquiry. The list shows the recent inquiries of the chosen account; search by ID, customer, company or product.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select an inquiry...',
			typeOptions: { searchListMethod: 'searchInquiries', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 1878887',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^\\s*\\d+\\s*$', errorMessage: 'Not an inquiry ID: use the number, e.g. 1878887' },
				},
			],
		},
	],
};

/** typeVersion 1.1 of Search and Get: the small item of interface.md, or the full one. */
export const simplifyField: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return a simplified version of the response instead of the raw data. Simplified: inquiryId, status (number) and statusName, productName, professionName, industryName, brokerExternalId, customerExternalId, customerName, customerCompany, customerEmail, insuranceCompanyName, premiumYearlyEur (yearly gross premium in euros), coverage and deductible (euros, or text such as "unbegrenzt" = unlimited), contractStartDate, created, updated and documentCount; empty values are null. Off: the full inquiry with data, customer and docs as Thinksurance sends it.',
};

/** Person and company fields of a broker; `isActive` only where the API takes it. */
export function brokerFieldsCollection(withIsActive: boolean): INodeProperties {
	const options: INodeProperties[] = [
		{ displayName: 'City', name: 'city', type: 'string', default: '' },
		{
			displayName: 'Commercial Register Number',
			name: 'companyRegNumber',
			type: 'string',
			default: '',
			description: 'The broker\'s number in the commercial register (Handelsregister)',
		},
		{ displayName: 'Company', name: 'company', type: 'string', default: '' },
		{
			displayName: 'E-Mail',
			name: 'email',
			type: 'string',
			placeholder: 'e.g. name@example.de',
			default: '',
			description: 'A single bare address: no spaces, no trailing ";"',
		},
		{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
		{ displayName: 'Gender', name: 'gender', type: 'options', options: SALUTATIONS, default: 1 },
		{
			displayName: 'IHK Register Number',
			name: 'regNumber',
			type: 'string',
			default: '',
			description: 'The broker\'s registration number in the IHK broker register (Vermittlerregister)',
		},
		{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
		{ displayName: 'Phone', name: 'phone', type: 'string', default: '' },
		{ displayName: 'Street', name: 'street', type: 'string', default: '' },
		{ displayName: 'Street Number', name: 'streetNumber', type: 'string', default: '' },
		{ displayName: 'ZIP Code', name: 'zip', type: 'string', default: '' },
	];
	if (withIsActive) {
		options.splice(7, 0, {
			displayName: 'Is Active',
			name: 'isActive',
			type: 'boolean',
			default: true,
			description:
				'Whether the broker is active. Off deactivates the broker: it vanishes from the account and cannot log in until re-activated.',
		});
	}
	return {
		displayName: 'Broker Fields',
		name: 'brokerFields',
		type: 'collection',
		placeholder: 'Add Broker Field',
		default: {},
		options,
	};
}

/** Options → Timeout (Ms): how long one request may take. */
export function timeoutField(defaultMs: number, description: string): INodeProperties {
	return { displayName: 'Timeout (Ms)', name: 'timeout', type: 'number', typeOptions: { minValue: 1000 }, default: defaultMs, description };
}

/** Batching of per-item requests, named like the HTTP Request node's option. */
export const perItemOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Batching',
			name: 'batching',
			placeholder: 'Add Batching',
			type: 'fixedCollection',
			typeOptions: { multipleValues: false },
			default: { batch: {} },
			options: [
				{
					displayName: 'Batching',
					name: 'batch',
					values: [
						{
							displayName: 'Items per Batch',
							name: 'batchSize',
							type: 'number',
							typeOptions: { minValue: 1, maxValue: 50 },
							default: 20,
							description: 'How many items are sent to Thinksurance at the same time',
						},
						{
							displayName: 'Batch Interval (Ms)',
							name: 'batchInterval',
							type: 'number',
							typeOptions: { minValue: 0 },
							default: 0,
							description: 'Time to wait between batches, in milliseconds. 0 keeps the batch size in flight at all times.',
						},
					],
				},
			],
		},
		timeoutField(60000, 'How long to wait for Thinksurance to answer one request'),
	],
};
