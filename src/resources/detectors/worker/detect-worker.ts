import { workerData } from 'piscina';
import type { InferenceWorkerData } from '../../onnx/inference-pool.js';
import { ModelUnavailableError } from '../../onnx/model-unavailable.js';
import type { Detection, DetectorKind } from '../detection.js';
import { detectFaces, loadFaces } from '../faces/blazeface.js';
import { detectObjects, loadObjects } from '../objects/centernet.js';
import { detectText, loadText } from '../text/ppocr-detector.js';
import type { PixelsTask } from './pixels.js';

/**
 * The detection worker: holds whichever detector models it has been asked to run (each loaded and
 * verified on first use) and runs them off the main thread. Replies carry boxes in image pixels.
 */

export interface DetectWorkerData extends InferenceWorkerData {
  intraOpThreads: number;
}

export type DetectTask =
  | { kind: 'warm'; detector: DetectorKind }
  | ({ kind: 'detect'; detector: DetectorKind; minScore?: number } & PixelsTask);

export type DetectReply =
  | { ok: true; boxes: Detection[] }
  | { ok: false; code: 'MODEL_UNAVAILABLE' | 'INFERENCE_FAILED'; reason: string; detail: string };

const { intraOpThreads } = workerData as DetectWorkerData;

const loaders: Record<DetectorKind, () => Promise<unknown>> = {
  objects: loadObjects,
  faces: loadFaces,
  text: () => loadText(intraOpThreads),
};

export default async function run(task: DetectTask): Promise<DetectReply> {
  try {
    await loaders[task.detector]();
  } catch (error) {
    const e =
      error instanceof ModelUnavailableError
        ? error
        : new ModelUnavailableError('the detector model could not be loaded', String(error));
    return { ok: false, code: 'MODEL_UNAVAILABLE', reason: e.reason, detail: e.detail };
  }
  if (task.kind === 'warm') return { ok: true, boxes: [] };
  try {
    if (task.detector === 'objects') return { ok: true, boxes: await detectObjects(task, task.minScore) };
    if (task.detector === 'faces') return { ok: true, boxes: await detectFaces(task) };
    return { ok: true, boxes: await detectText(task, intraOpThreads) };
  } catch (error) {
    return {
      ok: false,
      code: 'INFERENCE_FAILED',
      reason: `the ${task.detector} detector failed`,
      detail: (error as Error).message,
    };
  }
}
