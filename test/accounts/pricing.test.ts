import assert from 'node:assert/strict';
import { test } from 'node:test';
import { priceListOf, priceOf, pricingSpec } from '../../src/accounts/pricing.js';

// Venice's published prices of gpt-image-2-edit (GET /models, 2026): base, tiers, (tier, quality), extra images.
const list = priceListOf({
  priceUsd: 0.34,
  pricing: {
    resolutions: { '1K': 0.34, '2K': 0.52, '4K': 0.84 },
    quality: { '1K': { low: 0.03, medium: 0.08, high: 0.34 }, '2K': { low: 0.03, medium: 0.14, high: 0.52 } },
    inputImages: { included: 1, additionalUsd: 0.0092 },
  },
});

test('the most specific price applies, plus each image beyond the included one, in exact micro-dollars', () => {
  assert.equal(priceOf(list, { imageCount: 1 }), 340_000);
  assert.equal(priceOf(list, { resolution: '4K', imageCount: 1 }), 840_000);
  assert.equal(priceOf(list, { resolution: '2K', quality: 'medium', imageCount: 3 }), 140_000 + 2 * 9_200);
  assert.equal(
    priceOf(list, { resolution: '4K', quality: 'low', imageCount: 2 }),
    840_000 + 9_200,
    'no (4K, low) price: the tier',
  );
  // Floats that do not add up in binary still charge exactly: 0.1 + 0.2 would be 0.30000000000000004.
  const tenths = priceListOf({ priceUsd: 0.1, pricing: { inputImages: { included: 0, additionalUsd: 0.2 } } });
  assert.equal(priceOf(tenths, { imageCount: 1 }), 300_000);
});

test("Venice's model_spec.pricing shape", () => {
  const spec = pricingSpec(list, 'inpaint') as any;
  assert.deepEqual(spec.inpaint, { usd: 0.34, diem: 0.34 });
  assert.deepEqual(spec.resolutions['2K'], { usd: 0.52, diem: 0.52 });
  assert.deepEqual(spec.quality['1K'].medium, { usd: 0.08, diem: 0.08 });
  assert.deepEqual(spec.inputImages, { included: 1, additional: { usd: 0.0092, diem: 0.0092 } });
});
