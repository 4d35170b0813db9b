/**
 * Outbound calls go to the configured hosts only (OWASP API7 SSRF; docs/reliability.md §4.3 S4). Both
 * clients are fed ids and paths an attacker would choose — absolute URLs, protocol-relative ones,
 * the cloud metadata address 169.254.169.254, localhost, and encoded IPs (2130706433, 0x7f.1,
 * [::1]) — and a redirect towards another host. A canary server on another port records anything
 * that reaches it: it must stay silent, and every call the simulators saw must be a path below
 * their own base URL, the hostile part encoded into one path segment or refused before sending.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServiceNowClient, type ServiceNowClient } from '../../src/clients/servicenow';
import { createTransport as createServiceNowTransport } from '../../src/clients/servicenow/http';
import { createStorwareClient, type StorwareClient } from '../../src/clients/storware';
import { createTransport as createStorwareTransport } from '../../src/clients/storware/http';
import { silentLogger } from '../../src/logger';
import {
  SIM_DEFAULT_CREDENTIALS,
  startServiceNowSimulator,
  type ServiceNowSimulator,
} from '../../src/simulators/servicenow';
import {
  DEFAULT_STORWARE_USERS,
  startStorwareSimulator,
  type StorwareSimulator,
} from '../../src/simulators/storware';

describe('outbound calls only to the configured hosts (SSRF)', () => {
  const summary: string[] = [];
  let canary: Server;
  let canaryHits: string[];
  let canaryUrl: string;
  let storware: StorwareSimulator;
  let servicenow: ServiceNowSimulator;
  let sw: StorwareClient;
  let sn: ServiceNowClient;

  const hostile = () => [
    `${canaryUrl}/steal`,
    `//127.0.0.1:${new URL(canaryUrl).port}/steal`,
    'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
    '169.254.169.254',
    'http://localhost/admin',
    `localhost:${new URL(canaryUrl).port}`,
    'http://2130706433/',
    '2130706433',
    'http://0x7f.1/',
    '0x7f.1',
    'http://[::1]/',
    '../../../../latest/meta-data',
    '..%2F..%2Fadmin',
    '\\\\evil.example\\share',
    'https://evil.example@127.0.0.1/',
  ];

  beforeAll(async () => {
    canaryHits = [];
    canary = createServer((req, res) => {
      canaryHits.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"result":{}}');
    });
    await new Promise<void>((resolve) => canary.listen(0, '127.0.0.1', resolve));
    canaryUrl = `http://127.0.0.1:${(canary.address() as AddressInfo).port}`;
    storware = await startStorwareSimulator({ port: 0 });
    servicenow = await startServiceNowSimulator({ port: 0 });
    sw = createStorwareClient({
      baseUrl: storware.baseUrl,
      user: DEFAULT_STORWARE_USERS[0]!.login,
      password: DEFAULT_STORWARE_USERS[0]!.password,
      timeoutMs: 2_000,
      logger: silentLogger(),
    });
    sn = createServiceNowClient({
      baseUrl: servicenow.url,
      auth: { kind: 'basic', user: SIM_DEFAULT_CREDENTIALS.user, password: SIM_DEFAULT_CREDENTIALS.password },
      timeoutMs: 2_000,
      logger: silentLogger(),
    });
  });

  afterAll(async () => {
    await sw?.close();
    await storware?.close();
    await servicenow?.close();
    await new Promise((resolve) => canary.close(resolve));
    process.stdout.write(
      `[security] outbound calls (SSRF), ${hostile().length} hostile targets:\n${summary.map((l) => `  ${l}`).join('\n')}\n`,
    );
  });

  afterEach(() => {
    storware.server.clearFaults();
    servicenow.http.clearFaults();
  });

  it('when Storware operations get hostile ids, then every call stays on the Storware host with the id encoded in one segment', async () => {
    storware.server.clearCalls();
    const operations: Array<(id: string) => Promise<unknown>> = [
      (id) => sw.getTask(id),
      (id) => sw.getBackup(id),
      (id) => sw.cancelTask(id),
      (id) => sw.listBackups(id),
      (id) => sw.listFlavors(id),
      (id) => sw.getVmBackupPolicy(id),
      (id) => sw.assignVmBackupPolicy(id, 'c0ffee00-0000-4000-8000-000000000001'),
      (id) => sw.listAllTasks({ protectedEntityGuid: id, type: 'EXPORT' }),
      (id) => sw.listVirtualMachines({ projectUuid: id }),
    ];
    for (const id of hostile()) {
      for (const operation of operations) {
        // Refused by the simulator (404/400) or by the client's own validation: either way no
        // data comes back, and above all nothing is sent anywhere else.
        await operation(id).catch(() => undefined);
      }
    }
    expect(canaryHits).toEqual([]);
    const calls = storware.server.calls();
    expect(calls.length).toBeGreaterThan(hostile().length);
    for (const call of calls) {
      expect(call.path.startsWith('/api/')).toBe(true);
      // The hostile text never becomes path structure: no raw scheme, no host, no traversal.
      expect(call.path).not.toMatch(/\/\/|\/\.\.\/|169\.254\.169\.254\/latest\//);
    }
    summary.push(
      `Storware, ${operations.length} operations × each target as an id: ${calls.length} calls, all to the Storware host with the id in one encoded segment; other hosts reached: ${canaryHits.length}`,
    );
  });

  it('when the Storware transport is asked for an absolute or protocol-relative route, then it refuses before sending', async () => {
    const transport = createStorwareTransport({
      baseUrl: storware.baseUrl,
      timeoutMs: 1_000,
      logger: silentLogger(),
      scrub: (t) => t,
    });
    for (const route of [
      `${canaryUrl}/x`,
      `//127.0.0.1:${new URL(canaryUrl).port}/x`,
      'http://169.254.169.254/',
    ]) {
      await expect(
        transport.send({ operation: 'probe', method: 'GET', route: route as `/${string}` }, undefined),
      ).rejects.toThrow(TypeError);
    }
    transport.destroy();
    expect(canaryHits).toEqual([]);
    summary.push('Storware transport given absolute / protocol-relative routes: refused before sending');
  });

  it('when Storware answers with a redirect to another host, then the client does not follow it', async () => {
    storware.server.addFault({
      method: 'GET',
      path: '^/api/tasks/',
      status: 302,
      headers: { Location: `${canaryUrl}/stolen-session` },
    });
    storware.server.addFault({
      method: 'GET',
      path: '^/api/virtual-machines',
      status: 307,
      headers: { Location: 'http://169.254.169.254/latest/meta-data/' },
    });
    await expect(sw.getTask('11111111-2222-4333-8444-555555555555')).rejects.toThrow();
    await expect(sw.listVirtualMachines({ projectUuid: 'x' })).rejects.toThrow();
    expect(canaryHits).toEqual([]);
    summary.push('Storware redirects (302 to another host, 307 to 169.254.169.254): not followed');
  });

  it('when ServiceNow operations get hostile ids, then they are refused before anything is sent', async () => {
    servicenow.http.clearCalls();
    const operations: Array<(id: string) => Promise<unknown>> = [
      (id) => sn.getRequestItem(id),
      (id) => sn.getUser(id),
      (id) => sn.getCompany(id),
      (id) => sn.getRequestItemVariables(id),
      (id) => sn.listApprovals(id),
      (id) => sn.listJournalEntries(id),
      (id) => sn.updateRequestItem(id, { work_notes: 'x' }),
    ];
    for (const id of hostile()) {
      for (const operation of operations) {
        await expect(operation(id)).rejects.toThrow(/sys_id|RITM number/);
      }
    }
    expect(servicenow.http.calls()).toEqual([]);
    expect(canaryHits).toEqual([]);
    summary.push(
      `ServiceNow, ${operations.length} operations × each target as a sys_id: refused before sending (0 calls)`,
    );
  });

  it('when the ServiceNow transport is handed an absolute URL as a path, then the request still goes to the instance', async () => {
    servicenow.http.clearCalls();
    const transport = createServiceNowTransport({
      baseUrl: servicenow.url,
      timeoutMs: 1_000,
      logger: silentLogger(),
    });
    for (const path of hostile()) {
      const answer = await transport.send({
        operation: 'probe',
        method: 'GET',
        path,
        headers: { Accept: 'application/json' },
      });
      expect(answer.status).toBeGreaterThanOrEqual(400);
    }
    expect(canaryHits).toEqual([]);
    expect(servicenow.http.calls().length).toBe(hostile().length);
    summary.push('ServiceNow transport given each target as a path: every call went to the instance');
  });

  it('when ServiceNow answers with a redirect to another host, then the client does not follow it (and never sends the credentials there)', async () => {
    servicenow.http.addFault({
      path: '^/api/now/table/sc_req_item',
      status: 302,
      headers: { Location: `${canaryUrl}/collect` },
    });
    await expect(sn.getRequestItem('a'.repeat(32))).rejects.toThrow();
    expect(canaryHits).toEqual([]);
    summary.push('ServiceNow redirect to another host: not followed, credentials never sent there');
  });
});
