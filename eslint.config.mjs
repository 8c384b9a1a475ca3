import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', '.n8n-local/**', 'scripts/**', '*.js', '*.mjs'] },
	...tseslint.configs.recommended,
	n8nCommunityNodesPlugin.configs.recommended,
	{
		files: ['**/*.ts'],
		rules: {
			'@typescript-eslint/no-explicit-any': 'error',
			'@n8n/community-nodes/icon-prefer-themed-variants': 'error',
		},
	},
];
