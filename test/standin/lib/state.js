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

	/** Broker of one of this API user's accounts, or null. */
	brokerFor(user, bToken) {
		const broker = typeof bToken === 'string' ? this.brokers.get(bToken) : undefined;
		return broker && user.accounts.includes(broker.aToken) ? broker : null;
	}

	/** Register a new broker (legacy Create Broker). */
	createBroker(aToken, fields) {
		const bToken = this.canary ? this.canary.make('brokerToken') : `brk-${randomHex(24)}`;
		const broker = makeBroker({ bToken, bExternalId: String(fields.bExternalId ?? ''), aToken, fields: {} });
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

function makeBroker(b) {
	return {
		bToken: b.bToken,
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
