/**
 * The house plan of the source (scripts/house.js): every import points down a floor or stays on its
 * own, the node and the trigger speak only to the model, the registry and the workflow floor, and no
 * file grows past one topic's size.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const house = require('../scripts/house.js') as {
	survey(): {
		upward: Array<{ from: string; to: string }>;
		nodeOverreach: Array<{ from: string; to: string }>;
		unplaced: string[];
		sizes: Array<{ file: string; lines: number }>;
		arrows: number;
	};
	MAX_LINES: number;
};

const plan = house.survey();

const ROOT = path.resolve(__dirname, '..');

function unitTests(dir: string): string[] {
	return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
		const relative = `${dir}/${entry.name}`;
		if (entry.isDirectory()) return unitTests(relative);
		return entry.name.endsWith('.test.ts') ? [relative] : [];
	});
}

describe('the floors of nodes/ and credentials/', () => {
	it('has imports to check (the survey reads the source)', () => {
		expect(plan.arrows).toBeGreaterThan(100);
		expect(plan.sizes.length).toBeGreaterThan(40);
	});

	it('has no import pointing back up a floor', () => {
		expect(plan.upward).toEqual([]);
	});

	it('lets the node and the trigger import only the model, the registry and the workflow floor', () => {
		expect(plan.nodeOverreach).toEqual([]);
	});

	it('places every source file on a floor', () => {
		expect(plan.unplaced).toEqual([]);
	});

	it(`keeps every file under ${house.MAX_LINES} lines`, () => {
		expect(plan.sizes.filter(({ lines }) => lines > house.MAX_LINES)).toEqual([]);
	});
});

describe('the unit tests', () => {
	const files = unitTests('test/unit');

	it('exist', () => {
		expect(files.length).toBeGreaterThan(20);
	});

	it('each sit at the path of the module they test (test/unit/<path>.test.ts tests nodes/<path>.ts)', () => {
		const orphans = files.filter((file) => {
			const source = file.replace(/^test\/unit\//, 'nodes/').replace(/\.test\.ts$/, '.ts');
			return !existsSync(path.join(ROOT, source));
		});
		expect(orphans).toEqual([]);
	});
});
