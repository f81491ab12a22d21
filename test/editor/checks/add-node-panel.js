'use strict';

/**
 * The add-node panel: searching "Bulk Verify" lists the node and the trigger, each with its own
 * description; the node's entry lists every action once, under its resource's heading; the trigger's
 * entry shows its own details and adds the trigger itself.
 */

const { parkMouse } = require('../session');
const {
	NODE_TYPE,
	TRIGGER_TYPE,
	creator,
	entryOf,
	openNewWorkflowCreator,
	openNodeEntry,
	search,
	waitForPanel,
} = require('../panel');

module.exports = async function addNodePanel({ page, baseUrl, desc, check, shot }) {
	await openNewWorkflowCreator(page, baseUrl);
	const entries = await search(page, 'Bulk Verify');
	const node = entries.filter((e) => e.type === NODE_TYPE);
	const trigger = entries.filter((e) => e.type === TRIGGER_TYPE);
	check(
		'search: two entries, the node and the trigger',
		entries.length === 2 && node.length === 1 && trigger.length === 1,
		entries.map((e) => `${e.type}: ${e.name}`).join('; '),
	);
	check(
		`search: the node is "${desc.node.displayName}" with its own description`,
		node[0]?.name === desc.node.displayName && node[0]?.description === desc.node.description,
		node[0] ? `"${node[0].name}": ${node[0].description}` : 'not listed',
	);
	check(
		`search: the trigger is "${desc.trigger.displayName}" with its own description`,
		trigger[0]?.name === desc.trigger.displayName &&
			trigger[0]?.description === desc.trigger.description,
		trigger[0] ? `"${trigger[0].name}": ${trigger[0].description}` : 'not listed',
	);
	await page.mouse.move(400, 200);
	await shot('add-node-search.png');

	await openNodeEntry(page, baseUrl);
	const lines = (await creator(page).innerText())
		.split('\n')
		.map((l) => l.trim())
		.filter(Boolean);
	const headings = desc.groups.map((g) => g.heading);
	// Which heading each line is under (undefined before the first action heading).
	let current;
	const under = new Map();
	for (const line of lines) {
		if (headings.includes(line)) current = line;
		else if (current) under.set(line, [...(under.get(line) ?? []), current]);
	}
	for (const group of desc.groups) {
		check(
			`node entry: heading ${group.heading}`,
			lines.filter((l) => l === group.heading).length === 1,
		);
		for (const action of group.actions) {
			const seen = lines.filter((l) => l === action).length;
			const where = under.get(action) ?? [];
			const right = seen === 1 && where.length === 1 && where[0] === group.heading;
			check(
				`node entry: "${action}" once, under ${group.heading}`,
				right,
				right ? '' : `seen ${seen}x, under ${where.join(', ') || 'none'}`,
			);
		}
	}
	const total = desc.groups.reduce((n, g) => n + g.actions.length, 0);
	check(`node entry: "Actions (${total})"`, lines.includes(`Actions (${total})`));
	await page.mouse.move(400, 200);
	await page.waitForTimeout(300);
	await shot('add-node-panel.png');

	await openNewWorkflowCreator(page, baseUrl);
	await search(page, 'Bulk Verify');
	await entryOf(page, TRIGGER_TYPE).first().click();
	// A community node's entry opens its details, with "Add to workflow".
	const add = creator(page).getByRole('button', { name: 'Add to workflow' });
	await add.waitFor({ state: 'visible' });
	const details = await creator(page).innerText();
	check(
		'trigger entry: its details show its own name and description',
		details.includes(desc.trigger.displayName) && details.includes(desc.trigger.description),
	);
	await page.mouse.move(400, 200);
	await shot('add-node-trigger.png');
	await add.click();
	await waitForPanel(page);
	check(
		'trigger entry: "Add to workflow" adds the trigger and opens its panel',
		(await page
			.locator(`[data-test-id="canvas-node"][data-node-type="${TRIGGER_TYPE}"]`)
			.count()) === 1,
	);
	await parkMouse(page, 'panel');
	await shot('trigger-panel.png');
};
