// Lint keeps the architecture's boundaries (STYLE.md): flows depend on capabilities, never on
// a vendor's folder; connectors reach the network only through the policy-wrapped HttpClient.
import tseslint from 'typescript-eslint';

const vendorFolders = ['**/connectors/*/**', '!**/connectors/capabilities.js'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'scratch/**', 'data/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['src/flows/**/*.ts', 'src/intake/**/*.ts', 'src/worker/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: vendorFolders, message: 'Flows use connectors only through src/connectors/capabilities.ts.' }],
      }],
    },
  },
  {
    files: ['src/connectors/**/*.ts'],
    ignores: ['src/connectors/**/*.test.ts', 'src/connectors/**/server.ts', 'src/connectors/**/*-routes.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'undici', message: 'Connectors reach the network through deps.http (the target\'s protection policy).' },
          { name: 'pg', message: 'Connectors do not touch crossdock\'s store.' },
          { name: 'node:http', message: 'Connectors reach the network through deps.http.' },
          { name: 'node:https', message: 'Connectors reach the network through deps.http.' },
        ],
      }],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'Connectors reach the network through deps.http (the target\'s protection policy).' }],
    },
  },
);
