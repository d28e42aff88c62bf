/**
 * Venice's error budget: more than `maxFailures` failed requests (4xx other than 429) of one key on one
 * model within a window of `windowMs`, and that key and model are refused with 429 until the window
 * ends. It protects the server from clients that retry a 400 in a loop. The window is fixed: it starts at
 * the first failure and ends `windowMs` later, as Venice's "wait 30 seconds" says.
 *
 * This is the one-process form; the Redis one (redis/redis-error-budget.ts) is shared by replicas.
 */

export interface ErrorBudgetSettings {
  maxFailures: number;
  windowMs: number;
}

/** Venice's numbers: more than 50 failures in 30 s. */
export const VENICE_ERROR_BUDGET: ErrorBudgetSettings = { maxFailures: 50, windowMs: 30_000 };

/** Where a key and model stand: failures left before the block, and when the window ends (Unix ms). */
export interface BudgetState {
  blocked: boolean;
  remaining: number;
  resetsAt: number;
  /**
   * This failure is the one that blocked the key and model (the count went past the limit with it). The
   * count is one atomic counter for the deployment, so exactly one failure per window says so, whichever
   * replica counted it: the moment to log the breach once.
   */
  startsBlock: boolean;
}

interface Window {
  failures: number;
  endsAt: number;
}

/** Past this many windows held, ended ones are swept on the next failure. */
const SWEEP_AT = 10_000;

/**
 * @example
 * const budget = new MemoryErrorBudget({ maxFailures: 50, windowMs: 30_000 });
 * if ((await budget.state(`${keyId}:${model}`)).blocked) throw tooManyFailures();
 * // after a failed response:
 * await budget.recordFailure(`${keyId}:${model}`);
 */
export class MemoryErrorBudget {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly settings: ErrorBudgetSettings,
    private readonly now: () => number = Date.now,
  ) {}

  state(name: string): BudgetState {
    return this.describe(this.live(name), this.now());
  }

  recordFailure(name: string): BudgetState {
    const now = this.now();
    let window = this.live(name);
    if (!window) {
      if (this.windows.size >= SWEEP_AT) this.sweep(now);
      window = { failures: 0, endsAt: now + this.settings.windowMs };
      this.windows.set(name, window);
    }
    window.failures += 1;
    return this.describe(window, now);
  }

  private live(name: string): Window | undefined {
    const window = this.windows.get(name);
    if (window && window.endsAt <= this.now()) {
      this.windows.delete(name);
      return undefined;
    }
    return window;
  }

  private describe(window: Window | undefined, now: number): BudgetState {
    const failures = window?.failures ?? 0;
    return budgetState(failures, window ? window.endsAt : now + this.settings.windowMs, this.settings.maxFailures);
  }

  private sweep(now: number): void {
    for (const [name, window] of this.windows) if (window.endsAt <= now) this.windows.delete(name);
  }
}

/** The state for `failures` in a window ending at `resetsAt`: blocked once more than `maxFailures`. */
export function budgetState(failures: number, resetsAt: number, maxFailures: number): BudgetState {
  return {
    blocked: failures > maxFailures,
    remaining: Math.max(0, maxFailures - failures),
    resetsAt,
    startsBlock: failures === maxFailures + 1,
  };
}
