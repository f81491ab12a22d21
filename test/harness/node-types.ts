/**
 * The node-type registry a harness workflow uses (n8n-workflow's `INodeTypes`).
 *
 * Node types are registered under `<package name>.<description.name>`, the type name users get
 * when n8n installs the package, and get the same special parameters n8n's loader adds when it
 * loads a package (`pollTimes` for `polling: true` nodes, request options for declarative nodes).
 */
import { DirectoryLoader } from 'n8n-core';
import { commonPollingParameters } from 'n8n-core/dist/nodes-loader/constants';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers, UnexpectedError } from 'n8n-workflow';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { PACKAGE_ROOT } from './credential-types';

export const PACKAGE_NAME = (
	JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string }
).name;

/** The node every harness workflow starts from; it hands the test's input items to the node under test. */
export const START_NODE_TYPE = 'n8n-nodes-harness.start';

class HarnessStart implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Start',
		name: 'harnessStart',
		group: ['input'],
		version: 1,
		description: 'Passes the test input items on, like the trigger of a real execution',
		defaults: { name: 'Start' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

const prepared = new WeakSet<object>();

/** Applies, once per node type object, what n8n's DirectoryLoader adds to a loaded node type. */
export function applyLoaderSpecialParameters(nodeType: INodeType | IVersionedNodeType): void {
	const versions: INodeType[] =
		'nodeVersions' in nodeType ? Object.values(nodeType.nodeVersions) : [nodeType];
	for (const version of versions) {
		if (prepared.has(version)) continue;
		prepared.add(version);
		if (version.description.polling) {
			version.description.properties.unshift(...structuredClone(commonPollingParameters));
		}
		DirectoryLoader.applyDeclarativeNodeOptionParameters(version);
	}
}

/** The type version n8n gives a newly added node: the latest (or the versioned type's default). */
export function latestTypeVersion(nodeType: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in nodeType) return nodeType.currentVersion;
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

export function descriptionOf(
	nodeType: INodeType | IVersionedNodeType,
	version?: number,
): INodeTypeDescription {
	return NodeHelpers.getVersionedNodeType(nodeType, version).description;
}

/** Receives the error a node's `execute()` threw, before n8n-core turns it into execution data. */
export type ThrownErrorListener = (error: unknown) => void;

export class HarnessNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType | IVersionedNodeType>();

	private readonly watched = new Map<string, ThrownErrorListener>();

	private readonly wrappers = new Map<INodeType, INodeType>();

	constructor() {
		this.types.set(START_NODE_TYPE, new HarnessStart());
	}

	/**
	 * Registers a package node type and returns its full type name (`<package>.<name>`). With
	 * `asLoaded` (default) it first gets what n8n's loader adds to a loaded node type.
	 */
	registerPackageNode(nodeType: INodeType | IVersionedNodeType, { asLoaded = true } = {}): string {
		return this.register(`${PACKAGE_NAME}.${nodeType.description.name}`, nodeType, { asLoaded });
	}

	/** Registers a node type under `typeName`; `asLoaded: false` keeps its description exactly as given. */
	register(
		typeName: string,
		nodeType: INodeType | IVersionedNodeType,
		{ asLoaded = true } = {},
	): string {
		if (asLoaded) applyLoaderSpecialParameters(nodeType);
		this.types.set(typeName, nodeType);
		return typeName;
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types.get(nodeType);
		if (!type) throw new UnexpectedError(`Unknown node type "${nodeType}" in the test harness`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		const type = NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
		const listener = this.watched.get(nodeType);
		return listener ? this.wrapExecute(type, listener) : type;
	}

	/**
	 * Lets the harness see the error object a node's `execute()` throws. WorkflowExecute stores only
	 * a plain-object copy of it in the run data (`{ ...error, message, stack }`), which loses the
	 * class; the wrapper rethrows the very same error, so the engine's behaviour is unchanged.
	 */
	watchThrownErrors(typeName: string, listener: ThrownErrorListener): void {
		this.watched.set(typeName, listener);
	}

	private wrapExecute(type: INodeType, listener: ThrownErrorListener): INodeType {
		const original = type.execute;
		if (!original) return type;
		let wrapper = this.wrappers.get(type);
		if (!wrapper) {
			wrapper = Object.create(type, {
				execute: {
					value: async function (this: IExecuteFunctions, ...args: unknown[]) {
						try {
							return await (original as (...a: unknown[]) => Promise<unknown>).apply(this, args);
						} catch (error) {
							listener(error);
							throw error;
						}
					},
				},
			}) as INodeType;
			this.wrappers.set(type, wrapper);
		}
		return wrapper;
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}
