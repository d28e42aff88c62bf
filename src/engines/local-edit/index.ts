import type { EngineFactory } from '../engine-factory.js';
import { LocalEditEngine } from './engine.js';
import { localEditOptionsSchema, type LocalEditOptions } from './options.js';
import { warmUpVocabulary } from './vocabulary/table.js';

/** `"engine": "local-edit"`: prompt-driven edits on the CPU (see docs/local-edit.md). */
export const localEditEngineFactory: EngineFactory<LocalEditOptions> = {
  kind: 'local-edit',
  optionsSchema: localEditOptionsSchema,
  create(options, context) {
    warmUpVocabulary();
    return new LocalEditEngine(options, context);
  },
};
