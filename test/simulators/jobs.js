'use strict';

/**
 * Bulk jobs whose state is derived from the simulator clock, never from timers: a test with a manual
 * clock sees exactly the state it advanced to, and a real-clock demo sees jobs move on their own.
 *
 * Timeline of one job (duration = jobDurationMs + perEmailMs × size):
 *   created ──25%── queued ──► (waiting for an explicit start, Bouncify only) ──75%── processing ──► completed
 * `processed` grows linearly during processing, in upload order.
 */

const crypto = require('node:crypto');

/** Share of a job's duration spent queued before verification starts. */
const QUEUED_SHARE = 0.25;

/**
 * @typedef {'queued' | 'waiting' | 'processing' | 'completed' | 'failed' | 'cancelled'} JobPhase
 *
 * @typedef {object} SimJob
 * @property {string} id
 * @property {string} name           upload name (SimpleCold file name without extension)
 * @property {string[]} columns      the user's columns, email column included
 * @property {string[][]} rows       the user's values, aligned with `columns`
 * @property {number} emailColumn
 * @property {string[]} emails
 * @property {number} createdAt      clock ms
 * @property {number} durationMs
 * @property {boolean} autoStart     false: waits in `waiting` until `start` (Bouncify without auto_verify)
 * @property {number | null} startedAt
 * @property {number | null} finishedAt  forced completion (finishJob)
 * @property {'failed' | 'cancelled' | null} outcome
 * @property {number | null} outcomeAt
 *
 * @typedef {object} JobProgress
 * @property {JobPhase} phase
 * @property {number} processed      emails verified so far (frozen when the job failed or was cancelled)
 * @property {number | null} startAt when verification began
 * @property {number | null} completedAt
 * @property {number} changedAt      when the phase (or progress) last changed, for "updatedAt" fields
 *
 * @typedef {import('./formats').EmailTable} EmailTable
 */

class JobStore {
	/**
	 * @param {{ now(): number }} clock
	 * @param {{ jobDurationMs: number, perEmailMs: number, newId: (seq: number) => string }} settings
	 */
	constructor(clock, settings) {
		this.clock = clock;
		this.settings = settings;
		/** @type {Map<string, SimJob>} */
		this.jobs = new Map();
		/** Ids removed by a delete call, so "already deleted" can differ from "never existed". */
		this.deletedIds = new Set();
		this.sequence = 0;
		/** Extra ids (the `bigId` fault's long numeric ids) that lead to a job: alias → job id. */
		this.aliases = new Map();
		/** job id → its alias, so a job keeps one alias. */
		this.aliasOf = new Map();
	}

	/**
	 * @param {EmailTable} table
	 * @param {{ id?: string, name?: string, autoStart?: boolean }} [options]
	 * @returns {SimJob}
	 */
	create(table, options = {}) {
		const id = options.id ?? this.settings.newId(++this.sequence);
		const total = table.rows.length;
		/** @type {SimJob} */
		const job = {
			id,
			name: options.name ?? 'emails',
			columns: table.columns,
			rows: table.rows,
			emailColumn: table.emailColumn,
			emails: table.rows.map((row) => row[table.emailColumn]),
			createdAt: this.clock.now(),
			durationMs: this.settings.jobDurationMs + this.settings.perEmailMs * total,
			autoStart: options.autoStart ?? true,
			startedAt: null,
			finishedAt: null,
			outcome: null,
			outcomeAt: null,
		};
		this.jobs.set(id, job);
		return job;
	}

	/**
	 * Creates a job already in `state`, backdating its clock values so the timeline agrees.
	 * @param {EmailTable} table
	 * @param {JobPhase} state
	 * @param {{ id?: string, name?: string }} [options]
	 */
	seed(table, state, options = {}) {
		const job = this.create(table, { ...options, autoStart: state !== 'waiting' });
		const queuedMs = job.durationMs * QUEUED_SHARE;
		const processingMs = job.durationMs - queuedMs;
		const backdateBy = {
			queued: 0,
			waiting: queuedMs,
			processing: queuedMs + processingMs / 2,
			completed: job.durationMs,
			failed: queuedMs + processingMs / 2,
			cancelled: queuedMs + processingMs / 2,
		}[state];
		if (backdateBy === undefined) throw new Error(`Unknown job state "${state}"`);
		job.createdAt -= backdateBy;
		if (state === 'failed' || state === 'cancelled') this.setOutcome(job, state);
		return job;
	}

	/** @param {string | number} id */
	get(id) {
		const key = String(id);
		return this.jobs.get(key) ?? this.jobs.get(this.aliases.get(key) ?? '');
	}

	/** @param {string | number} id */
	wasDeleted(id) {
		const key = String(id);
		return this.deletedIds.has(key) || this.deletedIds.has(this.aliases.get(key) ?? '');
	}

	/**
	 * The job's long numeric alias (20 digits, above 2^53 and not exactly representable as a double),
	 * created on first use; `get` accepts it from then on.
	 * @param {SimJob} job @returns {string}
	 */
	alias(job) {
		const known = this.aliasOf.get(job.id);
		if (known) return known;
		let candidate;
		let n = this.aliases.size + 1;
		do {
			candidate = `1234567890123${String(n++).padStart(7, '0')}`;
		} while (this.aliases.has(candidate) || BigInt(Number(candidate)) === BigInt(candidate));
		this.aliases.set(candidate, job.id);
		this.aliasOf.set(job.id, candidate);
		return candidate;
	}

	/** @param {SimJob} job */
	delete(job) {
		this.jobs.delete(job.id);
		this.deletedIds.add(job.id);
	}

	/** Explicit start of a job that waits for one. @param {SimJob} job */
	start(job) {
		job.startedAt = this.clock.now();
	}

	/** @param {SimJob} job */
	finish(job) {
		job.outcome = null;
		job.outcomeAt = null;
		job.finishedAt = this.clock.now();
	}

	/** @param {SimJob} job @param {'failed' | 'cancelled'} outcome */
	setOutcome(job, outcome) {
		job.outcome = outcome;
		job.outcomeAt = this.clock.now();
	}

	/** @param {SimJob} job @returns {JobProgress} */
	progress(job) {
		if (job.outcome !== null && job.outcomeAt !== null) {
			return { ...this.timeline(job, job.outcomeAt), phase: job.outcome, changedAt: job.outcomeAt };
		}
		return this.timeline(job, this.clock.now());
	}

	/**
	 * When row `index` was verified: rows finish one after another across the processing window.
	 * @param {SimJob} job @param {number} index @param {JobProgress} progress
	 */
	verifiedAt(job, index, progress) {
		const end = progress.completedAt ?? this.clock.now();
		if (progress.startAt === null) return end;
		const processingMs = job.durationMs * (1 - QUEUED_SHARE);
		return Math.min(
			end,
			progress.startAt + (processingMs * (index + 1)) / Math.max(1, job.emails.length),
		);
	}

	/**
	 * @param {SimJob} job @param {number} at
	 * @returns {JobProgress}
	 */
	timeline(job, at) {
		const total = job.emails.length;
		const queuedMs = job.durationMs * QUEUED_SHARE;
		const processingMs = job.durationMs - queuedMs;
		const startAt = job.autoStart ? job.createdAt + queuedMs : job.startedAt;
		if (job.finishedAt !== null && at >= job.finishedAt) {
			return {
				phase: 'completed',
				processed: total,
				startAt,
				completedAt: job.finishedAt,
				changedAt: job.finishedAt,
			};
		}
		if (at < job.createdAt + queuedMs) {
			return {
				phase: 'queued',
				processed: 0,
				startAt: null,
				completedAt: null,
				changedAt: job.createdAt,
			};
		}
		if (startAt === null) {
			return {
				phase: 'waiting',
				processed: 0,
				startAt: null,
				completedAt: null,
				changedAt: job.createdAt + queuedMs,
			};
		}
		const elapsed = at - startAt;
		if (elapsed >= processingMs) {
			const completedAt = startAt + processingMs;
			return { phase: 'completed', processed: total, startAt, completedAt, changedAt: completedAt };
		}
		const processed = Math.floor((total * elapsed) / processingMs);
		return { phase: 'processing', processed, startAt, completedAt: null, changedAt: at };
	}
}

/**
 * Job ids derived from a seed rather than random, so ids repeat from run to run and logs compare.
 * @param {string} seed
 */
function stableUuid(seed) {
	const hex = crypto.createHash('sha256').update(seed).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** @param {string} seed @param {number} length lower-case alphanumerics */
function stableToken(seed, length) {
	const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
	const bytes = crypto.createHash('sha512').update(seed).digest();
	return Array.from(bytes.subarray(0, length), (byte) => alphabet[byte % alphabet.length]).join('');
}

module.exports = { JobStore, stableUuid, stableToken };
