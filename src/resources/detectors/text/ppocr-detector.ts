import * as ort from 'onnxruntime-node';
import type { Detection } from '../detection.js';
import { MODEL_FILES, loadModelFile } from '../model-files.js';
import { resizedRgb, type PixelsTask } from '../worker/pixels.js';
import { textRegions } from './text-regions.js';

/**
 * The text detector: PaddleOCR's PP-OCRv4 detector (a DB head) on ONNX Runtime. It returns, per input
 * pixel, the probability that the pixel is part of a line of text. The picture is letterboxed to a side
 * of at most 960 (a multiple of 32, as the network needs), normalised with ImageNet's mean and std applied in
 * PaddleOCR's channel order (BGR, as OpenCV reads it: measured fewer false boxes than RGB on real photos).
 */

const MAX_SIDE = 960;
const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

let session: Promise<ort.InferenceSession> | undefined;

export function loadText(intraOpThreads: number): Promise<ort.InferenceSession> {
  session ??= (async () => {
    const bytes = await loadModelFile(MODEL_FILES.text.model);
    return ort.InferenceSession.create(bytes, {
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      intraOpNumThreads: intraOpThreads,
      interOpNumThreads: 1,
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
  })().catch((error) => {
    session = undefined;
    throw error;
  });
  return session;
}

/** The lines of text, each box grown by DB's unclip distance so that it covers the lettering. */
export async function detectText(task: PixelsTask, intraOpThreads: number): Promise<Detection[]> {
  const loaded = await loadText(intraOpThreads);
  const scale = Math.min(1, MAX_SIDE / Math.max(task.width, task.height));
  const side = (n: number) => Math.max(32, Math.ceil((n * scale) / 32) * 32);
  const width = side(task.width);
  const height = side(task.height);
  const { rgb, scaleX, scaleY } = await resizedRgb(task, width, height, 'pad');
  const plane = width * height;
  const input = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) input[c * plane + i] = (rgb[i * 3 + 2 - c] / 255 - MEAN[c]) / STD[c];
  }
  const feeds = { [loaded.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, height, width]) };
  const results = await loaded.run(feeds);
  const map = results[loaded.outputNames[0]].data as Float32Array;
  return textRegions(map, width, height, { scaleX, scaleY, width: task.width, height: task.height });
}
