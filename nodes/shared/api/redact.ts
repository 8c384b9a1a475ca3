/**
 * Scrubs credentials out of text a user or operator can see. The security token travels in
 * the URL path (V1) or the Authorization header (V1.1), the document token in links, the
 * account and broker in bodies (V1) or X- headers (V1.1): any echoed request is a leak.
 */
const REDACTED = '[redacted]';

const URL_TOKEN_PATTERNS: RegExp[] = [
	// The security token as last path segment of the V1 endpoints (longer paths first: /set/anums before /set).
	/(\/api\/(?:broker\/(?:fwd|get|set\/anums|set)|account\/(?:get\/tokens|get\/anums|set\/anums|delete\/anums)|account-ipn\/get|ipn\/get))\/[^\s/?#"'<>]+/gi,
	// One-time broker login links.
	/https?:\/\/[^\s"'<>]*\/api\/broker\/switch\/[^\s"'<>]*/gi,
	/\/api\/broker\/switch\/[^\s"'<>]+/gi,
	// Tokens in query strings and JSON bodies.
	/([?&](?:docToken|token|secret|hash)=)[^&\s"'<>#]+/gi,
	/("(?:token|secret|hash|docToken|securityToken)"\s*:\s*")[^"]*(")/gi,
	// The security token as a Bearer header (Get Inquiry), in echoed headers or request dumps.
	/(\bBearer\s+)[^\s"'<>,;]+/g,
	/(\bauthorization["']?\s*[:=]\s*["']?bearer\s+)[^\s"'<>,;]+/gi,
	// V1.1's account and broker headers, echoed.
	/(\bx-(?:account|broker)-token["']?\s*[:=]\s*["']?)[^\s"'<>,;]+/gi,
];

export function redactText(text: string, secrets: Iterable<string | undefined> = []): string {
	let result = text;
	const values = [...secrets].filter((value): value is string => typeof value === 'string' && value.length >= 4);
	// Longest first, so a token that contains another is not half-replaced.
	values.sort((a, b) => b.length - a.length);
	for (const value of values) {
		result = result.split(value).join(REDACTED);
		const encoded = encodeURIComponent(value);
		if (encoded !== value) result = result.split(encoded).join(REDACTED);
	}
	for (const pattern of URL_TOKEN_PATTERNS) {
		result = result.replace(pattern, (match: string, ...groups: unknown[]) => {
			const prefix = typeof groups[0] === 'string' ? groups[0] : '';
			const suffix = typeof groups[1] === 'string' ? groups[1] : '';
			if (match.includes('/api/broker/switch/')) return REDACTED;
			return `${prefix}${/[/="'\s:]$/.test(prefix) ? '' : '/'}${REDACTED}${suffix}`;
		});
	}
	return result;
}
