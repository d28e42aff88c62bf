import { COLOR_PATTERN } from '../../../imaging/colors.js';
import { ALL, readColor } from './grammar.js';
import { parseOverlayModifiers } from './overlay-words.js';
import { ClauseRefusal, entry } from './pattern-entry.js';
import type { VocabularyEntry } from './entry-types.js';

/**
 * Straighten, text and upscale. They come before the region entries in matching order: "fix the horizon"
 * is straightening, not repairing a thing called the horizon; "add the text SALE" is text, not an overlay.
 */

const HORIZON =
  '(?:the )?(?:horizon|skyline|sea line|waterline|water line|tilt|tilted horizon|crooked horizon|photo|image|picture|shot|lines|it)';
const TEXT_NOUN = '(?:text|words?|caption|title|label|headline|slogan|tagline|message|phrase)';
const TEXT_VERB = '(?:add|put|write|place|stamp|insert|overlay|type|print|draw)';
const SAYING = '(?: (?:saying|that says|which says|reading|that reads|with the words?|with|of))?';
const COLOR_WORDS = `(?:(?:in |with )?(?<color>${COLOR_PATTERN}) (?:text|letters|lettering|font|type)|in (?<color2>${COLOR_PATTERN}))`;
const TEXT_MODS = `(?<mods>(?: (?:in|at|on|to|into|along|across|centered|center|middle|top|bottom|upper|lower|left|right|small|large|big|tiny|medium|huge|with|as|half|a quarter|a third).*)?)`;

/** Reads "in white", "small", "in the top left corner", in any order; null when anything else is left. */
function textModifiers(
  mods: string,
): { anchor?: string; widthFraction?: number; color?: readonly [number, number, number] } | null {
  let rest = ` ${mods.trim()} `;
  let color: readonly [number, number, number] | undefined;
  const colored = new RegExp(` ${COLOR_WORDS}(?= )`).exec(rest);
  if (colored) {
    color = readColor(colored.groups!.color ?? colored.groups!.color2) ?? undefined;
    rest = rest.slice(0, colored.index) + rest.slice(colored.index + colored[0].length);
  }
  const words = parseOverlayModifiers(rest.trim());
  return words && { ...words, color };
}

export const STRAIGHTEN_TEXT_UPSCALE_VOCABULARY: VocabularyEntry[] = [
  entry(
    'straighten',
    'geometry',
    'Straighten the horizon',
    ['straighten the horizon', 'level the horizon', 'fix the tilt', 'the horizon is crooked', 'straighten it'],
    'Finds the dominant near-horizontal line (Hough transform of the edges, within 15 degrees), rotates by its angle and ' +
      'crops to the largest upright rectangle. Refused when no line is clear.',
    [
      `(?:straighten|level|fix|correct|even out|untilt|un tilt|realign|align|make level)(?: out)? ${HORIZON}(?: (?:level|straight|out))?`,
      'straighten(?: up| out)?',
      `make ${HORIZON} (?:level|straight|horizontal)`,
      '(?:auto )?(?:straighten|straightening|level|leveling|horizon correction|tilt correction)',
    ],
    () => ({ op: 'straighten' }),
  ),
  entry(
    'text',
    'layers',
    'Add text',
    [
      'add the text SALE in the top left corner',
      'write "Happy Birthday" at the bottom in white',
      'add a caption saying hello world',
      'put the words OPEN LATE at the top, large',
    ],
    'Draws the text over the picture (DejaVu Sans Bold from fontconfig, with a thin dark outline so it reads on any ' +
      'background): positions as for overlays (default bottom), sizes as a share of the width (default a third), a colour with "in red".',
    [
      `${TEXT_VERB}(?: (?:the|a|some|this|my))? ${TEXT_NOUN}${SAYING}:? (?<text>qtext\\d+|[a-z0-9%'#$&-]+(?: [a-z0-9%'#$&-]+){0,7}?)${TEXT_MODS}`,
      `${TEXT_VERB} (?<text>qtext\\d+)${TEXT_MODS}`,
      // "write SOLD across the top": verbs that only ever take words may take them unquoted, up to a place.
      `(?:write|stamp|print|type) (?<text>[a-z0-9%'#$&-]+(?: [a-z0-9%'#$&-]+){0,4}?)(?<mods> (?:in|at|on|across|along) .*)`,
    ],
    (g) => {
      const mods = textModifiers(g.mods ?? '');
      if (!mods || !g.text) return null;
      return {
        op: 'text',
        text: g.text,
        anchor: (mods.anchor ?? 'bottom') as 'bottom',
        ...(mods.color ? { color: mods.color } : {}),
        ...(mods.widthFraction ? { widthFraction: mods.widthFraction } : {}),
      };
    },
  ),
  entry(
    'upscale',
    'geometry',
    'Upscale (super-resolution)',
    ['upscale it 2x', 'upscale by 4x', 'enlarge the photo', 'increase the resolution', 'make it higher resolution'],
    "Enlarges 2x (the default) or 4x with the super-resolution networks of the server's upscale model, faithfully " +
      '(creativity 0), after every other step. Slow on a CPU: 256 x 256 to 2x took 20 s, 512 x 512 76 s, on two shared cores. The ' +
      'same output limit as POST /api/v1/image/upscale (4096 x 4096; 4x becomes 2x past it). Refused where the networks cannot run.',
    [
      `(?:upscale|upsize|upres|up res|super ?resolve|enlarge|scale up|blow up|enhance the resolution of|increase the resolution of)(?: ${ALL})?(?: up)?(?: (?:larger|bigger))?`,
      `(?:increase|raise|improve|boost|double) (?:the )?(?:resolution|size|image size|pixel count)(?: of ${ALL})?`,
      `make ${ALL} (?:bigger|larger|higher resolution|high resolution|hi res|hd|4k|sharper and bigger)`,
      `(?:an? )?(?:upscaled?|higher resolution|hi res|bigger|larger) (?:version|copy|image|photo)(?: of ${ALL})?`,
      '(?:super resolution|upscaling)',
    ],
    (_groups, m) => {
      const factor = m.factor ?? 2;
      // The networks enlarge 2x or 4x, as /image/upscale's `scale`; a 3x would be a resize of a network's output.
      if (factor !== 2 && factor !== 4)
        throw new ClauseRefusal("upscaling is by 2x or 4x, the super-resolution networks' scales");
      return { op: 'upscale', factor };
    },
    ['factor'],
  ),
];
