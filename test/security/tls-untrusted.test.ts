/**
 * TLS to Storware, as real worker processes run it (docs/reliability.md §4.3 S6). Storware answers over
 * HTTPS with a certificate from a private CA, a self-signed one, or one that expired: a worker
 * refuses every one of them unless the certificate chains to STORWARE_CA_FILE and is valid — even
 * with NODE_TLS_REJECT_UNAUTHORIZED=0 in its environment, since the client asks for verification
 * explicitly. A refused handshake sends nothing (no request reaches Storware, credentials
 * included), keeps the request open and retrying, and once a worker with the CA runs, it completes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE } from '../../src/simulators/fixture-ids';
import { startStorwareSimulator, type StorwareSimulator } from '../../src/simulators/storware';
import { startChaosEnv, sleep, type ChaosEnv } from '../helpers/chaos-env';
import { waitUntil } from '../helpers/chaos-faults';
import { makeTestPki, type TestPki } from '../helpers/chaos-pki';
import { startRedisServer, type RedisServer } from '../helpers/chaos-redis';

jest.setTimeout(180_000);

describe('TLS: a worker never talks to a Storware it cannot verify', () => {
  let redis: RedisServer;
  let env: ChaosEnv;
  let pki: TestPki;
  const sims: Record<'valid' | 'expired' | 'selfSigned', StorwareSimulator | undefined> = {
    valid: undefined,
    expired: undefined,
    selfSigned: undefined,
  };
  const dir = mkdtempSync(join(tmpdir(), 'sic-security-tls-'));

  beforeAll(async () => {
    pki = makeTestPki(dir);
    for (const name of ['valid', 'expired', 'selfSigned'] as const) {
      sims[name] = await startStorwareSimulator({ port: 0, taskDurationMs: 100, tls: pki[name] });
    }
    redis = await startRedisServer();
    env = await startChaosEnv({ redisUrl: redis.url, logDir: dir });
    await env.startApi();
  });

  afterAll(async () => {
    await env?.close();
    await redis?.destroy();
    await Promise.all(
      Object.values(sims)
        .filter((s): s is StorwareSimulator => s !== undefined)
        .map((s) => s.close()),
    );
  });

  it('when the certificate is untrusted, self-signed or expired, then nothing is sent; with the CA configured the request completes', async () => {
    const { ritm } = await env.servicenow.requester.order('storware_backup_now', {
      requestedFor: 'alice',
      variables: { instance_id: FIXTURE.instances.acmeWeb.uuid, backup_type: 'FULL', priority: 50 },
    });
    const outcomes: string[] = [];
    const refused = async (
      what: string,
      sim: StorwareSimulator,
      extraEnv: Record<string, string>,
      code: RegExp,
    ) => {
      const worker = await env.startWorker({ STORWARE_URL: sim.baseUrl, LOG_LEVEL: 'debug', ...extraEnv });
      await waitUntil(
        () => code.test(worker.log()) || undefined,
        30_000,
        `${what}: a ${code} refusal in the log`,
      );
      await sleep(500);
      await worker.stop();
      expect({ what, calls: sim.server.calls().length }).toEqual({ what, calls: 0 });
      outcomes.push(`${what}: refused (${code.exec(worker.log())?.[0]}), 0 requests reached Storware`);
    };
    await refused(
      'certificate from a CA the worker does not trust',
      sims.valid!,
      {},
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
    );
    await refused(
      'the same, with NODE_TLS_REJECT_UNAUTHORIZED=0 set',
      sims.valid!,
      { NODE_TLS_REJECT_UNAUTHORIZED: '0' },
      /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
    );
    await refused(
      'self-signed certificate (CA configured)',
      sims.selfSigned!,
      { STORWARE_CA_FILE: pki.caFile },
      /DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED/,
    );
    await refused(
      'expired certificate from the trusted CA',
      sims.expired!,
      { STORWARE_CA_FILE: pki.caFile },
      /CERT_HAS_EXPIRED/,
    );

    // Still open and retrying: an unreachable Storware is not the request's fault.
    const waiting = await env.ledger.getByRitm(ritm.sysId);
    expect(waiting?.state).not.toMatch(/succeeded|failed/);
    expect(String(env.servicenow.record('sc_req_item', ritm.sysId)?.state)).not.toBe('4');

    const good = await env.startWorker({ STORWARE_URL: sims.valid!.baseUrl, STORWARE_CA_FILE: pki.caFile });
    const entry = await waitUntil(
      async () => {
        const e = await env.ledger.getByRitm(ritm.sysId);
        return e?.state === 'succeeded' ? e : undefined;
      },
      60_000,
      'the backup to succeed over verified TLS',
    );
    expect(
      sims
        .valid!.state.tasks()
        .filter((t) => t.type === 'EXPORT')
        .map((t) => t.guid),
    ).toContain(entry.tasks.export?.guid);
    await good.stop();
    outcomes.push('certificate from the CA in STORWARE_CA_FILE: accepted, the backup completed');
    process.stdout.write(`[security] TLS to Storware:\n  ${outcomes.join('\n  ')}\n`);
  });
});
