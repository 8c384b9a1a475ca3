import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';

import { refusedBrokerField } from '../../shared/domain/brokerBody';
import { apiReasonOf } from '../../shared/domain/brokers';
import { fetchInquiry, type InquiryOwner } from '../../shared/domain/inquiries';
import type { Inquiry } from '../../shared/domain/responses';

/** Thinksurance answered, without error, but not with what the operation needs. */
export function unexpectedAnswer(
	ctx: IExecuteFunctions,
	operation: string,
	expected: string,
	itemIndex: number,
	isWrite = false,
): NodeApiError {
	const message = `Thinksurance answered ${operation} without ${expected}.${
		isWrite ? ' The change may have been applied: check in Thinksurance before running this item again.' : ''
	}`;
	const description = 'The API answer had an unexpected shape. Check the environment / base URL of the credential.';
	return new NodeApiError(ctx.getNode(), { message, description } as JsonObject, { message, description, itemIndex });
}

/**
 * Get Inquiry for an item: an inquiry the API does not return (HTTP 404, an `error`, or an
 * empty answer to a search by ID) is an item error that names the inquiry ID, in both dialects.
 */
export async function fetchInquiryNamingId(
	this: IExecuteFunctions,
	inquiryId: string,
	owner: InquiryOwner,
	options: { itemIndex: number; timeoutMs?: number },
): Promise<Inquiry> {
	let inquiry: Inquiry | undefined;
	try {
		inquiry = await fetchInquiry.call(this, inquiryId, owner, options);
	} catch (error) {
		throw namingInquiry(this, error, inquiryId, options.itemIndex);
	}
	if (inquiry) return inquiry;
	const message = `Thinksurance did not return inquiry ${inquiryId}`;
	const description = 'Check the inquiry ID and that the account or broker token you authenticate with owns that inquiry.';
	throw new NodeApiError(this.getNode(), { message, description } as JsonObject, { message, description, itemIndex: options.itemIndex });
}

/** The API's answer about an inquiry, with its ID in the message (the API's texts do not name it). */
function namingInquiry(ctx: IExecuteFunctions, error: unknown, inquiryId: string, itemIndex: number): NodeApiError {
	if (!(error instanceof NodeApiError)) return new NodeApiError(ctx.getNode(), error as JsonObject, { itemIndex });
	const kind = error.context?.failureKind;
	if (kind === 'notFound' || kind === 'apiError') error.message = error.message.replace('get the inquiry', `get inquiry ${inquiryId}`);
	return error;
}

/** Get Token without Create If Missing: Thinksurance has no broker with this external ID. */
export function noSuchBroker(ctx: IExecuteFunctions, brokerExternalId: string, itemIndex: number): NodeApiError {
	const message = `Thinksurance has no broker with the external ID "${brokerExternalId}" in this account`;
	const description =
		'Check the Broker External ID and the account, or switch on "Create If Missing" to create the broker with the given fields.';
	return new NodeApiError(ctx.getNode(), { message, description } as JsonObject, { message, description, httpCode: '404', itemIndex });
}

/**
 * A broker call Thinksurance refused naming a field ("Invalid parameters: bEmail"): the message
 * names the field as the node shows it. Other errors pass unchanged.
 */
export function namingRefusedBrokerField(error: unknown, action: string): unknown {
	const field = refusedBrokerField(apiReasonOf(error));
	if (!field || !(error instanceof NodeApiError)) return error;
	error.message = `Thinksurance refused "${field}" while trying to ${action}: ${String(apiReasonOf(error))}`;
	error.description = `Check "${field}" of this item: e-mail addresses bare (no spaces or ";"), Last Name or Company set, Mapping Type 1 or 2.`;
	return error;
}
