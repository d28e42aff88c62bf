/**
 * The crop strategy at 12 megapixels: a 4000x3000 photo (a fixture scaled to cover it) with a 1% hole,
 * filled through a window around the hole (the default) and over the whole image, each in its own child
 * process so its peak memory (max RSS) is its own. Quality is compared inside the hole against the
 * original (SSIM, PSNR). Targets: at most 2 s and 300 MB, same quality in the hole.
 *
 *   node --import tsx bench/inpaint/crop-12mp.ts [repeats]
 *   npm run build && node dist/bench/inpaint/crop-12mp.js [repeats]   # the footprint as the server runs
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inpaint } from '../../src/imaging/inpaint/index.js';
import { createImagingPool } from '../../src/imaging/worker-pool.js';
import { generateMask } from './masks.js';
import { psnrInHole, ssimInHole } from './metrics.js';
import { loadRgb, median } from './photo-io.js';

const WIDTH = 4000;
const HEIGHT = 3000;
const PHOTOS = ['motorcycle_left.png', 'astronaut.png', 'coffee.png'];

async function child(photo: string, mode: 'crop' | 'whole', repeats: number): Promise<void> {
  const image = await loadRgb(path.resolve('test/fixtures', photo), { width: WIDTH, height: HEIGHT, fit: 'cover' });
  const hole = generateMask(WIDTH, HEIGHT, 0.01, 'blobs', 12);
  const pool = createImagingPool(2);
  const times: number[] = [];
  let out = image;
  let maxRssMb = 0;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    out = await inpaint(image, hole, { pool, seed: 1, window: mode });
    times.push(performance.now() - start);
    // The peak of one inpainting: later repeats add the workers' uncollected garbage (each worker's
    // heap is collected on its own schedule), which says more about the collector than about the work.
    if (r === 0) maxRssMb = process.resourceUsage().maxRSS / 1024;
  }
  await pool.close();
  console.log(
    JSON.stringify({ ms: median(times), maxRssMb, ssim: ssimInHole(image, out, hole), psnr: psnrInHole(image, out, hole) }),
  );
}

function main(): void {
  const repeats = Number(process.argv[2] ?? 3);
  const self = fileURLToPath(import.meta.url);
  console.log(
    `12 MP (${WIDTH}x${HEIGHT}), 1% blob hole, median of ${repeats}; max RSS of the whole process through the first run (photo decode included)`,
  );
  console.log('photo                 mode    ms      max RSS MB  SSIM in hole  PSNR in hole');
  for (const photo of PHOTOS) {
    for (const mode of ['crop', 'whole'] as const) {
      // Children run as this file runs: under tsx from the sources, or plain from the build (dist/), which is
      // how the server runs and so the footprint to compare (tsx's transform adds about 50 MB).
      const runner = self.endsWith('.ts') ? ['--import', 'tsx', self] : [self];
      const line = execFileSync(process.execPath, [...runner, '--child', photo, mode, String(repeats)], {
        encoding: 'utf8',
      });
      const r = JSON.parse(line.trim().split('\n').pop()!);
      console.log(
        `${photo.padEnd(21)} ${mode.padEnd(7)} ${r.ms.toFixed(0).padStart(6)}  ${r.maxRssMb.toFixed(0).padStart(10)}  ${r.ssim.toFixed(4).padStart(12)}  ${r.psnr.toFixed(2).padStart(12)}`,
      );
    }
  }
}

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4] as 'crop' | 'whole', Number(process.argv[5]));
else main();
