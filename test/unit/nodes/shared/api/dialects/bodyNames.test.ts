/** Per-dialect spellings of body keys are data in the tables; the request builder applies them. */
import { callSpec } from '../../../../../../nodes/shared/api/dialects';
import { buildHttpRequest, renameKeys } from '../../../../../../nodes/shared/api/request';

const SETS = { agencyNumberSets: [{ baFinId: '5312', agencyNumbers: [{ agencyNumber: 'A' }] }] };

test('renameKeys renames at any depth and leaves everything else alone', () => {
	expect(renameKeys({ a: [{ a: 1, b: { a: 2 } }], c: 'a' }, { a: 'x' })).toEqual({ x: [{ x: 1, b: { x: 2 } }], c: 'a' });
	const value = { a: 1 };
	expect(renameKeys(value, undefined)).toBe(value);
});

test.each([
	['agencyNumbersAdd', 'account', 'v1', 'baFinRegNr', '/api/account/set/anums/'],
	['agencyNumbersAdd', 'broker', 'v1', 'baFinRegNr', '/api/broker/set/anums/'],
	['agencyNumbersDelete', 'account', 'v1', 'baFinRegNr', '/api/account/delete/anums/'],
	['agencyNumbersAdd', 'account', 'v1.1', 'baFinId', '/api/ipn/agency-numbers'],
	['agencyNumbersDelete', 'broker', 'v1.1', 'baFinId', '/api/ipn/agency-numbers'],
	// V1 has no broker delete: the V1.1 call, with V1.1's spelling.
	['agencyNumbersDelete', 'broker', 'v1', 'baFinId', '/api/ipn/agency-numbers'],
] as const)('%s as %s with a %s credential sends %s', (call, actor, version, key, path) => {
	const { spec } = callSpec(call, actor, version);
	const request = buildHttpRequest(spec, 'https://x.test', spec.path, { [actor]: 'tok', body: SETS }, 1000);
	expect(request.url).toContain(path);
	const set = (request.body as typeof SETS).agencyNumberSets[0] as Record<string, unknown>;
	expect(Object.keys(set)).toEqual([key, 'agencyNumbers']);
	// The domain's body is not changed for the next attempt or dialect.
	expect(SETS.agencyNumberSets[0]).toHaveProperty('baFinId');
});
