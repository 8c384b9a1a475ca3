/**
 * fast-check generators for what can be posted to the trigger's webhook: notifications as the
 * vendor sends them (V2 events with mixed references, empty eventIds, both event-type spellings;
 * legacy inquiry callbacks) and near-misses of both shapes, each one rule broken. The rules are
 * the issue's, written here independently of the parser: a near-miss must be refused.
 */
import fc from 'fast-check';

type Json = Record<string, unknown>;

/** Any JSON value, with keys that trip naive code in objects. */
const trapKey = fc.constantFrom('toString', 'valueOf', '__proto__', 'constructor', 'eventType', 'affected', 'data', 'iId', 'referenceId', 'length', '0');
export const anyJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
	value: fc.oneof({ maxDepth: 3, depthIdentifier: 'json' }, fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null)), tie('array'), tie('object')),
	array: fc.array(tie('value'), { maxLength: 3, depthIdentifier: 'json' }),
	object: fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), trapKey), tie('value'), { maxKeys: 4, depthIdentifier: 'json' }),
})).value;

const CURRENT_TYPES = ['InquiryCreated', 'InquiryUpdated', 'InquiryProposalCreated', 'InquiryOrdered'];
const SNAKE_TYPES = ['inquiry_created', 'inquiry_updated', 'inquiry_cancelled', 'tender_created', 'tender_closed', 'tender_cancelled', 'offers_created', 'offer_selected', 'booking_created', 'proposal_created', 'contract_created'];
const REFERENCE_TYPES = ['inquiry', 'consultation', 'customer', 'booking', 'contract', 'file', 'offer', 'questionnaire', 'tender'];

export const eventTypeName = fc.oneof(fc.constantFrom(...CURRENT_TYPES, ...SNAKE_TYPES), fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,20}$/));

/** A reference ID as the vendor defines it: text of 1–64 characters, or an integer. */
const referenceId = fc.oneof(
	fc.integer({ min: 1, max: 99_999_999 }).map(String),
	fc.integer({ min: 1, max: 99_999_999 }),
	fc.uuid(),
	fc.stringMatching(/^[A-Za-z0-9-]{1,64}$/),
);

const hrefFor = (type: string, id: unknown) =>
	fc.constantFrom(
		`https://ipn.thinksurance.de/api/ipn/${type}/${String(id)}`,
		`https://app.thinksurance.de/ipn/${type}/${String(id)}`,
		`https://rest.thinksurance.de/api/public/v2/notifications/47/${type}s/${String(id)}`,
		`https://elsewhere.example/${String(id)}`,
	);

const affectedEntry = fc.constantFrom(...REFERENCE_TYPES).chain((referenceType) =>
	referenceId.chain((id) =>
		fc.record(
			{
				referenceType: fc.constant(referenceType),
				referenceId: fc.constant(id),
				links: fc.array(fc.record({ contentType: fc.constant('application/json'), href: hrefFor(referenceType, id) }), { maxLength: 2 }),
			},
			{ requiredKeys: ['referenceType', 'referenceId'] },
		),
	),
);

/** A V2 event every rule accepts: mixed references, eventId empty or set, either spelling. */
export const validEvent: fc.Arbitrary<Json> = fc.record(
	{
		eventType: eventTypeName,
		eventTime: fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
		eventId: fc.oneof(fc.constant(''), fc.uuid()),
		notificationId: fc.oneof(fc.constant('ded21bfa-18cb-11ef-9fc4-0a5332324815'), fc.uuid()),
		translations: fc.constant({ eventType: { de_DE: 'Deckungsauftrag erstellt' } }),
		accountReference: fc.constantFrom('thinksurance', 'demopool'),
		brokerReference: fc.constantFrom('420', 'CRM-B-1'),
		affected: fc.array(affectedEntry, { minLength: 1, maxLength: 4 }),
	},
	{ requiredKeys: ['eventType', 'affected'] },
);

/** An inquiry ID as a legacy callback must carry it in data.iId: an integer, or digits. */
const legacyIId = fc.oneof(fc.integer({ min: 1, max: 99_999_999 }), fc.integer({ min: 1, max: 99_999_999 }).map(String));

const legacyItemWith = (iId: fc.Arbitrary<unknown>): fc.Arbitrary<Json> =>
	fc.record(
		{
			sHash: fc.stringMatching(/^[0-9a-f]{20}$/),
			data: fc.record({ iId, iUpdated: fc.constant('2025-03-20 10:15:00'), status: fc.constantFrom(2, 3, 6, 15, 25) }),
			customer: fc.constant({ cLastName: 'Muster' }),
			docs: fc.constant({ files: [] }),
		},
		{ requiredKeys: ['data'] },
	);

export const validLegacyItem = legacyItemWith(legacyIId);
/** Keyed by inquiry ID (one inquiry each, keys that need not match data.iId). */
export const validLegacyKeyed = fc.uniqueArray(validLegacyItem, { minLength: 1, maxLength: 3, selector: (item) => Number((item.data as Json).iId) }).map((items) => Object.fromEntries(items.map((item, index) => [String(1_000_000 + index), item])));

export const validNotification = fc.oneof({ weight: 3, arbitrary: validEvent }, { weight: 1, arbitrary: validLegacyItem }, { weight: 1, arbitrary: validLegacyKeyed });

const MISSING = Symbol('missing');

/** Values that are not non-empty text. */
const notText = fc.oneof(fc.constantFrom<unknown>(MISSING, '', '   ', '__', '-', null, true, false, 0, 12345, 1.5, [], ['InquiryCreated'], {}, { toString: 1 }));
/** Values that are not a referenceType (any non-blank text is one). */
const notReferenceType = fc.constantFrom<unknown>(MISSING, '', '   ', null, true, 0, 12345, 1.5, [], ['inquiry'], {}, { toString: 1 });
/** Values that are not a reference ID (text ≤ 64 characters or a safe integer). */
const notReferenceId = fc.oneof(
	fc.constantFrom<unknown>(MISSING, '', '  ', null, true, 1.5, -0.5, 2 ** 60, Number.MAX_SAFE_INTEGER + 2, [], [1], {}, { toString: 1 }),
	fc.integer({ min: 65, max: 200 }).map((length) => 'x'.repeat(length)),
);
/** Values that are not an integer data.iId. */
const notIId = fc.constantFrom<unknown>(MISSING, 'abc', '', ' ', '12a', '1e3', '1.0', '-3', 0, -1, 1.5, 2 ** 60, null, true, [], [5], {}, { toString: 1 });
/** Values that are not a non-empty list of objects. */
const notAffected = fc.constantFrom<unknown>(MISSING, [], {}, 'inquiry', 7, null, true, [null], ['1878887'], [7], [[]], [{}]);

function set(object: Json, key: string, value: unknown): Json {
	const copy = { ...object };
	if (value === MISSING) delete copy[key];
	else copy[key] = value;
	return copy;
}

/** A valid event with exactly one rule broken (the snake_case twin keys are broken alike). */
export const nearMissEvent: fc.Arbitrary<Json> = fc.oneof(
	fc.tuple(validEvent, notText).map(([event, value]) => set(event, 'eventType', value)),
	fc.tuple(validEvent, notText).map(([event, value]) => set(set(event, 'eventType', MISSING), 'event_type', value)),
	fc.tuple(validEvent, notAffected).map(([event, value]) => set(event, 'affected', value)),
	fc.tuple(validEvent, fc.nat(), fc.constantFrom<unknown>(null, 'inquiry', 1878887, [], true)).map(([event, at, value]) => {
		const affected = [...(event.affected as unknown[])];
		affected[at % affected.length] = value;
		return { ...event, affected };
	}),
	fc.tuple(validEvent, fc.nat(), notReferenceType).map(([event, at, value]) => {
		const affected = [...(event.affected as Json[])];
		affected[at % affected.length] = set(affected[at % affected.length], 'referenceType', value);
		return { ...event, affected };
	}),
	fc.tuple(validEvent, fc.nat(), notReferenceId).map(([event, at, value]) => {
		const affected = [...(event.affected as Json[])];
		affected[at % affected.length] = set(affected[at % affected.length], 'referenceId', value);
		return { ...event, affected };
	}),
);

/** A valid legacy callback with exactly one rule broken. */
export const nearMissLegacy: fc.Arbitrary<Json> = fc.oneof(
	fc.tuple(validLegacyItem, notIId).map(([item, value]) => ({ ...item, data: set(item.data as Json, 'iId', value) })),
	// No data object at all: an inquiry without data.iId, even with a top-level iId.
	fc.tuple(validLegacyItem, fc.constantFrom<unknown>(MISSING, 'x', 5, [], null)).map(([item, value]) => ({ ...set(item, 'data', value), iId: 5, customer: { cLastName: 'Muster' } })),
	// A keyed object: one inquiry without an integer data.iId (its key is digits, which does not count).
	fc.tuple(validLegacyKeyed, notIId).map(([keyed, value]) => {
		const [firstKey, first] = Object.entries(keyed)[0];
		return { ...keyed, [firstKey]: { ...first, data: set(first.data as Json, 'iId', value) } };
	}),
	fc.tuple(validLegacyKeyed, anyJson.filter((value) => value === null || typeof value !== 'object')).map(([keyed, value]) => ({ ...keyed, note: value })),
);

/** Exactly what JSON.parse of a posted body gives (no undefined, no -0, no NaN). */
export const asPosted = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null') as unknown;
