/**
 * What the tests need to know about a provider that the shipped code does not say: its simulator, how
 * its credential points at one, and the facts of its documented API that the test tables use as an
 * oracle (written out here, never computed from the capabilities under test). One profile per
 * provider of the registry (nodes/shared/providers/list.ts); `profileOf` (./index.ts) finds it.
 */
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import type { JobState } from '../../../nodes/shared/model/job';
import type { Verdict } from '../../../nodes/shared/model/result';
import type { ProviderName, RequestLogEntry, Simulator, SimulatorOptions } from '../../simulators';

/** The Bulk Verify node's operations (nodes/BulkVerify/actions/operations.ts), by value. */
export type OperationName =
	| 'create'
	| 'estimate'
	| 'secondOpinion'
	| 'start'
	| 'getStatus'
	| 'getMany'
	| 'getResults'
	| 'delete'
	| 'verify'
	| 'getCredits';

/** How a job ends. */
export type Ending = 'completed' | 'failed' | 'cancelled';

/** Where a request to a route carries the API key: what an echo of the URL or the body gives back. */
export type KeyPlacement = 'query' | 'body' | 'header';

/** One route the node's operations use, as test/integration/BulkVerify/fault-matrix.test.ts exercises it. */
export interface NodeFaultRoute {
	/** The simulator's route name (what faults are injected on). */
	route: string;
	/** The node run that calls the route (the fault matrix has one scenario builder per kind). */
	scenario:
		| 'create'
		| 'status'
		| 'download'
		| 'downloadFailed'
		| 'list'
		| 'start'
		| 'delete'
		| 'single'
		| 'credits';
	/** The field `unknownStatus` changes (a status or verdict token); null when the body has none; undefined: the simulator's default. */
	unknownStatusField?: string | null;
	/** Whether the field `missingField` deletes breaks the body, is one the node ignores, or does not exist (a CSV body). */
	missingField: 'needed' | 'ignored' | 'notApplicable';
}

export interface ProviderTestProfile {
	/** The provider's registry name (`info.name`). */
	readonly name: ProviderName;
	/** Starts its simulator (test/simulators, or a registered fixture's). */
	startSimulator(options?: SimulatorOptions): Promise<Simulator>;
	/** The credential data (of type `info.credentialType`) that points at a simulator with this key. */
	credentialData(endpoint: { apiKey: string; baseUrl: string }): ICredentialDataDecryptedObject;
	/** The operations its documented API offers: the oracle the operation matrix checks the node's description against. */
	readonly operations: readonly OperationName[];
	/** Credits one verified address costs, as its docs say (or 1 where they say nothing). */
	readonly creditsPerEmail: number;
	/** Create parameters that make an uploaded job run (Bouncify waits for Start unless Start Now). */
	readonly createParameters: INodeParameters;
	/** The state of a job just created, before anything is verified. */
	readonly pendingState: JobState;
	/** The endings other than completion its API reports for a job. */
	readonly jobOutcomes: ReadonlyArray<'failed' | 'cancelled'>;
	/** The verdict of the simulator's catch-all class (an API without a catch-all token says unknown). */
	readonly catchAllVerdict: Verdict;
	/** Job ids of its own form that no simulator job has, and ids that are not of its form. */
	readonly jobIds: { readonly unknown: string; readonly wrongForm: string };
	/** Route names: where Get Results reads the results from. */
	readonly routes: { readonly results: string };
	/** Where each route's requests carry the key. */
	keyIn(route: string): KeyPlacement;
	/** The field of the status body whose removal makes it unreadable, when not the simulator's default. */
	readonly statusMissingField?: string;
	/** The state an out-of-vocabulary status token gives (docs/provider-apis.md §6.1). */
	readonly unknownStatusState: JobState;
	/** The body limit of its status answer (BODY_LIMITS key): `results` where results come with the status. */
	readonly statusBodyLimit: 'answer' | 'results';
	/** The routes the node's operations use, in the order the node fault matrix lists them. */
	readonly nodeFaultRoutes: readonly NodeFaultRoute[];
	/** Get Many (where the API lists jobs): its route, the page size the node asks for, and the job ids' form. */
	readonly listing?: {
		readonly route: string;
		readonly pageSize: number;
		readonly jobIdPattern: RegExp;
	};
	/** Start (where jobs wait for one): the raw status once started, and where the start request names the job. */
	readonly start?: {
		readonly startedRawStatus: string;
		jobIdOf(request: RequestLogEntry): string | undefined;
	};
	/** The trigger fuzz (test/integration/BulkVerifyJobTrigger/trigger-fuzz.test.ts). */
	readonly fuzz: {
		/** The trigger's request budget per minute for this provider (its documented rate, else 30). */
		readonly requestsPerMinute: number;
		/** The route most faults are injected on. */
		readonly statusRoute: string;
		/** The endings the fuzz gives jobs (one that passes through a long intermediate state is left out). */
		readonly endings: readonly Ending[];
		/** Whether runs may watch every job of the account (a listing with growing ids). */
		readonly watchesAllJobs: boolean;
	};
}

/** Credential data of the usual shape: the key and the Base URL. */
export function keyAndBaseUrl(endpoint: {
	apiKey: string;
	baseUrl: string;
}): ICredentialDataDecryptedObject {
	return { apiKey: endpoint.apiKey, baseUrl: endpoint.baseUrl };
}
