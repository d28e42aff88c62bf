/**
 * bench:inpaint — our PatchMatch inpainting against OpenCV's cv2.inpaint (Telea, Navier-Stokes), run on
 * the same photos and generated holes in the same run. Prints time, PSNR and SSIM inside the hole per
 * case and per coverage, the time ratio to Telea, a 1-megapixel timing, and writes contact sheets
 * (original, mask, ours, Telea) to bench/out/inpaint/.
 *
 * Environment: INPAINT_BENCH_PHOTOS=a.png,b.jpg limits the photos; INPAINT_SETTINGS='{"patchRadius":4}'
 * overrides tuning settings; INPAINT_BENCH_REPEATS sets timing repeats (default 3); INPAINT_BENCH_ONE_MP=0 skips
 * the 1-megapixel timings. The holes across straight structure (structure-cases.ts) run last.
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { inpaint } from '../../src/imaging/inpaint/index.js';
import type { InpaintSettings } from '../../src/imaging/inpaint/settings.js';
import { createImagingPool } from '../../src/imaging/worker-pool.js';
import { writeContactSheet } from './contact-sheet.js';
import { coverage, generateMask, type MaskKind } from './masks.js';
import { psnrInHole, ssimInHole } from './metrics.js';
import { loadRgb, median, saveMask, saveRgb, type Rgb } from './photo-io.js';
import { printOneMegapixel } from './one-megapixel.js';
import { runOpenCv } from './opencv.js';
import { printStructureCases } from './structure-cases.js';

/** The imaging workers, one per core, as the server sizes them by default. */
const pool = createImagingPool();

const OUT = path.resolve('bench/out/inpaint');
const FRACTIONS = [0.02, 0.05, 0.15];
const KINDS: MaskKind[] = ['blobs', 'strokes'];
const REPEATS = Math.max(1, Number(process.env.INPAINT_BENCH_REPEATS ?? 3));
const SETTINGS: Partial<InpaintSettings> = JSON.parse(process.env.INPAINT_SETTINGS ?? '{}');

interface Case {
  name: string;
  photo: string;
  kind: MaskKind;
  fraction: number;
  actual: number;
  hole: Uint8Array;
  files: { image: string; mask: string; ours: string; telea: string; ns: string };
  results: Record<'ours' | 'telea' | 'ns', { ms: number; psnr: number; ssim: number }>;
}

function photos(): string[] {
  const shared = path.resolve('../shared/fixtures/photos');
  const dir = existsSync(shared) ? shared : path.resolve('test/fixtures');
  const only = process.env.INPAINT_BENCH_PHOTOS?.split(',');
  return readdirSync(dir)
    .filter((f) => /\.(png|jpe?g)$/i.test(f) && (!only || only.includes(f)))
    .sort()
    .map((f) => path.join(dir, f));
}

async function main(): Promise<void> {
  mkdirSync(path.join(OUT, 'cases'), { recursive: true });
  const cases: Case[] = [];
  for (const photo of photos()) {
    const image = await loadRgb(photo);
    const stem = path.basename(photo).replace(/\.\w+$/, '');
    for (const fraction of FRACTIONS) {
      for (const kind of KINDS) {
        const name = `${stem}-${kind}-${Math.round(fraction * 100)}`;
        const seed = cases.length + 1;
        const hole = generateMask(image.width, image.height, fraction, kind, seed);
        const base = path.join(OUT, 'cases', name);
        const files = {
          image: `${base}-original.png`,
          mask: `${base}-mask.png`,
          ours: `${base}-ours.png`,
          telea: `${base}-telea.png`,
          ns: `${base}-ns.png`,
        };
        await saveRgb(image, files.image);
        await saveMask(hole, image.width, image.height, files.mask);
        // The first case also pays for the workers' start and the JIT's warm-up: run it once untimed.
        if (cases.length === 0) await inpaint(image, hole, { pool, seed, settings: SETTINGS });
        const { result, ms } = await timeOurs(image, hole, seed);
        await saveRgb(result, files.ours);
        const ours = { ms, psnr: psnrInHole(image, result, hole), ssim: ssimInHole(image, result, hole) };
        cases.push({ name, photo, kind, fraction, actual: coverage(hole), hole, files, results: { ours } as Case['results'] });
        process.stderr.write('.');
      }
    }
  }
  process.stderr.write('\n');
  console.log(`Structure step filled pixels in ${structureCases.length} window(s): ${structureCases.join('; ') || 'none'}`);
  const reference = runOpenCv(cases.map((c) => ({ ...c.files, repeats: REPEATS })));
  for (const [i, c] of cases.entries()) {
    const image = await loadRgb(c.files.image);
    const hole = c.hole;
    for (const method of ['telea', 'ns'] as const) {
      const result = await loadRgb(c.files[method]);
      const ms = method === 'telea' ? reference[i].telea_ms : reference[i].ns_ms;
      c.results[method] = { ms, psnr: psnrInHole(image, result, hole), ssim: ssimInHole(image, result, hole) };
    }
  }
  printCases(cases, reference[0]?.version ?? '?');
  printSummary(cases);
  await writeSheets(cases);
  // INPAINT_BENCH_ONE_MP=0 skips the 1-MP timings (they mean little on a loaded machine).
  if (process.env.INPAINT_BENCH_ONE_MP !== '0') await printOneMegapixel(photos(), SETTINGS, REPEATS, pool);
  await printStructureCases(pool);
  await pool.close();
}

const structureCases: string[] = [];

async function timeOurs(image: Rgb, hole: Uint8Array, seed: number): Promise<{ result: Rgb; ms: number }> {
  const times: number[] = [];
  let result = image;
  for (let r = 0; r < REPEATS; r++) {
    const start = performance.now();
    result = await inpaint(image, hole, {
      pool,
      seed,
      settings: SETTINGS,
      onStructure: (report) => {
        // Which cases the structure step acted on, so a change in quality can be traced to it.
        if (r === 0 && report.filled > 0)
          structureCases.push(`${report.bands} band(s)${report.period ? `, period ${report.period}` : ''}, ${report.filled} px`);
      },
    });
    times.push(performance.now() - start);
  }
  return { result, ms: median(times) };
}

function printCases(cases: Case[], version: string): void {
  console.log(`\nPer case (ms = median of ${REPEATS}; PSNR dB and SSIM inside the hole; reference OpenCV ${version}, 1 thread)`);
  console.log('SSIM: luma, 11x11 Gaussian windows (sigma 1.5) centred on the hole pixels, averaged; PSNR: RGB, hole pixels');
  console.log(`${'case'.padEnd(34)}hole   ${['ours', 'telea', 'ns'].map((m) => `${m.padEnd(6)} ms  PSNR   SSIM  `).join('| ')}`);
  for (const c of cases) {
    const cells = (['ours', 'telea', 'ns'] as const).map((m) => {
      const r = c.results[m];
      return `${r.ms.toFixed(0).padStart(8)} ${r.psnr.toFixed(2).padStart(6)} ${r.ssim.toFixed(3)} `;
    });
    console.log(`${c.name.padEnd(34)}${(c.actual * 100).toFixed(1).padStart(4)}%  ${cells.join('| ')}`);
  }
}

function printSummary(cases: Case[]): void {
  console.log('\nMeans per coverage (blobs and strokes together)');
  console.log('hole  method  ms      PSNR   SSIM   time vs Telea');
  for (const fraction of FRACTIONS) {
    const group = cases.filter((c) => c.fraction === fraction);
    const mean = (m: 'ours' | 'telea' | 'ns', k: 'ms' | 'psnr' | 'ssim') =>
      group.reduce((s, c) => s + c.results[m][k], 0) / group.length;
    for (const m of ['ours', 'telea', 'ns'] as const) {
      const ratio = mean(m, 'ms') / mean('telea', 'ms');
      console.log(
        `${(fraction * 100).toFixed(0).padStart(3)}%  ${m.padEnd(6)} ${mean(m, 'ms').toFixed(0).padStart(6)} ${mean(m, 'psnr').toFixed(2).padStart(6)} ${mean(m, 'ssim').toFixed(4)}  x${ratio.toFixed(2)}`,
      );
    }
    const verdict = mean('ours', 'ssim') >= mean('telea', 'ssim') ? 'meets' : 'MISSES';
    console.log(`      SSIM ours - Telea = ${(mean('ours', 'ssim') - mean('telea', 'ssim')).toFixed(4)} (${verdict} the target)`);
  }
}

async function writeSheets(cases: Case[]): Promise<void> {
  for (const fraction of FRACTIONS) {
    for (const kind of KINDS) {
      const rows = cases
        .filter((c) => c.fraction === fraction && c.kind === kind)
        .map((c) => ({
          label: `${c.name}  ours SSIM ${c.results.ours.ssim.toFixed(3)}  Telea SSIM ${c.results.telea.ssim.toFixed(3)}`,
          cells: [c.files.image, c.files.mask, c.files.ours, c.files.telea],
        }));
      const file = path.join(OUT, `contact-${kind}-${Math.round(fraction * 100)}.png`);
      await writeContactSheet(rows, ['original', 'mask', 'ours (PatchMatch)', 'OpenCV Telea'], file);
      console.log(`contact sheet: ${path.relative(process.cwd(), file)}`);
    }
  }
}

await main();
