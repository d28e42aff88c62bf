import * as ort from 'onnxruntime-node';
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import sharp from 'sharp';
import type { ModelSpec } from '../segmentation-models.js';
import { activate, gridSize, refineMatte } from '../matte-refine.js';
import { isnetInt8 } from '../isnet-int8.js';
import { loadModelBytes } from '../model-bytes.js';
import { ModelUnavailableError } from '../../onnx/model-unavailable.js';
import { prepareModel } from '../../onnx/model-rewrite.js';
import { toModelInput, type PixelsView } from '../preprocess.js';
import { sessionOptions, type SessionPlan } from '../../onnx/session-options.js';
import type { InferenceWorkerData } from '../../onnx/inference-pool.js';

/**
 * The segmentation worker: one ONNX Runtime session per thread, created on the first task and reused for
 * every later one. A task carries the photo's pixels (moved, not copied) and returns the full-resolution
 * matte (moved back). All pixel loops run here, so the main thread only moves buffers.
 */

export interface SegmentWorkerData extends InferenceWorkerData {
  spec: ModelSpec;
  plan: SessionPlan;
}

export type SegmentTask =
  | { kind: 'warm' }
  | { kind: 'segment'; pixels: Uint8Array; width: number; height: number; channels: 3 | 4 };

export type SegmentReply =
  | { ok: true; alpha?: Uint8Array; inferenceMs?: number }
  | { ok: false; code: 'MODEL_UNAVAILABLE' | 'INFERENCE_FAILED'; reason: string; detail: string };

const { spec, plan } = workerData as SegmentWorkerData;

interface Loaded {
  session: ort.InferenceSession;
  outputName: string;
}
let session: Promise<Loaded> | undefined;

async function createSession(): Promise<Loaded> {
  const bytes = await loadModelBytes(spec.source);
  try {
    // Pruned to the one output we read, fp16 weights widened to fp32 (model-rewrite.ts): measured faster.
    const prepared = prepareModel(bytes, spec.outputIndex);
    // isnet-int8: quantized here from the stored ranges (about 2 s, once per worker).
    const model = spec.int8 ? isnetInt8(prepared.bytes, spec).bytes : prepared.bytes;
    return { session: await ort.InferenceSession.create(model, sessionOptions(plan)), outputName: prepared.outputName };
  } catch (error) {
    throw new ModelUnavailableError('the model could not be loaded', (error as Error).message);
  }
}

export default async function run(task: SegmentTask): Promise<SegmentReply> {
  let loaded: Loaded;
  try {
    session ??= createSession();
    loaded = await session;
  } catch (error) {
    session = undefined;
    const e =
      error instanceof ModelUnavailableError ? error : new ModelUnavailableError('the model could not be loaded', String(error));
    return { ok: false, code: 'MODEL_UNAVAILABLE', reason: e.reason, detail: e.detail };
  }
  if (task.kind === 'warm') return { ok: true };
  try {
    const full: PixelsView = { data: task.pixels, width: task.width, height: task.height, channels: task.channels };
    const grid = await gridPixels(full);
    const input = toModelInput(grid, spec.inputSize, spec);
    const started = performance.now();
    const prediction = await infer(loaded, input);
    const inferenceMs = performance.now() - started;
    const alpha = refineMatte(activate(prediction, spec.activation), spec.inputSize, grid, full);
    return moving({ ok: true, alpha, inferenceMs }, [alpha.buffer as ArrayBuffer]);
  } catch (error) {
    return { ok: false, code: 'INFERENCE_FAILED', reason: 'the segmentation model failed', detail: (error as Error).message };
  }
}

/** A reply whose buffers are moved to the main thread instead of copied (piscina's Transferable protocol). */
function moving(reply: SegmentReply, buffers: ArrayBuffer[]): SegmentReply {
  return move({ [transferableSymbol]: buffers, [valueSymbol]: reply } as never) as unknown as SegmentReply;
}

async function infer({ session: loaded, outputName }: Loaded, input: Float32Array): Promise<Float32Array> {
  const side = spec.inputSize;
  const feeds = { [loaded.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, side, side]) };
  const results = await loaded.run(feeds, [outputName]);
  const output = results[outputName];
  if (output.type !== 'float32' || output.size !== side * side) {
    throw new Error(`output ${outputName} is ${output.type} ${JSON.stringify(output.dims)}, expected ${side}x${side} float32`);
  }
  return output.data as Float32Array;
}

/**
 * The photo at the refinement grid's size: itself when small enough, else an antialiased sharp downscale
 * (which also feeds the model, so that large photos are not aliased by 2-tap sampling).
 */
async function gridPixels(full: PixelsView): Promise<PixelsView> {
  const size = gridSize(full.width, full.height);
  if (size.width === full.width && size.height === full.height) return full;
  const raw = { width: full.width, height: full.height, channels: full.channels as 3 | 4 };
  const data = await sharp(full.data, { raw, limitInputPixels: false })
    .resize(size.width, size.height, { fit: 'fill' })
    .raw()
    .toBuffer();
  return { data, width: size.width, height: size.height, channels: full.channels };
}
