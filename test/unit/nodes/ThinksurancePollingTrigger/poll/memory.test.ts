import { readFileSync } from 'fs';
import { join } from 'path';

import { parseInquiryItem, type Inquiry } from '../../../../../nodes/shared/domain/responses';
import { inquiryFingerprint } from '../../../../../nodes/ThinksurancePollingTrigger/poll/fingerprint';
import {
	RETAIN_DAYS,
	detectChanges,
	emptyState,
	isPollState,
	stateSize,
	type PollState,
} from '../../../../../nodes/ThinksurancePollingTrigger/poll/memory';
import { DAY_MS } from '../../../../../nodes/ThinksurancePollingTrigger/poll/window';

const fixture = JSON.parse(readFileSync(join(__dirname, '../../../../fixtures/thinksurance/inquiry-1878881.json'), 'utf8')) as Record<string, unknown>;
const NOW = Date.parse('2025-03-22T10:00:00Z');

/** The fixture inquiry with changes; `docToken` rotates the document token (as every answer does). */
function inquiry(patch: { id?: number; data?: object; customer?: object; docToken?: string; sHash?: string; files?: object[] } = {}): Inquiry {
	const raw = JSON.parse(JSON.stringify(fixture)) as {
		sHash: string;
		data: Record<string, unknown>;
		customer: Record<string, unknown>;
		docs: { docToken: { token: string; expired: string }; files: Array<Record<string, unknown>> };
	};
	if (patch.id) raw.data.iId = patch.id;
	Object.assign(raw.data, patch.data ?? {});
	Object.assign(raw.customer, patch.customer ?? {});
	if (patch.files) raw.docs.files = patch.files as Array<Record<string, unknown>>;
	const token = patch.docToken ?? raw.docs.docToken.token;
	raw.docs.docToken = { token, expired: `2025-03-22 ${token.length % 10}0:00:00` };
	raw.docs.files = raw.docs.files.map((file) => ({ ...file, fullFilePath: `${String(file.fullFilePath).split('?')[0]}?docToken=${token}` }));
	if (patch.sHash) raw.sHash = patch.sHash;
	return parseInquiryItem(raw) as Inquiry;
}

function remembered(inquiries: Inquiry[], at = NOW - 60_000): PollState {
	return detectChanges(emptyState('acct', at), inquiries, at, { baseline: true }).next;
}

describe('change detection: what counts', () => {
	test('a status change is an inquiryUpdated naming status', () => {
		const state = remembered([inquiry()]);
		const { changes } = detectChanges(state, [inquiry({ data: { status: '15', iUpdated: '2025-03-22 10:00:00' } })], NOW, { baseline: false });
		expect(changes).toHaveLength(1);
		expect(changes[0]).toMatchObject({ eventType: 'inquiryUpdated', changes: ['status'] });
	});

	test('several fields, customer fields and the file list are named', () => {
		const state = remembered([inquiry()]);
		const changed = inquiry({
			data: { premiumYearly: 51000, insuranceCompanyName: 'HDI' },
			customer: { cEmail: 'neu@example.de' },
			files: [{ name: 'Antrag.pdf', fullName: 'Antrag.pdf', hash: 'h9', fullFilePath: 'https://files.thinksurance.test/files/1878881/h9/Antrag.pdf', documentPurpose: 'orderDocument' }],
		});
		const { changes } = detectChanges(state, [changed], NOW, { baseline: false });
		expect(changes[0].changes?.sort()).toEqual(['cEmail', 'docs', 'insuranceCompanyName', 'premiumYearly']);
	});

	test('a nested value (employees) counts', () => {
		const state = remembered([inquiry()]);
		const { changes } = detectChanges(state, [inquiry({ data: { employees: { full: 5, part: '' } } })], NOW, { baseline: false });
		expect(changes[0].changes).toEqual(['employees']);
	});

	test('an inquiry not seen before and created after activation is inquiryCreated with changes []', () => {
		const state = remembered([inquiry()], Date.parse('2025-03-22T08:00:00Z'));
		const fresh = inquiry({ id: 1879000, data: { iCreated: '2025-03-22 10:30:00', iUpdated: '2025-03-22 10:30:00' } });
		const { changes } = detectChanges(state, [inquiry(), fresh], NOW, { baseline: false });
		expect(changes).toEqual([{ inquiry: fresh, eventType: 'inquiryCreated', changes: [] }]);
	});

	test('an inquiry seen for the first time but created before the activation is inquiryUpdated with changes null', () => {
		const state = remembered([], Date.parse('2025-03-22T08:00:00Z'));
		const old = inquiry({ id: 1879001, data: { iCreated: '2025-01-02 09:00:00' } });
		const { changes } = detectChanges(state, [old], NOW, { baseline: false });
		expect(changes).toEqual([{ inquiry: old, eventType: 'inquiryUpdated', changes: null }]);
	});
});

describe('change detection: what never counts', () => {
	test('a rotated document token (its expiry and the links carrying it) and a new sHash alone are no change', () => {
		const state = remembered([inquiry({ docToken: 'doctok-first-111111' })]);
		const again = inquiry({ docToken: 'doctok-second-22222222', sHash: 'ffffffffffffffffffff' });
		expect(inquiryFingerprint(again).whole).toBe(inquiryFingerprint(inquiry({ docToken: 'doctok-first-111111' })).whole);
		expect(detectChanges(state, [again], NOW, { baseline: false }).changes).toEqual([]);
	});

	test('a token inside a path of a link is scrubbed too', () => {
		const a = inquiry({ docToken: 'doctok-aaaaaaaa' });
		const b = inquiry({ docToken: 'doctok-bbbbbbbb' });
		(a.docs.files as Array<Record<string, string>>)[0].fullFilePath = 'https://files.test/doctok-aaaaaaaa/f.pdf';
		(b.docs.files as Array<Record<string, string>>)[0].fullFilePath = 'https://files.test/doctok-bbbbbbbb/f.pdf';
		expect(inquiryFingerprint(a).whole).toBe(inquiryFingerprint(b).whole);
	});

	test('iUpdated alone, key order and an unchanged answer are no change', () => {
		const state = remembered([inquiry()]);
		const touched = inquiry({ data: { iUpdated: '2025-03-22 09:59:00' } });
		const reordered = inquiry();
		reordered.data = Object.fromEntries(Object.entries(reordered.data).reverse());
		expect(detectChanges(state, [touched], NOW, { baseline: false }).changes).toEqual([]);
		expect(detectChanges(state, [reordered], NOW, { baseline: false }).changes).toEqual([]);
	});

	test('the first poll (baseline) only remembers', () => {
		const { changes, next } = detectChanges(emptyState('acct', NOW), [inquiry(), inquiry({ id: 2 })], NOW, { baseline: true });
		expect(changes).toEqual([]);
		expect(Object.keys(next.seen).sort()).toEqual(['1878881', '2']);
	});

	test('the same version is reported once: the next poll with the same answer emits nothing', () => {
		const state = remembered([inquiry()]);
		const changed = inquiry({ data: { status: '15' } });
		const first = detectChanges(state, [changed], NOW, { baseline: false });
		expect(first.changes).toHaveLength(1);
		expect(detectChanges(first.next, [changed], NOW + 60_000, { baseline: false }).changes).toEqual([]);
	});

	test('the old state is left untouched (a failing poll later keeps it)', () => {
		const state = remembered([inquiry()]);
		const before = JSON.stringify(state);
		detectChanges(state, [inquiry({ data: { status: '15' } })], NOW, { baseline: false });
		expect(JSON.stringify(state)).toBe(before);
	});
});

describe('memory: restarts, growth, bounds', () => {
	test('survives a JSON round trip (n8n stores static data as JSON) and still names changes', () => {
		const stored = JSON.parse(JSON.stringify(remembered([inquiry()]))) as unknown;
		expect(isPollState(stored)).toBe(true);
		const { changes } = detectChanges(stored as PollState, [inquiry({ data: { status: '3' } })], NOW, { baseline: false });
		expect(changes[0].changes).toEqual(['status']);
	});

	test('a field that appears later extends the field list; older entries still compare', () => {
		const state = remembered([inquiry()]);
		const withNew = inquiry({ data: { newVendorField: 'x' } });
		const first = detectChanges(state, [withNew], NOW, { baseline: false });
		expect(first.changes[0].changes).toEqual(['newVendorField']);
		expect(first.next.fields).toContain('newVendorField');
		expect(detectChanges(first.next, [withNew], NOW, { baseline: false }).changes).toEqual([]);
	});

	test('inquiries whose last change lies beyond the three-month window are forgotten', () => {
		const old = inquiry({ id: 7, data: { iCreated: '2024-10-01 10:00:00', iUpdated: '2024-10-02 10:00:00' } });
		const recent = inquiry({ id: 8 });
		const state = remembered([old, recent], Date.parse('2024-10-03T10:00:00Z'));
		expect(Object.keys(state.seen).sort()).toEqual(['7', '8']);
		const later = Date.parse('2024-10-02T10:00:00Z') + (RETAIN_DAYS + 2) * DAY_MS;
		// Inquiry 8 changed again lately (it is in the answer), inquiry 7 did not.
		const recentAgain = inquiry({ id: 8, data: { iUpdated: new Date(later).toISOString().slice(0, 10), status: '4' } });
		const { next } = detectChanges(state, [recentAgain], later, { baseline: false });
		expect(Object.keys(next.seen)).toEqual(['8']);
	});

	test('another account is not mistaken for the remembered one', () => {
		expect(isPollState({ ...remembered([inquiry()]), v: 99 })).toBe(false);
		expect(isPollState(undefined)).toBe(false);
	});

	test('size: bounded per inquiry (5,000 inquiries stay well under 1 MB)', () => {
		const list = Array.from({ length: 5000 }, (_, index) => inquiry({ id: 2_000_000 + index }));
		const state = remembered(list);
		const bytes = stateSize(state);
		expect(Object.keys(state.seen)).toHaveLength(5000);
		expect(bytes / 5000).toBeLessThan(120);
	});
});
