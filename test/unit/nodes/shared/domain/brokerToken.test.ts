/** Get Broker Token: the look-up body, the refused field in the user's words, the answers of both dialects, the catalogue. */
import { NodeApiError, type INode } from 'n8n-workflow';

import { brokerTokenRequest, refusedBrokerField } from '../../../../../nodes/shared/domain/brokerBody';
import { isExistingBroker, isNoSuchBroker } from '../../../../../nodes/shared/domain/brokers';
import { InputError } from '../../../../../nodes/shared/domain/input';
import { parseBrokerTokenAnswer, parseCatalogue } from '../../../../../nodes/shared/domain/responses';

const base = { accountToken: 'atok-1', brokerExternalId: 'CRM-1', mappingType: 1, email: 'max@makler.de', emailRequired: true };

describe('brokerTokenRequest', () => {
	test('the look-up fields only; the account beside the body', () => {
		expect(brokerTokenRequest({ ...base, brokerFields: { lastName: 'Neumann', firstName: 'Max', city: 'Köln' } })).toEqual({
			account: 'atok-1',
			brokerExternalId: 'CRM-1',
			body: { type: 1, bExternalId: 'CRM-1', bEmail: 'max@makler.de', bLastName: 'Neumann' },
		});
	});

	test('company instead of last name; e-mail from Broker Fields; mapping type 2 as text', () => {
		const { body } = brokerTokenRequest({ ...base, email: '', mappingType: '2', brokerFields: { company: 'Makler GmbH', email: 'info@makler.de' } });
		expect(body).toEqual({ type: 2, bExternalId: 'CRM-1', bEmail: 'info@makler.de', bCompany: 'Makler GmbH' });
	});

	test('V1 without e-mail: no bEmail', () => {
		expect(brokerTokenRequest({ ...base, email: '', emailRequired: false, brokerFields: { lastName: 'N' } }).body).not.toHaveProperty('bEmail');
	});

	test.each([
		[{ brokerFields: {} }, 'Broker Fields → Last Name', '"Broker Fields → Last Name" or "Broker Fields → Company"'],
		[{ email: '', brokerFields: { lastName: 'N' } }, 'E-Mail', '"E-Mail" is required'],
		[{ email: 'a@b.de;', brokerFields: { lastName: 'N' } }, 'E-Mail', 'not a bare e-mail address'],
		[{ mappingType: 3, brokerFields: { lastName: 'N' } }, 'Mapping Type', 'must be one of 1, 2'],
		[{ brokerExternalId: ' ', brokerFields: { lastName: 'N' } }, 'Broker External ID', 'is required'],
	])('%j → InputError naming %s', (change, field, text) => {
		let caught: unknown;
		try {
			brokerTokenRequest({ ...base, ...change });
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(InputError);
		expect((caught as InputError).field).toBe(field);
		expect((caught as InputError).message).toContain(text);
	});
});

test.each([
	['BrokerAPI: Invalid parameters: bEmail', 'E-Mail'],
	['BrokerAPI: Invalid parameters: bLastName', 'Broker Fields → Last Name'],
	['BrokerAPI: Invalid parameters: bZip', 'Broker Fields → ZIP Code'],
	['BrokerAPI: Invalid parameters: type', 'Mapping Type'],
	['Invalid parameters: somethingNew', 'somethingNew'],
	['BrokerAPI: Invalid parameters', undefined],
	[undefined, undefined],
])('refusedBrokerField(%j) = %j', (reason, field) => {
	expect(refusedBrokerField(reason)).toBe(field);
});

describe('which failures mean "no such broker"', () => {
	const node = { name: 'Thinksurance' } as INode;
	const failure = (failureKind: string, apiReason?: string) => {
		const error = new NodeApiError(node, { message: 'x' });
		error.context.failureKind = failureKind;
		if (apiReason) error.context.apiReason = apiReason;
		return error;
	};

	test.each<[NodeApiError | Error, boolean]>([
		[failure('notFound', 'Broker Api: no broker found for the provided request.'), true],
		[failure('notFound'), true],
		[failure('notFound', 'Account not found.'), false],
		[failure('apiError', 'Broker Api: no broker found for the provided request.'), true],
		[failure('apiError', 'Broker does not exist'), true],
		[failure('apiError', 'Broker not found.'), true],
		[failure('apiError', 'Account not found.'), false],
		[failure('sessionInvalid', 'Security token is invalid or expired.'), false],
		[failure('serverError'), false],
		[new Error('no broker'), false],
	])('%#', (error, expected) => {
		expect(isNoSuchBroker(error)).toBe(expected);
	});

	test('"already exists" refusals', () => {
		expect(isExistingBroker(failure('apiError', 'Broker Api: a broker with this bExternalId already exists.'))).toBe(true);
		expect(isExistingBroker(failure('serverError', 'already exists'))).toBe(false);
	});
});

describe('parseBrokerTokenAnswer', () => {
	test('V1.1 {status, bToken}', () => {
		expect(parseBrokerTokenAnswer({ status: 'Broker Api: existing broker', bToken: 'b1' }, 'X')).toEqual({ brokerToken: 'b1', status: 'Broker Api: existing broker' });
	});

	test('V1 list: the entry with the external ID, its code and data; empty texts left out; status null', () => {
		expect(
			parseBrokerTokenAnswer(
				[
					{ bToken: 'b0', bExternalId: 'Y' },
					{ bToken: 'b1', bExternalId: 'X', bCode: 'CD-1', bLastName: 'Neumann', bEmail: 'n@m.de', bCompany: '' },
				],
				'X',
			),
		).toEqual({ brokerToken: 'b1', status: null, brokerCode: 'CD-1', lastName: 'Neumann', email: 'n@m.de' });
	});

	test('V1 list without external IDs: the first entry', () => {
		expect(parseBrokerTokenAnswer([{ bToken: 'b0' }, { bToken: 'b1' }], 'X')?.brokerToken).toBe('b0');
	});

	test('an empty list: no broker (null); an answer without token: not understood (undefined)', () => {
		expect(parseBrokerTokenAnswer([], 'X')).toBeNull();
		expect(parseBrokerTokenAnswer({ status: 'ok' }, 'X')).toBeUndefined();
		expect(parseBrokerTokenAnswer('text', 'X')).toBeUndefined();
	});
});

describe('parseCatalogue', () => {
	test('a list: id and name first, numeric IDs as numbers, other fields as sent', () => {
		expect(parseCatalogue([{ id: '101', name: 'Cyber', extra: true }, { id: 102 }])).toEqual([
			{ id: 101, name: 'Cyber', extra: true },
			{ id: 102, name: null },
		]);
	});

	test('wrapped or keyed by ID', () => {
		expect(parseCatalogue({ professions: [{ id: 1, name: 'A' }] })).toEqual([{ id: 1, name: 'A' }]);
		expect(parseCatalogue({ 5: 'Five', 6: { name: 'Six' } })).toEqual([
			{ id: 5, name: 'Five' },
			{ id: 6, name: 'Six' },
		]);
		expect(parseCatalogue(null)).toEqual([]);
	});
});
