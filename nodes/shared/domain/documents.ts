/** An inquiry's documents as binary items: for Document → Download and both triggers. */
import type { IDataObject, IBinaryKeyData, IExecuteFunctions, IPollFunctions, IWebhookFunctions } from 'n8n-workflow';

import { downloadDocumentFile } from '../api';
import { documentFiles, documentToken, type Inquiry } from './responses';

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

/** The inquiry's files (optionally only some purposes), each as file metadata plus binary data. */
export async function downloadInquiryDocuments(
	this: IExecuteFunctions | IPollFunctions | IWebhookFunctions,
	inquiry: Inquiry,
	purposes: string[],
	binaryPropertyName: string,
	options: { itemIndex?: number; timeoutMs?: number } = {},
): Promise<Array<{ json: IDataObject; binary: IBinaryKeyData }>> {
	const token = documentToken(inquiry);
	const files = documentFiles(inquiry).filter(
		(file) => purposes.length === 0 || (file.documentPurpose !== undefined && purposes.includes(file.documentPurpose)),
	);
	const results: Array<{ json: IDataObject; binary: IBinaryKeyData }> = [];
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
