/**
 * Per-item operations without a Batching option find the API's pace (router + limiter.ts):
 * checked through n8n's engine against a nock API with a capacity (slower beyond N in flight,
 * refused beyond 2N). Behaviour only; speed is the bench's (`BENCH_ONLY=pace npm run bench`).
 */
import { ApiMock, SECURITY_TOKEN, credentialData, useApiHygiene } from '../../support/api-mock';
import { comparable, loadWorkflow, newCredentialsHelper, runWorkflow, type RunOptions } from '../../support/harness';
import { CEILING } from '../../../nodes/Thinksurance/actions/limiter';

useApiHygiene();
// Hundreds of requests with real delays; a busy shared machine makes that slow, never wrong.
jest.setTimeout(60_000);

const fixture = loadWorkflow('broker/forward.workflow.json');
const FWD = `/api/broker/fwd/${SECURITY_TOKEN}`;
const PARAMETERS = {
	resource: 'broker',
	operation: 'forward',
	brokerToken: '={{ $json.brokerToken }}',
	brokerExternalId: '={{ $json.brokerId }}',
	options: {},
};

type Arrival = { at: number; inFlight: number; status: number };

/**
 * Forward answers after `latencyMs`, stretched by in-flight / capacity beyond `capacity`;
 * beyond 2 × capacity at once `refuseWith` (Retry-After: 1), like the stand-in's capacity model.
 */
function capacityApi(count: number, { latencyMs, capacity = Infinity, refuseWith = 503 }: { latencyMs: number; capacity?: number; refuseWith?: number }) {
	const arrivals: Arrival[] = [];
	let inFlight = 0;
	const api = new ApiMock().token();
	api.scope
		.post(FWD)
		.times(count * 3)
		.reply((_uri: string, body: unknown, callback: (error: Error | null, result: [number, object, Record<string, string>]) => void) => {
			const { bExternalId } = (typeof body === 'string' ? JSON.parse(body) : body) as { bExternalId: string };
			inFlight++;
			if (inFlight > 2 * capacity) {
				arrivals.push({ at: Date.now(), inFlight, status: refuseWith });
				inFlight--;
				callback(null, [refuseWith, { error: 'busy' }, { 'Retry-After': '1' }]);
				return;
			}
			arrivals.push({ at: Date.now(), inFlight, status: 200 });
			setTimeout(() => {
				inFlight--;
				callback(null, [200, { url: `https://app.thinksurance.de/api/broker/switch/h-${bExternalId}` }, {}]);
			}, latencyMs * Math.max(1, inFlight / capacity));
		});
	const items = Array.from({ length: count }, (_, index) => ({ brokerToken: `btok-pace-${index}`, brokerId: `CRM-P-${index}` }));
	return { api, arrivals, items };
}

function run(items: object[], options: Partial<RunOptions> = {}) {
	return runWorkflow(fixture, { credentialsHelper: newCredentialsHelper(credentialData()), items: items as RunOptions['items'], replaceParameters: PARAMETERS, ...options });
}

const maxInFlight = (arrivals: Arrival[]) => Math.max(...arrivals.map((a) => a.inFlight));

/** The nock scope was declared for more requests than a good run makes. */
const settle = () => jest.requireActual<typeof import('nock')>('nock').cleanAll();

describe('broker/forward — adaptive parallelism (no Batching option)', () => {
	afterEach(settle);

	test('starts where it always did (20 at once), never above the ceiling, output in input order', async () => {
		// Growth while answers stay fast is the limiter's unit test (fake clock): on a busy
		// test machine n8n's own delays are not the API's latency.
		const { arrivals, items } = capacityApi(120, { latencyMs: 60 });

		const result = await run(items);

		expect(result.status).toBe('success');
		expect(comparable(result.node().items).map((item) => item.pairedItem)).toEqual(items.map((_, index) => ({ item: index })));
		expect(arrivals).toHaveLength(120);
		expect(maxInFlight(arrivals)).toBeGreaterThanOrEqual(20);
		expect(maxInFlight(arrivals)).toBeLessThanOrEqual(CEILING);
	});

	test('an explicit Batching option stays a hard limit: never more than its Items per Batch', async () => {
		const { arrivals, items } = capacityApi(240, { latencyMs: 30 });

		const result = await run(items, { replaceParameters: { ...PARAMETERS, options: { batching: { batch: { batchSize: 12 } } } } });

		expect(result.status).toBe('success');
		expect(maxInFlight(arrivals)).toBe(12);
	});

	test('an explicit Batching option is not left even when the API refuses (no shrinking, no pause)', async () => {
		const { arrivals, items } = capacityApi(150, { latencyMs: 20, capacity: 4 });

		const result = await run(items, { replaceParameters: { ...PARAMETERS, options: { batching: { batch: { batchSize: 10 } } } }, nodeSettings: { continueOnFail: true } });

		expect(result.status).toBe('success');
		// Batching 10 against a capacity of 4 (refused beyond 8): no pause for Retry-After, as before.
		const first = arrivals.find((a) => a.status === 503) as Arrival;
		expect(first).toBeDefined();
		expect(arrivals.filter((a) => a.at > first.at + 150 && a.at < first.at + 900).length).toBeGreaterThan(0);
		expect(maxInFlight(arrivals)).toBeLessThanOrEqual(10);
	});

	test('latency climbing beyond the capacity: shrinks, no request is refused', async () => {
		// Up to 12 in flight 30 ms, slower beyond (20 in flight: 1.7 × slower), refused beyond 24.
		const { arrivals, items } = capacityApi(200, { latencyMs: 30, capacity: 12 });

		const result = await run(items);

		expect(result.status).toBe('success');
		expect(arrivals.filter((a) => a.status !== 200)).toEqual([]);
		const late = arrivals.slice(100);
		expect(maxInFlight(late)).toBeLessThan(24);
	});

	test('HTTP 503 beyond the capacity: halves what is in flight, few refusals, no storm', async () => {
		// Refused beyond 12 in flight: the first 20 cannot all get through.
		const { arrivals, items } = capacityApi(200, { latencyMs: 30, capacity: 6 });

		const result = await run(items, { nodeSettings: { continueOnFail: true } });

		expect(result.status).toBe('success');
		const refused = arrivals.filter((a) => a.status === 503);
		expect(refused.length).toBeGreaterThan(0);
		expect(refused.length).toBeLessThanOrEqual(16);
		// After the first refusal (and its Retry-After), never again more than 2N in flight.
		const after = arrivals.filter((a) => a.at > refused[0].at + 1000);
		expect(after.length).toBeGreaterThan(100);
		expect(after.filter((a) => a.status === 503)).toEqual([]);
	});

	test('HTTP 429 with Retry-After: nothing new starts until it has passed, the refused items are repeated and succeed', async () => {
		const { arrivals, items } = capacityApi(120, { latencyMs: 30, capacity: 6, refuseWith: 429 });

		const result = await run(items);

		expect(result.status).toBe('success');
		expect(result.node().items).toHaveLength(120);
		const first = arrivals.find((a) => a.status === 429) as Arrival;
		expect(first).toBeDefined();
		// Requests already on their way may still arrive right after it; then a pause of Retry-After (1 s).
		const paused = arrivals.filter((a) => a.at > first.at + 150 && a.at < first.at + 900);
		expect(paused).toEqual([]);
		expect(arrivals.filter((a) => a.status === 200)).toHaveLength(120);
	});
});
