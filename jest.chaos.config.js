// The slow tiers, run on demand (npm run test:chaos / test:security / test:cluster), each against
// its own real processes: chaos (faults R1–R15 and a combined seeded run), security (BOLA sweep,
// SSRF, secrets in logs, TLS) and cluster (the same flow on a 3-master Redis Cluster). The fast
// slices of chaos and security live under test/e2e, test/integration and test/unit and run in
// `npm test`; the security tier runs them again so `npm run test:security` is the whole suite.
/** @type {import('jest').Config} */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };

const common = {
  testEnvironment: 'node',
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['<rootDir>/test/helpers/setup-env.ts'],
};

module.exports = {
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  testTimeout: 600_000,
  projects: [
    { ...common, displayName: 'chaos', testMatch: ['<rootDir>/test/chaos/**/*.test.ts'] },
    {
      ...common,
      displayName: 'security',
      testMatch: [
        '<rootDir>/test/security/**/*.test.ts',
        '<rootDir>/test/e2e/security-*.test.ts',
        '<rootDir>/test/integration/security-*.test.ts',
        '<rootDir>/test/unit/security-*.test.ts',
      ],
    },
    { ...common, displayName: 'cluster', testMatch: ['<rootDir>/test/cluster/**/*.test.ts'] },
  ],
};
