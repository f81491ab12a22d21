/* global document */
'use strict';

/** Driving the n8n editor's add-node panel and node panel (NDV) the way a person does. */

const PACKAGE = 'n8n-nodes-bulk-email-verify';
const NODE_TYPE = `${PACKAGE}.bulkVerify`;
const TRIGGER_TYPE = `${PACKAGE}.bulkVerifyJobTrigger`;

const creator = (page) => page.locator('[data-test-id="node-creator"]');
const params = (page) => page.locator('[data-test-id="ndv"] [data-test-id="node-parameters"]');
const visibleItems = (page) => page.locator('.el-select-dropdown__item:visible');
/** An entry of the add-node panel by node type (its keyboard id is "<type>-<uuid>"). */
const entryOf = (page, type) =>
	creator(page).locator(`[data-test-id="item-iterator-item"][data-keyboard-nav-id^="${type}-"]`);

/** Types `query` into the open add-node panel; returns the package's entries it lists. */
async function search(page, query) {
	await page.fill(
		'input[data-test-id="node-creator-search-bar"], [data-test-id="node-creator-search-bar"] input',
		query,
	);
	await page.waitForTimeout(800);
	return await creator(page)
		.locator(`[data-test-id="item-iterator-item"][data-keyboard-nav-id^="${PACKAGE}."]`)
		.evaluateAll((elements) =>
			elements.map((element) => ({
				type: element.getAttribute('data-keyboard-nav-id').replace(/-[0-9a-f-]{36}$/, ''),
				name: element.querySelector('[data-test-id="node-creator-item-name"]')?.textContent.trim(),
				description: element
					.querySelector('[data-test-id="node-creator-item-description"]')
					?.textContent.trim(),
			})),
		);
}

/** A new, empty workflow with the add-node panel open (n8n offers triggers first). */
async function openNewWorkflowCreator(page, baseUrl) {
	await page.goto(`${baseUrl}/workflow/new`);
	await page.click('[data-test-id="canvas-add-button"]', { timeout: 60_000 });
	await creator(page).waitFor({ state: 'visible' });
}

/** From a new workflow: the Bulk Verify entry opened, its actions expanded. */
async function openNodeEntry(page, baseUrl) {
	await openNewWorkflowCreator(page, baseUrl);
	await search(page, 'Bulk Verify');
	await entryOf(page, NODE_TYPE).first().click();
	const expander = page.getByText(/^Actions \(\d+\)$/);
	await expander.waitFor({ state: 'visible' });
	// The headings are upper-cased by CSS: wait on the rendered text. The actions may be folded
	// (in the trigger view n8n unfolds the triggers section first).
	const headingShown = () =>
		page
			.waitForFunction(
				() =>
					/\bACTIONS\n/.test(
						document.querySelector('[data-test-id="node-creator"]')?.innerText ?? '',
					),
				null,
				{ timeout: 1_500, polling: 200 },
			)
			.then(
				() => true,
				() => false,
			);
	if (!(await headingShown())) {
		await expander.click();
		if (!(await headingShown())) throw new Error('the Bulk Verify entry shows no action headings');
	}
	await page.waitForTimeout(300);
}

/** Adds a Bulk Verify node through one of its actions and waits for its panel. */
async function addNode(page, baseUrl, action) {
	await openNodeEntry(page, baseUrl);
	await creator(page).getByText(action, { exact: true }).click();
	await waitForPanel(page);
}

async function waitForPanel(page) {
	await page.waitForSelector('[data-test-id="ndv"]', { state: 'visible' });
	await page.waitForSelector('[data-test-id="node-parameters"]', { state: 'visible' });
	await page.waitForTimeout(500);
}

async function closeDropdown(page) {
	await page.keyboard.press('Escape');
	await page
		.waitForFunction(
			() =>
				![
					...document.querySelectorAll(
						'.el-select-dropdown__item, [data-test-id="collection-parameter-option"]',
					),
				].some((e) => e.offsetParent !== null && e.getClientRects().length > 0),
			null,
			{ timeout: 5_000, polling: 100 },
		)
		.catch(() => {});
}

/** Opens a dropdown and returns its options' first lines (their names). */
async function dropdownNames(page, trigger) {
	await trigger.click();
	await visibleItems(page).first().waitFor({ state: 'visible', timeout: 10_000 });
	return (await visibleItems(page).allInnerTexts()).map((t) => t.split('\n')[0].trim());
}

const parameterInput = (page, parameter) =>
	page.locator(`[data-test-id="parameter-input-${parameter}"]`);

/** The names a parameter's dropdown offers (closed again afterwards). */
async function offered(page, parameter) {
	const names = await dropdownNames(page, parameterInput(page, parameter));
	await closeDropdown(page);
	return names;
}

/** Picks `name` in a parameter's dropdown; returns the names offered. */
async function choose(page, parameter, name) {
	const names = await dropdownNames(page, parameterInput(page, parameter));
	const index = names.indexOf(name);
	if (index < 0) {
		await closeDropdown(page);
		throw new Error(`${parameter}: "${name}" is not offered (${names.join(', ')})`);
	}
	await visibleItems(page).nth(index).click();
	await page.waitForTimeout(400);
	return names;
}

async function selectCredential(page, credential) {
	await page.click('[data-test-id="node-credentials-select"]');
	await page.click(`[data-test-id="node-credentials-select-item-${credential.id}"]`);
	await page.waitForFunction(
		(name) =>
			document.querySelector('[data-test-id="node-credentials-select"] input')?.value === name,
		credential.name,
		{ timeout: 10_000 },
	);
	await page.waitForTimeout(600);
}

const switchOf = (page, parameter) =>
	page.locator(`[data-test-id="parameter-input-${parameter}"] .el-switch`);

async function isOn(page, parameter) {
	const sw = switchOf(page, parameter);
	return (await sw.count()) > 0 && /is-checked/.test((await sw.getAttribute('class')) ?? '');
}

/** Turns a boolean parameter on; false when the panel does not show it. */
async function switchOn(page, parameter) {
	const sw = switchOf(page, parameter);
	if (!(await sw.count())) return false;
	if (!(await isOn(page, parameter))) {
		await sw.click();
		await page.waitForTimeout(400);
	}
	return true;
}

/** Adds the option `option` of the collection labelled `label` (e.g. Wait Options → Maximum Wait). */
async function addCollectionOption(page, label, option) {
	const item = params(page)
		.locator('[data-test-id="parameter-item"]')
		.filter({ has: page.locator('[data-test-id="collection-parameter-add"]') })
		.filter({ hasText: label })
		.last();
	await item.locator('[data-test-id="collection-parameter-add"]').click();
	await page
		.locator('[data-test-id="collection-parameter-option"]:visible')
		.filter({ hasText: option })
		.first()
		.click();
}

/**
 * Every "Add option" of the panel: its label and the options its dropdown offers; how many
 * collections show "No properties"; how many one-option "Add option" buttons there are.
 */
async function collections(page) {
	const adds = params(page).locator('[data-test-id="collection-parameter-add"]');
	const found = [];
	const count = await adds.count();
	for (let i = 0; i < count; i++) {
		const add = adds.nth(i);
		const label = await add.evaluate((element) => {
			for (let node = element.parentElement; node; node = node.parentElement) {
				const label = node.querySelector(
					':scope > * [data-test-id="input-label"], :scope > [data-test-id="input-label"]',
				);
				if (label && label.textContent.trim()) return label.textContent.trim().split('\n')[0];
				if (node.getAttribute('data-test-id') === 'node-parameters') break;
			}
			return '';
		});
		await add.scrollIntoViewIfNeeded();
		await add.click();
		const options = page.locator('[data-test-id="collection-parameter-option"]:visible');
		await options
			.first()
			.waitFor({ state: 'visible', timeout: 3_000 })
			.catch(() => {});
		const names = (await options.allInnerTexts()).map((t) => t.trim()).filter(Boolean);
		await closeDropdown(page);
		found.push({ label: label || `collection ${i + 1}`, names });
	}
	// A collection whose options are all hidden shows "No properties" and no "Add option" at all;
	// before any value is set, every collection shows "No properties" once, so the two must match.
	const unset = await params(page).evaluate(
		(root) =>
			[...root.querySelectorAll('*')].filter(
				(e) =>
					e.children.length === 0 &&
					e.textContent.trim() === 'No properties' &&
					e.getClientRects().length > 0,
			).length,
	);
	// n8n shows a plain "Add ..." button instead of a dropdown for a collection of one option.
	const buttons = await params(page)
		.getByRole('button', { name: /^Add option/ })
		.count();
	return { found, unset, buttons };
}

module.exports = {
	NODE_TYPE,
	TRIGGER_TYPE,
	addCollectionOption,
	addNode,
	choose,
	collections,
	creator,
	entryOf,
	isOn,
	offered,
	openNewWorkflowCreator,
	openNodeEntry,
	params,
	search,
	selectCredential,
	switchOn,
	waitForPanel,
};
