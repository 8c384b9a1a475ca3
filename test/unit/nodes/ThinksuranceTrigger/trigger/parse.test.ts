import { apiFixture } from '../../../../support/api-mock';
import {
	KNOWN_EVENT_TYPES,
	LEGACY_EVENT_TYPE,
	LIMITS,
	depthExceeds,
	isSelected,
	normaliseEventType,
	parseDelivery,
	type Delivery,
	type ParseResult,
} from '../../../../../nodes/ThinksuranceTrigger/trigger/parse';

/** The V2 example from the vendor documentation. */
const v2Event = {
	eventType: 'InquiryCreated',
	eventTime: '2025-03-20T10:15:00+01:00',
	eventId: 'evt-1',
	notificationId: 'ntf-1',
	accountReference: 'acc-1',
	brokerReference: 'CRM-B-1',
	translations: { de: 'Anfrage erstellt' },
	affected: [
		{
			referenceType: 'inquiry',
			referenceId: '1878887',
			links: [{ contentType: 'application/json', href: 'https://ipn.thinksurance.de/api/ipn/inquiry/1878887' }],
		},
	],
};

const legacyItem = {
	sHash: 'bf02dfa7c7bc64c2cfb5',
	data: { iId: 1878887, iCreated: '2025-03-20 10:00:00', iUpdated: '2025-03-20 10:15:00', bExternalId: 'CRM-B-1', status: 6 },
	customer: { cLastName: 'Muster', cBirthday: '1980-04-23' },
	docs: { files: [] },
};

function deliveries(result: ParseResult): Delivery[] {
	if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
	return result.deliveries;
}

function reason(result: ParseResult): string {
	if (result.ok) throw new Error('expected the body to be refused');
	return result.reason;
}

describe('normaliseEventType', () => {
	test.each([
		['InquiryCreated', 'inquiryCreated'],
		['inquiryCreated', 'inquiryCreated'],
		['inquiry_created', 'inquiryCreated'],
		['INQUIRY_UPDATED', 'inquiryUpdated'],
		['InquiryProposalCreated', 'inquiryProposalCreated'],
		['inquiry_proposal_created', 'inquiryProposalCreated'],
		['INQUIRY-ORDERED', 'inquiryOrdered'],
		['inquiry.ordered', 'inquiryOrdered'],
		[' InquiryOrdered ', 'inquiryOrdered'],
		['SomethingNew', 'somethingNew'],
		['', ''],
		['_-', ''],
		[null, ''],
		[undefined, ''],
	])('%p → %p', (raw, expected) => {
		expect(normaliseEventType(raw)).toBe(expected);
	});
});

/** The vendor's own examples (thinksurance-api.md, V2 section), as fixtures. */
const vendorOrdered = apiFixture<Record<string, unknown>>('event-vendor-inquiry-ordered');
const vendorCreated = apiFixture<Record<string, unknown>>('event-vendor-inquiry-created-snake');

describe('V2 events', () => {
	test('the documented example', () => {
		const [delivery] = deliveries(parseDelivery(v2Event));
		expect(delivery).toEqual({
			eventType: 'inquiryCreated',
			eventId: 'evt-1',
			eventTime: '2025-03-20T10:15:00+01:00',
			notificationId: 'ntf-1',
			accountReference: 'acc-1',
			brokerReference: 'CRM-B-1',
			inquiries: [{ inquiryId: 1878887, inquiry: null }],
			references: [],
			dedupKey: 'event:evt-1',
		});
	});

	test('the vendor\'s ordered inquiry: only the inquiry is an inquiry, contract and customer are references', () => {
		const [delivery] = deliveries(parseDelivery(vendorOrdered));
		expect(delivery).toMatchObject({
			eventType: 'inquiryOrdered',
			eventId: null,
			eventTime: '2024-04-26T16:48:31.118Z',
			notificationId: 'ded21bfa-18cb-11ef-9fc4-0a5332324815',
			accountReference: 'thinksurance',
			brokerReference: '420',
			inquiries: [{ inquiryId: 2144385, inquiry: null }],
			references: [
				{ referenceType: 'contract', referenceId: 'b75fcf90-0584-4bd8-850e-91eb0e4c15e1' },
				{ referenceType: 'customer', referenceId: '695056' },
			],
		});
		expect(delivery.dedupKey).toMatch(/^fingerprint:[0-9a-f]{40}$/);
	});

	test('empty eventId and a shared notificationId: two different vendor events get different keys, a resend the same', () => {
		const ordered = deliveries(parseDelivery(vendorOrdered))[0].dedupKey;
		const created = deliveries(parseDelivery(vendorCreated))[0].dedupKey;
		const resent = deliveries(parseDelivery(JSON.parse(JSON.stringify(vendorOrdered))))[0].dedupKey;
		expect(vendorCreated.notificationId).toBe(vendorOrdered.notificationId);
		expect(created).not.toBe(ordered);
		expect(resent).toBe(ordered);
	});

	test.each<[string, Record<string, unknown>]>([
		['eventType', { eventType: 'InquiryUpdated' }],
		['eventTime', { eventTime: '2024-04-26T16:48:32.000Z' }],
		['notificationId', { notificationId: 'another' }],
		['an affected reference', { affected: [{ referenceType: 'inquiry', referenceId: '2144386' }] }],
		['a reference type', { affected: [{ referenceType: 'tender', referenceId: '2144385' }] }],
	])('without eventId, a different %s is a different event', (_, change) => {
		const base = deliveries(parseDelivery(vendorOrdered))[0].dedupKey;
		expect(deliveries(parseDelivery({ ...vendorOrdered, ...change }))[0].dedupKey).not.toBe(base);
	});

	test('without eventId, what does not identify the event (translations, links, key order) does not change the key', () => {
		const base = deliveries(parseDelivery(vendorOrdered))[0].dedupKey;
		const { translations, ...rest } = vendorOrdered;
		void translations;
		const reordered = Object.fromEntries(Object.entries(rest).reverse());
		const withoutLinks = { ...rest, affected: (vendorOrdered.affected as Array<Record<string, unknown>>).map(({ referenceType, referenceId }) => ({ referenceId, referenceType })) };
		expect(deliveries(parseDelivery(reordered))[0].dedupKey).toBe(base);
		expect(deliveries(parseDelivery(withoutLinks))[0].dedupKey).toBe(base);
	});

	test('a non-empty eventId is the key, whatever else the body says', () => {
		const first = deliveries(parseDelivery({ ...vendorOrdered, eventId: 'evt-9' }))[0].dedupKey;
		expect(first).toBe('event:evt-9');
		expect(deliveries(parseDelivery({ ...vendorCreated, eventId: 'evt-9' }))[0].dedupKey).toBe(first);
		expect(deliveries(parseDelivery({ ...vendorOrdered, eventId: '  ' }))[0].dedupKey).toMatch(/^fingerprint:/);
	});

	test('snake_case keys and event type', () => {
		const [delivery] = deliveries(
			parseDelivery({
				event_type: 'inquiry_updated',
				event_time: '2025-03-20T10:15:00Z',
				event_id: 'evt-2',
				notification_id: 'n-2',
				account_reference: 'acc',
				broker_reference: 'brk',
				affected: [{ reference_type: 'inquiry', reference_id: 42 }],
			}),
		);
		expect(delivery).toMatchObject({
			eventType: 'inquiryUpdated',
			eventId: 'evt-2',
			eventTime: '2025-03-20T10:15:00Z',
			notificationId: 'n-2',
			accountReference: 'acc',
			brokerReference: 'brk',
			inquiries: [{ inquiryId: 42, inquiry: null }],
		});
	});

	test.each([
		['InquiryCreated', 'inquiryCreated'],
		['inquiry_created', 'inquiryCreated'],
		['INQUIRY_UPDATED', 'inquiryUpdated'],
		['InquiryProposalCreated', 'inquiryProposalCreated'],
		['INQUIRY_ORDERED', 'inquiryOrdered'],
		['SomethingNew', 'somethingNew'],
	])('eventType %p → %p', (eventType, expected) => {
		expect(deliveries(parseDelivery({ ...v2Event, eventType }))[0].eventType).toBe(expected);
	});

	test('every older snake_case name the vendor lists becomes one of the selectable event types', () => {
		const snake = ['inquiry_created', 'inquiry_updated', 'inquiry_cancelled', 'tender_created', 'tender_closed', 'tender_cancelled', 'offers_created', 'offer_selected', 'booking_created', 'proposal_created', 'contract_created'];
		const current = ['InquiryCreated', 'InquiryUpdated', 'InquiryProposalCreated', 'InquiryOrdered'];
		const normalised = [...snake, ...current].map((eventType) => deliveries(parseDelivery({ ...v2Event, eventType }))[0].eventType);
		expect(new Set(normalised)).toEqual(new Set(KNOWN_EVENT_TYPES));
	});

	test('one item-to-be per affected inquiry, in order, each ID once; every other reference rides along', () => {
		const [delivery] = deliveries(
			parseDelivery({
				...v2Event,
				affected: [
					{ referenceType: 'inquiry', referenceId: '1' },
					{ referenceType: 'customer', referenceId: 'C-7' },
					{ referenceType: 'Inquiry', referenceId: 2 },
					{ referenceType: 'inquiry', referenceId: ' 1 ' },
					{ referenceType: 'booking', referenceId: 99 },
					{ referenceType: 'offer', referenceId: 'o-1' },
					{ referenceType: 'tender', referenceId: 't-1' },
				],
			}),
		);
		expect(delivery.inquiries).toEqual([
			{ inquiryId: 1, inquiry: null },
			{ inquiryId: 2, inquiry: null },
		]);
		expect(delivery.references).toEqual([
			{ referenceType: 'customer', referenceId: 'C-7' },
			{ referenceType: 'booking', referenceId: '99' },
			{ referenceType: 'offer', referenceId: 'o-1' },
			{ referenceType: 'tender', referenceId: 't-1' },
		]);
	});

	test('an event that names no inquiry: no inquiries, its references', () => {
		const [delivery] = deliveries(parseDelivery({ ...v2Event, eventType: 'contract_created', affected: [{ referenceType: 'contract', referenceId: 'k-1' }] }));
		expect(delivery).toMatchObject({ eventType: 'contractCreated', inquiries: [], references: [{ referenceType: 'contract', referenceId: 'k-1' }] });
	});

	test('the inquiry ID is the referenceId, whatever host or path a link names', () => {
		const [delivery] = deliveries(
			parseDelivery({
				...v2Event,
				affected: [
					{ referenceType: 'inquiry', referenceId: '567', links: [{ href: 'https://app.thinksurance.de/ipn/inquiry/999' }] },
					{ referenceType: 'inquiry', referenceId: '568', links: [{ href: 'https://evil.example/api/ipn/inquiry/1' }] },
				],
			}),
		);
		expect(delivery.inquiries.map((entry) => entry.inquiryId)).toEqual([567, 568]);
	});

	test('a long inquiry ID keeps all its digits (as text)', () => {
		const id = '12345678901234567890';
		expect(deliveries(parseDelivery({ ...v2Event, affected: [{ referenceType: 'inquiry', referenceId: id }] }))[0].inquiries[0].inquiryId).toBe(id);
	});

	test('numeric IDs become text, empty texts null', () => {
		const [delivery] = deliveries(parseDelivery({ ...v2Event, eventId: 17, accountReference: '', brokerReference: '  ', eventTime: null }));
		expect(delivery).toMatchObject({ eventId: '17', accountReference: null, brokerReference: null, eventTime: null, dedupKey: 'event:17' });
	});

	test.each<[string, unknown, RegExp]>([
		['eventType a number', { eventType: 12345, affected: [{}] }, /"eventType" must be non-empty text, but is a number/],
		['eventType empty', { ...v2Event, eventType: '' }, /"eventType" must be non-empty text, but is empty/],
		['eventType blank', { ...v2Event, eventType: '   ' }, /"eventType" must be non-empty text/],
		['eventType only separators', { ...v2Event, eventType: '__' }, /"eventType" must be non-empty text/],
		['eventType null', { ...v2Event, eventType: null }, /"eventType" must be non-empty text, but is null/],
		['eventType an object', { ...v2Event, eventType: { toString: 1 } }, /"eventType" must be non-empty text, but is an object/],
		['eventType missing', { affected: v2Event.affected }, /"eventType" must be non-empty text, but is missing/],
		['affected missing', { eventType: 'InquiryCreated' }, /"affected" must be a non-empty list of references, but is missing/],
		['affected empty', { ...v2Event, affected: [] }, /"affected" must be a non-empty list of references, but is a list/],
		['affected an object', { ...v2Event, affected: { referenceId: 1 } }, /"affected" must be a non-empty list/],
		['an entry text', { ...v2Event, affected: ['1878887'] }, /entry 1 of "affected" must be an object, but is text/],
		['an entry null', { ...v2Event, affected: [v2Event.affected[0], null] }, /entry 2 of "affected" must be an object, but is null/],
		['an entry empty', { eventType: 'x', affected: [{}] }, /entry 1 of "affected" needs a "referenceType" \(text\), but it is missing/],
		['referenceType a number', { ...v2Event, affected: [{ referenceType: 1, referenceId: '1' }] }, /needs a "referenceType"/],
		['referenceType blank', { ...v2Event, affected: [{ referenceType: ' ', referenceId: '1' }] }, /needs a "referenceType"/],
		['referenceId missing (only a link)', { ...v2Event, affected: [{ referenceType: 'inquiry', links: v2Event.affected[0].links }] }, /needs a "referenceId" \(text or an integer, at most 64 characters\), but it is missing/],
		['referenceId empty', { ...v2Event, affected: [{ referenceType: 'inquiry', referenceId: '' }] }, /needs a "referenceId".*but it is empty/],
		['referenceId a fraction', { ...v2Event, affected: [{ referenceType: 'inquiry', referenceId: 1.5 }] }, /needs a "referenceId".*a number/],
		['referenceId a boolean', { ...v2Event, affected: [{ referenceType: 'inquiry', referenceId: true }] }, /needs a "referenceId".*a boolean/],
		['referenceId a list', { ...v2Event, affected: [{ referenceType: 'inquiry', referenceId: [1] }] }, /needs a "referenceId".*a list/],
		['referenceId of 65 characters', { ...v2Event, affected: [{ referenceType: 'contract', referenceId: 'x'.repeat(65) }] }, /needs a "referenceId"/],
		['referenceId beyond safe integers', { ...v2Event, affected: [{ referenceType: 'inquiry', referenceId: 2 ** 60 }] }, /needs a "referenceId"/],
	])('refused with the reason: %s', (_, body, problem) => {
		expect(reason(parseDelivery(body))).toMatch(problem);
	});

	test('a referenceId of exactly 64 characters is fine', () => {
		expect(deliveries(parseDelivery({ ...v2Event, affected: [{ referenceType: 'contract', referenceId: 'x'.repeat(64) }] }))[0].references[0].referenceId).toHaveLength(64);
	});

	test('more affected entries than the limit are refused', () => {
		const affected = Array.from({ length: LIMITS.maxAffected + 1 }, (_, i) => ({ referenceType: 'inquiry', referenceId: i + 1 }));
		expect(reason(parseDelivery({ ...v2Event, affected }))).toMatch(/more than \d+ affected/);
		expect(deliveries(parseDelivery({ ...v2Event, affected: affected.slice(1) }))[0].inquiries).toHaveLength(LIMITS.maxAffected);
	});

	/** A JSON object with a "toString" key cannot be turned into text: never a TypeError (→ 500, endless redelivery). */
	test.each([
		['eventType is {"toString":1}', '{"eventType":{"toString":1},"affected":[]}'],
		['event_type is [{"toString":"x"}]', '{"event_type":[{"toString":"x"}],"affected":[]}'],
		['eventType is {"valueOf":1,"toString":1}', '{"eventType":{"valueOf":1,"toString":1}}'],
		['referenceId is {"toString":1}', '{"eventType":"x","affected":[{"referenceType":"inquiry","referenceId":{"toString":1}}]}'],
	])('parseDelivery does not throw when %s', (_, json) => {
		expect(() => parseDelivery(JSON.parse(json))).not.toThrow();
		expect(parseDelivery(JSON.parse(json)).ok).toBe(false);
	});
});

describe('legacy inquiry callbacks', () => {
	test('a full inquiry item → one delivery with eventType ipnCallback and the inquiry', () => {
		const [delivery] = deliveries(parseDelivery(legacyItem));
		expect(LEGACY_EVENT_TYPE).toBe('ipnCallback');
		expect(delivery).toMatchObject({
			eventType: 'ipnCallback',
			eventId: null,
			eventTime: '2025-03-20 10:15:00',
			brokerReference: 'CRM-B-1',
			inquiries: [
				{
					inquiryId: 1878887,
					inquiry: { inquiryId: 1878887, sHash: 'bf02dfa7c7bc64c2cfb5', data: legacyItem.data, customer: legacyItem.customer, docs: legacyItem.docs },
				},
			],
			references: [],
		});
		expect(delivery.dedupKey).toBe('ipn:1878887:2025-03-20 10:15:00:bf02dfa7c7bc64c2cfb5');
	});

	test('the same inquiry updated later is a new delivery, a resend of the same state is not', () => {
		const first = deliveries(parseDelivery(legacyItem))[0].dedupKey;
		const resend = deliveries(parseDelivery(JSON.parse(JSON.stringify(legacyItem))))[0].dedupKey;
		const later = deliveries(parseDelivery({ ...legacyItem, data: { ...legacyItem.data, iUpdated: '2025-03-21 08:00:00' } }))[0].dedupKey;
		expect(resend).toBe(first);
		expect(later).not.toBe(first);
	});

	test('an object keyed by inquiry ID → one delivery per inquiry; data.iId is the ID, not the key', () => {
		const result = deliveries(
			parseDelivery({
				'1878887': legacyItem,
				'1878888': { sHash: 'x', data: { iId: '1878889', status: 3 }, customer: {}, docs: {} },
			}),
		);
		expect(result).toHaveLength(2);
		expect(result.map((delivery) => delivery.eventType)).toEqual(['ipnCallback', 'ipnCallback']);
		expect(result.map((delivery) => delivery.inquiries[0].inquiryId)).toEqual([1878887, 1878889]);
		expect(result[1].inquiries[0].inquiry?.inquiryId).toBe(1878889);
		expect(result.every((delivery) => delivery.inquiries.length === 1)).toBe(true);
	});

	test('a keyed object with one non-inquiry value is refused', () => {
		expect(reason(parseDelivery({ '1': legacyItem, note: 'hello' }))).toMatch(/neither a Thinksurance V2 event/);
	});

	test.each<[string, unknown, RegExp]>([
		['data.iId text', { data: { iId: 'abc' } }, /an inquiry callback needs the inquiry ID as an integer in "data.iId", but it is text/],
		['no data.iId', { data: { status: 2 } }, /needs the inquiry ID as an integer in "data.iId", but it is missing/],
		['no data at all', { customer: { cLastName: 'Muster' }, iId: 5 }, /"data.iId", but it is missing/],
		['data.iId a fraction', { data: { iId: 1.5 } }, /"data.iId", but it is a number/],
		['data.iId zero', { data: { iId: 0 } }, /"data.iId"/],
		['data.iId negative', { data: { iId: -4 } }, /"data.iId"/],
		['data.iId "12a"', { data: { iId: '12a' } }, /"data.iId", but it is text/],
		['data.iId ""', { data: { iId: '' } }, /"data.iId", but it is empty/],
		['data.iId an object', { data: { iId: { toString: 1 } } }, /"data.iId", but it is an object/],
		['a keyed inquiry without data.iId (the key does not count)', { '1878887': legacyItem, '1878888': { data: { status: 3 } } }, /the inquiry under "1878888" needs its ID as an integer in "data.iId"/],
	])('refused with the reason: %s', (_, body, problem) => {
		expect(reason(parseDelivery(body))).toMatch(problem);
	});

	test('data.iId as digits (how the API often sends numbers) is an integer', () => {
		expect(deliveries(parseDelivery({ data: { iId: ' 42 ' } }))[0].inquiries[0].inquiryId).toBe(42);
	});
});

describe('garbage is refused with a reason', () => {
	test.each([
		[[], /expected a JSON object, got a list/],
		[[v2Event], /expected a JSON object, got a list/],
		['InquiryCreated', /expected a JSON object, got string/],
		[42, /got number/],
		[null, /got object/],
		[true, /got boolean/],
		[{}, /neither a Thinksurance V2 event \(eventType, affected\) nor an inquiry callback/],
		[{ foo: 1 }, /neither a Thinksurance V2 event/],
		[{ data: 'x' }, /neither a Thinksurance V2 event/],
	])('%j', (body, expected) => {
		const result = parseDelivery(body);
		expect(result.ok).toBe(false);
		expect(reason(result)).toMatch(expected);
	});

	function nested(levels: number): unknown {
		let value: unknown = 'leaf';
		for (let i = 0; i < levels; i++) value = { a: value };
		return value;
	}

	test('nesting beyond the limit is refused, before anything else is read', () => {
		expect(LIMITS.maxDepth).toBe(32);
		expect(reason(parseDelivery({ ...v2Event, translations: nested(40) }))).toBe(`nested deeper than ${LIMITS.maxDepth} levels`);
		expect(reason(parseDelivery({ eventType: 'x', deep: JSON.parse(`${'['.repeat(50000)}${']'.repeat(50000)}`) }))).toMatch(/nested deeper/);
	});

	test('ordinary nesting is fine', () => {
		expect(parseDelivery({ ...v2Event, translations: nested(20) }).ok).toBe(true);
	});

	test('depthExceeds counts levels exactly', () => {
		// nested(n): the root object is depth 0, the leaf sits at depth n.
		expect(depthExceeds(nested(4), 3)).toBe(true);
		expect(depthExceeds(nested(3), 3)).toBe(false);
		expect(depthExceeds('x', 0)).toBe(false);
	});
});

describe('isSelected', () => {
	test.each<[string, unknown, boolean]>([
		['inquiryCreated', ['*'], true],
		['ipnCallback', ['*'], true],
		['somethingNew', ['*'], true],
		['inquiryCreated', ['inquiryCreated', 'inquiryOrdered'], true],
		['inquiryUpdated', ['inquiryCreated', 'inquiryOrdered'], false],
		['ipnCallback', ['inquiryCreated'], false],
		['ipnCallback', ['ipnCallback'], true],
		['inquiryCreated', 'inquiryCreated', true],
		['inquiryUpdated', 'inquiryCreated', false],
		['inquiryCreated', ['inquiryUpdated', '*'], true],
		// An empty selection is treated like "all" rather than a trigger that never fires.
		['inquiryCreated', [], true],
		['inquiryCreated', undefined, true],
	])('%s with %j → %p', (eventType, selected, expected) => {
		expect(isSelected(eventType, selected)).toBe(expected);
	});
});
