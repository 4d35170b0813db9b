// Generated from spec/storware.openapi.yaml by spec/gen-types.mjs. Do not edit; run npm run gen:types.
export interface paths {
  '/backup-locations': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Where each backup is stored; the restore source list (§5). */
    get: operations['listBackupLocations'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/backups': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Backup history of an instance (§5 Backups). */
    get: operations['listBackups'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/backups/{guid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One backup, with its network interface cards (§5 Backups). */
    get: operations['getBackup'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/hypervisor-clusters': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Availability zones for OpenStack (§5). */
    get: operations['listHypervisorClusters'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/hypervisor-managers': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Hypervisor managers; an OpenStack region is one, of type OPENSTACK (§5 Inventory). */
    get: operations['listHypervisorManagers'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/network': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Networks of a hypervisor manager, optionally of one project (§4, §5 Inventory). */
    get: operations['listNetworks'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/openstack/restore-settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Networks and security groups a restore can map each NIC to (§5, §7 restore-settings). */
    get: operations['getOpenstackRestoreSettings'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/policies/vm-backup': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** VM backup policies (SLAs), optionally per project (§4, §5 Policies). */
    get: operations['listVmBackupPolicies'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/policies/vm-backup/{guid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One VM backup policy with its `vms` and `rules` (§5 Policies). */
    get: operations['getVmBackupPolicy'];
    /** Saves the whole policy; its `vms` array is the second way a VM gets a policy (§5 Policies). */
    put: operations['updateVmBackupPolicy'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/projects': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Storware's projects with their Keystone ids (§4; the UI used it 2021–2024, so older or newer servers may answer 404). */
    get: operations['listProjects'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/session': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Cheap validity check of the current session (§2). */
    get: operations['checkSession'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/session/login': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Opens a session (§2). The answer sets the session cookie. */
    post: operations['login'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/session/logout': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Ends the session (§2). Status code not documented; any 2xx. */
    post: operations['logout'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/tasks': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Tasks, filtered (§5 Tasks; filters from DOC 7.4 plus MAN's `tenantId`). */
    get: operations['listTasks'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/tasks/{guid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One task with its state, progress and `statusInfo`; polled until it ends (§5 Tasks, §6). */
    get: operations['getTask'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/tasks/{guid}/state': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Cancel a task: `{state:{name:"CANCELLED"}, statusInfo:"Canceled by user"}` (§5 Tasks, UI TaskConsole.tsx). */
    put: operations['setTaskState'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/tasks/export': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** On-demand backup; one EXPORT task per VM, the server adds STORE when it succeeds (§6, §7 Export). */
    post: operations['createExportTask'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/tasks/inventory-sync': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Re-read the inventory of hypervisor managers (§5 Tasks). */
    post: operations['createInventorySyncTask'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/tasks/restore-and-import': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Restore a backup and import it as an instance; RESTORE then IMPORT (§6, §7 Restore-and-import). */
    post: operations['createRestoreAndImportTask'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/virtual-machine-flavors': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Instance flavors of a hypervisor manager, for `restoreVmFlavor` (§5 Inventory, §7 Restore-and-import). */
    get: operations['listFlavors'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/virtual-machines': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Instances in the inventory (§4, §5 Inventory). */
    get: operations['listVirtualMachines'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/virtual-machines/{guid}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** One instance by its Storware guid (§5 Inventory). */
    get: operations['getVirtualMachine'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/virtual-machines/{guid}/settings': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /** Saves an instance's settings; the body is the whole VM (§5). This is how one VM gets a policy, through `vmBackupPolicy`. */
    put: operations['updateVirtualMachineSettings'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    Backup: components['schemas']['BackupListRecord'] & {
      iscsiMountable?: boolean;
      networkInterfaceCards?: components['schemas']['NetworkInterfaceCard'][];
    };
    /** @description §7 Backup. `type` FULL|INCREMENTAL; `status` seen: SUCCESS, PARTIAL_SUCCESS, FAILED. */
    BackupListRecord: {
      backupLocations?: components['schemas']['BackupLocation'][];
      backupRule?: components['schemas']['NameAndGuid'];
      backupTime?: components['schemas']['EpochMillis'];
      description?: string;
      guid: string;
      originEntity?: {
        [key: string]: unknown;
      };
      parentBackup?: components['schemas']['NameAndGuid'];
      protectedEntity?: {
        guid?: string;
        name?: string;
        type?: components['schemas']['EnumValue'];
      };
      /**
       * Format: int64
       * @description Bytes.
       */
      size?: number;
      snapshotTime?: components['schemas']['EpochMillis'];
      status?: components['schemas']['EnumValue'];
      statusInfo?: string;
      type?: components['schemas']['EnumValue'];
      warningsPresent?: boolean;
    } & {
      [key: string]: unknown;
    };
    BackupLocation: {
      backup?: components['schemas']['NameAndGuid'];
      backupDestination?: components['schemas']['NameAndGuid'];
      backupDestinationType?: components['schemas']['EnumValue'];
      guid: string;
      retentionHint?: components['schemas']['EnumValue'];
      roleType?: components['schemas']['EnumValue'];
      snapshotTime?: components['schemas']['EpochMillis'];
      status?: components['schemas']['EnumValue'];
    } & {
      [key: string]: unknown;
    };
    /** @description An enum as a request field; `name` alone is enough, a bare string is accepted (§3). */
    EnumInput: string | components['schemas']['EnumValue'];
    EnumValue: {
      description?: string;
      name: string;
    };
    /**
     * Format: int64
     * @description Milliseconds since 1970-01-01T00:00:00Z.
     */
    EpochMillis: number;
    ErrorBody: {
      error?: {
        message?: string;
      };
      message?: string;
    };
    /** @description Current UI form plus MAN's `windowEnd` and `backupDestination` (§7 Export). */
    ExportTaskRequest: {
      async?: boolean;
      backupDestination?: components['schemas']['GuidRef'];
      backupType: components['schemas']['EnumInput'];
      /** @default 50 */
      priority: number;
      protectedEntities: components['schemas']['GuidRef'][];
      /** @example VM */
      protectedEntityType?: string;
      retryCount?: number;
      rules?: components['schemas']['GuidRef'][];
      windowEnd?: components['schemas']['EpochMillis'];
      windowStart?: components['schemas']['EpochMillis'];
    };
    GuidRef: {
      guid: string;
    };
    HypervisorCluster: {
      guid: string;
      name?: string;
      /** @description OpenStack AZ id; `restoreClusterId` takes this value (§7). */
      uuid?: string;
    } & {
      [key: string]: unknown;
    };
    HypervisorManager: {
      guid: string;
      name?: string;
      type?: components['schemas']['EnumValue'];
      url?: string;
    } & {
      [key: string]: unknown;
    };
    InventorySyncTaskRequest: {
      hypervisorManagers: components['schemas']['GuidRef'][];
    };
    LoginRequest: {
      login: string;
      /** Format: password */
      password: string;
    };
    NameAndGuid: {
      guid: string;
      name?: string;
    };
    Network: {
      guid: string;
      name?: string;
      uuid?: string;
    } & {
      [key: string]: unknown;
    };
    NetworkInterfaceCard: {
      guid: string;
      name?: string;
      network?: components['schemas']['NameAndGuid'];
      uuid?: string;
    };
    OpenstackEntity: {
      guid: string;
      name?: string;
      uuid?: string;
    };
    OpenstackRestoreSettings: {
      networkSection?: {
        securityGroupsFromHypervisorManager?: components['schemas']['OpenstackEntity'][];
        sourceNetworkWithSecurityGroups?: {
          defaultMacAddress?: string;
          defaultNetworkInternalId?: string;
          guid?: string;
          name?: string;
          securityGroupsFromBackup?: components['schemas']['OpenstackEntity'][];
          uuid?: string;
        }[];
        targetNetworks?: components['schemas']['OpenstackEntity'][];
      };
    };
    Project: {
      guid: string;
      name?: string;
      /** @description The Keystone project id. */
      uuid?: string;
    } & {
      [key: string]: unknown;
    };
    /** @description MAN fields plus the current UI's (§7 Restore-and-import). Give `backupLocation` or `backup`. */
    RestoreAndImportTaskRequest: {
      /** @description The backup; MAN and HZN-old send the bare guid. */
      backup?: string | components['schemas']['GuidRef'];
      backupLocation?: {
        backup?: components['schemas']['GuidRef'];
        guid: string;
      };
      hypervisor?: components['schemas']['GuidRef'];
      hypervisorManager?: components['schemas']['GuidRef'];
      /** @description Replace existing same-name VMs in the project. */
      overwrite?: boolean;
      powerOnAfterRestore?: boolean;
      /** @description The AZ uuid, not its guid. */
      restoreClusterId?: string;
      restoredNetworks?: components['schemas']['RestoredNetwork'][];
      restoredPeName?: string;
      /** @description Target project (type not pinned by any source). */
      restoreProject?: string | components['schemas']['GuidRef'];
      restoreStorageId?: string;
      restoreToOriginalVolumeType?: boolean;
      restoreVmFlavor?: components['schemas']['GuidRef'];
      taskFiles?: {
        [key: string]: unknown;
      }[];
    };
    RestoredNetwork: {
      macAddress?: string;
      macAddressSpecified?: boolean;
      network?: components['schemas']['GuidRef'];
      networkInterfaceCard?: components['schemas']['NameAndGuid'];
      securityGroups?: string[];
    };
    Rule: {
      active?: boolean;
      guid?: string;
      name?: string;
      position?: number;
      ruleBackupDestinations?: ({
        active?: boolean;
        backupDestination?: components['schemas']['NameAndGuid'];
        roleType?: components['schemas']['EnumValue'];
      } & {
        [key: string]: unknown;
      })[];
      schedules?: components['schemas']['NameAndGuid'][];
    } & {
      [key: string]: unknown;
    };
    SessionInfo: {
      appUserSettings?: {
        pageSize?: number;
        timeFormat?: string;
        /** Format: int64 */
        unmountPeriodForMountedBackups?: number;
      } & {
        [key: string]: unknown;
      };
      infoTourEnabled?: boolean;
      language?: string;
      lastFailedLogin?: components['schemas']['EpochMillis'];
      lastFailedLoginIp?: string;
      lastSuccessfulLogin?: components['schemas']['EpochMillis'];
      privileges?: (string | components['schemas']['EnumValue'])[];
      requester?: components['schemas']['NameAndGuid'];
      uiConsoleMode?: string;
      uiTimeZone?: string;
    };
    /** @description Task list record (§6 Task JSON). States: QUEUED, RUNNING, FINISHED, FAILED, CANCELLED. */
    Task: {
      backupDestination?: components['schemas']['NameAndGuid'];
      backupType?: components['schemas']['EnumValue'];
      finishTime?: components['schemas']['EpochMillis'];
      guid: string;
      hypervisor?: components['schemas']['NameAndGuid'];
      hypervisorManager?: components['schemas']['NameAndGuid'];
      node?: components['schemas']['NameAndGuid'];
      originEntity?: {
        type?: components['schemas']['EnumValue'];
      };
      powerOnAfterRestore?: boolean;
      priority?: number;
      /** @description 0–100, e.g. 66.5. */
      progress?: number;
      protectedEntity?: components['schemas']['NameAndGuid'];
      protectedEntityDisplayName?: string;
      startTime?: components['schemas']['EpochMillis'];
      state?: components['schemas']['EnumValue'];
      type?: components['schemas']['EnumValue'];
      windowEnd?: components['schemas']['EpochMillis'];
      windowStart?: components['schemas']['EpochMillis'];
    } & {
      [key: string]: unknown;
    };
    /** @description DOC's bulk result type (§6); which endpoints return it is unknown. */
    TaskBulkResult: {
      successful?: components['schemas']['NameAndGuid'][];
      tasks?: components['schemas']['TaskDetails'][];
      unsuccessful?: components['schemas']['NameAndGuid'][];
    };
    TaskCreationAnswer:
      | components['schemas']['TaskDetails']
      | components['schemas']['TaskDetails'][]
      | components['schemas']['TaskBulkResult'];
    TaskDetails: components['schemas']['Task'] & {
      backup?: components['schemas']['NameAndGuid'];
      dstProtectedEntity?: components['schemas']['NameAndGuid'];
      parentTask?: components['schemas']['NameAndGuid'];
      processedObjectCount?: number;
      progressChange?: number;
      restoreType?: components['schemas']['EnumValue'];
      retryCount?: number;
      /** @description Failure or info text; a failure is state FAILED plus this (§6). */
      statusInfo?: string;
      totalObjectCount?: number;
      workflowExecution?: components['schemas']['NameAndGuid'];
    };
    TaskStateChangeRequest: {
      state: components['schemas']['EnumInput'];
      statusInfo?: string;
    };
    /** @description Fields clients read (§7 VM). PUT …/settings takes the whole object back. */
    VirtualMachine: {
      averageProgress?: number;
      /** @description Absent when the VM has no schedule. */
      backupUpToDate?: boolean;
      guid: string;
      hvCluster?: components['schemas']['NameAndGuid'];
      hvManager?: {
        guid?: string;
        name?: string;
        url?: string;
      };
      hvmType?: components['schemas']['EnumValue'];
      hvType?: components['schemas']['EnumValue'];
      hypervisor?: components['schemas']['NameAndGuid'];
      lastBackup?: components['schemas']['EpochMillis'];
      /** Format: int64 */
      lastSuccessfulBackupSize?: number;
      lastSuccessfulFullBackup?: components['schemas']['NameAndGuid'];
      /** Format: int64 */
      lastSuccessfulFullBackupSize?: number;
      lastSuccessfulIncBackup?: components['schemas']['NameAndGuid'];
      name?: string;
      networks?: components['schemas']['NameAndGuid'][];
      originalName?: string;
      possibleActions?: string[];
      present?: boolean;
      project?: components['schemas']['NameAndGuid'];
      restorable?: boolean;
      /** @description `null` when the VM has no such policy. */
      snapshotMgmtPolicy?: components['schemas']['NameAndGuid'] | null;
      tags?: string[];
      /** @description Nova instance UUID. */
      uuid?: string;
      /** @description `null` when the VM has no such policy. */
      vmBackupPolicy?: components['schemas']['NameAndGuid'] | null;
      vmFlavor?: components['schemas']['NameAndGuid'];
      warningsPresent?: boolean;
    } & {
      [key: string]: unknown;
    };
    /** @description §7 Policy. One policy per VM; `vms` lists its members. */
    VmBackupPolicy: {
      active?: boolean;
      autoAssignSettings?: {
        mode?: components['schemas']['EnumValue'];
      } & {
        [key: string]: unknown;
      };
      autoRemoveNonPresent?: boolean;
      /** Format: int64 */
      averageBackupSize?: number;
      backupRetryCount?: number;
      guid: string;
      name?: string;
      priority?: number;
      rules?: components['schemas']['Rule'][];
      vmCount?: number;
      vms?: components['schemas']['NameAndGuid'][];
    } & {
      [key: string]: unknown;
    };
  };
  responses: {
    /** @description The request was refused. */
    Error: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /**
     * @description Task details. Whether the server answers one task, an array of tasks or the bulk result
     *     type is not documented (§6, §9), so all three are described.
     */
    TaskCreated: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['TaskCreationAnswer'];
      };
    };
    /** @description No valid session (missing, expired or logged out), or bad credentials on login. */
    Unauthorized: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
  };
  parameters: {
    Direction: 'asc' | 'desc';
    GuidPath: string;
    HypervisorManagerQuery: string;
    OrderBy: string;
    /** @description 0-based. */
    Page: number;
    /** @description Keystone project id; the current project-scoping parameter (§4). */
    ProjectUuid: string;
    Size: number;
    /** @description Older project filter (MAN 2022, §4). */
    TenantId: string;
  };
  requestBodies: never;
  headers: {
    /** @description Total number of matching items when `page`/`size` are given (§3 Paging). */
    XTotalCount: number;
  };
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  listBackupLocations: {
    parameters: {
      query: {
        'location-status'?: string;
        'protected-entity': string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Backup locations. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BackupLocation'][];
        };
      };
      401: components['responses']['Unauthorized'];
    };
  };
  listBackups: {
    parameters: {
      query: {
        from?: number;
        'only-mountable'?: boolean;
        /** @description Keystone project id; the current project-scoping parameter (§4). */
        'project-uuid'?: components['parameters']['ProjectUuid'];
        /** @description The VM guid. */
        'protected-entity': string;
        /** @description Repeatable, e.g. `status=SUCCESS&status=PARTIAL_SUCCESS`. */
        status?: string[];
        to?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Backups, newest first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['BackupListRecord'][];
        };
      };
      401: components['responses']['Unauthorized'];
    };
  };
  getBackup: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        guid: components['parameters']['GuidPath'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One backup, with its network interface cards (§5). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Backup'];
        };
      };
      401: components['responses']['Unauthorized'];
      404: components['responses']['Error'];
    };
  };
  listHypervisorClusters: {
    parameters: {
      query?: {
        'hypervisor-manager'?: components['parameters']['HypervisorManagerQuery'];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Clusters (AZs). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['HypervisorCluster'][];
        };
      };
      401: components['responses']['Unauthorized'];
    };
  };
  listHypervisorManagers: {
    parameters: {
      query?: {
        /** @description Only managers a given backup can be restored to. */
        'backup-to-be-restored'?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Hypervisor managers (an OpenStack region is one, type OPENSTACK). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['HypervisorManager'][];
        };
      };
      401: components['responses']['Unauthorized'];
    };
  };
  listNetworks: {
    parameters: {
      query?: {
        'hypervisor-manager'?: components['parameters']['HypervisorManagerQuery'];
        /** @description Keystone project id; the current project-scoping parameter (§4). */
        'project-uuid'?: components['parameters']['ProjectUuid'];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Networks. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Network'][];
        };
      };
      401: components['responses']['Unauthorized'];
    };
  };
  getOpenstackRestoreSettings: {
    parameters: {
      query: {
        'backup-guid': string;
        'cluster-guid': string;
        'hvm-guid': string;
        'project-guid'?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Restore settings. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['OpenstackRestoreSettings'];
        };
      };
      401: components['responses']['Unauthorized'];
      404: components['responses']['Error'];
    };
  };
  listVmBackupPolicies: {
    parameters: {
      query?: {
        direction?: components['parameters']['Direction'];
        extended?: boolean;
        orderBy?: components['parameters']['OrderBy'];
        /** @description 0-based. */
        page?: components['parameters']['Page'];
        /** @description Keystone project id; the current project-scoping parameter (§4). */
        'project-uuid'?: components['parameters']['ProjectUuid'];
        size?: components['parameters']['Size'];
        /** @description Older project filter (MAN 2022, §4). */
        tenantid?: components['parameters']['TenantId'];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description VM backup policies (SLAs). */
      200: {
        headers: {
          'X-Total-Count': components['headers']['XTotalCount'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VmBackupPolicy'][];
        };
      };
      401: components['responses']['Unauthorized'];
    };
  };
  getVmBackupPolicy: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        guid: components['parameters']['GuidPath'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One policy with its `vms` and `rules`. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VmBackupPolicy'];
        };
      };
      401: components['responses']['Unauthorized'];
      404: components['responses']['Error'];
    };
  };
  updateVmBackupPolicy: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        guid: components['parameters']['GuidPath'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['VmBackupPolicy'];
      };
    };
    responses: {
      /** @description Saved. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VmBackupPolicy'];
        };
      };
      /** @description Saved. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['Error'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['Error'];
    };
  };
  listProjects: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Projects. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Project'][];
        };
      };
      401: components['responses']['Unauthorized'];
      404: components['responses']['Error'];
    };
  };
  checkSession: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The session is valid. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      401: components['responses']['Unauthorized'];
    };
  };
  login: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['LoginRequest'];
      };
    };
    responses: {
      /** @description Session opened. */
      201: {
        headers: {
          /** @description The session cookie (name undocumented; `JSESSIONID` is a guess). */
          'Set-Cookie'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SessionInfo'];
        };
      };
      401: components['responses']['Unauthorized'];
    };
  };
  logout: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Logged out. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description Logged out. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      401: components['responses']['Unauthorized'];
    };
  };
  listTasks: {
    parameters: {
      query?: {
        backup?: string;
        direction?: components['parameters']['Direction'];
        'hypervisor-manager'?: string;
        orderBy?: components['parameters']['OrderBy'];
        /** @description 0-based. */
        page?: components['parameters']['Page'];
        'parent-task'?: string;
        /** @description Keystone project id; the current project-scoping parameter (§4). */
        'project-uuid'?: components['parameters']['ProjectUuid'];
        'protected-entity'?: string;
        size?: components['parameters']['Size'];
        state?: string;
        /** @description Repeatable. */
        states?: string[];
        /** @description Older spelling of the project filter (MAN 2022). */
        tenantId?: string;
        type?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The matching tasks. */
      200: {
        headers: {
          'X-Total-Count': components['headers']['XTotalCount'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TaskDetails'][];
        };
      };
      401: components['responses']['Unauthorized'];
    };
  };
  getTask: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        guid: components['parameters']['GuidPath'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Task details. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TaskDetails'];
        };
      };
      401: components['responses']['Unauthorized'];
      404: components['responses']['Error'];
    };
  };
  setTaskState: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        guid: components['parameters']['GuidPath'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['TaskStateChangeRequest'];
      };
    };
    responses: {
      /** @description Changed; some versions answer the task. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['TaskDetails'];
        };
      };
      /** @description Changed. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['Error'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['Error'];
    };
  };
  createExportTask: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ExportTaskRequest'];
      };
    };
    responses: {
      200: components['responses']['TaskCreated'];
      201: components['responses']['TaskCreated'];
      /** @description Accepted without task details (§9 says to confirm by listing tasks). */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['Error'];
      401: components['responses']['Unauthorized'];
    };
  };
  createInventorySyncTask: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['InventorySyncTaskRequest'];
      };
    };
    responses: {
      200: components['responses']['TaskCreated'];
      201: components['responses']['TaskCreated'];
      /** @description Accepted without task details. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['Error'];
      401: components['responses']['Unauthorized'];
    };
  };
  createRestoreAndImportTask: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RestoreAndImportTaskRequest'];
      };
    };
    responses: {
      200: components['responses']['TaskCreated'];
      201: components['responses']['TaskCreated'];
      /** @description Accepted without task details. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['Error'];
      401: components['responses']['Unauthorized'];
    };
  };
  listFlavors: {
    parameters: {
      query?: {
        'hypervisor-manager'?: components['parameters']['HypervisorManagerQuery'];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Flavors. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NameAndGuid'][];
        };
      };
      401: components['responses']['Unauthorized'];
    };
  };
  listVirtualMachines: {
    parameters: {
      query?: {
        direction?: components['parameters']['Direction'];
        'hypervisor-manager-type'?: string;
        nameLike?: string;
        orderBy?: components['parameters']['OrderBy'];
        /** @description 0-based. */
        page?: components['parameters']['Page'];
        /** @description Keystone project id; the current project-scoping parameter (§4). */
        'project-uuid'?: components['parameters']['ProjectUuid'];
        size?: components['parameters']['Size'];
        /** @description Older project filter (MAN 2022, §4). */
        tenantid?: components['parameters']['TenantId'];
        /** @description Platform id (the Nova instance UUID); still answers a list. */
        uuid?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The matching instances. */
      200: {
        headers: {
          'X-Total-Count': components['headers']['XTotalCount'];
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VirtualMachine'][];
        };
      };
      401: components['responses']['Unauthorized'];
    };
  };
  getVirtualMachine: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        guid: components['parameters']['GuidPath'];
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The instance. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VirtualMachine'];
        };
      };
      401: components['responses']['Unauthorized'];
      404: components['responses']['Error'];
    };
  };
  updateVirtualMachineSettings: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        guid: components['parameters']['GuidPath'];
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['VirtualMachine'];
      };
    };
    responses: {
      /** @description Saved; some versions answer the VM. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['VirtualMachine'];
        };
      };
      /** @description Saved. */
      204: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      400: components['responses']['Error'];
      401: components['responses']['Unauthorized'];
      404: components['responses']['Error'];
    };
  };
}
