// Type-aware lint. Promise rules are the ones that catch real bugs in queue code:
// a floating promise in a worker is a job that silently never finishes.
import js from '@eslint/js';
import * as espree from 'espree';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'node_modules/**', 'spec/generated/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
      'no-console': 'error',
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['src/cli/**/*.ts', 'src/simulators/**/main.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: {
        process: 'readonly',
        console: 'readonly',
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-console': 'off' },
  },
  {
    // Scripts shipped to ServiceNow in the update set (src/catalog/update-set). Server scripts run on
    // Rhino in global scope and client scripts in any browser the catalog supports, so ES5 only:
    // espree with ecmaVersion 5 refuses let, arrow functions, trailing commas in calls and the like.
    // The platform provides the globals; functions such as onSubmit are called by it, not by us.
    files: ['src/catalog/servicenow-scripts/**/*.js'],
    languageOptions: {
      parser: espree,
      ecmaVersion: 5,
      sourceType: 'script',
      globals: {
        Class: 'readonly',
        gs: 'readonly',
        GlideDateTime: 'readonly',
        CertificateEncryption: 'readonly',
        GlideCertificateEncryption: 'readonly',
        sn_ws: 'readonly',
        current: 'readonly',
        previous: 'readonly',
        event: 'readonly',
        g_form: 'readonly',
      },
    },
    rules: {
      'no-unused-vars': ['error', { vars: 'local', args: 'none', caughtErrors: 'none' }],
      '@typescript-eslint/no-unused-vars': ['error', { vars: 'local', args: 'none', caughtErrors: 'none' }],
      'no-console': 'error',
    },
  },
);
