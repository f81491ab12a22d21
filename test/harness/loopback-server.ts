/**
 * A tiny HTTP server on 127.0.0.1 that records every request it gets and answers with whatever the
 * test's handler returns. Used to prove what actually went over the wire.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
	method: string;
	/** Path and query as sent, e.g. `/v1/info?apikey=k`. */
	url: string;
	/** Path without the query. */
	path: string;
	query: Record<string, string>;
	headers: IncomingHttpHeaders;
	/** Raw body text. */
	body: string;
	/** The body parsed as JSON, when it is JSON. */
	json?: unknown;
}

export interface LoopbackResponse {
	status?: number;
	/** An object is sent as JSON; a string or Buffer as is. */
	body?: unknown;
	headers?: Record<string, string>;
}

export type LoopbackHandler = (
	request: RecordedRequest,
) => LoopbackResponse | Promise<LoopbackResponse>;

export interface LoopbackServer {
	/** `http://127.0.0.1:<port>` (no trailing slash). */
	url: string;
	requests: RecordedRequest[];
	/** The most recent request (throws if there was none). */
	lastRequest(): RecordedRequest;
	close(): Promise<void>;
}

const defaultHandler: LoopbackHandler = () => ({ status: 200, body: { ok: true } });

export async function startLoopbackServer(
	handler: LoopbackHandler = defaultHandler,
): Promise<LoopbackServer> {
	const requests: RecordedRequest[] = [];
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			const parsedUrl = new URL(req.url ?? '/', 'http://127.0.0.1');
			let json: unknown;
			try {
				json = body === '' ? undefined : JSON.parse(body);
			} catch {
				json = undefined;
			}
			const recorded: RecordedRequest = {
				method: req.method ?? 'GET',
				url: req.url ?? '/',
				path: parsedUrl.pathname,
				query: Object.fromEntries(parsedUrl.searchParams.entries()),
				headers: req.headers,
				body,
				json,
			};
			requests.push(recorded);
			Promise.resolve()
				.then(async () => await handler(recorded))
				.then((response) => {
					const status = response.status ?? 200;
					const isRaw = typeof response.body === 'string' || Buffer.isBuffer(response.body);
					const payload =
						response.body === undefined
							? ''
							: isRaw
								? (response.body as string | Buffer)
								: JSON.stringify(response.body);
					res.writeHead(status, {
						...(isRaw || response.body === undefined ? {} : { 'content-type': 'application/json' }),
						...(response.headers ?? {}),
					});
					res.end(payload);
				})
				.catch((error: unknown) => {
					res.writeHead(500, { 'content-type': 'application/json' });
					res.end(JSON.stringify({ harnessError: String(error) }));
				});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		lastRequest() {
			const last = requests[requests.length - 1];
			if (!last) throw new Error('The loopback server received no request');
			return last;
		},
		async close() {
			server.closeAllConnections();
			await new Promise<void>((resolve, reject) =>
				server.close((error) => (error ? reject(error) : resolve())),
			);
		},
	};
}
