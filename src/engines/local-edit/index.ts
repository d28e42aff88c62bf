import type { EngineFactory } from '../engine-factory.js';
import { LocalEditEngine } from './engine.js';
import { localEditOptionsSchema, type LocalEditOptions } from './options.js';
import { warmUpVocabulary } from './vocabulary/table.js';

/**
 * `"engine": "local-edit"`: prompt-driven edits on the CPU (see docs/local-edit.md). Its folders are layers,
 * lowest first: plan/ and tools/, vocabulary/, prompt/, resolve/, run/, then this file, options.ts and
 * engine.ts (docs/local-edit.md, "Code layout"; test/engines/local-edit/layers.test.ts keeps them so).
 */
export const localEditEngineFactory: EngineFactory<LocalEditOptions> = {
  kind: 'local-edit',
  // Tone, geometry, masks and PatchMatch fills from the picture's own pixels: nothing invented, same size.
  traits: { runs: 'local', operations: ['edit', 'multi-edit'], newContent: false, keepsInputSize: true, upstreamFields: [] },
  optionsSchema: localEditOptionsSchema,
  create(options, context) {
    warmUpVocabulary();
    return new LocalEditEngine(options, context);
  },
};
