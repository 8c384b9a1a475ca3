'use strict';
/** Workflow and credential JSON shared by the demo, the end-to-end tests and the benchmarks. */

const CREDENTIAL_ID = 'tsStandinCred001';
const CREDENTIAL_NAME = 'Thinksurance (local stand-in)';

function credential(baseUrl, { id = CREDENTIAL_ID, name = CREDENTIAL_NAME, hash = 'demo-api-user-hash-0001', secret = 'demo-api-user-secret-0001', accountToken = '' } = {}) {
	return { id, name, type: 'thinksuranceApi', data: { environment: 'custom', baseUrl, hash, secret, accountToken } };
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

function triggerWorkflow({ id, name, webhookId, parameters, credentialId = CREDENTIAL_ID, after = [] }) {
	const nodes = [
		{
			id: nodeId(),
			name: 'Thinksurance Trigger',
			type: 'n8n-nodes-thinksurance.thinksuranceTrigger',
			typeVersion: 1,
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
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
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

module.exports = { v2Event, CREDENTIAL_ID, CREDENTIAL_NAME, credential, credentialRef, linearWorkflow, triggerWorkflow, thinksurance, nodeOutput, nodeError };
