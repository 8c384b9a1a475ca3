/**
 * Guards the public interface of /work/shared/interface.md. Saved workflows store node type
 * names, parameter names and option values — and n8n leaves out parameters that equal their
 * default, so defaults are part of the interface too. A failure here means released workflows
 * would silently change meaning: fix the code, not the test.
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import type {
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';

import { ThinksuranceApi } from '../../credentials/ThinksuranceApi.credentials';
import { Thinksurance } from '../../nodes/Thinksurance/Thinksurance.node';
import { ThinksurancePollingTrigger } from '../../nodes/ThinksurancePollingTrigger/ThinksurancePollingTrigger.node';
import { ThinksuranceTrigger } from '../../nodes/ThinksuranceTrigger/ThinksuranceTrigger.node';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
	name: string;
	license: string;
	keywords: string[];
	dependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	n8n: { credentials: string[]; nodes: string[] };
};

const action = new Thinksurance().description;
const trigger = new ThinksuranceTrigger().description;
const pollingTrigger = new ThinksurancePollingTrigger().description;
const credential = new ThinksuranceApi();

type Option = INodeProperties | INodePropertyOptions | INodePropertyCollection;

const isPropertyOption = (option: Option): option is INodePropertyOptions => 'value' in option && !('type' in option);
const isCollectionEntry = (option: Option): option is INodePropertyCollection => 'values' in option;

/** Top-level parameters shown for one resource/operation in one typeVersion (default 1). */
function paramsFor(resource: string, operation: string, version = 1): INodeProperties[] {
	return action.properties.filter((property) => {
		const show = property.displayOptions?.show;
		const versions = show?.['@version'];
		return show?.resource?.includes(resource) && show?.operation?.includes(operation) && (!versions || versions.includes(version));
	});
}

function only(properties: INodeProperties[], name: string): INodeProperties {
	const found = properties.filter((property) => property.name === name);
	if (found.length !== 1) throw new Error(`expected exactly one parameter "${name}", found ${found.length}`);
	return found[0];
}

function valuesOf(property: INodeProperties): unknown[] {
	return (property.options as Option[]).filter(isPropertyOption).map((option) => option.value);
}

function childNames(property: INodeProperties): string[] {
	return (property.options as Option[]).map((option) => option.name);
}

function child(property: INodeProperties, name: string): INodeProperties {
	const found = (property.options as Option[]).find((option) => option.name === name);
	if (!found || !('type' in found)) throw new Error(`"${property.name}" has no field "${name}"`);
	return found as INodeProperties;
}

/** Every property, option and collection entry, depth first, with a readable path. */
function walk(properties: INodeProperties[], visit: (node: Option, path: string) => void, prefix = ''): void {
	for (const property of properties) {
		const path = `${prefix}${property.name}`;
		visit(property, path);
		for (const option of (property.options ?? []) as Option[]) {
			if (isPropertyOption(option)) visit(option, `${path}=${String(option.value)}`);
			else if (isCollectionEntry(option)) {
				visit(option, `${path}.${option.name}`);
				walk(option.values, visit, `${path}.${option.name}.`);
			} else walk([option as INodeProperties], visit, `${path}.`);
		}
	}
}

const descriptions: Array<[string, INodeProperties[]]> = [
	['action node', action.properties],
	['trigger node', trigger.properties],
	['polling trigger node', pollingTrigger.properties],
	['credential', credential.properties],
];

describe('package', () => {
	test('npm name, keyword, licence, no runtime dependencies, n8n-workflow as peer', () => {
		expect(pkg.name).toBe('n8n-nodes-thinksurance');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.license).toBe('MIT');
		expect(Object.keys(pkg.dependencies ?? {})).toEqual([]);
		expect(pkg.peerDependencies).toHaveProperty('n8n-workflow');
	});

	test('registered files exist as sources', () => {
		expect(pkg.n8n.credentials).toEqual(['dist/credentials/ThinksuranceApi.credentials.js']);
		expect(pkg.n8n.nodes).toEqual([
			'dist/nodes/Thinksurance/Thinksurance.node.js',
			'dist/nodes/ThinksuranceTrigger/ThinksuranceTrigger.node.js',
			'dist/nodes/ThinksurancePollingTrigger/ThinksurancePollingTrigger.node.js',
		]);
		for (const file of [...pkg.n8n.credentials, ...pkg.n8n.nodes]) {
			expect(existsSync(join(ROOT, file.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
		}
	});

	test('codex files name the node types', () => {
		const codex = (file: string) => JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { node: string };
		expect(codex('nodes/Thinksurance/Thinksurance.node.json').node).toBe(`${pkg.name}.${action.name}`);
		expect(codex('nodes/ThinksuranceTrigger/ThinksuranceTrigger.node.json').node).toBe(`${pkg.name}.${trigger.name}`);
		expect(codex('nodes/ThinksurancePollingTrigger/ThinksurancePollingTrigger.node.json').node).toBe(
			`${pkg.name}.${pollingTrigger.name}`,
		);
	});
});

describe('credential thinksuranceApi', () => {
	const field = (name: string) => only(credential.properties, name);

	test('name', () => {
		expect(credential.name).toBe('thinksuranceApi');
	});

	test('environment: production | test | custom, default production', () => {
		expect(field('environment').type).toBe('options');
		expect(valuesOf(field('environment'))).toEqual(expect.arrayContaining(['production', 'test', 'custom']));
		expect(field('environment').default).toBe('production');
	});

	test('baseUrl only for custom', () => {
		expect(field('baseUrl').type).toBe('string');
		expect(field('baseUrl').displayOptions?.show?.environment).toEqual(['custom']);
	});

	test('hash, secret, accountToken; secret and accountToken are passwords', () => {
		expect(field('hash').type).toBe('string');
		expect(field('secret').type).toBe('string');
		expect(field('secret').typeOptions?.password).toBe(true);
		expect(field('accountToken').type).toBe('string');
		expect(field('accountToken').typeOptions?.password).toBe(true);
		expect(field('accountToken').required).not.toBe(true);
	});

	test('both nodes use it', () => {
		expect(action.credentials).toEqual([expect.objectContaining({ name: 'thinksuranceApi', required: true })]);
		expect(trigger.credentials).toEqual([expect.objectContaining({ name: 'thinksuranceApi', required: true })]);
		expect(pollingTrigger.credentials).toEqual([expect.objectContaining({ name: 'thinksuranceApi', required: true })]);
	});
});

describe('action node n8n-nodes-thinksurance.thinksurance', () => {
	test('name and versions: 1 and 1.1, new nodes get 1.1', () => {
		expect(action.name).toBe('thinksurance');
		expect(action.version).toEqual([1, 1.1]);
		expect(action.defaultVersion).toBe(1.1);
	});

	test('resources, default broker', () => {
		const resource = only(action.properties, 'resource');
		expect(valuesOf(resource)).toEqual(expect.arrayContaining(['broker', 'account', 'inquiry', 'document', 'product', 'profession']));
		expect(resource.default).toBe('broker');
	});

	test.each([
		['broker', ['forward', 'create', 'getToken'], 'forward'],
		['account', ['getTokens'], 'getTokens'],
		['inquiry', ['search', 'get'], 'search'],
		['document', ['download'], 'download'],
		['product', ['getAll'], 'getAll'],
		['profession', ['getAll'], 'getAll'],
	])('%s operations %j, default %s', (resource, operations, defaultOperation) => {
		const operation = action.properties.filter(
			(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes(resource),
		);
		expect(operation).toHaveLength(1);
		expect(valuesOf(operation[0])).toEqual(expect.arrayContaining(operations));
		expect(operation[0].default).toBe(defaultOperation);
	});

	const BROKER_FIELDS = [
		'gender',
		'firstName',
		'lastName',
		'email',
		'company',
		'street',
		'streetNumber',
		'zip',
		'city',
		'phone',
		'companyRegNumber',
		'regNumber',
	];

	describe('broker / forward', () => {
		const params = paramsFor('broker', 'forward');

		test('brokerToken, brokerExternalId, mappingType (1|2, default 1)', () => {
			expect(only(params, 'brokerToken').type).toBe('string');
			expect(only(params, 'brokerExternalId').type).toBe('string');
			const mappingType = only(params, 'mappingType');
			expect(valuesOf(mappingType)).toEqual([1, 2]);
			expect(mappingType.default).toBe(1);
		});

		test('brokerFields with isActive (boolean) and the person/company fields', () => {
			const brokerFields = only(params, 'brokerFields');
			expect(brokerFields.type).toBe('collection');
			expect(childNames(brokerFields)).toEqual(expect.arrayContaining([...BROKER_FIELDS, 'isActive']));
			expect(child(brokerFields, 'isActive').type).toBe('boolean');
			expect(valuesOf(child(brokerFields, 'gender'))).toEqual([1, 2]);
		});

		test('callbackFields: callbackUrl, testCallbackUrl, disableCallbacks (boolean)', () => {
			const callbackFields = only(params, 'callbackFields');
			expect(callbackFields.type).toBe('collection');
			expect(childNames(callbackFields)).toEqual(expect.arrayContaining(['callbackUrl', 'testCallbackUrl', 'disableCallbacks']));
			expect(child(callbackFields, 'disableCallbacks').type).toBe('boolean');
		});

		test('customerFields with every documented key and numeric enum values', () => {
			const customerFields = only(params, 'customerFields');
			expect(customerFields.type).toBe('collection');
			expect(childNames(customerFields)).toEqual(
				expect.arrayContaining([
					'externalId',
					'salutation',
					'title',
					'firstName',
					'lastName',
					'birthDate',
					'email',
					'street',
					'streetNumber',
					'zip',
					'city',
					'website',
					'phone',
					'privateIsCompanyAddress',
					'company',
					'legalForm',
					'companyStreet',
					'companyStreetNumber',
					'companyZip',
					'companyCity',
					'bankIban',
					'bankBic',
					'bankName',
					'bankAccountHolder',
					'accountType',
					'crmIdent',
					'externalReferences',
				]),
			);
			expect(valuesOf(child(customerFields, 'salutation'))).toEqual([1, 2]);
			expect(valuesOf(child(customerFields, 'title'))).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
			expect(valuesOf(child(customerFields, 'legalForm'))).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
			expect(valuesOf(child(customerFields, 'accountType'))).toEqual([0, 1]);
			expect(valuesOf(child(customerFields, 'privateIsCompanyAddress'))).toEqual([0, 1]);
		});

		test('externalReferences.reference[] with origin, paramKey, paramValue', () => {
			const references = child(only(params, 'customerFields'), 'externalReferences');
			expect(references.type).toBe('fixedCollection');
			expect(references.typeOptions?.multipleValues).toBe(true);
			const entries = references.options as INodePropertyCollection[];
			expect(entries.map((entry) => entry.name)).toEqual(['reference']);
			expect(entries[0].values.map((value) => value.name)).toEqual(expect.arrayContaining(['origin', 'paramKey', 'paramValue']));
		});

		test('inquiryFields: professionId, productId, instantInquiryCreation, questionnaire (JSON)', () => {
			const inquiryFields = only(params, 'inquiryFields');
			expect(childNames(inquiryFields)).toEqual(
				expect.arrayContaining(['professionId', 'productId', 'instantInquiryCreation', 'questionnaire']),
			);
			expect(child(inquiryFields, 'instantInquiryCreation').type).toBe('boolean');
			expect(child(inquiryFields, 'questionnaire').type).toBe('json');
		});
	});

	describe('broker / create', () => {
		const params = paramsFor('broker', 'create');

		test('accountToken, brokerExternalId, mappingType, email', () => {
			for (const name of ['accountToken', 'brokerExternalId', 'mappingType', 'email']) expect(only(params, name)).toBeDefined();
			expect(valuesOf(only(params, 'mappingType'))).toEqual([1, 2]);
			expect(only(params, 'mappingType').default).toBe(1);
		});

		test('brokerFields without isActive', () => {
			const brokerFields = only(params, 'brokerFields');
			expect(childNames(brokerFields)).toEqual(expect.arrayContaining(BROKER_FIELDS));
			expect(childNames(brokerFields)).not.toContain('isActive');
		});
	});

	describe('broker / getToken (Package 1.1; listed in 1 too)', () => {
		test.each([1, 1.1])('typeVersion %s: brokerExternalId, mappingType (1|2, default 1), email, createIfMissing (boolean, default false)', (version) => {
			const params = paramsFor('broker', 'getToken', version);
			expect(only(params, 'brokerExternalId').type).toBe('string');
			expect(valuesOf(only(params, 'mappingType'))).toEqual([1, 2]);
			expect(only(params, 'mappingType').default).toBe(1);
			expect(only(params, 'email').type).toBe('string');
			expect(only(params, 'createIfMissing')).toMatchObject({ type: 'boolean', default: false });
		});

		test('brokerFields as for create, without isActive', () => {
			const brokerFields = only(paramsFor('broker', 'getToken', 1.1), 'brokerFields');
			expect(brokerFields.type).toBe('collection');
			expect(childNames(brokerFields)).toEqual(expect.arrayContaining(BROKER_FIELDS));
			expect(childNames(brokerFields)).not.toContain('isActive');
		});
	});

	test('product / getAll: professionId (number, optional); profession / getAll: no required parameters', () => {
		const professionId = only(paramsFor('product', 'getAll', 1.1), 'professionId');
		expect(professionId.type).toBe('number');
		expect(professionId.required).not.toBe(true);
		expect(paramsFor('profession', 'getAll', 1.1).filter((property) => property.required)).toEqual([]);
	});

	test('inquiry / search: accountToken and filters inquiryId, lastDays, status (multi-select)', () => {
		const params = paramsFor('inquiry', 'search');
		expect(only(params, 'accountToken').type).toBe('string');
		const filters = only(params, 'filters');
		expect(filters.type).toBe('collection');
		expect(childNames(filters)).toEqual(expect.arrayContaining(['inquiryId', 'lastDays', 'status']));
		expect(child(filters, 'status').type).toBe('multiOptions');
		expect(valuesOf(child(filters, 'status'))).toEqual(expect.arrayContaining([2, 3, 4, 6, 15]));
	});

	test('inquiry / get: inquiryId, authenticateAs (account|broker, default account), accountToken, brokerToken', () => {
		const params = paramsFor('inquiry', 'get');
		expect(only(params, 'inquiryId')).toBeDefined();
		const authenticateAs = only(params, 'authenticateAs');
		expect(valuesOf(authenticateAs)).toEqual(expect.arrayContaining(['account', 'broker']));
		expect(authenticateAs.default).toBe('account');
		expect(only(params, 'accountToken').displayOptions?.show?.authenticateAs).toEqual(['account']);
		expect(only(params, 'brokerToken').displayOptions?.show?.authenticateAs).toEqual(['broker']);
	});

	test('document / download: inquiryId, accountToken, purposes, binaryPropertyName (default data)', () => {
		const params = paramsFor('document', 'download');
		expect(only(params, 'inquiryId')).toBeDefined();
		expect(only(params, 'accountToken')).toBeDefined();
		const purposes = only(params, 'purposes');
		expect(purposes.type).toBe('multiOptions');
		expect(valuesOf(purposes)).toEqual(expect.arrayContaining(['insurer_docs', 'upload_file', 'consultationDocument', 'orderDocument']));
		expect(purposes.default).toEqual([]);
		expect(only(params, 'binaryPropertyName').default).toBe('data');
	});

	test('account / getTokens needs no parameters', () => {
		const params = paramsFor('account', 'getTokens').filter((property) => property.type !== 'notice');
		expect(params.filter((property) => property.required)).toEqual([]);
	});

	test.each([
		['broker', 'forward'],
		['broker', 'create'],
		['broker', 'getToken'],
		['inquiry', 'get'],
		['document', 'download'],
	])('%s / %s: options.batching.batch.batchSize / batchInterval', (resource, operation) => {
		const options = only(paramsFor(resource, operation), 'options');
		expect(options.type).toBe('collection');
		const batching = child(options, 'batching');
		expect(batching.type).toBe('fixedCollection');
		const entries = batching.options as INodePropertyCollection[];
		expect(entries.map((entry) => entry.name)).toEqual(['batch']);
		const values = entries[0].values;
		expect(values.map((value) => value.name)).toEqual(expect.arrayContaining(['batchSize', 'batchInterval']));
		for (const value of values) expect(value.type).toBe('number');
	});
});

describe('action node typeVersion 1.1', () => {
	const OPERATIONS: Array<[string, string]> = [
		['broker', 'forward'],
		['broker', 'create'],
		['account', 'getTokens'],
		['inquiry', 'search'],
		['inquiry', 'get'],
		['document', 'download'],
		['broker', 'getToken'],
		['product', 'getAll'],
		['profession', 'getAll'],
	];
	const WITH_ACCOUNT: Array<[string, string]> = [
		['broker', 'create'],
		['broker', 'getToken'],
		['inquiry', 'search'],
		['inquiry', 'get'],
		['document', 'download'],
	];
	const WITH_INQUIRY: Array<[string, string]> = [
		['inquiry', 'get'],
		['document', 'download'],
	];
	const modesOf = (property: INodeProperties) => (property.modes ?? []).map((mode) => mode.name);

	test.each(OPERATIONS)('%s / %s: every typeVersion 1 parameter is still there in 1.1', (resource, operation) => {
		const v1 = paramsFor(resource, operation, 1).map((property) => property.name);
		const v11 = paramsFor(resource, operation, 1.1).map((property) => property.name);
		expect(v11).toEqual(expect.arrayContaining(v1));
	});

	test.each(WITH_ACCOUNT)('%s / %s: accountToken is a plain string in 1, a locator list|id in 1.1 (default empty)', (resource, operation) => {
		expect(only(paramsFor(resource, operation, 1), 'accountToken').type).toBe('string');
		const locator = only(paramsFor(resource, operation, 1.1), 'accountToken');
		expect(locator.type).toBe('resourceLocator');
		expect(modesOf(locator)).toEqual(['list', 'id']);
		expect(locator.modes?.[0].typeOptions).toEqual({ searchListMethod: 'searchAccounts', searchable: true });
		expect(locator.default).toEqual({ mode: 'list', value: '' });
		expect(locator.required).not.toBe(true);
	});

	test.each(WITH_INQUIRY)('%s / %s: inquiryId is a plain string in 1, a locator list|id in 1.1', (resource, operation) => {
		expect(only(paramsFor(resource, operation, 1), 'inquiryId').type).toBe('string');
		const locator = only(paramsFor(resource, operation, 1.1), 'inquiryId');
		expect(locator.type).toBe('resourceLocator');
		expect(modesOf(locator)).toEqual(['list', 'id']);
		expect(locator.modes?.[0].typeOptions).toEqual({ searchListMethod: 'searchInquiries', searchable: true });
	});

	test.each(WITH_INQUIRY)('%s / %s: in 1.1 the account comes before the inquiry (its list depends on it)', (resource, operation) => {
		const names = paramsFor(resource, operation, 1.1).map((property) => property.name);
		expect(names.indexOf('accountToken')).toBeLessThan(names.indexOf('inquiryId'));
	});

	test('inquiry / search: returnAll (default false) and limit (default 50, shown without returnAll) only in 1.1', () => {
		const v11 = paramsFor('inquiry', 'search', 1.1);
		expect(only(v11, 'returnAll')).toMatchObject({ type: 'boolean', default: false });
		const limit = only(v11, 'limit');
		expect(limit).toMatchObject({ type: 'number', default: 50 });
		expect(limit.displayOptions?.show?.returnAll).toEqual([false]);
		const v1 = paramsFor('inquiry', 'search', 1).map((property) => property.name);
		expect(v1).not.toContain('returnAll');
		expect(v1).not.toContain('limit');
	});

	test.each([['search'], ['get']])('inquiry / %s: simplify (default true) only in 1.1', (operation) => {
		expect(only(paramsFor('inquiry', operation, 1.1), 'simplify')).toMatchObject({ type: 'boolean', default: true });
		expect(paramsFor('inquiry', operation, 1).map((property) => property.name)).not.toContain('simplify');
	});

	test('broker / forward: inquiryFields.professionId / productId are numbers in 1, option lists in 1.1 (products depend on the profession)', () => {
		const v1 = only(paramsFor('broker', 'forward', 1), 'inquiryFields');
		expect(child(v1, 'professionId').type).toBe('number');
		expect(child(v1, 'productId').type).toBe('number');
		const v11 = only(paramsFor('broker', 'forward', 1.1), 'inquiryFields');
		expect(childNames(v11)).toEqual(expect.arrayContaining(childNames(v1)));
		expect(child(v11, 'professionId')).toMatchObject({ type: 'options', typeOptions: { loadOptionsMethod: 'getProfessions' } });
		expect(child(v11, 'productId')).toMatchObject({
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getProducts', loadOptionsDependsOn: ['inquiryFields.professionId'] },
		});
		const loadOptions = new Thinksurance().methods.loadOptions;
		expect(typeof loadOptions.getProfessions).toBe('function');
		expect(typeof loadOptions.getProducts).toBe('function');
	});

	test('the list methods the locators name exist', () => {
		const listSearch = new Thinksurance().methods.listSearch;
		expect(typeof listSearch.searchAccounts).toBe('function');
		expect(typeof listSearch.searchInquiries).toBe('function');
	});

	test('the trigger keeps a plain string accountToken', () => {
		expect(only(trigger.properties, 'accountToken').type).toBe('string');
	});
});

describe('Package 1.1: agency numbers', () => {
	const modesOf = (property: INodeProperties) => (property.modes ?? []).map((mode) => mode.name);
	const collectionEntry = (property: INodeProperties, name: string) => {
		const found = (property.options as Option[]).find((option) => option.name === name);
		if (!found || !isCollectionEntry(found)) throw new Error(`"${property.name}" has no entry "${name}"`);
		return found;
	};
	const field = (entry: INodePropertyCollection, name: string) => {
		const found = entry.values.find((value) => value.name === name);
		if (!found) throw new Error(`"${entry.name}" has no field "${name}"`);
		return found;
	};

	test('resource agencyNumber: operations create (Add), getAll (Get Many), delete (Delete)', () => {
		expect(valuesOf(only(action.properties, 'resource'))).toContain('agencyNumber');
		const operation = action.properties.filter(
			(property) => property.name === 'operation' && property.displayOptions?.show?.resource?.includes('agencyNumber'),
		);
		expect(operation).toHaveLength(1);
		const options = (operation[0].options as INodePropertyOptions[]).map((option) => [option.value, option.name]);
		expect(options).toEqual(expect.arrayContaining([['create', 'Add'], ['getAll', 'Get Many'], ['delete', 'Delete']]));
	});

	test.each([['create'], ['delete']])('%s: authenticateAs, accountToken, brokerToken, insurerIdType, insurerId in 1 and 1.1', (operation) => {
		for (const version of [1, 1.1]) {
			const params = paramsFor('agencyNumber', operation, version);
			const authenticateAs = only(params, 'authenticateAs');
			expect(valuesOf(authenticateAs)).toEqual(['account', 'broker']);
			expect(authenticateAs.default).toBe('account');
			expect(only(params, 'accountToken').displayOptions?.show?.authenticateAs).toEqual(['account']);
			expect(only(params, 'brokerToken').displayOptions?.show?.authenticateAs).toEqual(['broker']);
			const type = only(params, 'insurerIdType');
			expect(valuesOf(type)).toEqual(['baFinId', 'insurerId', 'supervisingAuthorityId']);
			expect(type.default).toBe('baFinId');
			expect(only(params, 'insurerId')).toMatchObject({ type: 'string', default: '' });
		}
		expect(only(paramsFor('agencyNumber', operation, 1), 'accountToken').type).toBe('string');
		const locator = only(paramsFor('agencyNumber', operation, 1.1), 'accountToken');
		expect(locator.type).toBe('resourceLocator');
		expect(modesOf(locator)).toEqual(['list', 'id']);
	});

	test('create: agencyNumbers.number[] with the documented fields and defaults', () => {
		const numbers = only(paramsFor('agencyNumber', 'create', 1.1), 'agencyNumbers');
		expect(numbers.type).toBe('fixedCollection');
		expect(numbers.typeOptions?.multipleValues).toBe(true);
		const entry = collectionEntry(numbers, 'number');
		expect(entry.values.map((value) => value.name).sort()).toEqual(
			['active', 'agencyNumber', 'collectionType', 'defaultForCalculations', 'defaultForTenders', 'externalInsurerId', 'externalUniqueId', 'internalComment', 'matchCode'],
		);
		expect(field(entry, 'agencyNumber')).toMatchObject({ type: 'string', required: true });
		expect(field(entry, 'defaultForTenders')).toMatchObject({ type: 'boolean', default: false });
		expect(field(entry, 'defaultForCalculations')).toMatchObject({ type: 'boolean', default: false });
		expect(field(entry, 'active')).toMatchObject({ type: 'boolean', default: true });
		const collectionType = field(entry, 'collectionType');
		expect(collectionType.type).toBe('options');
		expect(valuesOf(collectionType)).toEqual(['insurer_collection', 'mga_collection']);
		expect(collectionType.noDataExpression).not.toBe(true);
		for (const name of ['matchCode', 'externalInsurerId', 'externalUniqueId', 'internalComment']) expect(field(entry, name).type).toBe('string');
	});

	test('delete: agencyNumbers.number[] with agencyNumber or externalInsurerId', () => {
		const numbers = only(paramsFor('agencyNumber', 'delete', 1.1), 'agencyNumbers');
		expect(numbers.type).toBe('fixedCollection');
		expect(numbers.typeOptions?.multipleValues).toBe(true);
		expect(collectionEntry(numbers, 'number').values.map((value) => value.name)).toEqual(['agencyNumber', 'externalInsurerId']);
	});

	test('getAll: accountToken (no broker), returnAll (default false), limit (default 50, shown without returnAll)', () => {
		const params = paramsFor('agencyNumber', 'getAll', 1.1);
		expect(only(params, 'accountToken').type).toBe('resourceLocator');
		expect(params.map((property) => property.name)).not.toContain('brokerToken');
		expect(params.map((property) => property.name)).not.toContain('authenticateAs');
		expect(only(params, 'returnAll')).toMatchObject({ type: 'boolean', default: false });
		const limit = only(params, 'limit');
		expect(limit).toMatchObject({ type: 'number', default: 50 });
		expect(limit.displayOptions?.show?.returnAll).toEqual([false]);
	});
});

describe('trigger node n8n-nodes-thinksurance.thinksuranceTrigger', () => {
	const field = (name: string) => only(trigger.properties, name);

	test('name, version, one POST webhook', () => {
		expect(trigger.name).toBe('thinksuranceTrigger');
		// typeVersion 1 (interface.md) stays; 1.1 is what new nodes get.
		expect(trigger.version).toEqual([1, 1.1]);
		// Every parameter of the interface exists in both versions: only the hidden raw-body option is version 1's.
		const versioned = trigger.properties.filter((property) => property.displayOptions?.show?.['@version']).map((property) => property.name);
		expect(versioned).toEqual(['options']);
		expect(trigger.webhooks).toHaveLength(1);
		expect(trigger.webhooks?.[0].httpMethod).toBe('POST');
	});

	test('events incl. "*" (default all)', () => {
		expect(field('events').type).toBe('multiOptions');
		expect(valuesOf(field('events'))).toEqual(
			expect.arrayContaining(['inquiryCreated', 'inquiryUpdated', 'inquiryProposalCreated', 'inquiryOrdered', '*']),
		);
		expect(field('events').default).toEqual(['*']);
	});

	test('registration brokerCallback | manual, with the broker parameters', () => {
		expect(valuesOf(field('registration'))).toEqual(expect.arrayContaining(['brokerCallback', 'manual']));
		expect(field('registration').default).toBe('brokerCallback');
		for (const name of ['brokerToken', 'brokerExternalId', 'mappingType']) {
			expect(field(name).displayOptions?.show?.registration).toEqual(['brokerCallback']);
		}
		expect(valuesOf(field('mappingType'))).toEqual([1, 2]);
		expect(field('mappingType').default).toBe(1);
	});

	test('fetchInquiry default true, downloadDocuments default false, binaryPropertyName default data', () => {
		expect(field('fetchInquiry').type).toBe('boolean');
		expect(field('fetchInquiry').default).toBe(true);
		expect(field('downloadDocuments').type).toBe('boolean');
		expect(field('downloadDocuments').default).toBe(false);
		expect(field('binaryPropertyName').default).toBe('data');
	});
});

function duplicateProblems(properties: INodeProperties[]): string[] {
	const problems: string[] = [];
	walk(properties, (node, path) => {
		if (isCollectionEntry(node)) {
			const names = node.values.map((value) => value.name);
			if (new Set(names).size !== names.length) problems.push(`${path}: duplicate field names ${names.join(', ')}`);
			return;
		}
		if (!('options' in node) || !Array.isArray(node.options)) return;
		const options = node.options as Option[];
		const values = options.filter(isPropertyOption).map((option) => JSON.stringify(option.value));
		const names = options.map((option) => option.name);
		if (new Set(values).size !== values.length) problems.push(`${path}: duplicate values ${values.join(', ')}`);
		if (new Set(names).size !== names.length) problems.push(`${path}: duplicate names ${names.join(', ')}`);
	});
	return problems;
}

function starProblems(properties: INodeProperties[]): string[] {
	const problems: string[] = [];
	walk(properties, (node, path) => {
		const label = 'displayName' in node ? node.displayName : node.name;
		if (typeof label === 'string' && label.includes('*')) problems.push(`${path}: "${label}"`);
	});
	return problems;
}

function defaultProblems(properties: INodeProperties[]): string[] {
	const problems: string[] = [];
	walk(properties, (node, path) => {
		if (!('type' in node) || (node.type !== 'options' && node.type !== 'multiOptions') || !Array.isArray(node.options)) return;
		const values = (node.options as Option[]).filter(isPropertyOption).map((option) => option.value);
		const defaults = node.type === 'multiOptions' ? (node.default as unknown[]) : [node.default];
		for (const value of defaults) if (!values.includes(value as never)) problems.push(`${path}: default ${JSON.stringify(value)}`);
	});
	return problems;
}

function conditionProblems(properties: INodeProperties[]): string[] {
	const topLevel = new Map<string, INodeProperties[]>();
	for (const property of properties) topLevel.set(property.name, [...(topLevel.get(property.name) ?? []), property]);
	const problems: string[] = [];
	for (const property of properties) {
		for (const conditions of [property.displayOptions?.show, property.displayOptions?.hide]) {
			for (const [name, wanted] of Object.entries(conditions ?? {})) {
				if (name.startsWith('@')) continue;
				const targets = topLevel.get(name);
				if (!targets) {
					problems.push(`${property.name}: depends on missing parameter "${name}"`);
					continue;
				}
				const allowed = targets.flatMap((target) => (target.type === 'boolean' ? [true, false] : target.options ? valuesOf(target) : []));
				if (allowed.length === 0) continue;
				for (const value of wanted ?? []) {
					if (!allowed.includes(value)) problems.push(`${property.name}: ${name} = ${JSON.stringify(value)} is no option`);
				}
			}
		}
	}
	return problems;
}

function sameNameProblems(properties: INodeProperties[]): string[] {
	const seen = new Set<string>();
	const problems: string[] = [];
	for (const property of properties) {
		const key = `${property.name} ${JSON.stringify(property.displayOptions ?? {})}`;
		if (seen.has(key)) problems.push(`${property.name} appears twice under the same conditions`);
		seen.add(key);
	}
	return problems;
}

/** n8n's review: placeholders are examples ("e.g. …"), except "Add …" of collections and "Select …" of lists. */
function placeholderProblems(properties: INodeProperties[]): string[] {
	const problems: string[] = [];
	const check = (placeholder: unknown, path: string, allowed: RegExp) => {
		if (typeof placeholder === 'string' && !/^e\.g\. /.test(placeholder) && !allowed.test(placeholder)) problems.push(`${path}: "${placeholder}"`);
	};
	walk(properties, (node, path) => {
		if (!('type' in node)) return;
		const property = node as INodeProperties;
		check(property.placeholder, path, property.type === 'collection' || property.type === 'fixedCollection' ? /^Add / : /$^/);
		for (const mode of property.modes ?? []) check(mode.placeholder, `${path}[${mode.name}]`, mode.type === 'list' ? /^Select / : /$^/);
	});
	return problems;
}

function booleanProblems(properties: INodeProperties[]): string[] {
	const problems: string[] = [];
	walk(properties, (node, path) => {
		if ('type' in node && node.type === 'boolean' && !/^Whether /.test(String(node.description ?? ''))) problems.push(`${path}: "${node.description}"`);
	});
	return problems;
}

describe.each(descriptions)('general rules: %s', (_, properties) => {
	test('placeholders start with "e.g."', () => expect(placeholderProblems(properties)).toEqual([]));
	test('booleans are described "Whether …"', () => expect(booleanProblems(properties)).toEqual([]));
	test('no option list has duplicate values or names', () => expect(duplicateProblems(properties)).toEqual([]));
	test('no display name contains "*"', () => expect(starProblems(properties)).toEqual([]));
	test('defaults of option lists are among their values', () => expect(defaultProblems(properties)).toEqual([]));
	test('display conditions refer to existing parameters and values', () => expect(conditionProblems(properties)).toEqual([]));
	test('parameters shown together have distinct names', () => expect(sameNameProblems(properties)).toEqual([]));
});

test('the rule checks catch a broken description (so a green run means something)', () => {
	const broken: INodeProperties[] = [
		{
			displayName: 'Mode *',
			name: 'mode',
			type: 'options',
			options: [
				{ name: 'A', value: 'a' },
				{ name: 'B', value: 'a' },
			],
			default: 'c',
		},
		{
			displayName: 'Fields',
			name: 'fields',
			type: 'collection',
			default: {},
			displayOptions: { show: { mode: ['z'], gone: [true] } },
			options: [
				{ displayName: 'X', name: 'x', type: 'string', default: '' },
				{ displayName: 'X again', name: 'x', type: 'string', default: '' },
				{
					displayName: 'Refs',
					name: 'refs',
					type: 'fixedCollection',
					default: {},
					options: [{ displayName: 'Ref', name: 'ref', values: [{ displayName: 'K*', name: 'k', type: 'string', default: '' }, { displayName: 'K', name: 'k', type: 'string', default: '' }] }],
				},
			],
		},
		{ displayName: 'Mode', name: 'mode', type: 'string', default: '' },
	];
	expect(duplicateProblems(broken)).toEqual([
		'mode: duplicate values "a", "a"',
		'fields: duplicate names x, x, refs',
		'fields.refs.ref: duplicate field names k, k',
	]);
	expect(starProblems(broken)).toEqual(['mode: "Mode *"', 'fields.refs.ref.k: "K*"']);
	expect(defaultProblems(broken)).toEqual(['mode: default "c"']);
	expect(conditionProblems(broken)).toEqual(['fields: mode = "z" is no option', 'fields: depends on missing parameter "gone"']);
	expect(sameNameProblems(broken)).toEqual(['mode appears twice under the same conditions']);
	const texts: INodeProperties[] = [
		{ displayName: 'Mail', name: 'mail', type: 'string', default: '', placeholder: 'name@example.de' },
		{ displayName: 'On', name: 'on', type: 'boolean', default: false, description: 'Turns it on' },
		{ displayName: 'Fine', name: 'fine', type: 'boolean', default: false, description: 'Whether it is fine' },
		{ displayName: 'Set', name: 'set', type: 'collection', default: {}, placeholder: 'Add Field', options: [] },
	];
	expect(placeholderProblems(texts)).toEqual(['mail: "name@example.de"']);
	expect(booleanProblems(texts)).toEqual(['on: "Turns it on"']);
});

test('UI text: salutations Mr / Ms, the trigger\'s event parameter is "Trigger On" (name stays events)', () => {
	const salutation = child(only(paramsFor('broker', 'forward'), 'customerFields'), 'salutation');
	expect((salutation.options as INodePropertyOptions[]).map((option) => [option.name, option.value])).toEqual([
		['Mr', 1],
		['Ms', 2],
	]);
	expect(only(trigger.properties, 'events').displayName).toBe('Trigger On');
});

test('every operation has an action', () => {
	const problems: string[] = [];
	for (const property of action.properties.filter((p) => p.name === 'operation')) {
		for (const option of property.options as INodePropertyOptions[]) {
			if (typeof option.action !== 'string' || option.action === '') problems.push(String(option.value));
		}
	}
	expect(problems).toEqual([]);
});

test('the descriptions are plain data (n8n serialises them for the editor)', () => {
	for (const description of [action, trigger] as INodeTypeDescription[]) {
		expect(() => JSON.stringify(description)).not.toThrow();
	}
	expect(JSON.parse(JSON.stringify(credential.properties))).toEqual(credential.properties);
});

describe('polling trigger n8n-nodes-thinksurance.thinksurancePollingTrigger', () => {
	const field = (name: string) => only(pollingTrigger.properties, name);

	test('name, version 1, a polling node (n8n adds the standard pollTimes), no webhooks, not a tool', () => {
		expect(pollingTrigger.name).toBe('thinksurancePollingTrigger');
		expect(pollingTrigger.version).toBe(1);
		expect(pollingTrigger.polling).toBe(true);
		expect(pollingTrigger.webhooks).toBeUndefined();
		expect(pollingTrigger.inputs).toEqual([]);
		expect((pollingTrigger as { usableAsTool?: boolean }).usableAsTool).toBeUndefined();
		// n8n's loader prepends pollTimes to polling nodes; a second one would clash.
		expect(pollingTrigger.properties.map((property) => property.name)).not.toContain('pollTimes');
	});

	test('accountToken: plain string, default empty', () => {
		expect(field('accountToken').type).toBe('string');
		expect(field('accountToken').default).toBe('');
	});

	test('events inquiryCreated | inquiryUpdated | "*" (default all)', () => {
		expect(field('events').type).toBe('multiOptions');
		expect(valuesOf(field('events')).sort()).toEqual(['*', 'inquiryCreated', 'inquiryUpdated']);
		expect(field('events').default).toEqual(['*']);
	});

	test('filters.status: multi-select of the inquiry statuses, default none', () => {
		expect(field('filters').type).toBe('collection');
		const status = child(field('filters'), 'status');
		expect(status.type).toBe('multiOptions');
		expect(valuesOf(status)).toEqual(expect.arrayContaining([2, 3, 4, 6, 15]));
		expect(status.default).toEqual([]);
	});

	test('downloadDocuments default false, binaryPropertyName default data', () => {
		expect(field('downloadDocuments').type).toBe('boolean');
		expect(field('downloadDocuments').default).toBe(false);
		expect(field('binaryPropertyName').default).toBe('data');
	});

	test('same icon files as the other nodes', () => {
		expect(pollingTrigger.icon).toEqual(trigger.icon);
	});
});
