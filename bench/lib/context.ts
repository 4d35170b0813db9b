/** What the orchestrator hands every scenario. */
import type { BenchRedis } from './redis';

export interface BenchContext {
  readonly redis: BenchRedis;
  /** The run's root prefix, `{bench-…}`; scenarios use `${root}:b1` and so on beneath it. */
  readonly root: string;
  /** Level of the connector's logger (written to /dev/null); production runs `info`. */
  readonly logLevel: string;
  readonly quick: boolean;
  /** Measured runs per figure (≥ 3); the median is reported. */
  readonly runs: number;
  log(message: string): void;
}
