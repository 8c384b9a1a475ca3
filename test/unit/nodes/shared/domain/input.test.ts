import {
	InputError,
	compact,
	isEmpty,
	readBoolean,
	readCollection,
	readDate,
	readEmail,
	readInteger,
	readJsonObject,
	readText,
	readUrl,
	requireText,
} from '../../../../../nodes/shared/domain/input';
import { inputError } from '../../../../support/input-error';

/** The text a user sees: message plus hint, as the router shows it. */
const shownText = (error: InputError) => `${error.message} ${error.hint ?? ''}`;

describe('absent values', () => {
	test.each([undefined, null, '', '   ', '\t\n'])('%p counts as absent for every reader', (value) => {
		expect(isEmpty(value)).toBe(true);
		expect(readText(value, 'F')).toBeUndefined();
		expect(readInteger(value, 'F', [1, 2])).toBeUndefined();
		expect(readBoolean(value, 'F')).toBeUndefined();
		expect(readEmail(value, 'F')).toBeUndefined();
		expect(readDate(value, 'F')).toBeUndefined();
		expect(readUrl(value, 'F')).toBeUndefined();
		expect(readJsonObject(value, 'F')).toBeUndefined();
	});

	test.each([0, false, 'x', [], {}])('%p is a value, not absent', (value) => {
		expect(isEmpty(value)).toBe(false);
	});

	test('requireText refuses absent values naming the field', () => {
		for (const value of [undefined, null, '', '  ']) {
			const error = inputError(() => requireText(value, 'Broker Token'));
			expect(error.field).toBe('Broker Token');
			expect(error.message).toContain('"Broker Token" is required');
		}
	});
});

describe('readText', () => {
	test('keeps text as given and turns numbers and booleans into text', () => {
		expect(readText('Müller ', 'F')).toBe('Müller ');
		expect(readText(4711, 'F')).toBe('4711');
		expect(readText(true, 'F')).toBe('true');
	});

	test.each([
		[['a', 'b'], 'a list'],
		[{ a: 1 }, 'an object'],
	])('refuses %p naming the field and saying what it got', (value, got) => {
		const error = inputError(() => readText(value, 'Customer Fields → City'));
		expect(error.field).toBe('Customer Fields → City');
		expect(error.message).toContain('"Customer Fields → City" must be text');
		expect(error.message).toContain(got);
		expect(error.hint).toMatch(/single text value/);
	});
});

describe('readInteger (enum values)', () => {
	test('accepts numbers and numeric text from expressions', () => {
		expect(readInteger(4, 'F', [1, 2, 3, 4])).toBe(4);
		expect(readInteger('4', 'F', [1, 2, 3, 4])).toBe(4);
		expect(readInteger(' 2 ', 'F', [1, 2])).toBe(2);
		expect(readInteger(0, 'F', [0, 1])).toBe(0);
		expect(readInteger('0', 'F', [0, 1])).toBe(0);
	});

	test('refuses a value outside the list, naming the allowed values', () => {
		const error = inputError(() => readInteger(3, 'Customer Fields → Salutation', [1, 2]));
		expect(error.field).toBe('Customer Fields → Salutation');
		expect(error.message).toContain('"Customer Fields → Salutation" must be one of 1, 2 but is 3');
		expect(error.hint).toMatch(/Choose a value from the list/);
		expect(() => readInteger('25', 'F', [1, 2])).toThrow(InputError);
	});

	test.each(['Herr', '4.5', 4.5, 'abc', true, [1], { v: 1 }, Number.NaN, Number.POSITIVE_INFINITY])(
		'refuses %p as not a whole number',
		(value) => {
			const error = inputError(() => readInteger(value, 'Inquiry Fields → Product ID'));
			expect(error.message).toContain('"Inquiry Fields → Product ID" must be a whole number');
		},
	);
});

describe('readBoolean', () => {
	test.each([
		[true, true],
		[false, false],
		[1, true],
		[0, false],
		['true', true],
		['FALSE', false],
		[' yes ', true],
		['no', false],
		['1', true],
		['0', false],
	])('%p → %p', (value, expected) => {
		expect(readBoolean(value, 'F')).toBe(expected);
	});

	test.each(['maybe', 2, [true], { a: true }])('refuses %p naming the field', (value) => {
		const error = inputError(() => readBoolean(value, 'Broker Fields → Is Active'));
		expect(error.message).toContain('"Broker Fields → Is Active" must be true or false');
	});
});

describe('readEmail', () => {
	test.each(['max@example.de', 'max.mustermann+crm@sub.example.co.uk', 'a_b-c@x-y.de', 'jörg@müller.de'])(
		'accepts the bare address %p unchanged',
		(email) => {
			expect(readEmail(email, 'E-Mail')).toBe(email);
		},
	);

	test.each([
		['max @example.de', /remove the spaces/i],
		['max@example.de ', /remove the spaces/i],
		['max@example.de;', /remove the trailing ";"/i],
		['max@example.de, eva@example.de', /single address/i],
		['max@example.de;eva@example.de', /single address/i],
		['Max Mustermann <max@example.de>', /display name/i],
		['<max@example.de>', /display name/i],
		['max.example.de', /add the "@"/i],
		['max@example', /name@example\.de/],
	])('refuses %p naming the field and the fix', (email, fix) => {
		const error = inputError(() => readEmail(email, 'Customer Fields → E-Mail'));
		expect(error.field).toBe('Customer Fields → E-Mail');
		expect(error.message).toContain('"Customer Fields → E-Mail" is not a bare e-mail address');
		expect(error.message).toContain(email.trim().slice(0, 20));
		expect(shownText(error)).toMatch(fix);
	});

	test('a display name with spaces gets both fixes', () => {
		const error = inputError(() => readEmail('Max Mustermann <max@example.de>;', 'E-Mail'));
		expect(error.message).toMatch(/remove the spaces/i);
		expect(error.message).toMatch(/trailing ";"/);
		expect(error.message).toMatch(/display name/);
	});

	test('refuses a list of addresses as not text', () => {
		const error = inputError(() => readEmail(['max@example.de'], 'E-Mail'));
		expect(error.message).toContain('"E-Mail" must be text but is a list');
	});

	test('shortens very long wrong values in the message', () => {
		const error = inputError(() => readEmail(`${'x'.repeat(200)} @example.de`, 'E-Mail'));
		expect(error.message.length).toBeLessThan(200);
		expect(error.message).toContain('...');
	});
});

describe('readDate', () => {
	test.each([
		['1980-04-23', '1980-04-23'],
		[' 1980-04-23 ', '1980-04-23'],
		['2024-02-29', '2024-02-29'],
		['1980-04-23T00:00:00.000Z', '1980-04-23'],
		['1980-04-23T10:15:00+02:00', '1980-04-23'],
		['1980-04-23T23:59', '1980-04-23'],
	])('%p → %p', (value, expected) => {
		expect(readDate(value, 'Customer Fields → Birth Date')).toBe(expected);
	});

	test('accepts Date objects and Luxon-like DateTimes from expressions', () => {
		expect(readDate(new Date(Date.UTC(1980, 3, 23, 12)), 'F')).toBe('1980-04-23');
		expect(readDate({ toISODate: () => '1980-04-23' }, 'F')).toBe('1980-04-23');
	});

	test.each(['2023-02-30', '2023-02-29', '2023-13-01', '2023-00-10', '2023-04-31', '23.04.1980', '04/23/1980', '1980-4-23', '19800423', 'yesterday', '1980-04-23 10:00:00'])(
		'refuses %p naming the field and the expected form',
		(value) => {
			const error = inputError(() => readDate(value, 'Customer Fields → Birth Date'));
			expect(error.field).toBe('Customer Fields → Birth Date');
			expect(error.message).toContain('"Customer Fields → Birth Date" must be a date in the form YYYY-MM-DD');
			expect(error.message).toContain(value.trim());
			expect(error.hint).toContain('1980-04-23');
		},
	);

	test.each([[['1980-04-23']], [{ year: 1980 }], [19800423], [new Date('invalid')]])('refuses %p', (value) => {
		const error = inputError(() => readDate(value, 'Birth Date'));
		expect(error.message).toContain('"Birth Date" must be a date in the form YYYY-MM-DD');
	});
});

describe('readUrl', () => {
	test('accepts http and https URLs, trimmed', () => {
		expect(readUrl(' https://crm.example.de/cb?x=1 ', 'F')).toBe('https://crm.example.de/cb?x=1');
		expect(readUrl('http://localhost:5678/webhook/abc', 'F')).toBe('http://localhost:5678/webhook/abc');
	});

	test.each(['crm.example.de/cb', 'ftp://example.de/x', 'javascript:alert(1)', 'https//missing-colon'])(
		'refuses %p naming the field',
		(value) => {
			const error = inputError(() => readUrl(value, 'Callback Fields → Callback URL'));
			expect(error.message).toContain('"Callback Fields → Callback URL" must be a full http(s) URL');
			expect(error.hint).toMatch(/^Example: https:\/\//);
		},
	);
});

describe('readJsonObject', () => {
	test('parses JSON text and accepts objects', () => {
		expect(readJsonObject('{"a":1}', 'F')).toEqual({ a: 1 });
		expect(readJsonObject({ a: 1 }, 'F')).toEqual({ a: 1 });
	});

	test('refuses invalid JSON with the parser problem and a fix', () => {
		const error = inputError(() => readJsonObject('{"a":', 'Inquiry Fields → Questionnaire'));
		expect(error.message).toContain('"Inquiry Fields → Questionnaire" is not valid JSON');
		expect(error.hint).toMatch(/quotes and brackets/);
	});

	test.each([
		['[1,2]', 'a list'],
		['"text"', 'a string'],
		['42', 'a number'],
		['null', 'null'],
		[[{ a: 1 }], 'a list'],
		[7, 'a number'],
	])('refuses %p as not an object', (value, got) => {
		const error = inputError(() => readJsonObject(value, 'Q'));
		expect(error.message).toBe(`"Q" must be a JSON object but is ${got}.`);
	});
});

describe('readCollection', () => {
	test('absent collections are empty', () => {
		expect(readCollection(undefined, 'C')).toEqual({});
		expect(readCollection(null, 'C')).toEqual({});
		expect(readCollection('', 'C')).toEqual({});
	});

	test.each([[['a']], ['text'], [5], [true]])('refuses %p naming the collection', (value) => {
		const error = inputError(() => readCollection(value, 'Customer Fields'));
		expect(error.message).toContain('"Customer Fields" must be a set of fields');
	});
});

test('compact drops undefined values only', () => {
	expect(compact({ a: undefined, b: null, c: 0, d: '', e: false })).toEqual({ b: null, c: 0, d: '', e: false });
	expect(Object.keys(compact({ a: undefined }))).toEqual([]);
});
