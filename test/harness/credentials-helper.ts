/**
 * A credentials helper for tests: n8n-workflow's `ICredentialsHelper`, holding decrypted
 * credential data per credential type name in memory instead of n8n's encrypted database rows.
 *
 * Everything that decides what goes on the wire is done the way n8n's own CLI helper does it:
 * defaults from the credential's properties, `={{ }}` expressions in credential data resolved by
 * n8n-workflow's expression engine, and the credential's real `authenticate` (a function is
 * called with `(credentials, requestOptions)`; a generic object has its expressions resolved
 * against `$credentials` and is merged into headers/qs/body/auth).
 */
import { Credentials, getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import {
	ICredentialsHelper,
	NodeHelpers,
	UnexpectedError,
	UserError,
	Workflow,
	isExpression,
} from 'n8n-workflow';

import type { CredentialTypeMap } from './credential-types';
import { ensureRuntime } from './runtime';

/** What a test passes: decrypted data per credential type name, e.g. `{ bouncifyApi: { apiKey, baseUrl } }`. */
export type CredentialsData = Record<string, ICredentialDataDecryptedObject>;

/** A record of every `authenticate` call, so tests can see what the credential did to a request. */
export interface AuthenticateCall {
	credentialType: string;
	before: IHttpRequestOptions;
	after: IHttpRequestOptions;
}

const MOCK_NODE: INode = {
	id: 'credentials-mock-node',
	name: '',
	type: 'mock',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const MOCK_NODE_TYPES: INodeTypes = {
	getByName: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getByNameAndVersion: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getKnownTypes: () => ({}),
};

function copy<T>(value: T): T {
	return structuredClone(value);
}

export class TestCredentialsHelper extends ICredentialsHelper {
	private data: CredentialsData;

	readonly authenticateCalls: AuthenticateCall[] = [];

	/** Credentials written back by n8n-core (pre-authentication tokens, OAuth token data). */
	readonly updates: Array<{ credentialType: string; data: ICredentialDataDecryptedObject }> = [];

	constructor(
		private readonly credentialTypes: CredentialTypeMap,
		data: CredentialsData = {},
	) {
		super();
		ensureRuntime();
		this.data = copy(data);
	}

	setCredentials(data: CredentialsData): void {
		this.data = copy(data);
	}

	getCredentialType(typeName: string): ICredentialType {
		const type = this.credentialTypes[typeName];
		if (!type) {
			throw new UnexpectedError('Unknown credential type', { tags: { credentialType: typeName } });
		}
		return type;
	}

	getParentTypes(typeName: string): string[] {
		const type = this.credentialTypes[typeName];
		if (!type?.extends) return [];
		return type.extends.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		const type = this.credentialTypes[credentialType];
		if (!type?.restrictToSupportedNodes) return true;
		return (type.supportedNodes ?? []).some(
			(supported) => nodeType === supported || nodeType.endsWith(`.${supported}`),
		);
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const before = copyRequestOptions(requestOptions);
		const after = await this.applyAuthenticate(
			credentials,
			typeName,
			requestOptions,
			workflow,
			node,
		);
		this.authenticateCalls.push({
			credentialType: typeName,
			before,
			after: copyRequestOptions(after),
		});
		return after;
	}

	private async applyAuthenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.getCredentialType(typeName);
		if (!authenticate) return requestOptions;

		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions);
		}

		if (!workflow || !node) {
			throw new UnexpectedError(
				'Workflow and node are required for declarative credential authentication',
			);
		}
		if (authenticate.type !== 'generic') return requestOptions;

		requestOptions.headers ??= {};
		const target = requestOptions as unknown as Record<string, Record<string, unknown> | undefined>;
		for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
			for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
				const resolvedKey = this.resolveValue(key, credentials, workflow, node);
				const resolvedValue = this.resolveValue(value, credentials, workflow, node);
				target[outerKey] ??= {};
				target[outerKey]![resolvedKey] = resolvedValue;
			}
		}
		return requestOptions;
	}

	/** Resolves one `={{ $credentials.x }}` value with n8n-workflow's expression engine. */
	private resolveValue(
		value: string,
		credentials: ICredentialDataDecryptedObject,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(value)) return value;
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		);
		return resolved ? resolved.toString() : '';
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.getCredentialType(typeName);
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (expirable === undefined || typeof type.preAuthentication !== 'function') return undefined;

		const isCredentialTest = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !credentialsExpired && !isCredentialTest)
			return undefined;

		const output = (await type.preAuthentication.call(
			helpers,
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirable.name] === undefined) return undefined;
		if (node.credentials?.[typeName]) {
			await this.updateCredentials(node.credentials[typeName], typeName, {
				...(this.data[typeName] ?? {}),
				...output,
			});
		}
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.getCredentialType(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		return (
			((await type.preAuthentication.call(
				helpers,
				credentials,
			)) as ICredentialDataDecryptedObject) ?? undefined
		);
	}

	/** n8n-core's real `Credentials` object (encrypted with the harness instance's key). */
	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<Credentials> {
		const credentials = new Credentials(
			{ id: nodeCredentials.id, name: nodeCredentials.name },
			type,
		);
		await credentials.setData(copy(this.storedData(nodeCredentials, type)));
		return credentials;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = copy(this.storedData(nodeCredentials, type));
		if (raw === true) return stored;
		return await this.applyDefaultsAndOverwrites(
			additionalData,
			stored,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/** Adds the credential's property defaults and resolves expressions in its data, as n8n does. */
	async applyDefaultsAndOverwrites(
		additionalData: IWorkflowExecuteAdditionalData,
		decryptedDataOriginal: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const properties = this.getCredentialsProperties(type);
		let decrypted = NodeHelpers.getNodeParameters(
			properties,
			decryptedDataOriginal as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (decryptedDataOriginal.oauthTokenData !== undefined) {
			decrypted.oauthTokenData = decryptedDataOriginal.oauthTokenData;
		}

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			try {
				decrypted = expressionResolveValues.workflow.expression.getParameterValue(
					decrypted as INodeParameters,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					decrypted,
				) as ICredentialDataDecryptedObject;
			} catch (error) {
				(error as Error).message += ' [Error resolving credentials]';
				throw error;
			}
		} else {
			const workflow = new Workflow({
				nodes: [{ ...MOCK_NODE }],
				connections: {},
				active: false,
				nodeTypes: MOCK_NODE_TYPES,
			});
			decrypted = workflow.expression.getComplexParameterValue(
				MOCK_NODE,
				decrypted as INodeParameters,
				mode,
				additionalKeys,
				undefined,
				undefined,
				decrypted,
			) as ICredentialDataDecryptedObject;
		}
		return decrypted;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.data[type] = copy(data);
		this.updates.push({ credentialType: type, data: copy(data) });
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		await this.updateCredentials(nodeCredentials, type, {
			...(this.data[type] ?? {}),
			oauthTokenData: data.oauthTokenData,
		});
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.getCredentialType(type);
		if (credentialType.extends === undefined) return credentialType.properties;
		const combined: INodeProperties[] = [];
		for (const parent of credentialType.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialType.properties);
		return combined;
	}

	private storedData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): ICredentialDataDecryptedObject {
		const stored = this.data[type];
		if (stored === undefined) {
			// The same words n8n uses when a node points at a credential that does not exist.
			throw new UserError(
				`Credential with ID "${nodeCredentials.id ?? ''}" does not exist for type "${type}".`,
			);
		}
		return stored;
	}
}

/** A JSON-safe copy of request options for the call log (bodies such as streams are summarised). */
function copyRequestOptions(options: IHttpRequestOptions): IHttpRequestOptions {
	const { body, ...rest } = options;
	delete rest.abortSignal;
	let bodyCopy: unknown = body;
	if (
		body !== null &&
		typeof body === 'object' &&
		!Array.isArray(body) &&
		Object.getPrototypeOf(body) === Object.prototype
	) {
		bodyCopy = structuredClone(body);
	}
	let restCopy: IHttpRequestOptions;
	try {
		restCopy = JSON.parse(JSON.stringify(rest)) as IHttpRequestOptions;
	} catch {
		restCopy = { ...rest };
	}
	return {
		...restCopy,
		...(body === undefined ? {} : { body: bodyCopy as IHttpRequestOptions['body'] }),
	};
}
