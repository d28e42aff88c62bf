import { COLOR_PATTERN, NAMED_COLORS, parseColor } from '../../../imaging/colors.js';
import type { NewBackground } from '../plan/edit-plan.js';

/**
 * How prompts name a new background: "white", "a light blue backdrop", "a (modern photo) studio backdrop",
 * "a gradient from navy to teal", "the second image", "transparent". `BACKDROP` captures one of them in
 * named groups that `readBackdrop` turns into a NewBackground.
 */

const C = `(?:${COLOR_PATTERN})`;
const ARTICLE = '(?:(?:a|an|the|some) )?';

const LAYER =
  '(?<layer>(?:the |my |that )?(?:second|2nd|other|last|next|provided|given|uploaded|attached|new|extra|additional|background) (?:image|photo|picture|layer|one)|image (?:2|two)|the (?:second )?layer|layer (?:2|two))';

const STUDIO_WORDS =
  'modern|professional|neutral|soft|simple|clean|plain|seamless|photo|photography|classic|gray|portrait|elegant|minimal|minimalist|nice|proper|white|light';
const STUDIO = `(?<studio>${ARTICLE}(?:(?:${STUDIO_WORDS}) )*studio(?: (?:photo|photography|portrait))?(?: (?:backdrop|background|setting|look|style|wall|paper))?)`;

const GRADIENT_WORDS = 'soft|smooth|subtle|linear|vertical|horizontal|nice|simple|gentle';
const GRADIENT = `(?<gradient>${ARTICLE}(?:(?:${GRADIENT_WORDS}) )*(?:(?<from1>${C}) (?:to|and|into) (?<to1>${C}) )?gradient(?: (?:background|backdrop))?(?: (?:from )?(?<from2>${C}) (?:to|into|and) (?<to2>${C}))?)`;

const TRANSPARENT = '(?<transparent>transparent|transparency|nothing|alpha)(?: (?:background|backdrop))?';

const PLAIN = 'solid|plain|flat|pure|simple|clean|uniform|single';
const SOLID = `(?:${ARTICLE}(?:(?:${PLAIN}) )*(?<solid>${C})(?: (?:color|colored))?(?: (?:background|backdrop|wall|screen|one|paper|surface|color))?)`;

/** One of the ways to name a new background, with its parts in named groups. */
export const BACKDROP = `(?:${LAYER}|${STUDIO}|${GRADIENT}|${TRANSPARENT}|${SOLID})`;

const LIGHT_GRAY = NAMED_COLORS['light gray'];
const GRAY = NAMED_COLORS.gray;

/**
 * @example readBackdrop({ from2: 'navy', to2: 'teal', gradient: 'a gradient from navy to teal' })
 *   // { kind: 'gradient', from: [0, 0, 128], to: [0, 128, 128], direction: 'vertical' }
 */
export function readBackdrop(groups: Record<string, string | undefined>): NewBackground | null {
  if (groups.layer) return { kind: 'layer' };
  if (groups.transparent) return { kind: 'transparent' };
  if (groups.studio) return { kind: 'studio' };
  if (groups.gradient) {
    const from = parseColor(groups.from1 ?? groups.from2 ?? '') ?? LIGHT_GRAY;
    const to = parseColor(groups.to1 ?? groups.to2 ?? '') ?? GRAY;
    return { kind: 'gradient', from, to, direction: groups.gradient.includes('horizontal') ? 'horizontal' : 'vertical' };
  }
  const color = parseColor(groups.solid ?? '');
  return color ? { kind: 'color', color } : null;
}
