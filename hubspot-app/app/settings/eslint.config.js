// `hs project lint` and `npm run lint` in this folder: HubSpot's UI extension rules (no HTML
// elements, no native fetch, no DOM, no imports from outside this folder) over TypeScript React.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { config as uiExtensionsConfig } from '@hubspot/eslint-config-ui-extensions';

export default tseslint.config(
  { ignores: ['node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...uiExtensionsConfig,
  reactHooks.configs.flat['recommended-latest'],
  { rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }] } },
);
