'use strict';
/** Finds credentials in text a user or operator can see. */

/** Every security token the stand-in issued, read from its raw request log. */
function issuedTokens(standin) {
	const tokens = new Set(standin.state.securityTokens?.keys?.() ?? []);
	for (const entry of standin.rawLog) {
		const match = /\/api\/(?:broker\/fwd|broker\/set|account\/get\/tokens|account-ipn\/get)\/([^/?]+)/.exec(entry.path);
		if (match) tokens.add(decodeURIComponent(match[1]));
		if (entry.body && typeof entry.body.token === 'string') tokens.add(entry.body.token);
	}
	return [...tokens].filter((token) => token.length >= 8);
}

/** Which secrets (by label) appear in any of the texts. */
function secretsSeen(texts, standin, extra = []) {
	const secrets = [...issuedTokens(standin).map((value) => ['security token', value]), ...extra.map((value) => ['credential', value])];
	const found = [];
	for (const [label, value] of secrets) {
		if (texts.some((text) => text.includes(value))) found.push(`${label} ${value.slice(0, 6)}…`);
	}
	return found;
}

module.exports = { issuedTokens, secretsSeen };
