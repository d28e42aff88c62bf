/**
 * Runs one task at a time per name. Two requests with the same idempotency key are serialised, so the
 * second sees the first's stored result instead of running (and charging) again.
 */
export class ExclusiveRunner {
  private readonly tails = new Map<string, Promise<unknown>>();

  async runExclusive<T>(name: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(name) ?? Promise.resolve();
    const current = previous.catch(() => {}).then(task);
    this.tails.set(name, current);
    try {
      return await current;
    } finally {
      if (this.tails.get(name) === current) this.tails.delete(name);
    }
  }
}
