/** Types of the provider simulators (implemented in plain JavaScript next to this file). */

export type ProviderName = 'bouncify' | 'check365' | 'simplecold' | 'whoisxml';

export type FaultKind =
	| '429'
	| '500'
	| '503'
	| 'reset'
	| 'slow'
	| 'truncated'
	| 'html'
	| 'unknownStatus'
	| 'missingField';

export interface RouteNames {
	bouncify: 'create' | 'status' | 'start' | 'delete' | 'download' | 'single' | 'credits';
	check365: 'create' | 'status';
	simplecold: 'validate' | 'single' | 'batch' | 'create' | 'status' | 'download';
	whoisxml: 'create' | 'list' | 'status' | 'download' | 'downloadFailed' | 'single';
}

export interface FaultSpec<P extends ProviderName = ProviderName> {
	/** A route name of the provider, or '*' for every route. */
	route: RouteNames[P] | '*';
	fault: FaultKind;
	/** How many matching requests get the fault (default 1; Infinity allowed). */
	times?: number;
	/** '429': seconds for a Retry-After header (none when omitted). */
	retryAfter?: number;
	/** 'slow': real milliseconds to wait before answering normally (default 1000). */
	delayMs?: number;
	/** 'html': HTTP status of the proxy page (default 502). */
	status?: number;
	/** 'unknownStatus' / 'missingField': dotted path in the JSON body (`*` = each array item); default per route. */
	field?: string;
	/** 'unknownStatus': the out-of-vocabulary value (default 'ARCHIVED'; 2 for WhoisXML `ready`). */
	value?: unknown;
}

export interface InjectedFault<P extends ProviderName = ProviderName> extends FaultSpec<P> {
	times: number;
	/** Requests still to be hit. */
	remaining: number;
	/** Requests hit so far. */
	hits: number;
}

export interface RequestLogEntry {
	/** Simulator clock (ms since epoch) when the request arrived. */
	time: number;
	method: string;
	/** Path without the query string. */
	path: string;
	/** First value of each query parameter. */
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	bodyText: string;
	/** null when the socket was reset. */
	status: number | null;
	/** The first 64 KB of the response body. */
	responseText: string;
	/** Route name, null for a path the provider does not have. */
	route: string | null;
	/** Fault kind(s) applied, e.g. 'html' or 'slow+truncated'; null when none. */
	fault: string | null;
}

/** Provider-neutral job phases; each provider shows them in its own vocabulary (see README). */
export type JobPhase = 'queued' | 'waiting' | 'processing' | 'completed' | 'failed' | 'cancelled';

export interface SimJob {
	/** Always a string (WhoisXML's integer ids too). */
	id: string;
	name: string;
	columns: string[];
	rows: string[][];
	emailColumn: number;
	emails: string[];
	createdAt: number;
	durationMs: number;
	autoStart: boolean;
	startedAt: number | null;
	finishedAt: number | null;
	outcome: 'failed' | 'cancelled' | null;
	outcomeAt: number | null;
}

export interface SimulatorOptions {
	/** Default 0: a random free port on 127.0.0.1. */
	port?: number;
	/** The one key the simulator accepts (default: a fixed per-provider key). */
	apiKey?: string;
	/** 'real' (default) or 'manual' (time moves only with advance()). */
	clock?: 'real' | 'manual';
	/** Manual clock start, ms since epoch (default 2024-01-15T10:30:00Z). */
	startTime?: number;
	/** Base duration of every job (default 2000). */
	jobDurationMs?: number;
	/** Extra duration per address (default 1). */
	perEmailMs?: number;
	/** Bouncify (default 120) and SimpleCold bulk/batch (default 10) budgets; Infinity disables. */
	rateLimitPerMinute?: number;
	/** SimpleCold single-address budget (default 100); Infinity disables. */
	singleRateLimitPerMinute?: number;
	/** Seconds for a Retry-After header on natural 429s (default: no header, as documented). */
	rateLimitRetryAfter?: number;
	/** Starting balance for Bouncify and WhoisXML (default 1,000,000). */
	credits?: number;
	/** Check365 result rows: 'current' docs shape (default) or the older 'legacy' one. */
	resultShape?: 'current' | 'legacy';
	/** Called with each log entry as it is recorded. */
	onRequest?: (entry: RequestLogEntry) => void;
}

export interface SeedOptions {
	/** Default 'completed'. 'waiting' is Bouncify only; WhoisXML has no 'failed'/'cancelled'. */
	state?: JobPhase;
	/** Job id (Check365's client-chosen id); default: one in the provider's own format. */
	id?: string;
	/** SimpleCold upload name. */
	name?: string;
}

export interface Simulator<P extends ProviderName = ProviderName> {
	readonly provider: P;
	/** Exactly what goes in the credential's Base URL field. */
	readonly baseUrl: string;
	readonly apiKey: string;
	readonly port: number;
	readonly routes: ReadonlyArray<RouteNames[P]>;
	readonly requests: RequestLogEntry[];
	readonly jobs: Map<string, SimJob>;
	readonly clock: 'real' | 'manual';
	readonly credits: number;
	clearLog(): void;
	inject(fault: FaultSpec<P>): InjectedFault<P>;
	clearFaults(): void;
	now(): number;
	/** Moves the clock forward (on a real clock: adds an offset). */
	advance(ms: number): void;
	setCredits(value: number): void;
	/** Completes the job now, whatever its phase. */
	finishJob(id: string | number): void;
	/** Ends the job as failed or cancelled (SimpleCold shows CANCELING first); throws for WhoisXML. */
	setJobOutcome(id: string | number, outcome: 'failed' | 'cancelled'): void;
	/** Creates a job without HTTP: addresses, objects with `email` plus extra columns, or a count of generated addresses. */
	seedJob(emails: ReadonlyArray<string | Record<string, unknown>> | number, options?: SeedOptions): SimJob;
	close(): Promise<void>;
}

export type AllSimulators = { [P in ProviderName]: Simulator<P> } & { close(): Promise<void> };

export function startSimulator<P extends ProviderName>(provider: P, options?: SimulatorOptions): Promise<Simulator<P>>;

/** All four; with portBase they listen on portBase..portBase+3 in PROVIDERS order. */
export function startAllSimulators(options?: SimulatorOptions & { portBase?: number }): Promise<AllSimulators>;

export interface AddressTraits {
	email: string;
	user: string;
	domain: string;
	kind:
		| 'deliverable'
		| 'undeliverable'
		| 'catchall'
		| 'unknown'
		| 'spamtrap'
		| 'smtpfail'
		| 'processingFailed'
		| 'invalidDomain'
		| 'invalidSyntax';
	role: boolean;
	free: boolean;
	disposable: boolean;
}

export interface BouncifyVerdict {
	email: string;
	user: string;
	domain: string;
	result: 'deliverable' | 'undeliverable' | 'accept-all' | 'unknown';
	message: string;
	syntaxError: boolean;
	freeEmail: boolean;
	role: boolean;
	disposable: boolean;
	spamtrap: boolean;
	acceptAll: boolean;
}

export interface Check365Verdict {
	email: string;
	emailProvider: string;
	emailType: 'personal' | 'professional' | 'unknown';
	status: 'active' | 'inactive' | 'invalid' | 'spam trap' | 'unvalidated' | 'catch-all' | 'unknown';
	safeToSend: boolean;
	risk: 'low' | 'medium' | 'high';
	isRole: boolean;
	statusReason: string;
}

export interface SimpleColdVerdict {
	email: string;
	domain: string;
	status: 'ok' | 'invalid' | 'unknown';
	statusMessage: string;
	mxLocation: string;
	siteLocation: string;
	siteLanguage: string;
	failType: string;
}

/** A /request/completed row, or a /request/failed row (`error` + `emailAddress`). */
export type WhoisXmlVerdict = Record<string, string | string[]>;

export interface VerdictByProvider {
	bouncify: BouncifyVerdict;
	check365: Check365Verdict;
	simplecold: SimpleColdVerdict;
	whoisxml: WhoisXmlVerdict;
}

/** What the provider's simulator reports for this address (see the README's verdict rule). */
export function verdictFor<P extends ProviderName>(provider: P, email: string): VerdictByProvider[P];

export function classifyAddress(email: string): AddressTraits;

export const PROVIDERS: readonly ProviderName[];
export const ROUTES: { readonly [P in ProviderName]: ReadonlyArray<RouteNames[P]> };
export const FAULT_KINDS: readonly FaultKind[];
