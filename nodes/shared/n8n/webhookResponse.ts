/**
 * Leans on n8n-workflow 2.x's transitional webhook helpers (`webhookDescriptionFields`,
 * `fromFunction`; checked on n8n 2.40.7 (n8n-workflow 2.40.1) with test/n8n, in process on
 * n8n-workflow 2.41.0, whose helpers are the same code): a 204 declared with them is
 * resolved natively, without an expression sandbox per delivery. n8n 1.x (1.123.81) lacks them
 * and evaluates the expression instead. test/unit/nodes/shared/n8n/webhookResponse.test.ts fails
 * when the installed n8n-workflow drops or changes them.
 */
import { fromFunction, webhookDescriptionFields, type IWebhookDescription } from 'n8n-workflow';

/**
 * The webhook description fields that make n8n answer accepted deliveries with 204. The function
 * is also n8n's expression template (its source text), so it must not close over anything.
 */
export function responseCode204(): Pick<IWebhookDescription, 'responseCode'> {
	if (typeof webhookDescriptionFields !== 'function' || typeof fromFunction !== 'function') return { responseCode: '={{204}}' };
	return webhookDescriptionFields({ responseCode: fromFunction(() => 204) });
}
