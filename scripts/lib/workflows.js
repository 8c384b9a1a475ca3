'use strict';
/** Workflow and credential JSON shared by the demo, the end-to-end tests and the benchmarks. */

const CREDENTIAL_ID = 'tsStandinCred001';
const CREDENTIAL_NAME = 'Thinksurance (local stand-in)';

/** A stand-in credential; `apiVersion` as the credential's API Version field (V1.1 is its default). */
function credential(baseUrl, { id = CREDENTIAL_ID, name = CREDENTIAL_NAME, hash = 'demo-api-user-hash-0001', secret = 'demo-api-user-secret-0001', accountToken = '', apiVersion = 'v1.1' } = {}) {
	return { id, name, type: 'thinksuranceApi', data: { environment: 'custom', baseUrl, apiVersion, hash, secret, accountToken } };
}

const credentialRef = (id = CREDENTIAL_ID, name = CREDENTIAL_NAME) => ({ thinksuranceApi: { id, name } });

let counter = 0;
function nodeId() {
	counter += 1;
	return `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
}

/**
 * A linear workflow: manual trigger → (items from a list) → nodes.
 * `items` become separate input items via Set (raw JSON) + Split Out, as a CRM export would.
 */
function linearWorkflow({ id, name, items, nodes, credentialId = CREDENTIAL_ID, settings = {} }) {
	const all = [{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }];
	if (items) {
		all.push({
			name: 'CRM Records',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ records: items }), options: {} },
		});
		all.push({ name: 'One Item per Record', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'records', options: {} } });
	}
	for (const node of nodes) {
		all.push({
			typeVersion: 1,
			...node,
			...(node.type.startsWith('n8n-nodes-thinksurance.') ? { credentials: credentialRef(credentialId) } : {}),
		});
	}
	const connections = {};
	all.forEach((node, index) => {
		node.id = nodeId();
		node.position = [index * 220, 0];
		if (index > 0) connections[all[index - 1].name] = { main: [[{ node: node.name, type: 'main', index: 0 }]] };
	});
	return { id, name, active: false, nodes: all, connections, settings: { executionOrder: 'v1', ...settings }, pinData: {} };
}

const thinksurance = (name, parameters, extra = {}) => ({ name, type: 'n8n-nodes-thinksurance.thinksurance', parameters, ...extra });

/** CRM contacts the end-to-end suites forward; the third e-mail ends in ";", which the package refuses. */
const CRM_CONTACTS = [
	{ crmId: 'C-100', firstName: 'Anna', lastName: 'Becker', email: 'anna.becker@example.de', birthDate: '1984-03-12' },
	{ crmId: 'C-101', firstName: 'Jonas', lastName: 'Wolf', email: 'jonas.wolf@example.de', birthDate: '1979-11-02' },
	{ crmId: 'C-102', firstName: 'Lea', lastName: 'Krüger', email: 'lea.krueger@example.de;', birthDate: '1990-07-21' },
];

/** Broker Forward of CRM_CONTACTS: broker fields, mapped customer with a reference, instant inquiry. */
const CONTACT_FORWARD_PARAMETERS = {
	resource: 'broker',
	operation: 'forward',
	brokerToken: 'brk-demo-0001',
	brokerExternalId: 'CRM-B-1',
	mappingType: 1,
	brokerFields: { firstName: 'Max', lastName: 'Makler', email: 'max.makler@example.de' },
	customerFields: {
		externalId: '={{ $json.crmId }}',
		salutation: 2,
		firstName: '={{ $json.firstName }}',
		lastName: '={{ $json.lastName }}',
		email: '={{ $json.email }}',
		birthDate: '={{ $json.birthDate }}',
		crmIdent: 'n8nDemoCRM',
		externalReferences: { reference: [{ origin: 'crm', paramKey: 'contactId', paramValue: '={{ $json.crmId }}' }] },
	},
	inquiryFields: { productId: 3, professionId: 112, instantInquiryCreation: true },
};

/**
 * Action workflows (name, items, nodes) that the single-instance suite and the queue-mode suite
 * both run; each suite adds its own workflow ID.
 */
const ACTION_WORKFLOWS = {
	getTokens: { name: 'Get tokens', nodes: [thinksurance('Thinksurance', { resource: 'account', operation: 'getTokens' })] },
	forwardContacts: {
		name: 'Forward CRM contacts',
		items: CRM_CONTACTS,
		nodes: [thinksurance('Thinksurance', CONTACT_FORWARD_PARAMETERS, { onError: 'continueRegularOutput' })],
	},
	searchOrdered: {
		name: 'Search ordered',
		nodes: [thinksurance('Thinksurance', { resource: 'inquiry', operation: 'search', accountToken: 'acc-demo-0001', filters: { status: [6] } })],
	},
	getInquiry: {
		name: 'Get inquiry',
		items: [{ id: 1878881, as: 'account' }, { id: 1878882, as: 'broker' }],
		nodes: [
			thinksurance('Thinksurance', {
				resource: 'inquiry',
				operation: 'get',
				inquiryId: '={{ $json.id }}',
				authenticateAs: '={{ $json.as }}',
				accountToken: 'acc-demo-0001',
				brokerToken: 'brk-demo-0001',
			}),
		],
	},
	downloadDocuments: {
		name: 'Download documents',
		nodes: [thinksurance('Thinksurance', { resource: 'document', operation: 'download', inquiryId: '1878881', accountToken: 'acc-demo-0001' })],
	},
};

/**
 * The same operations in typeVersion 1.1, with account and inquiry as the editor's lists gave
 * them (`{value, name}`: saved as a resource locator in mode "list"), plus the unsimplified
 * variants that must equal typeVersion 1's output.
 */
function actionWorkflowsV11({ account, inquiry }) {
	const picked = ({ value, name }) => ({ __rl: true, mode: 'list', value, cachedResultName: name });
	const node = (parameters, extra = {}) => [thinksurance('Thinksurance', parameters, { typeVersion: 1.1, ...extra })];
	return {
		getTokens: { name: 'Get tokens (1.1)', nodes: node({ resource: 'account', operation: 'getTokens' }) },
		forwardContacts: { name: 'Forward CRM contacts (1.1)', items: CRM_CONTACTS, nodes: node(CONTACT_FORWARD_PARAMETERS, { onError: 'continueRegularOutput' }) },
		createBroker: {
			name: 'Create broker (1.1)',
			nodes: node({ resource: 'broker', operation: 'create', accountToken: picked(account), brokerExternalId: 'CRM-B-V11', mappingType: 2, email: 'elf@example.de', brokerFields: { lastName: 'Elf' } }),
		},
		search: { name: 'Search (1.1 defaults)', nodes: node({ resource: 'inquiry', operation: 'search', accountToken: picked(account) }) },
		searchRaw: {
			name: 'Search ordered, all, not simplified (1.1)',
			nodes: node({ resource: 'inquiry', operation: 'search', accountToken: picked(account), returnAll: true, simplify: false, filters: { status: [6] } }),
		},
		getInquiry: { name: 'Get inquiry (1.1)', nodes: node({ resource: 'inquiry', operation: 'get', authenticateAs: 'account', accountToken: picked(account), inquiryId: picked(inquiry) }) },
		getInquiryRaw: {
			name: 'Get inquiry, not simplified (1.1)',
			nodes: node({ resource: 'inquiry', operation: 'get', authenticateAs: 'account', accountToken: picked(account), inquiryId: picked(inquiry), simplify: false }),
		},
		downloadDocuments: { name: 'Download documents (1.1)', nodes: node({ resource: 'document', operation: 'download', accountToken: picked(account), inquiryId: picked(inquiry) }) },
	};
}

function triggerWorkflow({ id, name, webhookId, parameters, credentialId = CREDENTIAL_ID, after = [], typeVersion = 1, staticData }) {
	const nodes = [
		{
			id: nodeId(),
			name: 'Thinksurance Trigger',
			type: 'n8n-nodes-thinksurance.thinksuranceTrigger',
			typeVersion,
			position: [0, 0],
			webhookId,
			parameters,
			credentials: credentialRef(credentialId),
		},
		...after.map((node, index) => ({ id: nodeId(), typeVersion: 1, position: [(index + 1) * 220, 0], ...node, ...(node.type.startsWith('n8n-nodes-thinksurance.') ? { credentials: credentialRef(credentialId) } : {}) })),
	];
	const connections = {};
	nodes.forEach((node, index) => {
		if (index > 0) connections[nodes[index - 1].name] = { main: [[{ node: node.name, type: 'main', index: 0 }]] };
	});
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {}, ...(staticData ? { staticData } : {}) };
}

/** A V2 notification as Thinksurance posts it (shape of the vendor's example). */
function v2Event(inquiryId, eventId, baseUrl, eventType = 'InquiryUpdated') {
	return {
		eventType,
		eventTime: new Date().toISOString(),
		eventId,
		notificationId: `n-${eventId}`,
		accountReference: 'acc-demo-0001',
		brokerReference: 'brk-demo-0001',
		translations: {},
		affected: [{ referenceType: 'inquiry', referenceId: String(inquiryId), links: [{ contentType: 'application/json', href: `${baseUrl}/api/ipn/inquiry/${inquiryId}` }] }],
	};
}

/** Output items of a node in an `n8n execute --rawOutput` result. */
function nodeOutput(run, nodeName) {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	if (!runs) return undefined;
	return runs[0]?.data?.main?.[0] ?? [];
}

function nodeError(run, nodeName) {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	return runs?.[0]?.error ?? run?.data?.resultData?.error;
}

module.exports = { ACTION_WORKFLOWS, actionWorkflowsV11, CRM_CONTACTS, v2Event, CREDENTIAL_ID, CREDENTIAL_NAME, credential, credentialRef, linearWorkflow, triggerWorkflow, thinksurance, nodeOutput, nodeError };
