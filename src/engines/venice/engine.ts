import { DEFAULT_MODEL_TIMEOUT_MS } from '../../config/schema.js';
import type { EngineContext } from '../context.js';
import { RemoteEngine } from '../remote-kit/remote-engine.js';
import { VeniceBackend } from './venice-backend.js';
import type { VeniceOptions } from './options.js';

/**
 * The `venice` engine: Venice's API, or another server with it (a second retouch), behind the shared remote machinery (endpoint balancing, retries, circuit
 * breaker, health checks, mask compositing; see src/engines/remote-kit/).
 */
export class VeniceEngine extends RemoteEngine {
  constructor(modelId: string, options: VeniceOptions, context: EngineContext) {
    super(
      modelId,
      new VeniceBackend({ model: options.model ?? modelId }),
      options,
      context,
      context.config.models[modelId]?.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS,
    );
  }
}
