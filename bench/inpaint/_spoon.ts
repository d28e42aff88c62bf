import sharp from 'sharp';
import { inpaint } from '../../src/imaging/inpaint/index.js';
import { createImagingPool } from '../../src/imaging/worker-pool.js';
const settings = JSON.parse(process.env.S ?? '{}');
const { data, info } = await sharp('test/fixtures/coffee.png').removeAlpha().raw().toBuffer({ resolveWithObject: true });
const m = await sharp(process.env.M ?? 'out/mask.png')
  .greyscale()
  .raw()
  .toBuffer();
const pool = createImagingPool(2);
const t = performance.now();
const out = await inpaint({ data, width: info.width, height: info.height, channels: 3 }, new Uint8Array(m), {
  pool,
  seed: 0,
  settings,
});
console.log(Math.round(performance.now() - t), 'ms');
await sharp(out.data, { raw: { width: info.width, height: info.height, channels: 3 } })
  .png()
  .toFile(process.env.O ?? 'out/spoon.png');
await pool.close();
