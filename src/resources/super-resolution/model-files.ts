import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ModelUnavailableError } from '../onnx/model-unavailable.js';
import { kerasToOnnx, type LayersModelJson } from '../onnx/keras-to-onnx.js';
import { ncnnToOnnx } from '../onnx/ncnn-to-onnx.js';
import type { SrModelSpec } from './sr-models.js';

/**
 * Finds, checks and converts a super-resolution network's files. The packages do not export their
 * package.json, so the folder is found the way Node's resolver walks node_modules folders.
 */
export function packageDir(packageName: string): string | null {
  const require = createRequire(import.meta.url);
  for (const base of require.resolve.paths(packageName) ?? []) {
    const dir = join(base, packageName);
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return null;
}

/**
 * The cheap check for `status()`: the package is installed and every file has its recorded size.
 * The digest is checked when a worker loads the files.
 */
export function checkSrModelFiles(spec: SrModelSpec): void {
  const dir = packageDir(spec.packageName);
  if (!dir)
    throw new ModelUnavailableError('the model package is not installed', `${spec.packageName} is missing (run npm install)`);
  for (const file of spec.files) {
    const size = statSync(join(dir, file.path), { throwIfNoEntry: false })?.size;
    if (size !== file.size) {
      throw new ModelUnavailableError(
        'the model data is not the expected version',
        `${spec.packageName}/${file.path}: size ${size ?? 'missing'}, expected ${file.size}`,
      );
    }
  }
}

/**
 * Reads the network's files, checks sizes and SHA-256, and returns it as an ONNX model.
 *
 * @example const onnx = await loadSrModel(SR_MODELS['esrgan-thick-x4']); // 29 MB, verified, converted
 */
export async function loadSrModel(spec: SrModelSpec): Promise<Uint8Array> {
  checkSrModelFiles(spec);
  const dir = packageDir(spec.packageName)!;
  const files = await Promise.all(spec.files.map((f) => readFile(join(dir, f.path))));
  const digest = createHash('sha256');
  for (const bytes of files) digest.update(bytes);
  const actual = digest.digest('hex');
  if (actual !== spec.sha256) {
    throw new ModelUnavailableError(
      'the model data failed its integrity check',
      `${spec.name}: sha256 ${actual}, expected ${spec.sha256}`,
    );
  }
  try {
    if (spec.format === 'ncnn') return ncnnToOnnx(files[0].toString('utf8'), new Uint8Array(files[1]));
    const json = JSON.parse(files[0].toString('utf8')) as LayersModelJson;
    // Shards are listed per weight group in the manifest; `files` holds them in that order after model.json.
    let next = 1;
    const shards = json.weightsManifest.map((group) => group.paths.map(() => new Uint8Array(files[next++])));
    if (next !== files.length) throw new Error(`the manifest names ${next - 1} shards, the spec ${files.length - 1}`);
    return kerasToOnnx(json, shards);
  } catch (error) {
    throw new ModelUnavailableError('the model could not be converted', `${spec.name}: ${(error as Error).message}`);
  }
}
