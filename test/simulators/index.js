'use strict';

/**
 * Local HTTP simulators of the four provider APIs, for tests and demos (a test-only fixture may register
 * more, see `registerSimulator`). See README.md for routes, faults, the verdict rule and what is
 * assumed where the providers' docs are silent.
 */

const { createSimulator, FAULT_KINDS } = require('./server');
const { classifyAddress } = require('./traits');
const { encodeKey, ENCODINGS } = require('./encodings');
const bouncify = require('./bouncify');
const check365 = require('./check365');
const simplecold = require('./simplecold');
const whoisxml = require('./whoisxml');

/**
 * The simulators by provider name: the four built in, then any a test fixture adds with
 * `registerSimulator` (test/fixtures/fifth-provider), in the order they were added.
 * @type {Record<string, import('./server').ProviderDefinition>}
 */
const MODULES = {
	bouncify: bouncify.bouncify,
	check365: check365.check365,
	simplecold: simplecold.simplecold,
	whoisxml: whoisxml.whoisxml,
};
/** @type {Record<string, (email: string) => unknown>} */
const VERDICTS = {
	bouncify: bouncify.verdictFor,
	check365: check365.verdictFor,
	simplecold: simplecold.verdictFor,
	whoisxml: whoisxml.verdictFor,
};

/** @typedef {string} ProviderName */

/** Kept up to date by `registerSimulator` (the arrays are the exported ones). */
const PROVIDERS = /** @type {ProviderName[]} */ (Object.keys(MODULES));
/** @type {Record<string, string[]>} */
const ROUTES = Object.fromEntries(
	PROVIDERS.map((name) => [name, MODULES[name].routes.map((route) => route.name)]),
);

/** @param {string} provider @returns {ProviderName} */
function checkedProvider(provider) {
	if (!Object.prototype.hasOwnProperty.call(MODULES, provider)) {
		throw new Error(`Unknown provider "${provider}"; use one of: ${PROVIDERS.join(', ')}`);
	}
	return provider;
}

/**
 * Adds the simulator of a provider this folder does not ship (a test-only fixture), served by the same
 * machinery (server.js) as the four.
 * @param {import('./server').ProviderDefinition} definition @param {(email: string) => unknown} verdictFor
 */
function registerSimulator(definition, verdictFor) {
	if (Object.prototype.hasOwnProperty.call(MODULES, definition.name)) {
		throw new Error(`A simulator named "${definition.name}" is already registered`);
	}
	MODULES[definition.name] = definition;
	VERDICTS[definition.name] = verdictFor;
	PROVIDERS.push(definition.name);
	ROUTES[definition.name] = definition.routes.map((route) => route.name);
}

/** @param {string} provider @param {object} [options] */
function startSimulator(provider, options = {}) {
	return createSimulator(MODULES[checkedProvider(provider)], options);
}

/**
 * Starts every registered simulator (the four built in, and any `registerSimulator` added); with
 * `portBase` they listen on portBase, +1, +2, … in PROVIDERS order.
 * @param {{ portBase?: number, port?: number } & object} [options]
 */
async function startAllSimulators(options = {}) {
	const { portBase, ...shared } = options;
	/** @type {Record<string, any>} */
	const all = {};
	try {
		for (const [index, name] of PROVIDERS.entries()) {
			all[name] = await startSimulator(name, {
				...shared,
				port: portBase === undefined ? 0 : portBase + index,
			});
		}
	} catch (error) {
		await Promise.all(Object.values(all).map((sim) => sim.close()));
		throw error;
	}
	return {
		...all,
		close: () => Promise.all(Object.values(all).map((sim) => sim.close())).then(() => undefined),
	};
}

/** @param {string} provider @param {string} email */
function verdictFor(provider, email) {
	return VERDICTS[checkedProvider(provider)](email);
}

module.exports = {
	startSimulator,
	startAllSimulators,
	registerSimulator,
	verdictFor,
	classifyAddress,
	encodeKey,
	PROVIDERS,
	ROUTES,
	FAULT_KINDS,
	ENCODINGS,
};
