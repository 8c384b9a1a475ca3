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

describe('readPlainJsonPath: mappings read straight from the item', () => {
	test.each([
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
	])('%s → %p', (expression, expected) => {
		expect(readPlainJsonPath(expression, item)).toEqual({ value: expected });
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
