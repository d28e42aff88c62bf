import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineFactory } from '../../../src/engines/engine-factory.js';
import type { EngineOperation, EngineOptions, EngineRequest } from '../../../src/engines/engine.js';
import type { UpstreamField } from '../../../src/engines/kind-traits.js';
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
  /** The field names of the last image call, where the protocol has named fields (not ComfyUI's workflow). */
  fieldsSeen?(): string[];
}

export async function runRemoteConformance(options: {
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
    factory: options.factory,
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

  // Venice's generative fields the kind declares go upstream, and only those (the others are kept or refused here).
  const fieldsSeen = server.fieldsSeen;
  test(
    `declared upstream fields: ${options.factory.kind}`,
    fieldsSeen ? {} : { skip: 'the protocol has no named fields to watch' },
    async () => {
      const engine = await subject.create();
      const venice: EngineOptions = {
        resolution: '2K',
        safeMode: true,
        enhancePrompt: true,
        disablePromptOptimizationThinking: true,
      };
      try {
        await engine.engine.run({ ...request('edit', [cat], AbortSignal.timeout(30_000)), options: { ...venice, seed: 3 } });
      } finally {
        await engine.engine.close();
      }
      const upstream: UpstreamField[] = ['resolution', 'safe_mode', 'enhance_prompt', 'disable_prompt_optimization_thinking'];
      const reached = upstream.filter((field) => fieldsSeen?.().includes(field));
      assert.deepEqual(
        reached,
        upstream.filter((field) => options.factory.traits.upstreamFields.includes(field)),
      );
    },
  );
}
