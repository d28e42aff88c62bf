import type { Redis } from 'ioredis';
import { budgetState, type BudgetState, type ErrorBudgetSettings } from '../error-budget.js';
import type { ErrorBudget } from '../interfaces.js';
import type { CoordinationCommands } from './lua-scripts.js';
import { viaRedis } from './redis-connection.js';

/**
 * The error budget of coordination/error-budget.ts, counted in Redis so that a client's failures on every
 * replica add up: 51 bad requests spread over three replicas block the key and model on all three. One
 * counter per key and model, created with its window's expiry by the first failure (one Lua script, so
 * two replicas' first failures cannot both start a window). Times are Redis's clock.
 */
export class RedisErrorBudget implements ErrorBudget {
  constructor(
    private readonly redis: Redis & CoordinationCommands,
    private readonly settings: ErrorBudgetSettings,
  ) {}

  async state(name: string): Promise<BudgetState> {
    const [failures, resetsAt] = await viaRedis(() => this.redis.budgetState(`budget:${name}`, this.settings.windowMs));
    return budgetState(failures, resetsAt, this.settings.maxFailures);
  }

  async recordFailure(name: string): Promise<BudgetState> {
    const [failures, resetsAt] = await viaRedis(() => this.redis.budgetFailure(`budget:${name}`, this.settings.windowMs));
    return budgetState(failures, resetsAt, this.settings.maxFailures);
  }
}
