/**
 * Which starts-per-minute limit applies to a tenant, through the real config parsing, and the
 * metric a throttled request feeds. The admission itself needs Redis: see
 * test/integration/tenant-starts.test.ts.
 */
import type { Redis } from 'ioredis';
import { localConnectorYaml } from '../../src/cli/local-stack';
import type { Queues } from '../../src/jobs/queues';
import { reportTenantThrottled } from '../../src/observability/events';
import { createConnectorMetrics } from '../../src/ops/metrics';
import { startsPerMinuteFor } from '../../src/tenancy/tenant-starts';
import { tenantById } from '../../src/tenancy/tenants';
import type { TicketOutbox } from '../../src/ticket-updates/outbox';
import { testConfig } from '../helpers/config';

/** The local stack's file with a tuning default and per-tenant `startsPerMinute` lines. */
function file(tuning: Record<string, number>, perTenant: Record<string, number> = {}) {
  let yaml = localConnectorYaml(tuning);
  for (const [id, limit] of Object.entries(perTenant)) {
    yaml = yaml.replace(`  - id: ${id}\n`, `  - id: ${id}\n    startsPerMinute: ${limit}\n`);
  }
  return testConfig({}, yaml).connector;
}

function limits(connector: ReturnType<typeof file>): Record<string, number> {
  return Object.fromEntries(
    ['acme', 'globex'].map((id) => [id, startsPerMinuteFor(connector, tenantById(connector, id)!)]),
  );
}

describe('tenant start limit', () => {
  it('when nothing is configured, then no tenant is limited', () => {
    expect(limits(file({}))).toEqual({ acme: 0, globex: 0 });
  });

  it('when only the tuning default is set, then every tenant gets it', () => {
    expect(limits(file({ tenantStartsPerMinute: 30 }))).toEqual({ acme: 30, globex: 30 });
  });

  it('when a tenant sets its own limit, then it wins over the default, and 0 exempts that tenant', () => {
    expect(limits(file({ tenantStartsPerMinute: 30 }, { acme: 5, globex: 0 }))).toEqual({
      acme: 5,
      globex: 0,
    });
    expect(limits(file({}, { acme: 2 }))).toEqual({ acme: 2, globex: 0 });
  });

  it('when a limit is negative or fractional, then the configuration is refused', () => {
    expect(() => file({ tenantStartsPerMinute: -1 })).toThrow(/tenantStartsPerMinute/);
    expect(() => file({}, { acme: 1.5 })).toThrow(/startsPerMinute/);
  });

  it('when a request is throttled, then the counter for its tenant goes up', async () => {
    const metrics = createConnectorMetrics({
      queues: {} as Queues,
      redis: {} as Redis,
      prefix: '{unit}',
      outbox: {} as TicketOutbox,
      processMetrics: false,
    });
    try {
      reportTenantThrottled('acme');
      reportTenantThrottled('acme');
      reportTenantThrottled('globex');
      const counter = await metrics.registry.getSingleMetric('connector_tenant_throttled_total')?.get();
      const byTenant = Object.fromEntries((counter?.values ?? []).map((v) => [v.labels.tenant, v.value]));
      expect(byTenant).toEqual({ acme: 2, globex: 1 });
    } finally {
      metrics.close();
    }
  });
});
