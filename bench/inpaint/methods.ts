/**
 * bench:inpaint:methods — the two fill methods on the same holes: multi-scale PatchMatch (the default)
 * and whole blocks of real pixels (quilt.ts, the erase step's second try). For each photo of
 * test/fixtures and generated blob holes at 2% and 5%, it prints each method's time, SSIM inside the
 * hole, texture inside the hole against the ring around it, and the fill self-check's verdict (the one
 * the erase step applies), then how often each passes and how often the erase step's order (PatchMatch,
 * then blocks where PatchMatch is refused) ends with a fill. Writes, for every hole the blocks filled and
 * passed, the original (hole outlined), PatchMatch's fill and the blocks' side by side to bench/out/inpaint/methods/.
 *
 * Run: node --import tsx bench/inpaint/methods.ts   (INPAINT_BENCH_PHOTOS=a.png,b.jpg limits the photos)
 */
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { checkFill } from '../../src/imaging/fill-check.js';
import { BlocksUnsuitable, inpaint } from '../../src/imaging/inpaint/index.js';
import { dilate } from '../../src/imaging/inpaint/masks.js';
import { createImagingPool } from '../../src/imaging/worker-pool.js';
import { generateMask } from './masks.js';
import { ssimInHole } from './metrics.js';
import { loadRgb, type Rgb } from './photo-io.js';

const pool = createImagingPool();
const FRACTIONS = [0.02, 0.05];
type Method = 'patchmatch' | 'blocks';

interface Outcome {
  out?: Rgb;
  ms: number;
  ssim: number;
  problem: string | null;
  /** The method could not be used (blocks, with an edge the structure step did not carry). */
  unusable?: boolean;
}

function photos(): string[] {
  const only = process.env.INPAINT_BENCH_PHOTOS?.split(',');
  return readdirSync('test/fixtures')
    .filter((f) => /\.(png|jpe?g)$/i.test(f) && (!only || only.includes(f)))
    .sort()
    .map((f) => path.join('test/fixtures', f));
}

async function fill(image: Rgb, hole: Uint8Array, method: Method, seed: number): Promise<Outcome> {
  const structure = new Uint8Array(hole.length);
  const start = performance.now();
  let out: Rgb;
  try {
    out = await inpaint(image, hole, { pool, seed, method, structureMask: structure });
  } catch (error) {
    if (error instanceof BlocksUnsuitable) return { ms: performance.now() - start, ssim: 0, problem: null, unusable: true };
    throw error;
  }
  const ms = performance.now() - start;
  // The erase step's check: a ring of 2% of the shorter side, the structure step's copies left out.
  const binary = hole.map((v) => (v > 127 ? 1 : 0));
  const grown = dilate(binary, image.width, image.height, Math.max(4, Math.round(0.02 * Math.min(image.width, image.height))));
  const judged = hole.map((v, i) => (structure[i] ? 0 : v));
  const ring = grown.map((v, i) => (structure[i] || !v ? 0 : 255));
  const { problem } = checkFill({ ...out, hole: judged, ring });
  return { out, ms, ssim: ssimInHole(image, out, hole), problem };
}

const OUT = path.resolve('bench/out/inpaint/methods');

/** The original with the hole outlined in red, PatchMatch's fill, the blocks' fill: one PNG per case. */
async function saveSideBySide(image: Rgb, results: Record<Method, Outcome>, hole: Uint8Array, name: string): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const marked = Buffer.from(image.data);
  for (let i = 0; i < hole.length; i++) {
    const edge =
      hole[i] > 127 && (hole[i - 1] <= 127 || hole[i + 1] <= 127 || hole[i - image.width] <= 127 || hole[i + image.width] <= 127);
    if (edge) marked.set([255, 0, 0], i * 3);
  }
  const raw = { raw: { width: image.width, height: image.height, channels: 3 as const } };
  const parts = [marked, results.patchmatch.out?.data, results.blocks.out?.data].map((data, k) => ({ data, k }));
  await sharp({ create: { width: 3 * image.width, height: image.height, channels: 3, background: '#000' } })
    .composite(
      await Promise.all(
        parts.map(async ({ data, k }) => ({ input: await sharp(data, raw).png().toBuffer(), left: k * image.width, top: 0 })),
      ),
    )
    .png()
    .toFile(path.join(OUT, `${name}.png`));
}

async function main(): Promise<void> {
  const rows: Array<{ name: string; results: Record<Method, Outcome> }> = [];
  let seed = 1;
  for (const file of photos()) {
    const image = await loadRgb(file);
    for (const fraction of FRACTIONS) {
      const hole = generateMask(image.width, image.height, fraction, 'blobs', seed++);
      const name = `${path.basename(file).replace(/\.\w+$/, '')}-${Math.round(fraction * 100)}%`;
      const results = {
        patchmatch: await fill(image, hole, 'patchmatch', seed),
        blocks: await fill(image, hole, 'blocks', seed),
      };
      rows.push({ name, results });
      // Wherever the blocks pass the check (the erase step may return them): the pictures to look at.
      if (results.blocks.out && !results.blocks.problem) await saveSideBySide(image, results, hole, name);
      const cell = (o: Outcome) =>
        o.unusable
          ? 'unusable (blocks unsuitable)'.padEnd(40)
          : `${o.ms.toFixed(0).padStart(6)} ms  SSIM ${o.ssim.toFixed(3)}  ${o.problem ? 'REFUSED' : 'passes '}`.padEnd(40);
      console.log(`${name.padEnd(28)} patchmatch ${cell(results.patchmatch)} blocks ${cell(results.blocks)}`);
      if (results.patchmatch.problem) console.log(`${''.padEnd(28)} patchmatch: ${results.patchmatch.problem}`);
      if (results.blocks.problem) console.log(`${''.padEnd(28)} blocks: ${results.blocks.problem}`);
    }
  }
  const count = (test: (r: (typeof rows)[number]) => boolean) => rows.filter(test).length;
  const mean = (m: Method, k: 'ms' | 'ssim') => {
    const usable = rows.filter((r) => !r.results[m].unusable);
    return usable.reduce((s, r) => s + r.results[m][k], 0) / usable.length;
  };
  console.log(`\n${rows.length} holes`);
  for (const m of ['patchmatch', 'blocks'] as const) {
    const passes = count((r) => !r.results[m].unusable && !r.results[m].problem);
    console.log(
      `${m.padEnd(11)} passes the check ${passes}/${rows.length}; mean SSIM ${mean(m, 'ssim').toFixed(4)}; mean ${mean(m, 'ms').toFixed(0)} ms`,
    );
  }
  const erased = count((r) => !r.results.patchmatch.problem || (!r.results.blocks.unusable && !r.results.blocks.problem));
  const rescued = count((r) => !!r.results.patchmatch.problem && !r.results.blocks.unusable && !r.results.blocks.problem);
  console.log(
    `the erase step's order ends with a fill on ${erased}/${rows.length} (blocks rescue ${rescued} that PatchMatch alone would refuse)`,
  );
  await pool.close();
}

await main();
