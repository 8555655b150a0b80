// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';

// The desk's rooms (docs/decisions/0030-the-desk-s-rooms.md): app/ composes and nothing
// imports it; the kit (desk/) and lib/ know no feature; a feature imports the kit, lib/,
// calls/api, calls/common and the contract, never another feature's files.
const FEATURES = ['calls/new-call', 'calls/call-detail', 'calls/call-list', 'embed'];
const web = (/** @type {string} */ path) => `./src/web/${path}`;
const deskZones = [
  {
    target: ['calls', 'desk', 'embed', 'lib'].map(web),
    from: web('app'),
    message: 'app/ is the root that composes the desk: nothing imports it.',
  },
  {
    target: [web('desk'), web('lib')],
    from: [web('calls'), web('embed')],
    message: 'The kit (desk/, lib/) is used by the features and knows none of them.',
  },
  { target: web('lib'), from: web('desk'), message: 'lib/ holds plain helpers: no desk state.' },
  {
    target: [web('calls/api'), web('calls/common')],
    from: FEATURES.map(web),
    message: 'calls/api and calls/common are shared by the features and import none of them.',
  },
  ...FEATURES.map((feature) => ({
    target: FEATURES.filter((other) => other !== feature).map(web),
    from: web(feature),
    message: `${feature} is a feature of its own: reach it through the kit (desk/) or the routes (app/), not by importing its files.`,
  })),
];

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
    plugins: { 'react-hooks': reactHooks, 'import-x': importX },
    settings: { 'import-x/resolver-next': [createNodeResolver()] },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'import-x/no-restricted-paths': ['error', { zones: deskZones }],
      // No circle of modules (the rule does not see type-only imports: the rooms' zones do).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
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
