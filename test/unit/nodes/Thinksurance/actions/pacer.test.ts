import { Pacer } from '../../../../../nodes/Thinksurance/actions/router';

/** Start times (fake clock) of `count` turns taken back to back, as free workers would. */
async function starts(pacer: Pacer, count: number): Promise<number[]> {
	const at: number[] = [];
	await Promise.all(
		Array.from({ length: count }, async () => {
			await pacer.turn();
			at.push(Date.now());
		}),
	);
	return at.sort((a, b) => a - b);
}

describe('Pacer: spreads item starts over one round trip', () => {
	beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
	afterEach(() => jest.useRealTimers());

	test('before any round trip is known, every item starts at once', async () => {
		const at = starts(new Pacer(10), 10);
		await jest.runAllTimersAsync();
		expect(new Set(await at).size).toBe(1);
	});

	test('after 100 ms round trips with 10 in flight, starts are 10 ms apart', async () => {
		const pacer = new Pacer(10);
		pacer.observe(100);
		const at = starts(pacer, 5);
		await jest.runAllTimersAsync();
		const times = await at;
		expect(times.slice(1).map((time, index) => time - times[index])).toEqual([10, 10, 10, 10]);
	});

	test('one 60 s timeout among 50 ms calls widens the spacing only a little', async () => {
		const pacer = new Pacer(20);
		pacer.observe(50);
		pacer.observe(60_000);
		const at = starts(pacer, 2);
		await jest.runAllTimersAsync();
		const [first, second] = await at;
		// Clamped to 1 s: (0.8 × 50 + 0.2 × 1000) / 20 = 12 ms, not 600 ms.
		expect(second - first).toBe(12);
	});

	test('an estimate that started at 0 ms (an item refused before sending) still grows', async () => {
		const pacer = new Pacer(10);
		pacer.observe(0);
		for (let i = 0; i < 20; i++) pacer.observe(200);
		const at = starts(pacer, 2);
		await jest.runAllTimersAsync();
		const [first, second] = await at;
		expect(second - first).toBeGreaterThanOrEqual(19);
	});

	test('one item in flight is never paced', async () => {
		const pacer = new Pacer(1);
		pacer.observe(500);
		const at = starts(pacer, 3);
		await jest.runAllTimersAsync();
		expect(new Set(await at).size).toBe(1);
	});
});
