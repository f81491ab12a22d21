#!/usr/bin/env node
'use strict';

/** `npm run simulators`: all four provider simulators on fixed local ports until Ctrl-C. */

const { startAllSimulators, PROVIDERS } = require('./index');

const DEFAULT_PORT_BASE = 4101;

const HELP = `Usage: npm run simulators -- [options]

Starts local simulators of the Bouncify, Check365, SimpleCold and WhoisXML APIs on 127.0.0.1 with a
real clock, and prints the Base URL and API key to put in each n8n credential. Ctrl-C stops them.

Options:
  --port-base <n>        first port; the providers take n, n+1, n+2, n+3 in the order
                         ${PROVIDERS.join(', ')} (default ${DEFAULT_PORT_BASE}, or $SIM_PORT_BASE)
  --job-duration-ms <n>  base duration of every job (default 2000)
  --per-email-ms <n>     extra duration per address (default 1)
  --no-rate-limit        disable the Bouncify (120/min) and SimpleCold (10/min, single 100/min) limits
  --verbose              print one line per request
  --help                 show this text
`;

/** @param {string[]} argv */
function parseArgs(argv) {
	/** @type {Record<string, string | true>} */
	const flags = {};
	for (let i = 0; i < argv.length; i++) {
		const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
		if (!match) throw new Error(`Unexpected argument "${argv[i]}"`);
		const [, name, inline] = match;
		if (['no-rate-limit', 'verbose', 'help'].includes(name)) flags[name] = true;
		else if (['port-base', 'job-duration-ms', 'per-email-ms'].includes(name)) {
			const value = inline ?? argv[++i];
			if (value === undefined || !/^\d+$/.test(value))
				throw new Error(`--${name} needs a whole number`);
			flags[name] = value;
		} else throw new Error(`Unknown option --${name}`);
	}
	return flags;
}

async function main() {
	let flags;
	try {
		flags = parseArgs(process.argv.slice(2));
	} catch (error) {
		process.stderr.write(`${error instanceof Error ? error.message : error}\n\n${HELP}`);
		process.exit(2);
	}
	if (flags.help) {
		process.stdout.write(HELP);
		return;
	}
	const numberFlag = (/** @type {string} */ name) =>
		typeof flags[name] === 'string' ? Number(flags[name]) : undefined;
	const portBase =
		numberFlag('port-base') ?? Number(process.env.SIM_PORT_BASE ?? DEFAULT_PORT_BASE);
	const noLimit = flags['no-rate-limit'] ? Infinity : undefined;

	const simulators = await startAllSimulators({
		portBase,
		jobDurationMs: numberFlag('job-duration-ms'),
		perEmailMs: numberFlag('per-email-ms'),
		rateLimitPerMinute: noLimit,
		singleRateLimitPerMinute: noLimit,
		onRequest: flags.verbose
			? (entry) => {
					const fault = entry.fault ? ` [fault ${entry.fault}]` : '';
					process.stdout.write(
						`${entry.method} ${entry.path} -> ${entry.status ?? 'reset'} (${entry.route ?? 'no route'})${fault}\n`,
					);
				}
			: undefined,
	});

	process.stdout.write('Provider simulators running (real clock). Ctrl-C to stop.\n\n');
	for (const name of PROVIDERS) {
		const sim = simulators[name];
		process.stdout.write(
			`${name.padEnd(11)} Base URL: ${sim.baseUrl.padEnd(40)} API key: ${sim.apiKey}\n`,
		);
	}

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		await simulators.close();
		process.stdout.write('\nSimulators stopped.\n');
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	process.stderr.write(
		`Could not start the simulators: ${error instanceof Error ? error.message : error}\n`,
	);
	process.exit(1);
});
