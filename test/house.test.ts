/**
 * The house plan of the source (scripts/house.js): every import points down a floor or stays on its
 * own, the node and the trigger speak only to the model, the registry and the workflow floor, and no
 * file grows past one topic's size.
 */
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
