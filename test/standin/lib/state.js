'use strict';
/**
 * Mutable stand-in state: built from the seed, changed by API calls
 * (broker forward, create broker, instant inquiries) and control calls.
 */

const seed = require('../seed');
const { formatLocalDateTime, randomHex } = require('./util');
const { applyCanaries } = require('./canary');

/** Offset of large-account inquiries inside the seed index (skips pinned dates). */
const LARGE_INDEX_OFFSET = 1000;
/** Large-account inquiries are updated within this many days (all inside the default window). */
const LARGE_MAX_DAYS_AGO = 59;
/** Prune token maps when they grow beyond this many entries. */
const PRUNE_THRESHOLD = 5000;

class StandinState {
	/**
	 * @param {{inquiries?:number, largeAccount?:number, now?:number, seed?:number, canary?:import('./canary').Canaries|null}} options
	 * `canary`: replace the seeded identities and every issued token by canary values (lib/canary.js).
	 */
	constructor(options = {}) {
		this.canary = options.canary ?? null;
		const data = seed.buildSeed(options);
		if (this.canary) applyCanaries(data, this.canary);
		this.createdAt = data.now;
		this.seed = data.seed;
		this.apiUsers = new Map(data.apiUsers.map((u) => [u.hash, u]));
		this.accounts = new Map(data.accounts.map((a) => [a.aToken, a]));
		this.brokers = new Map();
		for (const b of data.brokers) this.brokers.set(b.bToken, makeBroker(b));
		this.inquiries = new Map();
		this.byAccount = new Map(data.accounts.map((a) => [a.aToken, []]));
		for (const inq of data.inquiries) this.addInquiry(inq);
		this.customers = new Map();
		for (const inq of data.inquiries) {
			if (inq.customer.cExternalId) this.customers.set(customerKey(inq.aToken, inq.customer.cExternalId), inq.customer);
		}
		this.nextInquiryId = data.nextInquiryId;
		this.nextCustomerId = 900000;
		this.largeIds = [];
		this.securityTokens = new Map(); // token → { apiUserHash, expiresAt }
		this.docTokens = new Map(); // token → { aToken, expiresAt }
		this.switchLinks = new Map(); // hash → { bToken, createdAt, used }
		this.agencyNumbers = new Map(); // owner ("account:<aToken>" | "broker:<bToken>") → sets
		this.usedUniqueIds = new Map(); // owner → Map(externalUniqueId → entry key); never freed
		for (const [owner, sets] of Object.entries(data.agencyNumbers || {})) {
			const [kind, token] = owner.split(':');
			const error = this.addAgencyNumbers(`${kind}:${this.alias(token)}`, sets);
			if (error) throw new Error(`seed agency numbers: ${error}`);
		}
		if (options.largeAccount) this.setLargeAccount(options.largeAccount, data.now);
	}

	/** The value standing in for a seeded identity: its canary in canary mode, else itself. */
	alias(defaultValue) {
		return this.canary ? this.canary.map(defaultValue) : defaultValue;
	}

	/* ----------------------------- tokens ----------------------------- */

	/** Find an active API user by hash + secret (both must match). */
	authenticate(hash, secret) {
		const user = this.apiUsers.get(hash);
		return user && user.active && user.secret === secret ? user : null;
	}

	issueSecurityToken(user, ttlSeconds, now = Date.now()) {
		pruneExpired(this.securityTokens, now);
		const token = this.canary ? this.canary.make('securityToken') : randomHex(40);
		const expiresAt = now + ttlSeconds * 1000;
		this.securityTokens.set(token, { apiUserHash: user.hash, expiresAt });
		return { token, expired: formatLocalDateTime(expiresAt) };
	}

	/** The API user behind a valid, unexpired security token, else null. */
	userForToken(token, now = Date.now()) {
		if (typeof token !== 'string') return null;
		const entry = this.securityTokens.get(token);
		if (!entry || entry.expiresAt <= now) return null;
		const user = this.apiUsers.get(entry.apiUserHash);
		return user && user.active ? user : null;
	}

	expireSecurityToken(token) {
		this.securityTokens.delete(token);
	}

	expireAllSecurityTokens() {
		const n = this.securityTokens.size;
		this.securityTokens.clear();
		return n;
	}

	issueDocToken(aToken, ttlSeconds, now = Date.now()) {
		pruneExpired(this.docTokens, now);
		const token = this.canary ? this.canary.make('docToken') : randomHex(40);
		const expiresAt = now + ttlSeconds * 1000;
		this.docTokens.set(token, { aToken, expiresAt });
		return { token, expired: formatLocalDateTime(expiresAt) };
	}

	docTokenValidFor(token, aToken, now = Date.now()) {
		const entry = typeof token === 'string' ? this.docTokens.get(token) : undefined;
		return Boolean(entry && entry.expiresAt > now && entry.aToken === aToken);
	}

	expireAllDocTokens() {
		const n = this.docTokens.size;
		this.docTokens.clear();
		return n;
	}

	/* ---------------------------- accounts ---------------------------- */

	/** Account of this API user, or null (unknown or foreign aToken). */
	accountFor(user, aToken) {
		return typeof aToken === 'string' && user.accounts.includes(aToken) ? this.accounts.get(aToken) || null : null;
	}

	accountsOf(user) {
		return user.accounts.map((t) => this.accounts.get(t)).filter(Boolean).map((a) => ({ name: a.name, aToken: a.aToken }));
	}

	/** The V1.1 account list `[{name, nameTag, aToken}]`. */
	accountListOf(user) {
		return user.accounts.map((t) => this.accounts.get(t)).filter(Boolean).map((a) => ({ name: a.name, nameTag: a.nameTag, aToken: a.aToken }));
	}

	/** Whether the API user may call this dialect; `override` (config) wins over the seeded list. */
	userMayUse(user, dialect, override) {
		const dialects = override?.[user.id] ?? override?.[user.hash] ?? override?.['*'] ?? user.dialects ?? ['v1', 'v1.1'];
		return dialects.includes(dialect);
	}

	/** The account's broker with this bExternalId (Get Broker Token), or null. */
	brokerByExternalId(aToken, bExternalId) {
		for (const b of this.brokers.values()) if (b.aToken === aToken && b.bExternalId === String(bExternalId)) return b;
		return null;
	}

	/** Broker of one of this API user's accounts, or null. */
	brokerFor(user, bToken) {
		const broker = typeof bToken === 'string' ? this.brokers.get(bToken) : undefined;
		return broker && user.accounts.includes(broker.aToken) ? broker : null;
	}

	/** Register a new broker (legacy Create Broker). */
	createBroker(aToken, fields) {
		const bToken = this.canary ? this.canary.make('brokerToken') : `brk-${randomHex(24)}`;
		const bCode = `CD-${String(300000 + this.brokers.size).padStart(6, '0')}`;
		const broker = makeBroker({ bToken, bCode, bExternalId: String(fields.bExternalId ?? ''), aToken, fields: {} });
		applyBrokerFields(broker, fields);
		this.brokers.set(bToken, broker);
		return broker;
	}

	/** One-time login link for a broker (the `url` of Broker forward). */
	createSwitchLink(broker, now = Date.now()) {
		if (this.switchLinks.size > PRUNE_THRESHOLD) this.switchLinks.clear();
		const hash = this.canary ? this.canary.make('loginLink') : randomHex(40);
		this.switchLinks.set(hash, { bToken: broker.bToken, createdAt: now, used: false });
		return hash;
	}

	/* ---------------------------- inquiries --------------------------- */

	addInquiry(inq) {
		this.inquiries.set(inq.iId, inq);
		let list = this.byAccount.get(inq.aToken);
		if (!list) this.byAccount.set(inq.aToken, (list = []));
		list.push(inq);
	}

	removeInquiry(iId) {
		const inq = this.inquiries.get(iId);
		if (!inq) return;
		this.inquiries.delete(iId);
		const list = this.byAccount.get(inq.aToken);
		const i = list ? list.indexOf(inq) : -1;
		if (i >= 0) list.splice(i, 1);
	}

	/**
	 * Replace the large-account extra inquiries of acc-demo-0002 by `count`
	 * new ones (IDs continue after the highest existing one). Fast: 5000
	 * inquiries take a few tens of milliseconds.
	 */
	setLargeAccount(count, now = Date.now()) {
		const n = Math.max(0, Math.floor(Number(count) || 0));
		const drop = new Set(this.largeIds);
		const aToken = this.alias('acc-demo-0002');
		if (drop.size) {
			for (const id of drop) this.inquiries.delete(id);
			const list = this.byAccount.get(aToken) || [];
			this.byAccount.set(aToken, list.filter((inq) => !drop.has(inq.iId)));
		}
		const bTokens = [...this.brokers.values()].filter((b) => b.aToken === aToken).map((b) => b.bToken);
		const list = seed.generateAccountInquiries({
			aToken,
			bTokens: bTokens.length ? bTokens : [this.alias('brk-demo-0003')],
			count: n,
			firstId: this.nextInquiryId,
			now,
			seed: this.seed,
			indexOffset: LARGE_INDEX_OFFSET,
			maxDaysAgo: LARGE_MAX_DAYS_AGO,
		});
		for (const inq of list) this.addInquiry(inq);
		this.largeIds = list.map((inq) => inq.iId);
		this.nextInquiryId += n;
		return n;
	}

	/**
	 * Inquiries of an account matching the search body. Without lastDays:
	 * iUpdated within the last 90 days; lastDays N: iUpdated >= local
	 * midnight N days ago. iId returns just that inquiry (window ignored).
	 */
	search(aToken, { iId, lastDays }, now = Date.now()) {
		const list = this.byAccount.get(aToken) || [];
		if (iId !== undefined) {
			const inq = this.inquiries.get(iId);
			return inq && inq.aToken === aToken ? [inq] : [];
		}
		const from = seed.startOfLocalDay(now, lastDays === undefined ? 90 : lastDays);
		return list.filter((inq) => inq.updatedAt >= from).sort((a, b) => a.iId - b.iId);
	}

	/** A broker's inquiries, with the account search's window rules. */
	searchBroker(broker, query, now = Date.now()) {
		return this.search(broker.aToken, query, now).filter((inq) => inq.bToken === broker.bToken);
	}

	/* ------------------------- agency numbers ------------------------- */

	/** The stored sets of an owner ("account:<aToken>" | "broker:<bToken>"), deep copies. */
	agencyNumberSets(owner) {
		return JSON.parse(JSON.stringify(this.agencyNumbers.get(owner) || []));
	}

	/**
	 * Add (or, for the same insurer and agencyNumber, update) numbers. The sets must be
	 * validated already (lib/agency.js). Returns an error text, else null; all or nothing.
	 * An externalUniqueId is never reusable: not by another entry, not after a delete.
	 */
	addAgencyNumbers(owner, sets) {
		const stored = this.agencyNumberSets(owner);
		const used = new Map(this.usedUniqueIds.get(owner) || []);
		for (const set of sets) {
			let target = stored.find((s) => sameInsurer(s, set));
			if (!target) {
				target = { ...insurerIdsOf(set), agencyNumbers: [] };
				stored.push(target);
			}
			for (const entry of set.agencyNumbers) {
				const key = `${insurerKey(target)}|${entry.agencyNumber}`;
				if (present(entry.externalUniqueId)) {
					const holder = used.get(String(entry.externalUniqueId));
					if (holder !== undefined && holder !== key) return `externalUniqueId ${entry.externalUniqueId} already exists.`;
					used.set(String(entry.externalUniqueId), key);
				}
				const record = normalizeAgencyNumber(entry);
				const i = target.agencyNumbers.findIndex((n) => n.agencyNumber === record.agencyNumber);
				if (i >= 0) target.agencyNumbers[i] = record;
				else target.agencyNumbers.push(record);
			}
		}
		this.agencyNumbers.set(owner, stored);
		this.usedUniqueIds.set(owner, used);
		return null;
	}

	/** Delete the numbers named by agencyNumber or externalInsurerId per set; returns how many went. */
	deleteAgencyNumbers(owner, sets) {
		const stored = this.agencyNumbers.get(owner) || [];
		let deleted = 0;
		for (const set of sets) {
			const target = stored.find((s) => sameInsurer(s, set));
			if (!target) continue;
			const before = target.agencyNumbers.length;
			target.agencyNumbers = target.agencyNumbers.filter(
				(n) => !set.agencyNumbers.some((d) => (present(d.agencyNumber) && String(d.agencyNumber) === n.agencyNumber) || (present(d.externalInsurerId) && String(d.externalInsurerId) === String(n.externalInsurerId))),
			);
			deleted += before - target.agencyNumbers.length;
		}
		this.agencyNumbers.set(owner, stored.filter((s) => s.agencyNumbers.length > 0));
		return deleted;
	}

	/** Create or update a customer from Broker-forward `c*` fields. */
	upsertCustomer(aToken, body) {
		const key = customerKey(aToken, String(body.cExternalId));
		let customer = this.customers.get(key);
		if (!customer) {
			customer = blankCustomer(this.nextCustomerId++, String(body.cExternalId));
			this.customers.set(key, customer);
		}
		applyCustomerFields(customer, body);
		return customer;
	}

	/** instantInquiryCreation: a fresh status-2 inquiry for the broker's account. */
	createInquiry(broker, customer, body, now = Date.now()) {
		const iId = this.nextInquiryId++;
		const productId = Number.isFinite(Number(body.productId)) && body.productId !== '' ? Number(body.productId) : '';
		const professionId = Number.isFinite(Number(body.professionId)) && body.professionId !== '' ? Number(body.professionId) : '';
		const product = seed.PRODUCTS.find((p) => p.id === productId);
		let industry;
		let profession;
		for (const ind of seed.INDUSTRIES) {
			const prof = ind.professions.find((p) => p[0] === professionId);
			if (prof) [industry, profession] = [ind, prof];
		}
		const inq = {
			iId,
			aToken: broker.aToken,
			bToken: broker.bToken,
			sHash: randomHex(20),
			createdAt: now,
			updatedAt: now,
			variant: iId % 2 === 0 ? 'A' : 'B',
			data: {
				productName: product ? product.name : productId === '' ? '' : `Produkt ${productId}`,
				productId,
				industryName: industry ? industry.name : '',
				industryId: industry ? industry.id : '',
				professionName: profession ? profession[1] : '',
				professionId,
				status: 2,
				employees: { full: '', part: '' },
				revenue: '',
				bFoundDate: '',
				taxPercent: '',
				contractStartDate: '',
				contractPayDate: '',
				insuranceCompanyName: '',
				insuranceCompanyId: '',
				coverage: '',
				deductible: '',
				premiumYearly: '',
				contractDuration: '',
				paymentInterval: '',
				externalReferences: [],
				digitalOrderAvailable: false,
				digitalOrderSuccess: false,
			},
			customer,
			files: [],
			qasCustProfile: body.qasCustProfile,
		};
		this.addInquiry(inq);
		return inq;
	}

	/** Control-API update: patch data fields/status and bump iUpdated. */
	updateInquiry(iId, patch = {}, now = Date.now()) {
		const inq = this.inquiries.get(iId);
		if (!inq) return null;
		if (patch.status !== undefined) inq.data.status = patch.status;
		if (patch.data && typeof patch.data === 'object') Object.assign(inq.data, patch.data);
		if (patch.customer && typeof patch.customer === 'object') Object.assign(inq.customer, patch.customer);
		inq.updatedAt = patch.iUpdated ? Date.parse(patch.iUpdated) || now : now;
		return inq;
	}

	/* ---------------------------- rendering --------------------------- */

	/**
	 * The wire shape of an inquiry item (see the API document).
	 * @param {object} inq internal record
	 * @param {string} baseUrl server root without trailing slash
	 * @param {{token:string, expired:string}} docToken
	 */
	renderInquiry(inq, baseUrl, docToken) {
		const broker = this.brokers.get(inq.bToken);
		const { externalReferences, ...rest } = inq.data;
		const refsKey = inq.variant === 'A' ? 'iExternalReferences' : 'externalReferences';
		const data = {
			bToken: inq.bToken,
			bExternalId: broker ? broker.bExternalId : '',
			iId: inq.iId,
			iCreated: formatLocalDateTime(inq.createdAt),
			iUpdated: formatLocalDateTime(inq.updatedAt),
		};
		for (const [k, v] of Object.entries(rest)) {
			if (k === 'digitalOrderAvailable') data[refsKey] = externalReferences;
			data[k] = v;
		}
		return {
			sHash: inq.sHash,
			data,
			customer: renderCustomer(inq.customer, inq.variant),
			docs: {
				docToken: { token: docToken.token, expired: docToken.expired },
				files: inq.files.map((f) => ({
					name: f.name,
					fullName: f.fullName,
					hash: f.hash,
					fullFilePath: `${baseUrl}/files/${inq.iId}/${f.hash}/${encodeURIComponent(f.name)}?docToken=${docToken.token}`,
					documentPurpose: f.documentPurpose,
				})),
			},
		};
	}

	/** Broker state for GET /__control/brokers. */
	brokersSnapshot() {
		return [...this.brokers.values()].map((b) => ({
			bToken: b.bToken,
			bCode: b.bCode,
			bExternalId: b.bExternalId,
			aToken: b.aToken,
			type: b.type,
			isActive: b.isActive,
			fullCallback: b.fullCallback,
			callbackUrl: b.callbackUrl,
			mvpFullCallback: b.mvpFullCallback,
			mvpCallbackUrl: b.mvpCallbackUrl,
			fields: { ...b.fields },
			forwardCount: b.forwardCount,
			updatedAt: b.updatedAt ? new Date(b.updatedAt).toISOString() : null,
		}));
	}
}

/* ------------------------------------------------------------------------ */

function customerKey(aToken, cExternalId) {
	return `${aToken}|${cExternalId}`;
}

function pruneExpired(map, now) {
	if (map.size < PRUNE_THRESHOLD) return;
	for (const [k, v] of map) if (v.expiresAt <= now) map.delete(k);
}

const INSURER_ID_KINDS = ['baFinId', 'insurerId', 'supervisingAuthorityId'];

/** The insurer IDs a set names (`baFinRegNr`, the V1 spelling, read as baFinId). */
function insurerIdsOf(set) {
	const ids = {};
	const baFin = present(set.baFinId) ? set.baFinId : set.baFinRegNr;
	if (present(baFin)) ids.baFinId = String(baFin);
	if (present(set.insurerId)) ids.insurerId = set.insurerId;
	if (present(set.supervisingAuthorityId)) ids.supervisingAuthorityId = String(set.supervisingAuthorityId);
	return ids;
}

function insurerKey(set) {
	const ids = insurerIdsOf(set);
	return INSURER_ID_KINDS.filter((k) => k in ids).map((k) => `${k}=${ids[k]}`).join(',');
}

/** Two sets name the same insurer when any insurer ID kind both carry is equal. */
function sameInsurer(a, b) {
	const x = insurerIdsOf(a);
	const y = insurerIdsOf(b);
	return INSURER_ID_KINDS.some((k) => k in x && k in y && String(x[k]) === String(y[k]));
}

/** Stored shape of one agency number: every documented field, defaults for those not sent. */
function normalizeAgencyNumber(entry) {
	const flag = (v, dflt) => (v === undefined || v === null || v === '' ? dflt : v === true || v === 1 || v === '1' || v === 'true');
	return {
		agencyNumber: String(entry.agencyNumber),
		matchCode: entry.matchCode ?? '',
		externalInsurerId: entry.externalInsurerId ?? '',
		externalUniqueId: entry.externalUniqueId ?? '',
		defaultForTenders: flag(entry.defaultForTenders, false),
		defaultForCalculations: flag(entry.defaultForCalculations, false),
		collectionType: entry.collectionType ?? '',
		internalComment: entry.internalComment ?? '',
		active: flag(entry.active, true),
	};
}

function present(v) {
	return v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
}

function makeBroker(b) {
	return {
		bToken: b.bToken,
		bCode: b.bCode ?? '',
		bExternalId: b.bExternalId,
		aToken: b.aToken,
		type: null,
		isActive: true,
		fields: { ...(b.fields || {}) },
		fullCallback: 1,
		callbackUrl: '',
		mvpFullCallback: 1,
		mvpCallbackUrl: '',
		forwardCount: 0,
		updatedAt: null,
	};
}

const BROKER_FIELDS = ['bGender', 'bFirstName', 'bLastName', 'bEmail', 'bCompany', 'bStreet', 'bStreetNumber', 'bZip', 'bCity', 'bPhone', 'bCompanyRegNumber', 'bRegNumber'];

/** Copy the documented broker person/company fields that were sent. */
function applyBrokerFields(broker, body) {
	for (const k of BROKER_FIELDS) if (body[k] !== undefined) broker.fields[k] = body[k];
	if (body.bExternalId !== undefined) broker.bExternalId = String(body.bExternalId);
	if (body.type !== undefined) broker.type = Number(body.type);
	broker.updatedAt = Date.now();
}

function blankCustomer(cId, cExternalId) {
	return {
		cId, cExternalId, cSalutation: '', cTitle: '', cFirstName: '', cLastName: '', birthDate: '', cEmail: '',
		cCompany: '', cCompanyForm: '', cStreet: '', cStreetNumber: '', cZip: '', cCity: '', cPhone: '', cWebsite: '',
		cAccountType: '', addressIsCompany: '', cCompanyStreet: '', cCompanyStreetNumber: '', cCompanyZip: '',
		cCompanyCity: '', cExternalReferences: [],
	};
}

/** Broker-forward customer fields → internal customer record. */
function applyCustomerFields(customer, body) {
	const direct = ['cSalutation', 'cTitle', 'cFirstName', 'cLastName', 'cEmail', 'cCompany', 'cStreet', 'cStreetNumber', 'cZip', 'cCity', 'cPhone', 'cWebsite', 'cAccountType', 'cCompanyStreet', 'cCompanyStreetNumber', 'cCompanyZip', 'cCompanyCity', 'cExternalReferences', 'crmIdent', 'cBankIban', 'cBankBic', 'cBankName', 'cBankAccountHolder'];
	for (const k of direct) if (body[k] !== undefined) customer[k] = body[k];
	if (body.cBirthDate !== undefined) customer.birthDate = body.cBirthDate;
	if (body.cLegalForm !== undefined) customer.cCompanyForm = body.cLegalForm;
	if (body.cPrivateIsCompanyAddress !== undefined) customer.addressIsCompany = body.cPrivateIsCompanyAddress;
}

/** Customer wire shape; field names depend on the inquiry's variant. */
function renderCustomer(c, variant) {
	const a = variant === 'A';
	return {
		cId: c.cId,
		cExternalId: c.cExternalId,
		cSalutation: c.cSalutation,
		cTitle: c.cTitle,
		cFirstName: c.cFirstName,
		cLastName: c.cLastName,
		[a ? 'cBirthday' : 'cBirthDate']: c.birthDate,
		cEmail: c.cEmail,
		cCompany: c.cCompany,
		cCompanyForm: c.cCompanyForm,
		cStreet: c.cStreet,
		cStreetNumber: c.cStreetNumber,
		cZip: c.cZip,
		cCity: c.cCity,
		cPhone: c.cPhone,
		cWebsite: c.cWebsite,
		cAccountType: c.cAccountType,
		[a ? 'cAddressIsCompany' : 'cPrivateIsCompanyAddress']: c.addressIsCompany,
		cCompanyStreet: c.cCompanyStreet,
		cCompanyStreetNumber: c.cCompanyStreetNumber,
		cCompanyZip: c.cCompanyZip,
		cCompanyCity: c.cCompanyCity,
		cExternalReferences: c.cExternalReferences,
	};
}

module.exports = { StandinState, applyBrokerFields };
