import { z } from 'zod';
import type { Engine, EngineRequest, EngineResult, EngineStatus } from '../../src/engines/engine.js';
import type { EngineFactory } from '../../src/engines/engine-factory.js';
import type { KindTraits } from '../../src/engines/kind-traits.js';
import { ApiError } from '../../src/errors.js';
import type { RawImage } from '../../src/imaging/raw-image.js';

/**
 * A test-only engine kind (never in the product's factory list): it inverts the picture's colours, real
 * pixel work that invents nothing and keeps the size. Tests register it, under traits of their choosing,
 * to show that generic code treats a kind no list names by what it declares (declared-kind.test.ts).
 */
export class InvertEngine implements Engine {
  /** Pictures inverted by every engine of this kind (work the conformance suite observes). */
  static inverted = 0;

  constructor(readonly kind: string) {}

  status(): EngineStatus {
    return { online: true };
  }

  async run(request: EngineRequest): Promise<EngineResult> {
    if (request.operation !== 'edit') {
      throw new ApiError('INVALID_PARAMETERS', `The ${this.kind} kind only inverts pictures; it cannot run ${request.operation}`);
    }
    request.signal.throwIfAborted();
    InvertEngine.inverted++;
    return { kind: 'raw', image: invert(request.images[0]) };
  }

  async close(): Promise<void> {}
}

/** 255 minus each colour value; alpha is kept. */
export function invert(image: RawImage): RawImage {
  const data = Buffer.from(image.data);
  const colours = image.channels === 4 ? 3 : image.channels;
  for (let i = 0; i < data.length; i += image.channels) {
    for (let c = 0; c < colours; c++) data[i + c] = 255 - data[i + c];
  }
  return { ...image, data };
}

/** What the invert kind truly is: local, edits only, nothing invented, the input's size kept. */
export const INVERT_TRAITS: KindTraits = {
  runs: 'local',
  operations: ['edit'],
  newContent: false,
  keepsInputSize: true,
  upstreamFields: [],
};

/** The invert kind's factory under `kind` and `traits` (by default, what it truly is). */
export function invertEngineFactory(kind = 'invert', traits: KindTraits = INVERT_TRAITS): EngineFactory<Record<string, never>> {
  return { kind, traits, optionsSchema: z.object({}).strict(), create: () => new InvertEngine(kind) };
}
