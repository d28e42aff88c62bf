import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ModelUnavailableError } from '../../../src/resources/onnx/model-unavailable.js';
import { checkSrModelFiles, loadSrModel } from '../../../src/resources/super-resolution/model-files.js';
import { SR_MODELS } from '../../../src/resources/super-resolution/sr-models.js';

describe('super-resolution model files', () => {
  test('every listed network is installed with its recorded sizes', () => {
    for (const spec of Object.values(SR_MODELS)) checkSrModelFiles(spec);
  });

  test('every listed network loads, passes its digest and converts to ONNX', async () => {
    for (const spec of Object.values(SR_MODELS)) {
      const onnx = await loadSrModel(spec);
      assert.ok(onnx.length > 2_000_000, `${spec.name}: ${onnx.length} bytes`);
    }
  });

  test('a wrong digest, a wrong size or a missing package makes the network unavailable', async () => {
    const spec = SR_MODELS['realesrgan-x4fast'];
    await assert.rejects(loadSrModel({ ...spec, sha256: '0'.repeat(64) }), (e: ModelUnavailableError) =>
      /integrity/.test(e.reason),
    );
    const resized = { ...spec, files: [spec.files[0], { ...spec.files[1], size: 1 }] };
    assert.throws(
      () => checkSrModelFiles(resized),
      (e: ModelUnavailableError) => /expected version/.test(e.reason),
    );
    assert.throws(
      () => checkSrModelFiles({ ...spec, packageName: '@retouch/not-installed' }),
      (e: ModelUnavailableError) => /not installed/.test(e.reason),
    );
  });
});
