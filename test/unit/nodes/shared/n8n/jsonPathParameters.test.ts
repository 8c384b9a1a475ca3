/**
 * The `$json` fast path of nodes/shared/n8n/jsonPathParameters.ts: which expressions it reads
 * itself, and that for each of them n8n-workflow's own evaluation (the installed version) gives
 * exactly the same value. Fails when n8n changes the meaning of a plain `$json` path; the engine
 * twin is test/engine/broker/forward.mappings.property.test.ts.
 */
import { Workflow, type IDataObject, type INode, type INodeType, type INodeTypes } from 'n8n-workflow';

import { readPlainJsonPath } from '../../../../../nodes/shared/n8n/jsonPathParameters';

const item = {
	email: 'kunde@example.de',
	age: 42,
	active: false,
	empty: '',
	zero: 0,
	'first name': 'Anna',
	customer: { crm: { id: 'C-1' }, list: ['a'] },
	nothing: null,
	notANumber: Number.NaN,
	list: ['x', 'y'],
};

const READ_BY_THE_FAST_PATH: Array<[string, unknown]> = [
	['={{ $json.email }}', 'kunde@example.de'],
	['={{$json.email}}', 'kunde@example.de'],
	['={{   $json.age   }}', 42],
	['={{ $json.active }}', false],
	['={{ $json.empty }}', ''],
	['={{ $json.zero }}', 0],
	['={{ $json["first name"] }}', 'Anna'],
	["={{ $json['first name'] }}", 'Anna'],
	['={{ $json.customer.crm.id }}', 'C-1'],
	["={{ $json['customer'].crm['id'] }}", 'C-1'],
];

describe('readPlainJsonPath: mappings read straight from the item', () => {
	test.each(READ_BY_THE_FAST_PATH)('%s → %p', (expression, expected) => {
		expect(readPlainJsonPath(expression, item)).toEqual({ value: expected });
	});
});

describe('n8n\'s own evaluation of the same expressions gives the same values (the internal the fast path relies on)', () => {
	const nodeType = { description: { properties: [] } } as unknown as INodeType;
	const nodeTypes = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	const node: INode = { id: 'n', name: 'Node', type: 'test.node', typeVersion: 1, position: [0, 0], parameters: {} };
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const evaluate = (expression: string, json: IDataObject) =>
		workflow.expression.getParameterValue(expression, null, 0, 0, 'Node', [{ json }], 'manual', {});

	test.each(READ_BY_THE_FAST_PATH)('%s', (expression) => {
		expect(evaluate(expression, item)).toEqual(readPlainJsonPath(expression, item)?.value);
	});

	test('values the fast path leaves to n8n are ones n8n does not give back as they are (null, NaN, objects)', () => {
		expect(evaluate('={{ $json.nothing }}', item)).toBeNull();
		expect(evaluate('={{ $json.customer }}', item)).toEqual(item.customer);
		expect(readPlainJsonPath('={{ $json.nothing }}', item)).toBeUndefined();
	});
});

describe('readPlainJsonPath: everything else is left to n8n', () => {
	test.each([
		['not an expression', '{{ $json.email }}'],
		['text around the expression', '=Mail: {{ $json.email }}'],
		['two expressions', '={{ $json.email }}{{ $json.age }}'],
		['a method call', '={{ $json.email.toUpperCase() }}'],
		['an extension', '={{ $json.email.isEmail() }}'],
		['an operator', '={{ $json.age + 1 }}'],
		['parentheses', '={{ ($json.email) }}'],
		['another node', "={{ $('Items').item.json.email }}"],
		['$input', '={{ $input.item.json.email }}'],
		['an array index', '={{ $json.list[0] }}'],
		['a missing key', '={{ $json.missing }}'],
		['a path through a missing key', '={{ $json.missing.deeper }}'],
		['a path through a string', '={{ $json.email.length }}'],
		['null', '={{ $json.nothing }}'],
		['NaN', '={{ $json.notANumber }}'],
		['an object', '={{ $json.customer }}'],
		['an array', '={{ $json.list }}'],
		['an inherited property', '={{ $json.toString }}'],
		['__proto__', '={{ $json.__proto__ }}'],
		['constructor', '={{ $json.constructor }}'],
		['an escaped quote', "={{ $json['a\\'b'] }}"],
	])('%s', (_, expression) => {
		expect(readPlainJsonPath(expression, item)).toBeUndefined();
	});

	test('own keys named like guarded ones still go to n8n', () => {
		const tricky = JSON.parse('{"__proto__":"x","constructor":"y"}') as Record<string, string>;
		expect(readPlainJsonPath('={{ $json.constructor }}', tricky)).toBeUndefined();
		expect(readPlainJsonPath("={{ $json['__proto__'] }}", tricky)).toBeUndefined();
	});

	test('objects that are not plain JSON (e.g. a Date) go to n8n', () => {
		expect(readPlainJsonPath('={{ $json.when.value }}', { when: new Date(0) as unknown as string })).toBeUndefined();
	});
});
