/**
 * The simulated Storware installation at start: one OpenStack region with the three fixture
 * projects (src/simulators/fixture-ids.ts), their instances, the gold/silver/bronze policies and
 * a backup history per instance. Every generated guid comes from the seeded generator, in a fixed
 * order, so a seed always yields the same installation.
 */
import { FIXTURE } from '../fixture-ids';
import type {
  SimBackup,
  SimCluster,
  SimFlavor,
  SimHypervisorManager,
  SimNetwork,
  SimNic,
  SimPendingInstance,
  SimPolicy,
  SimProject,
  SimSecurityGroup,
  SimVm,
} from './model';
import type { SeededRandom } from './random';

const DAY = 86_400_000;
const GIB = 1024 ** 3;

export const PRIMARY_DESTINATION = { name: 'primary-filesystem' } as const;

export interface FixtureWorld {
  readonly projects: SimProject[];
  readonly hypervisorManager: SimHypervisorManager;
  readonly clusters: SimCluster[];
  readonly flavors: SimFlavor[];
  readonly networks: SimNetwork[];
  readonly securityGroups: SimSecurityGroup[];
  readonly vms: SimVm[];
  readonly pending: SimPendingInstance[];
  readonly backups: SimBackup[];
  readonly policies: SimPolicy[];
  readonly destination: { readonly guid: string; readonly name: string };
}

/** Which tier each fixture instance starts in; one is left unprotected on purpose. */
const INITIAL_POLICY: Record<string, keyof typeof FIXTURE.policies | undefined> = {
  acmeWeb: 'gold',
  acmeDb: 'silver',
  globexApp: 'bronze',
  initechFile: undefined,
};

/** An OpenStack-style MAC address (fa:16:3e prefix). */
export function mac(rand: SeededRandom): string {
  return `fa:16:3e:${rand.hex(1)}:${rand.hex(1)}:${rand.hex(1)}`;
}

/** The installation at `start`; `inventorySyncDelayMs` decides when acme-new-01 appears by itself. */
export function buildFixtureWorld(
  rand: SeededRandom,
  start: number,
  inventorySyncDelayMs: number,
): FixtureWorld {
  const hypervisorManager: SimHypervisorManager = {
    guid: rand.guid(),
    name: 'RegionOne',
    url: 'https://keystone.cloud.example:5000/v3',
    type: 'OPENSTACK',
  };
  const destination = { guid: rand.guid(), name: PRIMARY_DESTINATION.name };
  const clusters: SimCluster[] = ['nova', 'az-2'].map((name) => ({ guid: rand.guid(), uuid: name, name }));
  const flavors: SimFlavor[] = ['m1.small', 'm1.medium', 'm1.large'].map((name) => ({
    guid: rand.guid(),
    name,
  }));

  const projects: SimProject[] = Object.entries(FIXTURE.projects).map(([key, p]) => ({
    key,
    guid: rand.guid(),
    uuid: p.id,
    name: p.name,
  }));
  const networks: SimNetwork[] = [{ guid: rand.guid(), uuid: rand.guid(), name: 'public' }];
  const securityGroups: SimSecurityGroup[] = [];
  for (const project of projects) {
    networks.push({
      guid: rand.guid(),
      uuid: rand.guid(),
      name: `${project.name}-net`,
      projectGuid: project.guid,
    });
    for (const name of ['default', 'web']) {
      securityGroups.push({ guid: rand.guid(), uuid: rand.guid(), name, projectGuid: project.guid });
    }
  }

  const policies: SimPolicy[] = Object.entries(FIXTURE.policies).map(([tier, p]) => ({
    guid: p.guid,
    name: p.name,
    active: true,
    priority: tier === 'gold' ? 80 : tier === 'silver' ? 50 : 20,
    hasIncrementalSchedule: tier === 'gold',
    rules: [{ guid: rand.guid(), name: `${p.name}-rule` }],
  }));

  const vms: SimVm[] = [];
  const pending: SimPendingInstance[] = [];
  const backups: SimBackup[] = [];
  for (const [key, instance] of Object.entries(FIXTURE.instances)) {
    const project = projects.find((p) => p.key === instance.project);
    if (!project) {
      continue;
    }
    if (key === 'acmeNew') {
      // Provisioned just before the simulator started: Storware has not synced it yet.
      pending.push({
        uuid: instance.uuid,
        name: instance.name,
        projectGuid: project.guid,
        hypervisorManagerGuid: hypervisorManager.guid,
        provisionedAt: start,
        visibleAt: start + inventorySyncDelayMs,
      });
      continue;
    }
    const vm = newVm(rand, {
      uuid: instance.uuid,
      name: instance.name,
      project,
      hypervisorManager,
      cluster: clusters[0]!,
      flavor: flavors[1]!,
      networks,
      securityGroups,
    });
    const tier = INITIAL_POLICY[key];
    if (tier) {
      vm.policyGuid = FIXTURE.policies[tier].guid;
    }
    vms.push(vm);
    backups.push(...backupHistory(rand, vm, start, destination));
    const last = backups.filter((b) => b.vmGuid === vm.guid && b.status === 'SUCCESS').at(-1);
    vm.lastBackup = last?.backupTime;
    vm.lastSuccessfulBackupSize = last?.size;
    vm.lastSuccessfulFullBackupGuid = backups
      .filter((b) => b.vmGuid === vm.guid && b.status === 'SUCCESS' && b.type === 'FULL')
      .at(-1)?.guid;
    vm.lastSuccessfulIncBackupGuid = backups
      .filter((b) => b.vmGuid === vm.guid && b.status === 'SUCCESS' && b.type === 'INCREMENTAL')
      .at(-1)?.guid;
  }
  return {
    projects,
    hypervisorManager,
    clusters,
    flavors,
    networks,
    securityGroups,
    vms,
    pending,
    backups,
    policies,
    destination,
  };
}

/** A VM record for an instance, with one NIC on its project's network unless NICs are given. */
export function newVm(
  rand: SeededRandom,
  spec: {
    uuid: string;
    name: string;
    project: SimProject;
    hypervisorManager: SimHypervisorManager;
    cluster: SimCluster;
    flavor: SimFlavor;
    networks: readonly SimNetwork[];
    securityGroups: readonly SimSecurityGroup[];
    nics?: readonly SimNic[];
  },
): SimVm {
  const projectNet = spec.networks.find((n) => n.projectGuid === spec.project.guid) ?? spec.networks[0]!;
  const defaultGroup = spec.securityGroups.find(
    (g) => g.projectGuid === spec.project.guid && g.name === 'default',
  );
  const nics: SimNic[] = spec.nics
    ? [...spec.nics]
    : [
        {
          guid: rand.guid(),
          uuid: rand.guid(),
          name: 'eth0',
          networkGuid: projectNet.guid,
          macAddress: mac(rand),
          securityGroupGuids: defaultGroup ? [defaultGroup.guid] : [],
        },
      ];
  return {
    guid: rand.guid(),
    uuid: spec.uuid,
    name: spec.name,
    present: true,
    projectGuid: spec.project.guid,
    hypervisorManagerGuid: spec.hypervisorManager.guid,
    clusterGuid: spec.cluster.guid,
    flavorGuid: spec.flavor.guid,
    nics,
  };
}

/**
 * Several backups of different ages and both types, oldest first: FULL 8 days ago, INCREMENTAL 4
 * days ago, a FULL that FAILED 2 days ago and an INCREMENTAL yesterday.
 */
function backupHistory(
  rand: SeededRandom,
  vm: SimVm,
  now: number,
  destination: { guid: string; name: string },
): SimBackup[] {
  const plan = [
    { ageDays: 8, type: 'FULL', ok: true },
    { ageDays: 4, type: 'INCREMENTAL', ok: true },
    { ageDays: 2, type: 'FULL', ok: false },
    { ageDays: 1, type: 'INCREMENTAL', ok: true },
  ] as const;
  return plan.map(({ ageDays, type, ok }) => {
    const snapshotTime = now - ageDays * DAY - rand.int(0, 3_600_000);
    const size = type === 'FULL' ? rand.int(8, 40) * GIB : rand.int(200, 2_000) * 1024 * 1024;
    return {
      guid: rand.guid(),
      vmGuid: vm.guid,
      vmName: vm.name,
      projectGuid: vm.projectGuid,
      type,
      status: ok ? 'SUCCESS' : 'FAILED',
      statusInfo: ok ? undefined : 'Export failed: snapshot of volume vda did not complete within 3600 s',
      size: ok ? size : undefined,
      snapshotTime,
      backupTime: ok ? snapshotTime + rand.int(300_000, 1_800_000) : undefined,
      origin: 'SCHEDULE',
      policyGuid: vm.policyGuid,
      nics: vm.nics,
      location: { guid: rand.guid(), destination, roleType: 'PRIMARY', status: ok ? 'PRESENT' : 'FAILED' },
    };
  });
}
