const W = Number(process.env.W ?? 4000),
  H = Number(process.env.H ?? 3000);
import path from 'node:path';
import { inpaint } from '../../src/imaging/inpaint/index.js';
import { contextWindows } from '../../src/imaging/inpaint/crop.js';
import { createImagingPool } from '../../src/imaging/worker-pool.js';
import { generateMask } from './masks.js';
import { loadRgb } from './photo-io.js';
import { ssimInHole, psnrInHole } from './metrics.js';
const settings = JSON.parse(process.env.S ?? '{}');
const photo = process.argv[2] ?? 'motorcycle_left.png';
const image = await loadRgb(path.resolve('test/fixtures', photo), { width: W, height: H, fit: 'cover' });
const hole = generateMask(W, H, Number(process.env.F ?? 0.01), 'blobs', 12);
const ws = contextWindows(hole, W, H);
console.log(ws.map((w) => `${w.width}x${w.height}`).join(' '));
const pool = createImagingPool(2);
const orig = pool.run.bind(pool);
const totals: Record<string, number> = {};
(pool as any).run = async (name: string, payload: any, o: any) => {
  const t = performance.now();
  const r = await orig(name as any, payload, o);
  totals[name] = (totals[name] ?? 0) + performance.now() - t;
  return r;
};
await inpaint(image, hole, { pool, seed: 1, settings });
for (const k of Object.keys(totals)) totals[k] = 0;
const t = performance.now();
const out = await inpaint(image, hole, { pool, seed: 1, settings });
const ms = Math.round(performance.now() - t);
console.log(
  'ssim',
  ssimInHole(image, out, hole).toFixed(4),
  psnrInHole(image, out, hole).toFixed(2),
  'total',
  ms,
  JSON.stringify(Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, Math.round(v)]))),
);
await pool.close();
