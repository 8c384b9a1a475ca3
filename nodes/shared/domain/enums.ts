/** Value lists of the API, with the labels Thinksurance uses. Values are the API's numbers. */
import type { INodePropertyOptions } from 'n8n-workflow';

export const SALUTATIONS: INodePropertyOptions[] = [
	{ name: 'Mr', value: 1 },
	{ name: 'Ms', value: 2 },
];

export const TITLES: INodePropertyOptions[] = [
	'Dr.',
	'Prof.',
	'Prof. Dr.',
	'B.A.',
	'MBA',
	'Ph.D.',
	'Mag.',
	'Dipl.-Ing.',
	'Dipl.-Inf.',
	'Dr. med.',
	'Dr.-Ing.',
	'Dipl.-Psych.',
	'Priv.-doz.',
	'Dr. Dr.',
	'M.A.',
	'Priv.-doz. Dr.',
	'Bachelor',
	'Master',
	'Dipl.-Wirt.-Ing.',
	'Dipl.-Wirt.-Inf.',
	'Dipl.-Betriebswirt',
	'Dr.med.dent',
	'Dr. jur.',
	'Dipl.-Med.',
].map((name, index) => ({ name, value: index + 1 }));

export const LEGAL_FORMS: INodePropertyOptions[] = [
	'AG',
	'Einzelunternehmen',
	'GbR',
	'GmbH',
	'GmbH & Co KG',
	'KG',
	'Ltd.',
	'OHG',
	'UG (haftungsbeschränkt)',
	'Other',
].map((name, index) => ({ name, value: index + 1 }));

export const MAPPING_TYPES: INodePropertyOptions[] = [
	{
		name: 'Known Broker ID (1)',
		value: 1,
		description: 'Thinksurance must already know your ID of this broker',
	},
	{
		name: 'Any Broker ID (2)',
		value: 2,
		description: 'Your ID of the broker need not be known to Thinksurance',
	},
];

export const ACCOUNT_TYPES: INodePropertyOptions[] = [
	{ name: 'Company (0)', value: 0 },
	{ name: 'Private Person (1)', value: 1 },
];

export const PRIVATE_IS_COMPANY_ADDRESS: INodePropertyOptions[] = [
	{ name: 'No – Use the Company Address (0)', value: 0 },
	{ name: 'Yes – Private Address Is the Business Address (1)', value: 1 },
];

/** Inquiry statuses seen in the API; others are kept as numbers. */
export const INQUIRY_STATUSES: INodePropertyOptions[] = [
	{ name: 'Tendering – Lead (2)', value: 2 },
	{ name: 'Tendering (3)', value: 3 },
	{ name: 'Calculated (4)', value: 4 },
	{ name: 'Ordered (6)', value: 6 },
	{ name: 'Proposal Created (15)', value: 15 },
	{ name: 'Status 25 (Undocumented)', value: 25 },
];

export const DOCUMENT_PURPOSES: INodePropertyOptions[] = [
	{ name: 'Consultation Document', value: 'consultationDocument' },
	{ name: 'Insurer Documents', value: 'insurer_docs' },
	{ name: 'Order Document', value: 'orderDocument' },
	{ name: 'Uploaded File', value: 'upload_file' },
];

export function values(options: INodePropertyOptions[]): number[] {
	return options.map((option) => Number(option.value));
}
