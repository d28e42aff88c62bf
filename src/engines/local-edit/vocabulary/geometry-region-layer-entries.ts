import { COLOR_PATTERN } from '../../../imaging/colors.js';
import { parseRatio, type Ratio } from '../../../imaging/geometry.js';
import { ALL, BACKGROUND, MASKED, OBJECT, SUBJECT, readColor, readTarget } from './grammar.js';
import { parseOverlayModifiers } from './overlay-words.js';
import { ClauseRefusal, entry, type Body } from './pattern-entry.js';
import type { VocabularyEntry } from './entry-types.js';
import type { CropFocus } from '../plan/edit-plan.js';

/**
 * Geometry, region (mask) and layer instructions: wordings specific enough to be written as a few
 * whole-clause patterns each.
 */

const T = `(?<target>${ALL}|${BACKGROUND}|${SUBJECT}|${MASKED}|${OBJECT})`;

const RATIO_NAMES: Record<string, Ratio> = {
  square: [1, 1],
  widescreen: [16, 9],
  cinematic: [21, 9],
  ultrawide: [21, 9],
  'ultra wide': [21, 9],
  portrait: [4, 5],
  landscape: [3, 2],
};
const RATIO = `(?<ratio>\\d+(?:\\.\\d+)? ?(?::|x|by|/) ?\\d+(?:\\.\\d+)?|${Object.keys(RATIO_NAMES).join('|')})`;
const ROTATE_DIRECTION =
  '(?<dir>clockwise|counter clockwise|counterclockwise|anticlockwise|anti clockwise|cw|ccw|to the left|to the right|left|right)';

function rotation(groups: Record<string, string | undefined>): Body | null {
  if (groups.half) return { op: 'rotate', degrees: 180 };
  const left = /counter|anti|ccw|left/.test(groups.dir ?? '');
  let degrees = groups.deg !== undefined ? Number(groups.deg) : groups.dir || groups.quarter ? 90 : NaN;
  if (Number.isNaN(degrees))
    throw new ClauseRefusal('say how far to rotate (90, 180 or 270 degrees) or which way (left or right)');
  degrees = (((left ? -degrees : degrees) % 360) + 360) % 360;
  if (degrees !== 90 && degrees !== 180 && degrees !== 270) {
    throw new ClauseRefusal('only quarter turns are supported (90, 180 or 270 degrees)');
  }
  return { op: 'rotate', degrees };
}

const SUBJECT_FOCUS = /^(?:the )?(?:main )?(?:subject|person|foreground|people|product|main object)$/;

/** "around the subject" uses the segmentation model; any other thing ("the cat") goes to the ThingFinder. */
function cropFocus(focus: string | undefined): CropFocus {
  if (!focus || /^(?:the )?(?:center|middle)$/.test(focus)) return 'center';
  return SUBJECT_FOCUS.test(focus) ? 'subject' : { kind: 'thing', phrase: focus };
}

export const EDIT_VOCABULARY: VocabularyEntry[] = [
  entry(
    'rotate',
    'geometry',
    'Rotate',
    [
      'rotate 90 degrees',
      'rotate it left',
      'rotate 180°',
      'turn it upside down',
      'rotate 90 degrees counterclockwise',
      'rotate right',
    ],
    'Quarter turns: a bare number of degrees or "right" is clockwise; "left", "counterclockwise" and negative angles turn the other way.',
    [
      `(?:rotate|turn|spin)(?: ${ALL})?(?: by)?(?: (?<deg>-?\\d+)(?: degrees?)?)?(?: ${ROTATE_DIRECTION})?`,
      `(?:rotate|turn|spin)(?: ${ALL})?(?: by)? (?:a |one )?(?<quarter>quarter)(?: turn)?(?: ${ROTATE_DIRECTION})?`,
      `(?:rotate|turn|spin)(?: ${ALL})? (?:by )?(?:a )?(?<half>half turn|upside down)`,
    ],
    rotation,
  ),
  entry(
    'flip',
    'geometry',
    'Flip / mirror',
    ['flip horizontally', 'mirror the image', 'flip it vertically', 'flip upside down', 'make a mirror image'],
    'Mirrors left-right (the default, "horizontally", "mirror") or top-bottom ("vertically", "upside down").',
    [
      `(?:flip|mirror|reflect)(?: ${ALL})?(?: (?<axis>horizontally|vertically|left to right|right to left|top to bottom|bottom to top|upside down|horizontal|vertical|sideways|side to side))?`,
      `(?:make |create |give me )?(?:a |the )?mirror(?:ed)? (?:image|version|copy)(?: of it)?`,
    ],
    (g) => ({ op: 'flip', axis: /vertical|top|bottom|upside/.test(g.axis ?? '') ? 'vertical' : 'horizontal' }),
  ),
  entry(
    'crop',
    'geometry',
    'Crop to a ratio',
    [
      'crop to 16:9',
      'make it square',
      'crop to a 4:5 portrait',
      'square crop',
      'crop to 3:2 around the subject',
      'crop to a square around the cat',
    ],
    'Crops (never enlarges) to the largest rectangle of that ratio, centred, or around the subject or a named thing when asked ' +
      '(the thing is located by the mask layer, or by the detectors when the server has them). ' +
      'Named ratios: square 1:1, widescreen 16:9, cinematic/ultrawide 21:9, portrait 4:5, landscape 3:2.',
    [
      `(?:crop|cut|trim|reframe|recrop|make|convert|change|turn|frame)(?: ${ALL})?(?: down)?(?: (?:to|into|as|in|for))?(?: an?)? ${RATIO}(?: (?:aspect )?(?:ratio|format|crop|aspect|shape|frame|size|image|photo|portrait|landscape|square))?(?: (?:around|on|centered on|centred on|focused on|focusing on|keeping|to fit|to show|with) (?<focus>${OBJECT}))?`,
      `(?:an? )?${RATIO} crop(?: (?:around|on|centered on|centred on|focused on) (?<focus>${OBJECT}))?`,
      '(?:a |in )?(?<ratio>square|widescreen)(?: format| shape)?',
    ],
    (g) => {
      const ratio = RATIO_NAMES[g.ratio ?? ''] ?? parseRatio(g.ratio ?? '');
      return ratio && { op: 'crop', ratio, focus: cropFocus(g.focus) };
    },
  ),
  entry(
    'fill-blank',
    'region',
    'Replace with a blank surface (with a mask)',
    [
      'replace the logo with a blank sign',
      'blank out the masked area',
      'cover the text with a plain wall',
      'replace it with the surrounding color',
    ],
    'Fills the region with the dominant colour just around it, shaded by a plane fitted to that surface (its lighting), feathered inward: a plain surface where the masked thing was. Needs a mask.',
    [
      `(?:replace|cover|fill|swap|paint over|cover up) ${T} (?:with|by) (?:an? |the )?(?:blank|empty|plain|clean|bare|flat|smooth)(?: [a-z]+){0,2}`,
      `(?:replace|fill|cover) ${T} with (?:the )?(?:surrounding(?: color)?|surroundings|background color)`,
      `(?:blank out|blank) ${T}`,
      `make ${T} (?:blank|empty|plain)`,
    ],
    (g) => {
      const target = readTarget(g.target);
      return target && { op: 'fill', fill: { kind: 'surrounding' }, target };
    },
  ),
  entry(
    'fill-color',
    'region',
    'Fill with a colour (with a mask)',
    ['fill the masked area with red', 'paint it #00ff00', 'fill with white', 'paint the masked area solid black'],
    'Fills the region with a flat colour (a CSS name or #hex), feathered inward. Needs a mask or a named region.',
    [
      `(?:fill|paint|color|cover|replace|make|turn|set|recolor|change)(?: ${T})?(?: (?:with|in|to|into|as))?(?: an?)?(?: (?:solid|plain|flat))? (?<color>${COLOR_PATTERN})(?: (?:color|paint))?`,
    ],
    (g) => {
      const color = readColor(g.color);
      const target = readTarget(g.target);
      return color && target && { op: 'fill', fill: { kind: 'color', color }, target };
    },
  ),
  entry(
    'restore',
    'region',
    'Restore / repair (with a mask)',
    ['restore the torn corner of the photo', 'repair the damaged area', 'fix the scratches', 'inpaint the masked area'],
    'Rebuilds the masked region from the rest of the picture with PatchMatch inpainting. Needs a mask.',
    [`(?:restore|repair|fix|heal|mend|reconstruct|recover|retouch|patch|touch up|fill in|inpaint|complete)(?: ${T})?`],
    (g) => {
      const target = readTarget(g.target);
      return target && { op: 'inpaint', target };
    },
  ),
  entry(
    'remove-object',
    'region',
    'Remove / erase (with a mask)',
    ['remove the tree', 'erase the masked area', 'delete the person', 'get rid of the sign', 'make the car disappear'],
    'Erases the region and fills it with texture from the rest of the picture (PatchMatch inpainting). Named things ' +
      '("the tree") need a mask layer; "the subject" / "the person" use the segmentation model. Text on a plain plate ' +
      '("remove the text from the sign") is filled with the plate\'s own surface and lighting instead, the rim and ' +
      'whatever lies past the plate untouched.',
    [
      `(?:remove|erase|delete|get rid of|take out|take away|eliminate|clear away|clean up|wipe out|wipe away|paint out|edit out|rub out|clone out|lose)(?: ${T})?`,
      `(?:make )?${T} (?:disappear|go away|vanish|gone)`,
    ],
    (g) => {
      const target = readTarget(g.target && logoAsLettering(g.target));
      return target && { op: 'inpaint', target };
    },
  ),
];

/**
 * "Remove the logo from the sign" asks for the sign's lettering, not the sign: a logo on a thing is read as
 * its text (which the text finder finds, and fills from the plate it is printed on), where the finder would
 * otherwise take the one noun it knows in the phrase, "sign", and erase the whole sign. A logo on its own
 * ("remove the logo") still needs a mask: nothing says it is lettering.
 */
function logoAsLettering(target: string): string {
  return target.replace(/^((?:the |a |this |that |my |our )?logos?) (from|on|off|off of) /, '$1 text $2 ');
}

const OVERLAY_REF =
  '(?:it|(?:the |my |this |a |an |our )?(?:logo|overlay|watermark|sticker|graphic|graphics|badge|icon|emblem|stamp|label|signature|insignia|second image|second picture|second photo|2nd image|other image|other picture|top layer|layer|image 2|image two|picture|image|photo|frame|caption|text))';
const ON_BASE =
  '(?: (?:onto|on|over|to|on top of|into|in|at) (?:the )?(?:(?:base|first|main|original) )?(?:image|photo|picture))?';

export const LAYER_VOCABULARY: VocabularyEntry[] = [
  entry(
    'overlay',
    'layers',
    'Add an overlay (multi-edit)',
    [
      'add the logo in the top right corner',
      'put the overlay centered at half the width',
      'place the second image in the bottom left, small',
      'overlay the logo at a quarter of the width in the bottom right corner',
      'watermark it with the logo',
    ],
    'Composites the overlay layer over the base with its own transparency. Positions: top/bottom/left/right, the four ' +
      'corners, centered. Sizes: tiny (10%), small (20%), medium (33%), large (50%), half / a third / a quarter of the width, ' +
      'N% of the width, full width. With a mask layer it is fitted into the mask and shows only where the mask allows.',
    [
      `(?<verb>add|put|place|overlay|paste|insert|stamp|composite|drop|position|apply|superimpose|lay|layer|attach|include|show)(?: ${OVERLAY_REF})?${ON_BASE}(?<mods>(?: .*)?)`,
      `(?<verb>watermark)(?: ${ALL})?(?: with ${OVERLAY_REF})?(?<mods>(?: .*)?)`,
    ],
    (g) => {
      const words = parseOverlayModifiers((g.mods ?? '').trim());
      if (!words) return null;
      if (g.verb === 'watermark') return { op: 'overlay', anchor: 'bottom-right', widthFraction: 0.2, ...words };
      return { op: 'overlay', ...words };
    },
  ),
];
