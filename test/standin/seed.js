'use strict';
/**
 * Deterministic seed data for the Thinksurance stand-in.
 *
 * Everything here is derived from a small seeded PRNG (mulberry32) so two
 * runs with the same options produce the same API users, accounts, brokers,
 * inquiries and documents. Dates are relative to the `now` passed in (the
 * server start time), so `lastDays` filtering is observable in every run.
 *
 * Inquiries are generated per inquiry ID (the PRNG is seeded from the ID), so
 * a single inquiry can be (re)built on its own, e.g. for the large account.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const FIRST_INQUIRY_ID = 1878880;
const DEFAULT_SEED = 20250325;

/* ------------------------------------------------------------------------ */
/* Fixed identities (other code and tests depend on these exact values)     */
/* ------------------------------------------------------------------------ */

/**
 * `id` names a user in control settings (it survives canary mode, the hash does not);
 * `dialects` are the request dialects the user may call (thinksurance-api.md, *Versions*).
 */
const API_USERS = [
	{
		id: 'demo',
		hash: 'demo-api-user-hash-0001',
		secret: 'demo-api-user-secret-0001',
		active: true,
		dialects: ['v1', 'v1.1'],
		accounts: ['acc-demo-0001', 'acc-demo-0002'],
	},
	{
		id: 'single',
		hash: 'single-account-hash',
		secret: 'single-account-secret',
		active: true,
		dialects: ['v1', 'v1.1'],
		accounts: ['acc-single-0001'],
	},
	// Same accounts as the demo user, one dialect each: the credential test's "use the other dialect".
	{
		id: 'v1-only',
		hash: 'v1-only-api-user-hash',
		secret: 'v1-only-api-user-secret',
		active: true,
		dialects: ['v1'],
		accounts: ['acc-demo-0001', 'acc-demo-0002'],
	},
	{
		id: 'v11-only',
		hash: 'v11-only-api-user-hash',
		secret: 'v11-only-api-user-secret',
		active: true,
		dialects: ['v1.1'],
		accounts: ['acc-demo-0001', 'acc-demo-0002'],
	},
];

/** `nameTag`: the account's permanent tag (V1.1 account list, V2 `accountReference`). */
const ACCOUNTS = [
	{ name: 'Demo Maklerbüro GmbH', nameTag: 'demopool', aToken: 'acc-demo-0001' },
	{ name: 'Zweitbüro Hamburg', nameTag: 'zweitbuero-hh', aToken: 'acc-demo-0002' },
	{ name: 'Einzelbüro Köln', nameTag: 'einzelbuero-koeln', aToken: 'acc-single-0001' },
];

/** Seeded brokers. brk-demo-0003 exists so acc-demo-0002 can own inquiries. */
/** `bCode`: the broker's code for the vendor's "Consult Direct" app (V1 Get Broker Token answers it). */
const BROKERS = [
	{
		bToken: 'brk-demo-0001',
		bCode: 'CD-100001',
		bExternalId: 'CRM-B-1',
		aToken: 'acc-demo-0001',
		fields: { bGender: 2, bFirstName: 'Anna', bLastName: 'Schneider', bEmail: 'anna.schneider@demo-makler.de', bCompany: 'Demo Maklerbüro GmbH' },
	},
	{
		bToken: 'brk-demo-0002',
		bCode: 'CD-100002',
		bExternalId: 'CRM-B-2',
		aToken: 'acc-demo-0001',
		fields: { bGender: 1, bFirstName: 'Jonas', bLastName: 'Weber', bEmail: 'jonas.weber@demo-makler.de', bCompany: 'Demo Maklerbüro GmbH' },
	},
	{
		bToken: 'brk-demo-0003',
		bCode: 'CD-100003',
		bExternalId: 'CRM-B-3',
		aToken: 'acc-demo-0002',
		fields: { bGender: 2, bFirstName: 'Lena', bLastName: 'Hoffmann', bEmail: 'lena.hoffmann@zweitbuero-hamburg.de', bCompany: 'Zweitbüro Hamburg' },
	},
	{
		bToken: 'brk-single-0001',
		bCode: 'CD-200001',
		bExternalId: 'CRM-S-1',
		aToken: 'acc-single-0001',
		fields: { bGender: 1, bFirstName: 'Murat', bLastName: 'Yilmaz', bEmail: 'murat.yilmaz@einzelbuero-koeln.de', bCompany: 'Einzelbüro Köln' },
	},
];

/** How many seeded inquiries the accounts other than acc-demo-0001 get. */
const SMALL_ACCOUNT_INQUIRIES = { 'acc-demo-0002': 6, 'acc-single-0001': 4 };

/* ------------------------------------------------------------------------ */
/* Catalogues (realistic German values)                                     */
/* ------------------------------------------------------------------------ */

const PRODUCTS = [
	{ id: 101, name: 'Betriebshaftpflicht' },
	{ id: 102, name: 'Berufshaftpflicht' },
	{ id: 103, name: 'Inhaltsversicherung' },
	{ id: 104, name: 'Cyberversicherung' },
	{ id: 105, name: 'Firmenrechtsschutz' },
	{ id: 106, name: 'Vermögensschadenhaftpflicht' },
	{ id: 107, name: 'D&O-Versicherung' },
	{ id: 108, name: 'Elektronikversicherung' },
	{ id: 109, name: 'Gebäudeversicherung' },
];

/**
 * Products / professions lists (Get Products, Get Professions). The first nine products are
 * PRODUCTS above (the inquiries use those; that list stays as is so the seed does not change).
 * `professionIds`: the professions a product is offered for (`?professionId=` narrows to them).
 */
const HANDWERK = [1001, 1002, 1003, 1004];
const IT = [2001, 2002, 2003];
const GASTRO = [3001, 3002, 3003];
const HEALTH = [4001, 4002, 4003];
const TRADE = [5001, 5002, 5003];
const REALTY = [6001, 6002];
const ALL_PROFESSIONS = [...HANDWERK, ...IT, ...GASTRO, ...HEALTH, ...TRADE, ...REALTY];
const CATALOGUE_PRODUCTS = [
	{ id: 101, name: 'Betriebshaftpflicht', professionIds: ALL_PROFESSIONS },
	{ id: 102, name: 'Berufshaftpflicht', professionIds: [...IT, ...HEALTH, ...REALTY] },
	{ id: 103, name: 'Inhaltsversicherung', professionIds: ALL_PROFESSIONS },
	{ id: 104, name: 'Cyberversicherung', professionIds: [...IT, ...HEALTH, ...TRADE, ...REALTY] },
	{ id: 105, name: 'Firmenrechtsschutz', professionIds: ALL_PROFESSIONS },
	{ id: 106, name: 'Vermögensschadenhaftpflicht', professionIds: [...IT, ...REALTY] },
	{ id: 107, name: 'D&O-Versicherung', professionIds: [2001, 2003, 6001] },
	{ id: 108, name: 'Elektronikversicherung', professionIds: [...IT, 4003, 5002] },
	{ id: 109, name: 'Gebäudeversicherung', professionIds: [...GASTRO, ...REALTY] },
	{ id: 110, name: 'Werkverkehrsversicherung', professionIds: HANDWERK },
	{ id: 111, name: 'Maschinenversicherung', professionIds: [...HANDWERK, 3001] },
	{ id: 112, name: 'Bauleistungsversicherung', professionIds: [1001, 1004] },
	{ id: 113, name: 'Betriebsunterbrechungsversicherung', professionIds: [...GASTRO, ...TRADE] },
	{ id: 114, name: 'Praxisversicherung', professionIds: HEALTH },
	{ id: 115, name: 'Veranstaltungshaftpflicht', professionIds: [3003] },
	{ id: 116, name: 'Transportversicherung', professionIds: [5002, 3003] },
	{ id: 117, name: 'Glasversicherung', professionIds: [...GASTRO, ...TRADE] },
	{ id: 118, name: 'Kühlgutversicherung', professionIds: [3001, 3003, 5003] },
	{ id: 119, name: 'Vertrauensschadenversicherung', professionIds: [...IT, ...REALTY] },
	{ id: 120, name: 'Haus- und Grundbesitzerhaftpflicht', professionIds: [6001] },
];

const INDUSTRIES = [
	{ id: 10, name: 'Handwerk', professions: [[1001, 'Elektroinstallateur'], [1002, 'Maler und Lackierer'], [1003, 'Tischler / Schreiner'], [1004, 'Dachdecker']] },
	{ id: 20, name: 'IT & Beratung', professions: [[2001, 'IT-Berater'], [2002, 'Softwareentwickler'], [2003, 'Unternehmensberater']] },
	{ id: 30, name: 'Gastronomie', professions: [[3001, 'Restaurant'], [3002, 'Café'], [3003, 'Catering']] },
	{ id: 40, name: 'Gesundheit', professions: [[4001, 'Physiotherapeut'], [4002, 'Heilpraktiker'], [4003, 'Zahnarztpraxis']] },
	{ id: 50, name: 'Handel', professions: [[5001, 'Einzelhandel Bekleidung'], [5002, 'Online-Handel'], [5003, 'Blumenladen']] },
	{ id: 60, name: 'Immobilien', professions: [[6001, 'Hausverwaltung'], [6002, 'Immobilienmakler']] },
];

const INSURERS = [
	[11, 'Allianz Versicherungs-AG'],
	[12, 'AXA Versicherung AG'],
	[13, 'HDI Versicherung AG'],
	[14, 'R+V Allgemeine Versicherung AG'],
	[15, 'Gothaer Allgemeine Versicherung AG'],
	[16, 'Hiscox SA'],
	[17, 'ERGO Versicherung AG'],
	[18, 'Markel Insurance SE'],
	[19, 'VHV Allgemeine Versicherung AG'],
	[20, 'Die Haftpflichtkasse VVaG'],
];

/**
 * Seeded agency numbers, by owner: `account:<aToken>` or `broker:<bToken>` (default identities;
 * the state maps them to canaries). One set per insurer, each set names one insurer ID kind.
 */
const AGENCY_NUMBERS = {
	'account:acc-demo-0001': [
		{
			baFinId: '5312',
			agencyNumbers: [
				{ agencyNumber: 'ALZ-4711', matchCode: 'Allianz Hauptagentur', externalInsurerId: 'CRM-INS-11', externalUniqueId: 'CRM-AN-1', defaultForTenders: true, defaultForCalculations: true, collectionType: 'insurer_collection', internalComment: '', active: true },
				{ agencyNumber: 'ALZ-4712', matchCode: 'Allianz Gewerbe', externalInsurerId: 'CRM-INS-11', externalUniqueId: 'CRM-AN-2', defaultForTenders: false, defaultForCalculations: false, collectionType: 'mga_collection', internalComment: 'nur Gewerbe', active: true },
			],
		},
		{
			insurerId: 12,
			agencyNumbers: [
				{ agencyNumber: 'AXA-0815', matchCode: 'AXA Makler', externalInsurerId: 'CRM-INS-12', externalUniqueId: 'CRM-AN-3', defaultForTenders: true, defaultForCalculations: false, collectionType: 'insurer_collection', internalComment: '', active: false },
			],
		},
	],
	'account:acc-demo-0002': [
		{
			supervisingAuthorityId: 'D-W-133-TXYZ-21',
			agencyNumbers: [
				{ agencyNumber: 'MGA-77', matchCode: 'Assekuradeur Nord', externalInsurerId: 'CRM-INS-90', externalUniqueId: 'CRM-AN-4', defaultForTenders: true, defaultForCalculations: true, collectionType: 'mga_collection', internalComment: '', active: true },
			],
		},
	],
	'broker:brk-demo-0001': [
		{
			baFinId: '5312',
			agencyNumbers: [
				{ agencyNumber: 'ALZ-9001', matchCode: 'Allianz Schneider', externalInsurerId: 'CRM-INS-11', externalUniqueId: 'CRM-AN-B1', defaultForTenders: true, defaultForCalculations: false, collectionType: 'insurer_collection', internalComment: '', active: true },
			],
		},
	],
};

const FIRST_NAMES = [
	[1, 'Thomas'], [1, 'Michael'], [1, 'Stefan'], [1, 'Andreas'], [1, 'Jürgen'], [1, 'Lukas'], [1, 'Mehmet'], [1, 'Florian'],
	[2, 'Sabine'], [2, 'Julia'], [2, 'Katrin'], [2, 'Monika'], [2, 'Sophie'], [2, 'Ayşe'], [2, 'Claudia'], [2, 'Birgit'],
];
const LAST_NAMES = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Koch', 'Richter', 'Klein', 'Wolf', 'Schröder', 'Neumann', 'Schwarz', 'Zimmermann', 'Braun', 'Krüger', 'Hartmann', 'Lange', 'Öztürk', 'Weiß'];
const CITIES = [
	['10115', 'Berlin', '030'], ['20095', 'Hamburg', '040'], ['80331', 'München', '089'], ['50667', 'Köln', '0221'],
	['60311', 'Frankfurt am Main', '069'], ['70173', 'Stuttgart', '0711'], ['40213', 'Düsseldorf', '0211'], ['04109', 'Leipzig', '0341'],
	['01067', 'Dresden', '0351'], ['30159', 'Hannover', '0511'], ['90402', 'Nürnberg', '0911'], ['28195', 'Bremen', '0421'],
];
const STREETS = ['Hauptstraße', 'Bahnhofstraße', 'Lindenweg', 'Gartenstraße', 'Schillerstraße', 'Goethestraße', 'Am Markt', 'Kirchplatz', 'Industriestraße', 'Mühlenweg', 'Friedrichstraße', 'Königsallee'];
/** cLegalForm / cCompanyForm codes as documented. */
const LEGAL_FORMS = { 1: 'AG', 2: 'e.K.', 3: 'GbR', 4: 'GmbH', 5: 'GmbH & Co. KG', 6: 'KG', 7: 'Ltd.', 8: 'OHG', 9: 'UG (haftungsbeschränkt)', 10: '' };
const COVERAGES = [1000000, 2000000, 3000000, 3000000, 5000000, 5000000, 10000000, 'unbegrenzt'];
const STATUSES = [2, 3, 4, 6, 15, 25];

/* ------------------------------------------------------------------------ */
/* PRNG                                                                     */
/* ------------------------------------------------------------------------ */

/** mulberry32: tiny, fast, good enough for test data. Returns floats in [0,1). */
function mulberry32(seed) {
	let a = seed >>> 0;
	return function next() {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Small helper bundle around a PRNG. */
function makeRng(seed) {
	const next = mulberry32(seed);
	const rng = {
		next,
		int: (min, max) => min + Math.floor(next() * (max - min + 1)),
		pick: (list) => list[Math.floor(next() * list.length)],
		chance: (p) => next() < p,
		hex: (len) => {
			let s = '';
			while (s.length < len) s += Math.floor(next() * 0x100000000).toString(16).padStart(8, '0');
			return s.slice(0, len);
		},
	};
	return rng;
}

/** Combine the global seed and an inquiry ID into a 32-bit PRNG seed. */
function seedFor(globalSeed, id) {
	let h = (globalSeed ^ 0x9e3779b9) >>> 0;
	h = Math.imul(h ^ id, 0x85ebca6b) >>> 0;
	h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
	return (h ^ (h >>> 16)) >>> 0;
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

function pad2(n) {
	return String(n).padStart(2, '0');
}

/** `YYYY-MM-DD` in local time. */
function localDate(ms) {
	const d = new Date(ms);
	return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}`;
}

/** Local midnight of the day `daysBack` days before the day of `ms`. */
function startOfLocalDay(ms, daysBack = 0) {
	const d = new Date(ms);
	d.setHours(0, 0, 0, 0);
	d.setDate(d.getDate() - daysBack);
	return d.getTime();
}

/** ASCII slug for e-mail addresses, websites and file names. */
function slug(text) {
	return text
		.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
		.replace(/Ä/g, 'Ae').replace(/Ö/g, 'Oe').replace(/Ü/g, 'Ue').replace(/ş/g, 's')
		.replace(/[^A-Za-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '');
}

/**
 * Pick iUpdated for the n-th inquiry of an account. The first few are pinned
 * so filters are always observable: today, yesterday, 2 days ago, then one
 * just outside the 90-day default window and one outside 110 days.
 */
function updatedAt(rng, index, now, maxDaysAgo = 119) {
	const todayStart = startOfLocalDay(now);
	switch (index) {
		case 0: return Math.max(todayStart, now - 60 * 1000);
		case 1: return startOfLocalDay(now, 1) + 12 * 3600 * 1000;
		case 2: return startOfLocalDay(now, 2) + 9 * 3600 * 1000;
		case 3: return startOfLocalDay(now, 95) + 15 * 3600 * 1000;
		case 4: return startOfLocalDay(now, 115) + 10 * 3600 * 1000;
		default: {
			const daysAgo = rng.int(0, maxDaysAgo);
			const dayStart = startOfLocalDay(now, daysAgo);
			const dayEnd = daysAgo === 0 ? now : dayStart + DAY_MS - 1;
			return dayStart + Math.floor(rng.next() * Math.max(1, dayEnd - dayStart));
		}
	}
}

/* ------------------------------------------------------------------------ */
/* Customers, inquiries and files                                           */
/* ------------------------------------------------------------------------ */

function makeCustomer(rng, cId, industry, profession) {
	const [salutation, firstName] = rng.pick(FIRST_NAMES);
	const lastName = rng.pick(LAST_NAMES);
	const [zip, city, areaCode] = rng.pick(CITIES);
	const isPrivate = rng.chance(0.12);
	const legalForm = isPrivate ? '' : rng.pick([2, 3, 4, 4, 4, 5, 9, 1, 8]);
	const company = isPrivate ? '' : `${lastName} ${profession[1].split(' ')[0]} ${LEGAL_FORMS[legalForm]}`.trim();
	const domain = company ? `${slug(lastName).toLowerCase()}-${slug(profession[1]).toLowerCase().split('-')[0]}.de` : 'web.de';
	const hasExternal = rng.chance(0.7);
	const birthYear = rng.int(1955, 1999);
	const street = rng.pick(STREETS);
	const streetNumber = String(rng.int(1, 140)) + (rng.chance(0.1) ? 'a' : '');
	const addressIsCompany = isPrivate ? 0 : rng.pick([0, 1]);
	return {
		cId,
		cExternalId: hasExternal ? `CRM-C-${10000 + (cId % 90000)}` : '',
		cSalutation: salutation,
		cTitle: rng.chance(0.15) ? rng.pick([1, 2, 8, 10]) : '',
		cFirstName: firstName,
		cLastName: lastName,
		birthDate: rng.chance(0.8) ? `${birthYear}-${pad2(rng.int(1, 12))}-${pad2(rng.int(1, 28))}` : '',
		cEmail: `${slug(firstName).toLowerCase()}.${slug(lastName).toLowerCase()}@${domain}`,
		cCompany: company,
		cCompanyForm: legalForm,
		cStreet: street,
		cStreetNumber: streetNumber,
		cZip: zip,
		cCity: city,
		cPhone: `+49 ${areaCode.slice(1)} ${rng.int(100000, 9999999)}`,
		cWebsite: company && rng.chance(0.6) ? `https://www.${domain}` : '',
		cAccountType: isPrivate ? 1 : 0,
		addressIsCompany,
		cCompanyStreet: isPrivate ? '' : street,
		cCompanyStreetNumber: isPrivate ? '' : streetNumber,
		cCompanyZip: isPrivate ? '' : zip,
		cCompanyCity: isPrivate ? '' : city,
		cExternalReferences: hasExternal ? [{ origin: 'crm', paramKey: 'customerId', paramValue: `C-${100000 + cId}` }] : [],
	};
}

/** File list: 0–3 documents depending on status; a few pinned for tests. */
function makeFiles(rng, iId, index, status, productName, insurerName) {
	const files = [];
	const add = (name, fullName, documentPurpose, kind = 'pdf') =>
		files.push({ name, fullName, hash: rng.hex(32), documentPurpose, kind });
	const product = slug(productName);
	const wantCount = index === 1 ? 3 : index === 0 ? 2 : index === 2 ? 0 : rng.int(0, 3);
	if (status >= 4 && insurerName) {
		add(`Angebot_${iId}.pdf`, `Angebot ${productName} ${insurerName}.pdf`, 'insurer_docs');
	}
	if (status >= 4) add(`Beratungsprotokoll_${iId}.pdf`, `Beratungsprotokoll ${productName}.pdf`, 'consultationDocument');
	if (status === 6) add(`Antrag_${iId}.pdf`, `Antrag ${productName} ${insurerName}.pdf`, 'orderDocument');
	if (index === 1 || rng.chance(0.05)) add(`Notiz_${iId}.txt`, `Notiz zur Anfrage ${iId}.txt`, 'upload_file', 'txt');
	if (rng.chance(0.3)) add(`Gewerbeanmeldung_${iId}.pdf`, 'Gewerbeanmeldung.pdf', 'upload_file');
	if (files.length < wantCount) add(`AVB_${product}_${iId}.pdf`, `Allgemeine Versicherungsbedingungen ${productName}.pdf`, 'insurer_docs');
	while (files.length < wantCount) add(`Dokument_${iId}_${files.length + 1}.pdf`, `Dokument ${files.length + 1}.pdf`, 'upload_file');
	// Keep the pinned .txt when trimming to the wanted count.
	if (files.length > wantCount) {
		const txt = files.find((f) => f.kind === 'txt');
		files.length = wantCount;
		if (txt && wantCount > 0 && !files.includes(txt)) files[wantCount - 1] = txt;
	}
	return files;
}

/**
 * Build one inquiry record (internal shape; see state.renderInquiry for the
 * wire shape). `index` is the position inside its account (pins some dates).
 */
function generateInquiry({ iId, aToken, bToken, index, now, seed = DEFAULT_SEED, maxDaysAgo = 119 }) {
	const rng = makeRng(seedFor(seed, iId));
	const product = rng.pick(PRODUCTS);
	const industry = rng.pick(INDUSTRIES);
	const profession = rng.pick(industry.professions);
	const status = index < STATUSES.length ? STATUSES[(index + 1) % STATUSES.length] : rng.pick(STATUSES);
	const updated = updatedAt(rng, index, now, maxDaysAgo);
	const created = Math.max(updated - rng.int(0, 20) * DAY_MS - rng.int(0, 36000) * 1000, now - 200 * DAY_MS);
	const calculated = status !== 2 && status !== 3;
	const [insurerId, insurerName] = calculated ? rng.pick(INSURERS) : ['', ''];
	const sparse = rng.chance(0.2); // some items carry "" even for numeric fields
	const coverage = calculated ? rng.pick(COVERAGES) : sparse ? '' : rng.pick(COVERAGES);
	const contracted = status !== 2 && status !== 3 && status !== 4;
	const startMs = startOfLocalDay(updated, -rng.int(1, 60));
	const startDate = new Date(startMs);
	startDate.setDate(1);
	const customer = makeCustomer(rng, 400000 + (iId - FIRST_INQUIRY_ID), industry, profession);
	const foundYear = rng.int(1990, 2023);

	const data = {
		productName: product.name,
		productId: product.id,
		industryName: industry.name,
		industryId: industry.id,
		professionName: profession[1],
		professionId: profession[0],
		status,
		employees: sparse ? { full: '', part: '' } : { full: rng.int(0, 45), part: rng.int(0, 12) },
		revenue: sparse ? '' : rng.int(4, 400) * 10000,
		bFoundDate: sparse ? '' : `${foundYear}-${pad2(rng.int(1, 12))}-01`,
		taxPercent: contracted ? 19 : '',
		contractStartDate: contracted ? localDate(startDate.getTime()) : '',
		contractPayDate: contracted ? localDate(startDate.getTime()) : '',
		insuranceCompanyName: insurerName,
		insuranceCompanyId: insurerId,
		coverage,
		deductible: calculated ? rng.pick([0, 150, 250, 500, 1000]) : '',
		premiumYearly: calculated ? rng.int(9000, 480000) + rng.pick([0, 50, 90, 99]) : '',
		contractDuration: calculated ? rng.pick([1, 1, 3, 5]) : '',
		paymentInterval: calculated ? rng.pick([12, 12, 6, 3, 1]) : '',
		externalReferences: rng.chance(0.6) ? [{ origin: 'crm', paramKey: 'opportunityId', paramValue: `OPP-${iId - 1800000}` }] : [],
		digitalOrderAvailable: calculated && rng.chance(0.7),
		digitalOrderSuccess: status === 6,
	};

	return {
		iId,
		aToken,
		bToken,
		sHash: rng.hex(20),
		createdAt: created,
		updatedAt: updated,
		// Real data mixes field names: variant "A" uses the example names
		// (cBirthday, cAddressIsCompany, iExternalReferences), "B" the
		// documented ones (cBirthDate, cPrivateIsCompanyAddress, externalReferences).
		variant: iId % 2 === 0 ? 'A' : 'B',
		data,
		customer,
		files: makeFiles(rng, iId, index, status, product.name, insurerName),
	};
}

/**
 * Inquiries for one account: `count` records with IDs from `firstId`.
 * `indexOffset` >= 5 skips the pinned dates; `maxDaysAgo` bounds iUpdated.
 */
function generateAccountInquiries({ aToken, bTokens, count, firstId, now, seed, indexOffset = 0, maxDaysAgo = 119 }) {
	const list = new Array(count);
	for (let i = 0; i < count; i++) {
		const iId = firstId + i;
		const bToken = bTokens[(i + indexOffset) % bTokens.length];
		list[i] = generateInquiry({ iId, aToken, bToken, index: i + indexOffset, now, seed, maxDaysAgo });
	}
	return list;
}

/**
 * Full seed. Returns plain data; the server wraps it into its mutable state.
 * options: { inquiries = 40, largeAccount = 0, now = Date.now(), seed }
 */
function buildSeed(options = {}) {
	const now = options.now ?? Date.now();
	const seed = options.seed ?? DEFAULT_SEED;
	const perAccount = {
		'acc-demo-0001': Math.max(0, Math.floor(options.inquiries ?? 40)),
		...SMALL_ACCOUNT_INQUIRIES,
	};
	const inquiries = [];
	let nextId = FIRST_INQUIRY_ID;
	for (const account of ACCOUNTS) {
		const bTokens = BROKERS.filter((b) => b.aToken === account.aToken).map((b) => b.bToken);
		const count = perAccount[account.aToken] || 0;
		inquiries.push(...generateAccountInquiries({ aToken: account.aToken, bTokens, count, firstId: nextId, now, seed }));
		nextId += count;
	}
	return {
		now,
		seed,
		apiUsers: API_USERS.map((u) => ({ ...u, dialects: [...u.dialects], accounts: [...u.accounts] })),
		accounts: ACCOUNTS.map((a) => ({ ...a })),
		brokers: BROKERS.map((b) => ({ ...b, fields: { ...b.fields } })),
		agencyNumbers: JSON.parse(JSON.stringify(AGENCY_NUMBERS)),
		inquiries,
		nextInquiryId: nextId,
	};
}

/* ------------------------------------------------------------------------ */
/* Document contents                                                        */
/* ------------------------------------------------------------------------ */

/** Escape text for a PDF literal string (ASCII only). */
function pdfText(text) {
	return slugKeepSpaces(text).replace(/[\\()]/g, (c) => `\\${c}`);
}

function slugKeepSpaces(text) {
	return text
		.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
		.replace(/Ä/g, 'Ae').replace(/Ö/g, 'Oe').replace(/Ü/g, 'Ue')
		.replace(/[^\x20-\x7e]/g, '?');
}

/** A tiny but valid one-page PDF (correct xref offsets) showing `lines`. */
function buildPdf(lines) {
	const content = ['BT', '/F1 12 Tf', '72 770 Td', '16 TL']
		.concat(lines.map((l) => `(${pdfText(l)}) Tj T*`))
		.concat(['ET'])
		.join('\n');
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	let out = '%PDF-1.4\n';
	const offsets = [];
	objects.forEach((body, i) => {
		offsets.push(Buffer.byteLength(out, 'latin1'));
		out += `${i + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xrefAt = Buffer.byteLength(out, 'latin1');
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

/** Deterministic bytes + content type for a file of an inquiry. */
function fileContent(inquiry, file) {
	const lines = [
		'Thinksurance Stand-in - Testdokument',
		`Anfrage: ${inquiry.iId}`,
		`Produkt: ${inquiry.data.productName}`,
		`Dokument: ${file.fullName}`,
		`Zweck: ${file.documentPurpose}`,
		`Pruefsumme: ${file.hash}`,
	];
	if (file.kind === 'txt') {
		return { contentType: 'text/plain; charset=utf-8', body: Buffer.from(lines.join('\n') + '\n', 'utf8') };
	}
	return { contentType: 'application/pdf', body: buildPdf(lines) };
}

module.exports = {
	API_USERS,
	ACCOUNTS,
	BROKERS,
	PRODUCTS,
	CATALOGUE_PRODUCTS,
	INDUSTRIES,
	AGENCY_NUMBERS,
	INSURERS,
	LEGAL_FORMS,
	STATUSES,
	FIRST_INQUIRY_ID,
	DEFAULT_SEED,
	DAY_MS,
	mulberry32,
	makeRng,
	seedFor,
	startOfLocalDay,
	localDate,
	generateInquiry,
	generateAccountInquiries,
	buildSeed,
	buildPdf,
	fileContent,
};
