import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

const REFERENCE_DIR = resolve('bench/bg/reference');

/**
 * Installs the reference implementation into bench/bg/reference when it is missing. `--ignore-scripts`:
 * its pinned packages would otherwise try to download binaries; the package.json's override moves sharp
 * to a current version that ships its binary through npm, and onnxruntime-node 1.17 ships the linux-x64
 * binding inside its package.
 */
export function ensureReferenceInstalled(log: (line: string) => void): void {
  if (existsSync(resolve(REFERENCE_DIR, 'node_modules/@imgly/background-removal-node/package.json'))) return;
  log('installing the reference (@imgly/background-removal-node) into bench/bg/reference ...');
  const result = spawnSync('npm', ['--prefix', REFERENCE_DIR, 'install', '--ignore-scripts', '--no-audit', '--no-fund'], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('npm install of the reference failed');
}

/** The reference in its own process (onnxruntime-node 1.17 cannot share one with 1.30), one photo at a time. */
export class ReferenceRunner {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly answers: AsyncIterator<string>;

  constructor() {
    this.child = spawn(process.execPath, [resolve(REFERENCE_DIR, 'run-reference.mjs')], { cwd: REFERENCE_DIR });
    this.child.stderr.on('data', (chunk) => process.stderr.write(`[reference] ${chunk}`));
    this.answers = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Latency in ms of one removeBackground call, bytes in to PNG out; writes its alpha to `maskOut`. */
  async run(photo: string, maskOut: string | null): Promise<number> {
    this.child.stdin.write(`${JSON.stringify({ photo, maskOut })}\n`);
    const next = await this.answers.next();
    if (next.done) throw new Error('the reference process exited');
    const answer = JSON.parse(next.value) as { ms?: number; error?: string };
    if (answer.error !== undefined) throw new Error(`reference failed on ${photo}: ${answer.error}`);
    return answer.ms!;
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    await new Promise((done) => this.child.once('exit', done));
  }
}
