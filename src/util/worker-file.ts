/**
 * The URL of a worker module next to `importMetaUrl`. Compiled code runs `.js` files from dist/, while
 * `tsx` (used for quick test runs) runs the `.ts` sources; a worker must be started with the same kind.
 *
 * @example new Piscina({ filename: workerFile(import.meta.url, './inpaint-worker') })
 */
export function workerFile(importMetaUrl: string, relativeWithoutExtension: string): string {
  const extension = importMetaUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(relativeWithoutExtension + extension, importMetaUrl).href;
}

/** Options that decide how modules load (tsx's `--import tsx` among them); workers need them too. */
const LOADER_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C']);

function loaderArgs(execArgv: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const [flag] = execArgv[i].split('=', 1);
    if (!LOADER_FLAGS.has(flag)) continue;
    kept.push(execArgv[i]);
    if (!execArgv[i].includes('=') && i + 1 < execArgv.length) kept.push(execArgv[++i]);
  }
  return kept;
}

/**
 * The execArgv of every worker pool. piscina loads a worker file with `require()` first and falls back to
 * `import()`; on Node 20.19+ `require()` of an ES module is allowed, and a worker stopped while its module
 * graph is being required can abort the whole process (a V8 assertion in `InstantiateModule`, seen under
 * load in the test suite). Turning require(esm) off in the workers sends piscina straight to `import()`.
 * Only the parent's module-loading options are passed on: V8 options (`--expose-gc`) are refused in workers.
 */
export const WORKER_EXEC_ARGV: string[] = [
  ...loaderArgs(process.execArgv),
  ...(process.allowedNodeEnvironmentFlags.has('--no-experimental-require-module') ? ['--no-experimental-require-module'] : []),
];
