import type { GraphModel } from '@tensorflow/tfjs-converter';
import { clampBox, suppressOverlaps } from '../boxes.js';
import type { Detection } from '../detection.js';
import { MODEL_FILES } from '../model-files.js';
import { loadTfGraph, tf } from '../tfjs-runtime.js';
import { resizedRgb, type PixelsTask } from '../worker/pixels.js';
import { OBJECT_INPUT_SIDE, OBJECT_THRESHOLD } from './calibration.js';
import { COCO_LABELS } from './coco-labels.js';

/**
 * The object detector: CenterNet (MobileNetV3 backbone) over the 80 COCO classes. Its graph ends in a
 * `detections` tensor of the 100 best peaks, each [x1, y1, x2, y2, score, class] in input pixels; the
 * input is the picture stretched to 512x512, RGB on the 0..255 scale (checked against the alternatives:
 * 0..1 or BGR find nothing or worse on real photos).
 */

const SIDE = OBJECT_INPUT_SIDE;

let model: Promise<GraphModel> | undefined;

export function loadObjects(): Promise<GraphModel> {
  model ??= loadTfGraph(MODEL_FILES.objects.graph, MODEL_FILES.objects.weights).catch((error) => {
    model = undefined;
    throw error;
  });
  return model;
}

export async function detectObjects(task: PixelsTask, threshold = OBJECT_THRESHOLD): Promise<Detection[]> {
  const graph = await loadObjects();
  const { rgb, scaleX, scaleY } = await resizedRgb(task, SIDE, SIDE, 'fill');
  const input = tf.tensor4d(Float32Array.from(rgb), [1, SIDE, SIDE, 3]);
  const output = graph.execute(input, ['tower_0/detections']) as tf.Tensor;
  const rows = (await output.data()) as Float32Array;
  tf.dispose([input, output]);
  const found: Detection[] = [];
  for (let i = 0; i + 5 < rows.length; i += 6) {
    const score = rows[i + 4];
    const label = COCO_LABELS[Math.round(rows[i + 5])];
    if (!(score >= threshold) || !label) continue;
    const box = clampBox(
      rows[i] * scaleX,
      rows[i + 1] * scaleY,
      rows[i + 2] * scaleX,
      rows[i + 3] * scaleY,
      task.width,
      task.height,
    );
    if (box) found.push({ label, score, ...box });
  }
  return suppressOverlaps(found);
}
