/**
 * Why the CLI sets UV_THREADPOOL_SIZE=16 (src/cli/thread-pool.ts): sharp runs each libvips operation on a
 * libuv thread, so four long operations fill Node's default pool of 4 and any other image work (another
 * model's decode, a header read) waits for one of them to finish. Runs itself in two child processes,
 * with 4 threads (Node's default: the reference) and with 16, and times a small operation (read a header,
 * resize a 256x256 picture) started while four long ones (a 25x25 median of 12 MP) run. Medians of 3.
 * `node --import tsx bench/load/thread-starvation.ts`
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

async function child(): Promise<void> {
  const big = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: { r: 90, g: 120, b: 150 } } })
    .png()
    .toBuffer();
  const small = await sharp({ create: { width: 256, height: 256, channels: 3, background: 'red' } })
    .png()
    .toBuffer();
  const long = Array.from({ length: 4 }, () => sharp(big).median(25).raw().toBuffer());
  await new Promise((resolve) => setTimeout(resolve, 300));
  const started = performance.now();
  await sharp(small).metadata();
  await sharp(small).resize(64, 64).png().toBuffer();
  const smallMs = performance.now() - started;
  await Promise.all(long);
  process.stdout.write(`${smallMs}\n`);
}

function measure(threads: number): number {
  const runs = Array.from({ length: 3 }, () =>
    Number(
      execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'child'], {
        env: { ...process.env, UV_THREADPOOL_SIZE: String(threads) },
        encoding: 'utf8',
      }).trim(),
    ),
  );
  return runs.sort((a, b) => a - b)[1];
}

if (process.argv[2] === 'child') {
  await child();
} else {
  const reference = measure(4);
  const now = measure(16);
  console.log(
    `small operation behind four long ones: ${reference.toFixed(0)} ms with 4 threads (reference), ${now.toFixed(0)} ms with 16`,
  );
  console.log(`ratio: ${(now / reference).toFixed(3)}`);
}
