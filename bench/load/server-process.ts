import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A `retouch serve` child process on loopback, with its first key and a way to read its memory. */
export interface ServerProcess {
  address: string;
  key: string;
  /** The server's process id (for /proc: open files, threads). */
  pid: number;
  /** Resident memory now, in MB (VmRSS of the process, worker threads included). */
  rssMb(): number;
  stop(): Promise<void>;
}

/**
 * Starts the built server (dist/, so `npm run build` first) on 127.0.0.1 with a fresh database, rate
 * limits off and `env` added (RETOUCH_WARM_UP=1 restores the old eager model load), exactly as `npm start`
 * runs it (MALLOC_ARENA_MAX=2).
 */
export async function startServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'retouch-load-'));
  const child: ChildProcess = spawn(process.execPath, ['dist/src/cli/main.js', 'serve'], {
    env: {
      ...process.env,
      MALLOC_ARENA_MAX: '2',
      RETOUCH_HOST: '127.0.0.1',
      RETOUCH_PORT: '0',
      RETOUCH_DATA_DIR: dataDir,
      RETOUCH_CONFIG: '',
      RETOUCH_LOG_LEVEL: 'error',
      RETOUCH_RATE_LIMITS: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  const deadline = Date.now() + 60_000;
  let address: string | undefined;
  for (;;) {
    address = /listening on (http:\/\/\S+)/.exec(out)?.[1];
    if (address) break;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const key = /\n {2}(rt_[A-Za-z0-9_-]{43})\n/.exec(out)![1];
  return {
    address,
    key,
    pid: child.pid!,
    rssMb() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
