import { after } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type { EngineContext } from '../../src/engines/context.js';
import type { EngineRequest, EngineResult } from '../../src/engines/engine.js';
import { createImagingPool, type ImagingPool } from '../../src/imaging/worker-pool.js';
import { finishOutput } from '../../src/jobs/finish-output.js';
import { ResourceRegistry } from '../../src/resources/resource-registry.js';

/** A quiet engine context with a fresh resource registry, closed when the test file ends. */
export function testEngineContext(config: Config = loadConfig({ env: {}, overrides: { logLevel: 'silent' } })): EngineContext {
  const logger = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
  const resources = new ResourceRegistry({ config, logger });
  after(() => resources.close());
  return { config, logger, metrics: new Registry(), resources };
}

/** An imaging pool of two workers for this test file, closed when it ends. */
export function testImagingPool(size = 2): ImagingPool {
  const pool = createImagingPool(size);
  after(() => pool.close());
  return pool;
}

/** An engine's result encoded as the API would send it (the finishing step with no options). */
export async function encodeResult(result: EngineResult): Promise<{ png: Buffer; width: number; height: number }> {
  const finished = await finishOutput(result, {});
  return { png: finished.body, width: finished.width, height: finished.height };
}

/** Runs an engine and encodes its result, as a request would see it. */
export async function runEncoded(
  engine: { run(request: EngineRequest): Promise<EngineResult> },
  request: EngineRequest,
): Promise<{ png: Buffer; width: number; height: number }> {
  return encodeResult(await engine.run(request));
}
