/**
 * What n8n does when a user clicks "Test" / saves a credential (the CLI's `CredentialsTester`),
 * rebuilt on n8n-core's real pieces: the credential's `test.request` becomes the routing of a
 * temporary "No Operation" node type, n8n-core's `RoutingNode` sends it through a real
 * `ExecuteContext` (so the credential's own `authenticate` is applied and the request really goes
 * out), and the outcome is judged the way `CredentialsTester` judges it: HTTP errors against the
 * `responseCode` rules, then non-2xx codes, network error codes, and `responseSuccessBody` rules.
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialsDecrypted,
	INode,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { Workflow, createEmptyRunExecutionData } from 'n8n-workflow';

import { createAdditionalData } from './additional-data';
import type { CredentialClassOrInstance } from './credential-types';
import { instantiateCredential, loadPackageCredentialTypes } from './credential-types';
import { TestCredentialsHelper } from './credentials-helper';
import { HarnessNodeTypes } from './node-types';
import { ensureBinaryData } from './runtime';

/** The type n8n tests credentials with when the credential defines its own `test`. */
const NO_OP_NODE_TYPE = 'n8n-nodes-base.noOp';

/** The parts of the NoOp node's description that the temporary node type keeps. */
const NO_OP_DESCRIPTION: INodeTypeDescription = {
	displayName: 'No Operation, do nothing',
	name: NO_OP_NODE_TYPE,
	icon: 'fa:arrow-right',
	group: ['organization'],
	version: 1,
	description: 'No Operation',
	defaults: { name: 'No Operation, do nothing', color: '#b0b0b0' },
	inputs: ['main'],
	outputs: ['main'],
	properties: [],
};

// n8n judges `responseSuccessBody` rules with lodash's `get` (dot and bracket paths).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lodashGet = require('lodash/get') as (object: unknown, path: string) => unknown;

/** What a rejected routing request carries (n8n-core wraps the HTTP error as the `cause`). */
interface RoutingError {
	message?: unknown;
	cause?: { response?: { status?: number; statusText?: string }; code?: string };
}

/**
 * Tests `credential` with `data` as n8n's credential test does, and returns its verdict:
 * `{ status: 'OK', message: 'Connection successful!' }` or `{ status: 'Error', message }`.
 */
export async function testCredential(
	credential: CredentialClassOrInstance,
	data: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
	await ensureBinaryData();
	const credentialType = instantiateCredential(credential);
	const testRequest: ICredentialTestRequest | undefined = credentialType.test;
	if (!testRequest) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}

	const credentialTypes = {
		...loadPackageCredentialTypes(),
		[credentialType.name]: credentialType,
	};
	const credentialsHelper = new TestCredentialsHelper(credentialTypes, {
		[credentialType.name]: data,
	});
	const additionalData = createAdditionalData({
		credentialsHelper,
		executionId: 'harness-credential-test',
		workflowId: 'harness-credential-test',
	});

	const credentialsDecrypted: ICredentialsDecrypted = {
		id: 'harness-credential',
		name: `${credentialType.displayName} account`,
		type: credentialType.name,
		data,
	};
	try {
		credentialsDecrypted.data = await credentialsHelper.applyDefaultsAndOverwrites(
			additionalData,
			structuredClone(data),
			credentialType.name,
			'internal',
		);
	} catch (error) {
		return { status: 'Error', message: String((error as Error).message) };
	}

	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: NO_OP_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: {
			[credentialType.name]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name },
		},
	};
	const testNodeType: INodeType = {
		description: {
			...NO_OP_DESCRIPTION,
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	const nodeTypes = new HarnessNodeTypes();
	// Built at test time from an already loaded description, as n8n builds it: not run through the loader.
	nodeTypes.register(NO_OP_NODE_TYPE, testNodeType, { asLoaded: false });
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });

	const context = new ExecuteContext(
		workflow,
		workflow.nodes[node.name],
		additionalData,
		'internal',
		createEmptyRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node: workflow.nodes[node.name], data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, testNodeType, credentialsDecrypted);

	let response: INodeExecutionData[][] | null | undefined;
	try {
		response = await routingNode.runNode();
	} catch (caught) {
		const error = caught as RoutingError;
		const httpResponse = error.cause?.response;
		if (httpResponse) {
			const statusCode = httpResponse.status ?? 0;
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && statusCode === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (statusCode < 199 || statusCode > 299) {
				return {
					status: 'Error',
					message: httpResponse.statusText || `Received HTTP status code: ${statusCode}`,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: String(error.message) };
	}

	for (const rule of testRequest.rules ?? []) {
		if (rule.type === 'responseSuccessBody') {
			const body = response?.[0]?.[0]?.json;
			if (lodashGet(body, rule.properties.key) === rule.properties.value) {
				return { status: 'Error', message: rule.properties.message };
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
