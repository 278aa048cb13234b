// Tests run TypeScript through @swc/jest. Integration suites talk to the machine's real
// Postgres and Redis; each suite makes its own database and key prefix (tests/support).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests', '<rootDir>/hubspot-app'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } }, module: { type: 'commonjs' } }],
  },
  // ESM-only packages that jest must transform (design.md §6, HubSpot UI testing).
  transformIgnorePatterns: ['/node_modules/(?!(@hubspot/ui-extensions|tinyspy)/)'],
  setupFiles: ['<rootDir>/tests/support/jest-setup.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
};
