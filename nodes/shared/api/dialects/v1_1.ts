/**
 * V1.1, the vendor's current dialect: `Authorization: Bearer <security token>`, the account or
 * broker in `X-Account-Token` / `X-Broker-Token`, paths under /api/ipn/, reads as GET with a query.
 */
import type { CallSpec, DialectTable } from './types';

const call = (method: CallSpec['method'], path: string, extra: Partial<CallSpec> = {}): CallSpec => ({
	method,
	path,
	tokenIn: ['bearer'],
	actorIn: 'header',
	paramsIn: method === 'GET' ? 'query' : 'body',
	write: method !== 'GET',
	timeoutMs: method === 'GET' ? 30_000 : 60_000,
	...extra,
});
const inquiries = call('GET', '/api/ipn/inquiries', { timeoutMs: 300_000, streamed: true });
const agencyNumbersAdd = call('POST', '/api/ipn/agency-numbers');
const agencyNumbersDelete = call('DELETE', '/api/ipn/agency-numbers');

export const V1_1: DialectTable = {
	accountTokens: { none: call('GET', '/api/ipn/account/tokens') },
	// A look-up, though sent as POST; one vendor example writes …/brokers/token.
	brokerToken: { account: call('POST', '/api/ipn/brokers/tokens', { write: false, timeoutMs: 30_000, alternatePaths: ['/api/ipn/brokers/token'] }) },
	brokerCreate: { account: call('POST', '/api/ipn/brokers') },
	brokerForward: { broker: call('POST', '/api/ipn/brokers/forward') },
	inquirySearch: { account: inquiries, broker: inquiries },
	// One inquiry is a search by inquiryId: the answer is keyed by ID as a search's.
	inquiryGet: { account: call('GET', '/api/ipn/inquiries', { idParam: 'inquiryId' }), broker: call('GET', '/api/ipn/inquiries', { idParam: 'inquiryId' }) },
	agencyNumbersAdd: { account: agencyNumbersAdd, broker: agencyNumbersAdd },
	agencyNumbersDelete: { account: agencyNumbersDelete, broker: agencyNumbersDelete },
	// No published V1.1 read of agency numbers: a V1.1 credential makes that call in V1.
	products: { none: call('GET', '/api/ipn/products') },
	professions: { none: call('GET', '/api/ipn/professions') },
};
