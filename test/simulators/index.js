'use strict';

/**
 * Local HTTP simulators of the four provider APIs, for tests and demos. See README.md for routes,
 * faults, the verdict rule and what is assumed where the providers' docs are silent.
 */

const { createSimulator, FAULT_KINDS } = require('./server');
const { classifyAddress } = require('./traits');
const { encodeKey, ENCODINGS } = require('./encodings');
const bouncify = require('./bouncify');
const check365 = require('./check365');
const simplecold = require('./simplecold');
const whoisxml = require('./whoisxml');

const MODULES = {
	bouncify: bouncify.bouncify,
	check365: check365.check365,
	simplecold: simplecold.simplecold,
	whoisxml: whoisxml.whoisxml,
};
const VERDICTS = {
	bouncify: bouncify.verdictFor,
	check365: check365.verdictFor,
	simplecold: simplecold.verdictFor,
	whoisxml: whoisxml.verdictFor,
};

/** @typedef {keyof typeof MODULES} ProviderName */

const PROVIDERS = /** @type {ProviderName[]} */ (Object.keys(MODULES));
const ROUTES = Object.fromEntries(PROVIDERS.map((name) => [name, MODULES[name].routes.map((route) => route.name)]));

/** @param {string} provider @returns {ProviderName} */
function checkedProvider(provider) {
	if (!(provider in MODULES)) throw new Error(`Unknown provider "${provider}"; use one of: ${PROVIDERS.join(', ')}`);
	return /** @type {ProviderName} */ (provider);
}

/** @param {string} provider @param {object} [options] */
function startSimulator(provider, options = {}) {
	return createSimulator(MODULES[checkedProvider(provider)], options);
}

/**
 * Starts all four; with `portBase` they listen on portBase, +1, +2, +3 in PROVIDERS order.
 * @param {{ portBase?: number, port?: number } & object} [options]
 */
async function startAllSimulators(options = {}) {
	const { portBase, ...shared } = options;
	/** @type {Record<string, any>} */
	const all = {};
	try {
		for (const [index, name] of PROVIDERS.entries()) {
			all[name] = await startSimulator(name, { ...shared, port: portBase === undefined ? 0 : portBase + index });
		}
	} catch (error) {
		await Promise.all(Object.values(all).map((sim) => sim.close()));
		throw error;
	}
	return {
		...all,
		close: () => Promise.all(PROVIDERS.map((name) => all[name].close())).then(() => undefined),
	};
}

/** @param {string} provider @param {string} email */
function verdictFor(provider, email) {
	return VERDICTS[checkedProvider(provider)](email);
}

module.exports = { startSimulator, startAllSimulators, verdictFor, classifyAddress, encodeKey, PROVIDERS, ROUTES, FAULT_KINDS, ENCODINGS };
