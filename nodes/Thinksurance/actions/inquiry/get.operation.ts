import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { InputError, readBoolean, readText, requireText } from '../../../shared/domain/input';
import { looksLikeInquiryItem, parseInquiryItem, type Inquiry } from '../../../shared/domain/responses';
import { itemLocatorValue, itemParameter } from '../../../shared/n8n/jsonPathParameters';
import { simplifyInquiry } from '../../../shared/domain/simplify';
import { updateDisplayOptions } from '../../../shared/descriptions/updateDisplayOptions';
import { thinksuranceApiRequest, type ThinksuranceContext } from '../../../shared/api/request';
import { resolveAccountToken } from '../../../shared/domain/accounts';
import {
	accountTokenField,
	accountTokenLocator,
	brokerTokenField,
	forVersions,
	inquiryIdLocator,
	perItemOptions,
	simplifyField,
} from '../common.descriptions';
import { unexpectedAnswer } from '../errors';
import type { OperationResult } from '../node.type';
import { timeoutOption } from '../options';

export const inquiryIdField: INodeProperties = {
	displayName: 'Inquiry ID',
	name: 'inquiryId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. 1878887',
	description: 'The Thinksurance inquiry ID (iId)',
};

const properties: INodeProperties[] = [
	forVersions([1], inquiryIdField),
	{
		displayName: 'Authenticate As',
		name: 'authenticateAs',
		type: 'options',
		options: [
			{ name: 'Account', value: 'account', description: 'Use an account token (aToken)' },
			{ name: 'Broker', value: 'broker', description: 'Use the token of the broker the inquiry belongs to (bToken)' },
		],
		default: 'account',
	},
	forVersions([1], { ...accountTokenField, displayOptions: { show: { authenticateAs: ['account'] } } }),
	forVersions([1.1], { ...accountTokenLocator, displayOptions: { show: { authenticateAs: ['account'] } } }),
	{ ...brokerTokenField, displayOptions: { show: { authenticateAs: ['broker'] } } },
	// In 1.1 the inquiry comes after the account: its list shows that account's inquiries.
	forVersions([1.1], inquiryIdLocator),
	forVersions([1.1], simplifyField),
	perItemOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['inquiry'], operation: ['get'] } }, properties);

/** Inquiry IDs are numbers; text from expressions is accepted when it is one. */
export function readInquiryId(value: unknown): string {
	const id = requireText(value, 'Inquiry ID').trim();
	if (!/^\d+$/.test(id)) {
		throw new InputError('Inquiry ID', `"Inquiry ID" must be a number but is "${id}".`, 'Use the numeric iId, e.g. 1878887.');
	}
	return id;
}

/** Get Inquiry with an account or broker token; shared with document download and the trigger. */
export async function fetchInquiry(
	this: ThinksuranceContext,
	inquiryId: string,
	auth: { accountToken?: string; brokerToken?: string },
	options: { itemIndex?: number; timeoutMs?: number } = {},
): Promise<Inquiry | undefined> {
	const body: IDataObject = auth.brokerToken ? { bToken: auth.brokerToken } : { aToken: auth.accountToken };
	const answer = await thinksuranceApiRequest.call(this, 'inquiryGet', body, {
		...options,
		id: inquiryId,
		secrets: [auth.accountToken, auth.brokerToken],
	});
	// An answer without any inquiry part is no inquiry, whatever its ID.
	return looksLikeInquiryItem(answer) ? parseInquiryItem(answer, inquiryId) : undefined;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]> {
	const inquiryId = readInquiryId(itemLocatorValue.call(this, 'inquiryId', itemIndex));
	const authenticateAs = itemParameter.call(this, 'authenticateAs', itemIndex, 'account') as string;
	const auth =
		authenticateAs === 'broker'
			? { brokerToken: requireText(itemParameter.call(this, 'brokerToken', itemIndex, ''), 'Broker Token').trim() }
			: {
					accountToken: await resolveAccountToken.call(
						this,
						readText(itemLocatorValue.call(this, 'accountToken', itemIndex), 'Account Token'),
						itemIndex,
					),
				};
	const inquiry = await fetchInquiry.call(this, inquiryId, auth, { itemIndex, timeoutMs: timeoutOption.call(this, itemIndex) });
	if (!inquiry) throw unexpectedAnswer(this, 'Get Inquiry', 'an inquiry', itemIndex);
	const simplify = this.getNode().typeVersion >= 1.1 && readBoolean(itemParameter.call(this, 'simplify', itemIndex, true), 'Simplify') !== false;
	return [{ json: simplify ? simplifyInquiry(inquiry) : inquiry }];
}
