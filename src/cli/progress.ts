import cliProgress from 'cli-progress';
import type { CliIo } from './io.js';

/** What remove-bg reports as photos finish. */
export interface Progress {
  item(done: number, line: string): void;
  stop(): void;
}

/**
 * Time left as a person reads it: `-` until an item has finished (before that there is no rate to go by,
 * and a bar that says "ETA 0s" before the first photo is wrong), then seconds, minutes or hours.
 *
 * @example etaText(0, 10, 0) // '-'
 * @example etaText(2, 10, 30_000) // '2m 0s' (15 s a photo, 8 to go)
 */
export function etaText(done: number, total: number, elapsedMs: number): string {
  if (done === 0) return '-';
  const seconds = Math.round(((total - done) * elapsedMs) / done / 1000);
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
}

/** A bar with rate and time left on a terminal; plain `[n/total] ...` lines otherwise (logs, CI, pipes). */
export function createProgress(io: CliIo, total: number): Progress {
  if (!io.stdout.isTTY) {
    return { item: (done, line) => io.stdout.write(`[${done}/${total}] ${line}\n`), stop() {} };
  }
  const started = performance.now();
  const bar = new cliProgress.SingleBar(
    {
      // biome-ignore lint/suspicious/noExplicitAny: cli-progress types its stream as a TTY stream; a PassThrough in tests is enough
      stream: io.stdout as NodeJS.WritableStream as any,
      // Our own time left: cli-progress's {eta} and {eta_formatted} read "0s" before anything has finished.
      format: 'removing backgrounds {bar} {value}/{total} | {rate} images/min | ETA {timeLeft}',
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { rate: '-', timeLeft: '-' });
  return {
    item: (done) => {
      const elapsed = performance.now() - started;
      bar.update(done, { rate: ((done / (elapsed / 1000)) * 60).toFixed(1), timeLeft: etaText(done, total, elapsed) });
    },
    stop: () => bar.stop(),
  };
}
