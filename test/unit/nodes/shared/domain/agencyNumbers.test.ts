import {
	agencyNumbersAddBody,
	agencyNumbersDeleteBody,
	parseAgencyNumbers,
	readAgencyNumbersStatus,
	readInsurer,
} from '../../../../../nodes/shared/domain/agencyNumbers';
import { inputError } from '../../../../support/input-error';

const BAFIN = { insurerIdType: 'baFinId' as const, insurerId: '5312' };

describe('readInsurer', () => {
	test('type and ID; the ID trimmed, numbers become text, the type defaults to baFinId', () => {
		expect(readInsurer('insurerId', ' 12 ')).toEqual({ insurerIdType: 'insurerId', insurerId: '12' });
		expect(readInsurer(undefined, 5312)).toEqual(BAFIN);
		expect(readInsurer('supervisingAuthorityId', 'D-W-133-TXYZ-21').insurerIdType).toBe('supervisingAuthorityId');
	});

	test('a set without an insurer ID fails naming "Insurer ID"', () => {
		for (const id of ['', '  ', undefined, null]) {
			const error = inputError(() => readInsurer('baFinId', id));
			expect(error.field).toBe('Insurer ID');
			expect(error.message).toContain('"Insurer ID" is required');
		}
	});

	test('an unknown type (from an expression) fails naming "Insurer ID Type"', () => {
		expect(inputError(() => readInsurer('bafin', '1')).field).toBe('Insurer ID Type');
	});
});

describe('agencyNumbersAddBody', () => {
	test('one set for the insurer; fields as entered, booleans with their UI defaults, empty texts left out', () => {
		const { body, agencyNumbers } = agencyNumbersAddBody(BAFIN, {
			number: [
				{
					agencyNumber: ' ALZ-1 ',
					matchCode: 'Allianz',
					externalInsurerId: 'CRM-INS-11',
					externalUniqueId: 'U-1',
					defaultForTenders: true,
					defaultForCalculations: 'true',
					collectionType: 'mga_collection',
					internalComment: 'nur Gewerbe',
					active: false,
				},
				{ agencyNumber: 4711, matchCode: '', externalUniqueId: '' },
			],
		});
		expect(body).toEqual({
			agencyNumberSets: [
				{
					baFinId: '5312',
					agencyNumbers: [
						{
							agencyNumber: 'ALZ-1',
							matchCode: 'Allianz',
							externalInsurerId: 'CRM-INS-11',
							externalUniqueId: 'U-1',
							defaultForTenders: true,
							defaultForCalculations: true,
							collectionType: 'mga_collection',
							internalComment: 'nur Gewerbe',
							active: false,
						},
						{ agencyNumber: '4711', defaultForTenders: false, defaultForCalculations: false, active: true },
					],
				},
			],
		});
		expect(agencyNumbers).toEqual(['ALZ-1', '4711']);
	});

	test('the insurer ID goes under the chosen key', () => {
		const { body } = agencyNumbersAddBody({ insurerIdType: 'insurerId', insurerId: '12' }, { number: [{ agencyNumber: 'A' }] });
		expect(body.agencyNumberSets).toEqual([{ insurerId: '12', agencyNumbers: [expect.objectContaining({ agencyNumber: 'A' })] }]);
	});

	test('a single entry given as an object by an expression is one number', () => {
		expect(agencyNumbersAddBody(BAFIN, { number: { agencyNumber: 'A' } }).agencyNumbers).toEqual(['A']);
	});

	test('a number without agencyNumber fails naming the entry', () => {
		const error = inputError(() => agencyNumbersAddBody(BAFIN, { number: [{ agencyNumber: 'A' }, { agencyNumber: ' ', matchCode: 'x' }] }));
		expect(error.field).toBe('Agency Numbers → Agency Number (entry 2)');
		expect(error.message).toBe('"Agency Numbers → Agency Number (entry 2)" is required.');
	});

	test('the same externalUniqueId twice in one request fails naming the later entry and the first', () => {
		const error = inputError(() =>
			agencyNumbersAddBody(BAFIN, {
				number: [
					{ agencyNumber: 'A', externalUniqueId: 'U-1' },
					{ agencyNumber: 'B', externalUniqueId: 'U-2' },
					{ agencyNumber: 'C', externalUniqueId: ' U-1' },
				],
			}),
		);
		expect(error.field).toBe('Agency Numbers → External Unique ID (entry 3)');
		expect(error.message).toContain('the same as entry 1');
	});

	test('no numbers at all fails naming "Agency Numbers"', () => {
		for (const value of [{}, { number: [] }, undefined, '']) {
			const error = inputError(() => agencyNumbersAddBody(BAFIN, value));
			expect(error.field).toBe('Agency Numbers');
			expect(error.message).toContain('add at least one agency number');
		}
	});

	test('a bad boolean or a list where text belongs names the field', () => {
		expect(inputError(() => agencyNumbersAddBody(BAFIN, { number: [{ agencyNumber: 'A', active: 'maybe' }] })).field).toBe('Agency Numbers → Active (entry 1)');
		expect(inputError(() => agencyNumbersAddBody(BAFIN, { number: [{ agencyNumber: ['A'] }] })).field).toBe('Agency Numbers → Agency Number (entry 1)');
		expect(inputError(() => agencyNumbersAddBody(BAFIN, { number: ['A'] })).field).toBe('Agency Numbers (entry 1)');
	});
});

describe('agencyNumbersDeleteBody', () => {
	test('each entry by agency number or external insurer ID; the agency number wins', () => {
		const { body, deleted } = agencyNumbersDeleteBody(BAFIN, {
			number: [{ agencyNumber: 'ALZ-1' }, { externalInsurerId: 'CRM-INS-11' }, { agencyNumber: 'ALZ-2', externalInsurerId: 'CRM-INS-12' }],
		});
		expect(body).toEqual({
			agencyNumberSets: [{ baFinId: '5312', agencyNumbers: [{ agencyNumber: 'ALZ-1' }, { externalInsurerId: 'CRM-INS-11' }, { agencyNumber: 'ALZ-2' }] }],
		});
		expect(deleted).toEqual(['ALZ-1', 'CRM-INS-11', 'ALZ-2']);
	});

	test('no entries: there is no "delete all"', () => {
		const error = inputError(() => agencyNumbersDeleteBody(BAFIN, {}));
		expect(error.field).toBe('Agency Numbers');
		expect(error.message).toContain('add at least one agency number to delete');
	});

	test('an entry with neither field fails naming the entry', () => {
		const error = inputError(() => agencyNumbersDeleteBody(BAFIN, { number: [{ agencyNumber: 'A' }, { agencyNumber: '', externalInsurerId: ' ' }] }));
		expect(error.field).toBe('Agency Numbers → Agency Number (entry 2)');
		expect(error.message).toContain('set "Agency Number" or "External Insurer ID"');
	});
});

describe('parseAgencyNumbers', () => {
	const number = { agencyNumber: 'ALZ-1', matchCode: 'Allianz', externalInsurerId: 'CRM-INS-11', externalUniqueId: 'U-1', defaultForTenders: true, defaultForCalculations: false, collectionType: 'insurer_collection', internalComment: '', active: true };
	const item = (extra: object) => ({ ...number, internalComment: null, baFinId: null, insurerId: null, supervisingAuthorityId: null, ...extra });

	test('the table\'s key agencyNumberSets: one item per number, the set\'s insurer IDs on each', () => {
		const answer = {
			agencyNumberSets: [
				{ baFinId: '5312', agencyNumbers: [number, { ...number, agencyNumber: 'ALZ-2' }] },
				{ insurerId: 12, agencyNumbers: [{ agencyNumber: 'AXA-1' }] },
			],
		};
		expect(parseAgencyNumbers(answer)).toEqual([
			item({ baFinId: '5312' }),
			item({ baFinId: '5312', agencyNumber: 'ALZ-2' }),
			{
				agencyNumber: 'AXA-1',
				matchCode: null,
				externalInsurerId: null,
				externalUniqueId: null,
				defaultForTenders: null,
				defaultForCalculations: null,
				collectionType: null,
				internalComment: null,
				active: null,
				baFinId: null,
				insurerId: 12,
				supervisingAuthorityId: null,
			},
		]);
	});

	test('the example\'s key agencyNumbers and V1\'s spelling baFinRegNr', () => {
		expect(parseAgencyNumbers({ agencyNumbers: [{ baFinRegNr: '7002', supervisingAuthorityId: 'D-1', agencyNumbers: [number] }] })).toEqual([
			item({ baFinId: '7002', supervisingAuthorityId: 'D-1' }),
		]);
	});

	test('a bare list of sets, a single set object, a flat list of numbers, an empty answer', () => {
		expect(parseAgencyNumbers([{ baFinId: '1', agencyNumbers: [number] }])).toEqual([item({ baFinId: '1' })]);
		expect(parseAgencyNumbers({ agencyNumberSets: { baFinId: '1', agencyNumbers: [number] } })).toEqual([item({ baFinId: '1' })]);
		expect(parseAgencyNumbers({ agencyNumbers: [{ ...number, baFinId: '2' }] })).toEqual([item({ baFinId: '2' })]);
		expect(parseAgencyNumbers({ agencyNumberSets: [] })).toEqual([]);
	});

	test('no agency-number answer at all: undefined', () => {
		expect(parseAgencyNumbers({ status: 'ok' })).toBeUndefined();
		expect(parseAgencyNumbers('text')).toBeUndefined();
		expect(parseAgencyNumbers(null)).toBeUndefined();
	});
});

test('readAgencyNumbersStatus: the status text, else null', () => {
	expect(readAgencyNumbersStatus({ status: 'Agency numbers saved.' })).toBe('Agency numbers saved.');
	expect(readAgencyNumbersStatus({})).toBeNull();
	expect(readAgencyNumbersStatus([])).toBeNull();
	expect(readAgencyNumbersStatus('')).toBeNull();
});
