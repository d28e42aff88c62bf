/**
 * The inpainting's tuning knobs, in one place. The defaults were chosen with `npm run bench:inpaint`
 * (bench/inpaint/NOTES.md#patchmatch-against-opencvs-telea): quality inside the hole against OpenCV's Telea, and time.
 */
export interface InpaintSettings {
  /** Patches are (2 * patchRadius + 1) pixels square at the finest level; 11x11 measured better than 7x7. */
  patchRadius: number;
  /** The patch radius at every coarser level, where larger patches capture more of the structure. */
  coarsePatchRadius: number;
  /**
   * 1 compares every pixel of a patch, 2 every other row and column (finest level, coarser levels).
   * The finest level's default depends on the picture's size (see settingsForPicture).
   */
  patchStep: number;
  coarsePatchStep: number;
  /** Stop halving once the hole's largest distance to the known region is at most this many pixels. */
  coarsestHoleRadius: number;
  /** Never build a level whose shorter side is under this many pixels. */
  minLevelSide: number;
  /** Never build a level with fewer source patches than this many per target patch. */
  minSourcesPerTarget: number;
  /**
   * EM iterations (match, then vote) at the coarsest level, and PatchMatch passes in each; levels in
   * between get a linear mix of these and the finest level's values.
   */
  coarseIterations: number;
  coarsePasses: number;
  /** The same at the finest level, where the upsampled matches are already good and pixels are many. */
  finestIterations: number;
  finestPasses: number;
  /** Votes are weighted by confidenceBase^-distance to the known region (Wexler et al. use 1.3). */
  confidenceBase: number;
  /** Scales the cost percentile in the similarity weight exp(-cost / (2 * scale * p75)). */
  similarityScale: number;
  /**
   * Prefers nearby sources: a source (hole radius + 2 * patch radius) away adds this much to the patch
   * cost per patch value (a squared difference), growing with the square of the distance. 0 disables it.
   */
  localityWeight: number;
  /** A level stops iterating once fewer than this share of matches change in a PatchMatch pass. */
  settledFraction: number;
  /** The first vote at a finer level reads only the matches of patches centred this close (see vote.ts). */
  firstVoteRadius: number;
  /** 1: every patch covering a pixel votes for it; 2: those at even offsets only (see vote.ts). */
  voteStep: number;
  /** Patches are compared in luma and chroma, with chroma scaled by this (1: about as in RGB). */
  chromaWeight: number;
  /**
   * Carry straight lines and repeating patterns across the hole before the texture fill (structure.ts).
   * false: PatchMatch alone, as before (benchmarks compare both).
   */
  structureFirst: boolean;
}

export const DEFAULT_SETTINGS: Readonly<InpaintSettings> = Object.freeze({
  patchRadius: 5,
  coarsePatchRadius: 9,
  patchStep: 1,
  coarsePatchStep: 2,
  coarsestHoleRadius: 4,
  minLevelSide: 24,
  minSourcesPerTarget: 1,
  coarseIterations: 10,
  coarsePasses: 3,
  finestIterations: 3,
  finestPasses: 2,
  confidenceBase: 1.3,
  similarityScale: 1,
  localityWeight: 200,
  chromaWeight: 1,
  settledFraction: 0.03,
  firstVoteRadius: 2,
  voteStep: 2,
  structureFirst: true,
});

/**
 * From this many pixels on, the finest level compares every other row and column of its patches. In a
 * large photo neighbouring pixels carry little independent detail, so the sparse patches matched as well
 * (SSIM in the hole within +-0.002 of dense ones at 3 and 12 MP) at about 0.65x the time; at 1 MP they
 * cost about 0.002 SSIM and saved nothing, so smaller pictures keep dense patches (bench/inpaint/NOTES.md#sparse-finest-patches-from-3-mp-on-a-quiet-machine).
 */
const SPARSE_FINEST_FROM_PIXELS = 3_000_000;

/** The defaults for a picture of `pixels` pixels, with the caller's overrides on top. */
export function settingsForPicture(pixels: number, overrides: Partial<InpaintSettings> = {}): InpaintSettings {
  const patchStep = pixels >= SPARSE_FINEST_FROM_PIXELS ? 2 : DEFAULT_SETTINGS.patchStep;
  return { ...DEFAULT_SETTINGS, patchStep, ...overrides };
}
