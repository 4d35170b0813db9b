/**
 * BOLA sweep (OWASP API1; docs/reliability.md §4.3 S1): every catalog item × every kind of foreign
 * reference a tenant could type into the form — another tenant's instance, backup point, Storware
 * task, ticket (RITM number and sys_id) and request id — ordered through the real requester side
 * (ServiceNow simulator → signed webhook → connector → Storware simulator). Each must be refused
 * (the ticket closes incomplete, or the intake refuses the answers), nothing may happen to the
 * other tenant's objects, and no detail of the other tenant may appear in any webhook answer, any
 * ticket text (work notes, comments, close notes, every field) or the service-desk view of the
 * request. A foreign instance must read exactly like one that does not exist (no oracle).
 */
import { createStorwareClient } from '../../src/clients/storware';
import { localConnectorYaml } from '../../src/cli/local-stack';
import type { CatalogItemKey } from '../../src/items/definitions';
import { silentLogger } from '../../src/logger';
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { stackApi, type StackApi } from '../helpers/ops-stack';
import { startTestStack, waitFor, type TestStack } from '../helpers/stack';

jest.setTimeout(90_000);

const ACME_WEB = FIXTURE.instances.acmeWeb.uuid;
const GLOBEX_APP = FIXTURE.instances.globexApp.uuid;

interface Case {
  readonly name: string;
  readonly item: CatalogItemKey;
  readonly requestedFor: string;
  readonly variables: Record<string, string | number | boolean>;
  /** Values the requester typed in: echoing them back reveals nothing new. */
  readonly supplied: readonly string[];
  /** The ticket's final ledger state: refused by a guard, or by the intake (variables). */
  readonly expect: 'failed' | 'expired' | 'refused-at-intake';
}

describe('BOLA: another tenant’s objects, through every catalog item', () => {
  let stack: TestStack;
  let api: StackApi;
  /** Every id and name of Globex (the other tenant) the connector could leak. */
  const secretsOfGlobex: string[] = [];
  let globexBackup: string;
  let globexTask: string;
  let globexRitm: { sysId: string; number: string; requestId: string };
  let globexVmGuid: string;
  let globexPolicy: string | undefined;
  let globexTasksBefore: number;

  beforeAll(async () => {
    stack = await startTestStack({
      connectorYaml: localConnectorYaml({ protectWaitMinutes: 0.05, inventoryRecheckSeconds: 1 }),
    });
    api = stackApi(stack);
    // Globex has a finished backup and a ticket of its own.
    const order = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'carol',
      variables: { instance_id: GLOBEX_APP, backup_type: 'FULL', priority: 50 },
    });
    const done = await stack.waitForFinish(order.ritm.sysId, 30_000);
    expect(done.state).toBe('succeeded');
    globexRitm = { ...order.ritm, requestId: done.requestId };
    const vm = stack.storware.state.vmByInstanceUuid(GLOBEX_APP)!;
    globexVmGuid = vm.guid;
    globexPolicy = vm.policyGuid;
    const backups = stack.storware.state.backups(vm.guid);
    globexBackup = backups.find((b) => b.status === 'SUCCESS')!.guid;
    globexTask = stack.storware.state.tasks().find((t) => t.vmGuid === vm.guid)!.guid;
    const project = stack.storware.state.projects().find((p) => p?.uuid === FIXTURE.projects.globex.id)!;
    // Its networks, as Storware lists them for the project.
    const client = createStorwareClient({
      baseUrl: stack.storware.baseUrl,
      user: stack.config.storware.user,
      password: stack.config.storware.password,
      timeoutMs: 2_000,
      logger: silentLogger(),
    });
    const networks = await client.listNetworks(vm.hypervisorManagerGuid, { projectUuid: project.uuid });
    await client.close();
    secretsOfGlobex.push(
      'Globex',
      'globex',
      FIXTURE.instances.globexApp.name,
      GLOBEX_APP,
      vm.guid,
      project.guid,
      project.uuid,
      project.name,
      `${project.uuid.slice(0, 8)}-${project.uuid.slice(8, 12)}-${project.uuid.slice(12, 16)}-${project.uuid.slice(16, 20)}-${project.uuid.slice(20)}`,
      FIXTURE.companies.globex.sysId,
      FIXTURE.users.carol.sysId,
      FIXTURE.users.carol.name,
      globexRitm.sysId,
      globexRitm.number,
      globexRitm.requestId,
      globexTask,
      ...backups.map((b) => b.guid),
      ...networks.filter((n) => n.name?.includes('globex')).flatMap((n) => [n.guid, n.name ?? '']),
    );
    globexTasksBefore = stack.storware.state.tasks().filter((t) => t.vmGuid === globexVmGuid).length;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const cases = (): Case[] => [
    {
      name: 'backup of another tenant’s instance',
      item: 'storware_backup_now',
      requestedFor: 'alice',
      variables: { instance_id: GLOBEX_APP, backup_type: 'FULL', priority: 50 },
      supplied: [GLOBEX_APP],
      expect: 'failed',
    },
    {
      name: 'restore of another tenant’s instance',
      item: 'storware_restore_point',
      requestedFor: 'alice',
      variables: { instance_id: GLOBEX_APP, backup_point: 'latest', target_name: 'mine-now' },
      supplied: [GLOBEX_APP],
      expect: 'failed',
    },
    {
      name: 'restore of own instance from another tenant’s backup point',
      item: 'storware_restore_point',
      requestedFor: 'alice',
      variables: { instance_id: ACME_WEB, backup_point: globexBackup, target_name: 'stolen-copy' },
      supplied: [globexBackup],
      expect: 'failed',
    },
    {
      name: 'restore of another tenant’s instance from its backup point',
      item: 'storware_restore_point',
      requestedFor: 'alice',
      variables: { instance_id: GLOBEX_APP, backup_point: globexBackup, overwrite: true },
      supplied: [GLOBEX_APP, globexBackup],
      expect: 'failed',
    },
    {
      name: 'restore naming another tenant’s Storware task as the backup point',
      item: 'storware_restore_point',
      requestedFor: 'alice',
      variables: { instance_id: ACME_WEB, backup_point: globexTask, target_name: 'task-copy' },
      supplied: [globexTask],
      expect: 'failed',
    },
    {
      name: 'restore naming another tenant’s ticket (RITM number) as the backup point',
      item: 'storware_restore_point',
      requestedFor: 'alice',
      variables: { instance_id: ACME_WEB, backup_point: globexRitm.number, target_name: 'ticket-copy' },
      supplied: [globexRitm.number],
      expect: 'refused-at-intake',
    },
    {
      name: 'restore naming another tenant’s request id as the backup point',
      item: 'storware_restore_point',
      requestedFor: 'alice',
      variables: { instance_id: ACME_WEB, backup_point: globexRitm.requestId, target_name: 'req-copy' },
      supplied: [globexRitm.requestId],
      expect: 'refused-at-intake',
    },
    {
      name: 'backup naming another tenant’s ticket (RITM sys_id) as the instance',
      item: 'storware_backup_now',
      requestedFor: 'alice',
      variables: { instance_id: globexRitm.sysId, backup_type: 'FULL', priority: 50 },
      supplied: [globexRitm.sysId],
      expect: 'refused-at-intake',
    },
    {
      name: 'backup naming another tenant’s Storware VM guid as the instance',
      item: 'storware_backup_now',
      requestedFor: 'alice',
      variables: { instance_id: globexVmGuid, backup_type: 'FULL', priority: 50 },
      supplied: [globexVmGuid],
      expect: 'failed',
    },
    {
      name: 'protection of another tenant’s instance',
      item: 'storware_protect_vm',
      requestedFor: 'alice',
      variables: { instance_id: GLOBEX_APP, policy_tier: 'bronze', first_backup: true },
      supplied: [GLOBEX_APP],
      expect: 'expired',
    },
    {
      name: 'backup by a requester whose company has no tenant mapping, of another tenant’s instance',
      item: 'storware_backup_now',
      requestedFor: 'erin',
      variables: { instance_id: GLOBEX_APP, backup_type: 'FULL', priority: 50 },
      supplied: [GLOBEX_APP],
      expect: 'failed',
    },
  ];

  /** Everything a tenant (or a webhook sender) gets to read about the request. */
  async function visibleText(sysId: string, number: string): Promise<string> {
    const deliveries = stack.servicenow.webhooks.deliveries({ sysId }).map((d) => d.responseBody ?? '');
    const ritm = JSON.stringify(stack.ritm(sysId));
    const journal = stack.servicenow.journal(sysId).map((j) => j.value);
    const view = await api.get(`/api/requests/${number}`);
    return [...deliveries, ritm, ...journal, view.text].join('\n');
  }

  it('when a tenant names another tenant’s instance, backup point, task, ticket or request id in any item, then it is refused and nothing about the other tenant shows', async () => {
    const all = cases();
    const orders = await Promise.all(
      all.map((c) =>
        stack.servicenow.requester.order(c.item, { requestedFor: c.requestedFor, variables: c.variables }),
      ),
    );
    const outcomes: string[] = [];
    for (const [index, c] of all.entries()) {
      const { ritm, deliveries } = orders[index]!;
      if (c.expect === 'refused-at-intake') {
        expect(deliveries[0]?.status).toBe(422);
      } else {
        expect(deliveries[0]?.status).toBe(202);
        const entry = await stack.waitForFinish(ritm.sysId, 30_000);
        expect({ case: c.name, state: entry.state }).toEqual({ case: c.name, state: c.expect });
        await stack.waitForTicketState(ritm.sysId, '4');
        expect(entry.tasks).not.toHaveProperty('export');
        expect(entry.tasks).not.toHaveProperty('restore');
      }
      const text = await visibleText(ritm.sysId, ritm.number);
      const leaked = secretsOfGlobex.filter((s) => s !== '' && !c.supplied.includes(s) && text.includes(s));
      expect({ case: c.name, leaked }).toEqual({ case: c.name, leaked: [] });
      outcomes.push(`${c.item} × ${c.name}: refused (${c.expect}), no Globex detail`);
    }
    // The other tenant's objects are untouched: no task on its instance, its policy unchanged.
    const globexTasks = stack.storware.state.tasks().filter((t) => t.vmGuid === globexVmGuid).length;
    expect(globexTasks).toBe(globexTasksBefore);
    expect(stack.storware.state.vmByInstanceUuid(GLOBEX_APP)?.policyGuid).toBe(globexPolicy);
    expect(
      stack.storware.state
        .vms()
        .some((vm) => /stolen-copy|task-copy|ticket-copy|req-copy|mine-now/.test(vm.name)),
    ).toBe(false);
    process.stdout.write(`[security] BOLA sweep, ${outcomes.length} attacks:\n  ${outcomes.join('\n  ')}\n`);
  });

  it('when the instance belongs to another tenant, then the requester reads exactly what a nonexistent instance gets (no oracle)', async () => {
    const missing = '99999999-9999-4999-8999-999999999999';
    const [foreign, absent] = await Promise.all(
      [GLOBEX_APP, missing].map((instance) =>
        stack.servicenow.requester.order('storware_backup_now', {
          requestedFor: 'alice',
          variables: { instance_id: instance, backup_type: 'FULL', priority: 50 },
        }),
      ),
    );
    await Promise.all([foreign!, absent!].map((o) => stack.waitForFinish(o.ritm.sysId, 30_000)));
    await Promise.all([foreign!, absent!].map((o) => stack.waitForTicketState(o.ritm.sysId, '4')));
    const comments = (sysId: string, instance: string) =>
      stack.notes(sysId, 'comments').map((c) => c.replaceAll(instance, '<id>'));
    await waitFor(
      () => comments(foreign!.ritm.sysId, GLOBEX_APP).length >= 2 || undefined,
      10_000,
      'comments',
    );
    expect(comments(foreign!.ritm.sysId, GLOBEX_APP)).toEqual(comments(absent!.ritm.sysId, missing));
    const closeNotes = (sysId: string, instance: string) =>
      JSON.stringify(stack.ritm(sysId).close_notes ?? '').replaceAll(instance, '<id>');
    expect(closeNotes(foreign!.ritm.sysId, GLOBEX_APP)).toBe(closeNotes(absent!.ritm.sysId, missing));
  });

  it('when the other tenant does the same the other way round, then it is refused just the same', async () => {
    const { ritm } = await stack.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'carol',
      variables: { instance_id: ACME_WEB, backup_type: 'FULL', priority: 50 },
    });
    const entry = await stack.waitForFinish(ritm.sysId, 30_000);
    expect(entry.state).toBe('failed');
    const text = await visibleText(ritm.sysId, ritm.number);
    for (const acme of [
      'acme-web-01',
      'ACME',
      FIXTURE.projects.acme.id,
      stack.storware.state.vmByInstanceUuid(ACME_WEB)!.guid,
    ]) {
      expect(text).not.toContain(acme);
    }
  });
});
