/**
 * Job `tasks.poll`: runs on a schedule (every `tuning.pollIntervalSeconds`) and advances every
 * request waiting on a Storware task from one paged list call (src/requests/poll-tasks.ts).
 */
import type { RequestDeps } from '../src/requests/deps';
import { pollTasks } from '../src/requests/poll-tasks';

export function pollTasksProcessor(deps: RequestDeps) {
  return async () => {
    const report = await pollTasks(deps);
    if (report.watched > 0) {
      deps.logger.debug(report, 'polled Storware tasks');
    }
    return report;
  };
}
