import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { workerFile } from '../../src/util/worker-file.js';
import { pngBomb } from '../inputs/make-images.js';

/**
 * Decompression bombs through the real loader, in a fresh child process so that its peak RSS measures
 * this work alone. Two bombs:
 * - 100000x100000 as the issue asks: 30 GB of pixels announced by a 30 KB file. Without the header check
 *   this would not exhaust memory (libvips fails to allocate 28 GB at once) but would be refused for the
 *   wrong reason, which the message assertion catches.
 * - 20000x20000 with 300 MB of zero rows in a 300 KB file: allocatable, so without the pixel limits
 *   libvips inflates rows into memory before it notices the truncation (measured: 432 MB peak RSS);
 *   this one is what makes the RSS assertion able to fail.
 */

const MB = 1024 * 1024;
const RSS_LIMIT = 200 * MB;
const run = promisify(execFile);

const CHILD = `
  const { readFileSync } = await import('node:fs');
  const { createImageLoader } = await import(process.env.LOADER_URL);
  const loader = createImageLoader({
    maxImageBytes: 25 * 1024 * 1024,
    fetch: { allow: [], connectTimeoutMs: 1000, totalTimeoutMs: 1000, maxRedirects: 0 },
  });
  const outcome = async (load) => {
    try { const image = await load(); return { decoded: [image.width, image.height] }; }
    catch (error) { return { status: error.status, code: error.code, message: error.message }; }
  };
  const results = [];
  for (const file of JSON.parse(process.env.BOMBS)) {
    const bytes = readFileSync(file);
    results.push(await outcome(() => loader.fromBytes(bytes, 'image')));
    results.push(await outcome(() => loader.fromString('data:image/png;base64,' + bytes.toString('base64'), 'image', { allowUrl: false })));
  }
  const peakRss = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ results, rss: process.memoryUsage().rss, peakRss }));
`;

let directory: string;
let files: string[];

before(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'retouch-bomb-'));
  const bombs: Array<[string, Buffer]> = [
    ['huge.png', await pngBomb(100_000, 100_000, 100)],
    ['dense.png', await pngBomb(20_000, 20_000, 5_000)],
  ];
  files = [];
  for (const [name, bytes] of bombs) {
    assert.ok(bytes.length < 1 * MB, `${name} is a small file (${bytes.length} bytes)`);
    files.push(path.join(directory, name));
    await writeFile(files.at(-1)!, bytes);
  }
});

after(() => rm(directory, { recursive: true, force: true }));

test('PNG bombs are refused with a 400 from their header while RSS stays under 200 MB', async (t) => {
  const loaderUrl = workerFile(import.meta.url, '../../src/inputs/index');
  const runningTypeScript = loaderUrl.endsWith('.ts');
  const env: NodeJS.ProcessEnv = { ...process.env, LOADER_URL: loaderUrl, BOMBS: JSON.stringify(files) };
  delete env.NODE_TEST_CONTEXT; // the child is a plain script, not a test file
  const { stdout } = await run(
    process.execPath,
    [...(runningTypeScript ? ['--import', 'tsx'] : []), '--input-type=module', '-e', CHILD],
    { env, cwd: process.cwd(), timeout: 60_000 },
  );
  const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
    results: Array<{ status?: number; code?: string; message?: string; decoded?: number[] }>;
    rss: number;
    peakRss: number;
  };

  t.diagnostic(`child peak RSS ${(report.peakRss / MB).toFixed(1)} MB, final RSS ${(report.rss / MB).toFixed(1)} MB`);

  const [hugeUpload, hugeBase64, denseUpload, denseBase64] = report.results;
  for (const result of [hugeUpload, hugeBase64]) {
    assert.equal(result.status, 400);
    assert.equal(result.code, 'INVALID_IMAGE');
    assert.equal(
      result.message,
      'image is 100000x100000 (10,000,000,000 pixels); each image must have between 65,536 and 33,177,600 pixels',
    );
  }
  for (const result of [denseUpload, denseBase64]) {
    assert.equal(result.status, 400);
    assert.match(result.message ?? '', /^image is 20000x20000 \(400,000,000 pixels\)/);
  }
  assert.ok(report.peakRss < RSS_LIMIT, `peak RSS ${(report.peakRss / MB).toFixed(0)} MB`);
  assert.ok(report.rss < RSS_LIMIT, `RSS ${(report.rss / MB).toFixed(0)} MB`);
});
