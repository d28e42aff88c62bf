import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { activationRanges, type CalibrationInput, channelMeans } from './calibrate.js';
import { int8WeightKind } from './int8-weights.js';
import { convolutionTensors, quantizeConvolutions, tensorsToCalibrate } from './quantize-convolutions.js';

/** Bumped whenever the quantizer or the calibration changes what it writes, so that old cache files are not read. */
const QUANTIZER_VERSION = 2;

export interface Int8Recipe {
  /** The network's name, for the cache file's name and the log. */
  name: string;
  /** Convolutions left in float, by index among the model's convolutions (the sensitive ones, measured). */
  keepFloat: readonly number[];
  /**
   * Whether to correct biases (below). It is one step for all layers at once, so in a long chain of
   * uncorrected nonlinearities it can overshoot: measured per network (Real-ESRGAN: off).
   */
  biasCorrection: boolean;
  /** The calibration inputs, made only when the model is not cached yet. */
  inputs: () => Promise<CalibrationInput[]>;
}

export interface Int8Result {
  bytes: Uint8Array;
  /** Where it was read from or written to; undefined without a cache folder. */
  path?: string;
  /** Whether it was made now (calibration run) rather than read from the cache. */
  made: boolean;
  /** Why it could not be written to the cache folder, when it could not. */
  unsaved?: string;
}

/**
 * The int8 version of a float model: read from `cacheDir` when this exact float model was quantized
 * before with this recipe, otherwise calibrated on real photos, quantized and written there (to a
 * temporary name first, then renamed, so that a reader never sees half a file and two workers making it
 * at once both end with a whole one). The file name holds a digest of the float model, the recipe and
 * the quantizer's version.
 *
 * @example const { bytes } = await int8Model(floatBytes, recipe, './data/models', sessionOptions(plan));
 */
export async function int8Model(
  floatModel: Uint8Array,
  recipe: Int8Recipe,
  cacheDir: string | undefined,
  options: InferenceSession.SessionOptions,
): Promise<Int8Result> {
  const weights = int8WeightKind();
  const digest = createHash('sha256')
    .update(floatModel)
    .update(
      JSON.stringify({
        version: QUANTIZER_VERSION,
        keepFloat: [...recipe.keepFloat].sort((a, b) => a - b),
        biasCorrection: recipe.biasCorrection,
        weights,
      }),
    )
    .digest('hex')
    .slice(0, 16);
  const path = cacheDir ? join(cacheDir, `${recipe.name}.int8-${digest}.onnx`) : undefined;
  if (path) {
    const cached = await readFile(path).catch(() => null);
    if (cached) return { bytes: new Uint8Array(cached.buffer, cached.byteOffset, cached.length), path, made: false };
  }
  const inputs = await recipe.inputs();
  const ranges = await activationRanges(floatModel, tensorsToCalibrate(floatModel), inputs, options);
  const keepFloat = new Set(recipe.keepFloat);
  let { bytes } = quantizeConvolutions(floatModel, ranges, { keepFloat, weights });
  if (!recipe.biasCorrection) return saved(bytes, path, cacheDir);
  // Bias correction: int8 rounding shifts each channel's mean a little, and the shifts add up through the
  // layers (a flat grey came out 2 to 5 levels off, more at tile edges); the measured shift is taken
  // out of each convolution's bias, and the model quantized again.
  const outputs = convolutionTensors(floatModel)
    .filter((c) => !keepFloat.has(c.index))
    .map((c) => c.output);
  const [want, got] = await Promise.all([
    channelMeans(floatModel, outputs, inputs, options),
    channelMeans(bytes, outputs, inputs, options),
  ]);
  const biasShift = new Map(outputs.map((t) => [t, got.get(t)!.map((v, c) => v - want.get(t)![c])] as const));
  ({ bytes } = quantizeConvolutions(floatModel, ranges, { keepFloat, biasShift, weights }));
  return saved(bytes, path, cacheDir);
}

/** Writes the model to the cache (to a temporary name, then renamed); a failure only loses the cache. */
function saved(bytes: Uint8Array, path: string | undefined, cacheDir: string | undefined): Int8Result {
  if (!path || !cacheDir) return { bytes, made: true };
  try {
    mkdirSync(cacheDir, { recursive: true });
    const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  } catch (error) {
    // A read-only or missing data folder costs the next start a calibration, not this model.
    return { bytes, made: true, unsaved: (error as Error).message };
  }
  return { bytes, path, made: true };
}
