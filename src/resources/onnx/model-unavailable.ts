/**
 * A model that cannot be used: missing files, a size or digest mismatch. `reason` is safe to show to
 * clients (it names no path); `detail` is for the operator's log.
 */
export class ModelUnavailableError extends Error {
  constructor(
    readonly reason: string,
    readonly detail: string,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'ModelUnavailableError';
  }
}
