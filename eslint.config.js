// One lint config for the whole repo: recommended JS + type-aware TypeScript rules.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'coverage/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Plain JS scripts run on Node.
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // CLIs, the console adapter, benchmarks and scripts talk to a terminal on purpose.
    files: [
      'src/cli/**',
      'src/catalog/check.ts',
      'adapters/console/**',
      'bench/**',
      'scripts/**',
      'src/main.ts',
      'tests/**',
    ],
    rules: { 'no-console': 'off' },
  },
);
