/**
 * Runs before every engine test file (jest `setupFiles`): gives n8n-core a private, empty
 * user folder (it writes its encryption key and settings there) and switches off anything
 * that would phone home or read the developer's own n8n set-up.
 */
import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const userFolder = mkdtempSync(join(tmpdir(), 'n8n-thinksurance-engine-'));

process.env.N8N_USER_FOLDER = userFolder;
process.env.N8N_ENCRYPTION_KEY = 'engine-test-encryption-key';
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_PERSONALIZATION_ENABLED = 'false';
process.env.N8N_VERSION_NOTIFICATIONS_ENABLED = 'false';
process.env.N8N_LOG_LEVEL = 'silent';
process.env.N8N_RUNNERS_ENABLED = 'false';
process.env.N8N_BLOCK_ENV_ACCESS_IN_NODE = 'true';
process.env.N8N_DEFAULT_BINARY_DATA_MODE = 'default';
// Proxies of the machine must not divert the requests nock intercepts.
for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy']) {
	delete process.env[name];
}
process.env.NO_PROXY = '*';
