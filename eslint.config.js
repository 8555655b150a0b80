// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'data', 'playwright-report', 'test-results', 'coverage'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      // `import { type X }` keeps the module as a side-effect import under
      // verbatimModuleSyntax, which drags it into bundles that only needed a type.
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
  {
    // zod's values come through src/contract/zod.ts, which configures it before any schema
    // is built (jitless: no eval probe under the CSP). Types may come from zod itself.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/contract/zod.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^zod(/.*)?$',
              message: 'Import z from src/contract/zod.ts: it configures zod first.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The desk talks to the server only over HTTP: it must never bundle server code.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/**', '**/server'],
              message: 'The desk must not import the server.',
            },
            {
              regex: '^@mui/(material|icons-material)$',
              message: 'Import MUI by path (@mui/material/Button) to keep the bundle small.',
            },
          ],
        },
      ],
    },
  },
  {
    // Test files beside desk code may start the real server in-process.
    files: ['src/web/**/*.test.{ts,tsx}', 'src/web/test/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^@mui/(material|icons-material)$', message: 'Import MUI by path.' }],
        },
      ],
    },
  },
  {
    files: ['src/contract/**/*.ts'],
    rules: {
      // The contract is shared by both sides and imports neither.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/**', '**/server', '**/web/**', '**/web'],
              message: 'The contract imports neither side.',
            },
          ],
        },
      ],
    },
  },
);
