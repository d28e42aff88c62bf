import type { ModelEntry } from '../../engines/model-entry.js';
import { ApiError } from '../../errors.js';
import type { ModelType } from '../../operations/image-operations.js';
import type { AppServices } from '../../services.js';

/**
 * The model a request asked for, or the registry's default for its kind; unknown names are a 400 naming
 * the models of that kind that are online now (an offline one would only fail next).
 */
export function chooseModel(services: AppServices, requested: string | undefined, type: ModelType): ModelEntry {
  const id = requested ?? services.models.defaultModel(type);
  const model = services.models.get(id);
  if (!model || model.type !== type) {
    const known = services.models
      .list(type)
      .filter((m) => m.engine.status().online)
      .map((m) => m.id)
      .join(', ');
    throw new ApiError('INVALID_PARAMETERS', `Unknown model "${id}" for this endpoint; available: ${known || 'none'}`);
  }
  return model;
}
