import assert from 'node:assert/strict';
import { test } from 'node:test';
import { localEditEngineFactory } from '../../../../src/engines/local-edit/index.js';
import { ApiError } from '../../../../src/errors.js';
import { testEngineContext } from '../../../helpers/engine-context.js';

/**
 * Every refusal is a sentence that ends once: advice that ends in its own full stop ("Send the picture
 * to /image/multi-edit with a mask ... ).") used to gain a second one from the refusal's frame.
 */

const photo = { data: Buffer.alloc(32 * 32 * 3, 120), width: 32, height: 32, channels: 3 as const };
const engine = localEditEngineFactory.create(localEditEngineFactory.optionsSchema.parse({}), testEngineContext(), 'local-edit');

async function refusalOf(prompt: string): Promise<string> {
  try {
    await engine.run({ operation: 'edit', images: [photo], prompt, options: {}, signal: AbortSignal.timeout(20_000) });
  } catch (error) {
    assert.ok(error instanceof ApiError, String(error));
    return error.message;
  }
  throw new Error(`"${prompt}" was not refused`);
}

for (const prompt of [
  'remove the tree', // needs a mask: the advice ends in ")."
  'crop around the tree', // needs a mask: the advice ends in '"around the subject".'
  'rotate it by 37 degrees',
  'zorp the blorp thoroughly',
  'replace the sky with a sunset',
  'replace the background with the second image',
]) {
  test(`the refusal of "${prompt}" ends with one full stop`, async () => {
    const message = await refusalOf(prompt);
    assert.match(message, /[^.]\.$/, message);
    assert.doesNotMatch(message, /[^.]\.\.(?!\.)/, `no ".." anywhere: ${message}`);
  });
}
