/**
 * Property, through n8n-core's WebhookContext: thousands of generated bodies that are not a
 * notification (near-misses of both shapes, one rule broken, and arbitrary JSON the parser
 * refuses) start no execution and cause no API call; they are answered 400 and leave the
 * dedup memory alone. Valid notifications, generated alike, do start one.
 */
import fc from 'fast-check';
import nock from 'nock';

import { ApiMock, apiFixture, credentialData, useApiHygiene } from '../../support/api-mock';
import { newCredentialsHelper } from '../../support/harness';
import { anyJson, asPosted, nearMissEvent, nearMissLegacy, validNotification } from '../../support/notification-arbitraries';
import { clearProcessMemory } from '../../../nodes/ThinksuranceTrigger/trigger/dedup';
import { deliver, nodeStaticData, triggerWorkflow } from '../../support/trigger';

useApiHygiene();
// Thousands of webhook calls: well over jest's 5 s default on a loaded CI machine.
jest.setTimeout(120_000);

const NEAR_MISS_RUNS = 2500;
const ARBITRARY_RUNS = 1000;
const VALID_RUNS = 150;

const PARAMETERS = { events: ['*'], registration: 'manual', fetchInquiry: true, accountToken: 'atok-acc-1234567890', downloadDocuments: false };

/** Every HTTP request the node tries, matched by a mock or not. */
function countRequests(): { readonly count: number; stop(): void } {
	let count = 0;
	const onRequest = () => count++;
	nock.emitter.on('no match', onRequest);
	return {
		get count() {
			return count;
		},
		stop: () => nock.emitter.removeListener('no match', onRequest),
	};
}

const figures: string[] = [];
afterAll(() => {
	// eslint-disable-next-line no-console
	console.log(`[property] webhook(): ${figures.join('; ')}`);
});

test.each([
	['near-misses of both shapes', fc.oneof(nearMissEvent, nearMissLegacy), NEAR_MISS_RUNS],
	['arbitrary JSON', anyJson, ARBITRARY_RUNS],
] as const)('%s: answered 400, 0 executions, 0 API calls, nothing remembered', async (label, arbitrary, runs) => {
	const trigger = triggerWorkflow(PARAMETERS, newCredentialsHelper(credentialData()));
	const requests = countRequests();
	let tried = 0;
	let executions = 0;
	let accepted = 0;
	try {
		await fc.assert(
			fc.asyncProperty(arbitrary.map(asPosted), async (body) => {
				const { result, response } = await deliver(trigger, { body: JSON.stringify(body) });
				tried++;
				if (result.workflowData) executions++;
				// Arbitrary JSON could, rarely, be a notification: those are outside this property.
				if (label === 'arbitrary JSON' && response.statusCode !== 400) {
					accepted++;
					return;
				}
				expect(response).toEqual({ statusCode: 400, body: { error: expect.stringMatching(/^Not a Thinksurance notification: .+\.$/) }, ended: true, answers: 1 });
				expect(result).toEqual({ noWebhookResponse: true });
			}),
			{ numRuns: runs },
		);
	} finally {
		requests.stop();
	}
	figures.push(`${label}: ${tried} bodies, ${executions} executions, ${requests.count} API calls${label === 'arbitrary JSON' ? `, ${accepted} accepted` : ''}`);
	expect(tried).toBe(runs);
	expect(requests.count).toBe(0);
	expect(nodeStaticData(trigger).deliveryDigests).toBeUndefined();
	if (label !== 'arbitrary JSON') expect(executions).toBe(0);
	else expect(executions).toBe(accepted);
});

/** Items a valid notification must give: one per distinct inquiry, or one for an event without any. */
function expectedItems(body: Record<string, unknown>): number {
	if (!Array.isArray(body.affected)) return 'data' in body ? 1 : Object.keys(body).length;
	const ids = (body.affected as Array<{ referenceType: string; referenceId: unknown }>)
		.filter((entry) => entry.referenceType === 'inquiry')
		.map((entry) => String(entry.referenceId))
		.map((id) => (/^\d{1,15}$/.test(id) ? String(Number(id)) : id));
	return Math.max(1, new Set(ids).size);
}

test('valid notifications generated alike each start one execution, with one item per inquiry (the property can fail)', async () => {
	const inquiry = apiFixture<{ data: Record<string, unknown> }>('inquiry-1878881');
	const api = new ApiMock().token().on('POST', /^\/api\/ipn\/inquiry\/[^/]+$/, VALID_RUNS * 10, () => ({ body: inquiry }));
	let executions = 0;
	await fc.assert(
		fc.asyncProperty(validNotification.map(asPosted), async (posted) => {
			const body = posted as Record<string, unknown>;
			// A fresh workflow each time: generated bodies may repeat an eventId.
			clearProcessMemory();
			const trigger = triggerWorkflow(PARAMETERS, newCredentialsHelper(credentialData()));
			const callsBefore = api.apiCalls.length;
			const { result } = await deliver(trigger, { body: JSON.stringify(body) });
			const items = result.workflowData?.[0] ?? [];
			expect(items).toHaveLength(expectedItems(body));
			expect(api.apiCalls.length - callsBefore).toBe(items.filter((item) => item.json.inquiryId !== null).length);
			executions++;
		}),
		{ numRuns: VALID_RUNS },
	);
	// The interceptor was declared generously; what is left unused is not a missing request.
	nock.cleanAll();
	figures.push(`valid notifications: ${VALID_RUNS} bodies, ${executions} executions`);
	expect(executions).toBe(VALID_RUNS);
});
