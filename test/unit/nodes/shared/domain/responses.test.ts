import {
	documentFiles,
	documentToken,
	inquiryStatus,
	looksLikeInquiryItem,
	normaliseId,
	parseAccounts,
	parseCreateBrokerAnswer,
	parseForwardAnswer,
	parseInquiryCollection,
	parseInquiryItem,
	type Inquiry,
} from '../../../../../nodes/shared/domain/responses';

/** An inquiry item as in the vendor's example: example field names (cBirthday, cAddressIsCompany …). */
const exampleItem = {
	sHash: 'bf02dfa7c7bc64c2cfb5',
	data: {
		bToken: 'bt-1',
		bExternalId: 'CRM-B-1',
		iId: 1878887,
		iCreated: '2025-03-20 10:15:00',
		status: '6',
		coverage: 'unbegrenzt',
		premiumYearly: 123456,
		iExternalReferences: [{ origin: 'crm', paramKey: 'id', paramValue: '1' }],
		digitalOrderAvailable: true,
		revenue: '',
	},
	customer: {
		cId: 9,
		cExternalId: 'C-1',
		cBirthday: '1980-04-23',
		cAddressIsCompany: 1,
		cCompanyForm: 4,
		cExternalReferences: [],
	},
	docs: {
		docToken: { token: 'doc-token-1', expired: '2025-03-20 11:15:00' },
		files: [
			{
				name: 'Antrag',
				fullName: 'Antrag.pdf',
				hash: 'h1',
				fullFilePath: 'https://app.thinksurance.de/doc/1',
				documentPurpose: 'orderDocument',
			},
		],
	},
};

/** The same with the documented names (cBirthDate, cPrivateIsCompanyAddress, externalReferences). */
const documentedItem = {
	sHash: 'aa',
	data: { iId: '1878888', status: 15, externalReferences: [{ origin: 'crm', paramKey: 'k', paramValue: 'v' }] },
	customer: { cBirthDate: '1970-01-02', cPrivateIsCompanyAddress: 0, cLegalForm: 2 },
	docs: { docToken: 'plain-doc-token', files: {} },
};

describe('parseInquiryItem', () => {
	test('lifts the ID and passes data, customer and docs through untouched (both name variants)', () => {
		const inquiry = parseInquiryItem(exampleItem) as Inquiry;
		expect(inquiry.inquiryId).toBe(1878887);
		expect(inquiry.sHash).toBe('bf02dfa7c7bc64c2cfb5');
		expect(inquiry.data).toEqual(exampleItem.data);
		expect(inquiry.customer).toEqual(exampleItem.customer);
		expect(inquiry.customer.cBirthday).toBe('1980-04-23');
		expect(inquiry.customer.cAddressIsCompany).toBe(1);
		expect(inquiry.docs).toEqual(exampleItem.docs);
		expect(Object.keys(inquiry).sort()).toEqual(['customer', 'data', 'docs', 'inquiryId', 'sHash']);

		const documented = parseInquiryItem(documentedItem) as Inquiry;
		expect(documented.inquiryId).toBe(1878888);
		expect(documented.customer).toEqual({ cBirthDate: '1970-01-02', cPrivateIsCompanyAddress: 0, cLegalForm: 2 });
		expect(documented.data.externalReferences).toEqual(documentedItem.data.externalReferences);
	});

	test('missing parts become empty objects and a missing hash null', () => {
		expect(parseInquiryItem({ data: { iId: 5 } })).toEqual({ inquiryId: 5, sHash: null, data: { iId: 5 }, customer: {}, docs: {} });
		expect(parseInquiryItem({ data: [], customer: 'x', docs: null }, '7')).toEqual({
			inquiryId: 7,
			sHash: null,
			data: {},
			customer: {},
			docs: {},
		});
	});

	test('the ID comes from data.iId, then a top-level iId, then the key', () => {
		expect(parseInquiryItem({ iId: '12', data: {} })?.inquiryId).toBe(12);
		expect(parseInquiryItem({ data: {} }, '34')?.inquiryId).toBe(34);
		expect(parseInquiryItem({ data: { iId: 56 } }, '34')?.inquiryId).toBe(56);
		expect(parseInquiryItem({ data: {} })?.inquiryId).toBeNull();
	});

	/**
	 * BUG (low): the API sends empty values as "" even for numeric fields. An item whose data.iId
	 * is "" hides the ID it is keyed by, so a search result (or keyed callback) gets inquiryId null.
	 */
	test('an empty data.iId does not hide the key the item was listed under', () => {
		expect(parseInquiryItem({ data: { iId: '' } }, '1878887')?.inquiryId).toBe(1878887);
	});

	test.each([null, undefined, 'x', 5, [exampleItem]])('%p is not an inquiry item', (value) => {
		expect(parseInquiryItem(value)).toBeUndefined();
	});
});

describe('normaliseId', () => {
	test.each([
		[123, 123],
		['123', 123],
		[' 42 ', 42],
		['A-17', 'A-17'],
		['1234567890123456', '1234567890123456'],
		['', null],
		['  ', null],
		[null, null],
		[undefined, null],
		[Number.NaN, null],
		[{}, null],
	])('%p → %p', (value, expected) => {
		expect(normaliseId(value)).toBe(expected);
	});
});

describe('parseInquiryCollection (search answer)', () => {
	test('an object keyed by inquiry ID gives one item each, with numeric inquiryId', () => {
		const inquiries = parseInquiryCollection({ '1878887': exampleItem, '1878888': documentedItem, '1878889': { data: {}, sHash: 'c' } });
		expect(inquiries.map((inquiry) => inquiry.inquiryId)).toEqual([1878887, 1878888, 1878889]);
		for (const inquiry of inquiries) expect(typeof inquiry.inquiryId).toBe('number');
		expect(inquiries[0].customer.cBirthday).toBe('1980-04-23');
	});

	test('a list of items is tolerated', () => {
		expect(parseInquiryCollection([exampleItem, 'junk', documentedItem]).map((inquiry) => inquiry.inquiryId)).toEqual([1878887, 1878888]);
	});

	test('a single item (search with iId) gives one inquiry, not one per part', () => {
		const inquiries = parseInquiryCollection(exampleItem);
		expect(inquiries).toHaveLength(1);
		expect(inquiries[0].inquiryId).toBe(1878887);
	});

	test('an empty answer gives no inquiries', () => {
		expect(parseInquiryCollection({})).toEqual([]);
		expect(parseInquiryCollection([])).toEqual([]);
		expect(parseInquiryCollection(null)).toEqual([]);
		expect(parseInquiryCollection('')).toEqual([]);
	});

	test('non-object entries in the keyed answer are skipped', () => {
		expect(parseInquiryCollection({ '1': exampleItem, count: 1, '2': null }).map((inquiry) => inquiry.inquiryId)).toEqual([1878887]);
	});
});

describe('looksLikeInquiryItem', () => {
	test('inquiry items yes, V2 events and other objects no', () => {
		expect(looksLikeInquiryItem(exampleItem)).toBe(true);
		expect(looksLikeInquiryItem({ customer: {} })).toBe(true);
		expect(looksLikeInquiryItem({ data: {}, affected: [] })).toBe(false);
		expect(looksLikeInquiryItem({ '1': exampleItem })).toBe(false);
		expect(looksLikeInquiryItem({ data: 'x' })).toBe(false);
		expect(looksLikeInquiryItem([exampleItem])).toBe(false);
	});
});

describe('inquiryStatus', () => {
	const withStatus = (status: unknown) => parseInquiryItem({ data: { status } }) as Inquiry;

	test.each([
		['6', 6],
		[' 15 ', 15],
		[6, 6],
		[25, 25],
		['99', 99],
		['', undefined],
		[null, undefined],
		['ordered', undefined],
		[undefined, undefined],
	])('%p → %p', (status, expected) => {
		expect(inquiryStatus(withStatus(status))).toBe(expected);
	});
});

describe('documents', () => {
	test('document token from the object or plain-text form', () => {
		expect(documentToken(parseInquiryItem(exampleItem) as Inquiry)).toBe('doc-token-1');
		expect(documentToken(parseInquiryItem(documentedItem) as Inquiry)).toBe('plain-doc-token');
		expect(documentToken(parseInquiryItem({ data: {} }) as Inquiry)).toBeUndefined();
		expect(documentToken(parseInquiryItem({ docs: { docToken: { token: 5 } } }) as Inquiry)).toBeUndefined();
	});

	test('files from a list, with the metadata kept', () => {
		expect(documentFiles(parseInquiryItem(exampleItem) as Inquiry)).toEqual([
			{
				name: 'Antrag',
				fullName: 'Antrag.pdf',
				hash: 'h1',
				fullFilePath: 'https://app.thinksurance.de/doc/1',
				documentPurpose: 'orderDocument',
			},
		]);
	});

	test('files keyed by something, alternative link names, files without link skipped', () => {
		const inquiry = parseInquiryItem({
			docs: {
				files: {
					a: { fullName: 'B.pdf', url: 'https://x/b' },
					b: { name: 'C', href: 'https://x/c', documentPurpose: 'insurer_docs' },
					c: { name: 'no link' },
					d: { name: 'empty link', fullFilePath: '' },
					e: 'junk',
				},
			},
		}) as Inquiry;
		expect(documentFiles(inquiry)).toEqual([
			{ name: 'B.pdf', fullName: 'B.pdf', hash: undefined, fullFilePath: 'https://x/b', documentPurpose: undefined },
			{ name: 'C', fullName: undefined, hash: undefined, fullFilePath: 'https://x/c', documentPurpose: 'insurer_docs' },
		]);
	});

	test('no files, or files of the wrong type, give an empty list', () => {
		expect(documentFiles(parseInquiryItem(documentedItem) as Inquiry)).toEqual([]);
		expect(documentFiles(parseInquiryItem({ docs: { files: 'x' } }) as Inquiry)).toEqual([]);
		expect(documentFiles(parseInquiryItem({ data: {} }) as Inquiry)).toEqual([]);
	});
});

describe('parseAccounts', () => {
	const expected = [
		{ name: 'Makler AG', aToken: 'aT-1' },
		{ name: 'Filiale', aToken: 'aT-2' },
	];

	test('the documented list', () => {
		expect(parseAccounts(expected)).toEqual(expected);
	});

	test.each([
		['inside "accounts"', { accounts: expected }],
		['inside "data"', { data: expected }],
		['inside "tokens"', { tokens: expected }],
		['keyed by name', { 'Makler AG': 'aT-1', Filiale: 'aT-2' }],
		['keyed by something, objects as values', { x: expected[0], y: expected[1] }],
	])('tolerated: %s', (_, body) => {
		expect(parseAccounts(body)).toEqual(expected);
	});

	test('a single account object', () => {
		expect(parseAccounts({ name: 'Solo', aToken: 'aT-9' })).toEqual([{ name: 'Solo', aToken: 'aT-9' }]);
	});

	test('token field variants and missing names', () => {
		expect(parseAccounts([{ accountName: 'A', atoken: 't1' }, { token: 't2' }])).toEqual([
			{ name: 'A', aToken: 't1' },
			{ name: '', aToken: 't2' },
		]);
	});

	test('entries without a usable token are dropped', () => {
		expect(parseAccounts([{ name: 'x' }, { name: 'y', aToken: '' }, { name: 'z', aToken: 5 }, null, 'aT'])).toEqual([]);
		expect(parseAccounts(null)).toEqual([]);
		expect(parseAccounts('aT-1')).toEqual([]);
		expect(parseAccounts({})).toEqual([]);
	});
});

describe('parseForwardAnswer', () => {
	test('login URL only', () => {
		expect(parseForwardAnswer({ url: 'https://app.thinksurance.de/api/broker/switch/abc' })).toEqual({
			url: 'https://app.thinksurance.de/api/broker/switch/abc',
		});
	});

	test('with the created inquiry, ID as number', () => {
		expect(parseForwardAnswer({ url: 'https://x/api/broker/switch/a', inquiryId: '12345', inquiryHash: 'a1b2c3' })).toEqual({
			url: 'https://x/api/broker/switch/a',
			inquiryId: 12345,
			inquiryHash: 'a1b2c3',
		});
		expect(parseForwardAnswer({ url: 'u', iId: 7, iHash: 'h' })).toEqual({ url: 'u', inquiryId: 7, inquiryHash: 'h' });
	});

	test('empty inquiry fields are left out', () => {
		expect(parseForwardAnswer({ url: 'u', inquiryId: '', inquiryHash: '' })).toEqual({ url: 'u' });
		expect(parseForwardAnswer({ url: 'u', inquiryId: null })).toEqual({ url: 'u' });
	});

	test.each([{}, { url: 5 }, null, 'https://x', [{ url: 'u' }]])('no login URL in %p → undefined', (body) => {
		expect(parseForwardAnswer(body)).toBeUndefined();
	});
});

describe('parseCreateBrokerAnswer', () => {
	test('broker token with status', () => {
		expect(parseCreateBrokerAnswer({ status: 'success', bToken: 'bt' })).toEqual({ status: 'success', brokerToken: 'bt' });
		expect(parseCreateBrokerAnswer({ btoken: 'bt' })).toEqual({ status: 'success', brokerToken: 'bt' });
	});

	test.each([{}, { bToken: '' }, { status: 'error' }, null, []])('%p → undefined', (body) => {
		expect(parseCreateBrokerAnswer(body)).toBeUndefined();
	});
});
