import type { INodePropertyOptions } from 'n8n-workflow';

import {
	ACCOUNT_TYPES,
	DOCUMENT_PURPOSES,
	INQUIRY_STATUSES,
	LEGAL_FORMS,
	MAPPING_TYPES,
	PRIVATE_IS_COMPANY_ADDRESS,
	SALUTATIONS,
	TITLES,
	values,
} from '../../../../../nodes/shared/domain/enums';

const valueOf = (options: INodePropertyOptions[], name: string) => options.find((option) => option.name === name)?.value;

/** Saved workflows store these numbers: they are the API's and must never shift. */
describe('enum values are the API numbers', () => {
	test('salutation / gender', () => {
		expect(values(SALUTATIONS)).toEqual([1, 2]);
		expect(SALUTATIONS.map((option) => option.name)).toEqual(['Mr', 'Ms']);
		expect(SALUTATIONS[1].name).toMatch(/Frau|Ms/);
	});

	test('titles 1–24 in the documented order', () => {
		expect(values(TITLES)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
		expect(valueOf(TITLES, 'Dr.')).toBe(1);
		expect(valueOf(TITLES, 'Prof. Dr.')).toBe(3);
		expect(valueOf(TITLES, 'Dr. med.')).toBe(10);
		expect(valueOf(TITLES, 'Priv.-doz. Dr.')).toBe(16);
		expect(valueOf(TITLES, 'Dipl.-Med.')).toBe(24);
	});

	test('legal forms 1–10 in the documented order', () => {
		expect(values(LEGAL_FORMS)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
		expect(valueOf(LEGAL_FORMS, 'AG')).toBe(1);
		expect(valueOf(LEGAL_FORMS, 'GmbH')).toBe(4);
		expect(valueOf(LEGAL_FORMS, 'UG (haftungsbeschränkt)')).toBe(9);
	});

	test('mapping type, account type, private-is-company address', () => {
		expect(values(MAPPING_TYPES)).toEqual([1, 2]);
		expect(values(ACCOUNT_TYPES)).toEqual([0, 1]);
		expect(ACCOUNT_TYPES[0].name).toMatch(/Company/);
		expect(values(PRIVATE_IS_COMPANY_ADDRESS)).toEqual([0, 1]);
	});

	test('inquiry statuses seen in the API', () => {
		expect(values(INQUIRY_STATUSES)).toEqual(expect.arrayContaining([2, 3, 4, 6, 15, 25]));
	});

	test('document purposes are the API strings', () => {
		expect(DOCUMENT_PURPOSES.map((option) => option.value).sort()).toEqual(
			['consultationDocument', 'insurer_docs', 'orderDocument', 'upload_file'].sort(),
		);
	});

	test.each([
		['SALUTATIONS', SALUTATIONS],
		['TITLES', TITLES],
		['LEGAL_FORMS', LEGAL_FORMS],
		['MAPPING_TYPES', MAPPING_TYPES],
		['ACCOUNT_TYPES', ACCOUNT_TYPES],
		['PRIVATE_IS_COMPANY_ADDRESS', PRIVATE_IS_COMPANY_ADDRESS],
		['INQUIRY_STATUSES', INQUIRY_STATUSES],
		['DOCUMENT_PURPOSES', DOCUMENT_PURPOSES],
	])('%s has unique values and unique labels', (_, options) => {
		expect(new Set(options.map((option) => option.value)).size).toBe(options.length);
		expect(new Set(options.map((option) => option.name)).size).toBe(options.length);
	});
});
