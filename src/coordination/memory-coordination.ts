import { TokenBucketLimiter } from '../accounts/rate-limiter.js';
import { CapacityQueue } from './capacity-queue.js';
import { type ErrorBudgetSettings, MemoryErrorBudget, VENICE_ERROR_BUDGET } from './error-budget.js';
import { ExclusiveRunner } from './exclusive-runner.js';
import type { CapacityLimiter, Coordination } from './interfaces.js';

/** One process's limits, locks and queues, in its memory: the embedded default (no Redis configured). */
export function createMemoryCoordination(budget: ErrorBudgetSettings = VENICE_ERROR_BUDGET): Coordination {
  const queues = new Map<string, CapacityLimiter>();
  return {
    kind: 'memory',
    limiter: new TokenBucketLimiter({}),
    locks: new ExclusiveRunner(),
    errorBudget: new MemoryErrorBudget(budget),
    capacityFor(model) {
      let queue = queues.get(model.id);
      if (!queue) {
        queue = new CapacityQueue(model.capacity);
        queues.set(model.id, queue);
      }
      return queue;
    },
    async close() {},
  };
}
