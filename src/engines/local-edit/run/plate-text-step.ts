import type { Plane } from '../../../imaging/masks.js';
import { checkPlateFill } from '../../../imaging/plate-fill-check.js';
import { readTextPlates } from '../../../imaging/plate-text.js';
import { blendWeighted, surfaceAround } from '../../../imaging/worker-ops.js';
import { refuse } from '../prompt/refusals.js';
import type { EditState } from './edit-state.js';

/**
 * "Remove the text from the sign": the found lines of text that lie on a plain plate (a sign's face, a
 * board, a painted wall) are filled with the plate's own surface and its lighting (surface-fill.ts, fitted to
 * the plate's pixels, those between the letters included), inside the text's mask clipped to the plate
 * (plate-text.ts): the sign's rim, its post and the foliage past it are not touched, and a sign is not
 * smeared with the foliage that PatchMatch would copy from around the text's boxes. Each fill is judged
 * against its plate (plate-fill-check.ts) and refused when it does not belong there.
 *
 * Returns the part of the mask left to inpaint (text that is not on a plain plate), or null when none is.
 */
export async function fillTextOnPlates(state: EditState, mask: Plane, clause: string): Promise<Plane | null> {
  const lines = state.foundBoxes.filter((box) => box.label === 'text');
  if (lines.length === 0) return mask;
  const before = state.image;
  const { plates, rest } = readTextPlates(before, lines, mask.data);
  if (plates.length === 0) return mask;
  const { width, height } = before;
  for (const plate of plates) {
    const surface = await surfaceAround(state.image, plate.hole, plate.surface, state.work, true);
    if (!surface) continue;
    // Not feathered: the hole's edge is the plate beside the letters, where the fitted surface matches it,
    // or a rim's margin, where feathering would leave the ends of letters that touch the rim half there.
    const filled = await blendWeighted(state.image, surface, plate.hole, undefined, state.work);
    const check = checkPlateFill({ before, after: filled, hole: plate.hole, surface: plate.surface, window: plate.window });
    if (check.problem) {
      throw refuse(
        'unsupported',
        clause,
        `the text lies on a plate, and ${check.problem}, so it was not returned. Send a mask of the text, or use a generative model (such as qwen-edit)`,
      );
    }
    state.image = filled;
  }
  return rest.some((v) => v > 127) ? { data: rest, width, height } : null;
}
