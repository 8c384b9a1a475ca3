/**
 * The option lists of Broker Forward's Profession and Product (typeVersion 1.1). The stored
 * value is the number the API takes, so a number typed or mapped as an expression works too.
 */
import { NodeApiError, NodeOperationError, type ILoadOptionsFunctions, type INodePropertyOptions } from 'n8n-workflow';

import { listProducts, listProfessions } from '../../shared/domain/catalogue';
import type { CatalogueEntry } from '../../shared/domain/responses';

function asOptions(entries: CatalogueEntry[]): INodePropertyOptions[] {
	return entries
		.filter((entry): entry is CatalogueEntry & { id: number } => typeof entry.id === 'number')
		.map((entry) => ({ name: `${entry.name ?? 'Unnamed'} (${entry.id})`, value: entry.id }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

/** The profession chosen in the same Inquiry Fields, if it is a fixed number (not an expression). */
function chosenProfession(ctx: ILoadOptionsFunctions): number | undefined {
	const value: unknown = ctx.getCurrentNodeParameter('inquiryFields.professionId');
	const id = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
	return typeof id === 'number' && Number.isInteger(id) && id > 0 ? id : undefined;
}

function listError(ctx: ILoadOptionsFunctions, error: unknown): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(ctx.getNode(), error as Error);
}

export async function getProfessions(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	try {
		return asOptions(await listProfessions.call(this));
	} catch (error) {
		throw listError(this, error);
	}
}

/** Products of the chosen profession; all products while none (or an expression) is chosen. */
export async function getProducts(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	try {
		return asOptions(await listProducts.call(this, chosenProfession(this)));
	} catch (error) {
		throw listError(this, error);
	}
}
