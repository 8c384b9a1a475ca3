import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { INQUIRY_STATUSES } from '../../helpers/enums';
import { InputError, readCollection, readInteger } from '../../helpers/input';
import { inquiryStatus, parseInquiryCollection } from '../../helpers/responses';
import { itemParameter } from '../../helpers/parameters';
import { updateDisplayOptions } from '../../helpers/updateDisplayOptions';
import { thinksuranceApiRequest } from '../../transport';
import { resolveAccountToken } from '../account/resolveAccountToken';
import { accountTokenField, timeoutField } from '../common.descriptions';
import type { OperationResult } from '../node.type';
import { timeoutOption } from '../options';

const properties: INodeProperties[] = [
	accountTokenField,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Inquiry ID',
				name: 'inquiryId',
				type: 'number',
				default: 0,
				description: 'Only this inquiry',
			},
			{
				displayName: 'Last Days',
				name: 'lastDays',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1,
				description:
					'Only inquiries created or updated in the last N days (1 = today and yesterday). Without it Thinksurance returns the last three months.',
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'multiOptions',
				options: INQUIRY_STATUSES,
				default: [],
				description:
					'Only inquiries with one of these statuses (filtered in n8n). Other status numbers can be given with an expression.',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			timeoutField(300000, 'How long to wait for Thinksurance to answer; large accounts answer slowly'),
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['inquiry'], operation: ['search'] } }, properties);

/** Status filter values: numbers, or numeric text from expressions. */
export function readStatusFilter(value: unknown): Set<number> {
	if (value === undefined || value === null || value === '') return new Set();
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
	return new Set(list.map((status, index) => readInteger(status, `Filters → Status (entry ${index + 1})`) as number));
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]> {
	const filters = readCollection(itemParameter.call(this, 'filters', itemIndex, {}), 'Filters');
	const inquiryId = readInteger(filters.inquiryId, 'Filters → Inquiry ID');
	const lastDays = readInteger(filters.lastDays, 'Filters → Last Days');
	if (lastDays !== undefined && lastDays < 1) {
		throw new InputError('Filters → Last Days', '"Filters → Last Days" must be 1 or more.', 'Use 1 for today and yesterday.');
	}
	const statuses = readStatusFilter(filters.status);
	const accountToken = await resolveAccountToken.call(this, itemParameter.call(this, 'accountToken', itemIndex, ''), itemIndex);

	const body = { aToken: accountToken, ...(inquiryId ? { iId: inquiryId } : {}), ...(lastDays ? { lastDays } : {}) };
	const answer = await thinksuranceApiRequest.call(this, 'inquirySearch', body, {
		itemIndex,
		timeoutMs: timeoutOption.call(this, itemIndex),
		secrets: [accountToken],
	});
	return parseInquiryCollection(answer)
		.filter((inquiry) => statuses.size === 0 || statuses.has(inquiryStatus(inquiry) ?? Number.NaN))
		.map((inquiry) => ({ json: inquiry }));
}
