import { ApiError } from '../../../errors.js';
import { NAMED_COLORS, parseColor } from '../../../imaging/colors.js';
import { planeOut, sharpFromPlane, type Plane } from '../../../imaging/masks.js';
import { oklchOf, srgbToOklab } from '../../../imaging/oklab.js';
import type { RawImage } from '../../../imaging/raw-image.js';
import { OBJECT_THRESHOLD } from '../../../resources/detectors/objects/calibration.js';
import type { Detectors } from '../../../resources/detectors/detection.js';
import type { Segmenter } from '../../../resources/segmenter/segmenter.js';
import { largestPieceShare } from './salient-subject.js';
import { objectMask } from './thing-masks.js';

/**
 * Clothes named by their colour: "the woman's red shirt", "her blue dress", "the red shirt". No detector has
 * clothes, but a person's outline has them, and the colour named tells them apart from the skin, the hair
 * and the other clothes: within the outline of each person the detector finds, the pixels of that hue (in
 * OKLab, within about 30 degrees, and colourful enough to have a hue), in connected pieces, the small
 * specks dropped. Good for colour edits and colour splash; a garment of no colour of its own (black, white,
 * grey) cannot be told from shadows and highlights this way and is refused.
 */

const GARMENTS =
  'shirt|t shirt|tshirt|top|blouse|dress|jacket|coat|sweater|jumper|hoodie|cardigan|vest|suit|skirt|pants|trousers|jeans|shorts|shoes|sneakers|boots|hat|cap|scarf|tie|bag|backpack|clothes|outfit|uniform';
const OWNER = "(?:(?:the )?(?:woman|man|person|girl|boy|lady|guy|kid|child|model)'s|her|his|their|the)";
const COLOURED_PART = new RegExp(`^(?:${OWNER} )?(?<colour>[a-z]+(?: [a-z]+)?) (?<part>${GARMENTS})$`);

/** Hues within this angle of the named colour's count as it (red spans crimson to orange-red). */
const HUE_COS = Math.cos((32 * Math.PI) / 180);
/** OKLab chroma under which a pixel has no hue to judge by. */
const MIN_CHROMA = 0.06;

export interface ColouredPart {
  colourName: string;
  part: string;
}

/**
 * @example readColouredPart("the woman's red shirt") // { colourName: 'red', part: 'shirt' }
 * @example readColouredPart('the red car') // null (not clothing: the detectors find cars)
 */
export function readColouredPart(phrase: string): ColouredPart | null {
  const found = COLOURED_PART.exec(phrase.toLowerCase().trim());
  if (!found?.groups) return null;
  const colourName = found.groups.colour;
  if (!(colourName in NAMED_COLORS)) return null;
  return { colourName, part: found.groups.part };
}

export async function findColouredPart(
  image: RawImage,
  wanted: ColouredPart,
  detectors: Detectors,
  segmenter: Segmenter,
  signal: AbortSignal,
): Promise<{ mask: Plane; found: string }> {
  const colour = oklchOf(parseColor(wanted.colourName)!);
  const named = `the ${wanted.colourName} ${wanted.part}`;
  if (colour.C < MIN_CHROMA) {
    throw new ApiError(
      'UNSUPPORTED_INSTRUCTION',
      `Cannot find ${named} by itself: ${wanted.colourName} has no hue to tell it from shadows and highlights. Send a mask over it (choose Multi-edit and paint over it).`,
    );
  }
  const people = (await detectors.objects.detect(image, signal)).filter(
    (d) => d.label === 'person' && d.score >= OBJECT_THRESHOLD,
  );
  if (people.length === 0) {
    throw new ApiError(
      'UNSUPPORTED_INSTRUCTION',
      `Found no person in the picture to find ${named} on. Send a mask over it (choose Multi-edit and paint over it).`,
    );
  }
  const { width, height, data, channels } = image;
  const lab = new Float64Array(3);
  const ofColour = (p: number) => {
    const i = p * channels;
    srgbToOklab(data[i], data[i + 1], data[i + 2], lab);
    const C = Math.hypot(lab[1], lab[2]);
    return C >= MIN_CHROMA && (lab[1] * colour.ha + lab[2] * colour.hb) / C >= HUE_COS;
  };
  // Only the people wearing a good patch of that colour (an eighth of their box) are outlined: each outline
  // is a run of the segmenter, and a red tail-light or print beside a passer-by is not a red shirt.
  const wearing = people.filter((d) => colourShare(d, width, height, ofColour) >= 0.12);
  if (wearing.length === 0) {
    throw new ApiError(
      'UNSUPPORTED_INSTRUCTION',
      `Found ${people.length === 1 ? 'a person' : `${people.length} people`}, but no ${wanted.colourName} ${wanted.part} on ${people.length === 1 ? 'them' : 'any of them'}. Send a mask over it (choose Multi-edit and paint over it).`,
    );
  }
  const outline = await objectMask(image, wearing, segmenter, signal);
  const hit = new Uint8Array(width * height);
  let count = 0;
  for (let p = 0; p < hit.length; p++) {
    if (outline.data[p] < 128 || !ofColour(p)) continue;
    hit[p] = 255;
    count++;
  }
  // The outline's edge runs a pixel or two inside the garment's: the garment's colour just past it is the
  // garment too, or a fringe of the old colour would be left along its sides.
  for (let pass = 0; pass < 3; pass++) {
    const grown: number[] = [];
    for (let p = 0; p < hit.length; p++) {
      if (hit[p] || outline.data[p] === 0) continue;
      const x = p % width;
      const near = (x > 0 && hit[p - 1]) || (x < width - 1 && hit[p + 1]) || hit[p - width] || hit[p + width];
      if (near && ofColour(p)) grown.push(p);
    }
    for (const p of grown) hit[p] = 255;
    count += grown.length;
  }
  // A garment is a good patch of the person, and mostly one piece; a few red pixels on lips or a bag strap are not it.
  const personPixels = outline.data.reduce((n, v) => n + (v >= 128 ? 1 : 0), 0);
  if (count < 0.04 * personPixels || largestPieceShare(hit, width, height) < 0.5) {
    throw new ApiError(
      'UNSUPPORTED_INSTRUCTION',
      `Found ${people.length === 1 ? 'a person' : `${people.length} people`}, but no ${wanted.colourName} ${wanted.part} on ${people.length === 1 ? 'them' : 'any of them'}. Send a mask over it (choose Multi-edit and paint over it).`,
    );
  }
  // Softened by a pixel, so the edit has no stair-stepped edge.
  const soft = await planeOut(sharpFromPlane({ data: hit, width, height }).blur(1));
  return {
    mask: soft,
    found: `${wanted.colourName} ${wanted.part} (the ${wanted.colourName} of ${wearing.length === 1 ? 'the person' : `${wearing.length} people`})`,
  };
}

/** The share of a box's pixels (every other row and column) of the colour. */
function colourShare(
  box: { left: number; top: number; width: number; height: number },
  width: number,
  height: number,
  ofColour: (p: number) => boolean,
): number {
  let seen = 0;
  let found = 0;
  for (let y = Math.max(0, Math.floor(box.top)); y < Math.min(height, box.top + box.height); y += 2) {
    for (let x = Math.max(0, Math.floor(box.left)); x < Math.min(width, box.left + box.width); x += 2) {
      seen++;
      if (ofColour(y * width + x)) found++;
    }
  }
  return seen > 0 ? found / seen : 0;
}
