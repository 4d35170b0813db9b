/**
 * What the connector knows about a catalog item apart from its flow: the names it goes by, its
 * approval default, the variables its code relies on and the rules across them.
 *
 * Kept free of runtime dependencies on purpose: configuration, intake, the ledger and the
 * simulators need the item keys and names, and must not load the flows (clients, queues) to get
 * them. The flow of each item is registered separately in `src/items/flows.ts`.
 */
import type { VariableType, VariableValue } from '../catalog/variable-types';
import type { ErrorDetail } from '../errors';

export interface DefaultApproval {
  readonly required: boolean;
  readonly minApprovals: number;
  readonly timeoutHours: number;
}

export interface ItemDefinition<K extends string = string, J extends string = string> {
  readonly key: K;
  /** The BullMQ job name of the item's request job. */
  readonly job: J;
  /** How ops views name the item (`Backup`). */
  readonly label: string;
  /** How ticket wording names what the item does (`your backup`). */
  readonly noun: string;
  /** Used when neither the tenant nor the connector file sets a rule for the item. */
  readonly defaultApproval: DefaultApproval;
  /** Approval can not be switched off by configuration (the config schema refuses it). */
  readonly approvalAlwaysRequired: boolean;
  /**
   * Variables the item's code relies on, with their types. A definition file in catalog-items/
   * that drops or retypes one of these fails the start instead of failing a job later.
   */
  readonly requiredVariables: Readonly<Record<string, VariableType>>;
  /** Rules across variables that a form cannot express; problems name the field to fix. */
  readonly crossFieldRule?: (values: Readonly<Record<string, VariableValue>>) => ErrorDetail[];
  /** Last conversion of parsed answers into the item's variable type (lists, for example). */
  readonly finishVariables?: (values: Record<string, VariableValue>) => Record<string, VariableValue>;
  /** Type-only marker carrying the item's variables type; never set at runtime. */
  readonly variablesType?: unknown;
}

/**
 * Declares an item with its variables type: `defineItem<MyVariables>()({ key: 'x', ... })`. The
 * curried form lets TypeScript keep the literal key and job name while the variables type is given.
 */
export function defineItem<V>() {
  return <const D extends ItemDefinition>(definition: D) => definition as D & { readonly variablesType?: V };
}

/** Shared by the items that take a time window: the window must end after it starts. */
export function windowRule(values: Readonly<Record<string, VariableValue>>): ErrorDetail[] {
  const start = values.window_start;
  const end = values.window_end;
  if (typeof start === 'number' && typeof end === 'number' && end <= start) {
    return [{ path: 'variables.window_end', message: 'must be later than window_start' }];
  }
  return [];
}
