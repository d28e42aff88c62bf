/**
 * What an answer records about how it was made, in C2PA's action vocabulary and IPTC's digital source
 * types (https://cv.iptc.org/newscodes/digitalsourcetype/). Which operation gets which type, and why, is
 * docs/provenance.md's table; this file is the code of that table.
 */

const IPTC = 'http://cv.iptc.org/newscodes/digitalsourcetype/';

export const SOURCE_TYPES = {
  /** Every pixel made by a trained model (a generative backend re-renders the whole picture). */
  trainedAlgorithmicMedia: `${IPTC}trainedAlgorithmicMedia`,
  /** The client's picture combined with content a trained model made (super-resolution detail). */
  compositeWithTrainedAlgorithmicMedia: `${IPTC}compositeWithTrainedAlgorithmicMedia`,
  /** The client's own pixels, changed by classical algorithms (tone, geometry, masks, fills from the picture). */
  algorithmicallyEnhanced: `${IPTC}algorithmicallyEnhanced`,
} as const;

export type SourceTypeName = keyof typeof SOURCE_TYPES;

/** From the least to the most AI-made: the picture as a whole takes the strongest of its actions'. */
const STRENGTH: SourceTypeName[] = ['algorithmicallyEnhanced', 'compositeWithTrainedAlgorithmicMedia', 'trainedAlgorithmicMedia'];

/** One thing done to the picture, as C2PA records it. */
export interface ProvenanceAction {
  /** C2PA's action name: `c2pa.edited`, `c2pa.color_adjustments`, `c2pa.cropped`, `c2pa.resized`, ... */
  action: `c2pa.${string}`;
  /** What was done, in words (never the prompt: that is the client's and may be private). */
  description: string;
  sourceType: SourceTypeName;
  /** The model or network that did it, when a trained one did (segmentation, detector, super-resolution). */
  model?: string;
}

/** The source type of the whole answer: the strongest among its actions (classical when none). */
export function overallSourceType(actions: readonly ProvenanceAction[]): SourceTypeName {
  let strongest = 0;
  for (const { sourceType } of actions) strongest = Math.max(strongest, STRENGTH.indexOf(sourceType));
  return STRENGTH[strongest]!;
}

/** What the model is, as far as provenance needs to know. */
export interface ModelFacts {
  id: string;
  /** The engine kind that served it (`local-edit`, `comfyui`, ...), recorded as the software agent. */
  engine: string;
  /** Whether its engine invents content (a generative model behind it). */
  generative: boolean;
  /** Whether it is an upscale model (a super-resolution network). */
  upscaler: boolean;
}

/**
 * The engine's work when the engine did not describe it itself (local-edit does, step by step).
 *
 * @example engineActions('background-remove', { id: 'bg-remove', engine: 'segmentation', generative: false, upscaler: false })
 * // [{ action: 'c2pa.edited', description: 'Background removed ...', sourceType: 'algorithmicallyEnhanced', model: 'bg-remove' }]
 */
export function engineActions(operation: string, model: ModelFacts): ProvenanceAction[] {
  if (model.upscaler) {
    return [
      {
        action: 'c2pa.resized',
        description: 'Enlarged by a super-resolution network, which draws fine detail the input did not hold',
        sourceType: 'compositeWithTrainedAlgorithmicMedia',
        model: model.id,
      },
    ];
  }
  if (model.generative) {
    return [
      {
        action: 'c2pa.edited',
        description: 'Redrawn by a generative image model following the prompt',
        sourceType: 'trainedAlgorithmicMedia',
        model: model.id,
      },
    ];
  }
  if (operation === 'background-remove') {
    return [
      {
        action: 'c2pa.edited',
        description: 'Background removed: a segmentation model found the subject; its pixels are kept, the rest made transparent',
        sourceType: 'algorithmicallyEnhanced',
        model: model.id,
      },
    ];
  }
  return [
    { action: 'c2pa.edited', description: 'Edited with classical image operations', sourceType: 'algorithmicallyEnhanced' },
  ];
}
