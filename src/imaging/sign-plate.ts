import type { RawImage } from './raw-image.js';

/**
 * "Remove the sign": no detector has signs, but a sign that carries text is found through its text. The
 * lines of text that belong together (stacked, overlapping across) are one sign; its plate is the region of
 * the plate's own colour around them (the most common colour under the text's boxes, flood-filled outward
 * from there), plus a frame as wide as a sign's border usually is. A flood that runs away (the plate's
 * colour continues into the surroundings) is not trusted: the text's box, a little grown, stands in.
 * Pure and small (a sign's surroundings only); runs on the caller's thread.
 */

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Groups text lines into signs: lines whose boxes overlap across and are at most 1.5 line heights apart. */
export function groupLines<T extends Box>(lines: T[]): T[][] {
  const groups: T[][] = [];
  const sorted = [...lines].sort((a, b) => a.top - b.top);
  for (const line of sorted) {
    const group = groups.find((g) =>
      g.some((other) => {
        const overlap = Math.min(line.left + line.width, other.left + other.width) - Math.max(line.left, other.left);
        const gap = line.top - (other.top + other.height);
        return overlap > 0.3 * Math.min(line.width, other.width) && gap < 1.5 * Math.max(line.height, other.height);
      }),
    );
    if (group) group.push(line);
    else groups.push([line]);
  }
  return groups;
}

export function unionBox(boxes: Box[]): Box {
  const left = Math.min(...boxes.map((b) => b.left));
  const top = Math.min(...boxes.map((b) => b.top));
  const right = Math.max(...boxes.map((b) => b.left + b.width));
  const bottom = Math.max(...boxes.map((b) => b.top + b.height));
  return { left, top, width: right - left, height: bottom - top };
}

/** The plate around a group of text lines, frame included, in whole pixels inside the picture. */
export function signPlate(image: RawImage, lines: Box[]): Box {
  const face = signFace(image, lines);
  // The frame: a sign's border is a few percent of its size.
  return clampBox(grow(face, Math.round(0.06 * Math.min(face.width, face.height)) + 3), image.width, image.height);
}

/** The plate's face around a group of text lines (its own colour, inside any frame). */
export function signFace(image: RawImage, lines: Box[]): Box {
  const { width, height, channels, data } = image;
  const text = clampBox(unionBox(lines), width, height);
  // The plate's colour: the fullest cell of a 16-level-per-channel histogram of the text's box.
  const cells = new Uint32Array(4096);
  const cellOf = (i: number) =>
    ((data[i * channels] >> 4) << 8) | ((data[i * channels + 1] >> 4) << 4) | (data[i * channels + 2] >> 4);
  for (let y = text.top; y < text.top + text.height; y++) {
    for (let x = text.left; x < text.left + text.width; x++) cells[cellOf(y * width + x)]++;
  }
  let best = 0;
  for (let c = 1; c < cells.length; c++) if (cells[c] > cells[best]) best = c;
  const plate = [((best >> 8) << 4) + 8, (((best >> 4) & 15) << 4) + 8, ((best & 15) << 4) + 8];
  // Flood from the plate-coloured pixels of the text's box, within the box grown by its own size.
  const limit = clampBox(grow(text, Math.max(text.width, text.height)), width, height);
  const like = (i: number) =>
    Math.abs(data[i * channels] - plate[0]) +
      Math.abs(data[i * channels + 1] - plate[1]) +
      Math.abs(data[i * channels + 2] - plate[2]) <
    60;
  const seen = new Uint8Array(width * height);
  const stack: number[] = [];
  for (let y = text.top; y < text.top + text.height; y++) {
    for (let x = text.left; x < text.left + text.width; x++) {
      const i = y * width + x;
      if (like(i)) {
        seen[i] = 1;
        stack.push(i);
      }
    }
  }
  let [x0, y0, x1, y1] = [text.left, text.top, text.left + text.width - 1, text.top + text.height - 1];
  let area = 0;
  while (stack.length > 0) {
    const i = stack.pop()!;
    const x = i % width;
    const y = (i - x) / width;
    area++;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
    for (const j of [i - 1, i + 1, i - width, i + width]) {
      const jx = j % width;
      const jy = (j - jx) / width;
      if (jx < limit.left || jy < limit.top || jx >= limit.left + limit.width || jy >= limit.top + limit.height) continue;
      if (Math.abs(jx - x) > 1 || seen[j] || !like(j)) continue;
      seen[j] = 1;
      stack.push(j);
    }
  }
  const flooded = { left: x0, top: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
  // Ran away: it reached the search limit on two sides, or covers far more than a plate around the text would.
  const touches =
    Number(x0 <= limit.left) +
    Number(y0 <= limit.top) +
    Number(x1 >= limit.left + limit.width - 1) +
    Number(y1 >= limit.top + limit.height - 1);
  const runaway = touches >= 2 || area > 4 * text.width * text.height;
  return clampBox(runaway ? grow(text, Math.round(0.15 * Math.min(text.width, text.height))) : flooded, width, height);
}

export function grow(box: Box, by: number): Box {
  return { left: box.left - by, top: box.top - by, width: box.width + 2 * by, height: box.height + 2 * by };
}

/** The box in whole pixels inside a picture of `width` x `height` (at least one pixel). */
export function clampBox(box: Box, width: number, height: number): Box {
  const left = Math.max(0, Math.floor(box.left));
  const top = Math.max(0, Math.floor(box.top));
  const right = Math.min(width, Math.ceil(box.left + box.width));
  const bottom = Math.min(height, Math.ceil(box.top + box.height));
  return { left, top, width: Math.max(1, right - left), height: Math.max(1, bottom - top) };
}
