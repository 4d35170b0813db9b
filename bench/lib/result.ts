/**
 * What a scenario hands back: figures (one line of the table each, a connector value next to a
 * baseline measured in the same run) plus free-form details for the JSON file.
 */

/** A threshold from docs/reliability.md §4.1, applied to the value or to the ratio. */
export interface Goal {
  /** P1…P9, or a local name (`L1`) for checks docs/reliability.md does not number. */
  readonly id: string;
  readonly on: 'value' | 'ratio';
  readonly op: '<=' | '>=';
  readonly threshold: number;
  /** How the table shows it, e.g. `ratio ≥ 0.20`. */
  readonly text: string;
}

export interface Figure {
  /** Stable id, e.g. `B1.throughput`. */
  readonly id: string;
  readonly metric: string;
  readonly unit: string;
  /** Median over the runs. */
  readonly value: number;
  readonly baseline?: { readonly label: string; readonly value: number; readonly unit?: string };
  /** Median of the per-run ratios value ÷ baseline (paired runs), or value ÷ baseline. */
  readonly ratio?: number;
  readonly goal?: Goal;
  /** Set by the orchestrator in a full run; undefined when thresholds are not asserted. */
  pass?: boolean;
  readonly runs?: readonly number[];
  readonly baselineRuns?: readonly number[];
  readonly note?: string;
}

export interface ScenarioResult {
  readonly id: string;
  readonly title: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly figures: Figure[];
  readonly details: Readonly<Record<string, unknown>>;
  durationMs?: number;
}

export function evaluate(figure: Figure): boolean | undefined {
  const goal = figure.goal;
  if (!goal) {
    return undefined;
  }
  const subject = goal.on === 'ratio' ? figure.ratio : figure.value;
  if (subject === undefined || !Number.isFinite(subject)) {
    return false;
  }
  return goal.op === '<=' ? subject <= goal.threshold : subject >= goal.threshold;
}
