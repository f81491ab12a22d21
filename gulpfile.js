// Copies what tsc does not: node and credential icons, and node codex JSON files.
const { src, dest, parallel } = require('gulp');

function copyIcons() {
	return src(['icons/**/*.svg', 'icons/**/*.png'], { encoding: false }).pipe(dest('dist/icons'));
}

function copyNodeAssets() {
	return src(['nodes/**/*.svg', 'nodes/**/*.png', 'nodes/**/*.node.json'], {
		encoding: false,
	}).pipe(dest('dist/nodes'));
}

exports.build = parallel(copyIcons, copyNodeAssets);
exports.default = exports.build;
