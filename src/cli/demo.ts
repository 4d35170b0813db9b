/**
 * `npm run demo`: the whole story on one machine. Starts Redis when none answers, both simulators,
 * the connector's API and workers; then a tenant orders each catalog item, an approver approves the
 * restore (after a self-approval is shown not to count), a request for another tenant's instance is
 * refused, and each ticket is printed as the requester and an agent see it.
 *
 *   npm run demo               run the story and exit
 *   npm run demo -- --keep     keep everything running afterwards (Ctrl-C stops it)
 */
import { redisReachable } from '../redis/connection';
import { createLogger } from '../logger';
import { FIXTURE } from '../simulators/fixture-ids';
import type { CatalogItemKey } from '../items/definitions';
import { isTerminalState, type LedgerEntry } from '../ledger';
import { startLocalStack, type LocalStack } from './local-stack';
import { startPrivateRedis, type PrivateRedis } from './local-redis';

const PREFIX = '{sic-demo}';
const STATE_LABEL: Record<string, string> = {
  '1': 'Open',
  '2': 'Work in Progress',
  '3': 'Closed Complete',
  '4': 'Closed Incomplete',
  '7': 'Closed Skipped',
};

const out = (line = '') => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function findRedis(): Promise<{ url: string; private?: PrivateRedis }> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (await redisReachable(url, 1_000)) {
    return { url };
  }
  try {
    const started = await startPrivateRedis();
    return { url: started.url, private: started };
  } catch (error) {
    throw new Error(
      `No Redis answered at ${url} and redis-server could not be started (${(error as Error).message}). ` +
        'Install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL.',
      { cause: error },
    );
  }
}

async function waitForFinish(stack: LocalStack, ritmSysId: string, timeoutMs = 60_000): Promise<LedgerEntry> {
  const ledger = stack.workers!.deps.ledger;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const entry = await ledger.getByRitm(ritmSysId);
    if (
      entry &&
      isTerminalState(entry.state) &&
      (await stack.workers!.deps.outbox.pendingCount(entry.requestId)) === 0
    ) {
      return entry;
    }
    if (Date.now() > deadline) {
      throw new Error(`ticket ${ritmSysId} did not finish within ${timeoutMs / 1000} s`);
    }
    await sleep(200);
  }
}

async function waitForState(stack: LocalStack, ritmSysId: string, state: string): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    if ((await stack.workers!.deps.ledger.getByRitm(ritmSysId))?.state === state) {
      return;
    }
    await sleep(100);
  }
  throw new Error(`ticket ${ritmSysId} never reached ${state}`);
}

function printTicket(stack: LocalStack, title: string, ritmSysId: string, entry: LedgerEntry): void {
  const ritm = stack.servicenow.record('sc_req_item', ritmSysId) ?? {};
  const journal = stack.servicenow.journal(ritmSysId);
  const time = (at: string | undefined) => (at ?? '').slice(11, 19);
  out('─'.repeat(100));
  out(`${String(ritm.number)} · ${title}`);
  out(
    `  state: ${STATE_LABEL[String(ritm.state)] ?? String(ritm.state)}   connector request: ${entry.requestId} (${entry.state})`,
  );
  out();
  out('  What the requester sees (additional comments):');
  for (const j of journal.filter((x) => x.element === 'comments')) {
    out(`    ${time(j.createdOn)}  ${j.value}`);
  }
  out();
  out('  What an agent sees (work notes):');
  for (const j of journal.filter((x) => x.element === 'work_notes')) {
    const lines = j.value.replace(/ \[ref r-[0-9a-f]{32}#\d+\]$/, '').split('\n');
    out(`    ${time(j.createdOn)}  ${lines[0]}`);
    for (const line of lines.slice(1)) {
      out(`              ${line}`);
    }
  }
  if (ritm.close_notes) {
    out();
    out('  Close notes:');
    for (const line of String(ritm.close_notes).split('\n')) {
      out(`    ${line}`);
    }
  }
}

async function main(): Promise<void> {
  const keep = process.argv.includes('--keep');
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', name: 'demo' });
  out('storware-itsm-connector demo: ServiceNow catalog requests → Storware, with live ticket updates');
  out();
  const redis = await findRedis();
  out(`Redis:      ${redis.url}${redis.private ? ' (started a private redis-server for the demo)' : ''}`);

  // Start from a clean slate: a previous demo run leaves its keys behind under the same prefix.
  const { Redis } = await import('ioredis');
  const cleaner = new Redis(redis.url);
  let cursor = '0';
  do {
    const [next, keys] = await cleaner.scan(cursor, 'MATCH', `${PREFIX}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) {
      await cleaner.del(...keys);
    }
  } while (cursor !== '0');
  cleaner.disconnect();

  const stack = await startLocalStack({
    redisUrl: redis.url,
    prefix: PREFIX,
    logger,
    apiPort: keep ? Number(process.env.PORT ?? 8080) : 0,
    storware: { taskDurationMs: 1_500, inventorySyncDelayMs: 20_000 },
  });
  out(`Storware:   ${stack.storware.baseUrl} (simulator)`);
  out(`ServiceNow: ${stack.servicenow.url} (simulator)`);
  out(`Connector:  ${stack.apiUrl} (API and workers in this process)`);
  out();

  const { requester } = stack.servicenow;
  const orders: Array<{ title: string; item: CatalogItemKey; ritm: string }> = [];
  const order = async (
    title: string,
    item: CatalogItemKey,
    variables: Record<string, string>,
    extra: { approvers?: string[] } = {},
  ) => {
    const result = await requester.order(item, { requestedFor: 'alice', variables, ...extra });
    orders.push({ title, item, ritm: result.ritm.sysId });
    out(`Alice (ACME Corp) orders ${title}: ${result.ritm.number}`);
    return result.ritm.sysId;
  };

  await order('"Back up my instance now" for acme-web-01 (full)', 'storware_backup_now', {
    instance_id: FIXTURE.instances.acmeWeb.uuid,
    backup_type: 'FULL',
  });
  const restore = await order(
    '"Restore my instance from a backup point" of acme-db-01 (latest) as a new instance',
    'storware_restore_point',
    {
      instance_id: FIXTURE.instances.acmeDb.uuid,
      backup_point: 'latest',
      target_name: 'acme-db-01-restored',
    },
    { approvers: ['alice', 'bob'] },
  );
  await order('"Protect my new instance" for acme-new-01 (gold, first backup now)', 'storware_protect_vm', {
    instance_id: FIXTURE.instances.acmeNew.uuid,
    policy_tier: 'gold',
    first_backup: 'true',
  });
  await order(
    '"Back up my instance now" for globex-app-01 (another tenant\'s instance)',
    'storware_backup_now',
    {
      instance_id: FIXTURE.instances.globexApp.uuid,
    },
  );
  out();

  await waitForState(stack, restore, 'waiting_approval');
  await sleep(1_100);
  out('Alice approves her own restore: the connector does not count it (approvers must be other people).');
  await requester.approve(restore, 'alice');
  await sleep(2_500);
  out('Bob (her manager) approves the restore after reading the approval packet on the ticket.');
  await requester.approve(restore, 'bob', 'Approved: restore as a copy is fine.');
  out();
  out('Waiting for every ticket to close …');

  const finished = await Promise.all(
    orders.map(async (o) => ({ ...o, entry: await waitForFinish(stack, o.ritm) })),
  );
  out();
  for (const f of finished) {
    printTicket(stack, f.title, f.ritm, f.entry);
  }
  out('─'.repeat(100));
  out();
  const storwareCalls = stack.storware.server.calls().length;
  const serviceNowCalls = stack.servicenow.http.calls().length;
  out(
    `Storware API calls: ${storwareCalls}; ServiceNow API calls: ${serviceNowCalls}; webhooks delivered: ${stack.servicenow.webhooks.deliveries().length}`,
  );
  out();
  // Tokens made for this demo run only (local-stack), so they can be shown to sign in with.
  const tokens = Object.fromEntries(
    (stack.env.API_TOKENS ?? '').split(',').map((entry) => {
      const [name, role, token] = entry.split(':');
      return [role ?? '', { name, token }];
    }),
  ) as Record<string, { name?: string; token?: string } | undefined>;
  out('Where to look (run with --keep to keep everything up):');
  out(`  ${stack.apiUrl}/status        status page for agents (sign in with the agent or ops token)`);
  out(`  ${stack.apiUrl}/ops/queues    queue dashboard (ops token)`);
  out(`  ${stack.apiUrl}/api/requests  the service API (Authorization: Bearer <token>)`);
  out(
    `  ${stack.apiUrl}/readyz        readiness (Redis, config);  ${stack.apiUrl}/openapi.json  the API spec`,
  );
  out(`  demo tokens: agent ${tokens.agent?.token ?? '?'}   ops ${tokens.ops?.token ?? '?'}`);

  if (keep) {
    out();
    out('Everything keeps running (--keep). Press Ctrl-C to stop.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  }
  await stack.close();
  await redis.private?.stop();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
