'use strict';

/** Runs a bench script in a fresh Node process and returns the JSON object it prints last on stdout. */

const { spawn } = require('node:child_process');

function runChild(
	script,
	args = [],
	{ nodeArgs = ['--expose-gc'], env = {}, timeoutMs = 180_000 } = {},
) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [...nodeArgs, script, ...args.map(String)], {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, ...env },
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			const last = stdout.trim().split('\n').pop() ?? '';
			if (code !== 0) {
				reject(new Error(`${script} exited with ${signal ?? code}\n${stderr.slice(-4000)}`));
				return;
			}
			try {
				resolve(JSON.parse(last));
			} catch {
				reject(
					new Error(
						`${script} printed no JSON result:\n${stdout.slice(-2000)}\n${stderr.slice(-2000)}`,
					),
				);
			}
		});
	});
}

module.exports = { runChild };
