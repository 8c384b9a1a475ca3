import {
	DAY_MS,
	WINDOW_MARGIN_MS,
	dayNumber,
	parseVendorTime,
	searchWindow,
} from '../../../../../nodes/ThinksurancePollingTrigger/poll/window';

const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;

describe('dayNumber: calendar days in the vendor time zone', () => {
	test('Berlin midnight, not UTC midnight, starts the day (winter +01:00, summer +02:00)', () => {
		expect(dayNumber(at('2026-01-14T22:59:59Z'))).toBe(dayNumber(at('2026-01-14T12:00:00Z')));
		expect(dayNumber(at('2026-01-14T23:00:00Z'))).toBe(dayNumber(at('2026-01-14T12:00:00Z')) + 1);
		expect(dayNumber(at('2026-07-14T21:59:59Z'))).toBe(dayNumber(at('2026-07-14T12:00:00Z')));
		expect(dayNumber(at('2026-07-14T22:00:00Z'))).toBe(dayNumber(at('2026-07-14T12:00:00Z')) + 1);
	});

	test('another zone gives another day near midnight', () => {
		const ms = at('2026-01-14T23:30:00Z');
		expect(dayNumber(ms, 'UTC')).toBe(dayNumber(ms, 'Europe/Berlin') - 1);
	});
});

describe('searchWindow: the smallest lastDays that cannot miss a change since the last poll', () => {
	test('first poll (nothing remembered): the API default window', () => {
		expect(searchWindow(undefined, Date.now())).toBeUndefined();
	});

	test('a poll one minute after the last one during the day: lastDays 1 (today and yesterday)', () => {
		const now = at('2026-03-10T11:00:00Z');
		expect(searchWindow(now - MINUTE, now)).toBe(1);
	});

	test('just after Berlin midnight the window still reaches back to yesterday', () => {
		const now = at('2026-03-10T23:00:30Z'); // 00:00:30 in Berlin, 11 March
		expect(searchWindow(now - MINUTE, now)).toBe(1);
	});

	test('the margin widens the window when the last poll was late in the evening the day before yesterday', () => {
		// Last poll 8 March 22:30 Berlin, now 10 March 00:30 Berlin: days 8, 9 and 10 must be covered.
		const last = at('2026-03-08T21:30:00Z');
		const now = at('2026-03-09T23:30:00Z');
		expect(searchWindow(last, now)).toBe(2);
		// 2 h after midnight, the 3 h margin still reaches into the day before the last poll.
		expect(searchWindow(at('2026-03-09T01:00:00Z'), at('2026-03-10T12:00:00Z'))).toBe(2);
	});

	test('a vendor counting in UTC cannot make it miss a change either (margin ≥ the zone difference)', () => {
		expect(WINDOW_MARGIN_MS).toBeGreaterThanOrEqual(2 * 60 * MINUTE);
		for (let hour = 0; hour < 48; hour++) {
			const last = at('2026-06-20T00:00:00Z') + hour * 60 * MINUTE;
			const now = last + 90 * MINUTE;
			const lastDays = searchWindow(last, now) as number;
			for (const zone of ['Europe/Berlin', 'UTC']) {
				// Every day between the last poll and now, in either zone, lies in [today - lastDays, today].
				const vendorToday = dayNumber(now, zone);
				expect(dayNumber(last, zone)).toBeGreaterThanOrEqual(vendorToday - lastDays);
			}
		}
	});

	test('long pauses grow the window day by day, beyond three months the default window', () => {
		const now = at('2026-05-20T10:00:00Z');
		expect(searchWindow(now - 10 * DAY_MS, now)).toBe(10);
		expect(searchWindow(now - 80 * DAY_MS, now)).toBe(80);
		expect(searchWindow(now - 89 * DAY_MS, now)).toBe(89);
		expect(searchWindow(now - 90 * DAY_MS, now)).toBeUndefined();
		expect(searchWindow(now - 400 * DAY_MS, now)).toBeUndefined();
	});

	test('daylight-saving change days count as one day each', () => {
		// Berlin switches to summer time on 29 March 2026.
		expect(searchWindow(at('2026-03-28T11:00:00Z'), at('2026-03-30T11:00:00Z'))).toBe(2);
		expect(searchWindow(at('2026-10-24T11:00:00Z'), at('2026-10-26T11:00:00Z'))).toBe(2);
	});

	test('a last poll in the future (clock set back) still gives a valid window', () => {
		const now = at('2026-03-10T11:00:00Z');
		expect(searchWindow(now + 5 * DAY_MS, now)).toBe(1);
	});
});

describe('parseVendorTime: Berlin local dates and date-times', () => {
	test('date-time in winter and summer', () => {
		expect(parseVendorTime('2026-01-14 10:00:00')).toBe(at('2026-01-14T09:00:00Z'));
		expect(parseVendorTime('2026-07-14 10:00:00')).toBe(at('2026-07-14T08:00:00Z'));
	});

	test('bare date = start of that day', () => {
		expect(parseVendorTime('2026-07-14')).toBe(at('2026-07-13T22:00:00Z'));
	});

	test('not a date', () => {
		expect(parseVendorTime('')).toBeUndefined();
		expect(parseVendorTime(20260714)).toBeUndefined();
		expect(parseVendorTime('gestern')).toBeUndefined();
	});
});
