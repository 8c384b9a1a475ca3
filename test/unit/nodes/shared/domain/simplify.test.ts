import { parseInquiryItem } from '../../../../../nodes/shared/domain/responses';
import { simplifyInquiry, statusName } from '../../../../../nodes/shared/domain/simplify';
import inquiry1878881 from '../../../../fixtures/thinksurance/inquiry-1878881.json';

const simplified = (raw: unknown, key?: string) => simplifyInquiry(parseInquiryItem(raw, key)!);

describe('simplifyInquiry', () => {
	test('the full fixture inquiry: readable status, premium in euros, customer name, document count', () => {
		expect(simplified(inquiry1878881)).toEqual({
			inquiryId: 1878881,
			status: 6,
			statusName: 'ordered',
			productName: 'Betriebshaftpflicht',
			professionName: 'Elektroinstallateur',
			industryName: 'Handwerk',
			brokerExternalId: 'CRM-B-1',
			customerExternalId: 'C-100',
			customerName: 'Thomas Müller',
			customerCompany: 'Müller Elektro GmbH',
			customerEmail: 'thomas.mueller@example.de',
			insuranceCompanyName: 'Allianz Versicherungs-AG',
			premiumYearlyEur: 459,
			coverage: 'unbegrenzt',
			deductible: 250,
			contractStartDate: null,
			created: '2025-03-20 10:15:00',
			updated: '2025-03-21 09:00:00',
			documentCount: 3,
		});
	});

	test('"" is null, numeric text becomes a number, cents are divided by 100', () => {
		const item = simplified({
			data: { iId: '42', status: '', premiumYearly: '45999', coverage: '5000000', deductible: '', productName: ' ', contractStartDate: '2025-04-01' },
			customer: { cFirstName: 'Anna', cLastName: '', cCompany: '', cExternalId: 1234 },
			docs: { files: { a: { name: 'x.pdf' }, b: { name: 'y.pdf' } } },
		});
		expect(item).toMatchObject({
			inquiryId: 42,
			status: null,
			statusName: null,
			premiumYearlyEur: 459.99,
			coverage: 5000000,
			deductible: null,
			productName: null,
			contractStartDate: '2025-04-01',
			customerName: 'Anna',
			customerCompany: null,
			customerExternalId: '1234',
			documentCount: 2,
		});
	});

	test('an unknown status keeps its number and has no name; nothing fails on odd values', () => {
		expect(simplified({ data: { status: 25, premiumYearly: 'n/a' }, customer: [], docs: 'none' }, '7')).toMatchObject({
			inquiryId: 7,
			status: 25,
			statusName: null,
			premiumYearlyEur: null,
			customerName: null,
			documentCount: 0,
		});
		expect([2, 3, 4, 6, 15, 99].map(statusName)).toEqual(['tendering (lead)', 'tendering', 'calculated', 'ordered', 'proposal created', null]);
	});
});
