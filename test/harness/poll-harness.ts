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
import { UnexpectedError, UserError, Workflow, isSubMinuteCron, toCronExpression } from 'n8n-workflow';
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
	 * scheduler flags): the node's static data is a per-poll copy, committed only when the poll
	 * emits (with its execution) or, for a poll that returns null, by `__commitCursor` — except
	 * after the activation poll, whose null result commits nothing (as in n8n-core's executor).
	 */
	durableCursors?: boolean;
	/** What `getPollBudgetMs()` returns (default: 5 min legacy, 36 s durable). */
	pollBudgetMs?: number;
	/** Credential types to add to (or replace in) the package's own. */
	extraCredentialTypes?: CredentialClassOrInstance[];
}

export interface PollHarness {
	/** Runs one poll; returns what the trigger emitted (`null`: nothing). A failed tick is rethrown. */
	poll(): Promise<INodeExecutionData[][] | null>;
	/** The live workflow static data (n8n's observable object). */
	readonly staticData: IDataObject;
	/** The live static data of the trigger node (`getWorkflowStaticData('node')` outside a durable poll). */
	readonly nodeStaticData: IDataObject;
	readonly workflow: Workflow;
	readonly node: INode;
	/** The PollContext of the current activation (trigger mode) or of the last poll (manual mode). */
	readonly context: PollContext;
	readonly credentialsHelper: TestCredentialsHelper;
	/** Everything the trigger emitted, poll by poll. */
	readonly emitted: INodeExecutionData[][][];
	/** Errors n8n would have recorded as failed executions (`__emitError`). */
	readonly emittedErrors: Error[];
	readonly pollCount: number;
	/** The real `PollContext.getPollBudgetMs()` of this harness. */
	getPollBudgetMs(): number;
	/** A JSON copy of the live static data: what n8n would write if it saved now. */
	snapshotStaticData(): IDataObject;
	/** A JSON copy of what n8n would have in its database now (see README: when n8n saves). */
	persistedStaticData(): IDataObject;
	/** n8n restarts: a new Workflow and PollContext (activation `init`) from saved static data. */
	restart(fromSnapshot?: IDataObject): PollHarness;
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

interface CursorAdvance {
	cursor: IDataObject;
	previous: IDataObject;
}

class PollHarnessImpl implements PollHarness {
	readonly workflow: Workflow;

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

	private persisted: IDataObject;

	private activated = false;

	private executePoll?: (testingTrigger?: boolean) => Promise<void>;

	private lastEmit: INodeExecutionData[][] | null = null;

	private staged: StagedCursor | undefined;

	constructor(
		private readonly nodeType: INodeType | IVersionedNodeType,
		private readonly options: PollHarnessOptions,
		private readonly activation: WorkflowActivateMode,
	) {
		ensureRuntime();
		this.mode = options.mode ?? 'trigger';
		this.typeName = this.nodeTypes.registerPackageNode(nodeType);
		const typeVersion = options.typeVersion ?? latestTypeVersion(nodeType);
		const description = descriptionOf(nodeType, typeVersion);
		if (!description.polling) {
			throw new UnexpectedError(`Node type "${description.name}" is not a polling trigger (description.polling is not true)`);
		}
		const nodeName = options.nodeName ?? description.defaults.name ?? description.displayName;
		const node: INode = {
			id: `harness-poll-node-${nodeName}`,
			name: nodeName,
			type: this.typeName,
			typeVersion,
			position: [0, 0],
			parameters: structuredClone(options.parameters ?? {}),
			credentials: nodeCredentialsFor(options.credentials),
		};
		const initialStaticData = jsonCopy(options.staticData ?? {});
		this.persisted = jsonCopy(initialStaticData);
		this.workflow = new Workflow({
			id: 'harness-poll-workflow',
			name: `Harness: ${nodeName}`,
			nodes: [node],
			connections: {},
			active: this.mode === 'trigger',
			nodeTypes: this.nodeTypes,
			staticData: initialStaticData,
			settings: { executionOrder: 'v1' },
		});
		this.node = this.workflow.nodes[nodeName];
		this.credentialsHelper = new TestCredentialsHelper(credentialTypesFor(options), options.credentials ?? {});
		this.additionalData = createAdditionalData({
			credentialsHelper: this.credentialsHelper,
			executionId: `harness-poll-${randomUUID()}`,
			workflowId: this.workflow.id,
		});
		this.context = this.mode === 'trigger' ? this.createTriggerContext() : this.createManualContext();
	}

	get staticData(): IDataObject {
		return this.workflow.staticData;
	}

	get nodeStaticData(): IDataObject {
		return this.workflow.getStaticData('node', this.node);
	}

	getPollBudgetMs(): number {
		return this.context.getPollBudgetMs();
	}

	snapshotStaticData(): IDataObject {
		return jsonCopy(this.workflow.staticData);
	}

	persistedStaticData(): IDataObject {
		return jsonCopy(this.persisted);
	}

	restart(fromSnapshot?: IDataObject): PollHarness {
		const staticData = fromSnapshot ?? this.persistedStaticData();
		return new PollHarnessImpl(this.nodeType, { ...this.options, staticData }, 'init');
	}

	async poll(): Promise<INodeExecutionData[][] | null> {
		await ensureBinaryData();
		this.pollCount += 1;
		if (this.mode === 'manual') {
			this.context = this.createManualContext();
			const pollFunction = this.nodeTypes.getByNameAndVersion(this.typeName, this.node.typeVersion).poll;
			if (!pollFunction) throw new UnexpectedError('Node type does not have a poll function defined');
			return await pollFunction.call(this.context);
		}

		const isActivation = !this.activated;
		this.lastEmit = null;
		const errorsBefore = this.emittedErrors.length;
		if (isActivation) this.assertPollTimesAllowed();
		this.executePoll ??= Container.get(PollTriggerExecutor).create(this.workflow, this.node, this.context, () => true);
		// n8n runs the activation poll with `testingTrigger = true` (its errors fail the activation),
		// and every scheduled poll after it with `false` (errors go to __emitError).
		await this.executePoll(isActivation);
		if (isActivation) {
			this.activated = true;
			// n8n saves the workflow's static data once the triggers are registered.
			this.saveStaticData();
		}
		if (this.emittedErrors.length > errorsBefore) throw this.emittedErrors[this.emittedErrors.length - 1];
		return this.lastEmit;
	}

	/** n8n refuses to activate a poll with a sub-minute schedule; so does the harness. */
	private assertPollTimesAllowed(): void {
		const pollTimes = this.context.getNodeParameter('pollTimes', { item: [] }) as { item?: TriggerTime[] };
		if ((pollTimes.item ?? []).map(toCronExpression).some(isSubMinuteCron)) {
			throw new UserError('The polling interval is too short. It has to be at least a minute.');
		}
	}

	/** n8n's `WorkflowStaticDataService.saveStaticData`: writes only if the observable data changed. */
	private saveStaticData(): void {
		if (this.workflow.staticData.__dataChanged === true) {
			this.persisted = jsonCopy(this.workflow.staticData);
			this.workflow.staticData.__dataChanged = false;
		}
	}

	private createManualContext(): PollContext {
		return new PollContext(this.workflow, this.node, this.additionalData, 'manual', 'manual');
	}

	private createTriggerContext(): PollContext {
		const emit: IPollFunctions['__emit'] = (data) => {
			this.lastEmit = data;
			this.emitted.push(data);
			if (this.options.durableCursors) {
				const advance = this.takeStagedCursor();
				this.saveStaticData();
				// n8n commits the cursor in the transaction that creates the emitted execution.
				if (advance) this.commitCursor(advance);
			} else {
				this.saveStaticData();
			}
		};
		const emitError: IPollFunctions['__emitError'] = (error) => {
			this.emittedErrors.push(error);
		};
		const budget = this.options.pollBudgetMs ?? (this.options.durableCursors ? DURABLE_POLL_BUDGET_MS : undefined);
		const getPollBudgetMs = budget === undefined ? undefined : () => budget;

		if (!this.options.durableCursors) {
			return new PollContext(
				this.workflow,
				this.node,
				this.additionalData,
				'trigger',
				this.activation,
				emit,
				emitError,
				undefined,
				undefined,
				undefined,
				getPollBudgetMs,
			);
		}

		const runPoll = async <T>(poll: () => Promise<T>): Promise<T> => {
			const committed = plainCopy(this.workflow.getStaticData('node', this.node));
			this.staged = { seed: committed, snapshot: structuredClone(committed) };
			try {
				return await poll();
			} finally {
				this.staged = undefined;
			}
		};
		const commitCursorOnly = async (): Promise<void> => {
			const advance = this.takeStagedCursor();
			if (advance) this.commitCursor(advance);
		};
		const resolveNodeStaticData = (): IDataObject => {
			if (!this.staged) {
				throw new UnexpectedError('Poll node read its static data outside of a poll; __runPoll was not entered');
			}
			return this.staged.snapshot;
		};
		return new PollContext(
			this.workflow,
			this.node,
			this.additionalData,
			'trigger',
			this.activation,
			emit,
			emitError,
			commitCursorOnly,
			runPoll,
			resolveNodeStaticData,
			getPollBudgetMs,
		);
	}

	/** The staged cursor if the poll changed it since it was seeded (so one advance commits once). */
	private takeStagedCursor(): CursorAdvance | null {
		const staged = this.staged;
		if (!staged || isDeepStrictEqual(plainCopy(staged.snapshot), staged.seed)) return null;
		const cursor = plainCopy(staged.snapshot);
		const previous = staged.seed;
		staged.seed = cursor;
		return { cursor, previous };
	}

	/** Writes a committed cursor to the node's live static data and to the saved copy. */
	private commitCursor({ cursor, previous }: CursorAdvance): void {
		const live = this.workflow.getStaticData('node', this.node);
		const key = `node:${this.node.name}`;
		const saved = { ...((this.persisted[key] as IDataObject | undefined) ?? {}) };
		for (const name of Object.keys(previous)) {
			if (!(name in cursor)) {
				delete live[name];
				delete saved[name];
			}
		}
		for (const [name, value] of Object.entries(cursor)) {
			live[name] = structuredClone(value);
			saved[name] = structuredClone(value);
		}
		this.persisted = { ...this.persisted, [key]: saved };
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
