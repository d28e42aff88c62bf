import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { modelConfigSchema } from '../../src/config/schema.js';
import { resolveModelTraits } from '../../src/engines/model-traits.js';

const traitsOf = (engine: string, extra: Record<string, unknown> = {}) =>
  resolveModelTraits('m', modelConfigSchema.parse({ engine, priceUsd: 0.01, ...extra }));

describe('what each engine kind honours', () => {
  test('local engines: every tier, shrinking from the input size, and no classifier (no new content)', () => {
    for (const kind of ['local-edit', 'segmentation']) {
      const traits = traitsOf(kind);
      assert.deepEqual(traits.resolutions, ['1K', '2K', '4K']);
      assert.equal(traits.defaultResolution, null);
      assert.equal(traits.safeMode, 'no-new-content');
      assert.equal(traits.enhancePrompt, false);
      assert.equal(traits.nativeResolution, false);
    }
  });

  test('upscale models: no resolution tiers (the output is the input times the scale), and no new content', () => {
    const traits = traitsOf('super-resolution', { type: 'upscale' });
    assert.deepEqual([traits.resolutions, traits.defaultResolution, traits.safeMode], [[], null, 'no-new-content']);
  });

  test('comfyui and openai: 1K by default, safe mode by the classifier here', () => {
    for (const kind of ['comfyui', 'openai']) {
      const traits = traitsOf(kind);
      assert.deepEqual([traits.resolutions, traits.defaultResolution, traits.safeMode], [['1K'], '1K', 'classifier']);
    }
  });

  test('venice: fields passed upstream, tiers made upstream', () => {
    const traits = traitsOf('venice', { resolutions: ['4K', '1K', '2K'], qualities: ['high', 'low'], defaultQuality: 'high' });
    assert.deepEqual(traits.resolutions, ['1K', '2K', '4K'], 'sorted');
    assert.deepEqual(traits.qualities, ['low', 'high']);
    assert.deepEqual(
      [traits.safeMode, traits.enhancePrompt, traits.promptOptimizationThinking, traits.nativeResolution],
      ['upstream', true, true, true],
    );
  });

  test('a default the model does not list is a configuration error; deprecation gets a warning', () => {
    assert.throws(
      () => traitsOf('venice', { resolutions: ['1K'], defaultResolution: '2K' }),
      /defaultResolution 2K is not one of its resolutions/,
    );
    assert.throws(() => traitsOf('venice', { defaultQuality: 'high' }), /defaultQuality high/);
    const traits = traitsOf('venice', { deprecation: { date: '2027-01-31', replacement: 'firered-image-edit' } });
    assert.match(traits.deprecation!.warning, /m is deprecated and will be removed on 2027-01-31; use firered-image-edit/);
  });
});
