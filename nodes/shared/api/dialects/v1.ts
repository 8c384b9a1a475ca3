/** V1, the vendor's outdated dialect (pages titled "V1"): the security token in the URL path, the account or broker in the body. */
import type { CallSpec, DialectTable } from './types';

const read = (path: string, extra: Partial<CallSpec> = {}): CallSpec => ({
	method: 'POST',
	path,
	actorIn: 'body',
	paramsIn: 'body',
	write: false,
	timeoutMs: 30_000,
	...extra,
});
const write = (path: string, extra: Partial<CallSpec> = {}): CallSpec => read(path, { write: true, timeoutMs: 60_000, ...extra });
// Accounts with thousands of inquiries answer slowly.
const search = (path: string): CallSpec => read(path, { names: { inquiryId: 'iId' }, timeoutMs: 300_000, streamed: true });
// One version of the Get Inquiry page asks for a Bearer token, its examples put it in the body: both.
const inquiry = read('/api/ipn/inquiry/{id}', { tokenIn: ['body', 'bearer'] });
// The domain builds agency-number sets in V1.1's words; V1's Add and Delete pages spell the BaFin ID
// `baFinRegNr` (only V1's Get example shows `baFinId`, and the reader takes both).
const anums = { bodyNames: { baFinId: 'baFinRegNr' } };

export const V1: DialectTable = {
	accountTokens: { none: read('/api/account/get/tokens/{token}') },
	brokerToken: { account: read('/api/broker/get/{token}') },
	brokerCreate: { account: write('/api/broker/set/{token}') },
	brokerForward: { broker: write('/api/broker/fwd/{token}') },
	inquirySearch: { account: search('/api/account-ipn/get/{token}'), broker: search('/api/ipn/get/{token}') },
	inquiryGet: { account: inquiry, broker: inquiry },
	agencyNumbersAdd: { account: write('/api/account/set/anums/{token}', anums), broker: write('/api/broker/set/anums/{token}', anums) },
	// No broker-level delete in V1: a V1 credential makes that call in V1.1 (and spells `baFinId`).
	agencyNumbersDelete: { account: write('/api/account/delete/anums/{token}', anums) },
	agencyNumbersGet: { account: read('/api/account/get/anums/{token}', { tokenIn: ['body'] }) },
	products: { none: read('/api/products', { tokenIn: ['body'] }) },
	professions: { none: read('/api/professions', { tokenIn: ['body'] }) },
};
