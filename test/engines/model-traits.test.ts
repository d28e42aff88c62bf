import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { modelConfigSchema } from '../../src/config/schema.js';
import { ENGINE_FACTORIES } from '../../src/engines/factories.js';
import type { KindTraits } from '../../src/engines/kind-traits.js';
import { resolveModelTraits } from '../../src/engines/model-traits.js';

/** A model's traits, from its config and what its kind's factory declares. */
const traitsOf = (engine: string, extra: Record<string, unknown> = {}) => {
  const factory = ENGINE_FACTORIES.find((f) => f.kind === engine);
  assert.ok(factory, `no factory for ${engine}`);
  return resolveModelTraits('m', modelConfigSchema.parse({ engine, priceUsd: 0.01, ...extra }), factory.traits);
};

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

  test('a kind no list names gets what it declares, field by field', () => {
    const config = modelConfigSchema.parse({ engine: 'new-kind', priceUsd: 0.01 });
    const declared: KindTraits = {
      runs: 'local',
      operations: ['edit'],
      newContent: false,
      keepsInputSize: true,
      upstreamFields: [],
    };
    const local = resolveModelTraits('m', config, declared);
    assert.deepEqual([local.resolutions, local.defaultResolution, local.safeMode], [['1K', '2K', '4K'], null, 'no-new-content']);
    const generative = resolveModelTraits('m', config, { ...declared, newContent: true, keepsInputSize: false });
    assert.deepEqual([generative.resolutions, generative.defaultResolution, generative.safeMode], [['1K'], '1K', 'classifier']);
    // Each of Venice's fields is its own declaration: a backend that blurs but rewrites no prompt.
    const blurs = resolveModelTraits('m', config, { ...declared, newContent: true, upstreamFields: ['safe_mode'] });
    assert.deepEqual(
      [blurs.safeMode, blurs.enhancePrompt, blurs.promptOptimizationThinking, blurs.nativeResolution],
      ['upstream', false, false, false],
    );
    const tiers = resolveModelTraits('m', config, { ...declared, upstreamFields: ['resolution', 'enhance_prompt'] });
    assert.deepEqual([tiers.nativeResolution, tiers.enhancePrompt, tiers.safeMode], [true, true, 'no-new-content']);
  });
});
