/**
 * What a fresh simulated instance holds: the companies and users of `../fixture-ids.ts` (exact
 * sys_ids, so the example tenant config lines up), managers for the default approvers, the three
 * catalog items with their variables from `catalog-items/*.yaml`, and the integration account's
 * credentials. Catalog records get the sys_ids the shipped update set gives them (src/catalog/sys-ids.ts).
 */
import { catalogItemSysId as shippedCatalogItemSysId, deterministicSysId } from '../../catalog/sys-ids';
import type { CatalogItemKey } from '../../items/definitions';
import type { Catalog } from '../../catalog/definitions';
import { VARIABLE_TYPE_CODES } from '../../catalog/variable-types';
import { FIXTURE } from '../fixture-ids';
import type { SimCredentials } from './auth';
import type { TableStore } from './tables';

export type FixtureUserKey = keyof typeof FIXTURE.users;

/**
 * The integration account, with the same user and password as the tests' base environment
 * (test/helpers/config.ts), plus an OAuth client whose application user is that account.
 */
export const SIM_DEFAULT_CREDENTIALS = {
  user: FIXTURE.users.integration.userName,
  password: 'servicenow-pass-xyz',
  clientId: 'storware-itsm-connector',
  clientSecret: 'servicenow-client-secret-xyz',
} as const;

export function defaultCredentials(): SimCredentials {
  return {
    users: { [SIM_DEFAULT_CREDENTIALS.user]: SIM_DEFAULT_CREDENTIALS.password },
    oauthClients: {
      [SIM_DEFAULT_CREDENTIALS.clientId]: {
        secret: SIM_DEFAULT_CREDENTIALS.clientSecret,
        user: SIM_DEFAULT_CREDENTIALS.user,
      },
    },
    apiKeys: {},
  };
}

/** Who approves for whom by default (a manager, never the requester). */
const MANAGERS: Partial<Record<FixtureUserKey, FixtureUserKey>> = { alice: 'bob', carol: 'dave' };

/** The catalog item's sys_id: the one the update set gives it on a real instance (src/catalog/sys-ids.ts). */
export function catalogItemSysId(key: CatalogItemKey): string {
  return shippedCatalogItemSysId(key);
}

/** The stable sys_id of a catalog item's variable (`item_option_new`), as shipped in the update set. */
export function variableSysId(key: CatalogItemKey, name: string): string {
  return deterministicSysId('item_option_new', key, name);
}

const SYSTEM = 'system';

export function seedFixtures(store: TableStore, catalog: Catalog): void {
  for (const company of Object.values(FIXTURE.companies)) {
    store.insert('core_company', { sys_id: company.sysId, name: company.name }, { actor: SYSTEM });
  }
  for (const user of Object.values(FIXTURE.users)) {
    const [first = '', ...rest] = user.name.split(' ');
    store.insert(
      'sys_user',
      {
        sys_id: user.sysId,
        user_name: user.userName,
        name: user.name,
        first_name: first,
        last_name: rest.join(' '),
        email: `${user.userName}@example.com`,
        active: 'true',
        company: FIXTURE.companies[user.company].sysId,
      },
      { actor: SYSTEM },
    );
  }
  for (const [userKey, managerKey] of Object.entries(MANAGERS) as Array<[FixtureUserKey, FixtureUserKey]>) {
    store.update(
      'sys_user',
      FIXTURE.users[userKey].sysId,
      { manager: FIXTURE.users[managerKey].sysId },
      { actor: SYSTEM },
    );
  }
  for (const item of catalog.values()) {
    const itemId = catalogItemSysId(item.key);
    store.insert(
      'sc_cat_item',
      {
        sys_id: itemId,
        name: item.name,
        short_description: item.shortDescription,
        description: item.description,
        category: item.category,
        active: 'true',
        order: item.order,
      },
      { actor: SYSTEM },
    );
    item.variables.forEach((variable, index) => {
      store.insert(
        'item_option_new',
        {
          sys_id: variableSysId(item.key, variable.name),
          name: variable.name,
          question_text: variable.question,
          type: VARIABLE_TYPE_CODES[variable.type],
          cat_item: itemId,
          order: (index + 1) * 100,
          mandatory: variable.mandatory,
          default_value: variable.default ?? '',
          active: 'true',
        },
        { actor: SYSTEM },
      );
    });
  }
}

/** The manager a fixture user's approvals go to by default, as a sys_id. */
export function managerOf(store: TableStore, userSysId: string): string | undefined {
  const manager = store.get('sys_user', userSysId)?.manager;
  return manager === undefined || manager === '' ? undefined : manager;
}
