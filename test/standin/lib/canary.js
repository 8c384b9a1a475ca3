'use strict';
/**
 * Canary mode (`startStandin({ canary: true })`, CLI `--canary`): every secret-ish identity
 * the stand-in hands out or accepts is a distinct, recognisable value `cnry<KIND><hex>`,
 * random per stand-in start and stable across resets. A test scans everything a user or
 * operator can see for the pattern and knows, from the kind, which rule applies.
 *
 *   kind           tag    replaces
 *   hash           HASH   the API users' hashes
 *   secret         SCRT   the API users' secrets
 *   securityToken  STOK   every issued security token (40 characters, like the real ones)
 *   docToken       DTOK   every issued document token (in docs.docToken and the file links)
 *   accountToken   ATOK   the seeded aTokens
 *   brokerToken    BTOK   the seeded bTokens and those Create Broker issues
 *   loginLink      LINK   the hash of Broker forward's one-time login link
 *
 * Names, IDs, inquiries and files are the default seed's; only these values differ.
 */

const { randomHex } = require('./util');

const TAGS = {
	hash: 'HASH',
	secret: 'SCRT',
	securityToken: 'STOK',
	docToken: 'DTOK',
	accountToken: 'ATOK',
	brokerToken: 'BTOK',
	loginLink: 'LINK',
};
const KIND_BY_TAG = Object.fromEntries(Object.entries(TAGS).map(([kind, tag]) => [tag, kind]));
/** Total length per kind (prefix included); security and document tokens as long as real ones. */
const LENGTHS = { hash: 32, secret: 32, securityToken: 40, docToken: 40, accountToken: 24, brokerToken: 24, loginLink: 40 };
const PATTERN_SOURCE = `cnry(${Object.values(TAGS).join('|')})[0-9a-f]{8,}`;

class Canaries {
	constructor() {
		/** default seeded value → canary */
		this.aliases = new Map();
		/** kind → Set of every value of that kind (seeded and issued) */
		this.values = new Map(Object.keys(TAGS).map((kind) => [kind, new Set()]));
	}

	/** A new canary of this kind, remembered. */
	make(kind) {
		const tag = TAGS[kind];
		if (!tag) throw new Error(`unknown canary kind ${kind}`);
		const prefix = `cnry${tag}`;
		const value = prefix + randomHex(LENGTHS[kind] - prefix.length);
		this.values.get(kind).add(value);
		return value;
	}

	/** The canary standing in for a seeded default value (made on first use). */
	alias(defaultValue, kind) {
		let value = this.aliases.get(defaultValue);
		if (!value) {
			value = this.make(kind);
			this.aliases.set(defaultValue, value);
		}
		return value;
	}

	/** The canary of a seeded value, or the value itself if it has none. */
	map(defaultValue) {
		return this.aliases.get(defaultValue) ?? defaultValue;
	}

	list(kind) {
		return [...this.values.get(kind)];
	}

	/** The demo API user's hash and secret (the single-account user has canaries of its own). */
	get hash() {
		return this.map('demo-api-user-hash-0001');
	}

	get secret() {
		return this.map('demo-api-user-secret-0001');
	}

	get accountTokens() {
		return this.list('accountToken');
	}

	/** Seeded broker tokens and those Create Broker issued so far. */
	get brokerTokens() {
		return this.list('brokerToken');
	}

	/** Issued so far (live). */
	get securityTokens() {
		return this.list('securityToken');
	}

	get docTokens() {
		return this.list('docToken');
	}

	get loginLinks() {
		return this.list('loginLink');
	}

	/** The kind of a canary value (by its tag), or undefined. */
	kindOf(value) {
		const match = /^cnry([A-Z]{4})/.exec(String(value));
		return match ? KIND_BY_TAG[match[1]] : undefined;
	}

	/** Whether this exact value was made here (a scan can tell real canaries from look-alikes). */
	known(value) {
		const kind = this.kindOf(value);
		return kind !== undefined && this.values.get(kind).has(value);
	}

	/** A fresh global RegExp matching any canary (kind tag in group 1). */
	pattern() {
		return new RegExp(PATTERN_SOURCE, 'g');
	}

	/** Every canary as [kind, value]. */
	all() {
		return [...this.values].flatMap(([kind, set]) => [...set].map((value) => [kind, value]));
	}

	toJSON() {
		return {
			pattern: PATTERN_SOURCE,
			hash: this.hash,
			secret: this.secret,
			aliases: Object.fromEntries(this.aliases),
			byKind: Object.fromEntries([...this.values].map(([kind, set]) => [kind, [...set]])),
		};
	}
}

/**
 * Replace the seed's identities by canaries (in place): API users' hash and secret, the
 * accounts' aTokens, the brokers' bTokens, and the tokens inquiries point at.
 */
function applyCanaries(data, canaries) {
	for (const user of data.apiUsers) {
		user.hash = canaries.alias(user.hash, 'hash');
		user.secret = canaries.alias(user.secret, 'secret');
		user.accounts = user.accounts.map((aToken) => canaries.alias(aToken, 'accountToken'));
	}
	for (const account of data.accounts) account.aToken = canaries.alias(account.aToken, 'accountToken');
	for (const broker of data.brokers) {
		broker.bToken = canaries.alias(broker.bToken, 'brokerToken');
		broker.aToken = canaries.alias(broker.aToken, 'accountToken');
	}
	for (const inquiry of data.inquiries) {
		inquiry.aToken = canaries.map(inquiry.aToken);
		inquiry.bToken = canaries.map(inquiry.bToken);
	}
	return data;
}

module.exports = { Canaries, applyCanaries, CANARY_TAGS: TAGS, CANARY_PATTERN_SOURCE: PATTERN_SOURCE };
