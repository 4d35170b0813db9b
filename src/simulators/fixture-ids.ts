/**
 * Fixed identities shared by both simulators, the example configuration, the demo and the tests,
 * so a tenant in ServiceNow (company) lines up with a project in Storware. Deterministic on purpose:
 * a test that fails names the same instance every run.
 *
 * - ACME Corp and Globex are mapped to OpenStack projects in the example config.
 * - Initech exists in ServiceNow but has no mapping (the "unmapped tenant" case).
 */
export const FIXTURE = {
  companies: {
    acme: { sysId: 'a1c0e000000000000000000000000001', name: 'ACME Corp' },
    globex: { sysId: 'a1c0e000000000000000000000000002', name: 'Globex' },
    initech: { sysId: 'a1c0e000000000000000000000000003', name: 'Initech' },
  },
  projects: {
    acme: { id: '5e1f0a0c0de04c0a9e0a0c0e00000001', name: 'acme-prod' },
    globex: { id: '5e1f0a0c0de04c0a9e0a0c0e00000002', name: 'globex-prod' },
    initech: { id: '5e1f0a0c0de04c0a9e0a0c0e00000003', name: 'initech-prod' },
  },
  users: {
    /** ACME requester. */
    alice: {
      sysId: 'b0b0e000000000000000000000000001',
      userName: 'alice.acme',
      name: 'Alice Adams',
      company: 'acme',
    },
    /** ACME approver (a manager; never the requester). */
    bob: {
      sysId: 'b0b0e000000000000000000000000002',
      userName: 'bob.acme',
      name: 'Bob Brown',
      company: 'acme',
    },
    /** Globex requester. */
    carol: {
      sysId: 'b0b0e000000000000000000000000003',
      userName: 'carol.globex',
      name: 'Carol Chen',
      company: 'globex',
    },
    /** Globex approver. */
    dave: {
      sysId: 'b0b0e000000000000000000000000004',
      userName: 'dave.globex',
      name: 'Dave Diaz',
      company: 'globex',
    },
    /** Initech requester (company without a mapping). */
    erin: {
      sysId: 'b0b0e000000000000000000000000005',
      userName: 'erin.initech',
      name: 'Erin Evans',
      company: 'initech',
    },
    /** The connector's integration account. */
    integration: {
      sysId: 'b0b0e0000000000000000000000000ff',
      userName: 'svc.storware',
      name: 'Storware Connector',
      company: 'acme',
    },
  },
  /** OpenStack instance UUIDs (Nova ids). Storware VM guids are separate and derived by the simulator. */
  instances: {
    acmeWeb: { uuid: '11111111-1111-4111-8111-000000000001', name: 'acme-web-01', project: 'acme' },
    acmeDb: { uuid: '11111111-1111-4111-8111-000000000002', name: 'acme-db-01', project: 'acme' },
    /** Provisioned "just now": appears in Storware's inventory only after a sync delay. */
    acmeNew: { uuid: '11111111-1111-4111-8111-000000000003', name: 'acme-new-01', project: 'acme' },
    globexApp: { uuid: '22222222-2222-4222-8222-000000000001', name: 'globex-app-01', project: 'globex' },
    initechFile: {
      uuid: '33333333-3333-4333-8333-000000000001',
      name: 'initech-file-01',
      project: 'initech',
    },
  },
  /** Storware VM backup policies, one per tier. */
  policies: {
    gold: { guid: 'c0ffee00-0000-4000-8000-000000000001', name: 'gold-daily-30d' },
    silver: { guid: 'c0ffee00-0000-4000-8000-000000000002', name: 'silver-daily-14d' },
    bronze: { guid: 'c0ffee00-0000-4000-8000-000000000003', name: 'bronze-weekly-4w' },
  },
} as const;
