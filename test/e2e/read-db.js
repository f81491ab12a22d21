'use strict';

/**
 * Reads executions out of an n8n SQLite database and prints them as JSON. Runs under the Node 24 of
 * the n8n runtime (node:sqlite), called by run.js (which itself may run on Node 20).
 *
 *   node read-db.js <database.sqlite> executions [workflowId]
 *   node read-db.js <database.sqlite> triggerStatus <workflowId>
 *   node read-db.js <database.sqlite> pollerState <workflowId>
 *
 * Execution data is stored in the `flatted` format; the flatted package comes from the n8n install
 * ($N8N_HOME/node_modules/flatted).
 */
const path = require('node:path');
const { DatabaseSync } = require('node:sqlite');

const [dbPath, what, workflowId] = process.argv.slice(2);
const db = new DatabaseSync(dbPath, { readOnly: true });
db.exec('PRAGMA busy_timeout = 5000');

function main() {
	if (what === 'triggerStatus') {
		const rows = db.prepare('SELECT * FROM workflow_publication_trigger_status WHERE workflowId = ?').all(workflowId);
		return rows;
	}
	if (what === 'pollerState') {
		// Durable poll cursors (N8N_POLLER_DURABLE_CURSORS_ENABLED): the node's static data per trigger node.
		return db.prepare('SELECT * FROM poller_state WHERE workflowId = ?').all(workflowId);
	}
	if (what === 'executions') {
		const flatted = require(path.join(process.env.N8N_HOME, 'node_modules', 'flatted'));
		const sql = `SELECT e.id, e.workflowId, e.status, e.mode, e.finished, e.startedAt, e.stoppedAt,
				d.data AS rawData, d.workflowData AS rawWorkflowData
			FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id
			${workflowId ? 'WHERE e.workflowId = ?' : ''} ORDER BY e.id`;
		const rows = workflowId ? db.prepare(sql).all(workflowId) : db.prepare(sql).all();
		return rows.map((row) => ({
			...row,
			data: row.rawData ? flatted.parse(row.rawData) : null,
		}));
	}
	throw new Error(`unknown query "${what}"`);
}

try {
	process.stdout.write(JSON.stringify(main()));
} finally {
	db.close();
}
