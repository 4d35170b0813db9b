/**
 * Storware's own project guid for a Keystone project id, for the second half of the tenant guard.
 *
 * Inventory reads are scoped with `project-uuid` (docs/storware-api.md §4), but that the server scopes
 * by it is presumed, not documented; so the guard also checks that the instance it got back
 * belongs to the tenant's project (`vm.project.guid`). Storware lists projects with their Keystone
 * uuid (`GET /projects`); the answer is cached per process, since projects do not move.
 * Servers without that endpoint answer `undefined`, and the guard then relies on the scoping and
 * an exact instance-uuid match alone (logged once, so operators know).
 */
import type { StorwareClient } from '../clients/storware';
import type { Logger } from '../logger';
import { sameProject } from '../tenancy/tenants';

export type ProjectLookup =
  /** The server does not list projects: rely on scoping and the instance uuid. */
  | { readonly supported: false }
  /** `guid` undefined: Storware does not know this Keystone project at all. */
  | { readonly supported: true; readonly guid: string | undefined };

export interface ProjectDirectory {
  storwareProjectGuid(keystoneProjectId: string): Promise<ProjectLookup>;
}

export function createProjectDirectory(
  storware: StorwareClient,
  logger: Logger,
  ttlMs = 10 * 60_000,
): ProjectDirectory {
  let cache: { at: number; projects: ReadonlyArray<{ guid: string; uuid?: string }> } | undefined;
  let warned = false;
  return {
    async storwareProjectGuid(keystoneProjectId) {
      if (!cache || Date.now() - cache.at > ttlMs) {
        const projects = await storware.listProjects();
        if (projects === undefined) {
          if (!warned) {
            warned = true;
            logger.warn(
              'Storware does not list projects; the tenant guard relies on project-uuid scoping and the instance uuid',
            );
          }
          return { supported: false };
        }
        cache = { at: Date.now(), projects };
      }
      return {
        supported: true,
        guid: cache.projects.find((p) => sameProject(p.uuid, keystoneProjectId))?.guid,
      };
    },
  };
}
