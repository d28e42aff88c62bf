/**
 * Finding the horizon's tilt: a Hough transform restricted to near-horizontal lines. Edge pixels (Sobel
 * gradient, the strongest few percent, oriented within the search range of horizontal) vote, weighted by
 * gradient strength, for every (angle, offset) line through them; the best-supported line gives the tilt.
 * Pure typed-array code for the imaging workers; it runs on a small greyscale copy (about 600 pixels wide).
 */

export interface HorizonInput {
  grey: Uint8Array;
  width: number;
  height: number;
  /** Search range either side of horizontal, in degrees. */
  maxDegrees: number;
}

export interface HorizonLine {
  /** Clockwise tilt of the line in degrees (positive: it falls toward the right). */
  degrees: number;
  /** Share of the picture's width the line's edge pixels cover (0..1): how clear the line is. */
  support: number;
  /** Support of the best line at an angle more than a degree away, for telling a clear line from clutter. */
  rivalSupport: number;
}

const STEP = 0.1; // degrees between candidate angles

export function findHorizon({ grey, width, height, maxDegrees }: HorizonInput): HorizonLine | null {
  const magnitude = new Float32Array(width * height);
  const steep = new Uint8Array(width * height);
  const tanLimit = Math.tan(((maxDegrees + 5) * Math.PI) / 180);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const gx =
        grey[i - width + 1] + 2 * grey[i + 1] + grey[i + width + 1] - grey[i - width - 1] - 2 * grey[i - 1] - grey[i + width - 1];
      const gy =
        grey[i + width - 1] +
        2 * grey[i + width] +
        grey[i + width + 1] -
        grey[i - width - 1] -
        2 * grey[i - width] -
        grey[i - width + 1];
      magnitude[i] = Math.hypot(gx, gy);
      // A near-horizontal edge has its gradient near vertical.
      steep[i] = Math.abs(gx) <= Math.abs(gy) * tanLimit ? 1 : 0;
    }
  }
  const threshold = Math.max(40, percentile(magnitude, 0.95));
  const angles = Math.round((2 * maxDegrees) / STEP) + 1;
  const diagonal = Math.ceil(Math.hypot(width, height));
  const offsets = 2 * diagonal + 1;
  const votes = new Float32Array(angles * offsets);
  const counts = new Uint16Array(angles * offsets);
  const sin = new Float32Array(angles);
  const cos = new Float32Array(angles);
  for (let a = 0; a < angles; a++) {
    const theta = ((-maxDegrees + a * STEP) * Math.PI) / 180;
    sin[a] = Math.sin(theta);
    cos[a] = Math.cos(theta);
  }
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (!steep[i] || magnitude[i] < threshold) continue;
      for (let a = 0; a < angles; a++) {
        // Offset of the line through (x, y) at this angle, measured perpendicular to it.
        const rho = Math.round(y * cos[a] - x * sin[a]) + diagonal;
        votes[a * offsets + rho] += magnitude[i];
        counts[a * offsets + rho]++;
      }
    }
  }
  let best = -1;
  for (let k = 0; k < votes.length; k++) if (best < 0 || votes[k] > votes[best]) best = k;
  if (best < 0 || votes[best] === 0) return null;
  const bestAngle = Math.floor(best / offsets);
  let rival = 0;
  for (let k = 0; k < votes.length; k++) {
    const a = Math.floor(k / offsets);
    if (Math.abs(a - bestAngle) * STEP > 1 && counts[k] > rival) rival = counts[k];
  }
  return {
    degrees: -maxDegrees + bestAngle * STEP,
    support: counts[best] / width,
    rivalSupport: rival / width,
  };
}

function percentile(values: Float32Array, q: number): number {
  const sample: number[] = [];
  const stride = Math.max(1, Math.floor(values.length / 20000));
  for (let i = 0; i < values.length; i += stride) sample.push(values[i]);
  sample.sort((a, b) => a - b);
  return sample[Math.min(sample.length - 1, Math.floor(q * sample.length))] ?? 0;
}

/**
 * The largest upright rectangle inside a width x height picture rotated by `degrees` (any sign), centred
 * in the rotated canvas that sharp produces (width cos + height sin, by height cos + width sin).
 */
export function uprightCrop(
  width: number,
  height: number,
  degrees: number,
): { left: number; top: number; width: number; height: number } {
  const angle = (Math.abs(degrees) * Math.PI) / 180;
  const s = Math.sin(angle);
  const c = Math.cos(angle);
  const long = Math.max(width, height);
  const short = Math.min(width, height);
  let w: number;
  let h: number;
  if (short <= 2 * s * c * long || Math.abs(s - c) < 1e-10) {
    // Thin pictures: the rectangle touches both long sides; its corners sit on them at half the short side.
    const half = short / 2;
    [w, h] = width >= height ? [half / s, half / c] : [half / c, half / s];
  } else {
    const cos2 = c * c - s * s;
    w = (width * c - height * s) / cos2;
    h = (height * c - width * s) / cos2;
  }
  const canvasWidth = Math.round(width * c + height * s);
  const canvasHeight = Math.round(width * s + height * c);
  // One pixel in from each side: resampling blurs the black corners by about that much.
  const cropWidth = Math.max(1, Math.floor(w) - 2);
  const cropHeight = Math.max(1, Math.floor(h) - 2);
  return {
    left: Math.max(0, Math.floor((canvasWidth - cropWidth) / 2)),
    top: Math.max(0, Math.floor((canvasHeight - cropHeight) / 2)),
    width: Math.min(cropWidth, canvasWidth),
    height: Math.min(cropHeight, canvasHeight),
  };
}
