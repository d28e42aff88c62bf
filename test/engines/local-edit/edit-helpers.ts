import type { EngineNotes } from '../../../src/engines/engine.js';
import { localEditEngineFactory } from '../../../src/engines/local-edit/index.js';
import { srgbToOklab } from '../../../src/imaging/oklab.js';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { runEncoded, testEngineContext } from '../../helpers/engine-context.js';
import { decodePng } from '../../imaging/photo-fixtures.js';

/**
 * The end-to-end harness several local-edit test files share: an engine with its own context (closed when
 * the file ends), an edit that returns the decoded answer and the notes the engine wrote, and a colour probe.
 */
export function localEditEngine() {
  return localEditEngineFactory.create(localEditEngineFactory.optionsSchema.parse({}), testEngineContext(), 'local-edit');
}

/** Runs `prompt` on `image` as an edit request would, and returns the decoded answer with the engine's notes. */
export async function editWithNotes(engine: ReturnType<typeof localEditEngine>, prompt: string, image: RawImage) {
  const notes: EngineNotes = {};
  const result = await runEncoded(engine, {
    operation: 'edit',
    images: [image],
    prompt,
    options: {},
    notes,
    signal: AbortSignal.timeout(120_000),
  });
  return { out: await decodePng(result.png), notes };
}

/** Mean OKLab (L, a, b) of a 9x9 patch around a point given as fractions of the picture. */
export function oklabPatch(img: { data: Uint8Array; width: number; height: number; channels: number }, fx: number, fy: number) {
  const cx = Math.round(fx * (img.width - 1));
  const cy = Math.round(fy * (img.height - 1));
  const lab = new Float64Array(3);
  const sum = [0, 0, 0];
  for (let y = cy - 4; y <= cy + 4; y++)
    for (let x = cx - 4; x <= cx + 4; x++) {
      const i = (y * img.width + x) * img.channels;
      srgbToOklab(img.data[i], img.data[i + 1], img.data[i + 2], lab);
      for (let k = 0; k < 3; k++) sum[k] += lab[k] / 81;
    }
  return sum;
}
