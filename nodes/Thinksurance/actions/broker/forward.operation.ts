import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { ACCOUNT_TYPES, LEGAL_FORMS, PRIVATE_IS_COMPANY_ADDRESS, SALUTATIONS, TITLES } from '../../../shared/domain/enums';
import { brokerForwardRequest } from '../../../shared/domain/brokerBody';
import { parseForwardAnswer } from '../../../shared/domain/responses';
import { itemParameter } from '../../../shared/n8n/jsonPathParameters';
import { updateDisplayOptions } from '../../../shared/descriptions/updateDisplayOptions';
import { thinksuranceApiRequest } from '../../../shared/api';
import { unexpectedAnswer } from '../errors';
import {
	brokerExternalIdField,
	brokerFieldsCollection,
	brokerTokenField,
	forVersions,
	mappingTypeField,
	perItemOptions,
} from '../common.descriptions';
import type { OperationResult } from '../node.type';
import { timeoutOption } from '../options';

const text = (displayName: string, name: string, extra: Partial<INodeProperties> = {}): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	...extra,
});

/**
 * typeVersion 1: product and profession as plain numbers. 1.1: picked from Thinksurance's lists
 * (products narrowed to the chosen profession); the stored value is the same number, and an
 * expression (a number typed or mapped from the CRM) still works.
 */
function inquiryFieldsCollection(withLists: boolean): INodeProperties {
	const product: INodeProperties = withLists
		? {
				displayName: 'Product Name or ID',
				name: 'productId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getProducts', loadOptionsDependsOn: ['inquiryFields.professionId'] },
				default: '',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				hint: 'Thinksurance\'s products, narrowed to the chosen profession',
			}
		: { displayName: 'Product ID', name: 'productId', type: 'number', default: 0, description: 'Thinksurance product ID' };
	const profession: INodeProperties = withLists
		? {
				displayName: 'Profession Name or ID',
				name: 'professionId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getProfessions' },
				default: '',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
			}
		: { displayName: 'Profession ID', name: 'professionId', type: 'number', default: 0, description: 'Thinksurance profession ID' };
	return {
		displayName: 'Inquiry Fields',
		name: 'inquiryFields',
		type: 'collection',
		placeholder: 'Add Inquiry Field',
		default: {},
		options: [
			{
				displayName: 'Instant Inquiry Creation',
				name: 'instantInquiryCreation',
				type: 'boolean',
				default: false,
				description: 'Whether to create the consultation and inquiry right away. Needs the customer\'s External ID.',
			},
			product,
			profession,
			{
				displayName: 'Questionnaire',
				name: 'questionnaire',
				type: 'json',
				default: '',
				description:
					'Pre-filled answers (qasCustProfile) as JSON: categories, each with questions, each with answers. Question IDs and answers are text.',
				hint: 'Example: {"categories":[{"id":"default","questions":[{"id":"100","answers":["10001"]}]}]}',
			},
		],
	};
}

const properties: INodeProperties[] = [
	brokerTokenField,
	brokerExternalIdField,
	mappingTypeField,
	brokerFieldsCollection(true),
	{
		displayName: 'Callback Fields',
		name: 'callbackFields',
		type: 'collection',
		placeholder: 'Add Callback Field',
		default: {},
		description: 'Where Thinksurance reports bookings of this broker. For n8n, use the Thinksurance Trigger node instead.',
		options: [
			text('Callback URL', 'callbackUrl', {
				placeholder: 'e.g. https://crm.example.de/thinksurance',
				description: 'Switches callbacks on (fullCallback 0) and sends them to this URL',
			}),
			{
				displayName: 'Disable Callbacks',
				name: 'disableCallbacks',
				type: 'boolean',
				default: false,
				description: 'Whether to switch callbacks off for the live and the test system (fullCallback 1): you poll instead',
			},
			text('Test System Callback URL', 'testCallbackUrl', {
				description: 'Switches callbacks of your test system on (mvpFullCallback 0) and sends them to this URL',
			}),
		],
	},
	{
		displayName: 'Customer Fields',
		name: 'customerFields',
		type: 'collection',
		placeholder: 'Add Customer Field',
		default: {},
		description: 'Creates the customer, or updates it when its External ID is already known',
		options: [
			{ displayName: 'Account Type', name: 'accountType', type: 'options', options: ACCOUNT_TYPES, default: 0 },
			text('Bank Account Holder', 'bankAccountHolder'),
			text('Bank BIC', 'bankBic'),
			text('Bank IBAN', 'bankIban'),
			text('Bank Name', 'bankName'),
			text('Birth Date', 'birthDate', { placeholder: 'e.g. 1980-04-23', description: 'Date in the form YYYY-MM-DD' }),
			text('City', 'city'),
			text('Company', 'company'),
			text('Company City', 'companyCity'),
			text('Company Street', 'companyStreet'),
			text('Company Street Number', 'companyStreetNumber'),
			text('Company ZIP Code', 'companyZip'),
			text('CRM Ident', 'crmIdent', {
				placeholder: 'e.g. openVIVAv1',
				description: 'Which CRM owns the customer. Required with External References.',
			}),
			text('E-Mail', 'email', {
				placeholder: 'e.g. name@example.de',
				description: 'A single bare address: no spaces, no trailing ";". Required with External ID.',
			}),
			text('External ID', 'externalId', {
				description: 'Your ID of the customer. Needs Last Name and E-Mail; required for Instant Inquiry Creation.',
			}),
			{
				displayName: 'External References',
				name: 'externalReferences',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Reference',
				default: {},
				description: 'Identifiers of the customer in your systems. Needs CRM Ident.',
				options: [
					{
						displayName: 'Reference',
						name: 'reference',
						values: [
							text('Origin', 'origin', { placeholder: 'e.g. crm', default: 'crm' }),
							text('Key', 'paramKey', { placeholder: 'e.g. customerId' }),
							text('Value', 'paramValue'),
						],
					},
				],
			},
			text('First Name', 'firstName'),
			text('Last Name', 'lastName', { description: 'Required with External ID' }),
			{ displayName: 'Legal Form', name: 'legalForm', type: 'options', options: LEGAL_FORMS, default: 4 },
			text('Phone', 'phone'),
			{
				displayName: 'Private Address Is Business Address',
				name: 'privateIsCompanyAddress',
				type: 'options',
				options: PRIVATE_IS_COMPANY_ADDRESS,
				default: 0,
			},
			{ displayName: 'Salutation', name: 'salutation', type: 'options', options: SALUTATIONS, default: 1 },
			text('Street', 'street'),
			text('Street Number', 'streetNumber'),
			{ displayName: 'Title', name: 'title', type: 'options', options: TITLES, default: 1 },
			text('Website', 'website'),
			text('ZIP Code', 'zip'),
		],
	},
	forVersions([1], inquiryFieldsCollection(false)),
	forVersions([1.1], inquiryFieldsCollection(true)),
	perItemOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['broker'], operation: ['forward'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]> {
	const request = brokerForwardRequest({
		brokerToken: itemParameter.call(this, 'brokerToken', itemIndex),
		brokerExternalId: itemParameter.call(this, 'brokerExternalId', itemIndex),
		mappingType: itemParameter.call(this, 'mappingType', itemIndex, 1),
		brokerFields: itemParameter.call(this, 'brokerFields', itemIndex, {}),
		callbackFields: itemParameter.call(this, 'callbackFields', itemIndex, {}),
		customerFields: itemParameter.call(this, 'customerFields', itemIndex, {}),
		inquiryFields: itemParameter.call(this, 'inquiryFields', itemIndex, {}),
	});
	const answer = await thinksuranceApiRequest.call(this, 'brokerForward', request, {
		itemIndex,
		timeoutMs: timeoutOption.call(this, itemIndex),
	});
	const result = parseForwardAnswer(answer);
	if (!result) throw unexpectedAnswer(this, 'Broker Forward', 'a login URL', itemIndex, true);
	return [{ json: result }];
}
