/**
 * Runs a polling trigger's `poll()` through n8n-core's real `PollContext`.
 *
 * `trigger` mode is an active workflow: one `PollContext` per activation (as n8n creates it),
 * every poll driven by n8n-core's real `PollTriggerExecutor` (the code n8n's scheduler calls), the
 * first poll of an activation run as n8n's activation poll (its errors fail the activation), and
 * `__emit` / `__emitError` captured. `manual` mode is "Fetch test event": a fresh
 * `PollContext(…, 'manual', 'manual')` per poll, as `WorkflowExecute` builds it.
 *
 * Workflow static data lives on the harness's `Workflow` object between polls (as in n8n), and
 * the harness also tracks what n8n would have *saved* to its database, so a test can simulate a
 * restart: `restart(snapshot)` builds a new Workflow and PollContext from saved static data.
 *
 * With `durableCursors` the harness follows n8n 2.41.1's durable poll chain (read in its source):
 * - the activation poll runs on the activation's Workflow and PollContext (no fence, so PollContext's
 *   default 5-minute budget), staged by `__runPoll`; a null result commits nothing
 *   (n8n-core `PollTriggerExecutor`: `__commitCursor` only when `!testingTrigger`); the workflow's
 *   static data is then saved (`WorkflowTriggerActivator.activateInternal` → `saveStaticData`);
 * - the node's cursor is a separate row (`poller_state`), created on the first `__runPoll` from the
 *   node's workflow static data (`PollerStateRepository.getOrCreateCursor`) and advanced only by
 *   `__commitCursor` (a null scheduled poll) or with an emitted execution (`commitWithExecution`);
 * - every scheduled poll gets a new Workflow built from the *saved* workflow static data and a new
 *   PollContext with activation mode `update` and the fenced budget
 *   (`PollTriggerTaskHandler.execute` → `TriggerExecutionContextFactory.createPollExecutionContext`),
 *   so a scheduled poll's changes to global static data survive only if it emits (`__emit` saves it);
 * - an n8n restart runs no activation poll (the scheduled job already exists, so
 *   `ActiveWorkflowTriggers.activatePollTrigger` skips it); a reactivation (`reactivate()`) does.
 */
import { Container } from '@n8n/di';
import { PollContext, PollTriggerExecutor } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IPollFunctions,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	TriggerTime,
	WorkflowActivateMode,
} from 'n8n-workflow';
import {
	UnexpectedError,
	UserError,
	Workflow,
	isSubMinuteCron,
	toCronExpression,
} from 'n8n-workflow';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';

import { createAdditionalData } from './additional-data';
import type { CredentialsData } from './credentials-helper';
import { TestCredentialsHelper } from './credentials-helper';
import type { CredentialClassOrInstance } from './credential-types';
import { credentialTypesFor, nodeCredentialsFor } from './execute-node';
import { HarnessNodeTypes, descriptionOf, latestTypeVersion } from './node-types';
import { ensureBinaryData, ensureRuntime } from './runtime';

/** n8n's legacy (in-memory) poll budget: PollContext's default of 5 minutes. */
export const LEGACY_POLL_BUDGET_MS = 5 * 60 * 1000;

/**
 * The budget n8n 2.41 gives a durable (leased) poll with default settings: the 45 s poll timeout
 * minus a margin of 20 % (at least 5 s, at most half): 45 s - 9 s.
 */
export const DURABLE_POLL_BUDGET_MS = 36 * 1000;

export interface PollHarnessOptions {
	parameters?: INodeParameters;
	credentials?: CredentialsData;
	/** `trigger`: an active workflow (default). `manual`: the editor's "Fetch test event". */
	mode?: 'trigger' | 'manual';
	/** Workflow static data to start from (what n8n loaded from its database). */
	staticData?: IDataObject;
	nodeName?: string;
	typeVersion?: number;
	/**
	 * Simulates n8n 2.41's opt-in durable poll cursors (N8N_POLLER_DURABLE_CURSORS_ENABLED and the
	 * scheduler flags): the node's static data is a per-poll copy of its cursor row, committed only
	 * when the poll emits (with its execution) or, for a scheduled poll that returns null, by
	 * `__commitCursor` — the activation poll's null result commits nothing (as in n8n-core's executor).
	 * See the file comment for the rest of the model.
	 */
	durableCursors?: boolean;
	/** The durable cursor row (`poller_state`) to start from; only with `durableCursors`. */
	cursor?: IDataObject;
	/**
	 * What `getPollBudgetMs()` returns (default: 5 min legacy, 36 s durable). With durable cursors it is
	 * the scheduled polls' budget; the activation poll, which n8n runs without a fence, gets 5 minutes.
	 */
	pollBudgetMs?: number;
	/** Credential types to add to (or replace in) the package's own. */
	extraCredentialTypes?: CredentialClassOrInstance[];
}

export interface PollHarness {
	/** Runs one poll; returns what the trigger emitted (`null`: nothing). A failed tick is rethrown. */
	poll(): Promise<INodeExecutionData[][] | null>;
	/** The live workflow static data (n8n's observable object). */
	readonly staticData: IDataObject;
	/**
	 * The live static data of the trigger node (`getWorkflowStaticData('node')` outside a poll): with
	 * durable cursors, the committed cursor row.
	 */
	readonly nodeStaticData: IDataObject;
	/** The Workflow of the current activation (durable cursors: of the last poll). */
	readonly workflow: Workflow;
	readonly node: INode;
	/**
	 * The PollContext of the current activation (trigger mode; durable cursors: of the last poll) or
	 * of the last poll (manual mode).
	 */
	readonly context: PollContext;
	readonly credentialsHelper: TestCredentialsHelper;
	/** Everything the trigger emitted, poll by poll. */
	readonly emitted: INodeExecutionData[][][];
	/** Errors n8n would have recorded as failed executions (`__emitError`). */
	readonly emittedErrors: Error[];
	readonly pollCount: number;
	/** The real `PollContext.getPollBudgetMs()` of this harness (durable cursors: of a scheduled poll). */
	getPollBudgetMs(): number;
	/** A JSON copy of the live static data: what n8n would write if it saved now. */
	snapshotStaticData(): IDataObject;
	/**
	 * A JSON copy of what n8n would have in its database now (see README: when n8n saves). With durable
	 * cursors the node's entry is its committed cursor row (what the node reads after a restart).
	 */
	persistedStaticData(): IDataObject;
	/** Durable cursors: a JSON copy of the node's `poller_state` row (undefined before the first poll). */
	persistedCursor(): IDataObject | undefined;
	/**
	 * n8n restarts, keeping only saved data (default: what this harness saved; or `fromSnapshot`, in the
	 * shape of `persistedStaticData()`). Legacy: a new Workflow and PollContext whose first poll is an
	 * activation poll (activation `init`). Durable cursors: no activation poll, the next poll is a
	 * scheduled one.
	 */
	restart(fromSnapshot?: IDataObject): PollHarness;
	/** The workflow is deactivated and activated again: the next poll is an activation poll (`activate`). */
	reactivate(fromSnapshot?: IDataObject): PollHarness;
}

function jsonCopy<T>(value: T): T {
	return JSON.parse(JSON.stringify(value ?? {})) as T;
}

function plainCopy(value: IDataObject): IDataObject {
	return JSON.parse(JSON.stringify(value)) as IDataObject;
}

interface StagedCursor {
	seed: IDataObject;
	snapshot: IDataObject;
}

/** What survives a restart: the saved workflow static data and, with durable cursors, the cursor row. */
interface SavedState {
	staticData: IDataObject;
	cursor: IDataObject | undefined;
	/** Durable cursors: the scheduled job exists, so the next poll is a scheduled one, not an activation poll. */
	scheduled: boolean;
}

class PollHarnessImpl implements PollHarness {
	workflow: Workflow;

	readonly node: INode;

	readonly credentialsHelper: TestCredentialsHelper;

	readonly emitted: INodeExecutionData[][][] = [];

	readonly emittedErrors: Error[] = [];

	pollCount = 0;

	context: PollContext;

	private readonly mode: 'trigger' | 'manual';

	private readonly additionalData: IWorkflowExecuteAdditionalData;

	private readonly nodeTypes = new HarnessNodeTypes();

	private readonly typeName: string;

	private readonly nodeDefinition: INode;

	/** The workflow's static data as n8n last saved it (`workflow_entity.staticData`). */
	private persisted: IDataObject;

	/** Durable cursors: the node's `poller_state` row; undefined until the first `__runPoll` creates it. */
	private cursorRow: IDataObject | undefined;

	private activated: boolean;

	private executePoll?: (testingTrigger?: boolean) => Promise<void>;

	private lastEmit: INodeExecutionData[][] | null = null;

	private staged: StagedCursor | undefined;

	constructor(
		private readonly nodeType: INodeType | IVersionedNodeType,
		private readonly options: PollHarnessOptions,
		private readonly activation: WorkflowActivateMode,
		saved?: SavedState,
	) {
		ensureRuntime();
		this.mode = options.mode ?? 'trigger';
		this.typeName = this.nodeTypes.registerPackageNode(nodeType);
		const typeVersion = options.typeVersion ?? latestTypeVersion(nodeType);
		const description = descriptionOf(nodeType, typeVersion);
		if (!description.polling) {
			throw new UnexpectedError(
				`Node type "${description.name}" is not a polling trigger (description.polling is not true)`,
			);
		}
		const nodeName = options.nodeName ?? description.defaults.name ?? description.displayName;
		this.nodeDefinition = {
			id: `harness-poll-node-${nodeName}`,
			name: nodeName,
			type: this.typeName,
			typeVersion,
			position: [0, 0],
			parameters: structuredClone(options.parameters ?? {}),
			credentials: nodeCredentialsFor(options.credentials),
		};
		this.persisted = jsonCopy(saved?.staticData ?? options.staticData ?? {});
		this.cursorRow = options.durableCursors
			? saved
				? saved.cursor
				: options.cursor && jsonCopy(options.cursor)
			: undefined;
		this.activated = options.durableCursors === true && saved?.scheduled === true;
		this.workflow = this.createWorkflow();
		this.node = this.workflow.nodes[nodeName];
		this.credentialsHelper = new TestCredentialsHelper(
			credentialTypesFor(options),
			options.credentials ?? {},
		);
		this.additionalData = createAdditionalData({
			credentialsHelper: this.credentialsHelper,
			executionId: `harness-poll-${randomUUID()}`,
			workflowId: this.workflow.id,
		});
		this.context =
			this.mode === 'trigger'
				? this.createTriggerContext(this.workflow, this.activation)
				: this.createManualContext();
	}

	get staticData(): IDataObject {
		return this.workflow.staticData;
	}

	get nodeStaticData(): IDataObject {
		if (this.options.durableCursors && this.cursorRow !== undefined) return this.cursorRow;
		return this.workflow.getStaticData('node', this.node);
	}

	getPollBudgetMs(): number {
		if (this.options.durableCursors) return this.options.pollBudgetMs ?? DURABLE_POLL_BUDGET_MS;
		return this.context.getPollBudgetMs();
	}

	snapshotStaticData(): IDataObject {
		return jsonCopy(this.workflow.staticData);
	}

	persistedStaticData(): IDataObject {
		const saved = jsonCopy(this.persisted);
		if (this.options.durableCursors && this.cursorRow !== undefined)
			saved[this.nodeKey] = jsonCopy(this.cursorRow);
		return saved;
	}

	persistedCursor(): IDataObject | undefined {
		return this.cursorRow === undefined ? undefined : jsonCopy(this.cursorRow);
	}

	restart(fromSnapshot?: IDataObject): PollHarness {
		const saved = this.savedState(fromSnapshot);
		// A durable restart finds its scheduled job in place (if this activation had registered it).
		saved.scheduled = this.options.durableCursors === true && this.activated;
		return new PollHarnessImpl(this.nodeType, this.options, 'init', saved);
	}

	reactivate(fromSnapshot?: IDataObject): PollHarness {
		return new PollHarnessImpl(
			this.nodeType,
			this.options,
			'activate',
			this.savedState(fromSnapshot),
		);
	}

	async poll(): Promise<INodeExecutionData[][] | null> {
		await ensureBinaryData();
		this.pollCount += 1;
		if (this.mode === 'manual') {
			this.context = this.createManualContext();
			const pollFunction = this.nodeTypes.getByNameAndVersion(
				this.typeName,
				this.node.typeVersion,
			).poll;
			if (!pollFunction)
				throw new UnexpectedError('Node type does not have a poll function defined');
			return await pollFunction.call(this.context);
		}

		const isActivation = !this.activated;
		this.lastEmit = null;
		const errorsBefore = this.emittedErrors.length;
		if (isActivation) this.assertPollTimesAllowed();
		if (this.options.durableCursors && !isActivation) {
			// n8n's durable scheduler: a new Workflow from the saved static data and a new PollContext per poll.
			this.workflow = this.createWorkflow();
			this.context = this.createTriggerContext(this.workflow, 'update');
			this.executePoll = undefined;
		}
		const node = this.workflow.nodes[this.nodeDefinition.name];
		this.executePoll ??= Container.get(PollTriggerExecutor).create(
			this.workflow,
			node,
			this.context,
			() => true,
		);
		// n8n runs the activation poll with `testingTrigger = true` (its errors fail the activation),
		// and every scheduled poll after it with `false` (errors go to __emitError).
		await this.executePoll(isActivation);
		if (isActivation) {
			this.activated = true;
			// n8n saves the workflow's static data once the triggers are registered.
			this.saveStaticData(this.workflow);
		}
		if (this.emittedErrors.length > errorsBefore)
			throw this.emittedErrors[this.emittedErrors.length - 1];
		return this.lastEmit;
	}

	private get nodeKey(): string {
		return `node:${this.nodeDefinition.name}`;
	}

	/** What a new process would load: saved data, or a snapshot in the shape of `persistedStaticData()`. */
	private savedState(fromSnapshot: IDataObject | undefined): SavedState {
		if (fromSnapshot === undefined) {
			return {
				staticData: jsonCopy(this.persisted),
				cursor: this.persistedCursor(),
				scheduled: false,
			};
		}
		const staticData = jsonCopy(fromSnapshot);
		const cursor = this.options.durableCursors
			? (staticData[this.nodeKey] as IDataObject | undefined)
			: undefined;
		return { staticData, cursor, scheduled: false };
	}

	private createWorkflow(): Workflow {
		return new Workflow({
			id: 'harness-poll-workflow',
			name: `Harness: ${this.nodeDefinition.name}`,
			nodes: [structuredClone(this.nodeDefinition)],
			connections: {},
			active: this.mode === 'trigger',
			nodeTypes: this.nodeTypes,
			staticData: jsonCopy(this.persisted),
			settings: { executionOrder: 'v1' },
		});
	}

	/** n8n refuses to activate a poll with a sub-minute schedule; so does the harness. */
	private assertPollTimesAllowed(): void {
		const pollTimes = this.context.getNodeParameter('pollTimes', { item: [] }) as {
			item?: TriggerTime[];
		};
		if ((pollTimes.item ?? []).map(toCronExpression).some(isSubMinuteCron)) {
			throw new UserError('The polling interval is too short. It has to be at least a minute.');
		}
	}

	/** n8n's `WorkflowStaticDataService.saveStaticData`: writes only if the observable data changed. */
	private saveStaticData(workflow: Workflow): void {
		if (workflow.staticData.__dataChanged === true) {
			this.persisted = jsonCopy(workflow.staticData);
			workflow.staticData.__dataChanged = false;
		}
	}

	private createManualContext(): PollContext {
		return new PollContext(this.workflow, this.node, this.additionalData, 'manual', 'manual');
	}

	private createTriggerContext(workflow: Workflow, activation: WorkflowActivateMode): PollContext {
		const node = workflow.nodes[this.nodeDefinition.name];
		const emit: IPollFunctions['__emit'] = (data) => {
			this.lastEmit = data;
			this.emitted.push(data);
			if (this.options.durableCursors) {
				const cursor = this.takeStagedCursor();
				this.saveStaticData(workflow);
				// n8n commits the cursor in the transaction that creates the emitted execution.
				if (cursor) this.cursorRow = cursor;
			} else {
				this.saveStaticData(workflow);
			}
		};
		const emitError: IPollFunctions['__emitError'] = (error) => {
			this.emittedErrors.push(error);
		};

		if (!this.options.durableCursors) {
			const budget = this.options.pollBudgetMs;
			return new PollContext(
				workflow,
				node,
				this.additionalData,
				'trigger',
				activation,
				emit,
				emitError,
				undefined,
				undefined,
				undefined,
				budget === undefined ? undefined : () => budget,
			);
		}

		const runPoll = async <T>(poll: () => Promise<T>): Promise<T> => {
			// PollCursorService.resolveCursor → PollerStateRepository.getOrCreateCursor: the row is created
			// from the node's workflow static data the first time, and read as stored afterwards.
			this.cursorRow ??= plainCopy(workflow.getStaticData('node', node));
			const committed = plainCopy(this.cursorRow);
			this.staged = { seed: committed, snapshot: structuredClone(committed) };
			try {
				return await poll();
			} finally {
				this.staged = undefined;
			}
		};
		const commitCursorOnly = async (): Promise<void> => {
			const cursor = this.takeStagedCursor();
			if (cursor) this.cursorRow = cursor;
		};
		const resolveNodeStaticData = (): IDataObject => {
			if (!this.staged) {
				throw new UnexpectedError(
					'Poll node read its static data outside of a poll; __runPoll was not entered',
				);
			}
			return this.staged.snapshot;
		};
		// Scheduled polls carry a fence and get the fenced budget; the activation poll has none (5 minutes).
		const budget = this.options.pollBudgetMs ?? DURABLE_POLL_BUDGET_MS;
		return new PollContext(
			workflow,
			node,
			this.additionalData,
			'trigger',
			activation,
			emit,
			emitError,
			commitCursorOnly,
			runPoll,
			resolveNodeStaticData,
			this.activated ? () => budget : undefined,
		);
	}

	/** The staged cursor if the poll changed it since it was seeded (so one advance commits once). */
	private takeStagedCursor(): IDataObject | null {
		const staged = this.staged;
		if (!staged || isDeepStrictEqual(plainCopy(staged.snapshot), staged.seed)) return null;
		const cursor = plainCopy(staged.snapshot);
		staged.seed = cursor;
		return cursor;
	}
}

/**
 * A poll harness for `triggerNodeType` (a `polling: true` node type of this package).
 * See {@link PollHarness}; `restart()` simulates n8n restarting with the saved static data.
 */
export function createPollHarness(
	triggerNodeType: INodeType | IVersionedNodeType,
	options: PollHarnessOptions = {},
): PollHarness {
	return new PollHarnessImpl(triggerNodeType, options, 'activate');
}
