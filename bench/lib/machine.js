'use strict';

const os = require('node:os');

function machine() {
	const cpus = os.cpus();
	return {
		cpu: (cpus[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim(),
		cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
		memoryGb: Math.round(os.totalmem() / 1024 ** 3),
		node: process.version,
		os: `${os.type()} ${os.release()} ${os.arch()}`,
	};
}

module.exports = { machine };
