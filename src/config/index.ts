/**
 * Configuration: environment variables (endpoints and every secret) plus one validated file
 * (`CONNECTOR_CONFIG`: tenants, maintenance windows, policy tiers, approval rules, tuning).
 *
 * - ./connector-file.ts: the file's schema and the types derived from it;
 * - ./env.ts: the environment's schema, one group per concern;
 * - ./load.ts: `loadConfig` (both of the above plus the rules across variables → `Config`) and
 *   `describeConfig`.
 *
 * Import from here (`../config`), not from the files inside.
 */
export {
  connectorFileSchema,
  type ApprovalRule,
  type ConnectorFile,
  type MaintenanceWindow,
  type TenantConfig,
  type Tuning,
  type Weekday,
} from './connector-file';
export { API_ROLES, type ApiRole, type ApiToken } from './env';
export {
  describeConfig,
  loadConfig,
  parseConnectorFile,
  type Config,
  type LoadConfigOptions,
  type ServiceNowAuth,
} from './load';
