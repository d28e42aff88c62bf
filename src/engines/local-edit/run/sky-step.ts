import { ApiError } from '../../../errors.js';
import { editSkyIn, findStuffIn } from '../../../imaging/stuff/stuff-ops.js';
import { minWeights } from '../../../imaging/worker-ops.js';
import type { EditStep } from '../plan/edit-plan.js';
import { quoteClause } from '../prompt/prompt-text.js';
import type { EditState } from './edit-state.js';

/**
 * "make the sky bluer", "a more dramatic sky", "replace the sky with a sunset": the sky is found by itself
 * (bright, smooth, blue or grey, reaching the top; src/imaging/stuff/find-sky.ts), inside the client's mask
 * when one was sent, then tinted or replaced (sky-look.ts). The result is checked before it is kept: where
 * the old sky had clouds, their fine structure must still be there (a flat painted sky is refused), and
 * the answer says what was found (`x-retouch-found: sky 38%`).
 */

/** Below this correlation of fine detail the clouds were lost: refuse rather than answer with a flat sky (a dusk sky whose detail is mostly sensor noise keeps about 0.5). */
const MIN_DETAIL_KEPT = 0.35;
/** Skies with less fine detail than this (lightness units) are clear: there is no cloud structure to keep. */
const CLOUD_DETAIL = 1.5;

export async function editTheSky(state: EditState, step: Extract<EditStep, { op: 'sky' }>): Promise<void> {
  const found = await findStuffIn(state.image, 'sky', state.work);
  if (!found.mask) {
    throw new ApiError(
      'UNSUPPORTED_INSTRUCTION',
      `I could not find a sky in this photo: ${found.reason}. "${quoteClause(step.clause)}" needs a visible sky; ` +
        'to change another area, send a mask over it (choose Multi-edit and paint over it).',
    );
  }
  let mask = found.mask;
  if (state.hasMask()) mask = { ...mask, data: await minWeights(mask.data, state.mask().data, state.work) };
  const edited = await editSkyIn(state.image, mask, step.look, state.work);
  if (edited.skyDetail >= CLOUD_DETAIL && edited.detailCorrelation < MIN_DETAIL_KEPT) {
    throw new ApiError(
      'UNSUPPORTED_INSTRUCTION',
      `Cannot do "${quoteClause(step.clause)}": the new sky lost the clouds' structure (detail kept ${edited.detailCorrelation.toFixed(2)}), ` +
        'so the result would look painted; try a milder wording ("slightly") or send a mask over the sky.',
    );
  }
  state.image = edited.image;
  state.found.push(`sky ${Math.round(100 * found.share)}%`);
}
