/**
 * How far a running job has got, for the client that sent it: the client names its request with an
 * `x-progress-token` header (a random string of its own), and asks GET /api/v1/image/progress/<token>
 * with the same key while the POST is still waiting for its answer. Engines that work in countable
 * steps report them (super-resolution: tiles done of tiles total); others report nothing and the answer
 * says so. Only the key that started a job can read it. Entries are forgotten a minute after the job
 * ends, and the board holds at most MAX_ENTRIES, so that tokens cannot grow memory without bound.
 */

export interface JobProgress {
  done: number;
  total: number;
  finished: boolean;
}

/** What the request path hands an engine: call it with steps done and steps in all. */
export type ProgressReport = (done: number, total: number) => void;

const TOKEN = /^[A-Za-z0-9_-]{8,64}$/;
const KEEP_AFTER_END_MS = 60_000;
const MAX_ENTRIES = 10_000;

interface Entry extends JobProgress {
  keyId: string;
  endedAt?: number;
}

export class JobProgressBoard {
  private readonly entries = new Map<string, Entry>();

  /** Whether `token` is acceptable as a client's progress token. */
  static validToken(token: string): boolean {
    return TOKEN.test(token);
  }

  /**
   * Starts tracking a job; returns the report function for the engine and `end` for the request path.
   * A token already in use by a running job of another key is not taken over (that job keeps its entry).
   */
  start(keyId: string, token: string): { report: ProgressReport; end: () => void } {
    this.sweep();
    const existing = this.entries.get(token);
    if (existing && existing.keyId !== keyId && existing.endedAt === undefined) return { report: () => {}, end: () => {} };
    const entry: Entry = { keyId, done: 0, total: 0, finished: false };
    this.entries.set(token, entry);
    return {
      report: (done, total) => {
        entry.done = done;
        entry.total = total;
      },
      end: () => {
        entry.finished = true;
        entry.endedAt = Date.now();
      },
    };
  }

  /** The job's progress, or undefined when this key started no job under `token` (or it was forgotten). */
  get(keyId: string, token: string): JobProgress | undefined {
    const entry = this.entries.get(token);
    if (!entry || entry.keyId !== keyId) return undefined;
    return { done: entry.done, total: entry.total, finished: entry.finished };
  }

  private sweep(): void {
    const now = Date.now();
    for (const [token, entry] of this.entries) {
      if (entry.endedAt !== undefined && now - entry.endedAt > KEEP_AFTER_END_MS) this.entries.delete(token);
    }
    // Still full of running jobs: drop the oldest entries (Map keeps insertion order).
    for (const token of this.entries.keys()) {
      if (this.entries.size < MAX_ENTRIES) break;
      this.entries.delete(token);
    }
  }
}
