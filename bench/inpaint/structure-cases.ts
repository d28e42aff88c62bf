/**
 * Holes across straight structure, the cases random blobs rarely make: a post, a drainpipe, a building's
 * corner, a window in a grid, a brick wall, on real photos of test/fixtures. Each is filled as today
 * (PatchMatch alone, `structureFirst: false`), with the structure step first (the default), and by
 * OpenCV's Telea; SSIM and PSNR inside the hole against the photo, and crops side by side in
 * bench/out/inpaint/structure/. The sign on its post has no ground truth (the sign is what is removed):
 * it is judged by eye.
 *
 * Run on its own: `node --import tsx bench/inpaint/structure-cases.ts` (bench:inpaint runs it last).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { inpaint } from '../../src/imaging/inpaint/index.js';
import type { StructureReport } from '../../src/imaging/inpaint/structure.js';
import { createImagingPool, type ImagingPool } from '../../src/imaging/worker-pool.js';
import { psnrInHole, ssimInHole } from './metrics.js';
import { writeContactSheet } from './contact-sheet.js';
import { runOpenCv } from './opencv.js';
import { loadRgb, saveMask, saveRgb, type Rgb } from './photo-io.js';

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

interface StructureCase {
  name: string;
  photo: string;
  box: Box;
  /** False where the hole hides something that should not come back (the sign): no metrics. */
  truth: boolean;
}

export const STRUCTURE_CASES: StructureCase[] = [
  // Small holes (under about 64 pixels across): PatchMatch's coarse patches bridge them; the step stays out.
  { name: 'post, crossed', photo: 'street.jpg', box: { left: 290, top: 330, width: 130, height: 60 }, truth: true },
  { name: 'drainpipe', photo: 'cloudy-street.jpg', box: { left: 95, top: 260, width: 45, height: 50 }, truth: true },
  { name: 'window in a grid', photo: 'cloudy-street.jpg', box: { left: 644, top: 230, width: 44, height: 66 }, truth: true },
  // Large holes across straight structure, where it acts.
  { name: 'post, large hole', photo: 'street.jpg', box: { left: 280, top: 300, width: 150, height: 140 }, truth: true },
  { name: 'drainpipe, large hole', photo: 'cloudy-street.jpg', box: { left: 80, top: 230, width: 75, height: 110 }, truth: true },
  {
    name: 'building edge, large hole',
    photo: 'cloudy-street.jpg',
    box: { left: 175, top: 230, width: 75, height: 120 },
    truth: true,
  },
  { name: 'sign on its post', photo: 'street.jpg', box: { left: 250, top: 12, width: 197, height: 262 }, truth: false },
];

const OUT = path.resolve('bench/out/inpaint/structure');

function boxHole(width: number, height: number, box: Box): Uint8Array {
  const hole = new Uint8Array(width * height);
  for (let y = box.top; y < box.top + box.height; y++) hole.fill(255, y * width + box.left, y * width + box.left + box.width);
  return hole;
}

/** A crop around the box (three times its size, inside the picture), for the contact sheet. */
async function saveCrop(file: string, out: string, box: Box, image: Rgb): Promise<void> {
  const side = Math.max(box.width, box.height) * 3;
  const left = Math.max(0, Math.min(image.width - side, Math.round(box.left + box.width / 2 - side / 2)));
  const top = Math.max(0, Math.min(image.height - side, Math.round(box.top + box.height / 2 - side / 2)));
  const width = Math.min(side, image.width - left);
  const height = Math.min(side, image.height - top);
  await sharp(file).extract({ left, top, width, height }).png().toFile(out);
}

export async function printStructureCases(pool: ImagingPool): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const rows: Array<{ c: StructureCase; files: Record<string, string>; reports: StructureReport[]; ms: number[] }> = [];
  for (const c of STRUCTURE_CASES) {
    const image = await loadRgb(path.resolve('test/fixtures', c.photo));
    const hole = boxHole(image.width, image.height, c.box);
    const stem = path.join(OUT, c.name.replace(/\W+/g, '-'));
    const files = {
      image: `${stem}-original.png`,
      mask: `${stem}-mask.png`,
      today: `${stem}-today.png`,
      ours: `${stem}-structure.png`,
      telea: `${stem}-telea.png`,
      ns: `${stem}-ns.png`,
    };
    await saveRgb(image, files.image);
    await saveMask(hole, image.width, image.height, files.mask);
    const reports: StructureReport[] = [];
    const ms: number[] = [];
    for (const structureFirst of [false, true]) {
      const start = performance.now();
      const result = await inpaint(image, hole, {
        pool,
        seed: 1,
        settings: { structureFirst },
        onStructure: (r) => reports.push(r),
      });
      ms.push(performance.now() - start);
      await saveRgb(result, structureFirst ? files.ours : files.today);
    }
    rows.push({ c, files, reports, ms });
  }
  runOpenCv(rows.map((r) => ({ image: r.files.image, mask: r.files.mask, telea: r.files.telea, ns: r.files.ns, repeats: 1 })));
  console.log('\nHoles across straight structure (SSIM and PSNR inside the hole; the sign has no ground truth)');
  console.log(
    '| case | photo | hole | today SSIM | structure SSIM | Telea SSIM | today PSNR | structure PSNR | Telea PSNR | structure step | ms today / structure |',
  );
  console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
  const sheet = [];
  for (const { c, files, reports, ms } of rows) {
    const image = await loadRgb(files.image);
    const hole = boxHole(image.width, image.height, c.box);
    const metric = async (file: string) => {
      const result = await loadRgb(file);
      return c.truth ? [ssimInHole(image, result, hole).toFixed(4), psnrInHole(image, result, hole).toFixed(2)] : ['-', '-'];
    };
    const [today, ours, telea] = [await metric(files.today), await metric(files.ours), await metric(files.telea)];
    const report = reports[0];
    const step = report
      ? `${report.lines} line(s), ${report.bands} band(s)${report.period ? `, period ${report.period.join(',')}` : ''}, ${report.filled} px`
      : '-';
    const { width: w, height: h } = c.box;
    console.log(
      `| ${c.name} | ${c.photo} | ${w}x${h} | ${today[0]} | ${ours[0]} | ${telea[0]} | ${today[1]} | ${ours[1]} | ${telea[1]} | ${step} | ${Math.round(ms[0])} / ${Math.round(ms[1])} |`,
    );
    const cells: string[] = [];
    for (const key of ['image', 'today', 'ours', 'telea'] as const) {
      const crop = files[key].replace(/\.png$/, '-crop.png');
      await saveCrop(files[key], crop, c.box, image);
      cells.push(crop);
    }
    sheet.push({ label: `${c.name} (${c.photo})`, cells });
  }
  await writeContactSheet(sheet, ['original', 'today (PatchMatch)', 'structure first', 'Telea'], path.join(OUT, 'sheet.png'));
  console.log(`Crops side by side: ${path.relative(process.cwd(), path.join(OUT, 'sheet.png'))}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const pool = createImagingPool();
  await printStructureCases(pool);
  await pool.close();
}
