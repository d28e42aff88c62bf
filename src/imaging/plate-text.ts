import type { RawImage } from './raw-image.js';
import { clampBox as clamp, grow, unionBox as union, type Box } from './sign-plate.js';

/**
 * "Remove the text from the sign": text printed on a plain plate (a sign's face, a board, a painted wall, a
 * shirt) is erased by filling it with the plate's own surface, not by inpainting, which copies whatever lies
 * around the text's boxes (the foliage behind a sign) and smears it over the face. This file reads, for the
 * lines of text found, which of them lie on a plain plate, and where that plate is:
 * - the plate's colour is the most common one under the line's box (or around it, for a small line); it must
 *   hold a good part of the box (letters cover the rest), of its outline (a plate goes on around its text)
 *   and of every stretch along the line (it goes on behind every letter), and the plate's own pixels (that
 *   colour, away from the ink) must be smooth;
 * - the plate is the region of that colour flooded from the box, plus the ink the plate encloses (the
 *   letters) where it lies inside the line's box: ink that reaches out of the window around the text (a
 *   sign's printed rim, its edge, the foliage past it) is not the text, and is kept with a margin;
 * - the hole to fill is the found mask (the lines' boxes, grown) clipped to that plate, so nothing outside
 *   the plate changes.
 * The text's mask falls apart into pieces (each line's grown box, or lines close enough to merge); a piece
 * is filled from its plate only when every line in it lies on a plain plate, and is otherwise left to the
 * inpainting, as before. Pure; runs on the caller's thread over windows around the text.
 */

export interface TextPlate {
  /** The lines of text on this plate. */
  lines: Box[];
  /** The plate's colour (the centre of its cell of a 16-level-per-channel histogram). */
  colour: [number, number, number];
  /** The picture's size, one byte per pixel, > 127: the text to fill (the found mask clipped to the plate). */
  hole: Uint8Array;
  /** The picture's size, > 127: the plate's own pixels, away from the ink; the fill is fitted and judged on them. */
  surface: Uint8Array;
  /** The box around `hole` and `surface`. */
  window: Box;
}

export interface PlateReading {
  plates: TextPlate[];
  /** The mask with the plates' pieces taken out: what is left to inpaint (> 127). */
  rest: Uint8Array;
}

/** Share of a line's surroundings the plate's colour must hold: letters rarely cover more than half of their box. */
const MIN_PLATE_SHARE = 0.4;
/**
 * Share of the box's outline the plate's colour must hold: a plate goes on around its text (0.46 for
 * "NOTICE", whose box fills the sign's orange head; 0.74 to 1 for the other lines of the street photo's
 * signs), while big white letters over foliage are the box's commonest colour without reaching its edge (0).
 */
const MIN_EDGE_SHARE = 0.35;
/**
 * The plate must go on behind the whole line: in each stretch along it (up to MAX_SLICES, each at least
 * SLICE_LENGTH times as long as the line is thick, so a stretch holds a few letters), its colour holds at
 * least MIN_SLICE_SHARE. A watermark across a photo has its most common colour behind part of it only (the
 * blurred room behind "Photo 2024": 0.24 of the last third, against a light wall there); the
 * street photo's sign is behind every letter (0.51 to 0.67 of each half).
 */
const MAX_SLICES = 4;
const SLICE_LENGTH = 1.5;
const MIN_SLICE_SHARE = 0.35;
/**
 * The plate's own texture (median neighbour difference) under which it is plain: the fill check's threshold
 * of a textured surround (fill-check.ts), so a plate called plain here is one a plane may fill there.
 */
export const PLAIN_TEXTURE = 6;
/** Colours within this L1 distance of the plate's are the plate (sign-plate.ts uses the same). */
const LIKE = 60;
/** How far from the ink (letters, rims) the plate's own pixels start, and how wide a rim's margin is kept. */
const INK_MARGIN = 2;
/** The fewest plate pixels a plate's lighting is fitted to. */
const MIN_SURFACE = 64;

const luma = (d: Uint8Array, p: number) => 0.299 * d[p] + 0.587 * d[p + 1] + 0.114 * d[p + 2];

/**
 * Which pieces of the text's `mask` lie on plain plates, with each plate's hole and surface.
 *
 * @example
 * const { plates, rest } = readTextPlates(photo, lines, found.mask.data);
 */
export function readTextPlates(image: RawImage, lines: Box[], mask: Uint8Array): PlateReading {
  const { width, height } = image;
  const pieces = labelPieces(mask, width, height, union(lines));
  const byPiece = new Map<number, Box[]>();
  for (const line of lines) {
    const cx = Math.min(width - 1, Math.max(0, Math.round(line.left + line.width / 2)));
    const cy = Math.min(height - 1, Math.max(0, Math.round(line.top + line.height / 2)));
    const piece = pieces[cy * width + cx];
    if (piece === 0) continue;
    byPiece.set(piece, [...(byPiece.get(piece) ?? []), line]);
  }
  const plates: TextPlate[] = [];
  const plated = new Set<number>();
  for (const [piece, pieceLines] of byPiece) {
    const found = platesOfPiece(image, pieceLines, mask, pieces, piece);
    if (!found) continue;
    plates.push(...found);
    plated.add(piece);
  }
  const rest = plated.size === 0 ? mask : mask.map((v, i) => (plated.has(pieces[i]) ? 0 : v));
  return { plates, rest };
}

/** The plates of one piece of the mask, or null when any of its lines is not on a plain plate. */
function platesOfPiece(image: RawImage, lines: Box[], mask: Uint8Array, pieces: Uint8Array, piece: number): TextPlate[] | null {
  // Lines on plates of one colour are one plate ("NOTICE" on orange over black lines on white: two).
  const groups: Array<{ colour: [number, number, number]; lines: Box[] }> = [];
  for (const line of lines) {
    const colour = plateColour(image, line);
    if (!colour) return null;
    const group = groups.find((g) => distance(g.colour, colour) < LIKE);
    if (group) group.lines.push(line);
    else groups.push({ colour, lines: [line] });
  }
  const plates: TextPlate[] = [];
  for (const group of groups) {
    const plate = plateOf(image, group.lines, group.colour, mask, pieces, piece);
    if (!plate) return null;
    plates.push(plate);
  }
  return plates;
}

/**
 * The most common colour under a line's box, when it holds enough of the box to be a plate; failing that,
 * the same around the line (its box grown by half its height): on a small line ("The" above "Washington
 * Post") the letters fill most of the box, and the plate shows around them. Not around it first: a band
 * as narrow as its text ("NOTICE" on a sign's orange head) holds too little of its surroundings.
 */
function plateColour(image: RawImage, line: Box): [number, number, number] | null {
  const around = grow(line, Math.max(2, Math.round(0.5 * line.height)));
  return (
    dominantColour(image, clamp(line, image.width, image.height)) ??
    dominantColour(image, clamp(around, image.width, image.height))
  );
}

/** The most common colour in a box (16 levels per channel), when it is a plate there (MIN_PLATE_SHARE, MIN_EDGE_SHARE, MIN_SLICE_SHARE). */
function dominantColour(image: RawImage, box: Box): [number, number, number] | null {
  const { data, channels } = image;
  const cells = new Uint32Array(4096);
  for (let y = box.top; y < box.top + box.height; y++) {
    for (let x = box.left; x < box.left + box.width; x++) {
      const p = (y * image.width + x) * channels;
      cells[((data[p] >> 4) << 8) | ((data[p + 1] >> 4) << 4) | (data[p + 2] >> 4)]++;
    }
  }
  let best = 0;
  for (let c = 1; c < cells.length; c++) if (cells[c] > cells[best]) best = c;
  const colour: [number, number, number] = [((best >> 8) << 4) + 8, (((best >> 4) & 15) << 4) + 8, ((best & 15) << 4) + 8];
  let like = 0;
  let edge = 0;
  let edgeLike = 0;
  // The share in each of the stretches along the line, each at least SLICE_LENGTH times as long as it is thick.
  const across = box.width >= box.height;
  const length = across ? box.width : box.height;
  const slices = Math.max(1, Math.min(MAX_SLICES, Math.floor(length / (SLICE_LENGTH * (across ? box.height : box.width)))));
  const sliceLike = new Uint32Array(slices);
  const sliceAll = new Uint32Array(slices);
  for (let y = box.top; y < box.top + box.height; y++) {
    for (let x = box.left; x < box.left + box.width; x++) {
      const isLike = distanceAt(data, (y * image.width + x) * channels, colour) < LIKE;
      const slice = Math.min(slices - 1, Math.floor((slices * (across ? x - box.left : y - box.top)) / length));
      sliceAll[slice]++;
      if (isLike) {
        like++;
        sliceLike[slice]++;
      }
      if (x === box.left || y === box.top || x === box.left + box.width - 1 || y === box.top + box.height - 1) {
        edge++;
        if (isLike) edgeLike++;
      }
    }
  }
  const everywhere = sliceAll.every((all, k) => all === 0 || sliceLike[k] >= MIN_SLICE_SHARE * all);
  const plate = like >= MIN_PLATE_SHARE * box.width * box.height && edgeLike >= MIN_EDGE_SHARE * edge && everywhere;
  return plate ? colour : null;
}

/** The plate of one colour around some lines, or null when it is textured or too small to fit its light to. */
function plateOf(
  image: RawImage,
  lines: Box[],
  colour: [number, number, number],
  mask: Uint8Array,
  pieces: Uint8Array,
  piece: number,
): TextPlate | null {
  const { width, height, data, channels } = image;
  const tallest = Math.max(...lines.map((l) => l.height));
  const window = clamp(grow(union(lines), 2 * tallest + 4), width, height);
  const { left, top, width: ww, height: wh } = window;
  const n = ww * wh;
  const at = (i: number) => ((top + Math.floor(i / ww)) * width + left + (i % ww)) * channels;
  // The plate: its colour, flooded (4-connected) from the lines' boxes within the window.
  const plate = new Uint8Array(n);
  const stack: number[] = [];
  for (const line of lines) {
    const box = clamp(line, width, height);
    for (let y = box.top; y < box.top + box.height; y++) {
      for (let x = box.left; x < box.left + box.width; x++) {
        const i = (y - top) * ww + (x - left);
        if (!plate[i] && distanceAt(data, at(i), colour) < LIKE) {
          plate[i] = 1;
          stack.push(i);
        }
      }
    }
  }
  flood(
    stack,
    ww,
    wh,
    (j) => !plate[j] && distanceAt(data, at(j), colour) < LIKE,
    (j) => (plate[j] = 1),
  );
  // The text: the lines' boxes (a little grown), within the plate's extent, so a box that strays past the
  // plate's edge does not take what lies beyond it. Ink there is the letters, even where it touches a rim.
  const extent = plateExtent(plate, ww, wh);
  const text = new Uint8Array(n);
  for (const line of lines) {
    const box = clamp(grow(line, INK_MARGIN), width, height);
    const x0 = Math.max(box.left - left, extent.left);
    const x1 = Math.min(box.left - left + box.width, extent.left + extent.width);
    for (let y = Math.max(box.top - top, extent.top); y < Math.min(box.top - top + box.height, extent.top + extent.height); y++) {
      if (x1 > x0) text.fill(1, y * ww + x0, y * ww + x1);
    }
  }
  // Ink that reaches the window's edge without crossing the text is not the text: a printed rim, the
  // plate's edge, whatever lies past the plate. It is kept, with a margin of the plate beside it.
  const outside = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = i % ww;
    const y = (i - x) / ww;
    if ((x === 0 || y === 0 || x === ww - 1 || y === wh - 1) && !plate[i] && !text[i]) {
      outside[i] = 1;
      stack.push(i);
    }
  }
  flood(
    stack,
    ww,
    wh,
    (j) => !plate[j] && !text[j] && !outside[j],
    (j) => (outside[j] = 1),
  );
  const nearOutside = dilate(outside, ww, wh, INK_MARGIN);
  const nearInk = dilate(
    plate.map((v) => 1 - v),
    ww,
    wh,
    INK_MARGIN,
  );
  const hole = new Uint8Array(width * height);
  const surface = new Uint8Array(width * height);
  let surfaceCount = 0;
  for (let i = 0; i < n; i++) {
    const g = (top + Math.floor(i / ww)) * width + left + (i % ww);
    // The plate (off the rim's margin), and the ink it holds: the letters, and specks the plate encloses.
    const onPlate = plate[i] ? !nearOutside[i] : !outside[i];
    if (onPlate && mask[g] > 127 && pieces[g] === piece) hole[g] = 255;
    if (plate[i] && !nearInk[i]) {
      surface[g] = 255;
      surfaceCount++;
    }
  }
  if (surfaceCount < MIN_SURFACE) return null;
  if (surfaceTexture(image, surface, window) >= PLAIN_TEXTURE) return null;
  return { lines, colour, hole, surface, window };
}

/** The bounding box of the flooded plate, in window coordinates. */
function plateExtent(plate: Uint8Array, ww: number, wh: number): Box {
  let [x0, y0, x1, y1] = [ww, wh, -1, -1];
  for (let i = 0; i < plate.length; i++) {
    if (!plate[i]) continue;
    const x = i % ww;
    const y = (i - x) / ww;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  return x1 < 0 ? { left: 0, top: 0, width: 0, height: 0 } : { left: x0, top: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * The texture of a surface: the median absolute difference between neighbours (right and below, both on
 * the surface), as fill-check.ts measures it.
 */
export function surfaceTexture(image: RawImage, surface: Uint8Array, window: Box): number {
  const { width, data, channels } = image;
  const histogram = new Uint32Array(512);
  let count = 0;
  for (let y = window.top; y < window.top + window.height - 1; y++) {
    for (let x = window.left; x < window.left + window.width - 1; x++) {
      const i = y * width + x;
      if (surface[i] <= 127 || surface[i + 1] <= 127 || surface[i + width] <= 127) continue;
      const p = i * channels;
      const v = luma(data, p);
      histogram[Math.round(Math.abs(v - luma(data, p + channels)) + Math.abs(v - luma(data, p + width * channels)))]++;
      count++;
    }
  }
  let seen = 0;
  for (let v = 0; v < histogram.length; v++) {
    seen += histogram[v];
    if (seen * 2 >= count) return v;
  }
  return histogram.length - 1;
}

/**
 * The pieces of the mask that hold text: 4-connected regions above 127 reached from the rows of the text's
 * boxes, labelled from 1 (0: not in the mask, or a piece with no text). Only those are flooded, so a small
 * line on a large picture costs its own piece, not the picture.
 */
function labelPieces(mask: Uint8Array, width: number, height: number, text: Box): Uint8Array {
  const labels = new Uint8Array(width * height);
  let next = 0;
  const stack: number[] = [];
  const box = clamp(text, width, height);
  for (let y = box.top; y < box.top + box.height; y++) {
    for (let i = y * width + box.left; i < y * width + box.left + box.width; i++) {
      if (mask[i] <= 127 || labels[i]) continue;
      // A byte per pixel: past 255 pieces, the rest keep the inpainting path.
      if (next === 255) return labels;
      const label = ++next;
      labels[i] = label;
      stack.push(i);
      flood(
        stack,
        width,
        height,
        (j) => mask[j] > 127 && !labels[j],
        (j) => (labels[j] = label),
      );
    }
  }
  return labels;
}

/** Grows a region from the pixels on `stack` to the 4-connected ones `takes` accepts, marking each with `mark`. */
function flood(stack: number[], width: number, height: number, takes: (j: number) => boolean, mark: (j: number) => void): void {
  while (stack.length > 0) {
    const i = stack.pop()!;
    const x = i % width;
    const y = (i - x) / width;
    const next = [x > 0 ? i - 1 : -1, x < width - 1 ? i + 1 : -1, y > 0 ? i - width : -1, y < height - 1 ? i + width : -1];
    for (const j of next) {
      if (j < 0 || !takes(j)) continue;
      mark(j);
      stack.push(j);
    }
  }
}

/** A square dilation of a 0/1 plane by `r` pixels (separable: rows, then columns). */
function dilate(plane: Uint8Array, width: number, height: number, r: number): Uint8Array {
  const rows = new Uint8Array(plane.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 0;
      for (let k = Math.max(0, x - r); k <= Math.min(width - 1, x + r) && !v; k++) v = plane[y * width + k];
      rows[y * width + x] = v;
    }
  }
  const out = new Uint8Array(plane.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 0;
      for (let k = Math.max(0, y - r); k <= Math.min(height - 1, y + r) && !v; k++) v = rows[k * width + x];
      out[y * width + x] = v;
    }
  }
  return out;
}

function distanceAt(data: Uint8Array, p: number, colour: [number, number, number]): number {
  return Math.abs(data[p] - colour[0]) + Math.abs(data[p + 1] - colour[1]) + Math.abs(data[p + 2] - colour[2]);
}

function distance(a: [number, number, number], b: [number, number, number]): number {
  return Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);
}
