import { DEFAULT_MODEL_TIMEOUT_MS } from '../../config/schema.js';
import type { EngineContext } from '../context.js';
import { RemoteEngine } from '../remote-kit/remote-engine.js';
import { OpenAiBackend } from './openai-backend.js';
import type { OpenAiOptions } from './options.js';

/**
 * The `openai` engine: a server with OpenAI's `POST /v1/images/edits` (vLLM-Omni, SGLang, OpenAI itself), behind the shared remote machinery (endpoint balancing, retries, circuit
 * breaker, health checks, mask compositing; see src/engines/remote-kit/).
 */
export class OpenAiEngine extends RemoteEngine {
  constructor(modelId: string, options: OpenAiOptions, context: EngineContext) {
    super(
      modelId,
      new OpenAiBackend(options),
      options,
      context,
      context.config.models[modelId]?.timeoutMs ?? DEFAULT_MODEL_TIMEOUT_MS,
    );
  }
}
