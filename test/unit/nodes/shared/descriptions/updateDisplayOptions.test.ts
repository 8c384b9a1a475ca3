import type { INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../../../../../nodes/shared/descriptions/updateDisplayOptions';

const field = (name: string, extra: Partial<INodeProperties> = {}): INodeProperties => ({
	displayName: name,
	name,
	type: 'string',
	default: '',
	...extra,
});

describe('updateDisplayOptions', () => {
	const scope = { show: { resource: ['inquiry'], operation: ['get'] } };

	test('adds the operation scope to every field', () => {
		const [a, b] = updateDisplayOptions(scope, [field('a'), field('b')]);
		expect(a.displayOptions).toEqual({ show: { resource: ['inquiry'], operation: ['get'] } });
		expect(b.displayOptions).toEqual({ show: { resource: ['inquiry'], operation: ['get'] } });
	});

	test('keeps a field\'s own conditions next to the scope', () => {
		const [token] = updateDisplayOptions(scope, [field('accountToken', { displayOptions: { show: { authenticateAs: ['account'] } } })]);
		expect(token.displayOptions).toEqual({ show: { resource: ['inquiry'], operation: ['get'], authenticateAs: ['account'] } });
	});

	test('merges hide conditions only when there are any', () => {
		const [plain, hidden] = updateDisplayOptions({ ...scope, hide: { mode: ['x'] } }, [
			field('plain'),
			field('hidden', { displayOptions: { hide: { other: [true] } } }),
		]);
		expect(plain.displayOptions?.hide).toEqual({ mode: ['x'] });
		expect(hidden.displayOptions?.hide).toEqual({ mode: ['x'], other: [true] });
		const [none] = updateDisplayOptions(scope, [field('none')]);
		expect(none.displayOptions).not.toHaveProperty('hide');
	});

	test('does not change the fields it was given (they are shared between operations)', () => {
		const shared = field('shared', { displayOptions: { show: { authenticateAs: ['broker'] } } });
		const before = JSON.stringify(shared);
		updateDisplayOptions(scope, [shared]);
		updateDisplayOptions({ show: { resource: ['document'], operation: ['download'] } }, [shared]);
		expect(JSON.stringify(shared)).toBe(before);
	});
});
