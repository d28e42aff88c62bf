import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_SEGMENTATION_MODELS } from '../../../src/resources/segmenter/segmentation-models.js';
import { checkModelFiles, loadModelBytes } from '../../../src/resources/segmenter/model-bytes.js';
import { ModelUnavailableError } from '../../../src/resources/onnx/model-unavailable.js';

describe('model bytes', () => {
  for (const name of ['isnet', 'isnet-int8', 'isnet-quantized']) {
    test(`${name} is assembled from the data package and matches its recorded size and SHA-256`, async () => {
      const { source } = BUILTIN_SEGMENTATION_MODELS[name];
      assert.equal(source.kind, 'package');
      checkModelFiles(source);
      const bytes = await loadModelBytes(source);
      assert.equal(bytes.length, source.kind === 'package' ? source.size : -1);
    });
  }

  test('a package model of another size is refused before reading it', () => {
    const source = { ...BUILTIN_SEGMENTATION_MODELS.isnet.source, size: 123 } as typeof BUILTIN_SEGMENTATION_MODELS.isnet.source;
    assert.throws(
      () => checkModelFiles(source),
      (e: unknown) => e instanceof ModelUnavailableError && /expected version/.test(e.reason),
    );
  });

  test('a digest mismatch is refused, naming no path in the client-facing reason', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'retouch-model-'));
    try {
      const path = join(dir, 'model.onnx');
      await writeFile(path, 'not really a model');
      await assert.rejects(loadModelBytes({ kind: 'file', path, sha256: '0'.repeat(64) }), (e: unknown) => {
        assert.ok(e instanceof ModelUnavailableError);
        assert.equal(e.reason, 'the model data failed its integrity check');
        assert.ok(!e.reason.includes(dir));
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a missing model file is found by the cheap status check', () => {
    assert.throws(
      () => checkModelFiles({ kind: 'file', path: join(tmpdir(), 'no-such-model.onnx') }),
      (e: unknown) => e instanceof ModelUnavailableError && e.reason === 'the model file was not found',
    );
  });
});
