import { createHash } from 'crypto';
import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { resolveAccountToken } from '../shared/domain/accounts';
import { accountTokenField } from '../shared/descriptions/fields';
import { eventItemProperties, inquiryEventItem, readEventItemOptions, type EventItemOptions, type InquiryEvent } from '../shared/domain/events';
import { readStatusFilter, searchInquiries } from '../shared/domain/inquiries';
import { INQUIRY_STATUSES } from '../shared/domain/enums';
import { InputError, readCollection } from '../shared/domain/input';
import { inquiryStatus, parseInquiryCollection, type Inquiry } from '../shared/domain/responses';
import { baseUrlFor, thinksuranceCredentials } from '../shared/api';
import { afterPoll, continueFrom } from './poll/carry';
import { detectChanges, emptyState, isPollState, stateSize, type DetectedChange, type PollState } from './poll/memory';
import { commitSetUpPollCursor } from '../shared/n8n/pollCursor';
import { parseVendorTime, searchWindow } from './poll/window';

const STATE_KEY = 'pollState';
const EVENTS = ['inquiryCreated', 'inquiryUpdated'] as const;

/** Poll contexts that already ran a poll (n8n's default poller keeps one per activation, its scheduler makes one per poll). */
const pollingContexts = new WeakSet<object>();
/** Polls in flight per workflow node: a poll that overlaps a slow one is skipped, never doubled. */
const pollsInFlight = new Set<string>();

export class ThinksurancePollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Thinksurance Polling Trigger',
		name: 'thinksurancePollingTrigger',
		icon: { light: 'file:../Thinksurance/thinksurance.svg', dark: 'file:../Thinksurance/thinksurance.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).includes("*") ? "New and Changed Inquiries" : "Events: " + ($parameter["events"] || []).join(", ") }}',
		description: 'Starts the workflow when an inquiry is created or changes, by asking Thinksurance at regular times',
		defaults: { name: 'Thinksurance Polling Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'thinksuranceApi', required: true }],
		properties: [
			{
				displayName:
					'For n8n instances Thinksurance cannot reach, or as a safety net beside the Thinksurance Trigger. The first poll after activation remembers the existing inquiries and starts nothing; later polls start the workflow for new and changed ones.',
				name: 'pollingNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'All Events', value: '*', description: 'New and changed inquiries' },
					{ name: 'Inquiry Created', value: 'inquiryCreated', description: 'An inquiry not seen before' },
					{ name: 'Inquiry Updated', value: 'inquiryUpdated', description: 'A seen inquiry whose content changed' },
				],
				default: ['*'],
				description: 'Which changes start the workflow',
			},
			{
				...accountTokenField,
				description:
					'Account whose inquiries to watch (aToken). Empty: the credential\'s default account token, or the only account of your API user.',
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						displayName: 'Status',
						name: 'status',
						type: 'multiOptions',
						options: INQUIRY_STATUSES,
						default: [],
						description: 'Only inquiries that now have one of these statuses. Other status numbers can be given with an expression.',
					},
				],
			},
			...eventItemProperties,
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const key = pollKey(this);
		const manual = this.getMode() === 'manual';
		if (!manual && pollsInFlight.has(key)) {
			this.logger.debug('Thinksurance Polling Trigger: previous poll still running, skipping this one');
			return null;
		}
		if (!manual) pollsInFlight.add(key);
		try {
			return manual ? await testPoll.call(this) : await activePoll.call(this);
		} catch (error) {
			throw pollError(this, error);
		} finally {
			if (!manual) pollsInFlight.delete(key);
		}
	}
}

/** What n8n shows for a failed poll: the transport's NodeApiError as it is, input problems as NodeOperationError. */
function pollError(ctx: IPollFunctions, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof InputError) {
		return new NodeOperationError(ctx.getNode(), `${error.message}${error.hint ? ` ${error.hint}` : ''}`, { description: error.hint });
	}
	return new NodeOperationError(ctx.getNode(), error as Error);
}

interface PollSettings {
	accountToken: string;
	account: string;
	events: Set<string>;
	statuses: Set<number>;
	itemOptions: EventItemOptions;
}

async function pollSettings(this: IPollFunctions): Promise<PollSettings> {
	const raw = this.getNodeParameter('events', ['*']) as unknown;
	const list = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(',').map((event) => event.trim()) : ['*'];
	const events = new Set<string>(list.length === 0 || list.includes('*') ? EVENTS : list);
	const filters = readCollection(this.getNodeParameter('filters', {}), 'Filters');
	const statuses = readStatusFilter(filters.status);
	const accountToken = await resolveAccountToken.call(this, this.getNodeParameter('accountToken', ''));
	const credentials = await thinksuranceCredentials(this);
	// Only a hash of the account is kept: another account (or environment) starts afresh; the
	// environment's V1 host names it in either dialect, so a dialect switch keeps the memory.
	const account = createHash('sha256').update(`${baseUrlFor(credentials, 'v1')}\n${accountToken}`).digest('base64url').slice(0, 16);
	const itemOptions = readEventItemOptions(this);
	return { accountToken, account, events, statuses, itemOptions };
}

async function searchAccountInquiries(this: IPollFunctions, accountToken: string, lastDays: number | undefined): Promise<Inquiry[]> {
	return parseInquiryCollection(await searchInquiries.call(this, { accountToken }, { lastDays }));
}

function matchesStatus(inquiry: Inquiry, statuses: Set<number>): boolean {
	return statuses.size === 0 || statuses.has(inquiryStatus(inquiry) ?? Number.NaN);
}

function updatedAt(inquiry: Inquiry): number {
	return parseVendorTime(inquiry.data.iUpdated) ?? parseVendorTime(inquiry.data.iCreated) ?? 0;
}

async function eventItem(this: IPollFunctions, change: DetectedChange, detectedAt: string, options: EventItemOptions): Promise<INodeExecutionData> {
	const brokerReference = change.inquiry.data.bExternalId;
	const event: InquiryEvent = {
		eventType: change.eventType,
		eventId: null,
		eventTime: detectedAt,
		inquiryId: change.inquiry.inquiryId,
		accountReference: null,
		brokerReference: typeof brokerReference === 'string' && brokerReference !== '' ? brokerReference : null,
		references: [],
	};
	return await inquiryEventItem.call(this, event, change.inquiry, options, { changes: change.changes });
}

function pollKey(ctx: IPollFunctions): string {
	return `${ctx.getWorkflow().id ?? ''}:${ctx.getNode().id}`;
}

/**
 * Whether this is the poll n8n runs when it sets the trigger up (activation, restart, a new
 * version), not one it scheduled: the first poll of a context whose activation mode is not
 * `update` (n8n 2.x's scheduler makes a context per poll, always with `update`).
 */
function isSetUpPoll(ctx: IPollFunctions): boolean {
	const first = !pollingContexts.has(ctx);
	pollingContexts.add(ctx);
	return first && ctx.getActivationMode() !== 'update';
}

/** An activation the user started (not a restart, `init`): its first poll only remembers what exists. */
function startsAfresh(ctx: IPollFunctions, setUp: boolean): boolean {
	const activation = ctx.getActivationMode();
	return setUp && (activation === 'activate' || activation === 'create');
}

async function activePoll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const startedAt = Date.now();
	const settings = await pollSettings.call(this);
	const key = pollKey(this);
	const setUp = isSetUpPoll(this);
	// Where this memory lives and when n8n keeps it differs per n8n mode: see docs/polling.md.
	const staticData = this.getWorkflowStaticData('node');
	const stored = staticData[STATE_KEY];
	const saved = isPollState(stored) && stored.account === settings.account ? stored : undefined;
	const baseline = startsAfresh(this, setUp) || !saved;
	const known = baseline ? undefined : continueFrom(key, saved);
	const state: PollState = known ?? emptyState(settings.account, startedAt);
	const lastDays = baseline ? undefined : searchWindow(state.lastPollAt, startedAt);

	const inquiries = await searchAccountInquiries.call(this, settings.accountToken, lastDays);
	const { changes, next } = detectChanges(state, inquiries, startedAt, { baseline });
	const selected = changes
		.filter((change) => settings.events.has(change.eventType) && matchesStatus(change.inquiry, settings.statuses))
		.sort((a, b) => updatedAt(a.inquiry) - updatedAt(b.inquiry) || Number(a.inquiry.inquiryId) - Number(b.inquiry.inquiryId));
	const detectedAt = new Date(startedAt).toISOString();
	const items: INodeExecutionData[] = [];
	// Built before the state moves on: a failed document download fails the poll and the next one tries again.
	for (const change of selected) items.push(await eventItem.call(this, change, detectedAt, settings.itemOptions));

	staticData[STATE_KEY] = next;
	// n8n commits a silent set-up poll's cursor nowhere else (see nodes/shared/n8n/pollCursor.ts).
	if (setUp && items.length === 0) await commitSetUpPoll(this);
	afterPoll(key, next, items.length > 0);
	this.logger.debug('Thinksurance Polling Trigger poll', {
		baseline,
		lastDays: lastDays ?? 'default',
		answered: inquiries.length,
		changed: changes.length,
		emitted: items.length,
		remembered: Object.keys(next.seen).length,
		stateBytes: stateSize(next),
	});
	return items.length ? [items] : null;
}

async function commitSetUpPoll(ctx: IPollFunctions): Promise<void> {
	try {
		await commitSetUpPollCursor(ctx);
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		throw new NodeOperationError(ctx.getNode(), `n8n could not store what the trigger remembered at activation: ${reason}`, {
			description: 'Without it the next poll would remember afresh and miss changes made meanwhile. Activate the workflow again.',
		});
	}
}

/** "Fetch Test Event": the most recently updated inquiry, without touching the memory. */
async function testPoll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const settings = await pollSettings.call(this);
	const inquiries = (await searchAccountInquiries.call(this, settings.accountToken, undefined)).filter(
		(inquiry) => inquiry.inquiryId !== null && matchesStatus(inquiry, settings.statuses),
	);
	if (inquiries.length === 0) return null;
	const latest = inquiries.reduce((best, inquiry) => {
		const order = updatedAt(inquiry) - updatedAt(best) || Number(inquiry.inquiryId) - Number(best.inquiryId);
		return order > 0 ? inquiry : best;
	});
	const isNew = String(latest.data.iCreated ?? '') !== '' && latest.data.iCreated === latest.data.iUpdated;
	const onlyCreated = settings.events.has('inquiryCreated') && !settings.events.has('inquiryUpdated');
	const change: DetectedChange =
		isNew || onlyCreated
			? { inquiry: latest, eventType: 'inquiryCreated', changes: [] }
			: { inquiry: latest, eventType: 'inquiryUpdated', changes: null };
	return [[await eventItem.call(this, change, new Date().toISOString(), settings.itemOptions)]];
}
