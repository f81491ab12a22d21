'use strict';

/**
 * A tiny `.ts` loader for the benches: the test harness (test/harness) is TypeScript and the benches
 * are plain Node, so `.ts` files are transpiled on require with the project's own `typescript`
 * (`transpileModule`, the same single-file transpilation ts-jest does with isolatedModules). No
 * type checking, no cache, no ts-node. Node code under test is NOT loaded through this: the benches
 * require the compiled package from `dist/`, as n8n does.
 */

const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const compilerOptions = {
	module: ts.ModuleKind.CommonJS,
	target: ts.ScriptTarget.ES2022,
	esModuleInterop: true,
	resolveJsonModule: true,
	isolatedModules: true,
	useUnknownInCatchVariables: false,
	inlineSourceMap: false,
	sourceMap: false,
};

if (!require.extensions['.ts']) {
	require.extensions['.ts'] = (module, filename) => {
		const source = fs.readFileSync(filename, 'utf8');
		const { outputText } = ts.transpileModule(source, {
			compilerOptions,
			fileName: path.basename(filename),
		});
		module._compile(outputText, filename);
	};
}
