/** Request bodies of Broker Forward and the legacy Create Broker, built from user-named fields. */
import type { IDataObject } from 'n8n-workflow';

import { LEGAL_FORMS, SALUTATIONS, TITLES, values } from './enums';
import {
	InputError,
	compact,
	readBoolean,
	readCollection,
	readDate,
	readEmail,
	readInteger,
	readJsonObject,
	readText,
	readUrl,
	requireText,
} from './input';

export interface BrokerForwardInput {
	brokerToken: unknown;
	brokerExternalId: unknown;
	mappingType: unknown;
	brokerFields?: unknown;
	callbackFields?: unknown;
	customerFields?: unknown;
	inquiryFields?: unknown;
}

export interface CreateBrokerInput {
	accountToken: string;
	brokerExternalId: unknown;
	mappingType: unknown;
	email: unknown;
	brokerFields?: unknown;
}

const MAPPING_TYPE_VALUES = [1, 2];

/** Person and company fields of a broker: parameter name → API name. */
const BROKER_TEXT_FIELDS: Array<[string, string, string]> = [
	['firstName', 'bFirstName', 'First Name'],
	['lastName', 'bLastName', 'Last Name'],
	['company', 'bCompany', 'Company'],
	['street', 'bStreet', 'Street'],
	['streetNumber', 'bStreetNumber', 'Street Number'],
	['zip', 'bZip', 'ZIP Code'],
	['city', 'bCity', 'City'],
	['phone', 'bPhone', 'Phone'],
	['companyRegNumber', 'bCompanyRegNumber', 'Commercial Register Number'],
	['regNumber', 'bRegNumber', 'IHK Register Number'],
];

const CUSTOMER_TEXT_FIELDS: Array<[string, string, string]> = [
	['externalId', 'cExternalId', 'External ID'],
	['firstName', 'cFirstName', 'First Name'],
	['lastName', 'cLastName', 'Last Name'],
	['street', 'cStreet', 'Street'],
	['streetNumber', 'cStreetNumber', 'Street Number'],
	['zip', 'cZip', 'ZIP Code'],
	['city', 'cCity', 'City'],
	['website', 'cWebsite', 'Website'],
	['phone', 'cPhone', 'Phone'],
	['company', 'cCompany', 'Company'],
	['companyStreet', 'cCompanyStreet', 'Company Street'],
	['companyStreetNumber', 'cCompanyStreetNumber', 'Company Street Number'],
	['companyZip', 'cCompanyZip', 'Company ZIP Code'],
	['companyCity', 'cCompanyCity', 'Company City'],
	['bankIban', 'cBankIban', 'Bank IBAN'],
	['bankBic', 'cBankBic', 'Bank BIC'],
	['bankName', 'cBankName', 'Bank Name'],
	['bankAccountHolder', 'cBankAccountHolder', 'Bank Account Holder'],
	['crmIdent', 'crmIdent', 'CRM Ident'],
];

function brokerPersonFields(fields: IDataObject, group: string): IDataObject {
	const body: IDataObject = {};
	for (const [name, apiName, label] of BROKER_TEXT_FIELDS) {
		body[apiName] = readText(fields[name], `${group} → ${label}`);
	}
	body.bGender = readInteger(fields.gender, `${group} → Gender`, values(SALUTATIONS));
	body.bEmail = readEmail(fields.email, `${group} → E-Mail`);
	return body;
}

/** Broker Forward: broker, callbacks, customer and inquiry in one body. */
export function buildBrokerForwardBody(input: BrokerForwardInput): IDataObject {
	const brokerFields = readCollection(input.brokerFields, 'Broker Fields');
	const body: IDataObject = {
		type: readInteger(input.mappingType, 'Mapping Type', MAPPING_TYPE_VALUES) ?? 1,
		bToken: requireText(input.brokerToken, 'Broker Token').trim(),
		bExternalId: requireText(input.brokerExternalId, 'Broker External ID'),
		...brokerPersonFields(brokerFields, 'Broker Fields'),
	};
	const isActive = readBoolean(brokerFields.isActive, 'Broker Fields → Is Active');
	if (isActive !== undefined) body.bIsActive = isActive;
	Object.assign(body, buildCallbackFields(readCollection(input.callbackFields, 'Callback Fields')));
	Object.assign(body, buildCustomerFields(readCollection(input.customerFields, 'Customer Fields')));
	Object.assign(body, buildInquiryFields(readCollection(input.inquiryFields, 'Inquiry Fields')));
	if (body.instantInquiryCreation === true && body.cExternalId === undefined) {
		throw new InputError(
			'Customer Fields → External ID',
			'"Inquiry Fields → Instant Inquiry Creation" needs the customer\'s "Customer Fields → External ID".',
			'Add the External ID of the customer, or switch Instant Inquiry Creation off.',
		);
	}
	return compact(body);
}

export function buildCallbackFields(fields: IDataObject): IDataObject {
	const body: IDataObject = {};
	const callbackUrl = readUrl(fields.callbackUrl, 'Callback Fields → Callback URL');
	const testCallbackUrl = readUrl(fields.testCallbackUrl, 'Callback Fields → Test System Callback URL');
	const disable = readBoolean(fields.disableCallbacks, 'Callback Fields → Disable Callbacks');
	if (disable === true) {
		if (callbackUrl || testCallbackUrl) {
			throw new InputError(
				'Callback Fields → Disable Callbacks',
				'"Callback Fields → Disable Callbacks" is on while a callback URL is set.',
				'Either remove the callback URLs or switch Disable Callbacks off.',
			);
		}
		body.fullCallback = 1;
		body.mvpFullCallback = 1;
	}
	if (callbackUrl) {
		body.fullCallback = 0;
		body.callbackUrl = callbackUrl;
	}
	if (testCallbackUrl) {
		body.mvpFullCallback = 0;
		body.mvpCallbackUrl = testCallbackUrl;
	}
	return body;
}

export function buildCustomerFields(fields: IDataObject): IDataObject {
	const group = 'Customer Fields';
	const body: IDataObject = {};
	for (const [name, apiName, label] of CUSTOMER_TEXT_FIELDS) {
		body[apiName] = readText(fields[name], `${group} → ${label}`);
	}
	body.cSalutation = readInteger(fields.salutation, `${group} → Salutation`, values(SALUTATIONS));
	body.cTitle = readInteger(fields.title, `${group} → Title`, values(TITLES));
	body.cLegalForm = readInteger(fields.legalForm, `${group} → Legal Form`, values(LEGAL_FORMS));
	body.cPrivateIsCompanyAddress = readInteger(fields.privateIsCompanyAddress, `${group} → Private Address Is Business Address`, [0, 1]);
	body.cAccountType = readInteger(fields.accountType, `${group} → Account Type`, [0, 1]);
	body.cBirthDate = readDate(fields.birthDate, `${group} → Birth Date`);
	body.cEmail = readEmail(fields.email, `${group} → E-Mail`);

	const references = readExternalReferences(fields.externalReferences);
	if (references.length > 0) {
		body.cExternalReferences = references;
		if (body.crmIdent === undefined) {
			throw new InputError(
				`${group} → CRM Ident`,
				`"${group} → External References" need "${group} → CRM Ident".`,
				'Enter which CRM owns the customer (e.g. openVIVAv1), or remove the external references.',
			);
		}
	}
	if (body.cExternalId !== undefined) {
		const missing = [
			body.cLastName === undefined ? `"${group} → Last Name"` : undefined,
			body.cEmail === undefined ? `"${group} → E-Mail"` : undefined,
		].filter(Boolean);
		if (missing.length > 0) {
			throw new InputError(
				`${group} → ${body.cLastName === undefined ? 'Last Name' : 'E-Mail'}`,
				`A customer with "${group} → External ID" also needs ${missing.join(' and ')}.`,
				'Add the missing field(s), or remove the External ID to send no customer.',
			);
		}
	}
	return body;
}

/** `externalReferences.reference[]` → `[{origin, paramKey, paramValue}]`; also takes a mapped array. */
export function readExternalReferences(value: unknown): IDataObject[] {
	const field = 'Customer Fields → External References';
	if (value === undefined || value === null || value === '') return [];
	let entries: unknown = value;
	if (typeof entries === 'object' && !Array.isArray(entries)) entries = (entries as IDataObject).reference ?? [];
	if (!Array.isArray(entries)) {
		throw new InputError(field, `"${field}" must be a list of {origin, paramKey, paramValue}.`);
	}
	return Array.from(entries as unknown[], (entry, index) => {
		if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
			throw new InputError(field, `"${field}" entry ${index + 1} must be an object with origin, paramKey and paramValue.`);
		}
		const reference = entry as IDataObject;
		const label = `${field} ${index + 1}`;
		return {
			origin: requireText(reference.origin, `${label} → Origin`),
			paramKey: requireText(reference.paramKey, `${label} → Key`),
			paramValue: requireText(reference.paramValue, `${label} → Value`),
		};
	});
}

export function buildInquiryFields(fields: IDataObject): IDataObject {
	const group = 'Inquiry Fields';
	const body: IDataObject = {
		professionId: readInteger(fields.professionId, `${group} → Profession ID`),
		productId: readInteger(fields.productId, `${group} → Product ID`),
		instantInquiryCreation: readBoolean(fields.instantInquiryCreation, `${group} → Instant Inquiry Creation`),
	};
	const questionnaire = readJsonObject(fields.questionnaire, `${group} → Questionnaire`);
	if (questionnaire) body.qasCustProfile = normaliseQuestionnaire(questionnaire);
	return body;
}

/**
 * Checks the questionnaire pre-fill shape `{categories:[{id, questions:[{id, answers:[…]}]}]}`.
 * IDs and answers are strings for the API; numbers are turned into strings.
 */
export function normaliseQuestionnaire(questionnaire: IDataObject): IDataObject {
	const field = 'Inquiry Fields → Questionnaire';
	const fix = 'Expected {"categories":[{"id":"default","questions":[{"id":"100","answers":["10001"]}]}]}.';
	const shownValue = (value: unknown): string => {
		try {
			return JSON.stringify(value) ?? 'missing';
		} catch {
			return `a ${typeof value}`; // BigInt, cycles
		}
	};
	const asId = (value: unknown, where: string): string => {
		if (typeof value === 'string' && value !== '') return value;
		if (typeof value === 'number' && Number.isFinite(value)) return String(value);
		throw new InputError(field, `"${field}": ${where} must be a text ID but is ${shownValue(value)}.`, fix);
	};
	const categories = questionnaire.categories;
	if (!Array.isArray(categories)) {
		throw new InputError(field, `"${field}" needs a "categories" list.`, fix);
	}
	return {
		...questionnaire,
		categories: Array.from(categories as unknown[], (category, c) => {
			if (!category || typeof category !== 'object' || Array.isArray(category)) {
				throw new InputError(field, `"${field}": category ${c + 1} must be an object.`, fix);
			}
			const { id, questions } = category as IDataObject;
			if (!Array.isArray(questions)) {
				throw new InputError(field, `"${field}": category ${c + 1} needs a "questions" list.`, fix);
			}
			return {
				...(category as IDataObject),
				id: asId(id, `category ${c + 1} id`),
				questions: Array.from(questions as unknown[], (question, q) => {
					const where = `category ${c + 1}, question ${q + 1}`;
					if (!question || typeof question !== 'object' || Array.isArray(question)) {
						throw new InputError(field, `"${field}": ${where} must be an object.`, fix);
					}
					const { answers } = question as IDataObject;
					if (!Array.isArray(answers)) {
						throw new InputError(field, `"${field}": ${where} needs an "answers" list.`, fix);
					}
					return {
						...(question as IDataObject),
						id: asId((question as IDataObject).id, `${where} id`),
						answers: Array.from(answers as unknown[], (answer, a) => asId(answer, `${where}, answer ${a + 1}`)),
					};
				}),
			};
		}),
	};
}

/** Legacy Create Broker: a new broker in an account; last name or company is required. */
export function buildCreateBrokerBody(input: CreateBrokerInput): IDataObject {
	const brokerFields = readCollection(input.brokerFields, 'Broker Fields');
	const person = brokerPersonFields(brokerFields, 'Broker Fields');
	const email = readEmail(input.email, 'E-Mail') ?? person.bEmail;
	if (email === undefined) {
		throw new InputError('E-Mail', '"E-Mail" is required.', 'Enter the broker\'s e-mail address.');
	}
	const body: IDataObject = {
		aToken: input.accountToken,
		type: readInteger(input.mappingType, 'Mapping Type', MAPPING_TYPE_VALUES) ?? 1,
		bExternalId: requireText(input.brokerExternalId, 'Broker External ID'),
		...person,
		bEmail: email,
	};
	if (body.bLastName === undefined && body.bCompany === undefined) {
		throw new InputError(
			'Broker Fields → Last Name',
			'Creating a broker needs "Broker Fields → Last Name" or "Broker Fields → Company".',
			'Add the broker\'s last name or company name.',
		);
	}
	return compact(body);
}

/**
 * Broker Forward body that points a broker's callback at a URL (or, with `callbackUrl` null,
 * switches it off); the test system has its own pair of fields.
 */
export function buildCallbackRegistrationBody(input: {
	brokerToken: string;
	brokerExternalId: string;
	mappingType: number;
	callbackUrl: string | null;
	testSystem: boolean;
}): IDataObject {
	const body: IDataObject = { type: input.mappingType, bToken: input.brokerToken, bExternalId: input.brokerExternalId };
	if (input.testSystem) {
		body.mvpFullCallback = input.callbackUrl ? 0 : 1;
		if (input.callbackUrl) body.mvpCallbackUrl = input.callbackUrl;
	} else {
		body.fullCallback = input.callbackUrl ? 0 : 1;
		if (input.callbackUrl) body.callbackUrl = input.callbackUrl;
	}
	return body;
}

/** Broker Forward as a call: the broker acts (its token leaves the body; the dialect places it). */
export function brokerForwardRequest(input: BrokerForwardInput): { broker: string; body: IDataObject } {
	const { bToken, ...body } = buildBrokerForwardBody(input);
	return { broker: String(bToken), body };
}

/** Create Broker as a call: the account acts. */
export function createBrokerRequest(input: CreateBrokerInput): { account: string; body: IDataObject; brokerExternalId: string } {
	const { aToken, ...body } = buildCreateBrokerBody(input);
	return { account: String(aToken), body, brokerExternalId: String(body.bExternalId) };
}

/** The callback registration as a call (Broker Forward of the registered broker). */
export function callbackRegistrationRequest(input: Parameters<typeof buildCallbackRegistrationBody>[0]): { broker: string; body: IDataObject } {
	const { bToken, ...body } = buildCallbackRegistrationBody(input);
	return { broker: String(bToken), body };
}

export interface BrokerTokenInput {
	accountToken: string;
	brokerExternalId: unknown;
	mappingType: unknown;
	email: unknown;
	brokerFields?: unknown;
	/** V1.1 requires the e-mail for the look-up, V1 does not; a create needs it in both. */
	emailRequired: boolean;
}

/**
 * Get Broker Token as a call: the account acts; the body names the broker by your ID plus
 * e-mail and last name or company (the API requires one of the two).
 */
export function brokerTokenRequest(input: BrokerTokenInput): { account: string; body: IDataObject; brokerExternalId: string } {
	const brokerFields = readCollection(input.brokerFields, 'Broker Fields');
	const email = readEmail(input.email, 'E-Mail') ?? readEmail(brokerFields.email, 'Broker Fields → E-Mail');
	if (email === undefined && input.emailRequired) {
		throw new InputError('E-Mail', '"E-Mail" is required to get a broker token with API version V1.1 and to create a broker.', 'Enter the broker\'s e-mail address.');
	}
	const body: IDataObject = {
		type: readInteger(input.mappingType, 'Mapping Type', MAPPING_TYPE_VALUES) ?? 1,
		bExternalId: requireText(input.brokerExternalId, 'Broker External ID').trim(),
		bEmail: email,
		bLastName: readText(brokerFields.lastName, 'Broker Fields → Last Name'),
		bCompany: readText(brokerFields.company, 'Broker Fields → Company'),
	};
	if (body.bLastName === undefined && body.bCompany === undefined) {
		throw new InputError(
			'Broker Fields → Last Name',
			'Getting a broker token needs "Broker Fields → Last Name" or "Broker Fields → Company".',
			'Add the broker\'s last name or company name, as Thinksurance knows them.',
		);
	}
	return { account: input.accountToken, body: compact(body), brokerExternalId: String(body.bExternalId) };
}

/** The API's names of the broker fields → what the user sees in the node. */
const BROKER_FIELD_LABELS: Record<string, string> = {
	...Object.fromEntries(BROKER_TEXT_FIELDS.map(([, apiName, label]) => [apiName, `Broker Fields → ${label}`])),
	type: 'Mapping Type',
	bExternalId: 'Broker External ID',
	bEmail: 'E-Mail',
	bGender: 'Broker Fields → Gender',
	aToken: 'Account',
};

/**
 * The field a refusal such as "BrokerAPI: Invalid parameters: bEmail" names, in the user's
 * words (`E-Mail`); undefined when the API names none.
 */
export function refusedBrokerField(reason: string | undefined): string | undefined {
	const apiName = /invalid parameters?:\s*([\w.[\]]+)/i.exec(reason ?? '')?.[1];
	if (!apiName) return undefined;
	return BROKER_FIELD_LABELS[apiName] ?? apiName;
}
