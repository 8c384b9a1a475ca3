/**
 * Which `lastDays` to ask Inquiry Search for. The API counts whole calendar days in the
 * vendor's time zone (`lastDays: 1` = today and yesterday; Europe/Berlin, undocumented), and
 * filters by the inquiry's date of last change. The window must reach back to the vendor's
 * calendar day of the last successful poll, with a margin for clock skew and for the vendor
 * counting days in another zone (UTC vs. Berlin is up to two hours).
 */

export const VENDOR_TIME_ZONE = 'Europe/Berlin';
/** Clock skew plus time-zone uncertainty, both ways. */
export const WINDOW_MARGIN_MS = 3 * 60 * 60 * 1000;
/** Without `lastDays` the API returns the last three months; a longer pause cannot do better. */
export const DEFAULT_WINDOW_DAYS = 90;
export const DAY_MS = 24 * 60 * 60 * 1000;

/** The calendar day (days since 1970-01-01) that `ms` falls on in `timeZone`. */
export function dayNumber(ms: number, timeZone = VENDOR_TIME_ZONE): number {
	return Math.floor((ms + zoneOffsetMs(ms, timeZone)) / DAY_MS);
}

/**
 * `lastDays` for a poll at `now` after a successful poll that started at `lastPollAt`, or
 * `undefined` for the API's default window (first poll, or a pause longer than it).
 */
export function searchWindow(lastPollAt: number | undefined, now: number, timeZone = VENDOR_TIME_ZONE): number | undefined {
	if (lastPollAt === undefined || !Number.isFinite(lastPollAt)) return undefined;
	const latestVendorDay = dayNumber(now + WINDOW_MARGIN_MS, timeZone);
	const earliestVendorDay = dayNumber(Math.min(lastPollAt, now) - WINDOW_MARGIN_MS, timeZone);
	const days = Math.max(1, latestVendorDay - earliestVendorDay);
	return days >= DEFAULT_WINDOW_DAYS ? undefined : days;
}

/**
 * A vendor date or date-time ("YYYY-MM-DD" or "YYYY-MM-DD hh:mm:ss", Berlin local time) as
 * epoch ms (start of day for a bare date), or undefined when it is not one.
 */
export function parseVendorTime(value: unknown, timeZone = VENDOR_TIME_ZONE): number | undefined {
	if (typeof value !== 'string') return undefined;
	const match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(value.trim());
	if (!match) return undefined;
	const [, y, mo, d, h = '0', mi = '0', s = '0'] = match;
	const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
	if (!Number.isFinite(asUtc)) return undefined;
	// The zone's offset at that moment (local wall time minus UTC); near a change the offset
	// of the resulting instant decides.
	const guess = asUtc - zoneOffsetMs(asUtc, timeZone);
	return asUtc - zoneOffsetMs(guess, timeZone);
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
/** Offsets per zone and UTC hour: zones change their offset only at full hours, Intl is slow. */
const offsets = new Map<string, number>();
const HOUR_MS = 60 * 60 * 1000;

function zoneOffsetMs(ms: number, timeZone: string): number {
	const key = `${timeZone}|${Math.floor(ms / HOUR_MS)}`;
	let offset = offsets.get(key);
	if (offset === undefined) {
		offset = measuredOffsetMs(Math.floor(ms / HOUR_MS) * HOUR_MS, timeZone);
		if (offsets.size > 10_000) offsets.clear();
		offsets.set(key, offset);
	}
	return offset;
}

function measuredOffsetMs(ms: number, timeZone: string): number {
	let format = offsetFormatters.get(timeZone);
	if (!format) {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
			second: 'numeric',
		});
		offsetFormatters.set(timeZone, format);
	}
	const parts = format.formatToParts(new Date(ms));
	const part = (type: string) => Number(parts.find((entry) => entry.type === type)?.value);
	const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return wall - Math.floor(ms / 1000) * 1000;
}
