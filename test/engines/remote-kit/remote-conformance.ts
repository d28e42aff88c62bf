import type { EngineFactory } from '../../../src/engines/engine-factory.js';
import type { EngineOperation, EngineRequest } from '../../../src/engines/engine.js';
import type { RawImage } from '../../../src/imaging/raw-image.js';
import { testEngineContext } from '../../helpers/engine-context.js';
import { runEngineConformance, type ConformanceSubject } from '../conformance.js';
import { fixture, rectangleMask } from './helpers.js';

/**
 * The conformance subject of a remote kind: its engine pointed at a protocol test server that answers
 * the negative of the input (after `slowDown`'s delay for the abort case), with health checks off.
 */
export interface RemoteTestServer {
  url: string;
  /** Image calls received. */
  calls(): number;
  /** Makes the next calls take seconds. */
  slowDown(on: boolean): void;
}

export async function runRemoteConformance(options: {
  kind: string;
  factory: EngineFactory<unknown>;
  server: RemoteTestServer;
  /** The endpoint URL the engine is configured with, from the server's. */
  endpointUrl(server: RemoteTestServer): string;
  extraOptions?: Record<string, unknown>;
  /** An operation the kind does not forward (default: background removal). */
  unsupported?: EngineOperation;
  skip?: ConformanceSubject['skip'];
}): Promise<void> {
  const cat: RawImage = await fixture('chelsea.png');
  const box = { left: 120, top: 80, width: 150, height: 100 };
  const mask = await rectangleMask(cat.width, cat.height, box);
  const request = (operation: EngineOperation, images: RawImage[], signal: AbortSignal): EngineRequest => ({
    operation,
    images,
    prompt: 'make it a negative',
    options: { seed: 3 },
    signal,
  });
  const { server } = options;
  const context = testEngineContext();
  const subject: ConformanceSubject = {
    kind: options.kind,
    async create() {
      server.slowDown(false);
      const parsed = options.factory.optionsSchema.parse({
        endpoints: [{ url: options.endpointUrl(server) }],
        healthCheckIntervalMs: 0,
        retries: 0,
        ...options.extraOptions,
      });
      return { engine: options.factory.create(parsed, context, 'conformance-model') };
    },
    workDone: () => server.calls(),
    unsupported: {
      operation: options.unsupported ?? 'background-remove',
      request: (signal) => request(options.unsupported ?? 'background-remove', [cat], signal),
    },
    served: {
      request: (signal) => request('edit', [cat], signal),
      size: { width: cat.width, height: cat.height },
      channels: [3, 4],
    },
    slow: (signal) => {
      server.slowDown(true);
      return request('edit', [cat], signal);
    },
    masked: {
      request: (signal) => request('multi-edit', [cat, mask], signal),
      base: cat,
      insideMask: (x, y) => x >= box.left && x < box.left + box.width && y >= box.top && y < box.top + box.height,
    },
    skip: options.skip,
  };
  runEngineConformance(subject);
}
