import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { iou } from '../../src/resources/detectors/boxes.js';
import { createDetectors, type Box, type Detection, type DetectorKind } from '../../src/resources/detectors/index.js';
import type { RawImage } from '../../src/imaging/raw-image.js';

/**
 * Detector quality on hand-labelled real photos (labelled.json): precision and recall of each detector at
 * its calibrated threshold. A detection is right when it overlaps an unmatched labelled box of its kind
 * (same COCO label for objects) with IoU >= 0.5 (0.3 for text lines, whose boxes are loose by nature);
 * detections centred in an 'ignore' zone count neither way.
 *
 * Run: node --import tsx bench/detection/quality.ts
 */

type Corners = [number, number, number, number];
interface Photo {
  file: string;
  objects: Array<{ label: string; box: Corners }>;
  faces: Corners[];
  text: Corners[];
  ignore?: { objects?: Corners[]; faces?: Corners[]; text?: Corners[]; objectLabels?: string[] };
}

const toBox = ([l, t, r, b]: Corners): Box => ({ left: l, top: t, width: r - l, height: b - t });
const inside = (d: Detection, zones: Corners[] = []) =>
  zones.some(([l, t, r, b]) => {
    const x = d.left + d.width / 2;
    const y = d.top + d.height / 2;
    return x >= l && x < r && y >= t && y < b;
  });

async function load(file: string): Promise<RawImage> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}

const { photos } = JSON.parse(readFileSync('bench/detection/labelled.json', 'utf8')) as { photos: Photo[] };
const detectors = createDetectors({ info() {}, error: (o, m) => console.error(m, o) });
const totals: Record<DetectorKind, { tp: number; fp: number; fn: number; notes: string[] }> = {
  objects: { tp: 0, fp: 0, fn: 0, notes: [] },
  faces: { tp: 0, fp: 0, fn: 0, notes: [] },
  text: { tp: 0, fp: 0, fn: 0, notes: [] },
};
for (const photo of photos) {
  const image = await load(photo.file);
  const name = photo.file.split('/').pop();
  for (const kind of ['objects', 'faces', 'text'] as const) {
    const truth =
      kind === 'objects'
        ? photo.objects
        : (photo[kind] as Corners[]).map((box) => ({ label: kind === 'faces' ? 'face' : 'text', box }));
    const found = (await detectors[kind].detect(image))
      .filter((d) => !inside(d, photo.ignore?.[kind]) && !(kind === 'objects' && photo.ignore?.objectLabels?.includes(d.label)))
      .sort((a, b) => b.score - a.score);
    const matched = new Set<number>();
    const minIou = kind === 'text' ? 0.3 : 0.5;
    for (const d of found) {
      let best = -1;
      let bestIou = minIou;
      truth.forEach((t, i) => {
        const overlap = iou(d, toBox(t.box));
        if (!matched.has(i) && t.label === d.label && overlap >= bestIou) [best, bestIou] = [i, overlap];
      });
      if (best >= 0) {
        matched.add(best);
        totals[kind].tp++;
      } else {
        totals[kind].fp++;
        totals[kind].notes.push(`${name}: false ${d.label} ${d.score.toFixed(2)} at [${d.left},${d.top},${d.width}x${d.height}]`);
      }
    }
    truth.forEach((t, i) => {
      if (matched.has(i)) return;
      totals[kind].fn++;
      totals[kind].notes.push(`${name}: missed ${t.label} [${t.box.join(',')}]`);
    });
  }
}
await detectors.close();
console.log('| detector | labelled | found right | false | missed | precision | recall |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const [kind, t] of Object.entries(totals)) {
  const p = t.tp + t.fp > 0 ? t.tp / (t.tp + t.fp) : 1;
  const r = t.tp + t.fn > 0 ? t.tp / (t.tp + t.fn) : 1;
  console.log(`| ${kind} | ${t.tp + t.fn} | ${t.tp} | ${t.fp} | ${t.fn} | ${p.toFixed(2)} | ${r.toFixed(2)} |`);
}
for (const [kind, t] of Object.entries(totals)) for (const note of t.notes) console.log(`${kind}: ${note}`);
