'use strict';

/**
 * Reads what n8n stored and prints it as JSON. Runs under the Node 24 of the n8n runtime (node:sqlite;
 * `pg` and `flatted` come from the n8n install, $N8N_HOME/node_modules), called by the e2e scripts
 * (which themselves may run on Node 20).
 *
 *   node read-db.js <database.sqlite | postgres://…> executions [workflowId]
 *   node read-db.js <database> triggerStatus <workflowId>
 *   node read-db.js <database> pollerState <workflowId>
 *   node read-db.js <database> staticData <workflowId>      the workflow's static data (the trigger's memory)
 *   node read-db.js <database> binary <binaryId>            a file stored in database mode, as UTF-8 text
 *
 * Execution data is stored in the `flatted` format.
 */
const path = require('node:path');

const [database, what, arg] = process.argv.slice(2);
const fromN8n = (name) => require(path.join(process.env.N8N_HOME, 'node_modules', name));

// Postgres folds unquoted names to lower case; n8n's columns are camelCase, so they are quoted there.
const QUERIES = {
	triggerStatus: 'SELECT * FROM workflow_publication_trigger_status WHERE "workflowId" = $1',
	pollerState: 'SELECT * FROM poller_state WHERE "workflowId" = $1',
	staticData: 'SELECT "staticData" FROM workflow_entity WHERE id = $1',
	binary: 'SELECT data FROM binary_data WHERE "fileId" = $1',
	executions: (
		filtered,
	) => `SELECT e.id, e."workflowId", e.status, e.mode, e.finished, e."startedAt", e."stoppedAt", e."createdAt",
			d.data AS "rawData", d."workflowData" AS "rawWorkflowData"
		FROM execution_entity e LEFT JOIN execution_data d ON d."executionId" = e.id
		${filtered ? 'WHERE e."workflowId" = $1' : ''} ORDER BY e.id`,
};

function sqlFor(what) {
	const query = QUERIES[what];
	if (!query) throw new Error(`unknown query "${what}"`);
	return typeof query === 'function' ? query(Boolean(arg)) : query;
}

const params = () => (arg ? [arg.replace(/^database:/, '')] : []);

function shape(rows) {
	if (what === 'binary') return rows[0] ? Buffer.from(rows[0].data).toString('utf8') : null;
	if (what !== 'executions') return rows;
	const flatted = fromN8n('flatted');
	return rows.map((row) => ({
		...row,
		rawWorkflowData:
			typeof row.rawWorkflowData === 'string'
				? row.rawWorkflowData
				: JSON.stringify(row.rawWorkflowData ?? ''),
		data: row.rawData ? flatted.parse(row.rawData) : null,
	}));
}

async function readPostgres() {
	const { Client } = fromN8n('pg');
	const client = new Client({ connectionString: database });
	await client.connect();
	try {
		return shape((await client.query(sqlFor(what), params())).rows);
	} finally {
		await client.end();
	}
}

function readSqlite() {
	const { DatabaseSync } = require('node:sqlite');
	const db = new DatabaseSync(database, { readOnly: true });
	try {
		db.exec('PRAGMA busy_timeout = 5000');
		// SQLite takes the same SQL with ? placeholders.
		return shape(db.prepare(sqlFor(what).replace(/\$\d/g, '?')).all(...params()));
	} finally {
		db.close();
	}
}

(database.startsWith('postgres') ? readPostgres() : Promise.resolve().then(readSqlite))
	.then((result) => process.stdout.write(JSON.stringify(result)))
	.catch((error) => {
		process.stderr.write(`${error.stack ?? error}\n`);
		process.exitCode = 1;
	});
