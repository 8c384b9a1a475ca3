import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** What an operation returns for one input item; the router adds pairedItem. */
export interface OperationResult {
	json: IDataObject;
	binary?: IBinaryKeyData;
}

export interface OperationModule {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<OperationResult[]>;
}

export type ThinksuranceMap = {
	broker: 'forward' | 'create' | 'getToken';
	account: 'getTokens';
	inquiry: 'search' | 'get';
	document: 'download';
	product: 'getAll';
	profession: 'getAll';
	agencyNumber: 'create' | 'getAll' | 'delete';
};

export type ThinksuranceResource = keyof ThinksuranceMap;
