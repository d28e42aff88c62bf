import { darkLines, gaussianBlur, luminance, seededRandom, smoothstep, type Planes } from './planes.js';

/**
 * Drawn looks from the grey image: a pencil sketch (colour dodge of the grey image with its blurred
 * inverse, the darkroom trick every photo app uses) and charcoal (soft difference-of-Gaussians strokes
 * over a smudged tonal mass with a diagonal grain like paper under a stick).
 * Both return one grey plane in 0..1; `scale` is the picture's shorter side over 1000 pixels.
 */

export function pencilSketch(planes: Planes, scale: number, amount: number): Float32Array {
  const { width, height } = planes;
  const grey = luminance(planes);
  const inverse = new Float32Array(grey.length);
  for (let i = 0; i < grey.length; i++) inverse[i] = 1 - grey[i];
  // The blur radius sets the stroke width: a few pixels at 1 MP, more for "strong".
  const blurred = gaussianBlur(inverse, width, height, Math.max(1.5, 6 * scale * Math.min(2, amount)));
  const out = new Float32Array(grey.length);
  for (let i = 0; i < grey.length; i++) {
    const dodged = Math.min(1, grey[i] / Math.max(1e-3, 1 - blurred[i]));
    // A gamma darkens the faint strokes so the drawing reads; a little of the tone keeps the shading.
    out[i] = dodged ** 2.2 * 0.85 + grey[i] * 0.15;
  }
  return out;
}

export function charcoal(planes: Planes, scale: number, amount: number): Float32Array {
  const { width, height } = planes;
  const grey = luminance(planes);
  // Strokes: wide, soft outlines on the dark side of edges.
  const lines = darkLines(grey, width, height, 2 * scale, Math.min(2, amount));
  // The smudged mass: a wide blur of the tones, as a stick rubbed with a finger, lighter than the photo.
  const mass = gaussianBlur(grey, width, height, 3 * scale);
  const grain = diagonalGrain(width, height, Math.max(2, Math.round(4 * scale)));
  const out = new Float32Array(grey.length);
  for (let i = 0; i < grey.length; i++) {
    const tone = 0.22 + 0.78 * smoothstep(0.02, 0.75, mass[i]) ** 0.9;
    // Charcoal catches on the paper's grain where it is laid on thick (the dark areas).
    const shade = tone * (1 - 0.4 * (1 - tone) * grain[i]);
    out[i] = Math.max(0.05, shade * lines[i]);
  }
  return out;
}

/** Streaks of grain along the diagonal, 0..1, averaged over `length` pixels of noise. */
function diagonalGrain(width: number, height: number, length: number): Float32Array {
  const random = seededRandom(width * 7919 + height);
  const noise = new Float32Array(width * height);
  for (let i = 0; i < noise.length; i++) noise[i] = random();
  const out = new Float32Array(noise.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      let count = 0;
      for (let k = -length; k <= length; k++) {
        const xx = x + k;
        const yy = y - k;
        if (xx < 0 || yy < 0 || xx >= width || yy >= height) continue;
        sum += noise[yy * width + xx];
        count++;
      }
      // Centred and stretched: the mean of many uniforms is narrow around 0.5.
      out[y * width + x] = Math.min(1, Math.max(0, 0.5 + (sum / count - 0.5) * Math.sqrt(count) * 0.6));
    }
  }
  return out;
}
