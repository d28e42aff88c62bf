import { DEFAULT_MODEL_TIMEOUT_MS } from '../../config/schema.js';
import type { EngineContext } from '../context.js';
import { RemoteEngine } from '../remote-kit/remote-engine.js';
import { ComfyUiBackend } from './comfyui-backend.js';
import type { ComfyUiOptions } from './options.js';

/**
 * The `comfyui` engine: ComfyUI's HTTP and websocket API (a server running a workflow, by default Qwen-Image-Edit-2509), behind the shared remote machinery (endpoint balancing, retries, circuit
 * breaker, health checks, mask compositing; see src/engines/remote-kit/).
 */
export class ComfyUiEngine extends RemoteEngine {
  constructor(modelId: string, options: ComfyUiOptions, context: EngineContext) {
    super(
      modelId,
      new ComfyUiBackend(options.loaded, { historyPollMs: options.historyPollMs }),
      options,
      context,
      context.config.models[modelId]?.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS,
    );
  }
}
