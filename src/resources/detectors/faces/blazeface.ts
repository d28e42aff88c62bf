import type { GraphModel } from '@tensorflow/tfjs-converter';
import { clampBox, suppressOverlaps } from '../boxes.js';
import type { Detection } from '../detection.js';
import { MODEL_FILES } from '../model-files.js';
import { loadTfGraph, tf } from '../tfjs-runtime.js';
import { resizedRgb, type PixelsTask } from '../worker/pixels.js';

/**
 * The face detector: MediaPipe's BlazeFace (back-camera variant, 256x256 input scaled to -1..1), as
 * shipped with @vladmandic/human. It predicts, for each of 896 anchors (16x16 cells x 2 at stride 16,
 * 8x8 cells x 6 at stride 32), a score logit and a box relative to the anchor centre, in input pixels.
 * The picture is letterboxed so faces keep their proportions.
 */

const SIDE = 256;
/**
 * Calibrated on real photos (bench/detection): real faces score 0.85-0.99; the cat in chelsea.png peaked
 * at 0.64 and text on signs at ~0.5, so 0.75 keeps every labelled face and none of those.
 */
export const FACE_THRESHOLD = 0.75;

const ANCHORS: Array<[number, number]> = (() => {
  const anchors: Array<[number, number]> = [];
  for (const [stride, perCell] of [
    [16, 2],
    [32, 6],
  ] as const) {
    const cells = Math.ceil(SIDE / stride);
    for (let y = 0; y < cells; y++) {
      for (let x = 0; x < cells; x++) {
        for (let k = 0; k < perCell; k++) anchors.push([stride * (x + 0.5), stride * (y + 0.5)]);
      }
    }
  }
  return anchors;
})();

let model: Promise<GraphModel> | undefined;

export function loadFaces(): Promise<GraphModel> {
  model ??= loadTfGraph(MODEL_FILES.faces.graph, MODEL_FILES.faces.weights).catch((error) => {
    model = undefined;
    throw error;
  });
  return model;
}

export async function detectFaces(task: PixelsTask, threshold = FACE_THRESHOLD): Promise<Detection[]> {
  const graph = await loadFaces();
  const { rgb, scaleX, scaleY } = await resizedRgb(task, SIDE, SIDE, 'pad');
  const input = tf.tensor4d(
    Float32Array.from(rgb, (v) => v / 127.5 - 1),
    [1, SIDE, SIDE, 3],
  );
  const outputs = graph.execute(input) as tf.Tensor[];
  // Four outputs: scores and boxes for the 512 stride-16 anchors and for the 384 stride-32 ones.
  const bySize = [...outputs].sort((a, b) => a.size - b.size);
  const [scores384, scores512, boxes384, boxes512] = await Promise.all(bySize.map((t) => t.data() as Promise<Float32Array>));
  tf.dispose([input, ...outputs]);
  const found: Detection[] = [];
  const read = (scores: Float32Array, boxes: Float32Array, first: number) => {
    const stride = boxes.length / scores.length;
    for (let i = 0; i < scores.length; i++) {
      const score = 1 / (1 + Math.exp(-scores[i]));
      if (score < threshold) continue;
      const [ax, ay] = ANCHORS[first + i];
      const cx = ax + boxes[i * stride];
      const cy = ay + boxes[i * stride + 1];
      const w = boxes[i * stride + 2];
      const h = boxes[i * stride + 3];
      const box = clampBox(
        (cx - w / 2) * scaleX,
        (cy - h / 2) * scaleY,
        (cx + w / 2) * scaleX,
        (cy + h / 2) * scaleY,
        task.width,
        task.height,
      );
      if (box) found.push({ label: 'face', score, ...box });
    }
  };
  read(scores512, boxes512, 0);
  read(scores384, boxes384, 512);
  return suppressOverlaps(found, 0.3);
}
