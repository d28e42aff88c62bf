import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { EngineRequest } from '../../../../src/engines/engine.js';
import { parsePrompt } from '../../../../src/engines/local-edit/prompt/parser.js';
import { resolvePlan } from '../../../../src/engines/local-edit/resolve/resolve-plan.js';
import type { RawImage } from '../../../../src/imaging/raw-image.js';
import { testImagingPool } from '../../../helpers/engine-context.js';
import { loadPhoto, rectMask } from '../../../imaging/photo-fixtures.js';
import { rejectsWithApiError } from '../../../helpers/api-error.js';

let base: RawImage;
let mask: RawImage;
let picture: RawImage;

before(async () => {
  base = await loadPhoto('chelsea');
  mask = rectMask(base.width, base.height, { left: 100, top: 50, width: 80, height: 60 });
  picture = await loadPhoto('coffee');
});
const pool = testImagingPool();

function request(prompt: string, layers: RawImage[] = [], extra: Partial<EngineRequest> = {}): EngineRequest {
  return {
    operation: layers.length > 0 ? 'multi-edit' : 'edit',
    images: [base, ...layers],
    prompt,
    options: {},
    signal: new AbortController().signal,
    ...extra,
  };
}

const resolve = (prompt: string, layers: RawImage[] = [], extra: Partial<EngineRequest> = {}) =>
  resolvePlan(parsePrompt(prompt), request(prompt, layers, extra), pool);

const rejects = rejectsWithApiError;

describe('named things need a mask', () => {
  test('"remove the tree" on /image/edit is refused, explaining how to send a mask', async () => {
    await rejects(resolve('remove the tree'), 'UNSUPPORTED_INSTRUCTION', '"the tree"', 'mask', 'multi-edit');
  });

  test('with a mask layer, "remove the tree" erases the masked area', async () => {
    const { steps, layers } = await resolve('remove the tree', [mask]);
    assert.equal(steps[0].region, 'mask');
    assert.equal(layers.mask?.convention, 'luma');
  });

  test('redaction and fills refuse to run on the whole picture', async () => {
    await rejects(resolve('censor it'), 'UNSUPPORTED_INSTRUCTION', 'which part');
    await rejects(resolve('fill with red'), 'UNSUPPORTED_INSTRUCTION', 'which part');
  });

  test('with a mask, instructions that name no region apply inside it', async () => {
    const { steps } = await resolve('make it sepia', [mask]);
    assert.equal(steps[0].region, 'mask');
  });
});

describe('layer roles', () => {
  test('a picture layer becomes the overlay or the new background, as the prompt asks', async () => {
    assert.ok((await resolve('add the logo in the top right corner', [picture])).layers.overlay);
    assert.ok((await resolve('replace the background with the second image', [picture])).layers.background);
  });

  test('mask and overlay together: the two-tone layer is the mask, whatever the order', async () => {
    const { layers, steps } = await resolve('add the logo', [picture, mask]);
    assert.equal(layers.mask?.image, mask);
    assert.equal(layers.overlay, picture);
    assert.equal(steps[0].region, 'mask');
  });

  test('layer_roles overrides the classification', async () => {
    const { layers } = await resolve('blur the masked area', [picture], { options: { layerRoles: ['mask'] } });
    assert.equal(layers.mask?.image, picture);
    assert.equal(layers.mask?.convention, 'luma');
    await rejects(
      resolve('invert', [mask, mask], { options: { layerRoles: ['mask', 'mask'] } }),
      'INVALID_PARAMETERS',
      'Only one mask',
    );
    await rejects(
      resolve('invert', [mask], { options: { layerRoles: ['mask', 'overlay'] } }),
      'INVALID_PARAMETERS',
      'layer_roles',
    );
  });

  test('a layer that no instruction uses is refused rather than ignored', async () => {
    await rejects(resolve('rotate 90 degrees', [mask]), 'UNSUPPORTED_INSTRUCTION', 'mask layer is not used');
    await rejects(resolve('make the whole image sepia', [picture]), 'UNSUPPORTED_INSTRUCTION', 'overlay layer is not used');
  });

  test('a second image that was not sent is asked for', async () => {
    await rejects(resolve('replace the background with the second image'), 'UNSUPPORTED_INSTRUCTION', 'second image');
    await rejects(resolve('add the logo in the top left corner'), 'UNSUPPORTED_INSTRUCTION', 'overlay');
  });
});

describe('"keep ..." constraints are checked against the plan', () => {
  test('met: the subject when only the background changes; anything outside a mask', async () => {
    await resolve(
      'Replace the background with a modern photo studio backdrop while preserving the subject pose, facial features, and clothing.',
    );
    await resolve('Remove the tourist crowd from the square and keep the architecture intact', [mask]);
    await resolve('blur the background but keep the face sharp');
  });

  test('broken: the plan would change what the prompt asks to keep', async () => {
    await rejects(
      resolve('make it black and white while keeping the colors'),
      'UNSUPPORTED_INSTRUCTION',
      '"the colors"',
      'black and white',
    );
    await rejects(resolve('make it warmer while preserving the face'), 'UNSUPPORTED_INSTRUCTION', '"the face"');
    await rejects(resolve('rotate 90 degrees and keep the composition'), 'UNSUPPORTED_INSTRUCTION', 'composition');
    await rejects(resolve('blur the background while keeping the canal'), 'UNSUPPORTED_INSTRUCTION', 'the canal');
  });
});
