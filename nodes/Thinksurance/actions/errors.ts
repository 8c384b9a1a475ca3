import { NodeApiError, type IExecuteFunctions, type JsonObject } from 'n8n-workflow';

/** Thinksurance answered, without error, but not with what the operation needs. */
export function unexpectedAnswer(
	ctx: IExecuteFunctions,
	operation: string,
	expected: string,
	itemIndex: number,
	isWrite = false,
): NodeApiError {
	const message = `Thinksurance answered ${operation} without ${expected}.${
		isWrite ? ' The change may have been applied: check in Thinksurance before running this item again.' : ''
	}`;
	const description = 'The API answer had an unexpected shape. Check the environment / base URL of the credential.';
	return new NodeApiError(ctx.getNode(), { message, description } as JsonObject, { message, description, itemIndex });
}
