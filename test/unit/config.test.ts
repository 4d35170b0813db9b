import { ConfigError } from '../../src/errors';
import { describeConfig, loadConfig } from '../../src/config';
import { baseEnv, EXAMPLE_CONNECTOR_FILE, testConfig, TEST_WEBHOOK_SECRET } from '../helpers/config';

function problemsOf(fn: () => unknown): Array<{ path?: string; message: string }> {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) {
      return [...error.details];
    }
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function load(env: Record<string, string | undefined>, file = EXAMPLE_CONNECTOR_FILE) {
  return loadConfig(env, {
    readFile: (p) =>
      p === '/virtual/connector.yaml'
        ? file
        : (() => {
            throw Object.assign(new Error('nope'), { code: 'ENOENT' });
          })(),
  });
}

describe('loadConfig', () => {
  it('when the environment and the example file are valid, then it builds a nested config', () => {
    const config = testConfig();
    expect(config.redis.prefix).toBe('{sic}');
    expect(config.webhook.secrets).toEqual([TEST_WEBHOOK_SECRET]);
    expect(config.webhook.toleranceSeconds).toBe(300);
    expect(config.webhook.maxBodyBytes).toBe(65536);
    expect(config.servicenow.auth.kind).toBe('basic');
    expect(config.apiTokens.map((t) => [t.name, t.role])).toEqual([
      ['desk', 'agent'],
      ['oncall', 'ops'],
    ]);
    expect(config.connector.tenants.map((t) => t.id)).toEqual(['acme', 'globex']);
    expect(config.connector.tuning.dedupeRetentionDays).toBeGreaterThanOrEqual(3);
    expect(config.connector.approvals.storware_restore_point?.required).toBe(true);
  });

  it('when everything is missing, then every missing variable is listed at once', () => {
    const problems = problemsOf(() => load({}));
    const paths = problems.map((p) => p.path);
    for (const name of [
      'STORWARE_URL',
      'STORWARE_USER',
      'STORWARE_PASSWORD',
      'SERVICENOW_URL',
      'SERVICENOW_USER',
      'WEBHOOK_SECRETS',
      'CONNECTOR_CONFIG',
    ]) {
      expect(paths).toContain(name);
    }
  });

  it('when several variables and the file are wrong, then one error lists each with its path', () => {
    const badFile = `
tenants:
  - id: Acme Corp
    name: ACME
    serviceNowCompany: not-a-sys-id
    openStackProjectId: 5e1f0a0c0de04c0a9e0a0c0e00000001
    maintenanceWindows:
      - { days: [monday], start: '25:00', end: '06:00', timeZone: Mars/Olympus }
approvals:
  storware_restore_point: { required: false }
unexpected: true
`;
    const problems = problemsOf(() =>
      load(
        baseEnv({
          PORT: 'eighty',
          STORWARE_URL: 'ftp://x',
          WEBHOOK_SECRETS: 'plain-secret',
          API_TOKENS: 'a:root:short',
        }),
        badFile,
      ),
    );
    const byPath = new Map(problems.map((p) => [p.path, p.message]));
    expect(byPath.get('PORT')).toMatch(/whole number/);
    expect(byPath.get('STORWARE_URL')).toMatch(/http\(s\) URL/);
    expect(byPath.get('WEBHOOK_SECRETS')).toMatch(/whsec_/);
    expect(
      problems
        .filter((p) => p.path === 'API_TOKENS')
        .map((p) => p.message)
        .join(' '),
    ).toMatch(/role must be agent or ops/);
    expect(byPath.get('CONNECTOR_CONFIG:tenants[0].id')).toMatch(/lower-case/);
    expect(byPath.get('CONNECTOR_CONFIG:tenants[0].serviceNowCompany')).toMatch(/sys_id/);
    expect(byPath.get('CONNECTOR_CONFIG:tenants[0].maintenanceWindows[0].days[0]')).toBeDefined();
    expect(byPath.get('CONNECTOR_CONFIG:tenants[0].maintenanceWindows[0].start')).toMatch(/HH:MM/);
    expect(byPath.get('CONNECTOR_CONFIG:tenants[0].maintenanceWindows[0].timeZone')).toMatch(/IANA/);
    expect(byPath.get('CONNECTOR_CONFIG:approvals.storware_restore_point.required')).toMatch(
      /always require approval/,
    );
    expect(
      problems.some(
        (p) => p.path?.startsWith('CONNECTOR_CONFIG') && /unexpected|Unrecognized/i.test(p.message),
      ),
    ).toBe(true);
    expect(problems.length).toBeGreaterThanOrEqual(10);
  });

  it('when two tenants share a company or a project, then both duplicates are named', () => {
    const file = `
tenants:
  - { id: a, name: A, serviceNowCompany: a1c0e000000000000000000000000001, openStackProjectId: 5e1f0a0c0de04c0a9e0a0c0e00000001 }
  - { id: b, name: B, serviceNowCompany: a1c0e000000000000000000000000001, openStackProjectId: 5e1f0a0c-0de0-4c0a-9e0a-0c0e00000001 }
`;
    const problems = problemsOf(() => load(baseEnv(), file));
    expect(problems.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        'CONNECTOR_CONFIG:tenants[1].serviceNowCompany',
        'CONNECTOR_CONFIG:tenants[1].openStackProjectId',
      ]),
    );
  });

  it('when the file is not YAML, then the problem names the file', () => {
    const problems = problemsOf(() => load(baseEnv(), 'tenants: [unclosed'));
    expect(problems[0]?.path).toBe('CONNECTOR_CONFIG:');
    expect(problems[0]?.message).toMatch(/not valid YAML/);
  });

  it('when the config file cannot be read, then the error says so without crashing', () => {
    const problems = problemsOf(() => loadConfig(baseEnv({ CONNECTOR_CONFIG: '/nonexistent/file.yaml' })));
    expect(problems).toEqual([
      { path: 'CONNECTOR_CONFIG', message: expect.stringMatching(/cannot read .*ENOENT/) },
    ]);
  });

  it('when only OAuth client credentials are given, then the client-credentials grant is chosen', () => {
    const config = testConfig({
      SERVICENOW_USER: undefined,
      SERVICENOW_PASSWORD: undefined,
      SERVICENOW_CLIENT_ID: 'cid',
      SERVICENOW_CLIENT_SECRET: 'csecret',
    });
    expect(config.servicenow.auth.kind).toBe('oauth-client-credentials');
  });

  it('when user, password, client id and secret are all given, then the OAuth password grant is chosen', () => {
    const config = testConfig({ SERVICENOW_CLIENT_ID: 'cid', SERVICENOW_CLIENT_SECRET: 'csecret' });
    expect(config.servicenow.auth.kind).toBe('oauth-password');
  });

  it('when half of a credential pair is given, then the missing half is named', () => {
    const problems = problemsOf(() => load(baseEnv({ SERVICENOW_PASSWORD: undefined })));
    expect(problems.map((p) => p.path)).toContain('SERVICENOW_PASSWORD');
  });

  it('when production runs without REDIS_URL, then the start fails instead of guessing', () => {
    const problems = problemsOf(() => load(baseEnv({ NODE_ENV: 'production', REDIS_URL: undefined })));
    expect(problems).toContainEqual({ path: 'REDIS_URL', message: 'is required in production' });
  });

  it('when Basic webhook auth is turned on without credentials, then it is refused', () => {
    const problems = problemsOf(() => load(baseEnv({ WEBHOOK_BASIC_AUTH: 'true' })));
    expect(problems.map((p) => p.path)).toContain('WEBHOOK_BASIC_USER');
  });

  it('when the queue prefix lacks a hash tag, then it is refused (Redis Cluster needs one)', () => {
    const problems = problemsOf(() => load(baseEnv({ QUEUE_PREFIX: 'sic' })));
    expect(problems.map((p) => p.path)).toContain('QUEUE_PREFIX');
  });

  it('when the CA file holds no certificate, then the start fails naming STORWARE_CA_FILE', () => {
    const problems = problemsOf(() =>
      loadConfig(baseEnv({ STORWARE_CA_FILE: '/virtual/ca.pem' }), {
        readFile: (p) => (p === '/virtual/connector.yaml' ? EXAMPLE_CONNECTOR_FILE : 'garbage'),
      }),
    );
    expect(problems).toContainEqual({
      path: 'STORWARE_CA_FILE',
      message: 'does not contain a PEM certificate',
    });
  });

  it('when the config is described for the start log, then no secret appears in it', () => {
    const config = testConfig({ REDIS_URL: 'redis://user:redis-secret-pw@127.0.0.1:6379' });
    const text = JSON.stringify(describeConfig(config));
    for (const secret of [
      'redis-secret-pw',
      'storware-pass-xyz',
      'servicenow-pass-xyz',
      TEST_WEBHOOK_SECRET,
      ...config.apiTokens.map((t) => t.token),
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
