import path from 'node:path';
import sharp from 'sharp';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import type { EngineRequest } from '../../../src/engines/engine.js';
import type { EngineFactory } from '../../../src/engines/engine-factory.js';
import { testEngineContext } from '../../helpers/engine-context.js';
import type { Engine } from '../../../src/engines/engine.js';

/** Shared helpers of the remote-backend tests: fixtures as RawImages, a quiet engine context, requests. */

/**
 * The file's one engine context (its registry, and so its imaging pool, closed when the file ends): engines
 * share it as a server's do, instead of each starting and stopping worker threads of its own.
 */
let shared: ReturnType<typeof testEngineContext> | undefined;
export function quietContext() {
  shared ??= testEngineContext();
  return shared;
}

/** A test photo from test/fixtures (resolved from the repository root, where tests run). */
export async function fixture(name: string, channels: 3 | 4 = 3): Promise<RawImage> {
  let pipeline = sharp(path.resolve('test/fixtures', name)).rotate();
  pipeline = channels === 4 ? pipeline.ensureAlpha() : pipeline.removeAlpha();
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels };
}

export async function decode(png: Buffer): Promise<RawImage> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels as 3 | 4 };
}

/** An opaque black-and-white mask: white (edit) inside the rectangle. */
export async function rectangleMask(
  width: number,
  height: number,
  box: { left: number; top: number; width: number; height: number },
): Promise<RawImage> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = box.top; y < box.top + box.height; y++) {
    data.fill(255, (y * width + box.left) * 3, (y * width + box.left + box.width) * 3);
  }
  return { data, width, height, channels: 3 };
}

export function editRequest(images: RawImage[], overrides: Partial<EngineRequest> = {}): EngineRequest {
  return {
    operation: images.length > 1 ? 'multi-edit' : 'edit',
    images,
    prompt: 'make it look like a negative',
    options: {},
    signal: AbortSignal.timeout(20_000),
    ...overrides,
  };
}

/** Creates an engine from a factory and raw options, the way the model registry does at start. */
export function createEngine(
  factory: EngineFactory<unknown>,
  options: unknown,
  modelId = 'test-model',
  context = quietContext(),
): Engine {
  const parsed = factory.optionsSchema.safeParse(options);
  if (!parsed.success)
    throw new Error(
      parsed.error.issues.map((i: { path: PropertyKey[]; message: string }) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  return factory.create(parsed.data, context, modelId);
}

/** Mean absolute difference per channel byte between two same-sized images (3 channels compared). */
export function meanAbsDiff(a: RawImage, b: RawImage): number {
  let sum = 0;
  const n = a.width * a.height;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < 3; c++) sum += Math.abs(a.data[i * a.channels + c] - b.data[i * b.channels + c]);
  return sum / (n * 3);
}
