import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMapping, loadWorkflow, SHIPPED_WORKFLOW } from '../../../src/engines/comfyui/workflow.js';
import { nodeCatalogue, validatePrompt } from './comfyui-fake-nodes.js';

/** The shipped Qwen-Image-Edit workflow, its mapping, and how a request's values are put into it. */

const shipped = loadWorkflow(SHIPPED_WORKFLOW);
const values = { prompt: 'add a red scarf', images: ['a.png'], seed: 42, width: 1024, height: 768 };

describe('shipped workflow', () => {
  test('uses the core Qwen-Image-Edit nodes with the mapped inputs', () => {
    const classes = new Set(Object.values(shipped.workflow).map((node) => node.class_type));
    for (const name of [
      'UNETLoader',
      'CLIPLoader',
      'VAELoader',
      'TextEncodeQwenImageEditPlus',
      'KSampler',
      'VAEDecode',
      'SaveImage',
      'LoadImage',
    ]) {
      assert.ok(classes.has(name), name);
    }
    assert.equal(shipped.workflow['2'].inputs.type, 'qwen_image');
    assert.deepEqual(shipped.mapping.images, ['10.image', '11.image', '12.image']);
  });

  test('with one, two or three images, the filled workflow passes ComfyUI validation', () => {
    for (const count of [1, 2, 3]) {
      const images = ['a.png', 'b.png', 'c.png'].slice(0, count);
      const filled = applyMapping(shipped, { ...values, images });
      const catalogue = nodeCatalogue({
        unet: ['qwen_image_edit_2509_fp8_e4m3fn.safetensors'],
        clip: ['qwen_2.5_vl_7b_fp8_scaled.safetensors'],
        vae: ['qwen_image_vae.safetensors'],
        inputs: () => images,
      });
      const result = validatePrompt(filled as never, catalogue);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(Object.values(filled).filter((n) => n.class_type === 'LoadImage').length, count);
    }
  });
});

describe('applyMapping', () => {
  test('sets prompt, negative prompt and seed, and leaves the loaded workflow untouched', () => {
    const filled = applyMapping(shipped, values);
    assert.equal(filled['20'].inputs.prompt, 'add a red scarf');
    assert.equal(filled['21'].inputs.prompt, '');
    assert.equal(filled['40'].inputs.seed, 42);
    assert.equal(filled['10'].inputs.image, 'a.png');
    assert.equal(shipped.workflow['20'].inputs.prompt, '');
    assert.ok(shipped.workflow['11'], 'the template keeps every slot');
  });

  test('unused image slots are removed with every link to them', () => {
    const filled = applyMapping(shipped, { ...values, images: ['a.png', 'b.png'] });
    assert.equal(filled['12'], undefined);
    assert.equal(filled['20'].inputs.image3, undefined);
    assert.equal(filled['21'].inputs.image3, undefined);
    assert.deepEqual(filled['20'].inputs.image2, ['11', 0]);
  });

  test('width and height targets receive the sent size', () => {
    const workflow = {
      ...shipped.workflow,
      '70': { class_type: 'EmptySD3LatentImage', inputs: { width: 0, height: 0, batch_size: 1 } },
    };
    const filled = applyMapping(
      { workflow, mapping: { ...shipped.mapping, width: ['70.width'], height: ['70.height'] } },
      values,
    );
    assert.deepEqual([filled['70'].inputs.width, filled['70'].inputs.height], [1024, 768]);
  });
});

describe('loadWorkflow', () => {
  test('a mapping is checked against the workflow', () => {
    assert.throws(
      () => loadWorkflow(SHIPPED_WORKFLOW, { prompt: '20.prompt', images: ['10.image'], output: '99' }),
      /mapping\.output names node 99/,
    );
    assert.throws(() => loadWorkflow(SHIPPED_WORKFLOW, { prompt: 'prompt', images: ['10.image'] }), /<node id>\.<input name>/);
    assert.throws(() => loadWorkflow(SHIPPED_WORKFLOW, { prompt: '20.prompt', images: [] }), /images/);
  });

  test('a file that is not an API-format workflow is refused', () => {
    assert.throws(() => loadWorkflow('package.json'), /not a ComfyUI workflow in API format/);
  });
});
