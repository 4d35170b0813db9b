/**
 * A faithful ServiceNow stand-in for tests, the demo and benchmarks (docs/servicenow.md §7): the Table API
 * over in-memory tables, OAuth and basic auth, hourly rate limits, the hibernation page, and a
 * requester side that orders catalog items, approves, cancels and sends the signed webhook to the
 * connector. Built on ../http-kit.ts, so every call is recorded and faults can be injected
 * (`/__admin/faults`, or `sim.http.addFault`).
 *
 * Deterministic for a given seed and sequence of calls; time comes from the injected clock.
 */
import { loadCatalog, type Catalog } from '../../catalog/definitions';
import type { CatalogItemKey } from '../../items/definitions';
import { startSimServer, type SimResponse, type SimServer } from '../http-kit';
import { createSimAuth, DEFAULT_TOKEN_TTL_SECONDS, type SimCredentials } from './auth';
import { catalogItemSysId, defaultCredentials, seedFixtures } from './fixtures';
import { createIdSource } from './ids';
import { createRateLimiter, type RateLimitConfig } from './rate-limit';
import { createRequester, type Requester } from './requester';
import { createRequesterRoutes } from './requester-routes';
import { createRoutes, UNKNOWN_RESOURCE } from './routes';
import type { TableName } from './schema';
import { TableStore, type JournalRecord, type Row } from './tables';
import { createWebhookEmitter, type WebhookEmitter } from './webhooks';

export interface ServiceNowSimulatorOptions {
  /** 0 or absent: a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Seed for generated sys_ids, tokens and webhook ids (default 1). */
  readonly seed?: number;
  /** Base URL of the connector; webhooks go to `<connectorUrl>/webhooks/servicenow`. */
  readonly connectorUrl?: string;
  /** `whsec_…` secrets every webhook is signed with (several during a rotation). */
  readonly webhookSecrets?: readonly string[];
  /** Access token lifetime (default 1800 s, docs/servicenow.md §1). */
  readonly tokenTtlSeconds?: number;
  /** Requests per hour for every user (a number) or per `user_name`; no limit when absent. */
  readonly rateLimitPerHour?: RateLimitConfig;
  /** Clock for every timestamp, token expiry and rate-limit window (default Date.now). */
  readonly now?: () => number;
  /** Added to (and overriding) the default integration account and OAuth client. */
  readonly credentials?: Partial<SimCredentials>;
  /** Catalog definitions (default: catalog-items/*.yaml). */
  readonly catalog?: Catalog;
  /** Start hibernating: every call answers 200 with an HTML page. */
  readonly hibernating?: boolean;
  /** Timeout for one webhook delivery (default 5000 ms). */
  readonly webhookTimeoutMs?: number;
}

export interface ServiceNowSimulator {
  readonly url: string;
  readonly port: number;
  /** The underlying server: recorded calls, fault injection, close. */
  readonly http: SimServer;
  readonly requester: Requester;
  readonly webhooks: Omit<WebhookEmitter, 'close'>;
  /** Copies of a table's rows (raw string values), in insertion order. */
  table(name: TableName): Row[];
  /** A copy of one row. */
  record(name: TableName, sysId: string): Row | undefined;
  /** The journal of a record (work_notes and comments, or one of them), oldest first. */
  journal(sysId: string, element?: string): JournalRecord[];
  /** Writes as a user would through the Table API (journal, mod count and task rules apply). */
  insert(name: TableName, values: Record<string, unknown>, actor?: string): Row;
  update(name: TableName, sysId: string, values: Record<string, unknown>, actor?: string): Row | undefined;
  /** The simulator's stable sys_id of a catalog item. */
  catalogItemSysId(key: CatalogItemKey): string;
  setHibernating(on: boolean): void;
  /** Hourly limit for a `user_name`, or `*` for everyone; undefined removes it. */
  setRateLimit(user: string, perHour: number | undefined): void;
  /** Invalidates every access token (refresh tokens keep working). */
  revokeAccessTokens(): void;
  /** Invalidates every access and refresh token. */
  revokeAllTokens(): void;
  setTokenTtl(seconds: number): void;
  close(): Promise<void>;
}

const HIBERNATING_PAGE =
  '<html><head><title>Instance Hibernating page</title></head><body><h1>Your instance is hibernating</h1>' +
  '<p>Sign in to the developer portal to wake it up.</p></body></html>';

export async function startServiceNowSimulator(
  options: ServiceNowSimulatorOptions = {},
): Promise<ServiceNowSimulator> {
  const now = options.now ?? Date.now;
  const seed = options.seed ?? 1;
  // Separate streams, so turning webhooks or OAuth on does not shift record sys_ids.
  const recordIds = createIdSource(seed);
  const tokenIds = createIdSource(seed ^ 0x5bd1e995);
  const webhookIds = createIdSource(seed ^ 0x27d4eb2f);

  const catalog = options.catalog ?? loadCatalog();
  const store = new TableStore(recordIds, now);
  seedFixtures(store, catalog);

  const defaults = defaultCredentials();
  const credentials: SimCredentials = {
    users: { ...defaults.users, ...(options.credentials?.users ?? {}) },
    oauthClients: { ...defaults.oauthClients, ...(options.credentials?.oauthClients ?? {}) },
    apiKeys: { ...defaults.apiKeys, ...(options.credentials?.apiKeys ?? {}) },
  };
  const auth = createSimAuth({
    credentials,
    store,
    ids: tokenIds,
    now,
    tokenTtlSeconds: options.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
  });
  const limiter = createRateLimiter(options.rateLimitPerHour, now);
  const webhooks = createWebhookEmitter({
    connectorUrl: options.connectorUrl,
    secrets: options.webhookSecrets ?? [],
    ids: webhookIds,
    now,
    timeoutMs: options.webhookTimeoutMs ?? 5_000,
  });
  const requester = createRequester({ store, catalog, webhooks });

  let hibernating = options.hibernating === true;
  const http = await startSimServer({
    port: options.port,
    host: options.host,
    routes: [...createRoutes({ store, auth, limiter }), ...createRequesterRoutes(requester, webhooks)],
    notFound: UNKNOWN_RESOURCE,
    before: (req): SimResponse | undefined =>
      hibernating && !req.path.startsWith('/__requester/')
        ? {
            status: 200,
            body: HIBERNATING_PAGE,
            raw: true,
            headers: { 'Content-Type': 'text/html;charset=UTF-8' },
          }
        : undefined,
  });

  const copy = (row: Row | undefined): Row | undefined => (row === undefined ? undefined : { ...row });

  return {
    url: http.url,
    port: http.port,
    http,
    requester,
    webhooks,
    table: (name) => store.rows(name).map((row) => ({ ...row })),
    record: (name, sysId) => copy(store.get(name, sysId)),
    journal: (sysId, element) => store.journal(sysId, element),
    insert: (name, values, actor = 'admin') => ({ ...store.insert(name, values, { actor }) }),
    update: (name, sysId, values, actor = 'admin') => copy(store.update(name, sysId, values, { actor })),
    catalogItemSysId,
    setHibernating(on) {
      hibernating = on;
    },
    setRateLimit: (user, perHour) => limiter.setLimit(user, perHour),
    revokeAccessTokens: () => auth.revokeAccessTokens(),
    revokeAllTokens: () => auth.revokeAllTokens(),
    setTokenTtl: (seconds) => auth.setTokenTtl(seconds),
    async close() {
      webhooks.close();
      await http.close();
    },
  };
}

export { SIM_DEFAULT_CREDENTIALS, catalogItemSysId, variableSysId } from './fixtures';
export type { SimCredentials, OAuthClient } from './auth';
export type { RateLimitConfig } from './rate-limit';
export type { ActionResult, AnswerValue, OrderOptions, OrderResult, RecordRef, Requester } from './requester';
export type { TableName } from './schema';
export type { JournalRecord, Row } from './tables';
export type { Delivery, DeliveryOptions, DeliveryState, WebhookEvent, WebhookPayload } from './webhooks';
