import { OBJECT_THRESHOLD } from '../../../resources/detectors/objects/calibration.js';
import type { Detection, Detectors } from '../../../resources/detectors/detection.js';
import type { Plane } from '../../../imaging/masks.js';
import type { RawImage } from '../../../imaging/raw-image.js';
import type { Segmenter } from '../../../resources/segmenter/segmenter.js';
import { readFacePart } from './face-part-finder.js';
import { STUFF_WORDS } from './stuff-finder.js';
import { readThing } from './thing-words.js';

/**
 * The main subject by name: "turn the apple green" on a photo that is one big apple the detector missed,
 * "make the rocket brighter" (no detector has rockets). When the named thing is plainly the photo's main
 * subject, the segmenter's salient-subject matte is it. "Plainly" means: the matte covers a good part of the
 * picture (6% to 97%), its centre of mass is in the middle of the frame, it is one piece (three quarters of
 * it connected), and the object detector saw no
 * other kind of thing there (a cat the detector saw is not "the squirrel"). Never for stuff (the sky, the
 * grass), parts of people (hair, eyes, a shirt) or parts of things (a wheel, a label): a part is not the
 * subject.
 */

/** Parts and pieces: never the whole subject. */
const PARTS =
  /\b(?:eyes?|face|faces|nose|mouth|lips?|teeth|hair|beard|skin|hands?|arms?|legs?|feet|foot|ears?|head|shirt|t shirt|dress|jacket|coat|hat|cap|shoes?|trousers|pants|jeans|skirt|sleeves?|collar|tie|wheels?|tyres?|tires?|windows?|doors?|roof|screen|handle|label|logo|plates?|license plates?|licence plates?|number plates?|badges?|buttons?|text|writing|words?|letters?|sign|lights?|lamps?|shadows?|highlights?|reflections?|edges?|corners?|border|spots?|stains?|marks?|scratch(?:es)?|dust)\b/;
/** "the cat's fur": the covering of a thing is the thing. */
const COVERING = /^(.*?)'s (?:fur|coat|feathers|plumage|body|shell|skin|paint|paintwork|color)$/;

/** "the monkey's face": an animal's face, which fills the frame of a close-up. People's faces the face detector finds. */
const ANIMAL_FACE = /^(.*?)'s (?:face|head|muzzle|snout)$/;

/**
 * The noun a salient-subject fallback would stand in for, or null when the phrase is not eligible.
 *
 * @example salientNoun('the apple') // 'apple'
 * @example salientNoun("the cat's fur") // 'cat'
 * @example salientNoun('the sky') // null
 */
export function salientNoun(phrase: string): string | null {
  return readNoun(phrase, false);
}

/**
 * The noun of a thing that may fill the frame, for edits of tone: what salientNoun takes, and also the face
 * or head of an animal ("the monkey's face"), which in a close-up is the whole picture.
 *
 * @example frameNoun("the monkey's face") // 'monkey'
 * @example frameNoun('the fruits') // 'fruits'
 */
export function frameNoun(phrase: string): string | null {
  return readNoun(phrase, true);
}

function readNoun(phrase: string, faces: boolean): string | null {
  let text = phrase.toLowerCase().trim();
  const covering = COVERING.exec(text);
  const face = faces && !covering ? ANIMAL_FACE.exec(text) : null;
  // A person's face is the face detector's to find, never the whole frame.
  if (face && (readThing(face[1])?.wanted.labels.includes('person') || /\b(?:her|his|my|your|their)\b/.test(face[1])))
    return null;
  if (covering || face) text = (covering ?? face)![1];
  if (text.includes("'s ") || STUFF_WORDS.test(text) || PARTS.test(text) || readFacePart(text)) return null;
  if (
    /\b(?:left|right|top|bottom|corner|second|third|middle|centre|center|background|behind|small|smallest|tiny|little)\b/.test(
      text,
    )
  )
    return null;
  const words = text
    .replace(/^(?:the|a|an|this|that|these|those|his|her|their|its|my|our|your|all the|all|both)\s+/, '')
    .split(' ');
  if (words.length === 0 || words.length > 3 || words.some((w) => !/^[a-z]+$/.test(w))) return null;
  return words[words.length - 1];
}

/**
 * What the segmenter and the object detector see in one picture, each computed once on first need: the
 * main-subject and frame-filling checks both read them, and each run costs a second or more at 1 MP.
 */
export interface SubjectView {
  matte(): Promise<Plane>;
  /** The objects the detector saw (none when the server has no detectors). */
  objects(): Promise<Detection[]>;
}

export function subjectView(
  image: RawImage,
  segmenter: Segmenter,
  detectors: Detectors | null,
  signal: AbortSignal,
  /** What the detector already saw in this picture (above its threshold), when a finder ran it. */
  detected?: Detection[],
): SubjectView {
  let matte: Promise<Plane> | undefined;
  let objects: Promise<Detection[]> | undefined = detected && Promise.resolve(detected);
  return {
    matte: () => (matte ??= segmenter.segment(image, signal)),
    objects: () => (objects ??= detectors ? detectors.objects.detect(image, signal) : Promise.resolve([])),
  };
}

export interface SalientFind {
  mask: Plane;
  found: string;
}

/**
 * The salient subject's matte when it is plainly the main subject and may be `noun`; null otherwise (the
 * caller then refuses, as before, naming what was found).
 */
export async function salientSubject(image: RawImage, noun: string, seen: SubjectView): Promise<SalientFind | null> {
  const matte = await seen.matte();
  const { width, height } = image;
  const shape = matteShape(matte.data, width, height);
  if (shape.share < 0.06 || shape.share > 0.97) return null;
  if (shape.cx < 0.2 || shape.cx > 0.8 || shape.cy < 0.2 || shape.cy > 0.8) return null;
  // One subject, not several things side by side (a rocket between its towers), nor a close-up of things
  // running off two sides of the frame (an orange slice and a lemon are not "the apple").
  if (largestPieceShare(matte.data, width, height) < 0.75 || shape.sides >= 2) return null;
  if (await anotherThingIsThere(image, matte.data, shape.count, noun, seen)) return null;
  const mask = { data: new Uint8Array(matte.data), width, height };
  return { mask, found: `salient subject (no ${noun} found)` };
}

/**
 * The whole picture, when the named thing fills the frame: a close-up of fruit running off its edges ("make
 * the fruits more colourful"), a monkey's face from ear to ear ("make the monkey's face brighter"). Only for
 * edits of tone, colourfulness and sharpness (FindOptions.purpose 'adjust'), which read well on the whole
 * frame of such a photo; never for a recolour or a removal. "Fills the frame": the salient matte covers at
 * least a fifth of the picture and either spans three fifths of both its width and height around the centre,
 * or runs off two sides; and the detector saw no other kind of thing there.
 */
export async function frameFillingSubject(image: RawImage, noun: string, seen: SubjectView): Promise<SalientFind | null> {
  const matte = await seen.matte();
  const { width, height } = image;
  const shape = matteShape(matte.data, width, height);
  const spans = shape.spanX >= 0.6 && shape.spanY >= 0.6 && Math.abs(shape.cx - 0.5) < 0.2 && Math.abs(shape.cy - 0.5) < 0.2;
  if (shape.share < 0.2 || !(spans || shape.sides >= 2)) return null;
  if (await anotherThingIsThere(image, matte.data, shape.count, noun, seen)) return null;
  return {
    mask: { data: new Uint8Array(width * height).fill(255), width, height },
    found: `whole picture (a close-up of the ${noun})`,
  };
}

/** The matte's size, centre of mass, extent (as shares of the frame) and how many sides it runs off. */
function matteShape(matte: Uint8Array, width: number, height: number) {
  let count = 0;
  let sx = 0;
  let sy = 0;
  let [left, right, top, bottom] = [width, -1, height, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (matte[y * width + x] < 128) continue;
      count++;
      sx += x;
      sy += y;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      if (y > bottom) bottom = y;
    }
  }
  return {
    count,
    share: count / (width * height),
    cx: count > 0 ? sx / count / width : 0.5,
    cy: count > 0 ? sy / count / height : 0.5,
    spanX: count > 0 ? (right - left + 1) / width : 0,
    spanY: count > 0 ? (bottom - top + 1) / height : 0,
    sides: sidesCovered(matte, width, height),
  };
}

/** Whether the detector saw another kind of thing covering most of the subject: the subject is that, not `noun`. */
async function anotherThingIsThere(
  image: RawImage,
  matte: Uint8Array,
  count: number,
  noun: string,
  view: SubjectView,
): Promise<boolean> {
  const { width, height } = image;
  const named = readThing(noun)?.wanted.labels ?? [];
  for (const d of await view.objects()) {
    if (d.score < OBJECT_THRESHOLD || named.includes(d.label)) continue;
    let inside = 0;
    for (let y = Math.max(0, Math.floor(d.top)); y < Math.min(height, d.top + d.height); y++) {
      for (let x = Math.max(0, Math.floor(d.left)); x < Math.min(width, d.left + d.width); x++) {
        if (matte[y * width + x] >= 128) inside++;
      }
    }
    if (inside > 0.5 * count) return true;
  }
  return false;
}

/** How many sides of the frame the matte covers for more than a quarter of their length. */
function sidesCovered(matte: Uint8Array, width: number, height: number): number {
  const share = (at: (k: number) => number, length: number) => {
    let on = 0;
    for (let k = 0; k < length; k++) if (matte[at(k)] >= 128) on++;
    return on / length;
  };
  const sides = [
    share((x) => x, width),
    share((x) => (height - 1) * width + x, width),
    share((y) => y * width, height),
    share((y) => y * width + width - 1, height),
  ];
  return sides.filter((s) => s > 0.25).length;
}

/** The share of the matte (above 127) in its largest 8-connected piece, on a grid of at most 160 cells across. */
export function largestPieceShare(matte: Uint8Array, width: number, height: number): number {
  const step = Math.max(1, Math.ceil(Math.max(width, height) / 160));
  const w = Math.ceil(width / step);
  const h = Math.ceil(height / step);
  const on = new Uint8Array(w * h);
  let total = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (matte[Math.min(height - 1, y * step) * width + Math.min(width - 1, x * step)] >= 128) {
        on[y * w + x] = 1;
        total++;
      }
    }
  }
  if (total === 0) return 0;
  const seen = new Uint8Array(w * h);
  const stack: number[] = [];
  let largest = 0;
  for (let start = 0; start < on.length; start++) {
    if (!on[start] || seen[start]) continue;
    let size = 0;
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const p = stack.pop()!;
      size++;
      const px = p % w;
      const py = (p - px) / w;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const x = px + dx;
          const y = py + dy;
          if (x < 0 || y < 0 || x >= w || y >= h) continue;
          const q = y * w + x;
          if (on[q] && !seen[q]) {
            seen[q] = 1;
            stack.push(q);
          }
        }
      }
    }
    largest = Math.max(largest, size);
  }
  return largest / total;
}
