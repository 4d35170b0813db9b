/**
 * TLS verification against a private CA, the usual Storware setup (docs/storware-api.md §1: certificates
 * are often self-signed, and the public clients turn verification off). The client never does:
 * it trusts the system CAs plus `ca`. A CA and a server certificate for 127.0.0.1 are made with
 * openssl at test time, so nothing secret is checked in.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorwareClient, type StorwareClient } from '../../src/clients/storware';
import { UpstreamError } from '../../src/errors';
import { silentLogger } from '../../src/logger';
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { startStorwareSimulator, type StorwareSimulator } from '../../src/simulators/storware';
import { STORWARE_PASSWORD, STORWARE_USER } from '../helpers/storware-harness';

interface Pki {
  readonly ca: string;
  readonly otherCa: string;
  readonly key: string;
  readonly cert: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function makeCa(dir: string, name: string): void {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

function makePki(dir: string): Pki {
  makeCa(dir, 'test-ca');
  makeCa(dir, 'other-ca');
  openssl(dir, [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=storware.test',
  ]);
  writeFileSync(
    join(dir, 'server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'test-ca.pem',
    '-CAkey',
    'test-ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'server.ext',
  ]);
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  return {
    ca: read('test-ca.pem'),
    otherCa: read('other-ca.pem'),
    key: read('server.key'),
    cert: read('server.pem'),
  };
}

describe('Storware client over TLS with a private CA (docs/storware-api.md §1)', () => {
  let dir: string;
  let pki: Pki;
  let sim: StorwareSimulator;
  const clients: StorwareClient[] = [];

  const client = (ca: string | undefined) => {
    const c = createStorwareClient({
      baseUrl: sim.baseUrl,
      user: STORWARE_USER,
      password: STORWARE_PASSWORD,
      timeoutMs: 2_000,
      logger: silentLogger(),
      ...(ca === undefined ? {} : { ca }),
    });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'storware-tls-'));
    pki = makePki(dir);
    sim = await startStorwareSimulator({ tls: { key: pki.key, cert: pki.cert } });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('when the CA is given, then the certificate is accepted and the session cookie is marked Secure', async () => {
    const page = await client(pki.ca).listVirtualMachines({ projectUuid: FIXTURE.projects.acme.id });

    expect(sim.baseUrl).toMatch(/^https:/);
    expect(page.items.length).toBeGreaterThan(0);
    expect(sim.server.calls({ path: '/api/session/login' }).at(-1)!.status).toBe(201);
    const setCookie = await new Promise<string[] | undefined>((resolve, reject) => {
      const req = request(
        `${sim.baseUrl}/session/login`,
        { method: 'POST', ca: pki.ca, headers: { 'Content-Type': 'application/json' } },
        (res) => {
          res.resume();
          resolve(res.headers['set-cookie']);
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ login: STORWARE_USER, password: STORWARE_PASSWORD }));
    });
    expect(setCookie?.[0]).toMatch(/^JSESSIONID=[0-9A-F]+; Path=\/api; HttpOnly; Secure$/);
  });

  it.each([
    ['no CA is given', undefined],
    ['a different CA is given', 'other'],
  ])('when %s, then the connection is refused as a retryable TLS failure', async (_label, which) => {
    const before = sim.server.calls().length;

    const error = await client(which === 'other' ? pki.otherCa : undefined)
      .listTasks()
      .then(
        () => undefined,
        (e: unknown) => e,
      );

    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ retryable: true, operation: 'login' });
    expect((error as UpstreamError).message).toContain('TLS verification failed');
    expect(sim.server.calls().length).toBe(before);
  });
});
