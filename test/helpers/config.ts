/**
 * A valid configuration for tests, built through the real `loadConfig` so tests exercise the same
 * parsing production does. Override any variable or replace the connector file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config';

export const TEST_WEBHOOK_SECRET =
  'whsec_' + Buffer.from('test-secret-test-secret-test-secret!!').toString('base64');
export const TEST_AGENT_TOKEN = 'agent-token-0123456789abcdef0123';
export const TEST_OPS_TOKEN = 'ops-token-0123456789abcdef012345678';

export const EXAMPLE_CONNECTOR_FILE = readFileSync(
  join(__dirname, '..', '..', 'connector.example.yaml'),
  'utf8',
);

export function baseEnv(
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    NODE_ENV: 'test',
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    STORWARE_URL: 'http://127.0.0.1:1/api',
    STORWARE_USER: 'svc-itsm',
    STORWARE_PASSWORD: 'storware-pass-xyz',
    SERVICENOW_URL: 'http://127.0.0.1:1',
    SERVICENOW_USER: 'svc.storware',
    SERVICENOW_PASSWORD: 'servicenow-pass-xyz',
    WEBHOOK_SECRETS: TEST_WEBHOOK_SECRET,
    API_TOKENS: `desk:agent:${TEST_AGENT_TOKEN},oncall:ops:${TEST_OPS_TOKEN}`,
    CONNECTOR_CONFIG: '/virtual/connector.yaml',
    ...overrides,
  };
}

export function testConfig(
  overrides: Record<string, string | undefined> = {},
  connectorFile: string = EXAMPLE_CONNECTOR_FILE,
): Config {
  return loadConfig(baseEnv(overrides), {
    readFile: (path) => {
      if (path === '/virtual/connector.yaml') {
        return connectorFile;
      }
      return readFileSync(path, 'utf8');
    },
  });
}
