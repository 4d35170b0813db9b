/**
 * The people in front of ServiceNow: a tenant ordering from the catalog, an approver deciding, the
 * requester changing or cancelling the request. Each action changes the tables the way the
 * platform does (docs/servicenow.md §2) and then emits the webhook (webhooks.ts) a business rule would.
 *
 * - order: REQ + RITM (`state` 1), one `sc_item_option` + `sc_item_option_mtom` per variable of the
 *   item (answers as strings; unanswered ones take the form default or `""`), approver rows in
 *   `sysapproval_approver` (`requested`) when the item needs approval; the RITM's `approval` is
 *   `requested` when there are approvers, else `not requested`.
 * - approve / reject: the approver's row, then the roll-up (docs/servicenow.md §2): any rejection
 *   → `rejected`, every approver approved → `approved`, else `requested`. "A rejected line item is
 *   cancelled": a rejection closes the RITM (state 4, inactive) and the other pending rows become
 *   `not_required`.
 * - cancel: state 4 (Closed Incomplete, inactive per docs/servicenow.md §2; that a cancellation
 *   lands there is [I]), stage `request_cancelled` [I: value]; pending approvals become
 *   `not_required`.
 */
import type { CatalogItemKey } from '../../items/definitions';
import type { Catalog, CatalogItemDefinition } from '../../catalog/definitions';
import { FIXTURE } from '../fixture-ids';
import { catalogItemSysId, managerOf, variableSysId, type FixtureUserKey } from './fixtures';
import type { Row, TableStore } from './tables';
import type { Delivery, DeliveryOptions, WebhookEmitter, WebhookEvent } from './webhooks';

export type AnswerValue = string | number | boolean;

export interface OrderOptions {
  /** Fixture user key (`alice`), `user_name` or sys_id. */
  readonly requestedFor: string;
  /** Who filled in the form; the requester when absent. */
  readonly openedBy?: string;
  /** Answers by variable name; unknown names are refused. */
  readonly variables?: Readonly<Record<string, AnswerValue>>;
  /**
   * Approvers (keys, user names or sys_ids). Absent: the requester's manager for items that always
   * need approval (the restore), nobody otherwise. `[]`: no approval at all.
   */
  readonly approvers?: readonly string[];
  readonly webhook?: DeliveryOptions;
}

export interface RecordRef {
  readonly sysId: string;
  readonly number: string;
}

export interface OrderResult {
  readonly request: RecordRef;
  readonly ritm: RecordRef;
  /** sys_ids of the `sysapproval_approver` rows. */
  readonly approvals: readonly string[];
  readonly deliveries: readonly Delivery[];
}

export interface ActionResult {
  readonly ritm: RecordRef;
  readonly deliveries: readonly Delivery[];
}

export interface Requester {
  /** Orders a catalog item; resolves after the `ritm.submitted` webhook was sent (unless held, delayed or dropped). */
  order(itemKey: CatalogItemKey, options: OrderOptions): Promise<OrderResult>;
  /** The approver approves the RITM (sys_id or number); `ritm.updated`. */
  approve(ritm: string, approver: string, comment?: string, webhook?: DeliveryOptions): Promise<ActionResult>;
  /** The approver rejects; the RITM closes incomplete; `ritm.updated`. */
  reject(ritm: string, approver: string, comment?: string, webhook?: DeliveryOptions): Promise<ActionResult>;
  /** Changes answers (as an agent editing the variables would); `ritm.updated`. */
  updateVariables(
    ritm: string,
    changes: Readonly<Record<string, AnswerValue>>,
    webhook?: DeliveryOptions,
  ): Promise<ActionResult>;
  /** Cancels an open RITM; `ritm.cancelled`. */
  cancel(ritm: string, webhook?: DeliveryOptions): Promise<ActionResult>;
  /** Sends an event for the RITM's current state again, as a manual resend would. */
  resend(ritm: string, event: WebhookEvent, webhook?: DeliveryOptions): Promise<ActionResult>;
  /** The answers of a RITM, name → value, as stored. */
  variables(ritm: string): Record<string, string>;
}

export interface RequesterDeps {
  readonly store: TableStore;
  readonly catalog: Catalog;
  readonly webhooks: WebhookEmitter;
}

function toAnswer(value: AnswerValue): string {
  return typeof value === 'string' ? value : String(value);
}

export function createRequester(deps: RequesterDeps): Requester {
  const { store, catalog, webhooks } = deps;
  const itemKeyById = new Map<string, CatalogItemKey>(
    [...catalog.keys()].map((key) => [catalogItemSysId(key), key]),
  );

  function user(ref: string, what: string): Row {
    const fixture = Object.prototype.hasOwnProperty.call(FIXTURE.users, ref)
      ? FIXTURE.users[ref as FixtureUserKey].sysId
      : undefined;
    const sysId = fixture ?? store.userIdByName(ref) ?? ref;
    const row = store.get('sys_user', sysId);
    if (!row) {
      throw new Error(`${what}: no user "${ref}" (use a fixture key, a user_name or a sys_id)`);
    }
    return row;
  }

  function ritmRow(ref: string): Row {
    const row = store.get('sc_req_item', ref) ?? store.rows('sc_req_item').find((r) => r.number === ref);
    if (!row) {
      throw new Error(`no RITM "${ref}"`);
    }
    return row;
  }

  function item(key: CatalogItemKey): CatalogItemDefinition {
    const definition = catalog.get(key);
    if (!definition) {
      throw new Error(`no catalog item "${key}"`);
    }
    return definition;
  }

  function itemOf(ritm: Row): CatalogItemDefinition {
    const key = itemKeyById.get(ritm.cat_item ?? '');
    if (key === undefined) {
      throw new Error(`RITM ${ritm.number} is not for one of the simulator's catalog items`);
    }
    return item(key);
  }

  /** The answer rows of a RITM: variable name → sc_item_option row. */
  function optionRows(ritm: Row): Map<string, Row> {
    const out = new Map<string, Row>();
    for (const link of store.rows('sc_item_option_mtom')) {
      if (link.request_item !== ritm.sys_id) {
        continue;
      }
      const option = store.get('sc_item_option', link.sc_item_option ?? '');
      const question = option ? store.get('item_option_new', option.item_option_new ?? '') : undefined;
      if (option && question?.name) {
        out.set(question.name, option);
      }
    }
    return out;
  }

  function variablesOf(ritm: Row): Record<string, string> {
    return Object.fromEntries([...optionRows(ritm)].map(([name, option]) => [name, option.value ?? '']));
  }

  function approvalRows(ritm: Row): Row[] {
    return store.rows('sysapproval_approver').filter((a) => a.sysapproval === ritm.sys_id);
  }

  function actorOf(ritm: Row): string {
    return store.get('sys_user', ritm.opened_by ?? '')?.user_name ?? 'system';
  }

  async function emit(event: WebhookEvent, ritm: Row, options?: DeliveryOptions): Promise<Delivery[]> {
    return webhooks.emit(
      {
        event,
        sys_id: ritm.sys_id!,
        number: ritm.number!,
        cat_item: itemOf(ritm).key,
        sys_updated_on: ritm.sys_updated_on!,
        variables: variablesOf(ritm),
      },
      options,
    );
  }

  function ref(row: Row): RecordRef {
    return { sysId: row.sys_id!, number: row.number! };
  }

  function refuseUnknown(definition: CatalogItemDefinition, names: readonly string[]): void {
    const unknown = names.filter((name) => !definition.variables.some((v) => v.name === name));
    if (unknown.length > 0) {
      throw new Error(`${definition.key} has no variable(s) ${unknown.join(', ')}`);
    }
  }

  async function decide(
    ritmRef: string,
    approverRef: string,
    decision: 'approved' | 'rejected',
    comment: string | undefined,
    webhook: DeliveryOptions | undefined,
  ): Promise<ActionResult> {
    const ritm = ritmRow(ritmRef);
    const approver = user(approverRef, decision === 'approved' ? 'approve' : 'reject');
    const rows = approvalRows(ritm);
    const own = rows.find((a) => a.approver === approver.sys_id && a.state === 'requested');
    if (!own) {
      throw new Error(`${approver.user_name} has no pending approval on ${ritm.number}`);
    }
    const actor = { actor: approver.user_name! };
    store.update(
      'sysapproval_approver',
      own.sys_id!,
      { state: decision, ...(comment ? { comments: comment } : {}) },
      actor,
    );

    const states = approvalRows(ritm).map((a) => a.state);
    if (states.includes('rejected')) {
      for (const pending of approvalRows(ritm).filter((a) => a.state === 'requested')) {
        store.update('sysapproval_approver', pending.sys_id!, { state: 'not_required' }, actor);
      }
      store.update(
        'sc_req_item',
        ritm.sys_id!,
        { approval: 'rejected', state: '4', stage: 'request_cancelled' },
        actor,
      );
    } else if (states.every((s) => s === 'approved' || s === 'not_required' || s === 'skipped')) {
      store.update('sc_req_item', ritm.sys_id!, { approval: 'approved', stage: 'request_approved' }, actor);
    }
    return { ritm: ref(ritm), deliveries: await emit('ritm.updated', ritm, webhook) };
  }

  return {
    async order(itemKey, options) {
      const definition = item(itemKey);
      const requestedFor = user(options.requestedFor, 'requestedFor');
      const openedBy = options.openedBy === undefined ? requestedFor : user(options.openedBy, 'openedBy');
      const given = options.variables ?? {};
      refuseUnknown(definition, Object.keys(given));

      let approvers: Row[];
      if (options.approvers !== undefined) {
        approvers = options.approvers.map((a) => user(a, 'approvers'));
      } else if (definition.approval.mode === 'always') {
        const manager = managerOf(store, requestedFor.sys_id!);
        if (manager === undefined) {
          throw new Error(
            `${definition.key} needs an approver and ${requestedFor.user_name} has no manager; pass approvers`,
          );
        }
        approvers = [user(manager, 'manager')];
      } else {
        approvers = [];
      }

      const actor = { actor: openedBy.user_name! };
      const common = {
        requested_for: requestedFor.sys_id,
        opened_by: openedBy.sys_id,
        company: requestedFor.company,
        short_description: definition.name,
        state: '1',
      };
      // The REQ is approved at once; approval is on the line item [I: docs/servicenow.md, "Gaps"].
      const request = store.insert(
        'sc_request',
        { ...common, approval: 'approved', request_state: 'in_process' },
        actor,
      );
      const ritm = store.insert(
        'sc_req_item',
        {
          ...common,
          request: request.sys_id,
          cat_item: catalogItemSysId(itemKey),
          description: definition.shortDescription,
          approval: approvers.length > 0 ? 'requested' : 'not requested',
          stage: approvers.length > 0 ? 'waiting_for_approval' : 'fulfillment',
          quantity: '1',
        },
        actor,
      );
      definition.variables.forEach((variable, index) => {
        const answer = given[variable.name];
        const option = store.insert(
          'sc_item_option',
          {
            item_option_new: variableSysId(itemKey, variable.name),
            value: answer === undefined ? (variable.default ?? '') : toAnswer(answer),
            order: (index + 1) * 100,
          },
          actor,
        );
        store.insert(
          'sc_item_option_mtom',
          { request_item: ritm.sys_id, sc_item_option: option.sys_id },
          actor,
        );
      });
      const approvals = approvers.map(
        (approver) =>
          store.insert(
            'sysapproval_approver',
            {
              approver: approver.sys_id,
              sysapproval: ritm.sys_id,
              document_id: ritm.sys_id,
              source_table: 'sc_req_item',
              state: 'requested',
            },
            actor,
          ).sys_id!,
      );
      const deliveries = await emit('ritm.submitted', ritm, options.webhook);
      return { request: ref(request), ritm: ref(ritm), approvals, deliveries };
    },

    approve(ritm, approver, comment, webhook) {
      return decide(ritm, approver, 'approved', comment, webhook);
    },

    reject(ritm, approver, comment, webhook) {
      return decide(ritm, approver, 'rejected', comment, webhook);
    },

    async updateVariables(ritmRef, changes, webhook) {
      const ritm = ritmRow(ritmRef);
      const definition = itemOf(ritm);
      refuseUnknown(definition, Object.keys(changes));
      const rows = optionRows(ritm);
      const actor = { actor: actorOf(ritm) };
      for (const [name, value] of Object.entries(changes)) {
        const option = rows.get(name);
        if (option) {
          store.update('sc_item_option', option.sys_id!, { value: toAnswer(value) }, actor);
        }
      }
      // Saving the variables from the RITM form saves the RITM too [I].
      store.update('sc_req_item', ritm.sys_id!, {}, { ...actor, touch: true });
      return { ritm: ref(ritm), deliveries: await emit('ritm.updated', ritm, webhook) };
    },

    async cancel(ritmRef, webhook) {
      const ritm = ritmRow(ritmRef);
      if (ritm.active !== 'true') {
        throw new Error(`${ritm.number} is already closed (state ${ritm.state})`);
      }
      const actor = { actor: actorOf(ritm) };
      for (const pending of approvalRows(ritm).filter((a) => a.state === 'requested')) {
        store.update('sysapproval_approver', pending.sys_id!, { state: 'not_required' }, actor);
      }
      store.update('sc_req_item', ritm.sys_id!, { state: '4', stage: 'request_cancelled' }, actor);
      return { ritm: ref(ritm), deliveries: await emit('ritm.cancelled', ritm, webhook) };
    },

    async resend(ritmRef, event, webhook) {
      const ritm = ritmRow(ritmRef);
      return { ritm: ref(ritm), deliveries: await emit(event, ritm, webhook) };
    },

    variables(ritmRef) {
      return variablesOf(ritmRow(ritmRef));
    },
  };
}
