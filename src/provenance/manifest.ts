import { type ModelFacts, overallSourceType, type ProvenanceAction, SOURCE_TYPES } from './source-types.js';

/**
 * The C2PA manifest definition of one answer (c2pa-rs's ManifestDefinition JSON): who made it (this
 * server, as claim generator), what was done (a `c2pa.actions.v2` assertion) and from what (the inputs
 * as ingredients: the first the parent the picture was opened from, the others components placed into
 * it, as multi-edit's layers and masks are).
 */

export interface ManifestInput {
  bytes: Buffer;
  /** MIME type of the input as sniffed (image/jpeg, ...). */
  mime: string;
}

export interface ManifestFacts {
  model: ModelFacts;
  /** The engine's actions, then the finishing step's, in the order they happened. */
  actions: ProvenanceAction[];
  inputs: ManifestInput[];
}

/** The ingredient label of input i, referenced by the actions that used it. */
export const ingredientLabel = (index: number) => `input-${index}`;

/** Settings for the library: no thumbnails (they would copy the input into the output), no re-validation of our own signature. */
export const BUILDER_SETTINGS = JSON.stringify({
  verify: { verify_after_sign: false },
  builder: { thumbnail: { enabled: false } },
});

/**
 * @example manifestDefinition(facts, 'image/png', '0.1.0').assertions[0].data.actions[0].action // 'c2pa.opened'
 */
export function manifestDefinition(facts: ManifestFacts, mime: string, version: string) {
  const { model } = facts;
  // C2PA wants the first action to say where the asset came from: opened from the input, or, when no input
  // could be recorded as an ingredient, created here.
  const opened =
    facts.inputs.length > 0
      ? [{ action: 'c2pa.opened', parameters: { ingredientIds: [ingredientLabel(0)] } }]
      : [{ action: 'c2pa.created', digitalSourceType: SOURCE_TYPES[overallSourceType(facts.actions)] }];
  const placed = facts.inputs.slice(1).map((_, index) => ({
    action: 'c2pa.placed',
    description: 'An additional input image (a layer or a mask) used by the edit',
    parameters: { ingredientIds: [ingredientLabel(index + 1)] },
  }));
  const done = facts.actions.map((step) => ({
    action: step.action,
    description: step.description,
    digitalSourceType: SOURCE_TYPES[step.sourceType],
    // Which model did it, and through which engine kind of this server.
    softwareAgent: { name: step.model ?? model.id, 'org.retouch.engine': model.engine },
  }));
  return {
    claim_generator_info: [{ name: 'retouch', version }],
    title: `retouch-${model.id}.${mime.slice('image/'.length)}`,
    format: mime,
    assertions: [{ label: 'c2pa.actions.v2', data: { actions: [...opened, ...placed, ...done] } }],
  };
}
