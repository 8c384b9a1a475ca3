/**
 * The item both triggers emit for one inquiry event (a webhook notification or a change the
 * polling trigger detected): the interface's shape, plus the inquiry's files as binary data.
 * One module, so a workflow can switch triggers without changes downstream.
 */
import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type IPollFunctions,
	type IWebhookFunctions,
	type JsonObject,
} from 'n8n-workflow';

import type { Inquiry } from './responses';
import { isTransientApiError } from '../api';
import { downloadInquiryDocuments } from './documents';

/** Another entity an event names (contract, customer, booking …); never fetched. */
export interface EventReference {
	referenceType: string;
	referenceId: string;
}

export interface InquiryEvent {
	eventType: string;
	eventId: string | null;
	eventTime: string | null;
	inquiryId: number | string | null;
	accountReference: string | null;
	brokerReference: string | null;
	references: EventReference[];
}

export interface EventItemOptions {
	downloadDocuments: boolean;
	binaryPropertyName: string;
}

/** The fields both triggers offer for their items' files. */
export const eventItemProperties: INodeProperties[] = [
	{
		displayName: 'Download Documents',
		name: 'downloadDocuments',
		type: 'boolean',
		default: false,
		description: 'Whether to add the inquiry\'s files as binary data',
	},
	{
		displayName: 'Put Output Files in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		hint: 'First file in this field, further files in <field>_1, <field>_2, …',
		displayOptions: { show: { downloadDocuments: [true] } },
	},
];

export function readEventItemOptions(ctx: IWebhookFunctions | IPollFunctions): EventItemOptions {
	return {
		downloadDocuments: ctx.getNodeParameter('downloadDocuments', false) as boolean,
		binaryPropertyName: String(ctx.getNodeParameter('binaryPropertyName', 'data') || 'data'),
	};
}

/** The inquiry as the interface shows it: `{sHash, data, customer, docs}` (its ID is on the item). */
export function inquiryPayload(inquiry: Inquiry): IDataObject {
	const { sHash, data, customer, docs } = inquiry;
	return { sHash, data, customer, docs };
}

/**
 * Builds the output item; `extra` fields (e.g. the polling trigger's `changes`) come last.
 * Throws only for transient download failures (the caller decides: 503 or a failed poll);
 * a permanent one is reported on the item as `documentError`.
 */
export async function inquiryEventItem(
	this: IExecuteFunctions | IPollFunctions | IWebhookFunctions,
	event: InquiryEvent,
	inquiry: Inquiry | null,
	options: EventItemOptions,
	extra: IDataObject = {},
): Promise<INodeExecutionData> {
	const json: IDataObject = {
		eventType: event.eventType,
		eventId: event.eventId,
		eventTime: event.eventTime,
		inquiryId: event.inquiryId,
		accountReference: event.accountReference,
		brokerReference: event.brokerReference,
		inquiry: inquiry ? inquiryPayload(inquiry) : null,
		references: event.references.map((reference) => ({ ...reference })),
		...extra,
	};
	const item: INodeExecutionData = { json };
	if (!options.downloadDocuments || !inquiry) return item;
	try {
		const files = await downloadInquiryDocuments.call(this, inquiry, [], options.binaryPropertyName);
		const binary: NonNullable<INodeExecutionData['binary']> = {};
		files.forEach((file, index) => {
			const name = index === 0 ? options.binaryPropertyName : `${options.binaryPropertyName}_${index}`;
			if (file.binary) binary[name] = file.binary[options.binaryPropertyName];
		});
		item.binary = binary;
	} catch (error) {
		if (isTransientApiError(error)) throw new NodeApiError(this.getNode(), error as JsonObject);
		json.documentError = (error as Error).message;
	}
	return item;
}
