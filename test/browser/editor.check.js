#!/usr/bin/env node
'use strict';
/**
 * Browser check of the n8n editor with this package: `node test/browser/editor.check.js`.
 *
 * Starts the demo headless (random ports, temp user folder), logs into the editor with
 * Debian's Chromium driven by playwright-core, and checks what a person would see:
 * the Thinksurance node's icon loads on the canvas, its parameter panel renders
 * (Broker / Forward, Broker Token, …), the trigger's panel renders (Events, Registration),
 * and n8n's type lists hold both node types and the credential type.
 * Screenshots go to test/artifacts/. Exits non-zero on the first failed check.
 *
 * Env: TSN_SKIP_BUILD=1 reuses dist/ (no build before packing); CHROMIUM=/path/to/chromium.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { ROOT, OWNER, request } = require('../../scripts/lib/n8n');
const { ACTION_WORKFLOWS, CREDENTIAL_ID, linearWorkflow, thinksurance } = require('../../scripts/lib/workflows');
const { startDemo, EXAMPLES } = require('../../scripts/demo');

const ARTIFACTS = path.join(ROOT, 'test', 'artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ACTION_TYPE = 'n8n-nodes-thinksurance.thinksurance';
const TRIGGER_TYPE = 'n8n-nodes-thinksurance.thinksuranceTrigger';
const CREDENTIAL_TYPE = 'thinksuranceApi';
const BUDGET_MS = 300_000;

const started = Date.now();
const screenshots = [];
let passed = 0;

function say(message) {
	process.stdout.write(`[browser] ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${message}\n`);
}

class CheckFailed extends Error {}

function check(condition, message) {
	if (!condition) throw new CheckFailed(message);
	passed += 1;
	say(`ok  ${message}`);
}

/** Debian's Chromium; installed with apt-get when missing (we are root on these machines). */
function ensureChromium() {
	if (fs.existsSync(CHROMIUM)) return CHROMIUM;
	if (process.env.CHROMIUM) throw new Error(`CHROMIUM=${CHROMIUM} does not exist`);
	say('Chromium is missing: apt-get update && apt-get install -y chromium (one time, a minute or two)…');
	for (const args of [['update'], ['install', '-y', 'chromium']]) {
		const result = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
		if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status}); install Chromium yourself or set CHROMIUM`);
	}
	if (!fs.existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is missing`);
	return CHROMIUM;
}

async function screenshot(page, name) {
	const file = path.join(ARTIFACTS, `editor-${name}.png`);
	await page.screenshot({ path: file });
	screenshots.push(file);
	say(`screenshot ${path.relative(ROOT, file)}`);
	return file;
}

/** The value an n8n options parameter shows (an element-plus select's input or its text). */
async function shownValue(ndv, parameterName) {
	const container = ndv.locator(`[data-test-id="parameter-input-${parameterName}"]`);
	await container.waitFor({ timeout: 15_000 });
	const input = container.locator('input').first();
	const value = (await input.count()) ? await input.inputValue().catch(() => '') : '';
	return (value || (await container.innerText())).trim();
}

async function login(page, baseUrl) {
	await page.goto(`${baseUrl}/signin`);
	await page.locator('input[name="emailOrLdapLoginId"]').fill(OWNER.email);
	await page.locator('input[name="password"]').fill(OWNER.password);
	await page.locator('[data-test-id="form-submit-button"]').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 30_000 });
	check(true, `logged into the editor as ${OWNER.email}`);
}

/** Opens a workflow and returns the canvas node of the given type. */
async function openWorkflow(page, baseUrl, workflowId, nodeType) {
	await page.goto(`${baseUrl}/workflow/${workflowId}`);
	const node = page.locator(`[data-test-id="canvas-node"][data-node-type="${nodeType}"]`).first();
	await node.waitFor({ state: 'visible', timeout: 30_000 });
	return node;
}

/** Checks that the node's icon on the canvas is an image that loaded (or an inline svg). */
async function checkCanvasIcon(page, baseUrl, node, label) {
	const img = node.locator('.n8n-node-icon img').first();
	if (await img.count()) {
		await img.waitFor({ state: 'visible', timeout: 15_000 });
		await page.waitForFunction((element) => element.complete, await img.elementHandle(), { timeout: 15_000 });
		const src = await img.getAttribute('src');
		const naturalWidth = await img.evaluate((element) => element.naturalWidth);
		check(Boolean(src) && /thinksurance/i.test(src), `${label}: canvas icon is an <img> of the package (${src})`);
		const res = await request('GET', new URL(src, baseUrl).toString());
		check(res.status === 200, `${label}: icon ${src} answers HTTP ${res.status}`);
		check(/<svg[\s>]/.test(res.text) && /image\/svg\+xml/.test(res.headers['content-type'] ?? ''), `${label}: icon is served as SVG (${res.headers['content-type']})`);
		check(naturalWidth > 0, `${label}: icon image is not broken (naturalWidth ${naturalWidth})`);
		return;
	}
	const svg = node.locator('.n8n-node-icon svg').first();
	check((await svg.count()) > 0, `${label}: canvas node shows an icon (<img> or <svg>)`);
	const box = await svg.boundingBox();
	check(box && box.width > 0 && box.height > 0, `${label}: inline svg icon has a size`);
}

async function openNdv(page, node) {
	await node.dblclick();
	const ndv = page.locator('[data-test-id="ndv"]');
	await ndv.waitFor({ state: 'visible', timeout: 15_000 });
	await ndv.locator('[data-test-id="node-parameters"]').waitFor({ state: 'visible', timeout: 15_000 });
	return ndv;
}

async function visibleLabel(ndv, text) {
	const label = ndv.locator('[data-test-id="node-parameters"] [data-test-id="parameter-item"]').getByText(text, { exact: true }).first();
	try {
		await label.waitFor({ state: 'visible', timeout: 10_000 });
		return true;
	} catch {
		return false;
	}
}

/** n8n's type lists, fetched as the logged-in browser (they need the session in 2.x). */
async function checkTypes(page, baseUrl) {
	const get = async (route) => {
		const res = await page.request.get(`${baseUrl}${route}`);
		let json;
		try {
			json = await res.json();
		} catch {
			json = undefined;
		}
		return { status: res.status(), json };
	};
	const nodes = await get('/types/nodes.json');
	check(nodes.status === 200 && Array.isArray(nodes.json), `/types/nodes.json answers (HTTP ${nodes.status})`);
	const nodeNames = new Set(nodes.json.map((type) => type.name));
	check(nodeNames.has(ACTION_TYPE), `/types/nodes.json lists ${ACTION_TYPE}`);
	check(nodeNames.has(TRIGGER_TYPE), `/types/nodes.json lists ${TRIGGER_TYPE}`);
	const credentials = await get('/types/credentials.json');
	check(credentials.status === 200 && Array.isArray(credentials.json), `/types/credentials.json answers (HTTP ${credentials.status})`);
	check(credentials.json.some((type) => type.name === CREDENTIAL_TYPE), `/types/credentials.json lists ${CREDENTIAL_TYPE}`);
}

/** Saves a workflow through the REST API (the editor's own route) and returns its ID. */
async function saveWorkflow(demo, workflow) {
	const { id: _id, pinData: _pin, ...body } = workflow;
	const saved = await demo.n8n.rest('POST', '/workflows', body);
	return saved.id;
}

/**
 * Opens the "From List" dropdown of a resource locator; returns a scope for its items and search
 * (the dropdown is a popper at the end of the page, so only visible ones count).
 */
async function openLocatorList(page, ndv, parameterName) {
	const locator = ndv.locator(`[data-test-id="resource-locator-${parameterName}"]`);
	await locator.waitFor({ state: 'visible', timeout: 15_000 });
	await locator.locator('[data-test-id="rlc-input"]').first().click();
	const list = {
		items: page.locator('[data-test-id="rlc-item"]:visible'),
		search: page.locator('[data-test-id="rlc-search"]:visible').first(),
	};
	await list.items.first().waitFor({ state: 'visible', timeout: 30_000 });
	return list;
}

async function itemTexts(list) {
	return (await list.items.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
}

async function runNodeInEditor(page, ndv) {
	const output = ndv.locator('[data-test-id="output-panel"]').first();
	const before = await output.innerText().catch(() => '');
	await ndv.locator('[data-test-id="node-execute-button"]').first().click();
	await output.waitFor({ state: 'visible', timeout: 15_000 });
	await page.waitForFunction(
		({ element, previous }) => /\b\d+ items?\b/i.test(element.innerText) && element.innerText !== previous,
		{ element: await output.elementHandle(), previous: before },
		{ timeout: 60_000 },
	);
	// The JSON view shows every field (the table scrolls sideways).
	await output.getByText('JSON', { exact: true }).first().click();
	await page.waitForFunction((element) => /"inquiryId"/.test(element.innerText), await output.elementHandle(), { timeout: 15_000 });
	return output;
}

/**
 * typeVersion 1.1: a new Inquiry → Get node. Account list (the stand-in's accounts), inquiry
 * list narrowed by a customer name, run with Simplify on and off.
 */
async function checkVersion11(page, baseUrl, demo) {
	const workflowId = await saveWorkflow(
		demo,
		linearWorkflow({
			name: 'Browser check: Inquiry Get 1.1',
			nodes: [
				thinksurance('Thinksurance', {
					resource: 'inquiry',
					operation: 'get',
					authenticateAs: 'account',
					accountToken: { __rl: true, mode: 'list', value: '' },
					inquiryId: { __rl: true, mode: 'list', value: '' },
				}, { typeVersion: 1.1 }),
			],
			credentialId: CREDENTIAL_ID,
		}),
	);
	const node = await openWorkflow(page, baseUrl, workflowId, ACTION_TYPE);
	const ndv = await openNdv(page, node);
	for (const label of ['Account', 'Inquiry', 'Simplify']) check(await visibleLabel(ndv, label), `1.1 parameter "${label}" is visible`);
	await screenshot(page, '5-v11-get-panel');

	let dropdown = await openLocatorList(page, ndv, 'accountToken');
	const accounts = await itemTexts(dropdown);
	check(accounts.includes('Demo Maklerbüro GmbH') && accounts.includes('Zweitbüro Hamburg'), `the account list shows the stand-in's accounts: ${accounts.join(' | ')}`);
	await screenshot(page, '6-v11-account-list');
	await dropdown.items.filter({ hasText: 'Demo Maklerbüro GmbH' }).first().click();
	await dropdown.items.first().waitFor({ state: 'hidden', timeout: 10_000 });
	// The first input of a locator is its mode selector ("From list"); the value input follows.
	const accountShown = await ndv.locator('[data-test-id="resource-locator-accountToken"] input').evaluateAll((inputs) => inputs.map((input) => input.value));
	check(accountShown.includes('Demo Maklerbüro GmbH'), `the picked account is shown by name (shows ${accountShown.map((v) => `"${v}"`).join(', ')})`);

	dropdown = await openLocatorList(page, ndv, 'inquiryId');
	const all = await itemTexts(dropdown);
	check(all.length >= 30 && all.every((text) => / · .+ · .+ · /.test(text)), `the inquiry list shows the account's inquiries as "ID · customer · product · status" (${all.length}, e.g. "${all[0]}")`);
	await screenshot(page, '7a-v11-inquiry-list');
	const target = demo.standin.state.inquiries.get(1878881);
	const customer = `${target.customer.cFirstName} ${target.customer.cLastName}`;
	const searchInput = (await dropdown.search.locator('input').count()) ? dropdown.search.locator('input').first() : dropdown.search;
	await searchInput.fill(customer);
	await page.waitForFunction(
		(before) => {
			const items = [...document.querySelectorAll('[data-test-id="rlc-item"]')].filter((item) => item.offsetParent !== null);
			return items.length > 0 && items.length < before;
		},
		all.length,
		{ timeout: 30_000 },
	);
	const narrowed = await itemTexts(dropdown);
	check(narrowed.length < all.length && narrowed.some((text) => text.startsWith('1878881 · ')), `typing "${customer}" narrows the list to ${narrowed.length}: ${narrowed.slice(0, 4).join(' | ')}`);
	await screenshot(page, '7b-v11-inquiry-list-filtered');
	await dropdown.items.filter({ hasText: '1878881 · ' }).first().click();
	await dropdown.items.first().waitFor({ state: 'hidden', timeout: 10_000 });

	let output = await runNodeInEditor(page, ndv);
	let text = await output.innerText();
	check(/statusName/.test(text) && /premiumYearlyEur/.test(text) && !/sHash/.test(text), 'run in the editor with Simplify on: the simplified item (statusName, premiumYearlyEur, no sHash)');
	await screenshot(page, '8-v11-run-simplified');

	await ndv.locator('[data-test-id="parameter-input-simplify"] .el-switch').first().click();
	output = await runNodeInEditor(page, ndv);
	await page.waitForFunction((element) => /sHash/.test(element.innerText), await output.elementHandle(), { timeout: 30_000 });
	text = await output.innerText();
	check(/sHash/.test(text) && /bExternalId/.test(text) && /premiumYearly"/.test(text), 'Simplify off, run again: the full inquiry (sHash, data with bExternalId, premiumYearly in cents …)');
	await screenshot(page, '9-v11-run-raw');
	await ndv.locator('[data-test-id="ndv-close-button"]').click();
	await ndv.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** A workflow saved with typeVersion 1 (Document → Download) opens as it was: no issues on the canvas or in the panel. */
async function checkVersion1Opens(page, baseUrl, demo) {
	const workflowId = await saveWorkflow(demo, linearWorkflow({ ...ACTION_WORKFLOWS.downloadDocuments, name: 'Browser check: Document Download 1', credentialId: CREDENTIAL_ID }));
	const node = await openWorkflow(page, baseUrl, workflowId, ACTION_TYPE);
	await page.waitForTimeout(1_000);
	const canvasIssues = await page.locator('[data-test-id="node-issues"], [data-test-id="canvas-node-status-warning"]').count();
	check(canvasIssues === 0, `typeVersion 1 workflow: no warning on the canvas (${canvasIssues})`);
	const ndv = await openNdv(page, node);
	for (const label of ['Inquiry ID', 'Account Token', 'Purposes', 'Put Output File in Field']) check(await visibleLabel(ndv, label), `typeVersion 1 parameter "${label}" is visible`);
	check((await ndv.locator('[data-test-id="resource-locator-accountToken"]').count()) === 0, 'typeVersion 1 keeps Account Token a plain text field');
	const panelIssues = await ndv.locator('[data-test-id="parameter-issues"], [data-test-id="node-issues"]').count();
	check(panelIssues === 0, `typeVersion 1 panel shows no parameter issues (${panelIssues})`);
	const inquiry = await ndv.locator('[data-test-id="parameter-input-inquiryId"] input').first().inputValue();
	check(inquiry === '1878881', `Inquiry ID keeps its saved text (shows "${inquiry}")`);
	await screenshot(page, '10-v1-download-panel');
	await ndv.locator('[data-test-id="ndv-close-button"]').click();
	await ndv.waitFor({ state: 'hidden', timeout: 10_000 });
}

async function main() {
	fs.mkdirSync(ARTIFACTS, { recursive: true });
	const executablePath = ensureChromium();
	const { chromium } = require('playwright-core');

	say('starting n8n with the package and the stand-in (headless demo)…');
	const demo = await startDemo({ headless: true, quiet: false, build: process.env.TSN_SKIP_BUILD !== '1' });
	say(`n8n ready at ${demo.n8n.url} (setup ${(demo.timings.total / 1000).toFixed(1)} s)`);
	const baseUrl = demo.n8n.url;
	let browser;
	let page;
	const watchdog = setTimeout(() => {
		console.error(`[browser] FAILED: the check took longer than ${BUDGET_MS / 1000} s`);
		void demo.stop().finally(() => process.exit(1));
	}, BUDGET_MS);
	try {

		browser = await chromium.launch({
			executablePath,
			headless: true,
			// chromium.launch gives every launch a fresh temporary user-data-dir.
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
		});
		say(`Chromium ${browser.version()} launched`);
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		page = await context.newPage();
		const pageErrors = [];
		page.on('pageerror', (error) => pageErrors.push(error.message));
		const iconResponses = [];
		page.on('response', (response) => {
			if (response.url().includes('/icons/n8n-nodes-thinksurance/')) iconResponses.push(`${response.status()} ${new URL(response.url()).pathname}`);
		});

		await login(page, baseUrl);
		await checkTypes(page, baseUrl);

		// The Broker Forward example: canvas icon and parameter panel.
		const action = await openWorkflow(page, baseUrl, EXAMPLES.forward, ACTION_TYPE);
		check(true, `Broker Forward example opened, Thinksurance node on the canvas`);
		await checkCanvasIcon(page, baseUrl, action, 'Thinksurance');
		await screenshot(page, '1-broker-forward-canvas');
		let ndv = await openNdv(page, action);
		check(true, 'double-click opened the Thinksurance node panel');
		const resource = await shownValue(ndv, 'resource');
		check(resource === 'Broker', `Resource selector shows "Broker" (shows "${resource}")`);
		const operation = await shownValue(ndv, 'operation');
		check(operation === 'Forward', `Operation selector shows "Forward" (shows "${operation}")`);
		for (const label of ['Credential', 'Broker Token', 'Broker External ID', 'Mapping Type', 'Customer Fields', 'Inquiry Fields']) {
			check(await visibleLabel(ndv, label), `parameter "${label}" is visible`);
		}
		const credentialShown = await ndv.locator('[data-test-id="node-credentials-select"]').innerText().catch(() => '');
		const credentialInput = await ndv.locator('[data-test-id="node-credentials-select"] input').first().inputValue().catch(() => '');
		check(/Thinksurance \(local stand-in\)/.test(`${credentialShown} ${credentialInput}`), 'the imported credential is selected');
		const externalId = await ndv.locator('[data-test-id="parameter-input-externalId"]').innerText();
		check(externalId.includes('$json.crmId'), 'Customer Fields → External ID shows its expression');
		const ndvIcon = ndv.locator('img[src*="thinksurance"]').first();
		if (await ndvIcon.count()) check((await ndvIcon.evaluate((element) => element.naturalWidth)) > 0, 'the panel header icon loaded');
		await screenshot(page, '2-broker-forward-panel');
		const productId = ndv.locator('[data-test-id="parameter-input-productId"]');
		await productId.scrollIntoViewIfNeeded();
		check(await productId.isVisible(), 'Inquiry Fields → Product ID is shown after scrolling');
		await screenshot(page, '2b-broker-forward-panel-fields');
		await ndv.locator('[data-test-id="ndv-close-button"]').click();
		await ndv.waitFor({ state: 'hidden', timeout: 10_000 });

		// The notification example: trigger icon and panel.
		const trigger = await openWorkflow(page, baseUrl, EXAMPLES.trigger, TRIGGER_TYPE);
		check(true, 'notification example opened, Thinksurance Trigger on the canvas');
		await checkCanvasIcon(page, baseUrl, trigger, 'Thinksurance Trigger');
		await screenshot(page, '3-trigger-canvas');
		ndv = await openNdv(page, trigger);
		check(true, 'double-click opened the Thinksurance Trigger panel');
		for (const label of ['Trigger On', 'Registration', 'Broker Token', 'Fetch Inquiry']) {
			check(await visibleLabel(ndv, label), `trigger parameter "${label}" is visible`);
		}
		const registration = await shownValue(ndv, 'registration');
		check(registration === 'Broker Callback', `Registration shows "Broker Callback" (shows "${registration}")`);
		const events = await ndv.locator('[data-test-id="parameter-input-events"]').innerText();
		check(/All Events/.test(events), `Events shows "All Events" (shows "${events.replace(/\s+/g, ' ').trim()}")`);
		await screenshot(page, '4-trigger-panel');

		await ndv.locator('[data-test-id="ndv-close-button"]').click();
		await ndv.waitFor({ state: 'hidden', timeout: 10_000 });

		await checkVersion11(page, baseUrl, demo);
		await checkVersion1Opens(page, baseUrl, demo);

		check(pageErrors.length === 0, `no uncaught errors in the page${pageErrors.length ? `: ${pageErrors.join(' | ')}` : ''}`);
		check(iconResponses.length > 0 && iconResponses.every((line) => line.startsWith('200') || line.startsWith('304')), `the browser loaded the package icons: ${[...new Set(iconResponses)].join(', ')}`);
	} catch (error) {
		if (page) await screenshot(page, 'failure').catch(() => {});
		say(`n8n log kept for inspection: ${demo.n8n.logFile}`);
		throw error;
	} finally {
		clearTimeout(watchdog);
		await browser?.close().catch(() => {});
		await demo.stop();
	}
	fs.rmSync(demo.n8n.userFolder, { recursive: true, force: true });
}

main().then(
	() => {
		say(`PASSED: ${passed} checks in ${((Date.now() - started) / 1000).toFixed(1)} s`);
		for (const file of screenshots) process.stdout.write(`  ${file}\n`);
		process.exit(0);
	},
	(error) => {
		const kind = error instanceof CheckFailed ? 'check failed' : 'error';
		console.error(`[browser] FAILED (${kind}): ${error.message}`);
		if (!(error instanceof CheckFailed) && error.stack) console.error(error.stack.split('\n').slice(1, 6).join('\n'));
		for (const file of screenshots) console.error(`  ${file}`);
		process.exit(1);
	},
);

