/** Types of the provider simulators (implemented in plain JavaScript next to this file). */

/** The providers whose simulators ship in this folder. */
export type BuiltInProviderName = 'bouncify' | 'check365' | 'simplecold' | 'whoisxml';

/**
 * A provider's registry key (as in nodes/shared/model/provider.ts): one of the four built in, or one a
 * test fixture adds with `registerSimulator` (test/fixtures/fifth-provider).
 */
export type ProviderName = string;

export type FaultKind =
	| '429'
	| '500'
	| '503'
	| 'reset'
	| 'slow'
	| 'truncated'
	| 'html'
	| 'unknownStatus'
	| 'missingField'
	| '402'
	| 'echo'
	| 'echoInBody'
	| 'redirect'
	| 'huge'
	| 'endless'
	| 'trickle'
	| 'stall'
	| 'nested'
	| 'bigId';

/** How `echo` / `echoInBody` encode what they echo; `encodeKey(key, encoding)` gives the exact result. */
export type EchoEncoding =
	'raw' | 'percent' | 'percentLower' | 'form' | 'json' | 'jsonUnicode' | 'html' | 'doublePercent';

export interface RouteNames {
	bouncify: 'create' | 'status' | 'start' | 'delete' | 'download' | 'single' | 'credits';
	check365: 'create' | 'status';
	simplecold: 'validate' | 'single' | 'batch' | 'create' | 'status' | 'download';
	whoisxml: 'create' | 'list' | 'status' | 'download' | 'downloadFailed' | 'single' | 'credits';
}

/** The route names of provider `P`: checked for the four built in, any string for a registered one. */
export type RouteName<P extends ProviderName> = P extends BuiltInProviderName
	? RouteNames[P]
	: string;

export interface FaultSpec<P extends ProviderName = ProviderName> {
	/** A route name of the provider, or '*' for every route. */
	route: RouteName<P> | '*';
	fault: FaultKind;
	/** How many matching requests get the fault (default 1; Infinity allowed). */
	times?: number;
	/** Any fault: the first `skip` requests to the route pass untouched; the fault applies from request skip+1 (default 0). */
	skip?: number;
	/** '429': seconds for a Retry-After header (none when omitted). */
	retryAfter?: number;
	/** 'slow': real milliseconds to wait before answering normally (default 1000). */
	delayMs?: number;
	/**
	 * 'html': HTTP status of the proxy page (default 502).
	 * 'echo': status of the error answer (default 500); a 2xx status makes it the in-body variant (= 'echoInBody').
	 * 'redirect': 301 | 302 | 303 | 307 | 308 (default 302).
	 */
	status?: number;
	/**
	 * Dotted path in the JSON body (`*` = each array item); default per route.
	 * 'unknownStatus' / 'missingField' / 'nested': the field to change, drop or replace;
	 * 'bigId': the job-id field; 'echoInBody': the free-text field that gets the encoded key.
	 */
	field?: string;
	/** 'unknownStatus': the out-of-vocabulary value (default 'ARCHIVED'; 2 for WhoisXML `ready`). */
	value?: unknown;
	/** 'echo' / 'echoInBody': how the echoed URL, body and header (or the key) are encoded (default 'raw'). */
	encoding?: EchoEncoding;
	/** 'redirect': 'cross' (default) points at `sim.elsewhere`, another loopback port; 'same' at this path plus `_redirected=1`. */
	target?: 'cross' | 'same';
	/** 'redirect': a relative Location (`/path?…`, or `//127.0.0.1:PORT/path?…` for cross) instead of an absolute URL. */
	relative?: boolean;
	/** 'huge': total body size in bytes (default 600 MiB = 629,145,600). */
	sizeBytes?: number;
	/** 'huge': send a Content-Length header (default: none, chunked). */
	contentLength?: boolean;
	/** 'trickle': ms between bytes (default 1000). 'endless': ms between 16 KiB chunks (default 10; 0 = as fast as the client reads). */
	intervalMs?: number;
	/** 'huge' / 'endless' / 'trickle' / 'stall': safety cap in real ms, after which the socket is destroyed (default 60,000). */
	capMs?: number;
	/** 'stall': body bytes sent before stalling (default half the body; never the whole body). */
	bytes?: number;
	/** 'nested': nesting depth (default 10,000). */
	depth?: number;
	/** 'nested': `[[[…]]]` (default 'array') or `{"a":{"a":…null}}` ('object'). */
	shape?: 'array' | 'object';
	/** 'bigId': write the long id as a raw JSON number (WhoisXML default) or a string (default elsewhere). */
	literal?: 'number' | 'string';
}

export interface InjectedFault<P extends ProviderName = ProviderName> extends FaultSpec<P> {
	times: number;
	skip: number;
	/** Requests still to be hit. */
	remaining: number;
	/** Requests hit so far. */
	hits: number;
	/** Requests still to let through before the fault starts. */
	skipRemaining: number;
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
	/** Response body bytes written so far (they keep growing while a stream is open). */
	bytesSent: number;
	/**
	 * How the response ended: 'complete', 'client' (the client went away first), 'cap' (a safety cap
	 * cut it), 'close' (sim.close() cut it) or 'reset'; null while it is still open.
	 */
	ended: 'complete' | 'client' | 'cap' | 'close' | 'reset' | null;
}

/** The second loopback server that `redirect` with target 'cross' points at. */
export interface Elsewhere {
	/** Every request it received, in the request-log shape (route and status as the real route answered). */
	readonly requests: RequestLogEntry[];
	/** e.g. 'http://127.0.0.1:PORT'; null until started. */
	readonly origin: string | null;
	readonly port: number | null;
	/** Starts it (the first cross redirect does this too); resolves to its origin. */
	start(): Promise<string>;
	clearLog(): void;
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
	/**
	 * WhoisXML: the products its account-balance answer lists (default: WHOIS API 500, Email
	 * Verification API (id 7) with the live balance, Domain Research Suite 100); an entry without
	 * `credits` shows the live balance.
	 */
	balanceProducts?: ReadonlyArray<{ id: number; name?: string; credits?: unknown }>;
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
	readonly routes: ReadonlyArray<RouteName<P>>;
	readonly requests: RequestLogEntry[];
	readonly jobs: Map<string, SimJob>;
	readonly clock: 'real' | 'manual';
	readonly credits: number;
	/** The cross-origin redirect target: it answers every route like this simulator, without faults. */
	readonly elsewhere: Elsewhere;
	clearLog(): void;
	inject(fault: FaultSpec<P>): InjectedFault<P>;
	clearFaults(): void;
	/** The account's key becomes `key` (rotated or revoked): requests with any other key are refused. */
	setAcceptedKey(key: string): void;
	now(): number;
	/** Moves the clock forward (on a real clock: adds an offset). */
	advance(ms: number): void;
	setCredits(value: number): void;
	/** Completes the job now, whatever its phase. */
	finishJob(id: string | number): void;
	/** Ends the job as failed or cancelled (SimpleCold shows CANCELING first); throws for WhoisXML. */
	setJobOutcome(id: string | number, outcome: 'failed' | 'cancelled'): void;
	/** Creates a job without HTTP: addresses, objects with `email` plus extra columns, or a count of generated addresses. */
	seedJob(
		emails: ReadonlyArray<string | Record<string, unknown>> | number,
		options?: SeedOptions,
	): SimJob;
	/** Ends every open stream and pending wait at once, then closes the server and `elsewhere`. */
	close(): Promise<void>;
}

/** One simulator per provider, by name (a registered one too), and `close()` for all of them. */
export type AllSimulators = { [P in BuiltInProviderName]: Simulator<P> } & {
	readonly [name: string]: Simulator;
} & {
	close(): Promise<void>;
};

export function startSimulator<P extends ProviderName>(
	provider: P,
	options?: SimulatorOptions,
): Promise<Simulator<P>>;

/**
 * Every registered simulator (the four built in, plus any `registerSimulator` added); with portBase they
 * listen on portBase, portBase+1, … in PROVIDERS order.
 */
export function startAllSimulators(
	options?: SimulatorOptions & { portBase?: number },
): Promise<AllSimulators>;

/**
 * What a provider file of this folder exports as its definition (see ProviderDefinition in server.js):
 * its name, base path, default key, job ids, routes, auth check and bodies. Typed loosely here: the
 * simulators are plain JavaScript, checked by their own tests.
 */
export interface SimulatorDefinition {
	name: string;
	basePath: string;
	defaultApiKey: string;
	routes: ReadonlyArray<{ name: string; method: string; path: string }>;
	[member: string]: unknown;
}

/**
 * Adds a simulator for a provider this folder does not ship (a test-only fixture), served by the same
 * machinery as the four: `startSimulator(definition.name)`, `startAllSimulators`, `verdictFor`,
 * `PROVIDERS` and `ROUTES` include it from then on. Throws when the name is taken.
 */
export function registerSimulator(
	definition: SimulatorDefinition,
	verdictFor: (email: string) => unknown,
): void;

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
export function verdictFor<P extends ProviderName>(
	provider: P,
	email: string,
): P extends BuiltInProviderName ? VerdictByProvider[P] : unknown;

export function classifyAddress(email: string, provider?: string): AddressTraits;

export const PROVIDERS: readonly ProviderName[];
export const ROUTES: { readonly [P in BuiltInProviderName]: ReadonlyArray<RouteNames[P]> } & {
	readonly [name: string]: readonly string[];
};
export const FAULT_KINDS: readonly FaultKind[];
export const ENCODINGS: readonly EchoEncoding[];

/** Exactly how `key` appears in what `echo` / `echoInBody` write with this encoding. */
export function encodeKey(key: string, encoding: EchoEncoding): string;
