/**
 * Whether a model, pool or engine can serve now. Resources report it and engines pass it on, so it lives
 * with the lower of the two.
 *
 * `unserved`: nothing on this server can serve the model (no backend configured, model data missing), so
 * requests fail at once without Retry-After; otherwise an offline model is a transient state (a backend
 * down), answered 503 with Retry-After.
 */
export type Availability = { online: true } | { online: false; reason: string; unserved?: boolean };
