/** Thinksurance's products and professions: the IDs Broker Forward's inquiry fields take. */
import { thinksuranceApiRequest, type ThinksuranceContext } from '../api';
import { parseCatalogue, type CatalogueEntry } from './responses';

interface CallOptions {
	itemIndex?: number;
	timeoutMs?: number;
}

/** Products, narrowed to one profession when `professionId` is given. */
export async function listProducts(this: ThinksuranceContext, professionId: number | undefined, options: CallOptions = {}): Promise<CatalogueEntry[]> {
	return parseCatalogue(await thinksuranceApiRequest.call(this, 'products', { params: { professionId } }, options));
}

export async function listProfessions(this: ThinksuranceContext, options: CallOptions = {}): Promise<CatalogueEntry[]> {
	return parseCatalogue(await thinksuranceApiRequest.call(this, 'professions', {}, options));
}
