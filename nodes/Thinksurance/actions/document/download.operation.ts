import type { IExecuteFunctions, INodeProperties, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';

import { DOCUMENT_PURPOSES } from '../../../shared/domain/enums';
import { InputError, requireText } from '../../../shared/domain/input';
import { documentFiles, documentToken, type Inquiry } from '../../../shared/domain/responses';
import { itemLocatorValue, itemParameter } from '../../../shared/n8n/jsonPathParameters';
import { updateDisplayOptions } from '../../../shared/descriptions/updateDisplayOptions';
import { downloadDocumentFile } from '../../../shared/api/request';
import { resolveAccountToken } from '../../../shared/domain/accounts';
import { accountTokenField, accountTokenLocator, forVersions, inquiryIdLocator, perItemOptions } from '../common.descriptions';
import { unexpectedAnswer } from '../errors';
import { fetchInquiry, inquiryIdField, readInquiryId } from '../inquiry/get.operation';
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

const MIME_BY_EXTENSION: Record<string, string> = {
	pdf: 'application/pdf',
	txt: 'text/plain',
	html: 'text/html',
	xml: 'application/xml',
	json: 'application/json',
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	doc: 'application/msword',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xls: 'application/vnd.ms-excel',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	zip: 'application/zip',
};

export function mimeTypeFor(fileName: string, contentType: string | undefined): string {
	const declared = contentType?.split(';')[0].trim().toLowerCase();
	if (declared && declared !== 'application/octet-stream' && declared !== 'binary/octet-stream') return declared;
	const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase();
	return (extension && MIME_BY_EXTENSION[extension]) || declared || 'application/octet-stream';
}

/** The inquiry's files (optionally only some purposes) as items with binary data. */
export async function downloadInquiryDocuments(
	this: IExecuteFunctions | IPollFunctions | IWebhookFunctions,
	inquiry: Inquiry,
	purposes: string[],
	binaryPropertyName: string,
	options: { itemIndex?: number; timeoutMs?: number } = {},
): Promise<OperationResult[]> {
	const token = documentToken(inquiry);
	const files = documentFiles(inquiry).filter(
		(file) => purposes.length === 0 || (file.documentPurpose !== undefined && purposes.includes(file.documentPurpose)),
	);
	const results: OperationResult[] = [];
	for (const file of files) {
		const download = await downloadDocumentFile.call(this, file.fullFilePath, token, options);
		const fileName = file.fullName ?? download.fileName ?? file.name;
		const mimeType = mimeTypeFor(fileName, download.contentType);
		const binary = await this.helpers.prepareBinaryData(download.data, fileName, mimeType);
		results.push({
			json: {
				inquiryId: inquiry.inquiryId,
				name: file.name,
				fullName: file.fullName ?? null,
				hash: file.hash ?? null,
				documentPurpose: file.documentPurpose ?? null,
				fileName,
				mimeType,
				fileSize: download.data.length,
			},
			binary: { [binaryPropertyName]: binary },
		});
	}
	return results;
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]> {
	const inquiryId = readInquiryId(itemLocatorValue.call(this, 'inquiryId', itemIndex));
	const purposesValue = itemParameter.call(this, 'purposes', itemIndex, []);
	const purposes = Array.isArray(purposesValue) ? purposesValue.map(String) : [];
	const binaryPropertyName = requireText(itemParameter.call(this, 'binaryPropertyName', itemIndex, 'data'), 'Put Output File in Field').trim();
	if (/[\s.]/.test(binaryPropertyName)) {
		throw new InputError('Put Output File in Field', '"Put Output File in Field" must be a plain field name without spaces or dots.', 'Example: data');
	}
	const accountToken = await resolveAccountToken.call(this, itemLocatorValue.call(this, 'accountToken', itemIndex), itemIndex);
	const timeoutMs = timeoutOption.call(this, itemIndex);
	const inquiry = await fetchInquiry.call(this, inquiryId, { accountToken }, { itemIndex, timeoutMs });
	if (!inquiry) throw unexpectedAnswer(this, 'Get Inquiry', 'an inquiry', itemIndex);
	return await downloadInquiryDocuments.call(this, inquiry, purposes, binaryPropertyName, { itemIndex, timeoutMs });
}
