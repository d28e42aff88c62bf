import type { Rgb } from '../colors.js';
import { charcoal, pencilSketch } from './sketch-looks.js';
import { crossProcess, dayForNight, duotone, filmGrain, polaroid, seventies } from './film-looks.js';
import { cartoon, oilPainting } from './paint-looks.js';
import { hdrLook, tiltShift } from './tone-map-looks.js';
import { clampByte, fromPlanes, toPlanes, type Planes } from './planes.js';

/**
 * The classical looks photo apps have shipped for decades, none of which needs a generative model: one
 * entry point that the imaging workers run (task `look`), dispatching to the kernels by name.
 */

export const LOOK_NAMES = [
  'pencil-sketch',
  'charcoal',
  'seventies',
  'film-grain',
  'polaroid',
  'cross-process',
  'hdr',
  'oil-painting',
  'cartoon',
  'duotone',
  'tilt-shift',
  'day-for-night',
] as const;

export type LookName = (typeof LOOK_NAMES)[number];

/** `amount`: 1 the default, 0.5 "slightly", 2 "strong"; `colors` the duotone's shadow and highlight colours. */
export interface Look {
  name: LookName;
  amount: number;
  colors?: readonly [Rgb, Rgb];
}

export interface LookInput {
  data: Uint8Array;
  width: number;
  height: number;
  /** 3: the caller strips alpha first. */
  channels: number;
  look: Look;
}

/** The duotone when no colours are named: deep indigo shadows, warm amber highlights. */
export const DEFAULT_DUOTONE: readonly [Rgb, Rgb] = [
  [34, 24, 82],
  [255, 204, 120],
];

/** Interleaved RGB of the same size with the look applied. */
export function applyLookPixels(input: LookInput): Uint8Array {
  const { data, width, height, channels, look } = input;
  const planes = toPlanes(data, width, height, channels);
  // Sizes are chosen at 1 MP (a 1000-pixel shorter side) and scale with the picture.
  const scale = Math.max(0.25, Math.min(width, height) / 1000);
  const amount = Math.max(0.25, look.amount);
  switch (look.name) {
    case 'pencil-sketch':
      return fromGrey(pencilSketch(planes, scale, amount));
    case 'charcoal':
      return fromGrey(charcoal(planes, scale, amount));
    case 'oil-painting':
      return fromPlanes(oilPainting(planes, scale, amount));
    case 'cartoon':
      return fromPlanes(cartoon(planes, scale, amount));
    default:
      inPlace(look, planes, scale, amount);
      return fromPlanes(planes);
  }
}

function inPlace(look: Look, planes: Planes, scale: number, amount: number): void {
  switch (look.name) {
    case 'seventies':
      seventies(planes, amount);
      return;
    case 'film-grain':
      filmGrain(planes, scale, amount);
      return;
    case 'polaroid':
      polaroid(planes, amount);
      return;
    case 'cross-process':
      crossProcess(planes, amount);
      return;
    case 'hdr':
      hdrLook(planes, scale, amount);
      return;
    case 'duotone': {
      const [shadow, highlight] = look.colors ?? DEFAULT_DUOTONE;
      duotone(planes, shadow, highlight);
      return;
    }
    case 'tilt-shift':
      tiltShift(planes, scale, amount);
      return;
    case 'day-for-night':
      dayForNight(planes, scale, amount);
      return;
    default:
      throw new Error(`no kernel for look ${look.name}`);
  }
}

function fromGrey(grey: Float32Array): Uint8Array {
  const out = new Uint8Array(grey.length * 3);
  for (let i = 0, p = 0; i < grey.length; i++, p += 3) {
    const v = clampByte(grey[i]);
    out[p] = v;
    out[p + 1] = v;
    out[p + 2] = v;
  }
  return out;
}
