/**
 * What to do with a redirect, decided without sending anything. n8n's HTTP client would follow a
 * redirect to any host with the credential applied (Bearer header, key in the query or replayed in a
 * POST body), so the transport asks for redirects not to be followed and follows only what this
 * allows: the origin of one of the credential's addresses (its Base URL, and the other hosts it
 * deliberately serves, `ProviderErrorProfile.otherHosts`), a method that stays the same, and a request
 * that is safe to send twice. A paid call is never replayed after a redirect, whatever the origin.
 */

export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Most hops followed for one request: real APIs redirect once (e.g. to add a slash), not in chains. */
export const MAX_REDIRECTS = 3;

export type RedirectDecision =
	| { follow: true; url: string; method: string; keepBody: boolean }
	| {
			follow: false;
			reason: 'crossOrigin' | 'paidCall' | 'methodChange' | 'noLocation' | 'tooMany';
			targetHost?: string;
	  };

export interface RedirectRequest {
	method: string;
	/** The absolute URL the request went to. */
	url: string;
	idempotent: boolean;
	hop: number;
}

export function decideRedirect(
	status: number,
	location: string | undefined,
	request: RedirectRequest,
	/** The credential's addresses: a redirect may only lead to one of their origins. */
	allowed: readonly string[],
): RedirectDecision {
	if (location === undefined || location.trim() === '' || !URL.canParse(location, request.url)) {
		return { follow: false, reason: 'noLocation' };
	}
	const target = new URL(location, request.url);
	const targetHost = target.host;
	if (!allowed.some((address) => new URL(address).origin === target.origin))
		return { follow: false, reason: 'crossOrigin', targetHost };
	if (!request.idempotent) return { follow: false, reason: 'paidCall', targetHost };
	if (request.hop >= MAX_REDIRECTS) return { follow: false, reason: 'tooMany', targetHost };
	const method = request.method.toUpperCase();
	// 307/308 keep method and body; 301/302/303 turn a request into a GET, which would drop a POST's
	// body and ask for something else than the caller meant.
	if (status === 307 || status === 308)
		return { follow: true, url: target.href, method, keepBody: true };
	if (method === 'GET') return { follow: true, url: target.href, method, keepBody: false };
	return { follow: false, reason: 'methodChange', targetHost };
}

/** The header's value as one string (n8n hands some headers over as arrays). */
export function headerValue(
	headers: Record<string, string | string[] | undefined>,
	name: string,
): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}
