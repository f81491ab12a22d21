'use strict';

/** Switching the credential from Bouncify to Check365 keeps Wait for Completion and a Wait Option. */

const { parkMouse } = require('../session');
const {
	addCollectionOption,
	addNode,
	choose,
	isOn,
	params,
	selectCredential,
	switchOn,
} = require('../panel');

module.exports = async function providerSwitch({ page, baseUrl, desc, creds, check, shot }) {
	const bouncify = desc.perProvider.find((p) => p.value === 'bouncify');
	const check365 = desc.perProvider.find((p) => p.value === 'check365');
	await addNode(page, baseUrl, desc.groups[0].actions[0]);
	await selectCredential(page, creds[bouncify.credentialType]);
	await choose(page, 'resource', 'Job');
	await choose(page, 'operation', 'Create');
	await switchOn(page, 'waitForCompletion');
	await addCollectionOption(page, 'Wait Options', 'Maximum Wait');
	const input = page.locator('[data-test-id="parameter-input-maxWaitMinutes"] input');
	await input.waitFor({ state: 'visible' });
	await input.fill('7');
	await input.press('Tab');
	await page.waitForTimeout(500);
	const before = await input.inputValue();
	check(
		'switch: Bouncify Create has Wait for Completion on and Maximum Wait 7',
		(await isOn(page, 'waitForCompletion')) && Number(before) === 7,
		`value ${before}`,
	);
	await selectCredential(page, creds[check365.credentialType]);
	const text = await params(page).innerText();
	const notice = check365.notices[0];
	if (notice) check('switch: the panel now shows Check365 (its notice)', text.includes(notice));
	check(
		'switch: Wait for Completion still on after Bouncify -> Check365',
		await isOn(page, 'waitForCompletion'),
	);
	const after = (await input.count()) ? await input.inputValue() : '(gone)';
	check(
		'switch: Maximum Wait still 7 after Bouncify -> Check365',
		Number(after) === 7,
		`value ${after}`,
	);
	await parkMouse(page, 'panel');
	await shot('provider-switch-check365.png');
};
