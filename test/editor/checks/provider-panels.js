'use strict';

/**
 * Per provider credential, every resource and operation its dropdowns offer (as the built description
 * says), and for each operation: every collection shown ("Add option") offers at least one option.
 */

const { parkMouse } = require('../session');
const { addNode, choose, collections, offered, selectCredential, switchOn } = require('../panel');

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

module.exports = async function providerPanels({ page, baseUrl, desc, creds, check, shot }) {
	await addNode(page, baseUrl, desc.groups[0].actions[0]);
	for (const provider of desc.perProvider) {
		await selectCredential(page, creds[provider.credentialType]);
		const resourceNames = await offered(page, 'resource');
		const expectedResources = provider.resources.map((r) => r.name);
		check(
			`${provider.name}: Resource offers ${expectedResources.join(', ')}`,
			same(resourceNames, expectedResources),
			same(resourceNames, expectedResources) ? '' : `got ${resourceNames.join(', ')}`,
		);
		let shotTaken = false;
		for (const resource of provider.resources) {
			if (!resourceNames.includes(resource.name)) continue;
			await choose(page, 'resource', resource.name);
			const operations = await offered(page, 'operation');
			check(
				`${provider.name}: ${resource.name} operations are ${resource.operations.join(', ')}`,
				same(operations, resource.operations),
				same(operations, resource.operations) ? '' : `got ${operations.join(', ')}`,
			);
			for (const operation of operations) {
				await choose(page, 'operation', operation);
				// Wait for Completion reveals the wait and result collections.
				const waits = await switchOn(page, 'waitForCompletion');
				const { found, unset, buttons } = await collections(page);
				const problems = [
					...found.filter((c) => c.names.length === 0).map((c) => `${c.label} offers nothing`),
					...(unset !== found.length + buttons
						? [
								`${unset} collection(s) show "No properties" but ${found.length + buttons} have an Add option`,
							]
						: []),
					...(buttons ? [`${buttons} one-option button(s) not opened`] : []),
				];
				check(
					`${provider.name} ${resource.name} -> ${operation}${waits ? ' (Wait for Completion on)' : ''}: ${
						found.length === 0 && unset === 0
							? 'no collection shown'
							: 'every collection offers options'
					}`,
					problems.length === 0,
					problems.length
						? problems.join('; ')
						: found.map((c) => `${c.label}: ${c.names.join(', ')}`).join('; '),
				);
				if (!shotTaken && resource === provider.resources[0] && operation === operations[0]) {
					await parkMouse(page, 'panel');
					await shot(`node-panel-${provider.value}.png`);
					shotTaken = true;
				}
			}
		}
	}
};
