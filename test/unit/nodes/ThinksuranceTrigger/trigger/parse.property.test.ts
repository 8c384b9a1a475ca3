/**
 * Property: whatever JSON is posted to the webhook, parseDelivery answers (never throws), and an
 * accepted body always gives well-formed deliveries the trigger can turn into items.
 */
import fc from 'fast-check';

import { parseDelivery, type Delivery, type ParseResult } from '../../../../../nodes/ThinksuranceTrigger/trigger/parse';
import { asPosted, nearMissEvent, nearMissLegacy, validEvent, validNotification } from '../../../../support/notification-arbitraries';

const NUM_RUNS = 2500;
const NEAR_MISS_RUNS = 3000;
const stats = { tried: 0, accepted: 0, refused: 0 };

afterAll(() => {
	// eslint-disable-next-line no-console
	console.log(
		`[property] parseDelivery: ${stats.tried} bodies tried (${stats.accepted} accepted, ${stats.refused} refused)`,
	);
});

/** Keys that trip naive code: prototype names and the keys the parser looks for. */
const trapKey = fc.constantFrom(
	'toString',
	'valueOf',
	'__proto__',
	'constructor',
	'hasOwnProperty',
	'eventType',
	'event_type',
	'affected',
	'data',
	'customer',
	'docs',
	'iId',
	'referenceId',
	'links',
	'href',
	'length',
	'0',
);
const key = fc.oneof(fc.string({ maxLength: 8 }), trapKey);
const leaf = fc.oneof(
	fc.string({ maxLength: 12 }),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
	fc.constantFrom('', ' ', '1878887', '00123', '1e3', '-1', '99999999999999999999', 'https://x/api/ipn/inquiry/42'),
);
/** Any JSON value, with trap keys in objects. */
const anyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
	value: fc.oneof({ maxDepth: 4, depthIdentifier: 'json' }, leaf, tie('array'), tie('object')),
	array: fc.array(tie('value'), { maxLength: 4, depthIdentifier: 'json' }),
	object: fc.dictionary(key, tie('value'), { maxKeys: 5, depthIdentifier: 'json' }),
})).value;

/** A value that is sometimes right, sometimes anything. */
const maybe = <T>(right: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: right as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: anyJson });

const eventTypeName = fc.constantFrom(
	'InquiryCreated',
	'inquiry_created',
	'INQUIRY_UPDATED',
	'InquiryProposalCreated',
	'inquiry-ordered',
	'',
	'   ',
	'Inquiry__Created',
	'_',
);
const href = fc.oneof(
	fc.nat().map((id) => `https://ipn.thinksurance.de/api/ipn/inquiry/${id}`),
	fc.nat().map((id) => `/api/ipn/inq/${id}?x=1`),
	fc.webUrl(),
);
const affectedEntry = maybe(
	fc.record(
		{
			referenceType: maybe(fc.constantFrom('inquiry', 'customer', '')),
			referenceId: maybe(fc.oneof(fc.nat().map(String), fc.nat(), fc.constant(''))),
			reference_id: maybe(fc.nat()),
			links: maybe(fc.array(maybe(fc.record({ href: maybe(href), contentType: maybe(fc.constant('application/json')) }, { requiredKeys: [] })), { maxLength: 3 })),
		},
		{ requiredKeys: [] },
	),
);
const v2Event = fc.record(
	{
		eventType: maybe(eventTypeName),
		event_type: maybe(eventTypeName),
		eventTime: maybe(fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
		eventId: maybe(fc.uuid()),
		event_id: maybe(fc.uuid()),
		notificationId: maybe(fc.uuid()),
		accountReference: maybe(fc.string()),
		broker_reference: maybe(fc.string()),
		translations: anyJson,
		affected: maybe(fc.array(affectedEntry, { maxLength: 4 })),
	},
	{ requiredKeys: [] },
);
const inquiryItem = fc.record(
	{
		sHash: maybe(fc.string()),
		iId: maybe(fc.nat()),
		data: maybe(
			fc.record(
				{ iId: maybe(fc.oneof(fc.nat(), fc.nat().map(String))), iUpdated: maybe(fc.string()), iCreated: maybe(fc.string()), bExternalId: maybe(fc.string()), status: maybe(fc.nat()) },
				{ requiredKeys: [] },
			),
		),
		customer: maybe(fc.dictionary(fc.string({ maxLength: 6 }), leaf, { maxKeys: 3 })),
		docs: maybe(fc.record({ docToken: anyJson, files: anyJson }, { requiredKeys: [] })),
	},
	{ requiredKeys: [] },
);
const keyedItems = fc.dictionary(fc.oneof(fc.nat().map(String), fc.string({ maxLength: 5 })), maybe(inquiryItem), { minKeys: 1, maxKeys: 4 });

/** What Thinksurance (or anyone) could post: arbitrary JSON, near-valid events and callbacks. */
const body = fc
	.oneof(
		{ weight: 2, arbitrary: fc.jsonValue() },
		{ weight: 1, arbitrary: anyJson },
		{ weight: 3, arbitrary: v2Event },
		{ weight: 2, arbitrary: inquiryItem },
		{ weight: 2, arbitrary: keyedItems },
	)
	// Exactly what JSON.parse of a posted body gives (own "__proto__" keys, no -0/NaN/undefined).
	.map((value) => JSON.parse(JSON.stringify(value) ?? 'null') as unknown);

const isNullableText = (value: unknown) => value === null || typeof value === 'string';

function check(condition: unknown, problem: string, input: unknown, result: ParseResult): void {
	if (!condition) throw new Error(`${problem}\n  input: ${JSON.stringify(input)}\n  result: ${JSON.stringify(result)}`);
}

test('parseDelivery never throws, and accepted bodies give well-formed deliveries', () => {
	fc.assert(
		fc.property(body, (input) => {
			stats.tried++;
			const result = parseDelivery(input);
			check(result && typeof result === 'object' && typeof result.ok === 'boolean', 'no ParseResult', input, result);
			if (!result.ok) {
				stats.refused++;
				check(typeof result.reason === 'string' && result.reason.length > 0, 'refusal without reason', input, result);
				return;
			}
			stats.accepted++;
			check(Array.isArray(result.deliveries) && result.deliveries.length > 0, 'ok without deliveries', input, result);
			for (const delivery of result.deliveries) {
				check(typeof delivery.eventType === 'string' && delivery.eventType.length > 0, 'eventType not text', input, result);
				check(!/[\s_.:/-]/.test(delivery.eventType), 'eventType still has separators', input, result);
				check(Array.isArray(delivery.inquiries) && Array.isArray(delivery.references), 'inquiries or references not a list', input, result);
				for (const field of ['eventId', 'eventTime', 'notificationId', 'accountReference', 'brokerReference'] as const) {
					check(isNullableText(delivery[field]), `${field} not text or null`, input, result);
				}
				check(typeof delivery.dedupKey === 'string' && delivery.dedupKey.length > 0, 'no dedup key', input, result);
				for (const affected of delivery.inquiries) {
					const id = affected.inquiryId;
					check(typeof id === 'string' || typeof id === 'number', 'inquiryId not number|string', input, result);
					check(affected.inquiry === null || typeof affected.inquiry === 'object', 'inquiry neither object nor null', input, result);
				}
				for (const reference of delivery.references) {
					check(typeof reference.referenceType === 'string' && reference.referenceType.toLowerCase() !== 'inquiry', 'an inquiry among the references', input, result);
					check(typeof reference.referenceId === 'string' && reference.referenceId.length <= 64, 'referenceId not text of at most 64', input, result);
				}
				if (delivery.eventType === 'ipnCallback') {
					check(delivery.inquiries.length === 1 && delivery.inquiries[0].inquiry !== null, 'legacy delivery without its inquiry', input, result);
					check(Number.isSafeInteger(delivery.inquiries[0].inquiryId), 'legacy inquiry ID not an integer', input, result);
				} else {
					check(delivery.inquiries.length + delivery.references.length > 0, 'an event that names nothing', input, result);
				}
			}
		}),
		{ numRuns: NUM_RUNS },
	);
	// Both outcomes must be reached, or the generators are too narrow to say anything.
	expect(stats.accepted).toBeGreaterThan(NUM_RUNS / 10);
	expect(stats.refused).toBeGreaterThan(NUM_RUNS / 10);
});

test('parseDelivery never throws on deeply nested JSON either', () => {
	let tried = 0;
	fc.assert(
		fc.property(fc.nat({ max: 3000 }), fc.constantFrom('[', '{"a":'), fc.boolean(), (depth, open, asEvent) => {
			tried++;
			const close = open === '[' ? ']' : '}';
			const deep = JSON.parse(`${open.repeat(depth)}1${close.repeat(depth)}`) as unknown;
			const result = parseDelivery(asEvent ? { eventType: 'InquiryCreated', affected: [], extra: deep } : deep);
			if (depth > 40) expect(result.ok).toBe(false);
		}),
		{ numRuns: 200 },
	);
	stats.tried += tried;
});

function accepted(input: unknown): Delivery[] {
	const result = parseDelivery(input);
	if (!result.ok) throw new Error(`a valid notification was refused: ${result.reason}\n  input: ${JSON.stringify(input)}`);
	return result.deliveries;
}

test('near-misses of both shapes (one rule broken) are all refused, with a reason', () => {
	const seen = { event: 0, legacy: 0 };
	fc.assert(
		fc.property(fc.oneof(nearMissEvent.map((body) => ['event', body] as const), nearMissLegacy.map((body) => ['legacy', body] as const)), ([shape, raw]) => {
			const input = asPosted(raw);
			stats.tried++;
			seen[shape]++;
			const result = parseDelivery(input);
			check(!result.ok && result.reason.length > 0, 'a near-miss was accepted', input, result);
			stats.refused++;
		}),
		{ numRuns: NEAR_MISS_RUNS },
	);
	expect(seen.event).toBeGreaterThan(NEAR_MISS_RUNS / 4);
	expect(seen.legacy).toBeGreaterThan(NEAR_MISS_RUNS / 4);
});

test('notifications as the vendor sends them are all accepted: inquiries are the inquiry references, the rest ride along', () => {
	fc.assert(
		fc.property(validNotification.map(asPosted), (input) => {
			stats.tried++;
			stats.accepted++;
			const deliveries = accepted(input);
			const body = input as Record<string, unknown>;
			if (!Array.isArray(body.affected)) {
				expect(deliveries.every((delivery) => delivery.eventType === 'ipnCallback')).toBe(true);
				return;
			}
			const entries = (body.affected as Array<{ referenceType: string; referenceId: string | number }>).map((entry) => ({ ...entry, referenceId: String(entry.referenceId) }));
			const [delivery] = deliveries;
			const inquiryIds = [...new Set(entries.filter((entry) => entry.referenceType === 'inquiry').map((entry) => (/^\d{1,15}$/.test(entry.referenceId) ? String(Number(entry.referenceId)) : entry.referenceId)))];
			expect(delivery.inquiries.map((entry) => String(entry.inquiryId))).toEqual(inquiryIds);
			expect(delivery.references).toEqual(entries.filter((entry) => entry.referenceType !== 'inquiry').map(({ referenceType, referenceId }) => ({ referenceType, referenceId })));
			expect(delivery.dedupKey).toEqual(body.eventId ? `event:${String(body.eventId)}` : expect.stringMatching(/^fingerprint:/));
			// The same body again is recognised as a redelivery.
			expect(accepted(asPosted(input))[0].dedupKey).toBe(delivery.dedupKey);
		}),
		{ numRuns: NUM_RUNS },
	);
});

test('two events without eventId share a key only when type, time, notification and references are the same', () => {
	const withoutEventId = validEvent.map((event) => asPosted({ ...event, eventId: '', notificationId: 'ded21bfa-18cb-11ef-9fc4-0a5332324815' }) as Record<string, unknown>);
	const identity = (event: Record<string, unknown>) => {
		const [delivery] = accepted(event);
		const references = (event.affected as Array<{ referenceType: string; referenceId: unknown }>).map((entry) => [entry.referenceType, String(entry.referenceId)]);
		return JSON.stringify([delivery.eventType, event.eventTime ?? null, references]);
	};
	let different = 0;
	fc.assert(
		fc.property(withoutEventId, withoutEventId, (a, b) => {
			stats.tried += 2;
			stats.accepted += 2;
			const same = identity(a) === identity(b);
			if (!same) different++;
			expect(accepted(a)[0].dedupKey === accepted(b)[0].dedupKey).toBe(same);
		}),
		{ numRuns: 1000 },
	);
	expect(different).toBeGreaterThan(900);
});
