import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { INQUIRY_STATUSES } from '../../../shared/domain/enums';
import { InputError, readBoolean, readCollection, readInteger } from '../../../shared/domain/input';
import type { EntryReader } from '../../../shared/api';
import { inquiryStatus, looksLikeInquiryItem, parseInquiryCollection, parseInquiryItem, type Inquiry } from '../../../shared/domain/responses';
import { itemParameter } from '../../../shared/n8n/jsonPathParameters';
import { simplifyInquiry } from '../../../shared/domain/simplify';
import { updateDisplayOptions } from '../../../shared/descriptions/updateDisplayOptions';
import { readStatusFilter, searchInquiries } from '../../../shared/domain/inquiries';
import { authenticateAsField, readActingToken } from '../actingAs';
import { accountTokenField, accountTokenLocator, brokerTokenField, forVersions, simplifyField, timeoutField } from '../common.descriptions';
import type { OperationResult } from '../node.type';
import { timeoutOption } from '../options';

const properties: INodeProperties[] = [
	forVersions([1], accountTokenField),
	forVersions([1.1], authenticateAsField('Only the inquiries of one broker, read with that broker\'s token (bToken)')),
	forVersions([1.1], { ...accountTokenLocator, displayOptions: { show: { authenticateAs: ['account'] } } }),
	forVersions([1.1], { ...brokerTokenField, displayOptions: { show: { authenticateAs: ['broker'] } } }),
	forVersions([1.1], {
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	}),
	forVersions([1.1], {
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		displayOptions: { show: { returnAll: [false] } },
		description: 'Max number of results to return',
		hint: 'The first matching inquiries in the order Thinksurance sends them (by inquiry ID); the rest of the answer is not read',
	}),
	forVersions([1.1], simplifyField),
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

/**
 * typeVersion 1.1: inquiries are filtered, counted and (optionally) simplified while the answer
 * arrives; once the limit is reached the rest of the answer is not read.
 */
function searchReader(statuses: Set<number>, limit: number | undefined, simplify: boolean, found: IDataObject[]): EntryReader {
	const full = () => limit !== undefined && found.length >= limit;
	return {
		keep(key, value) {
			// Anything that is no inquiry item (an `error`, or the parts of a single-item answer) stays for the usual checks.
			if (!looksLikeInquiryItem(value)) return value;
			const inquiry = parseInquiryItem(value, typeof key === 'string' ? key : undefined);
			if (inquiry && !full() && matchesStatus(inquiry, statuses)) found.push(simplify ? simplifyInquiry(inquiry) : inquiry);
			return undefined;
		},
		full,
	};
}

function matchesStatus(inquiry: Inquiry, statuses: Set<number>): boolean {
	return statuses.size === 0 || statuses.has(inquiryStatus(inquiry) ?? Number.NaN);
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]> {
	const filters = readCollection(itemParameter.call(this, 'filters', itemIndex, {}), 'Filters');
	const inquiryId = readInteger(filters.inquiryId, 'Filters → Inquiry ID');
	const lastDays = readInteger(filters.lastDays, 'Filters → Last Days');
	if (lastDays !== undefined && lastDays < 1) {
		throw new InputError('Filters → Last Days', '"Filters → Last Days" must be 1 or more.', 'Use 1 for today and yesterday.');
	}
	const statuses = readStatusFilter(filters.status);
	const isV1 = this.getNode().typeVersion < 1.1;
	let limit: number | undefined;
	let simplify = false;
	if (!isV1) {
		if (readBoolean(itemParameter.call(this, 'returnAll', itemIndex, false), 'Return All') !== true) {
			limit = readInteger(itemParameter.call(this, 'limit', itemIndex, 50), 'Limit') ?? 50;
			if (limit < 1) throw new InputError('Limit', '"Limit" must be 1 or more.', 'Turn on "Return All" to get every inquiry.');
		}
		simplify = readBoolean(itemParameter.call(this, 'simplify', itemIndex, true), 'Simplify') ?? true;
	}
	// typeVersion 1 has no Authenticate As: its default (account) applies.
	const owner = await readActingToken.call(this, itemIndex);

	const found: IDataObject[] = [];
	const answer = await searchInquiries.call(this, owner, { inquiryId, lastDays }, {
		itemIndex,
		timeoutMs: timeoutOption.call(this, itemIndex),
		// typeVersion 1 reads the whole answer first, as it always did.
		...(isV1
			? {}
			: {
					entryReader: () => {
						found.length = 0;
						return searchReader(statuses, limit, simplify, found);
					},
				}),
	});
	// Inquiries the reader did not take (a list answer, a single item at the top level) are read here.
	const rest = parseInquiryCollection(answer).filter((inquiry) => matchesStatus(inquiry, statuses));
	if (isV1) return rest.map((inquiry) => ({ json: inquiry }));
	const all = [...found, ...rest.map((inquiry) => (simplify ? simplifyInquiry(inquiry) : inquiry))];
	return (limit === undefined ? all : all.slice(0, limit)).map((json) => ({ json }));
}
