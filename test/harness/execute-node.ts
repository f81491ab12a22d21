/**
 * Runs node code through n8n-core's real execution engine.
 *
 * - `executeNode` builds a real `Workflow` (a start node feeding the node under test) and runs it
 *   with the real `WorkflowExecute.processRunExecutionData`, the way n8n runs an execution that a
 *   trigger started: the node's `execute()` gets n8n-core's `ExecuteContext`.
 * - `createExecuteContext` builds that same `ExecuteContext` without running anything, so adapter
 *   functions can be called as `fn.call(ctx, ...)`.
 *
 * In both, `this.helpers.httpRequestWithAuthentication(type, options)` is n8n-core's own: it asks
 * the harness credentials helper for the credential, applies the credential's real `authenticate`,
 * and sends the request with n8n's outbound HTTP client (no mocks).
 */
import { ExecuteContext, WorkflowExecute } from 'n8n-core';
import type {
	ExecutionBaseError,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypeDescription,
	IRun,
	ITaskData,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow, createRunExecutionData } from 'n8n-workflow';
import { randomUUID } from 'node:crypto';

import { createAdditionalData, createHooks } from './additional-data';
import type { CredentialClassOrInstance, CredentialTypeMap } from './credential-types';
import { instantiateCredential, loadPackageCredentialTypes } from './credential-types';
import type { CredentialsData } from './credentials-helper';
import { TestCredentialsHelper } from './credentials-helper';
import { HarnessNodeTypes, START_NODE_TYPE, descriptionOf, latestTypeVersion } from './node-types';
import { ensureBinaryData } from './runtime';

export interface NodeRunOptions {
	/** The node's parameters as a workflow stores them (defaults are filled in by n8n, as in a real run). */
	parameters?: INodeParameters;
	/** Decrypted credential data per credential type name, e.g. `{ bouncifyApi: { apiKey, baseUrl } }`. */
	credentials?: CredentialsData;
	/** The items the node receives on its main input (default: one empty item). */
	inputItems?: INodeExecutionData[];
	/** The node's "On Error: Continue" setting (`onError: 'continueRegularOutput'`). */
	continueOnFail?: boolean;
	/** Execution mode (default `manual`, as when a user clicks "Execute workflow"). */
	mode?: WorkflowExecuteMode;
	/** Node name in the workflow (default: the description's default name). */
	nodeName?: string;
	/** Type version (default: the latest, as n8n gives a newly added node). */
	typeVersion?: number;
	/** Workflow static data to start from. */
	staticData?: IDataObject;
	/** Credential types to add to (or replace in) the package's own, e.g. a test-only credential. */
	extraCredentialTypes?: CredentialClassOrInstance[];
}

export interface NodeRunResult {
	/** The items on the node's first output (empty when the node failed). */
	items: INodeExecutionData[];
	/** Every output of the node. */
	outputs: INodeExecutionData[][];
	/**
	 * The error the node failed with: the very object its `execute()` threw (NodeApiError,
	 * NodeOperationError, ...), so `instanceof`, `httpCode`, `description` and `cause` can be checked.
	 * Falls back to `executionError` if the engine failed the node without `execute()` throwing.
	 */
	error?: ExecutionBaseError;
	/** The error as n8n stores it in the execution data: a plain-object copy (no class). */
	executionError?: ExecutionBaseError;
	/** The node's task data and the whole run, for anything else a test wants to look at. */
	taskData?: ITaskData;
	run: IRun;
	workflow: Workflow;
	node: INode;
	credentialsHelper: TestCredentialsHelper;
}

interface HarnessWorkflow {
	workflow: Workflow;
	startNode: INode;
	node: INode;
	nodeTypes: HarnessNodeTypes;
	credentialsHelper: TestCredentialsHelper;
	additionalData: IWorkflowExecuteAdditionalData;
	executionId: string;
	mode: WorkflowExecuteMode;
}

let counter = 0;

/** Node credentials as a workflow stores them: a reference per credential type. */
export function nodeCredentialsFor(credentials: CredentialsData | undefined): INode['credentials'] {
	const types = Object.keys(credentials ?? {});
	if (types.length === 0) return undefined;
	return Object.fromEntries(
		types.map((type) => [type, { id: `harness-${type}`, name: `${type} account` }]),
	);
}

/** The package's credential types plus any test-only ones. */
export function credentialTypesFor(
	options: Pick<NodeRunOptions, 'extraCredentialTypes'>,
): CredentialTypeMap {
	const types = { ...loadPackageCredentialTypes() };
	for (const extra of options.extraCredentialTypes ?? []) {
		const instance = instantiateCredential(extra);
		types[instance.name] = instance;
	}
	return types;
}

function buildHarnessWorkflow(
	nodeType: INodeType | IVersionedNodeType,
	options: NodeRunOptions,
	{ rawParameters, asLoaded }: { rawParameters: boolean; asLoaded: boolean },
): HarnessWorkflow {
	const mode = options.mode ?? 'manual';
	counter += 1;
	const executionId = `harness-execution-${counter}`;
	const nodeTypes = new HarnessNodeTypes();
	const typeName = nodeTypes.registerPackageNode(nodeType, { asLoaded });
	const typeVersion = options.typeVersion ?? latestTypeVersion(nodeType);
	const description = descriptionOf(nodeType, typeVersion);
	const nodeName = options.nodeName ?? description.defaults.name ?? description.displayName;

	const startNode: INode = {
		id: randomUUID(),
		name: 'Start',
		type: START_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const node: INode = {
		id: randomUUID(),
		name: nodeName,
		type: typeName,
		typeVersion,
		position: [200, 0],
		parameters: structuredClone(options.parameters ?? {}),
		credentials: nodeCredentialsFor(options.credentials),
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};

	const workflow = new Workflow({
		id: `harness-workflow-${counter}`,
		name: `Harness: ${nodeName}`,
		nodes: [startNode, node],
		connections: {
			[startNode.name]: { main: [[{ node: nodeName, type: NodeConnectionTypes.Main, index: 0 }]] },
		},
		active: false,
		nodeTypes,
		staticData: options.staticData ? structuredClone(options.staticData) : undefined,
		settings: { executionOrder: 'v1' },
	});
	if (rawParameters) {
		// A synthetic description declares no properties, which would make n8n drop every
		// parameter: keep them exactly as given instead.
		workflow.nodes[nodeName].parameters = structuredClone(options.parameters ?? {});
	}

	const credentialsHelper = new TestCredentialsHelper(
		credentialTypesFor(options),
		options.credentials ?? {},
	);
	const hooks = createHooks(mode, executionId, workflow);
	const additionalData = createAdditionalData({
		credentialsHelper,
		executionId,
		workflowId: workflow.id,
		hooks,
	});

	return {
		workflow,
		startNode,
		node: workflow.nodes[nodeName],
		nodeTypes,
		credentialsHelper,
		additionalData,
		executionId,
		mode,
	};
}

/** Runs `nodeType` in a real n8n-core execution and returns its output items or its error. */
export async function executeNode(
	nodeType: INodeType | IVersionedNodeType,
	options: NodeRunOptions = {},
): Promise<NodeRunResult> {
	await ensureBinaryData();
	const harness = buildHarnessWorkflow(nodeType, options, { rawParameters: false, asLoaded: true });
	const { workflow, startNode, node, additionalData, mode } = harness;
	const inputItems = structuredClone(options.inputItems ?? [{ json: {} }]);
	let thrown: unknown;
	harness.nodeTypes.watchThrownErrors(node.type, (error) => {
		thrown = error;
	});

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [inputItems] }, source: null }],
		},
	});
	const run = await new WorkflowExecute(
		additionalData,
		mode,
		runExecutionData,
	).processRunExecutionData(workflow);

	const taskData = run.data.resultData.runData[node.name]?.[0];
	const outputs = (taskData?.data?.[NodeConnectionTypes.Main] ?? []).map((output) => output ?? []);
	const executionError =
		taskData?.error ?? (run.data.resultData.error as ExecutionBaseError | undefined);
	const error =
		executionError && thrown instanceof Error ? (thrown as ExecutionBaseError) : executionError;
	return {
		items: outputs[0] ?? [],
		outputs,
		error,
		executionError,
		taskData,
		run,
		workflow,
		node,
		credentialsHelper: harness.credentialsHelper,
	};
}

export interface ExecuteContextOptions extends NodeRunOptions {
	/**
	 * The description of the node the context belongs to. Without one, the harness uses a minimal
	 * action-node description that declares the given credentials, and keeps `parameters` as given.
	 */
	nodeTypeDescription?: INodeTypeDescription;
}

function syntheticDescription(credentials: CredentialsData | undefined): INodeTypeDescription {
	return {
		displayName: 'Harness Context Node',
		name: 'harnessContextNode',
		group: ['transform'],
		version: 1,
		description: 'Stands in for a node of this package while adapter code is tested on its own',
		defaults: { name: 'Bulk Verify' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: Object.keys(credentials ?? {}).map((name) => ({ name, required: true })),
		properties: [],
	};
}

/**
 * A real n8n-core `ExecuteContext` for one node, wired to the same additional data, credentials
 * helper and binary data service as `executeNode`, as if the start node had just handed it
 * `inputItems`. Call adapter code as `fn.call(ctx, ...)`.
 */
export async function createExecuteContext(
	options: ExecuteContextOptions = {},
): Promise<ExecuteContext> {
	await ensureBinaryData();
	const description = options.nodeTypeDescription ?? syntheticDescription(options.credentials);
	const nodeType: INodeType = { description };
	// The description stands for a programmatic node, to which n8n's loader adds nothing.
	const harness = buildHarnessWorkflow(nodeType, options, {
		rawParameters: options.nodeTypeDescription === undefined,
		asLoaded: false,
	});
	const { workflow, startNode, node, additionalData, mode } = harness;
	const inputItems = structuredClone(options.inputItems ?? [{ json: {} }]);

	const runExecutionData = createRunExecutionData({
		resultData: {
			runData: {
				[startNode.name]: [
					{
						startTime: Date.now(),
						executionTime: 0,
						executionIndex: 0,
						executionStatus: 'success',
						source: [],
						data: { main: [inputItems] },
					},
				],
			},
			lastNodeExecuted: startNode.name,
		},
	});
	const inputData = { main: [inputItems] };
	const executeData = {
		node,
		data: inputData,
		source: { main: [{ previousNode: startNode.name, previousNodeOutput: 0, previousNodeRun: 0 }] },
	};
	return new ExecuteContext(
		workflow,
		node,
		additionalData,
		mode,
		runExecutionData,
		0,
		inputItems,
		inputData,
		executeData,
		[],
	);
}
