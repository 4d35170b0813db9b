/**
 * The connector file (`CONNECTOR_CONFIG`): tenants, maintenance windows, policy tiers, approval
 * rules and tuning. YAML or JSON, validated by `connectorFileSchema`; ./load.ts reads and parses it.
 *
 * The schema is strict (unknown keys are problems, not silently ignored) and has no field that
 * could hold a secret: secrets are accepted only from the environment (./env.ts).
 */
import { z } from 'zod';
import { CATALOG_ITEM_KEYS, ITEM_DEFINITIONS, type CatalogItemKey } from '../items/definitions';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const SYS_ID = /^[0-9a-f]{32}$/;
// Keystone project ids are 32 hex digits; some deployments show them dashed like a UUID.
const PROJECT_ID = /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CLOCK = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const maintenanceWindowSchema = z
  .object({
    /** Days on which the window *opens*; a window that crosses midnight ends the next day. */
    days: z.array(z.enum(WEEKDAYS)).min(1, 'list at least one day'),
    start: z.string().regex(CLOCK, 'use HH:MM (24-hour clock)'),
    end: z.string().regex(CLOCK, 'use HH:MM (24-hour clock)'),
    timeZone: z.string().refine(isTimeZone, 'not an IANA time zone (e.g. Europe/Warsaw)'),
  })
  .strict()
  .refine((w) => w.start !== w.end, { message: 'start and end must differ', path: ['end'] });
export type MaintenanceWindow = z.infer<typeof maintenanceWindowSchema>;

const approvalRuleSchema = z
  .object({
    required: z.boolean(),
    /** Distinct approvers, none of them the requester or the opener. */
    minApprovals: z.number().int().min(1).max(10).default(1),
    /** How long a request waits for a decision before it closes incomplete. */
    timeoutHours: z
      .number()
      .positive()
      .max(24 * 30)
      .default(72),
  })
  .strict();
export type ApprovalRule = z.infer<typeof approvalRuleSchema>;

/** One optional rule per catalog item; items whose approval cannot be switched off refuse `false`. */
const approvalRulesSchema = z
  .object(
    Object.fromEntries(
      CATALOG_ITEM_KEYS.map((key) => [
        key,
        ITEM_DEFINITIONS[key].approvalAlwaysRequired
          ? approvalRuleSchema
              .refine((rule) => rule.required, {
                path: ['required'],
                message: `${ITEM_DEFINITIONS[key].noun}s always require approval; remove the line or set it to true`,
              })
              .optional()
          : approvalRuleSchema.optional(),
      ]),
    ) as Record<CatalogItemKey, z.ZodOptional<typeof approvalRuleSchema>>,
  )
  .strict();

const policyTierSchema = z
  .object({
    policyGuid: z.string().regex(GUID, 'must be a Storware policy GUID'),
    description: z.string().max(200).optional(),
  })
  .strict();

const tenantSchema = z
  .object({
    /** Short stable name used in the ledger, metrics and logs. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes'),
    name: z.string().min(1).max(200),
    /** sys_id of the requester's `core_company` in ServiceNow. */
    serviceNowCompany: z.string().regex(SYS_ID, 'must be a 32-hex ServiceNow sys_id'),
    openStackProjectId: z.string().regex(PROJECT_ID, 'must be a Keystone project id (32 hex digits)'),
    /** Empty or absent: work may run at any time. */
    maintenanceWindows: z.array(maintenanceWindowSchema).default([]),
    approvals: approvalRulesSchema.default({}),
    /** Tier name → policy, overriding the global tiers for this tenant only. */
    policyTiers: z.record(z.string(), policyTierSchema).default({}),
    /** Storware steps this tenant may start per minute; overrides tuning.tenantStartsPerMinute. */
    startsPerMinute: z.number().int().min(0).max(100_000).optional(),
  })
  .strict();
export type TenantConfig = z.infer<typeof tenantSchema>;

const tuningSchema = z
  .object({
    /** How often running Storware tasks are polled (one paged list call per interval). */
    pollIntervalSeconds: z.number().int().min(1).max(300).default(5),
    /** How often a request waiting for approval re-reads its approvals (ritm.updated also wakes it). */
    approvalRecheckSeconds: z.number().int().min(1).max(3600).default(300),
    /** How often a request waiting for a new instance re-checks Storware's inventory. */
    inventoryRecheckSeconds: z.number().int().min(1).max(3600).default(30),
    /** How long "protect a new instance" waits for the instance to appear in Storware's inventory. */
    protectWaitMinutes: z
      .number()
      .min(0.05)
      .max(24 * 60)
      .default(30),
    /** Ask Storware to sync the inventory while waiting for a new instance. */
    protectTriggerInventorySync: z.boolean().default(true),
    /** Run a backup of the original before a restore that overwrites it. */
    safetyBackupBeforeOverwrite: z.boolean().default(false),
    /** Attempts for a job step before it lands in the failed set. */
    jobAttempts: z.number().int().min(1).max(50).default(8),
    /** Cap for the exponential backoff between attempts. */
    maxBackoffSeconds: z.number().int().min(1).max(3600).default(300),
    /** At most one progress note per ticket per this many seconds. */
    progressNoteIntervalSeconds: z.number().int().min(0).max(3600).default(60),
    /** RITM field written when a flow owns the state and refuses ours (e.g. u_storware_status); none by default. */
    serviceNowFallbackStateField: z
      .string()
      .regex(/^u_[a-z0-9_]{1,60}$|^x_[a-z0-9_]{1,80}$/, 'a custom field name such as u_storware_status')
      .optional(),
    /** Table API calls per hour the connector may spend (stay under the instance's rate-limit rule). */
    serviceNowHourlyBudget: z.number().int().min(10).default(3000),
    /** How long webhook dedupe keys live. ServiceNow and Standard Webhooks senders retry for days. */
    dedupeRetentionDays: z
      .number()
      .min(3, 'must be at least 3 days to outlive sender retries')
      .max(90)
      .default(7),
    /** How long a finished request stays in the ledger. */
    ledgerRetentionDays: z.number().min(1).max(365).default(30),
    /** Reconciler sweep interval; 0 turns it off. */
    reconcileIntervalSeconds: z.number().int().min(0).max(86400).default(300),
    /** How far back the reconciler looks for RITMs without a ledger entry. */
    reconcileLookbackDays: z.number().min(1).max(30).default(3),
    /** Requests one tenant may start (first Storware call) per minute; later ones wait their turn
     * so one tenant's burst cannot monopolise Storware. 0 = no limit. */
    tenantStartsPerMinute: z.number().int().min(0).max(100_000).default(0),
  })
  .strict();
export type Tuning = z.infer<typeof tuningSchema>;

export const connectorFileSchema = z
  .object({
    tenants: z.array(tenantSchema).min(1, 'configure at least one tenant'),
    policyTiers: z.record(z.string(), policyTierSchema).default({}),
    approvals: approvalRulesSchema.default({}),
    tuning: tuningSchema.default(tuningSchema.parse({})),
  })
  .strict()
  // Runs once the shape is valid (zod skips refinements of a failed object): duplicates are
  // reported on the start after the shape problems are fixed.
  .superRefine((file, ctx) => {
    const seen = {
      id: new Map<string, number>(),
      company: new Map<string, number>(),
      project: new Map<string, number>(),
    };
    file.tenants.forEach((tenant, index) => {
      for (const [key, value] of [
        ['id', tenant.id],
        ['company', tenant.serviceNowCompany],
        ['project', tenant.openStackProjectId.replaceAll('-', '').toLowerCase()],
      ] as const) {
        const first = seen[key].get(value);
        if (first !== undefined) {
          const field = key === 'id' ? 'id' : key === 'company' ? 'serviceNowCompany' : 'openStackProjectId';
          ctx.addIssue({
            code: 'custom',
            path: ['tenants', index, field],
            message: `duplicates tenants[${first}].${field}; each tenant needs its own`,
          });
        } else {
          seen[key].set(value, index);
        }
      }
    });
  });
export type ConnectorFile = z.infer<typeof connectorFileSchema>;
