/**
 * `IWorkflowExecuteAdditionalData` for harness runs: the bag of services n8n's CLI hands to
 * `WorkflowExecute` and to every node execution context. Only the credentials helper, the
 * lifecycle hooks and the instance URLs matter to the nodes under test; everything else is a
 * stub that fails loudly if a node ever reaches it (see README.md).
 */
import { ExecutionLifecycleHooks, ExternalSecretsProxy } from 'n8n-core';
import type {
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	Workflow,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { UnexpectedError } from 'n8n-workflow';

import type { TestCredentialsHelper } from './credentials-helper';

/** What a default self-hosted n8n on port 5678 uses (`getNodeParameter` builds resume URLs from these). */
export const INSTANCE_BASE_URL = 'http://localhost:5678';

export interface AdditionalDataOptions {
	credentialsHelper: TestCredentialsHelper;
	executionId: string;
	workflowId: string;
	hooks?: ExecutionLifecycleHooks;
	userId?: string;
}

function notAvailable(what: string): never {
	throw new UnexpectedError(`${what} is not available in the node test harness`);
}

export function createAdditionalData(
	options: AdditionalDataOptions,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: options.credentialsHelper,
		hooks: options.hooks,
		executionId: options.executionId,
		workflowId: options.workflowId,
		userId: options.userId ?? 'harness-user',
		currentNodeExecutionIndex: 0,
		variables: {},
		externalSecretsProxy: new ExternalSecretsProxy(),

		instanceBaseUrl: `${INSTANCE_BASE_URL}/`,
		restApiUrl: `${INSTANCE_BASE_URL}/rest`,
		webhookBaseUrl: `${INSTANCE_BASE_URL}/webhook`,
		webhookWaitingBaseUrl: `${INSTANCE_BASE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${INSTANCE_BASE_URL}/webhook-test`,
		formBaseUrl: `${INSTANCE_BASE_URL}/form`,
		formWaitingBaseUrl: `${INSTANCE_BASE_URL}/form-waiting`,
		formTestBaseUrl: `${INSTANCE_BASE_URL}/form-test`,
		mcpBaseUrl: `${INSTANCE_BASE_URL}/mcp`,
		mcpTestBaseUrl: `${INSTANCE_BASE_URL}/mcp-test`,

		// Sub-workflows, task runners (Code node) and AI telemetry are not used by this package's nodes.
		executeWorkflow: async () => notAvailable('Executing a sub-workflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: async () => notAvailable('The task runner'),
		logAiEvent: () => {},
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
	};
}

/** The workflow record n8n would hold for a harness workflow (hooks and error reports read it). */
export function workflowRecord(workflow: Workflow): IWorkflowBase {
	const now = new Date();
	return {
		id: workflow.id,
		name: workflow.name ?? 'Harness workflow',
		active: workflow.active,
		isArchived: false,
		createdAt: now,
		updatedAt: now,
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		settings: workflow.settings,
		staticData: workflow.staticData,
		activeVersionId: null,
	};
}

export function createHooks(
	mode: WorkflowExecuteMode,
	executionId: string,
	workflow: Workflow,
): ExecutionLifecycleHooks {
	return new ExecutionLifecycleHooks(mode, executionId, workflowRecord(workflow));
}
