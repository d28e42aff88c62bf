import type { Anchor } from '../../../imaging/layers.js';

/**
 * Position and size words for overlays: "in the top right corner", "centered", "small", "at half the
 * width", "25% of the width". They may come in any order after the overlay instruction, or as a clause of
 * their own right after it ("add the logo, small").
 */

const POSITIONS: Array<[RegExp, Anchor]> = [
  [/^(?:top|upper) left/, 'top-left'],
  [/^(?:top|upper) right/, 'top-right'],
  [/^(?:bottom|lower) left/, 'bottom-left'],
  [/^(?:bottom|lower) right/, 'bottom-right'],
  [/^(?:top|upper) (?:center|middle)|^top/, 'top'],
  [/^(?:bottom|lower) (?:center|middle)|^bottom/, 'bottom'],
  [/^(?:center|middle) left|^left (?:center|middle)|^left/, 'left'],
  [/^(?:center|middle) right|^right (?:center|middle)|^right/, 'right'],
  [/^(?:center|middle|centered)/, 'center'],
];

const POSITION =
  /^(?:(?:in|at|to|on|into|onto|toward|towards|along|across) )?(?:the )?(?<pos>(?:top|upper|bottom|lower|center|middle) (?:left|right|center|middle)|(?:left|right) (?:center|middle)|top|bottom|left|right|center|middle|centered)(?: (?:corner|edge|side|area|part|region|half))?(?: of (?:the )?(?:image|photo|picture|frame|base|base image|first image))?(?= |$)/;

const SIZES: Record<string, number | null> = {
  tiny: 0.1,
  small: 0.2,
  smaller: 0.2,
  little: 0.2,
  medium: 1 / 3,
  'medium sized': 1 / 3,
  large: 0.5,
  big: 0.5,
  bigger: 0.5,
  huge: 0.75,
  'full width': 1,
  half: 0.5,
  quarter: 0.25,
  third: 1 / 3,
  'same size': null,
  'original size': null,
  'own size': null,
  'full size': null,
};

const SIZE =
  /^(?:(?:at|as|with|in|to|scaled to|sized to|resized to|covering|taking up|about|around|at about) )?(?:a |an |one |its |the )?(?:(?<pct>\d+(?:\.\d+)?)%|(?<word>tiny|small|smaller|little|medium sized|medium|large|big|bigger|huge|full width|same size|original size|own size|full size|half|quarter|third))(?: (?:of )?(?:the )?(?:image |photo |picture |base )?width)?(?: (?:size|version|scale|one))?(?= |$)/;

export interface OverlayWords {
  anchor?: Anchor;
  widthFraction?: number;
}

/**
 * Reads position and size words; null if anything else is left (so unknown words are never ignored).
 *
 * @example parseOverlayModifiers('in the top right corner at a quarter of the width')
 *   // { anchor: 'top-right', widthFraction: 0.25 }
 */
export function parseOverlayModifiers(text: string): OverlayWords | null {
  const words: OverlayWords = {};
  let rest = text.trim();
  while (rest.length > 0) {
    rest = rest.replace(/^(?:and|,)\s*/, '');
    const position = POSITION.exec(rest);
    if (position && words.anchor === undefined) {
      words.anchor = POSITIONS.find(([pattern]) => pattern.test(position.groups!.pos))![1];
      rest = rest.slice(position[0].length).trim();
      continue;
    }
    const size = SIZE.exec(rest);
    if (size && words.widthFraction === undefined) {
      const fraction = size.groups!.pct !== undefined ? Number(size.groups!.pct) / 100 : SIZES[size.groups!.word!];
      if (fraction !== null && fraction !== undefined) {
        if (!(fraction > 0 && fraction <= 1)) return null;
        words.widthFraction = fraction;
      }
      rest = rest.slice(size[0].length).trim();
      continue;
    }
    return null;
  }
  return words;
}
