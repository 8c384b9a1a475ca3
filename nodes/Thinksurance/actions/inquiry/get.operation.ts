import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readBoolean } from '../../../shared/domain/input';
import { authenticateAsField, readActingToken } from '../actingAs';
import { readInquiryId } from '../../../shared/domain/inquiries';
import { itemLocatorValue, itemParameter } from '../../../shared/n8n/jsonPathParameters';
import { simplifyInquiry } from '../../../shared/domain/simplify';
import { updateDisplayOptions } from '../../../shared/descriptions/updateDisplayOptions';
import {
	accountTokenField,
	accountTokenLocator,
	brokerTokenField,
	forVersions,
	inquiryIdLocator,
	perItemOptions,
	simplifyField,
} from '../common.descriptions';
import { fetchInquiryNamingId } from '../errors';
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
	authenticateAsField('Use the token of the broker the inquiry belongs to (bToken)'),
	forVersions([1], { ...accountTokenField, displayOptions: { show: { authenticateAs: ['account'] } } }),
	forVersions([1.1], { ...accountTokenLocator, displayOptions: { show: { authenticateAs: ['account'] } } }),
	{ ...brokerTokenField, displayOptions: { show: { authenticateAs: ['broker'] } } },
	// In 1.1 the inquiry comes after the account: its list shows that account's inquiries.
	forVersions([1.1], inquiryIdLocator),
	forVersions([1.1], simplifyField),
	perItemOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['inquiry'], operation: ['get'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]> {
	const inquiryId = readInquiryId(itemLocatorValue.call(this, 'inquiryId', itemIndex));
	const auth = await readActingToken.call(this, itemIndex);
	const inquiry = await fetchInquiryNamingId.call(this, inquiryId, auth, { itemIndex, timeoutMs: timeoutOption.call(this, itemIndex) });
	const simplify = this.getNode().typeVersion >= 1.1 && readBoolean(itemParameter.call(this, 'simplify', itemIndex, true), 'Simplify') !== false;
	return [{ json: simplify ? simplifyInquiry(inquiry) : inquiry }];
}
