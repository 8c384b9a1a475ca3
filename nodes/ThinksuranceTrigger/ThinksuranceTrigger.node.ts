import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHookFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
	type JsonObject,
} from 'n8n-workflow';

import { CREDENTIAL_TYPE, isTransientApiError } from '../shared/api';
import { accountTokenField, brokerExternalIdField, brokerTokenField, mappingTypeField } from '../shared/descriptions/fields';
import { updateDisplayOptions } from '../shared/descriptions/updateDisplayOptions';
import { resolveAccountToken } from '../shared/domain/accounts';
import { setBrokerCallback } from '../shared/domain/brokers';
import { eventItemProperties, inquiryEventItem, readEventItemOptions, type InquiryEvent } from '../shared/domain/events';
import { InputError, readInteger, requireText } from '../shared/domain/input';
import { fetchInquiry, type InquiryOwner } from '../shared/domain/inquiries';
import type { Inquiry } from '../shared/domain/responses';
import { keepMarkedUntilAnswered } from '../shared/n8n/staticDataRemark';
import { responseCode204 } from '../shared/n8n/webhookResponse';
import { readDeliveryBody } from './trigger/body';
import { RecentDeliveries } from './trigger/dedup';
import { currentRegistration, forgetRegistration, rememberRegistration } from './trigger/registrations';
import { isSelected, parseDelivery, type Delivery } from './trigger/parse';

/** What create() registered; checkExists() and delete() need exactly this. */
interface Registration extends IDataObject {
	webhookUrl: string;
	key: string;
	brokerToken: string;
	brokerExternalId: string;
	mappingType: number;
	testSystem: boolean;
}

const KEY_PARAMETER = 'key';

function registrationInput(ctx: IHookFunctions): { brokerToken: string; brokerExternalId: string; mappingType: number } {
	try {
		return {
			brokerToken: requireText(ctx.getNodeParameter('brokerToken', ''), 'Broker Token').trim(),
			brokerExternalId: requireText(ctx.getNodeParameter('brokerExternalId', ''), 'Broker External ID'),
			mappingType: readInteger(ctx.getNodeParameter('mappingType', 1), 'Mapping Type', [1, 2]) ?? 1,
		};
	} catch (error) {
		const input = error as InputError;
		throw new NodeOperationError(ctx.getNode(), `${input.message} ${input.hint ?? ''}`.trim(), {
			description: 'Registration "Broker Callback" needs the broker whose callback should point at this workflow.',
		});
	}
}

/** Test runs of an active workflow must not re-point the live callback. */
function leavesRegistrationAlone(ctx: IHookFunctions): boolean {
	return ctx.getNodeParameter('registration', 'brokerCallback') !== 'brokerCallback' || (ctx.getMode() === 'manual' && ctx.getWorkflow().active);
}

/** Whose registration: this workflow's trigger node (test URL and production URL alike). */
function registrationScope(ctx: IHookFunctions | IWebhookFunctions): string {
	return `${ctx.getWorkflow().id ?? ''}\u0000${ctx.getNode().name}`;
}

function sameSecret(given: unknown, expected: string): boolean {
	if (typeof given !== 'string' || given === '') return false;
	const a = createHash('sha256').update(given).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b);
}

export class ThinksuranceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Thinksurance Trigger',
		name: 'thinksuranceTrigger',
		icon: { light: 'file:../Thinksurance/thinksurance.svg', dark: 'file:../Thinksurance/thinksurance.dark.svg' },
		group: ['trigger'],
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{ ($parameter["events"] || []).includes("*") ? "All Events" : "Events: " + ($parameter["events"] || []).join(", ") }}',
		description: 'Starts the workflow when Thinksurance notifies about an inquiry (V2 events and inquiry callbacks)',
		defaults: { name: 'Thinksurance Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'thinksuranceApi', required: true }],
		// n8n answers accepted deliveries (204, no body), n8n 2.x only once it holds the execution.
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', ...responseCode204(), responseData: 'noData', path: 'webhook' }],
		properties: [
			{
				displayName: 'Trigger On',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'All Events', value: '*', description: 'Every event, also types not listed here, and legacy inquiry callbacks' },
					// The older snake_case names (booking_created …) arrive as these camelCase values.
					{ name: 'Booking Created', value: 'bookingCreated', description: 'Older event name booking_created' },
					{ name: 'Contract Created', value: 'contractCreated', description: 'Older event name contract_created' },
					{ name: 'Inquiry Cancelled', value: 'inquiryCancelled', description: 'Older event name inquiry_cancelled' },
					{ name: 'Inquiry Created', value: 'inquiryCreated', description: 'InquiryCreated (older: inquiry_created)' },
					{ name: 'Inquiry Ordered', value: 'inquiryOrdered' },
					{ name: 'Inquiry Proposal Created', value: 'inquiryProposalCreated' },
					{ name: 'Inquiry Updated', value: 'inquiryUpdated', description: 'InquiryUpdated (older: inquiry_updated)' },
					{ name: 'Legacy Inquiry Callback', value: 'ipnCallback', description: 'Older callbacks that post the full inquiry' },
					{ name: 'Offer Selected', value: 'offerSelected', description: 'Older event name offer_selected' },
					{ name: 'Offers Created', value: 'offersCreated', description: 'Older event name offers_created' },
					{ name: 'Proposal Created', value: 'proposalCreated', description: 'Older event name proposal_created' },
					{ name: 'Tender Cancelled', value: 'tenderCancelled', description: 'Older event name tender_cancelled' },
					{ name: 'Tender Closed', value: 'tenderClosed', description: 'Older event name tender_closed' },
					{ name: 'Tender Created', value: 'tenderCreated', description: 'Older event name tender_created' },
				],
				default: ['*'],
				description: 'Which notifications start the workflow; others are answered 204 and ignored',
			},
			{
				displayName: 'Registration',
				name: 'registration',
				type: 'options',
				options: [
					{
						name: 'Broker Callback',
						value: 'brokerCallback',
						description: 'On activation, point the broker\'s callback at this workflow; switch it off on deactivation',
					},
					{
						name: 'Manual',
						value: 'manual',
						description: 'You give this workflow\'s Production URL to Thinksurance support',
					},
				],
				default: 'brokerCallback',
			},
			{
				displayName:
					'Give Thinksurance support the Production URL of this node (shown above under Webhook URLs; click it to copy) and ask them to send V2 notifications there. Activate the workflow first.',
				name: 'manualNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { registration: ['manual'] } },
			},
			...updateDisplayOptions({ show: { registration: ['brokerCallback'] } }, [
				{ ...brokerTokenField, description: 'The broker whose callback should point at this workflow (bToken)' },
				{ ...brokerExternalIdField, description: 'Your ID of that broker' },
				mappingTypeField,
			]),
			{
				displayName: 'Fetch Inquiry',
				name: 'fetchInquiry',
				type: 'boolean',
				default: true,
				description:
					'Whether to fetch the full inquiry with your own credential instead of trusting the posted body. Thinksurance\'s sHash cannot be verified, so this is what makes the data authentic.',
			},
			{
				...accountTokenField,
				description:
					'Account token used to fetch inquiries. Empty: the registered broker\'s token, else the credential\'s default account, else the only account of the API user.',
				displayOptions: { show: { fetchInquiry: [true] } },
			},
			...eventItemProperties,
			{
				// typeVersion 1: asks n8n to leave the body unparsed, so a malformed body gets this node's
				// 400. n8n evaluates this as an expression on every delivery (on 2.x in its sandbox, about
				// 10 ms); typeVersion 1.1 lets n8n parse JSON itself, so malformed JSON gets n8n's 422.
				displayName: 'Raw Body',
				name: 'options',
				type: 'hidden',
				default: { binaryData: true },
				displayOptions: { show: { '@version': [1] } },
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				if (leavesRegistrationAlone(this)) return true;
				const registration = this.getWorkflowStaticData('node').registration as Registration | undefined;
				if (!registration) return false;
				const input = registrationInput(this);
				const credentials = await this.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE);
				return (
					registration.webhookUrl === this.getNodeWebhookUrl('default') &&
					registration.brokerToken === input.brokerToken &&
					registration.brokerExternalId === input.brokerExternalId &&
					registration.mappingType === input.mappingType &&
					registration.testSystem === (credentials.environment === 'test')
				);
			},

			async create(this: IHookFunctions): Promise<boolean> {
				if (leavesRegistrationAlone(this)) return true;
				const webhookUrl = this.getNodeWebhookUrl('default') as string;
				const input = registrationInput(this);
				const credentials = await this.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE);
				const testSystem = credentials.environment === 'test';
				const key = randomBytes(24).toString('hex');
				const callbackUrl = `${webhookUrl}${webhookUrl.includes('?') ? '&' : '?'}${KEY_PARAMETER}=${key}`;
				await setBrokerCallback.call(this, { ...input, testSystem }, callbackUrl, [key]);
				const registration: Registration = { webhookUrl, key, ...input, testSystem };
				this.getWorkflowStaticData('node').registration = registration;
				rememberRegistration(registrationScope(this), registration);
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				if (leavesRegistrationAlone(this)) return true;
				const staticData = this.getWorkflowStaticData('node');
				const registration = currentRegistration(registrationScope(this), staticData) as Registration | undefined;
				if (!registration) return true;
				await setBrokerCallback.call(this, registration, null, [registration.key]);
				delete staticData.registration;
				forgetRegistration(registrationScope(this));
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const response = this.getResponseObject();
		// A delivery that starts nothing is answered here; n8n must not answer again.
		const answer = (status: number, error?: string): IWebhookResponseData => {
			if (error) response.status(status).json({ error });
			else response.status(status).end();
			return { noWebhookResponse: true };
		};
		try {
			const staticData = this.getWorkflowStaticData('node');
			const registration = currentRegistration(registrationScope(this), staticData) as Registration | undefined;
			if (registration?.key && this.getMode() !== 'manual' && !sameSecret((this.getQueryData() as IDataObject)[KEY_PARAMETER], registration.key)) {
				return answer(401, 'This URL needs the key that was registered with Thinksurance.');
			}
			const bodyResult = await readDeliveryBody(this.getRequestObject());
			if (!bodyResult.ok) return answer(400, `Not a Thinksurance notification: ${bodyResult.reason}.`);
			const parsed = parseDelivery(bodyResult.body);
			if (!parsed.ok) return answer(400, `Not a Thinksurance notification: ${parsed.reason}.`);

			const events = this.getNodeParameter('events', ['*']);
			const memory = new RecentDeliveries(staticData, `${this.getWorkflow().id ?? ''}:${this.getNode().name}`);
			const fresh = parsed.deliveries.filter(
				(delivery) => isSelected(delivery.eventType, events) && (delivery.dedupKey === null || memory.claim(delivery.dedupKey)),
			);
			if (fresh.length === 0) {
				// Redeliveries and unselected events: n8n saves static data before this answer.
				memory.persist();
				return answer(204);
			}

			let items: INodeExecutionData[];
			try {
				items = await deliveryItems.call(this, fresh);
			} catch (error) {
				for (const delivery of fresh) if (delivery.dedupKey) memory.release(delivery.dedupKey);
				this.logger.warn('Thinksurance Trigger: inquiry fetch failed for now, asking Thinksurance to redeliver', {
					message: (error as Error).message,
				});
				return answer(503, 'The inquiry could not be fetched right now; please deliver again later.');
			}
			const keys = fresh.map((delivery) => delivery.dedupKey).filter((key): key is string => key !== null);
			for (const key of keys) memory.remember(key);
			if (items.length === 0) return answer(204);
			keepMarkedUntilAnswered(memory, keys, response);
			// n8n answers (204, see `webhooks`) once it holds the execution.
			return { workflowData: [items] };
		} catch (error) {
			// Never let a delivery crash the webhook or start an empty execution.
			this.logger.error('Thinksurance Trigger could not handle a delivery', { message: (error as Error).message });
			return answer(500, 'The delivery could not be handled.');
		}
	}
}

/**
 * One item per affected inquiry, or one item for an event that names none; other references ride
 * along. Throws only for transient fetch failures (→ 503, redelivery).
 */
async function deliveryItems(this: IWebhookFunctions, deliveries: Delivery[]): Promise<INodeExecutionData[]> {
	const fetch = this.getNodeParameter('fetchInquiry', true) as boolean;
	const options = readEventItemOptions(this);
	const items: INodeExecutionData[] = [];
	// Read once per delivery, and only once an inquiry is really fetched.
	let auth: Promise<FetchAuth> | undefined;
	for (const delivery of deliveries) {
		const event = (inquiryId: number | string | null): InquiryEvent => ({
			eventType: delivery.eventType,
			eventId: delivery.eventId,
			eventTime: delivery.eventTime,
			inquiryId,
			accountReference: delivery.accountReference,
			brokerReference: delivery.brokerReference,
			references: delivery.references,
		});
		// A contract or customer is never fetched (this package has no access to them).
		if (delivery.inquiries.length === 0) items.push(await inquiryEventItem.call(this, event(null), null, options));
		for (const affected of delivery.inquiries) {
			let inquiry: Inquiry | null = fetch ? null : affected.inquiry;
			const extra: IDataObject = {};
			if (fetch) {
				try {
					inquiry = await fetchAffectedInquiry.call(this, String(affected.inquiryId), () => (auth ??= fetchAuth.call(this)));
				} catch (error) {
					if (isTransientApiError(error)) throw new NodeApiError(this.getNode(), error as JsonObject);
					extra.fetchError = (error as Error).message;
				}
			}
			items.push(await inquiryEventItem.call(this, event(affected.inquiryId), inquiry, options, extra));
		}
	}
	return items;
}

type FetchAuth = InquiryOwner;

/** Whose token fetches the inquiries: the node's account, else the registered broker, else the credential's account. */
async function fetchAuth(this: IWebhookFunctions): Promise<FetchAuth> {
	const accountToken = String(this.getNodeParameter('accountToken', '') ?? '').trim();
	const brokerToken =
		this.getNodeParameter('registration', 'brokerCallback') === 'brokerCallback'
			? String(this.getNodeParameter('brokerToken', '') ?? '').trim()
			: '';
	if (accountToken) return { accountToken };
	if (brokerToken) return { brokerToken };
	return { accountToken: await resolveAccountToken.call(this, '') };
}

/** From the credential's base URL by ID: a posted href is never followed (no signature). */
async function fetchAffectedInquiry(this: IWebhookFunctions, inquiryId: string, auth: () => Promise<FetchAuth>): Promise<Inquiry> {
	const inquiry = await fetchInquiry.call(this, inquiryId, await auth());
	if (!inquiry) {
		throw new NodeApiError(this.getNode(), { message: `Thinksurance answered without inquiry ${inquiryId}.` });
	}
	return inquiry;
}
