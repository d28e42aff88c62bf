import type { Config } from '../../config/schema.js';
import { DEFAULT_SEGMENTATION_MODEL, type Activation } from '../../config/segmentation-models.js';

/** Where a model's bytes come from: chunks of the `@imgly/background-removal-data` package, or a file. */
export type ModelSource =
  | { kind: 'package'; resource: string; size: number; sha256: string }
  | { kind: 'file'; path: string; sha256?: string };

/**
 * Everything a worker needs to load and run one segmentation model. Plain data, so that it crosses to
 * worker threads as `workerData`.
 */
export interface ModelSpec {
  name: string;
  source: ModelSource;
  inputSize: number;
  /** Per-channel normalisation of 0..1 pixel values: `(x - mean) / std`. */
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
  outputIndex: number;
  activation: Activation;
  /** Run as static int8 from the stored ranges (isnet-int8.ts); only the built-in ISNet has them. */
  int8?: true;
}

/**
 * imgly's ISNet normalises as `(v - 128) / 256` on 0..255 values; written on the 0..1 scale here, so that
 * our input tensors equal the ones the model was exported and validated with.
 */
const IMGLY_MEAN = 128 / 255;
const IMGLY_STD = 256 / 255;

/** The half-precision ISNet export (88 MB) of `@imgly/background-removal-data` 1.4.5, as `isnet` runs it. */
const ISNET_MEDIUM: ModelSpec = {
  name: 'isnet',
  source: {
    kind: 'package',
    resource: '/models/medium',
    size: 88_188_479,
    sha256: 'b6e8497ba978a6f5fbb647e419d2696cd80df5a23cb6a8ea532021911bd76acb',
  },
  inputSize: 1024,
  mean: [IMGLY_MEAN, IMGLY_MEAN, IMGLY_MEAN],
  std: [IMGLY_STD, IMGLY_STD, IMGLY_STD],
  outputIndex: 0,
  activation: 'identity',
};

/**
 * The two ISNet exports shipped by `@imgly/background-removal-data` 1.4.5. Sizes and SHA-256 digests were
 * recorded from the assembled chunks; a different package version or a damaged install fails the check and
 * the engine reports itself offline instead of running an unknown model.
 */
export const BUILTIN_SEGMENTATION_MODELS: Readonly<Record<string, ModelSpec>> = {
  // Half precision (88 MB). ONNX Runtime runs it as fp32 on x86: the fastest and best of the two here.
  isnet: ISNET_MEDIUM,
  // The same network, static int8 (isnet-int8.ts): the default. About half the float model's CPU time,
  // masks at IoU 0.98 to 1.0 against it (baboon, whose face sits near alpha 0.5: 0.92).
  'isnet-int8': { ...ISNET_MEDIUM, name: 'isnet-int8', int8: true },
  // Dynamically quantized (44 MB, ConvInteger): half the memory, but slower on this runtime (see bench).
  'isnet-quantized': {
    name: 'isnet-quantized',
    source: {
      kind: 'package',
      resource: '/models/small',
      size: 44_342_436,
      sha256: '7001d60734fdc112dd9c062635fb59cd401fb82a9d4213134bce4dbd655c803a',
    },
    inputSize: 1024,
    mean: [IMGLY_MEAN, IMGLY_MEAN, IMGLY_MEAN],
    std: [IMGLY_STD, IMGLY_STD, IMGLY_STD],
    outputIndex: 0,
    activation: 'identity',
  },
};

/** Names a request or the CLI may use: the built-ins and the operator's `segmentation` block. */
export function knownSegmentationModels(config: Config): string[] {
  return [...Object.keys(BUILTIN_SEGMENTATION_MODELS), ...Object.keys(config.segmentation)];
}

/**
 * The spec of the model called `name` (default: the background-removal model's choice, else `isnet`).
 * Throws an Error naming the known models when there is no such model; this is a configuration mistake.
 */
export function resolveSegmentationModel(config: Config, name?: string): ModelSpec {
  const wanted = name ?? defaultSegmentationModel(config);
  const builtin = BUILTIN_SEGMENTATION_MODELS[wanted];
  if (builtin) return builtin;
  const file = config.segmentation[wanted];
  if (!file) throw new Error(`unknown segmentation model "${wanted}" (known: ${knownSegmentationModels(config).join(', ')})`);
  return {
    name: wanted,
    source: { kind: 'file', path: file.path, sha256: file.sha256?.toLowerCase() },
    inputSize: file.inputSize,
    mean: file.mean,
    std: file.std,
    outputIndex: file.outputIndex,
    activation: file.activation,
  };
}

/** The model the shared segmenter runs: the one the background-removal model entry names, if any. */
export function defaultSegmentationModel(config: Config): string {
  const entry = config.models[config.backgroundRemovalModel];
  // Only the kind that runs a segmenter has this option (every kind's options schema is strict).
  const named = entry?.options?.segmentationModel;
  return typeof named === 'string' && named.length > 0 ? named : DEFAULT_SEGMENTATION_MODEL;
}
