import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

/**
 * The photos int8 calibration measures activation ranges on: `assets/calibration/` in the project (a
 * car, a footballer, a street scene and a painting; none of them is a test photo, so the accuracy tests
 * that compare int8 with float on test/fixtures are not scored on the data the ranges were fitted to).
 * Found by walking up from this module to the folder holding package.json, so that both the sources
 * (tsx) and the compiled dist/ find it.
 */
export interface CalibrationPhoto {
  name: string;
  /** RGB, 8 bits, row-major. */
  data: Uint8Array;
  width: number;
  height: number;
}

export function calibrationDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'assets', 'calibration');
    const parent = dirname(dir);
    if (parent === dir) throw new Error('the project folder (package.json) was not found above the ONNX toolkit');
    dir = parent;
  }
}

/** Every calibration photo, decoded, in name order. */
export async function calibrationPhotos(): Promise<CalibrationPhoto[]> {
  const dir = calibrationDir();
  const names = readdirSync(dir)
    .filter((f) => /\.(jpe?g|png)$/i.test(f))
    .sort();
  if (names.length === 0) throw new Error(`no calibration photos in ${dir}`);
  return Promise.all(
    names.map(async (name) => {
      const { data, info } = await sharp(join(dir, name)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      return { name, data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
    }),
  );
}
