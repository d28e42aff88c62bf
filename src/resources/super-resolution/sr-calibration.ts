import { calibrationPhotos } from '../onnx/calibration-photos.js';
import type { CalibrationInput } from '../onnx/calibrate.js';

/** Side of the calibration tiles: small enough that calibrating the slowest network takes seconds. */
const TILE = 64;

/**
 * Calibration inputs for a super-resolution network: from each calibration photo, tiles at three places
 * (centre, upper left third, lower right third), as the worker feeds tiles: planar RGB floats in 0..1.
 * Networks see a photo tile by tile, so small tiles cover the same kinds of content that requests bring.
 */
export async function srCalibrationInputs(): Promise<CalibrationInput[]> {
  const inputs: CalibrationInput[] = [];
  for (const photo of await calibrationPhotos()) {
    for (const [fx, fy] of [
      [0.5, 0.5],
      [0.33, 0.33],
      [0.67, 0.67],
    ]) {
      const left = Math.round((photo.width - TILE) * fx);
      const top = Math.round((photo.height - TILE) * fy);
      inputs.push({ data: tile(photo.data, photo.width, left, top), dims: [1, 3, TILE, TILE] });
    }
  }
  return inputs;
}

function tile(rgb: Uint8Array, width: number, left: number, top: number): Float32Array {
  const plane = TILE * TILE;
  const out = new Float32Array(3 * plane);
  for (let y = 0; y < TILE; y++)
    for (let x = 0; x < TILE; x++) {
      const src = ((top + y) * width + left + x) * 3;
      for (let c = 0; c < 3; c++) out[c * plane + y * TILE + x] = rgb[src + c] / 255;
    }
  return out;
}
