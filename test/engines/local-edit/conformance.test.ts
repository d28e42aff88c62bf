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
/** Called when a PatchMatch search task starts: the slow case's long phase. */
let onImprove: (() => void) | undefined;
const context = testEngineContext();
context.resources.provide(IMAGING_POOL, countingPool(createImagingPool(2)));
function countingPool(pool: ImagingPool): ImagingPool {
  return {
    size: pool.size,
    run: (task, payload, options) => {
      tasks++;
      if (task === 'inpaintImprove') onImprove?.();
      return pool.run(task, payload, options);
    },
    close: () => pool.close(),
  };
}

const request = (
  images: RawImage[],
  prompt: string,
  signal: AbortSignal,
  operation: EngineRequest['operation'] = 'multi-edit',
): EngineRequest => ({
  operation,
  images,
  prompt,
  options: { seed: 1 },
  signal,
});

runEngineConformance({
  factory: localEditEngineFactory,
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
  // Aborted once PatchMatch is under way (parsing and reading the mask are single synchronous or libvips
  // steps that cannot be interrupted; PatchMatch stops inside its worker tasks).
  slowStarted: () => new Promise((resolve) => (onImprove = resolve)),
  masked: {
    request: (signal) => request([photo, mask], 'make the masked area black and white', signal),
    base: photo,
    insideMask: (x, y) => x >= box.left && x < box.left + box.width && y >= box.top && y < box.top + box.height,
  },
});
