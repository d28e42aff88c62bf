import type { Level } from './pyramid.js';

/**
 * A first guess for the hole at the coarsest level: peeled layer by layer from its border inwards, each
 * pixel taking the mean of its already-known 8-neighbours. PatchMatch needs some content in the hole to
 * compare patches against; at the coarsest level the hole is only a few pixels thick, and the EM
 * iterations that follow replace this smooth guess with matched texture.
 */
export function onionFill(level: Level): void {
  const { width, height, channels: c, pixels, hole } = level;
  const known = new Uint8Array(hole.length);
  for (let i = 0; i < hole.length; i++) known[i] = hole[i] ? 0 : 1;
  let layer = borderOf(known, width, height);
  const sum = new Float64Array(c);
  while (layer.length > 0) {
    for (const i of layer) {
      const x = i % width;
      const y = (i - x) / width;
      sum.fill(0);
      let n = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const j = ny * width + nx;
          if (!known[j]) continue;
          n++;
          for (let ch = 0; ch < c; ch++) sum[ch] += pixels[j * c + ch];
        }
      }
      for (let ch = 0; ch < c; ch++) pixels[i * c + ch] = sum[ch] / n;
    }
    // Mark the whole layer known only after filling it, so a layer depends on the previous one alone.
    for (const i of layer) known[i] = 1;
    layer = borderOf(known, width, height);
  }
}

/** Unknown pixels with at least one known 8-neighbour. */
function borderOf(known: Uint8Array, width: number, height: number): number[] {
  const border: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (known[i]) continue;
      let touches = false;
      for (let dy = -1; dy <= 1 && !touches; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          if (known[ny * width + nx]) {
            touches = true;
            break;
          }
        }
      }
      if (touches) border.push(i);
    }
  }
  return border;
}
