/**
 * A credentials helper for in-process engine tests that runs the REAL credential class.
 *
 * It stands in for n8n's CLI `CredentialsHelper` plus its database:
 * - `getDecrypted` returns the stored data with the defaults of the credential's fields
 *   filled in (what the n8n UI saves);
 * - `preAuthentication` follows n8n's CLI logic: find the hidden `expirable` field; if it is
 *   empty or `credentialsExpired` is set, call the credential's own `preAuthentication`,
 *   persist the output into the stored data (as n8n writes it to its database, so the next
 *   `getDecrypted` sees the token) and return `Object.assign(credentials, output)`;
 * - `authenticate` calls the credential's own `authenticate` function.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { ICredentialsHelper } from 'n8n-workflow';

export interface PreAuthenticationCall {
	credentialsExpired: boolean;
	/** Whether the credential's preAuthentication really ran (token empty or expired). */
	ran: boolean;
	nodeName: string;
}

export class TestCredentialsHelper extends ICredentialsHelper {
	/** Stored ("database") data per credential type. */
	private readonly stored = new Map<string, ICredentialDataDecryptedObject>();

	/** Every preAuthentication request n8n-core made, and whether the credential's hook ran. */
	readonly preAuthenticationCalls: PreAuthenticationCall[] = [];

	/** Every persisted update, newest last. */
	readonly updates: ICredentialDataDecryptedObject[] = [];

	constructor(private readonly credentialTypes: Record<string, ICredentialType>) {
		super();
	}

	/** How often the credential's own preAuthentication (the token request) ran. */
	get preAuthenticationRuns(): number {
		return this.preAuthenticationCalls.filter((call) => call.ran).length;
	}

	setCredentials(type: string, data: ICredentialDataDecryptedObject): void {
		this.stored.set(type, { ...this.withDefaults(type, data) });
	}

	/** What n8n's database holds for this credential right now. */
	storedData(type: string): ICredentialDataDecryptedObject | undefined {
		const data = this.stored.get(type);
		return data ? { ...data } : undefined;
	}

	private credentialType(type: string): ICredentialType {
		const credentialType = this.credentialTypes[type];
		if (!credentialType) throw new Error(`Test credentials helper: unknown credential type "${type}"`);
		return credentialType;
	}

	private withDefaults(type: string, data: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject {
		const result: ICredentialDataDecryptedObject = {};
		for (const property of this.credentialType(type).properties) {
			if (property.type === 'notice') continue;
			result[property.name] = property.default as ICredentialDataDecryptedObject[string];
		}
		return { ...result, ...data };
	}

	getParentTypes(_name: string): string[] {
		return [];
	}

	isCredentialUsableByNode(_credentialType: string, _nodeType: string): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		const credentialType = this.credentialType(typeName);
		if (typeof credentialType.authenticate === 'function') {
			return await credentialType.authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (credentialType.authenticate) {
			throw new Error('Test credentials helper: declarative authenticate is not supported');
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialType(typeName);
		const expirableProperty = credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		const call: PreAuthenticationCall = { credentialsExpired, ran: false, nodeName: node.name };
		this.preAuthenticationCalls.push(call);
		if (expirableProperty?.name === undefined) return undefined;
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		if (credentials[expirableProperty.name] !== '' && !credentialsExpired) return undefined;

		call.ran = true;
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		if (output[expirableProperty.name] === undefined) return undefined;
		if (!node.credentials) return undefined;

		const nodeCredentials = node.credentials[credentialType.name];
		const storedData = this.stored.get(typeName) ?? {};
		await this.updateCredentials(nodeCredentials, typeName, { ...storedData, ...(output as ICredentialDataDecryptedObject) });
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.credentialType(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		return (await credentialType.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const data = this.stored.get(type) ?? {};
		return {
			id: nodeCredentials.id ?? undefined,
			name: nodeCredentials.name,
			type,
			data: undefined,
			getData: () => ({ ...data }),
			getDataToSave: () => ({ id: nodeCredentials.id ?? undefined, name: nodeCredentials.name, type, data: '' }),
			setData: (newData: ICredentialDataDecryptedObject) => this.stored.set(type, { ...newData }),
		} as unknown as ICredentials;
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.stored.get(type);
		if (!data) throw new Error(`Test credentials helper: no credential of type "${type}" was set`);
		// A fresh copy each time, like a decrypt from the database.
		return JSON.parse(JSON.stringify(data)) as ICredentialDataDecryptedObject;
	}

	async updateCredentials(
		_nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.stored.set(type, { ...data });
		this.updates.push({ ...data });
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		await this.updateCredentials(nodeCredentials, type, data);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialType(type).properties;
	}
}
