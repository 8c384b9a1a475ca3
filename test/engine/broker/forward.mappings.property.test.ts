/**
 * Property: a field mapped with a plain `={{ $json.path }}` (read straight from the item by
 * the package) gives exactly what n8n's own expression evaluation gives for the same path
 * (`={{ ($json.path) }}`, which the package leaves to n8n): the same request bodies, the same
 * output items, the same errors — for whatever values the items carry.
 */
import fc from 'fast-check';
import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { clearSessions } from '../../../nodes/shared/api';
import { ApiMock, SECURITY_TOKEN, credentialData } from '../../support/api-mock';
import { comparable, loadWorkflow, newCredentialsHelper, runWorkflow } from '../../support/harness';

const fixture = loadWorkflow('broker/forward.workflow.json');
const NUM_RUNS = 80;
const seen = { tried: 0, requests: 0, failedItems: 0 };

afterAll(() => {
	nock.cleanAll();
	nock.enableNetConnect();
	// eslint-disable-next-line no-console
	console.log(`[property] plain $json mappings vs n8n's evaluation: ${seen.tried} workflows of 3 items, each run both ways (${seen.requests} forwards sent, ${seen.failedItems} items refused)`);
});

const value = fc.oneof(
	fc.string({ maxLength: 12 }),
	fc.emailAddress(),
	fc.constantFrom('', ' ', 'CRM-1', 'kunde@example.de', 'a;b@example.de', '1980-04-23', 'true', '0'),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.constant(null),
	fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }),
	fc.dictionary(fc.constantFrom('e', 'f'), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
);
const record = fc.record(
	{ a: value, b: value, c: value, d: value, 'e f': value, n: fc.record({ e: value }, { requiredKeys: [] }) },
	{ requiredKeys: [] },
);
/** Items a CRM would send (mostly accepted), mixed with anything at all (mostly refused). */
const email = fc.constantFrom('kunde@example.de', 'anna.schneider@demo-makler.de', 'x@y.de');
const wellFormed = fc.record({ a: email, b: fc.constantFrom('CRM-1', 'Anna', 'Müller-Lüdenscheidt'), c: fc.boolean(), 'e f': email, n: fc.record({ e: email }) });
const item = fc.oneof({ weight: 3, arbitrary: wellFormed }, { weight: 1, arbitrary: record });
const textPath = fc.constantFrom('.a', '.b', '.d', "['e f']", '["e f"]', ".n['e']", '.n.e', '.missing');
const emailPath = fc.constantFrom('.a', "['e f']", '.n.e', ".n['e']", '.b', '.missing');
const paths = fc.tuple(textPath, textPath, fc.constantFrom('.c', '.c', '.a', '.missing'), textPath, textPath, emailPath, textPath, textPath);

/** The forward parameters with each field mapped to a path, in the plain or n8n-evaluated form. */
function parameters(paths: string[], form: 'plain' | 'n8n'): IDataObject {
	const map = (at: string) => (form === 'plain' ? `={{ $json${at} }}` : `={{ ($json${at}) }}`);
	const [token, brokerId, active, externalId, lastName, email, firstName, reference] = paths.map(map);
	return {
		resource: 'broker',
		operation: 'forward',
		brokerToken: token,
		brokerExternalId: brokerId,
		mappingType: 1,
		brokerFields: { isActive: active, lastName: 'Makler' },
		callbackFields: {},
		customerFields: {
			externalId,
			lastName,
			email,
			firstName,
			crmIdent: 'openVIVAv1',
			externalReferences: { reference: [{ origin: 'crm', paramKey: 'customerId', paramValue: reference }] },
		},
		inquiryFields: {},
		options: {},
	};
}

async function forward(items: IDataObject[], replaceParameters: IDataObject) {
	// Answers are declared for the most a run can use (1 token call, 3 forwards); a run whose items
	// are refused before sending leaves some unused, which the next run's cleanAll drops.
	nock.cleanAll();
	clearSessions();
	const api = new ApiMock().token().on('POST', `/api/broker/fwd/${SECURITY_TOKEN}`, items.length, () => ({
		body: { url: 'https://app.thinksurance.de/api/broker/switch/login-hash' },
	}));
	const result = await runWorkflow(fixture, {
		credentialsHelper: newCredentialsHelper(credentialData()),
		items,
		replaceParameters,
		nodeSettings: { continueOnFail: true },
	});
	const bodies = api.apiCalls.map((call) => JSON.stringify(call.body)).sort();
	return { status: result.status, items: comparable(result.node().items), bodies };
}

test('plain $json mappings and n8n-evaluated ones give the same bodies, outputs and errors', async () => {
	nock.disableNetConnect();
	await fc.assert(
		fc.asyncProperty(fc.array(item, { minLength: 3, maxLength: 3 }), paths, async (items, mapped) => {
			seen.tried++;
			const plain = await forward(items as IDataObject[], parameters(mapped, 'plain'));
			const evaluated = await forward(items as IDataObject[], parameters(mapped, 'n8n'));
			expect(plain).toEqual(evaluated);
			seen.requests += plain.bodies.length;
			seen.failedItems += plain.items.filter((item) => 'error' in item.json).length;
		}),
		{ numRuns: NUM_RUNS },
	);
	// Not vacuous: both accepted and refused items were compared.
	expect(seen.requests).toBeGreaterThan(0);
	expect(seen.failedItems).toBeGreaterThan(0);
}, 120_000);
