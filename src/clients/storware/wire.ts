/**
 * The wire types, from spec/storware.openapi.yaml through openapi-typescript. Request bodies and
 * query strings are built against them, so a spec change that renames a field fails the
 * compilation here. Answers are read defensively in normalize.ts instead of being trusted to
 * match: the spec is reconstructed from clients, not published by Storware (docs/storware-api.md §9).
 */
import type { components, operations } from '../../../spec/generated/storware';

type Schemas = components['schemas'];

export type WireLoginRequest = Schemas['LoginRequest'];
export type WireExportTaskRequest = Schemas['ExportTaskRequest'];
export type WireRestoreAndImportTaskRequest = Schemas['RestoreAndImportTaskRequest'];
export type WireInventorySyncTaskRequest = Schemas['InventorySyncTaskRequest'];
export type WireTaskStateChangeRequest = Schemas['TaskStateChangeRequest'];
export type WireVirtualMachine = Schemas['VirtualMachine'];

type QueryOf<K extends keyof operations> = operations[K] extends { parameters: { query?: infer Q } }
  ? NonNullable<Q>
  : never;

export type VmListQuery = QueryOf<'listVirtualMachines'>;
export type TaskListQuery = QueryOf<'listTasks'>;
export type BackupListQuery = QueryOf<'listBackups'>;
export type BackupLocationListQuery = QueryOf<'listBackupLocations'>;
export type PolicyListQuery = QueryOf<'listVmBackupPolicies'>;
export type HypervisorManagerScopedQuery = QueryOf<'listFlavors'>;
export type NetworkListQuery = QueryOf<'listNetworks'>;
export type RestoreSettingsQueryWire = QueryOf<'getOpenstackRestoreSettings'>;
