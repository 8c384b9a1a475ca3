import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DOCUMENT_PURPOSES } from '../../../shared/domain/enums';
import { InputError, requireText } from '../../../shared/domain/input';
import { itemLocatorValue, itemParameter } from '../../../shared/n8n/jsonPathParameters';
import { updateDisplayOptions } from '../../../shared/descriptions/updateDisplayOptions';
import { resolveItemAccount } from '../actingAs';
import { accountTokenField, accountTokenLocator, forVersions, inquiryIdLocator, perItemOptions } from '../common.descriptions';
import { fetchInquiryNamingId } from '../errors';
import { inquiryIdField } from '../inquiry/get.operation';
import { readInquiryId } from '../../../shared/domain/inquiries';
import { downloadInquiryDocuments } from '../../../shared/domain/documents';
import type { OperationResult } from '../node.type';
import { timeoutOption } from '../options';

const properties: INodeProperties[] = [
	forVersions([1], inquiryIdField),
	forVersions([1], accountTokenField),
	// In 1.1 the account comes first: the inquiry list shows that account's inquiries.
	forVersions([1.1], accountTokenLocator),
	forVersions([1.1], inquiryIdLocator),
	{
		displayName: 'Purposes',
		name: 'purposes',
		type: 'multiOptions',
		options: DOCUMENT_PURPOSES,
		default: [],
		description: 'Only documents of these purposes. Empty: all documents of the inquiry.',
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the output binary field to put the file in',
	},
	perItemOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['document'], operation: ['download'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]> {
	const inquiryId = readInquiryId(itemLocatorValue.call(this, 'inquiryId', itemIndex));
	const purposesValue = itemParameter.call(this, 'purposes', itemIndex, []);
	const purposes = Array.isArray(purposesValue) ? purposesValue.map(String) : [];
	const binaryPropertyName = requireText(itemParameter.call(this, 'binaryPropertyName', itemIndex, 'data'), 'Put Output File in Field').trim();
	if (/[\s.]/.test(binaryPropertyName)) {
		throw new InputError('Put Output File in Field', '"Put Output File in Field" must be a plain field name without spaces or dots.', 'Example: data');
	}
	const accountToken = await resolveItemAccount.call(this, itemIndex);
	const timeoutMs = timeoutOption.call(this, itemIndex);
	const inquiry = await fetchInquiryNamingId.call(this, inquiryId, { accountToken }, { itemIndex, timeoutMs });
	return await downloadInquiryDocuments.call(this, inquiry, purposes, binaryPropertyName, { itemIndex, timeoutMs });
}
