import type { EngineRequest } from '../../../src/engines/engine.js';
import { localEditEngineFactory } from '../../../src/engines/local-edit/index.js';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { createImagingPool, type ImagingPool } from '../../../src/imaging/worker-pool.js';
import { IMAGING_POOL } from '../../../src/resources/imaging-pool.js';
import { testEngineContext } from '../../helpers/engine-context.js';
import { runEngineConformance } from '../conformance.js';
import { loadPhoto, rectMask } from '../../imaging/photo-fixtures.js';

/** local-edit against the kit's conformance suite, on a real photo, with a real imaging pool that counts its tasks. */

const photo: RawImage = await loadPhoto('coffee');
const box = { left: 315, top: 225, width: 100, height: 110 };
const mask = rectMask(photo.width, photo.height, box);
/** A big picture with a big hole: seconds of PatchMatch, long enough to be aborted while it works. */
const big: RawImage = { data: Buffer.alloc(2000 * 1500 * 3), width: 2000, height: 1500, channels: 3 };
for (let i = 0; i < big.data.length; i++) big.data[i] = (i * 37 + ((i / 6000) | 0) * 11) % 251;
const bigMask = rectMask(big.width, big.height, { left: 400, top: 300, width: 900, height: 700 });

let tasks = 0;
const context = testEngineContext();
context.resources.provide(IMAGING_POOL, countingPool(createImagingPool(2)));
function countingPool(pool: ImagingPool): ImagingPool {
  return {
    size: pool.size,
    run: (task, payload, options) => (tasks++, pool.run(task, payload, options)),
    close: () => pool.close(),
  };
}

const request = (images: RawImage[], prompt: string, signal: AbortSignal, operation: EngineRequest['operation'] = 'multi-edit'): EngineRequest => ({
  operation,
  images,
  prompt,
  options: { seed: 1 },
  signal,
});

runEngineConformance({
  kind: 'local-edit',
  async create() {
    return { engine: localEditEngineFactory.create(localEditEngineFactory.optionsSchema.parse({}), context, 'local-edit') };
  },
  workDone: () => tasks,
  unsupported: { operation: 'background-remove', request: (signal) => request([photo], '', signal, 'background-remove') },
  served: {
    request: (signal) => request([photo, mask], 'remove the masked area', signal),
    size: { width: photo.width, height: photo.height },
    channels: [3],
  },
  slow: (signal) => request([big, bigMask], 'remove the masked area', signal),
  // By 3 s PatchMatch runs, and it stops inside its worker tasks; but parsing the prompt and reading the
  // 3-MP mask are synchronous or single libvips calls that cannot be interrupted, and on a loaded 2-core
  // machine they can take seconds, so the bound allows for the abort arriving during one of them.
  abortAfterMs: 3_000,
  stopWithinMs: 6_000,
  masked: {
    request: (signal) => request([photo, mask], 'make the masked area black and white', signal),
    base: photo,
    insideMask: (x, y) => x >= box.left && x < box.left + box.width && y >= box.top && y < box.top + box.height,
  },
});
