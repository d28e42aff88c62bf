/**
 * How much of a hole the picture's frame cuts off. A thing removed from the middle of a picture has
 * context all round it, and the fill meets that context from every side. A thing cut by the frame (a
 * passer-by at the edge, half out of the shot) has context on its inner side only: the fill must invent
 * everything out to the frame from one side, and on large holes that comes out as a smear, a blob, or a
 * copy of the nearest large object (issue 19). Pure; measured per connected part of the hole.
 */

export interface FrameCutPart {
  /** The part's area as a share of the picture. */
  share: number;
  /** The share of the part's outline that is the frame, not known pixels. */
  frameShare: number;
  /** How many of the frame's four sides it touches. */
  sides: number;
  /** Its bounding box, for the message. */
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The connected parts (4-connected) of `hole` (> 127) that touch the frame, with their measures. */
export function frameCutParts(hole: Uint8Array, width: number, height: number): FrameCutPart[] {
  const label = new Int32Array(hole.length).fill(-1);
  const parts: FrameCutPart[] = [];
  const stack: number[] = [];
  for (let start = 0; start < hole.length; start++) {
    if (hole[start] <= 127 || label[start] >= 0) continue;
    let area = 0;
    let frameEdges = 0;
    let knownEdges = 0;
    let [left, top, right, bottom] = [width, height, -1, -1];
    label[start] = parts.length;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop() as number;
      const x = i % width;
      const y = (i - x) / width;
      area++;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
      for (const [nx, ny] of [
        [x - 1, y],
        [x + 1, y],
        [x, y - 1],
        [x, y + 1],
      ]) {
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) {
          frameEdges++;
          continue;
        }
        const j = ny * width + nx;
        if (hole[j] <= 127) knownEdges++;
        else if (label[j] < 0) {
          label[j] = parts.length;
          stack.push(j);
        }
      }
    }
    const sides = Number(left === 0) + Number(top === 0) + Number(right === width - 1) + Number(bottom === height - 1);
    parts.push({
      share: area / hole.length,
      frameShare: frameEdges / (frameEdges + knownEdges),
      sides,
      left,
      top,
      right,
      bottom,
    });
  }
  return parts.filter((p) => p.sides > 0);
}

/**
 * Parts at least this large (share of the picture) with at least this share of their outline on the frame
 * are too large to fill from one side. On the bench's street photo the two people at the corners
 * (bench/prompts, "remove all the people") measure 8% and 7% with half their outline on the frame, and
 * both fills came out broken (a smear and a blob; a copied half car and a grey ghost); the torn corner of
 * the rocket photo (guide example, 4%, a triangle in the corner) fills well. A part touching one
 * side only along a short stretch (a person standing on the bottom edge, mid-picture) keeps context on
 * three sides and stays under the frame share.
 */
const MAX_FRAME_CUT_SHARE = 0.05;
const MAX_FRAME_SHARE = 0.3;

const SIDE_NAMES = ['left', 'top', 'right', 'bottom'] as const;

/** Why the hole cannot be filled for its frame-cut parts, in words for the person; null when it can. */
export function frameCutProblem(hole: Uint8Array, width: number, height: number): string | null {
  const cut = frameCutParts(hole, width, height).filter((p) => p.share >= MAX_FRAME_CUT_SHARE && p.frameShare >= MAX_FRAME_SHARE);
  if (cut.length === 0) return null;
  const largest = cut.reduce((a, b) => (b.share > a.share ? b : a));
  const edges = SIDE_NAMES.filter(
    (_, k) => [largest.left === 0, largest.top === 0, largest.right === width - 1, largest.bottom === height - 1][k],
  );
  const what = cut.length > 1 ? `${cut.length} of the areas to erase are` : 'the area to erase is';
  return (
    `${what} large and cut by the picture's frame (the largest covers ${Math.round(100 * largest.share)}% of the picture ` +
    `and runs into its ${edges.join(' and ')} edge${edges.length > 1 ? 's' : ''}), so there is too little around ` +
    `${cut.length > 1 ? 'them' : 'it'} to fill from: the fill would be invented from one side`
  );
}
