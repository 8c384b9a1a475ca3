import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import * as account from './actions/account/Account.resource';
import * as agencyNumber from './actions/agencyNumber/AgencyNumber.resource';
import * as broker from './actions/broker/Broker.resource';
import * as document from './actions/document/Document.resource';
import * as inquiry from './actions/inquiry/Inquiry.resource';
import * as product from './actions/product/Product.resource';
import * as profession from './actions/profession/Profession.resource';
import { router } from './actions/router';
import { searchAccounts, searchInquiries } from './methods/listSearch';
import { getProducts, getProfessions } from './methods/loadOptions';

export class Thinksurance implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Thinksurance',
		name: 'thinksurance',
		icon: { light: 'file:thinksurance.svg', dark: 'file:thinksurance.dark.svg' },
		group: ['transform'],
		// 1.1: account and inquiry locators, Return All / Limit, Simplify. 1 keeps its behaviour.
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Forward brokers, customers and inquiries to Thinksurance and read inquiries and documents',
		defaults: { name: 'Thinksurance' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'thinksuranceApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Account', value: 'account' },
					{ name: 'Agency Number', value: 'agencyNumber' },
					{ name: 'Broker', value: 'broker' },
					{ name: 'Document', value: 'document' },
					{ name: 'Inquiry', value: 'inquiry' },
					{ name: 'Product', value: 'product' },
					{ name: 'Profession', value: 'profession' },
				],
				default: 'broker',
			},
			...broker.description,
			...account.description,
			...inquiry.description,
			...document.description,
			...product.description,
			...profession.description,
			...agencyNumber.description,
		],
	};

	methods = {
		listSearch: { searchAccounts, searchInquiries },
		loadOptions: { getProducts, getProfessions },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
