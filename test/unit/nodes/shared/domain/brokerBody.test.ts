import type { IDataObject } from 'n8n-workflow';

import {
	buildBrokerForwardBody,
	buildCallbackFields,
	buildCallbackRegistrationBody,
	buildCreateBrokerBody,
	buildCustomerFields,
	normaliseQuestionnaire,
	readExternalReferences,
	type BrokerForwardInput,
} from '../../../../../nodes/shared/domain/brokerBody';
import { inputError } from '../../../../support/input-error';

/** No key of a body (at any depth) may hold undefined: it must simply be absent. */
function expectNoUndefined(value: unknown, path = 'body'): void {
	if (Array.isArray(value)) {
		value.forEach((entry, index) => expectNoUndefined(entry, `${path}[${index}]`));
		return;
	}
	if (value && typeof value === 'object') {
		for (const [key, entry] of Object.entries(value)) {
			if (entry === undefined) throw new Error(`${path}.${key} is undefined`);
			expectNoUndefined(entry, `${path}.${key}`);
		}
	}
}

const minimal: BrokerForwardInput = { brokerToken: 'bt-1', brokerExternalId: 'CRM-B-1', mappingType: 1 };

const forward = (extra: Partial<BrokerForwardInput>) => buildBrokerForwardBody({ ...minimal, ...extra });

describe('buildBrokerForwardBody — broker', () => {
	test('the minimal body has only mapping type, broker token and external ID', () => {
		const body = forward({});
		expect(body).toEqual({ type: 1, bToken: 'bt-1', bExternalId: 'CRM-B-1' });
		expectNoUndefined(body);
	});

	test('mapping type: default 1, numeric text accepted, only 1 and 2 allowed', () => {
		expect(forward({ mappingType: undefined }).type).toBe(1);
		expect(forward({ mappingType: '' }).type).toBe(1);
		expect(forward({ mappingType: '2' }).type).toBe(2);
		const error = inputError(() => forward({ mappingType: 3 }));
		expect(error.message).toContain('"Mapping Type" must be one of 1, 2 but is 3');
	});

	test('broker token is trimmed and required, external ID required', () => {
		expect(forward({ brokerToken: '  bt-1 \n' }).bToken).toBe('bt-1');
		expect(inputError(() => forward({ brokerToken: ' ' })).field).toBe('Broker Token');
		expect(inputError(() => forward({ brokerExternalId: null })).field).toBe('Broker External ID');
		expect(forward({ brokerExternalId: 4711 }).bExternalId).toBe('4711');
	});

	test('every broker field gets its API name', () => {
		const body = forward({
			brokerFields: {
				gender: 2,
				firstName: 'Eva',
				lastName: 'Muster',
				email: 'eva@example.de',
				company: 'Muster GmbH',
				street: 'Hauptstr.',
				streetNumber: '1a',
				zip: '80331',
				city: 'München',
				phone: '+49 89 1',
				companyRegNumber: 'HRB 1',
				regNumber: 'D-ABCD-1',
			},
		});
		expect(body).toEqual({
			type: 1,
			bToken: 'bt-1',
			bExternalId: 'CRM-B-1',
			bGender: 2,
			bFirstName: 'Eva',
			bLastName: 'Muster',
			bEmail: 'eva@example.de',
			bCompany: 'Muster GmbH',
			bStreet: 'Hauptstr.',
			bStreetNumber: '1a',
			bZip: '80331',
			bCity: 'München',
			bPhone: '+49 89 1',
			bCompanyRegNumber: 'HRB 1',
			bRegNumber: 'D-ABCD-1',
		});
	});

	test('numbers in text fields are sent as text (ZIP codes from spreadsheets)', () => {
		expect(forward({ brokerFields: { zip: 80331 } }).bZip).toBe('80331');
	});

	test.each([
		[true, true],
		[false, false],
		['false', false],
		[0, false],
		['1', true],
	])('isActive %p → bIsActive %p (a boolean)', (isActive, expected) => {
		const body = forward({ brokerFields: { isActive } });
		expect(body.bIsActive).toBe(expected);
		expect(body).not.toHaveProperty('isActive');
	});

	test('isActive not given → bIsActive not sent', () => {
		expect(forward({ brokerFields: { firstName: 'Eva' } })).not.toHaveProperty('bIsActive');
	});

	test('a broker e-mail with a trailing ";" is refused naming the broker field', () => {
		const error = inputError(() => forward({ brokerFields: { email: 'eva@example.de;' } }));
		expect(error.field).toBe('Broker Fields → E-Mail');
		expect(error.message).toMatch(/trailing ";"/);
	});

	test('gender outside 1/2 is refused', () => {
		expect(inputError(() => forward({ brokerFields: { gender: 3 } })).field).toBe('Broker Fields → Gender');
		expect(forward({ brokerFields: { gender: '1' } }).bGender).toBe(1);
	});

	test('a collection given as a list or text is refused naming it', () => {
		expect(inputError(() => forward({ brokerFields: [{ firstName: 'x' }] })).field).toBe('Broker Fields');
		expect(inputError(() => forward({ customerFields: 'x' })).field).toBe('Customer Fields');
		expect(inputError(() => forward({ callbackFields: 1 })).field).toBe('Callback Fields');
		expect(inputError(() => forward({ inquiryFields: [] })).field).toBe('Inquiry Fields');
	});

	test('a text field given a list is refused naming the field', () => {
		const error = inputError(() => forward({ brokerFields: { city: ['München'] } }));
		expect(error.field).toBe('Broker Fields → City');
		expect(error.message).toContain('must be text but is a list');
	});
});

describe('callback fields', () => {
	test('callbackUrl → fullCallback 0 + callbackUrl', () => {
		expect(buildCallbackFields({ callbackUrl: 'https://crm.example.de/cb' })).toEqual({
			fullCallback: 0,
			callbackUrl: 'https://crm.example.de/cb',
		});
	});

	test('testCallbackUrl → mvpFullCallback 0 + mvpCallbackUrl', () => {
		expect(buildCallbackFields({ testCallbackUrl: 'https://test.example.de/cb' })).toEqual({
			mvpFullCallback: 0,
			mvpCallbackUrl: 'https://test.example.de/cb',
		});
	});

	test('both URLs together', () => {
		expect(
			buildCallbackFields({ callbackUrl: 'https://a.example.de', testCallbackUrl: 'https://b.example.de', disableCallbacks: false }),
		).toEqual({ fullCallback: 0, callbackUrl: 'https://a.example.de', mvpFullCallback: 0, mvpCallbackUrl: 'https://b.example.de' });
	});

	test('disableCallbacks → fullCallback 1 and mvpFullCallback 1', () => {
		expect(buildCallbackFields({ disableCallbacks: true })).toEqual({ fullCallback: 1, mvpFullCallback: 1 });
		expect(buildCallbackFields({ disableCallbacks: 'true' })).toEqual({ fullCallback: 1, mvpFullCallback: 1 });
	});

	test('disableCallbacks off or absent sends nothing', () => {
		expect(buildCallbackFields({ disableCallbacks: false })).toEqual({});
		expect(buildCallbackFields({})).toEqual({});
		expect(buildCallbackFields({ callbackUrl: '' })).toEqual({});
	});

	test.each([{ callbackUrl: 'https://a.example.de' }, { testCallbackUrl: 'https://b.example.de' }])(
		'disableCallbacks together with %p is a conflict',
		(urls) => {
			const error = inputError(() => buildCallbackFields({ ...urls, disableCallbacks: true }));
			expect(error.field).toBe('Callback Fields → Disable Callbacks');
			expect(error.hint).toMatch(/remove the callback URLs or switch Disable Callbacks off/);
		},
	);

	test('a callback URL without scheme is refused', () => {
		expect(inputError(() => buildCallbackFields({ callbackUrl: 'crm.example.de/cb' })).field).toBe('Callback Fields → Callback URL');
		expect(inputError(() => buildCallbackFields({ testCallbackUrl: 'x' })).field).toBe('Callback Fields → Test System Callback URL');
	});

	test('end to end in the forward body', () => {
		const body = forward({ callbackFields: { callbackUrl: 'https://crm.example.de/cb' } });
		expect(body).toMatchObject({ fullCallback: 0, callbackUrl: 'https://crm.example.de/cb' });
		expect(body).not.toHaveProperty('mvpFullCallback');
	});
});

describe('customer fields', () => {
	const fullCustomer: IDataObject = {
		externalId: 'C-1',
		salutation: 1,
		title: 3,
		firstName: 'Max',
		lastName: 'Mustermann',
		birthDate: '1980-04-23',
		email: 'max@example.de',
		street: 'Weg',
		streetNumber: '2',
		zip: '10115',
		city: 'Berlin',
		website: 'https://max.example.de',
		phone: '030 1',
		privateIsCompanyAddress: 1,
		company: 'Max GmbH',
		legalForm: 4,
		companyStreet: 'Allee',
		companyStreetNumber: '3',
		companyZip: '10117',
		companyCity: 'Berlin',
		bankIban: 'DE02120300000000202051',
		bankBic: 'BYLADEM1001',
		bankName: 'DKB',
		bankAccountHolder: 'Max GmbH',
		accountType: 0,
		crmIdent: 'openVIVAv1',
		externalReferences: { reference: [{ origin: 'crm', paramKey: 'customerId', paramValue: '42' }] },
	};

	test('every customer field gets its API name', () => {
		expect(buildCustomerFields(fullCustomer)).toEqual({
			cExternalId: 'C-1',
			cSalutation: 1,
			cTitle: 3,
			cFirstName: 'Max',
			cLastName: 'Mustermann',
			cBirthDate: '1980-04-23',
			cEmail: 'max@example.de',
			cStreet: 'Weg',
			cStreetNumber: '2',
			cZip: '10115',
			cCity: 'Berlin',
			cWebsite: 'https://max.example.de',
			cPhone: '030 1',
			cPrivateIsCompanyAddress: 1,
			cCompany: 'Max GmbH',
			cLegalForm: 4,
			cCompanyStreet: 'Allee',
			cCompanyStreetNumber: '3',
			cCompanyZip: '10117',
			cCompanyCity: 'Berlin',
			cBankIban: 'DE02120300000000202051',
			cBankBic: 'BYLADEM1001',
			cBankName: 'DKB',
			cBankAccountHolder: 'Max GmbH',
			cAccountType: 0,
			crmIdent: 'openVIVAv1',
			cExternalReferences: [{ origin: 'crm', paramKey: 'customerId', paramValue: '42' }],
		});
	});

	test('the forward body carries the customer without undefined keys', () => {
		const body = forward({ customerFields: { externalId: 'C-1', lastName: 'M', email: 'm@example.de' } });
		expect(body).toEqual({ type: 1, bToken: 'bt-1', bExternalId: 'CRM-B-1', cExternalId: 'C-1', cLastName: 'M', cEmail: 'm@example.de' });
		expectNoUndefined(body);
	});

	test('enum values from expressions as text are sent as numbers', () => {
		const body = buildCustomerFields({ salutation: '2', title: '24', legalForm: '10', accountType: '1', privateIsCompanyAddress: '0' });
		expect(body).toMatchObject({ cSalutation: 2, cTitle: 24, cLegalForm: 10, cAccountType: 1, cPrivateIsCompanyAddress: 0 });
	});

	test.each([
		['title', 25, 'Customer Fields → Title'],
		['title', 0, 'Customer Fields → Title'],
		['legalForm', 11, 'Customer Fields → Legal Form'],
		['salutation', 0, 'Customer Fields → Salutation'],
		['accountType', 2, 'Customer Fields → Account Type'],
		['privateIsCompanyAddress', '2', 'Customer Fields → Private Address Is Business Address'],
	])('%s %p is out of range', (key, value, field) => {
		expect(inputError(() => buildCustomerFields({ [key]: value })).field).toBe(field);
	});

	test('birth date: ISO date-time cut to date, impossible dates refused', () => {
		expect(buildCustomerFields({ birthDate: '1980-04-23T00:00:00.000Z' }).cBirthDate).toBe('1980-04-23');
		const error = inputError(() => buildCustomerFields({ birthDate: '2023-02-30' }));
		expect(error.field).toBe('Customer Fields → Birth Date');
	});

	test('a customer e-mail with a display name is refused naming the customer field', () => {
		const error = inputError(() => buildCustomerFields({ email: 'Max <max@example.de>' }));
		expect(error.field).toBe('Customer Fields → E-Mail');
	});

	test('External ID needs Last Name and E-Mail, and says which are missing', () => {
		const both = inputError(() => buildCustomerFields({ externalId: 'C-1' }));
		expect(both.message).toContain('"Customer Fields → Last Name"');
		expect(both.message).toContain('"Customer Fields → E-Mail"');
		const email = inputError(() => buildCustomerFields({ externalId: 'C-1', lastName: 'M' }));
		expect(email.field).toBe('Customer Fields → E-Mail');
		expect(email.message).not.toContain('Last Name');
		const lastName = inputError(() => buildCustomerFields({ externalId: 'C-1', email: 'm@example.de' }));
		expect(lastName.field).toBe('Customer Fields → Last Name');
	});

	test('a customer without External ID needs nothing else', () => {
		expect(buildCustomerFields({ firstName: 'Max' })).toMatchObject({ cFirstName: 'Max' });
	});

	test('External References need CRM Ident', () => {
		const error = inputError(() =>
			buildCustomerFields({ externalReferences: { reference: [{ origin: 'crm', paramKey: 'k', paramValue: 'v' }] } }),
		);
		expect(error.field).toBe('Customer Fields → CRM Ident');
		expect(error.hint).toMatch(/openVIVAv1/);
	});

	test('empty External References need no CRM Ident and send nothing', () => {
		expect(buildCustomerFields({ externalReferences: {} })).not.toHaveProperty('cExternalReferences');
		expect(buildCustomerFields({ externalReferences: { reference: [] } })).not.toHaveProperty('cExternalReferences');
	});
});

describe('readExternalReferences', () => {
	test('reads the fixed collection and a mapped list', () => {
		const entry = { origin: 'crm', paramKey: 'id', paramValue: 7 };
		expect(readExternalReferences({ reference: [entry, { origin: 'erp', paramKey: 'no', paramValue: 'x' }] })).toEqual([
			{ origin: 'crm', paramKey: 'id', paramValue: '7' },
			{ origin: 'erp', paramKey: 'no', paramValue: 'x' },
		]);
		expect(readExternalReferences([entry])).toEqual([{ origin: 'crm', paramKey: 'id', paramValue: '7' }]);
		expect(readExternalReferences(undefined)).toEqual([]);
		expect(readExternalReferences('')).toEqual([]);
	});

	test('names the entry and the part that is missing', () => {
		const error = inputError(() => readExternalReferences({ reference: [{ origin: 'crm', paramKey: 'id', paramValue: 'v' }, { origin: 'crm', paramKey: 'id' }] }));
		expect(error.field).toBe('Customer Fields → External References 2 → Value');
	});

	test.each([['text'], [5], [{ reference: 'x' }], [[1]], [[null]]])('refuses %p', (value) => {
		expect(inputError(() => readExternalReferences(value)).field).toBe('Customer Fields → External References');
	});
});

describe('inquiry fields', () => {
	const customer = { externalId: 'C-1', lastName: 'M', email: 'm@example.de' };

	test('profession, product and instant creation', () => {
		const body = forward({
			customerFields: customer,
			inquiryFields: { professionId: '123', productId: 45, instantInquiryCreation: true },
		});
		expect(body).toMatchObject({ professionId: 123, productId: 45, instantInquiryCreation: true, cExternalId: 'C-1' });
	});

	test('instant inquiry creation needs the customer External ID', () => {
		const error = inputError(() => forward({ inquiryFields: { instantInquiryCreation: true } }));
		expect(error.field).toBe('Customer Fields → External ID');
		expect(error.message).toContain('Instant Inquiry Creation');
		expect(forward({ inquiryFields: { instantInquiryCreation: false } })).toMatchObject({ instantInquiryCreation: false });
	});

	test('questionnaire as JSON text becomes qasCustProfile; numbers become text', () => {
		const body = forward({
			inquiryFields: { questionnaire: '{"categories":[{"id":"default","questions":[{"id":100,"answers":[10001,"10002"]}]}]}' },
		});
		expect(body.qasCustProfile).toEqual({ categories: [{ id: 'default', questions: [{ id: '100', answers: ['10001', '10002'] }] }] });
	});

	test('questionnaire as object keeps extra keys', () => {
		const q = { version: 2, categories: [{ id: 1, label: 'x', questions: [{ id: '7', answers: [], note: 'n' }] }] };
		expect(normaliseQuestionnaire(q)).toEqual({
			version: 2,
			categories: [{ id: '1', label: 'x', questions: [{ id: '7', answers: [], note: 'n' }] }],
		});
	});

	test.each([
		[{}, /needs a "categories" list/],
		[{ categories: {} }, /needs a "categories" list/],
		[{ categories: ['x'] }, /category 1 must be an object/],
		[{ categories: [{ id: 'd' }] }, /category 1 needs a "questions" list/],
		[{ categories: [{ questions: [] }] }, /category 1 id must be a text ID but is missing/],
		[{ categories: [{ id: '', questions: [] }] }, /category 1 id must be a text ID but is ""/],
		[{ categories: [{ id: 'd', questions: [null] }] }, /category 1, question 1 must be an object/],
		[{ categories: [{ id: 'd', questions: [{ id: '1' }] }] }, /question 1 needs an "answers" list/],
		[{ categories: [{ id: 'd', questions: [{ id: true, answers: [] }] }] }, /question 1 id must be a text ID but is true/],
		[{ categories: [{ id: 'd', questions: [{ id: '1', answers: ['a', { x: 1 }] }] }] }, /answer 2 must be a text ID/],
	])('questionnaire %j is refused with the expected shape', (questionnaire, problem) => {
		const error = inputError(() => forward({ inquiryFields: { questionnaire } }));
		expect(error.field).toBe('Inquiry Fields → Questionnaire');
		expect(error.message).toMatch(problem);
		expect(error.hint).toContain('"categories"');
	});

	test('questionnaire that is not JSON or not an object', () => {
		expect(inputError(() => forward({ inquiryFields: { questionnaire: '{categories:' } })).message).toMatch(/is not valid JSON/);
		expect(inputError(() => forward({ inquiryFields: { questionnaire: '[]' } })).message).toMatch(/must be a JSON object but is a list/);
	});

	test('empty questionnaire sends nothing', () => {
		expect(forward({ inquiryFields: { questionnaire: '' } })).not.toHaveProperty('qasCustProfile');
		expect(forward({ inquiryFields: { questionnaire: '  ' } })).not.toHaveProperty('qasCustProfile');
	});

	test('ids that are not whole numbers are refused', () => {
		expect(inputError(() => forward({ inquiryFields: { productId: '12a' } })).field).toBe('Inquiry Fields → Product ID');
		expect(inputError(() => forward({ inquiryFields: { professionId: 1.5 } })).field).toBe('Inquiry Fields → Profession ID');
	});
});

test('a complete forward body has no undefined anywhere and survives JSON as is', () => {
	const body = forward({
		mappingType: 2,
		brokerFields: { isActive: false, lastName: 'B', email: 'b@example.de', gender: 1, zip: '' },
		callbackFields: { callbackUrl: 'https://a.example.de/cb', testCallbackUrl: '' },
		customerFields: {
			externalId: 'C-1',
			lastName: 'M',
			email: 'm@example.de',
			birthDate: '',
			crmIdent: 'openVIVAv1',
			externalReferences: { reference: [{ origin: 'crm', paramKey: 'id', paramValue: '1' }] },
		},
		inquiryFields: { productId: 1, instantInquiryCreation: true, questionnaire: { categories: [] } },
	});
	expectNoUndefined(body);
	expect(JSON.parse(JSON.stringify(body))).toEqual(body);
	expect(body).not.toHaveProperty('bZip');
	expect(body).not.toHaveProperty('cBirthDate');
	expect(body).not.toHaveProperty('mvpCallbackUrl');
	expect(body.bIsActive).toBe(false);
});

describe('buildCreateBrokerBody (legacy)', () => {
	const base = { accountToken: 'aT-1', brokerExternalId: 'B-9', mappingType: 2, email: 'b@example.de' };

	test('with last name', () => {
		const body = buildCreateBrokerBody({ ...base, brokerFields: { lastName: 'Broker', city: 'Köln' } });
		expect(body).toEqual({ aToken: 'aT-1', type: 2, bExternalId: 'B-9', bEmail: 'b@example.de', bLastName: 'Broker', bCity: 'Köln' });
		expectNoUndefined(body);
	});

	test('with company instead of last name', () => {
		expect(buildCreateBrokerBody({ ...base, brokerFields: { company: 'Makler AG' } })).toMatchObject({ bCompany: 'Makler AG' });
	});

	test('needs last name or company', () => {
		const error = inputError(() => buildCreateBrokerBody({ ...base, brokerFields: { firstName: 'Eva' } }));
		expect(error.message).toContain('"Broker Fields → Last Name" or "Broker Fields → Company"');
	});

	test('needs an e-mail, taken from the broker fields if the main one is empty', () => {
		expect(inputError(() => buildCreateBrokerBody({ ...base, email: '', brokerFields: { lastName: 'B' } })).field).toBe('E-Mail');
		expect(buildCreateBrokerBody({ ...base, email: '', brokerFields: { lastName: 'B', email: 'x@example.de' } }).bEmail).toBe('x@example.de');
	});

	test('the main e-mail is validated', () => {
		const error = inputError(() => buildCreateBrokerBody({ ...base, email: 'b@example.de; ', brokerFields: { lastName: 'B' } }));
		expect(error.field).toBe('E-Mail');
	});

	test('isActive is not part of Create Broker', () => {
		expect(buildCreateBrokerBody({ ...base, brokerFields: { lastName: 'B', isActive: false } })).not.toHaveProperty('bIsActive');
	});
});

describe('buildCallbackRegistrationBody', () => {
	const base = { brokerToken: 'bt', brokerExternalId: 'B-1', mappingType: 2 };

	test('live system: points fullCallback at the URL, or switches it off', () => {
		expect(buildCallbackRegistrationBody({ ...base, callbackUrl: 'https://n8n.example.de/webhook/x?key=k', testSystem: false })).toEqual({
			type: 2,
			bToken: 'bt',
			bExternalId: 'B-1',
			fullCallback: 0,
			callbackUrl: 'https://n8n.example.de/webhook/x?key=k',
		});
		expect(buildCallbackRegistrationBody({ ...base, callbackUrl: null, testSystem: false })).toEqual({
			type: 2,
			bToken: 'bt',
			bExternalId: 'B-1',
			fullCallback: 1,
		});
	});

	test('test system: uses the mvp pair and leaves the live callback alone', () => {
		const on = buildCallbackRegistrationBody({ ...base, callbackUrl: 'https://n8n.example.de/x', testSystem: true });
		expect(on).toEqual({ type: 2, bToken: 'bt', bExternalId: 'B-1', mvpFullCallback: 0, mvpCallbackUrl: 'https://n8n.example.de/x' });
		const off = buildCallbackRegistrationBody({ ...base, callbackUrl: null, testSystem: true });
		expect(off).toEqual({ type: 2, bToken: 'bt', bExternalId: 'B-1', mvpFullCallback: 1 });
		expect(off).not.toHaveProperty('fullCallback');
	});
});
