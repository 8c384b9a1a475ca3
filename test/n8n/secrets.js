'use strict';
/** Finds credentials in text a user or operator can see. */

/** V1 paths that end with the security token (as the stand-in's recorder lists them). */
const TOKEN_PATH =
	/^\/api\/(?:broker\/fwd|broker\/set\/anums|broker\/set|broker\/get|account\/get\/tokens|account\/set\/anums|account\/delete\/anums|account\/get\/anums|account-ipn\/get|ipn\/get)\/([^/?#]+)/;

/** Every security token the stand-in issued or was shown: V1 path, `token` body field, V1.1 Bearer header. */
function issuedTokens(standin) {
	const tokens = new Set(standin.state.securityTokens?.keys?.() ?? []);
	for (const entry of standin.rawLog) {
		const match = TOKEN_PATH.exec(entry.path);
		if (match) tokens.add(decodeURIComponent(match[1]));
		if (entry.body && typeof entry.body.token === 'string') tokens.add(entry.body.token);
		const bearer = /^Bearer\s+(\S+)/i.exec(entry.headers?.authorization ?? '');
		if (bearer) tokens.add(bearer[1]);
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

/** The bytes of n8n's SQLite database files (main file and write-ahead log) as text. */
function databaseText(userFolder) {
	const fs = require('node:fs');
	const path = require('node:path');
	const folder = path.join(userFolder, '.n8n');
	return fs
		.readdirSync(folder)
		.filter((name) => name.startsWith('database.sqlite'))
		.map((name) => fs.readFileSync(path.join(folder, name)).toString('latin1'))
		.join('\n');
}

module.exports = { TOKEN_PATH, databaseText, issuedTokens, secretsSeen };
