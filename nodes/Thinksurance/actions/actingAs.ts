/** "Authenticate As": whether an item acts with an account's or a broker's token (Inquiry, Agency Number). */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { resolveAccountToken } from '../../shared/domain/accounts';
import { readText, requireText } from '../../shared/domain/input';
import type { InquiryOwner } from '../../shared/domain/inquiries';
import { itemLocatorValue, itemParameter } from '../../shared/n8n/jsonPathParameters';

export function authenticateAsField(brokerDescription: string): INodeProperties {
	return {
		displayName: 'Authenticate As',
		name: 'authenticateAs',
		type: 'options',
		options: [
			{ name: 'Account', value: 'account', description: 'Use an account token (aToken)' },
			{ name: 'Broker', value: 'broker', description: brokerDescription },
		],
		default: 'account',
	};
}

/** The account or broker token an item acts with. */
export async function readActingToken(this: IExecuteFunctions, itemIndex: number): Promise<InquiryOwner> {
	const authenticateAs = itemParameter.call(this, 'authenticateAs', itemIndex, 'account') as string;
	if (authenticateAs === 'broker') {
		return { brokerToken: requireText(itemParameter.call(this, 'brokerToken', itemIndex, ''), 'Broker Token').trim() };
	}
	return { accountToken: await resolveItemAccount.call(this, itemIndex) };
}

/** The item's account; typeVersion 1.1 calls the field "Account" (a list), typeVersion 1 "Account Token". */
export async function resolveItemAccount(this: IExecuteFunctions, itemIndex: number): Promise<string> {
	const field = this.getNode().typeVersion >= 1.1 ? 'Account' : 'Account Token';
	return await resolveAccountToken.call(this, readText(itemLocatorValue.call(this, 'accountToken', itemIndex), field), itemIndex, field);
}
